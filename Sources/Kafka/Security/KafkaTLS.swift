/// TLS for every broker connection (Kafka's `security.protocol` SSL or SASL_SSL).
///
/// By default the broker's certificate must chain to the system's trust roots and name the
/// host the client connects to (a DNS name, or an IP address in the certificate's
/// subjectAltName). Give `caFile` for a private CA, and `certificateFile` with `keyFile` for
/// mutual TLS.
///
/// ```swift
/// configuration.tls = KafkaTLS(caFile: "/etc/kafka/ca.pem")
/// ```
public struct KafkaTLS: Sendable, Hashable {
  /// PEM file of the CA certificates to trust; nil trusts the system's roots.
  public var caFile: String?
  /// PEM file of the client certificate (and any intermediates), for brokers that require
  /// mutual TLS. Needs `keyFile`.
  public var certificateFile: String?
  /// PEM file of the client certificate's private key (unencrypted).
  public var keyFile: String?
  /// Check that the broker's certificate names the host connected to (or `serverName`).
  public var verifyHostname = true
  /// The DNS name to send in SNI and to expect in the broker's certificate, instead of the
  /// broker's host (for brokers reached through an address their certificate does not name).
  public var serverName: String?
  /// Accept any certificate, trusted or not, for any name. The connection is encrypted but an
  /// attacker in the path can read and change everything, credentials included. Tests only.
  public var insecureSkipVerify = false

  public init(
    caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, verifyHostname: Bool = true,
    serverName: String? = nil, insecureSkipVerify: Bool = false
  ) {
    self.caFile = caFile
    self.certificateFile = certificateFile
    self.keyFile = keyFile
    self.verifyHostname = verifyHostname
    self.serverName = serverName
    self.insecureSkipVerify = insecureSkipVerify
  }
}
