import Testing

@testable import Kafka

/// SCRAM (RFC 5802) client side, against the RFC 7677 SCRAM-SHA-256 test vector and a
/// SCRAM-SHA-512 exchange computed with Python's hashlib/hmac.
@Suite struct ScramTests {
  static let clientNonce = "rOprNGfwEbeRWgbNEkqO"
  static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

  func client(_ hash: ScramClient.Hash = .sha256, username: String = "user") -> ScramClient {
    ScramClient(hash: hash, username: username, password: "pencil", nonce: Self.clientNonce)
  }

  func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  /// RFC 7677 §3.
  @Test func rfc7677ScramSHA256Exchange() throws {
    var scram = client()
    #expect(text(scram.clientFirstMessage) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
    let final = try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
    #expect(
      text(final)
        == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
    try scram.verifyServerFinal(Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
  }

  /// The same inputs with SHA-512, as Python's hashlib.pbkdf2_hmac and hmac compute them.
  @Test func scramSHA512AgreesWithPython() throws {
    var scram = client(.sha512)
    let final = try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
    #expect(
      text(final)
        == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        + "p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp6dybEmDYXYTxwnYPJQ==")
    try scram.verifyServerFinal(
      Array(
        "v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSeVGT4+5ZxXnJq199RVG2rR7N7Zw==".utf8))
  }

  @Test func escapesCommaAndEqualsInTheUsername() {
    #expect(ScramClient.saslName("a=b,c") == "a=3Db=2Cc")
    #expect(ScramClient.saslName("==,") == "=3D=3D=2C")
    #expect(ScramClient.saslName("plain") == "plain")
    let scram = ScramClient(hash: .sha256, username: "ops,team=1", password: "x", nonce: "abc")
    #expect(text(scram.clientFirstMessage) == "n,,n=ops=2Cteam=3D1,r=abc")
  }

  @Test func randomNoncesArePrintableAndDiffer() {
    let a = ScramClient(hash: .sha256, username: "u", password: "p")
    let b = ScramClient(hash: .sha256, username: "u", password: "p")
    #expect(a.clientNonce != b.clientNonce)
    #expect(a.clientNonce.count >= 24)
    #expect(a.clientNonce.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ",") })
  }

