/// What a HEAD or a listing says about an object.
public struct S3ObjectInfo: Sendable, Hashable {
  public var key: String
  public var size: Int64
  /// Milliseconds since 1970.
  public var lastModified: Int64
  public var etag: String?
}

extension S3Client {
  /// The object's bytes, or those of `range` (a ranged GET); a short answer is an error.
  public func get(_ location: S3Location, range: Range<Int>? = nil) throws(ObjectStoreError) -> [UInt8] {
    var call = Call(method: "GET", location: location)
    if let range {
      guard !range.isEmpty else { return [] }
      call.headers.append((name: "Range", value: "bytes=\(range.lowerBound)-\(range.upperBound - 1)"))
    }
    var attempt = 0
    while true {
      attempt += 1
      let response = try send(call)
      if let range, response.body.count != range.count {
        // A truncated or mismatched body: retry, then fail clearly.
        guard attempt < configuration.maxAttempts else {
          throw ObjectStoreError(
            .network, "asked for \(range.count) bytes at \(range.lowerBound), got \(response.body.count)",
            location: location.description)
        }
        Self.backoff(attempt: attempt)
        continue
      }
      return response.body
    }
  }

  /// Size, modification time and ETag of an object; `.notFound` when there is none.
  public func head(_ location: S3Location) throws(ObjectStoreError) -> S3ObjectInfo {
    let response = try send(Call(method: "HEAD", location: location))
    guard let size = response.header("content-length").flatMap(Int64.init) else {
      throw ObjectStoreError(.invalidResponse, "HEAD without Content-Length", location: location.description)
    }
    let modified = response.header("last-modified").flatMap(HTTPDate.milliseconds) ?? 0
    return S3ObjectInfo(key: location.key, size: size, lastModified: modified, etag: response.header("etag"))
  }

  /// Writes the object whole. With `ifNoneMatch`, only if no object exists at the key: a
  /// `.preconditionFailed` error means another writer created it first.
  public func put(_ location: S3Location, bytes: [UInt8], ifNoneMatch: Bool = false) throws(ObjectStoreError) {
    var call = Call(method: "PUT", location: location, body: bytes)
    if ifNoneMatch {
      call.headers.append((name: "If-None-Match", value: "*"))
      call.accepted = [412]
    }
    let response = try send(call)
    if response.status == 412 {
      throw ObjectStoreError(.preconditionFailed, "the object already exists", location: location.description, status: 412)
    }
  }

  /// Deletes the object; a missing object is not an error (S3 answers 204 either way).
  public func delete(_ location: S3Location) throws(ObjectStoreError) {
    var call = Call(method: "DELETE", location: location)
    call.accepted = [404]
    _ = try send(call)
  }

  /// Creates a bucket (for tests and first use against emulators).
  public func createBucket(_ bucket: String) throws(ObjectStoreError) {
    var call = Call(method: "PUT", location: S3Location(bucket: bucket, key: ""))
    let region = self.region(for: bucket)
    if region != "us-east-1" {
      call.body = Array(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
          .utf8)
    }
    call.accepted = [409]
    _ = try send(call)
  }

  /// Objects and common prefixes under `prefix` (one level with `delimiter`), in key order, from
  /// keys after `startAfter`, following continuation tokens until the listing ends.
  /// With `maxKeys`, only the first page of at most that many entries.
  public func list(
    bucket: String, prefix: String, delimiter: String? = nil, startAfter: String? = nil, maxKeys: Int? = nil
  ) throws(ObjectStoreError) -> (objects: [S3ObjectInfo], prefixes: [String]) {
    var objects: [S3ObjectInfo] = []
    var prefixes: [String] = []
    var token: String?
    repeat {
      var query: [(String, String)] = [("list-type", "2"), ("prefix", prefix)]
      if let delimiter { query.append(("delimiter", delimiter)) }
      if let startAfter, token == nil { query.append(("start-after", startAfter)) }
      if let token { query.append(("continuation-token", token)) }
      if let maxKeys { query.append(("max-keys", String(maxKeys))) }
      query.sort { $0.0 < $1.0 }
      let response = try send(Call(method: "GET", location: S3Location(bucket: bucket, key: ""), query: query))
      let text = response.bodyText[...]
      guard text.contains("ListBucketResult") else {
        throw ObjectStoreError(.invalidResponse, "the listing is not a ListBucketResult", location: "s3://\(bucket)/\(prefix)")
      }
      for entry in S3XML.elements("Contents", in: text) {
        guard let key = S3XML.value("Key", in: entry), let size = S3XML.value("Size", in: entry).flatMap(Int64.init)
        else { continue }
        let modified = S3XML.value("LastModified", in: entry).flatMap(ISO8601.milliseconds) ?? 0
        objects.append(S3ObjectInfo(key: key, size: size, lastModified: modified, etag: S3XML.value("ETag", in: entry)))
      }
      for common in S3XML.elements("CommonPrefixes", in: text) {
        if let value = S3XML.value("Prefix", in: common) { prefixes.append(value) }
      }
      token = S3XML.value("IsTruncated", in: text) == "true" && maxKeys == nil ? S3XML.value("NextContinuationToken", in: text) : nil
    } while token != nil
    return (objects, prefixes)
  }
}
