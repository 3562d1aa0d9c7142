/// SASL authentication on every broker connection (Kafka's `security.protocol` SASL_PLAINTEXT
/// or, with `KafkaTLS`, SASL_SSL).
///
/// PLAIN sends the password itself to the broker: use it only over TLS. SCRAM (RFC 5802) never
/// sends the password, and also checks that the broker knows it.
///
/// The password never appears in errors or descriptions of this value.
public struct KafkaSASL: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
  public enum Mechanism: String, Sendable, Hashable, CaseIterable {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"

    /// The mechanism for a name as Kafka spells it (`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`),
    /// in any case.
    public init?(name: String) {
      guard let mechanism = Self.allCases.first(where: { $0.rawValue == name.uppercased() }) else { return nil }
      self = mechanism
    }

    /// "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512".
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
  }

  public var mechanism: Mechanism
  public var username: String
  public var password: String

  public init(mechanism: Mechanism, username: String, password: String) {
    self.mechanism = mechanism
    self.username = username
    self.password = password
  }

  /// "SCRAM-SHA-256 as 'ingest'", without the password.
  public var description: String { "\(mechanism.rawValue) as '\(username)'" }

  /// Keeps the password out of `dump` and debugger output.
  public var customMirror: Mirror {
    Mirror(self, children: ["mechanism": mechanism, "username": username, "password": "<redacted>"])
  }
}
