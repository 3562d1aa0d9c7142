/// An object-store failure: what went wrong, on which object, with the HTTP status when there was
/// one. Messages never contain secrets (keys, tokens, signatures).
public struct ObjectStoreError: Error, CustomStringConvertible, Sendable {
  public enum Code: String, Sendable {
    /// No such bucket or key (404).
    case notFound
    /// A conditional request's precondition failed (412): for a put-if-absent, the object exists.
    case preconditionFailed
    /// Credentials missing, invalid or not allowed (401/403).
    case accessDenied
    /// No credentials could be found or fetched.
    case credentials
    /// Connection refused, reset or dropped; a body shorter than announced.
    case network
    case timeout
    /// 5xx, 429 and SlowDown after every retry.
    case server
    /// A response that does not parse or does not match the request.
    case invalidResponse
    case invalidArgument
    case unsupported
  }

  public var code: Code
  public var message: String
  /// `s3://bucket/key` or the endpoint, when known.
  public var location: String?
  public var status: Int?

  public init(_ code: Code, _ message: String, location: String? = nil, status: Int? = nil) {
    self.code = code
    self.message = message
    self.location = location
    self.status = status
  }

  public var description: String {
    var text = location.map { "\($0): " } ?? ""
    text += message
    if let status { text += " (HTTP \(status))" }
    return text
  }
}
