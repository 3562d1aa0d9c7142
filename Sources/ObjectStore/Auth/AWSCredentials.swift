/// An AWS access key pair, with the session token and expiry of temporary credentials.
///
/// Every textual form (`description`, `debugDescription`, `dump`) masks the key ID and leaves out
/// the secret and the token, so credentials can be logged or put in errors without leaking.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  public var accessKeyID: String
  public var secretAccessKey: String
  public var sessionToken: String?
  /// When temporary credentials expire (seconds since 1970), nil for long-lived ones.
  public var expiration: Double?

  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Double? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
  }

  /// Whether the credentials expire within `margin` seconds of `time` (never for long-lived ones):
  /// callers refresh a little early so that a request signed now is not rejected in flight.
  public func expires(within margin: Double, of time: Double) -> Bool {
    guard let expiration else { return false }
    return expiration - time <= margin
  }

  /// "AKIA…XMPL (with session token)" — never the secret or the token.
  public var description: String {
    Self.masked(accessKeyID) + (sessionToken == nil ? "" : " (with session token)")
  }

  public var debugDescription: String { description }

  /// `dump` and debuggers read the mirror, not `description`: keep the secrets out of it too.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "accessKeyID": Self.masked(accessKeyID),
        "secretAccessKey": "<redacted>",
        "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
        "expiration": expiration.map { String($0) } ?? "nil",
      ], displayStyle: .struct)
  }

  /// The first and last four characters of a key ID (enough to tell keys apart); a short ID,
  /// which would be mostly shown, is hidden entirely.
  static func masked(_ keyID: String) -> String {
    keyID.count >= 12 ? "\(keyID.prefix(4))…\(keyID.suffix(4))" : "…"
  }
}
