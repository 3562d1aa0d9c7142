/// A bucket and key: `s3://bucket/some/key`. S3A's `s3a://` is accepted as a synonym.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
  public var bucket: String
  /// The key, without a leading slash; may be empty (the bucket's root).
  public var key: String

  public init(bucket: String, key: String) {
    self.bucket = bucket
    self.key = key
  }

  /// Parses `s3://bucket[/key]`; nil for anything else.
  public init?(url: String) {
    let rest: Substring
    if url.hasPrefix("s3://") {
      rest = url.dropFirst(5)
    } else if url.hasPrefix("s3a://") {
      rest = url.dropFirst(6)
    } else {
      return nil
    }
    let bucket = rest.prefix { $0 != "/" }
    guard !bucket.isEmpty else { return nil }
    var key = rest.dropFirst(bucket.count)
    while key.hasPrefix("/") { key = key.dropFirst() }
    self.bucket = String(bucket)
    self.key = String(key)
  }

  public static func isS3(_ path: String) -> Bool { path.hasPrefix("s3://") || path.hasPrefix("s3a://") }

  public var description: String { "s3://\(bucket)/\(key)" }
}