  @Test(arguments: [
    "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",  // one character changed
    "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4",  // not base64 (padding cut)
    "v=",
  ])
  func aTamperedServerSignatureIsRejected(serverFinal: String) throws {
    var scram = client()
    _ = try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
    #expect {
      try scram.verifyServerFinal(Array(serverFinal.utf8))
    } throws: { error in
      let error = error as? KafkaError
      return error?.code == .authentication
        && error?.message.contains("the server's signature does not match") == true
    }
  }

  @Test func aServerFinalErrorIsReported() throws {
    var scram = client()
    _ = try scram.clientFinalMessage(serverFirst: Array(Self.serverFirst.utf8))
    #expect(throws: KafkaError.self) { try scram.verifyServerFinal(Array("e=invalid-proof".utf8)) }
    #expect(throws: KafkaError.self) { try scram.verifyServerFinal(Array("x=1".utf8)) }
  }

  @Test func aServerFinalBeforeTheClientFinalIsRejected() {
    #expect(throws: KafkaError.self) {
      try client().verifyServerFinal(Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
    }
  }

  @Test(arguments: [
    ("", "malformed"),
    ("garbage", "malformed"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==", "no iteration count"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,i=4096", "no salt"),
    ("s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "no nonce"),
    ("r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend"),
    ("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "does not extend"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=not*base64,i=4096", "not base64"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=,i=4096", "not base64"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "not between"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-5", "not between"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999", "not between"),
    ("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=many", "not between"),
    ("m=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "extension"),
    ("e=unknown-user", "answered with an error"),
  ])
  func malformedServerFirstMessagesAreErrors(message: String, expected: String) {
    var scram = client()
    #expect {
      _ = try scram.clientFinalMessage(serverFirst: Array(message.utf8))
    } throws: { error in
      let error = error as? KafkaError
      return error?.code == .authentication && error?.message.contains(expected) == true
        && error?.message.contains("pencil") == false
    }
  }

  @Test func base64RoundTripsAndRejectsJunk() {
    for count in 0..<20 {
      let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      #expect(Base64.decode(Base64.encode(bytes)) == bytes)
    }
    #expect(Base64.encode(Array("pencil".utf8)) == "cGVuY2ls")
    #expect(Base64.encode(Array("n,,".utf8)) == "biws")
    #expect(Base64.decode("cGVuY2ls") == Array("pencil".utf8))
    #expect(Base64.decode("cGVuYw==") == Array("penc".utf8))
    for junk in ["abc", "ab=c", "a===", "ab\u{0}c", "=abc", "ab c"] { #expect(Base64.decode(junk) == nil, "\(junk)") }
  }
}

/// The SASL exchange over a scripted broker: which requests go out, and how a refusal reads.
@Suite struct SaslAuthenticationTests {
  /// Answers SaslHandshake and SaslAuthenticate from a script, recording the tokens sent.
  final class ScriptedBroker: KafkaRequestExchange {
    var handshake = SaslHandshakeRequest.Response(errorCode: 0, mechanisms: ["PLAIN", "SCRAM-SHA-256"])
    var answers: [SaslAuthenticateRequest.Response] = []
    var mechanismsAsked: [String] = []
    var tokens: [[UInt8]] = []
    var versions: [Int16] = []

    func exchange<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
      versions.append(version)
      if let request = request as? SaslHandshakeRequest {
        mechanismsAsked.append(request.mechanism)
        return try #require(handshake as? R.Response)
      }
      let request = try #require(request as? SaslAuthenticateRequest)
      tokens.append(request.authBytes)
      guard !answers.isEmpty else { throw KafkaError("connection to broker b:1 closed", code: .connection) }
      return try #require(answers.removeFirst() as? R.Response)
    }
  }

  static let versions: [Int16: ClosedRange<Int16>] = [17: 0...1, 18: 0...3, 36: 0...2]

  func run(_ sasl: KafkaSASL, _ broker: ScriptedBroker, versions: [Int16: ClosedRange<Int16>] = versions) throws {
    try SaslAuthentication(sasl: sasl, brokerName: "b:1", brokerVersions: versions, connection: broker).run()
  }

  func ok(_ token: String = "") -> SaslAuthenticateRequest.Response {
    .init(errorCode: 0, errorMessage: nil, authBytes: Array(token.utf8), sessionLifetimeMilliseconds: 0)
  }

  @Test func plainSendsOneMessageWithTheCredentials() throws {
    let broker = ScriptedBroker()
    broker.answers = [ok()]
    try run(KafkaSASL(mechanism: .plain, username: "ingest", password: "s3cret"), broker)
    #expect(broker.mechanismsAsked == ["PLAIN"])
    #expect(broker.tokens == [[0] + Array("ingest".utf8) + [0] + Array("s3cret".utf8)])
    #expect(broker.versions == [1, 2])
  }

  @Test func aRefusalNamesUserMechanismAndBrokerButNotThePassword() {
    let broker = ScriptedBroker()
    broker.answers = [
      .init(
        errorCode: 58, errorMessage: "Authentication failed: Invalid username or password", authBytes: [],
        sessionLifetimeMilliseconds: 0)
    ]
    #expect {
      try run(KafkaSASL(mechanism: .plain, username: "ingest", password: "s3cret"), broker)
    } throws: { error in
      let error = error as? KafkaError
      return error?.code == .authentication && error?.brokerErrorCode == 58
        && error?.message
          == "SASL authentication as 'ingest' with PLAIN failed on b:1: Authentication failed: Invalid username or password"
    }
  }

  @Test func anUnofferedMechanismListsTheOffered() {
    let broker = ScriptedBroker()
    broker.handshake = .init(errorCode: 33, mechanisms: ["PLAIN", "GSSAPI"])
    #expect {
      try run(KafkaSASL(mechanism: .scramSHA512, username: "u", password: "p"), broker)
    } throws: { error in
      (error as? KafkaError)?.message
        == "SASL authentication as 'u' with SCRAM-SHA-512 failed on b:1: the broker does not offer SCRAM-SHA-512; it offers PLAIN, GSSAPI"
        && (error as? KafkaError)?.code == .authentication
    }
    #expect(broker.tokens.isEmpty)
  }

  @Test func aBrokerWithoutSaslSaysSo() {
    #expect {
      try run(KafkaSASL(mechanism: .plain, username: "u", password: "p"), ScriptedBroker(), versions: [18: 0...3])
    } throws: { error in
      "\(error)"
        == "SASL authentication as 'u' with PLAIN failed on b:1: the broker does not support SASL (no SaslHandshake among its APIs)"
    }
  }

  @Test func scramChecksTheServerSignature() throws {
    let broker = ScriptedBroker()
    // The server-first must extend the client's random nonce, so answer from what was sent.
    final class Echo: KafkaRequestExchange {
      let inner: ScriptedBroker
      let signature: String
      init(_ inner: ScriptedBroker, signature: String) {
        self.inner = inner
        self.signature = signature
      }
      func exchange<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
        if let request = request as? SaslAuthenticateRequest, inner.tokens.isEmpty {
          let bare = String(decoding: request.authBytes.dropFirst(3), as: UTF8.self)
          let nonce = bare.split(separator: ",")[1].dropFirst(2)
          inner.answers = [
            .init(
              errorCode: 0, errorMessage: nil, authBytes: Array("r=\(nonce)xyz,s=c2FsdA==,i=4096".utf8),
              sessionLifetimeMilliseconds: 0),
            .init(
              errorCode: 0, errorMessage: nil, authBytes: Array("v=\(signature)".utf8), sessionLifetimeMilliseconds: 0),
          ]
        }
        return try inner.exchange(request, version: version)
      }
    }
    #expect {
      try SaslAuthentication(
        sasl: KafkaSASL(mechanism: .scramSHA256, username: "u", password: "p"), brokerName: "b:1",
        brokerVersions: Self.versions, connection: Echo(broker, signature: "AAAA")
      ).run()
    } throws: { error in
      let error = error as? KafkaError
      return error?.code == .authentication
        && error?.message.hasPrefix(
          "SASL authentication as 'u' with SCRAM-SHA-256 failed on b:1: the server's signature does not match") == true
    }
    #expect(broker.tokens.count == 2)
    #expect(String(decoding: broker.tokens[1], as: UTF8.self).hasPrefix("c=biws,r="))
  }

  @Test func saslDescriptionsHideThePassword() {
    let sasl = KafkaSASL(mechanism: .scramSHA256, username: "ingest", password: "hunter2")
    #expect("\(sasl)" == "SCRAM-SHA-256 as 'ingest'")
    var configuration = KafkaConsumerConfiguration(brokers: "b:1")
    configuration.sasl = sasl
    var dumped = ""
    dump(configuration, to: &dumped)
    #expect(!dumped.contains("hunter2"))
    #expect(!String(reflecting: configuration).contains("hunter2"))
    #expect(KafkaSASL.Mechanism(name: "scram-sha-512") == .scramSHA512)
    #expect(KafkaSASL.Mechanism(name: "GSSAPI") == nil)
  }

  @Test func saslMessagesEncodeAsTheProtocolGuideSays() throws {
    let handshake = SaslHandshakeRequest(mechanism: "PLAIN").encodeFrame(version: 1, correlationID: 7, clientID: "a")
    #expect(handshake == [UInt8](hex: "00000012 0011 0001 00000007 0001 61  0005 504c41494e"))
    let v0 = SaslAuthenticateRequest(authBytes: [1, 2]).encodeFrame(version: 0, correlationID: 7, clientID: "a")
    #expect(v0 == [UInt8](hex: "00000011 0024 0000 00000007 0001 61  00000002 0102"))
    let v2 = SaslAuthenticateRequest(authBytes: [1, 2]).encodeFrame(version: 2, correlationID: 7, clientID: "a")
    #expect(v2 == [UInt8](hex: "00000010 0024 0002 00000007 0001 61 00  03 0102 00"))
    let response = try SaslAuthenticateRequest.decodeResponseFrame(
      [UInt8](hex: "00000007 00  003a 05 6e6f7065 01 0000000000000000 00"), version: 2)
    #expect(
      response == .init(errorCode: 58, errorMessage: "nope", authBytes: [], sessionLifetimeMilliseconds: 0))
    let handshakeResponse = try SaslHandshakeRequest.decodeResponseFrame(
      [UInt8](hex: "00000007 0021 00000001 0005 504c41494e"), version: 1)
    #expect(handshakeResponse == .init(errorCode: 33, mechanisms: ["PLAIN"]))
  }
}
