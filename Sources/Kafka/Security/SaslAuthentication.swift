/// Sends one request at a given version and waits for its response: a connection that is
/// still being set up (no negotiated versions yet), or a test double.
protocol KafkaRequestExchange {
  func exchange<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response
}

/// SASL on a new broker connection (KIP-43, KIP-152): after ApiVersions, SaslHandshake v1 names
/// the mechanism, then SaslAuthenticate requests carry the mechanism's tokens. Nothing else may
/// be sent until it succeeds.
struct SaslAuthentication<Exchange: KafkaRequestExchange> {
  let sasl: KafkaSASL
  let brokerName: String
  /// The broker's ApiVersions ranges.
  let brokerVersions: [Int16: ClosedRange<Int16>]
  let connection: Exchange

  /// "SASL authentication as 'ingest' with SCRAM-SHA-256 failed on 127.0.0.1:9092".
  var failurePrefix: String {
    "SASL authentication as '\(sasl.username)' with \(sasl.mechanism.rawValue) failed on \(brokerName)"
  }

  /// Runs the whole exchange. Throws `.authentication` when the broker refuses the credentials
  /// or the mechanism, or cannot prove it knows the credentials (SCRAM); a connection error in
  /// the middle keeps its code. Every message starts with `failurePrefix`.
  func run() throws {
    do {
      try handshake()
      guard let version = APIKey.saslAuthenticate.highestCommonVersion(broker: brokerVersions) else {
        throw failure("the broker does not support SaslAuthenticate v0–v2")
      }
      switch sasl.mechanism {
      case .plain:
        _ = try authenticate(Self.plainMessage(username: sasl.username, password: sasl.password), version: version)
      case .scramSHA256, .scramSHA512:
        try authenticateWithScram(version: version)
      }
    } catch let error as KafkaError where error.code != .authentication {
      throw KafkaError(
        "\(failurePrefix): \(error.message)", code: error.code, brokerErrorCode: error.brokerErrorCode,
        underlying: error)
    }
  }

  /// Two rounds: client-first → server-first, client-final (with the proof) → server-final
  /// (with the server's signature, which must match).
  private func authenticateWithScram(version: Int16) throws {
    var scram = ScramClient(
      hash: sasl.mechanism == .scramSHA256 ? .sha256 : .sha512, username: sasl.username, password: sasl.password)
    let serverFirst = try authenticate(scram.clientFirstMessage, version: version)
    let clientFinal: [UInt8]
    do {
      clientFinal = try scram.clientFinalMessage(serverFirst: serverFirst)
    } catch {
      throw failure(error.message)
    }
    let serverFinal = try authenticate(clientFinal, version: version)
    do {
      try scram.verifyServerFinal(serverFinal)
    } catch {
      throw failure(error.message)
    }
  }

  private func handshake() throws {
    guard let version = APIKey.saslHandshake.highestCommonVersion(broker: brokerVersions) else {
      throw failure(
        brokerVersions[APIKey.saslHandshake.rawValue] == nil
          ? "the broker does not support SASL (no SaslHandshake among its APIs)"
          : "the broker does not support SaslHandshake v1")
    }
    let response = try connection.exchange(SaslHandshakeRequest(mechanism: sasl.mechanism.rawValue), version: version)
    switch response.errorCode {
    case KafkaErrorCode.none:
      return
    case KafkaErrorCode.unsupportedSaslMechanism:
      let offered = response.mechanisms.isEmpty ? "none" : response.mechanisms.joined(separator: ", ")
      throw failure(
        "the broker does not offer \(sasl.mechanism.rawValue); it offers \(offered)",
        brokerErrorCode: response.errorCode)
    default:
      throw failure(
        "SaslHandshake failed: \(KafkaErrorCode.describeSasl(response.errorCode))", brokerErrorCode: response.errorCode)
    }
  }

  /// One round: sends a token, returns the broker's.
  private func authenticate(_ token: [UInt8], version: Int16) throws -> [UInt8] {
    let response = try connection.exchange(SaslAuthenticateRequest(authBytes: token), version: version)
    guard response.errorCode == KafkaErrorCode.none else {
      let message =
        response.errorMessage.flatMap { $0.isEmpty ? nil : $0 } ?? KafkaErrorCode.describeSasl(response.errorCode)
      throw failure(message, brokerErrorCode: response.errorCode)
    }
    return response.authBytes
  }

  private func failure(_ reason: String, brokerErrorCode: Int16? = nil) -> KafkaError {
    KafkaError("\(failurePrefix): \(reason)", code: .authentication, brokerErrorCode: brokerErrorCode)
  }

  /// PLAIN (RFC 4616): an empty authorization identity, the username and the password, each
  /// after a NUL byte.
  static func plainMessage(username: String, password: String) -> [UInt8] {
    [0] + Array(username.utf8) + [0] + Array(password.utf8)
  }
}

extension KafkaErrorCode {
  static let unsupportedSaslMechanism: Int16 = 33
  static let illegalSaslState: Int16 = 34
  static let saslAuthenticationFailed: Int16 = 58

  /// `describe`, knowing the SASL codes too.
  static func describeSasl(_ code: Int16) -> String {
    switch code {
    case unsupportedSaslMechanism: "UNSUPPORTED_SASL_MECHANISM (33)"
    case illegalSaslState: "ILLEGAL_SASL_STATE (34)"
    default: describe(code)
    }
  }
}
