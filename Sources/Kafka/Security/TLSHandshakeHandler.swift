import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after `NIOSSLClientHandler`: completes `handshake` once the TLS handshake is
/// done, and turns NIOSSL's errors into `KafkaError`s that say what failed and where, before
/// they reach the `ResponseRouter`.
final class TLSHandshakeHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  let brokerName: String
  /// "the CA certificates in ca.pem", for certificate errors.
  let trustDescription: String
  /// The name the certificate must carry: the server name, else the broker's host.
  let expectedName: String
  let handshake: EventLoopPromise<Void>
  private var handshakeCompleted = false
  /// Whether the broker sent anything after the handshake (a hang-up before that is often a
  /// client certificate it refuses: TLS 1.3 checks it after the client's side is done).
  private var receivedData = false

  init(brokerName: String, trustDescription: String, expectedName: String, handshake: EventLoopPromise<Void>) {
    self.brokerName = brokerName
    self.trustDescription = trustDescription
    self.expectedName = expectedName
    self.handshake = handshake
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
      handshakeCompleted = true
      handshake.succeed(())
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    receivedData = true
    context.fireChannelRead(data)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    if error is KafkaError {
      context.fireErrorCaught(error)
      return
    }
    var reason = TLSErrorDescription.describe(error, trust: trustDescription, expectedName: expectedName)
    if handshakeCompleted, !receivedData, let error = error as? NIOSSLError, error == .uncleanShutdown {
      reason =
        "the broker closed the connection right after the handshake (does it require a client certificate it trusts?)"
    }
    let kafkaError = KafkaError(
      handshakeCompleted
        ? "TLS connection to \(brokerName) failed: \(reason)" : "TLS handshake with \(brokerName) failed: \(reason)",
      code: .connection, underlying: error)
    handshake.fail(kafkaError)
    context.fireErrorCaught(kafkaError)
  }

  func channelInactive(context: ChannelHandlerContext) {
    if !handshakeCompleted {
      handshake.fail(
        KafkaError(
          "TLS handshake with \(brokerName) failed: the broker closed the connection (is its listener plaintext?)",
          code: .connection))
    }
    context.fireChannelInactive()
  }
}

/// Answers in plaintext mode when the broker speaks TLS: a Kafka response starts with its
/// size (first byte 0 for any frame under 16 MB), a TLS record with content type 0x14–0x17
/// and major version 3. Without this, the client would wait for a 350 MB "frame". Looks at
/// the first bytes of the connection only.
final class TLSAnswerDetector: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  let brokerName: String
  private var checked = false

  init(brokerName: String) { self.brokerName = brokerName }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if !checked {
      let buffer = Self.unwrapInboundIn(data)
      guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
      checked = true
      if (0x14...0x17).contains(first), buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) ?? 3 == 3 {
        context.fireErrorCaught(
          KafkaError(
            "broker \(brokerName) answered with TLS: its listener expects TLS, and the client is not configured for it",
            code: .connection))
        context.close(promise: nil)
        return
      }
    }
    context.fireChannelRead(data)
  }
}

/// NIOSSL errors, phrased for a person: "certificate verify failed (…)".
enum TLSErrorDescription {
  static func describe(_ error: any Error, trust: String? = nil, expectedName: String? = nil) -> String {
    if let error = error as? NIOSSLError {
      switch error {
      case .handshakeFailed(let inner): return describe(inner, trust: trust)
      case .uncleanShutdown: return "the broker closed the connection without a TLS close_notify"
      case .failedToLoadCertificate: return "cannot load the certificate"
      case .failedToLoadPrivateKey: return "cannot load the private key"
      case .noCertificateToValidate: return "the broker presented no certificate"
      default: return "\(error)"
      }
    }
    if let error = error as? BoringSSLError { return describe(error, trust: trust) }
    if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
      return "the broker's certificate does not name \(expectedName ?? "the host connected to")"
        + " (not in its subjectAltName)"
    }
    return "\(error)"
  }

  private static func describe(_ error: BoringSSLError, trust: String?) -> String {
    switch error {
    case .sslError(let stack), .unknownError(let stack), .invalidSNIName(let stack):
      guard let first = stack.first else { return "\(error)" }
      if first == .eofDuringHandshake {
        return "the broker closed the connection during the handshake (is its listener plaintext?)"
      }
      return explain(reason(first), trust: trust)
    case .zeroReturn, .syscallError:
      return "the broker closed the connection (is its listener plaintext?)"
    default:
      return "\(error)"
    }
  }

  /// "CERTIFICATE_VERIFY_FAILED" from "Error: 268435581 error:1000007d:SSL
  /// routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at file:line".
  static func reason(_ error: BoringSSLInternalError) -> String {
    var text = Substring(error.description)
    if let at = text.firstRange(of: " at ") { text = text[..<at.lowerBound] }
    if let colon = text.lastIndex(of: ":") { text = text[text.index(after: colon)...] }
    return text.trimmingSpaces
  }

  static func explain(_ reason: String, trust: String?) -> String {
    let words = reason.lowercased().split(separator: "_").joined(separator: " ")
    switch reason {
    case "CERTIFICATE_VERIFY_FAILED":
      let trusted = trust.map { "; trusted: \($0)" } ?? ""
      return
        "certificate verify failed (the broker's certificate is not signed by a trusted CA, or has expired\(trusted))"
    case "WRONG_VERSION_NUMBER", "HTTP_REQUEST", "UNEXPECTED_RECORD":
      return "\(words) (the broker did not answer with TLS: is its listener plaintext?)"
    default:
      if reason.hasPrefix("TLSV1_ALERT_") || reason.hasPrefix("SSLV3_ALERT_") || reason.hasPrefix("TLSV13_ALERT_") {
        let alert = reason.split(separator: "_").dropFirst(2).joined(separator: " ").lowercased()
        let hint =
          alert.contains("certificate") || alert.contains("unknown ca")
          ? " (does it require a client certificate it trusts?)" : ""
        return "the broker sent the TLS alert '\(alert)'\(hint)"
      }
      return words
    }
  }
}
