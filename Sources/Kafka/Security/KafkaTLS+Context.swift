import NIOSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension KafkaTLS {
  /// Reads the certificate and key files and checks that they can be used together, as every
  /// connection will: lets a caller reject a bad configuration before it does anything else.
  /// Throws `.invalidArgument` naming the file.
  public func validate() throws(KafkaError) {
    _ = try makeContext()
  }

  /// A client TLS context with these settings, its files read now (so a rotated client
  /// certificate is picked up by the next connection). Throws `.invalidArgument` naming the
  /// file that cannot be read or used.
  func makeContext() throws(KafkaError) -> NIOSSLContext {
    guard (certificateFile == nil) == (keyFile == nil) else {
      throw KafkaError(
        certificateFile == nil
          ? "a TLS client key needs its certificate (certificate file not set)"
          : "a TLS client certificate needs its private key (key file not set)",
        code: .invalidArgument)
    }
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.minimumTLSVersion = .tlsv12
    if let caFile {
      configuration.trustRoots = .certificates(try Self.readCertificates(caFile, role: "CA"))
    }
    if let certificateFile, let keyFile {
      configuration.certificateChain = try Self.readCertificates(certificateFile, role: "client certificate").map {
        .certificate($0)
      }
      try Self.checkReadable(keyFile, role: "client key")
      do {
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
      } catch {
        throw KafkaError(
          "cannot read the TLS client key '\(keyFile)': not an unencrypted PEM private key", code: .invalidArgument,
          underlying: error)
      }
    }
    configuration.certificateVerification =
      insecureSkipVerify ? .none : verifyHostname ? .fullVerification : .noHostnameVerification
    do {
      return try NIOSSLContext(configuration: configuration)
    } catch {
      let what =
        certificateFile.map { "the TLS client certificate '\($0)' with the key '\(keyFile ?? "")'" }
        ?? "the TLS settings"
      throw KafkaError(
        "cannot use \(what): \(TLSErrorDescription.describe(error))", code: .invalidArgument, underlying: error)
    }
  }

  /// The name for SNI and for the hostname check: `serverName`, else the broker's host; nil
  /// for an IP address (SNI cannot carry one; NIOSSL then checks the address connected to).
  func sniName(host: String) -> String? {
    let name = serverName ?? host
    return Self.isIPAddress(name) || name.isEmpty ? nil : name
  }

  /// What the client trusts, for error messages: "the CA certificates in ca.pem".
  var trustDescription: String {
    caFile.map { "the CA certificates in \($0)" } ?? "the system's trusted CA certificates"
  }

  private static func readCertificates(_ path: String, role: String) throws(KafkaError) -> [NIOSSLCertificate] {
    try checkReadable(path, role: role)
    let certificates: [NIOSSLCertificate]
    do {
      certificates = try NIOSSLCertificate.fromPEMFile(path)
    } catch {
      throw KafkaError(
        "cannot read the TLS \(role) file '\(path)': not PEM certificates", code: .invalidArgument, underlying: error)
    }
    guard !certificates.isEmpty else {
      throw KafkaError("the TLS \(role) file '\(path)' holds no PEM certificate", code: .invalidArgument)
    }
    return certificates
  }

  private static func checkReadable(_ path: String, role: String) throws(KafkaError) {
    guard let file = fopen(path, "r") else {
      throw KafkaError(
        "cannot read the TLS \(role) file '\(path)': \(BrokerConnection.describe(errno: errno))",
        code: .invalidArgument)
    }
    fclose(file)
  }

  private static func isIPAddress(_ text: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
  }
}
