/// Where and how to reach S3: region, endpoint, addressing, and what the store guarantees.
public struct S3Configuration: Sendable, Hashable {
  /// nil: learned from the bucket (`x-amz-bucket-region`), starting from us-east-1.
  public var region: String?
  /// An S3-compatible endpoint (MinIO, Ceph, R2, an emulator): `http(s)://host[:port]`. nil: AWS.
  public var endpoint: String?
  /// `endpoint/bucket/key` instead of `bucket.endpoint/key` (the default with a custom endpoint).
  public var pathStyle: Bool
  /// Plain `http://` endpoints are refused unless allowed (credentials would cross the wire in clear).
  public var allowHTTP: Bool
  /// Commit without `If-None-Match` on stores that ignore it; safe only with one writer at a time.
  public var singleWriter: Bool
  /// Tries per request for retryable failures (5xx, 429/SlowDown, timeouts, dropped connections).
  public var maxAttempts: Int
  /// Objects up to this size are written with one PUT; bigger ones with a multipart upload.
  public var multipartThreshold: Int
  public var partSize: Int
  /// Time allowed for one request; nil: the transport's default (60 s).
  public var requestTimeout: Duration?

  public init(
    region: String? = nil, endpoint: String? = nil, pathStyle: Bool? = nil, allowHTTP: Bool = false,
    singleWriter: Bool = false, maxAttempts: Int = 8, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20,
    requestTimeout: Duration? = nil
  ) {
    self.requestTimeout = requestTimeout
    self.region = region
    self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    self.pathStyle = pathStyle ?? (endpoint != nil)
    self.allowHTTP = allowHTTP
    self.singleWriter = singleWriter
    self.maxAttempts = max(1, maxAttempts)
    self.multipartThreshold = max(5 << 20, multipartThreshold)
    self.partSize = max(5 << 20, partSize)
  }

  /// From the usual variables: `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, `AWS_REGION` or
  /// `AWS_DEFAULT_REGION` (else `region`), `AWS_S3_FORCE_PATH_STYLE` / `AWS_VIRTUAL_HOSTED_STYLE_REQUEST`,
  /// `AWS_ALLOW_HTTP`, and Avocet's `AVOCET_S3_SINGLE_WRITER`, `AVOCET_S3_MAX_ATTEMPTS` and
  /// `AVOCET_S3_REQUEST_TIMEOUT` (seconds).
  public static func fromEnvironment(_ environment: [String: String], region: String? = nil) -> S3Configuration {
    func flag(_ name: String) -> Bool? {
      guard let value = environment[name]?.lowercased() else { return nil }
      return ["1", "true", "yes", "on"].contains(value)
    }
    let endpoint = environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
    var pathStyle: Bool? = flag("AWS_S3_FORCE_PATH_STYLE")
    if let virtual = flag("AWS_VIRTUAL_HOSTED_STYLE_REQUEST") { pathStyle = !virtual }
    return S3Configuration(
      region: environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? region,
      endpoint: endpoint.flatMap { $0.isEmpty ? nil : $0 }, pathStyle: pathStyle, allowHTTP: flag("AWS_ALLOW_HTTP") ?? false,
      singleWriter: flag("AVOCET_S3_SINGLE_WRITER") ?? false,
      maxAttempts: environment["AVOCET_S3_MAX_ATTEMPTS"].flatMap(Int.init) ?? 8,
      requestTimeout: environment["AVOCET_S3_REQUEST_TIMEOUT"].flatMap(Double.init).map { .milliseconds(Int64($0 * 1000)) })
  }
}
