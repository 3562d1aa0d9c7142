import Crypto

/// The client side of SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka uses it:
/// no channel binding (gs2 header `n,,`), no authorization identity, no SASLprep.
///
/// The exchange has two rounds:
///
/// ```swift
/// var scram = ScramClient(hash: .sha256, username: "ingest", password: secret)
/// send(scram.clientFirstMessage)                                 // n,,n=ingest,r=<nonce>
/// send(try scram.clientFinalMessage(serverFirst: reply))         // c=biws,r=<nonce>,p=<proof>
/// try scram.verifyServerFinal(lastReply)                         // v=<server signature>
/// ```
///
/// The last step matters: a server that cannot produce the signature does not know the
/// password's salted form, so it is not the broker it claims to be.
///
/// Errors are `KafkaError`s with code `.authentication`; their messages say what was wrong
/// with the server's message and never contain the password or the proofs.
struct ScramClient {
  enum Hash: Sendable {
    case sha256
    case sha512

    /// "SCRAM-SHA-256".
    var mechanismName: String { self == .sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512" }
  }

  /// The most PBKDF2 iterations a server may ask for: enough for any real deployment (Kafka
  /// itself allows at most 16,384), small enough that a hostile server cannot stall the client
  /// for long.
  static let maximumIterations = 1_000_000

  let hash: Hash
  let username: String
  private let password: String
  /// The client's half of the nonce: printable ASCII without commas.
  let clientNonce: String
  /// client-first-message-bare: `n=<saslname>,r=<client nonce>`.
  let clientFirstMessageBare: String
  /// ServerSignature, known once the client-final message is built.
  private var expectedServerSignature: [UInt8]?

  /// `nonce` is for tests (the RFC's vectors); by default 24 random bytes in base64.
  init(hash: Hash, username: String, password: String, nonce: String? = nil) {
    self.hash = hash
    self.username = username
    self.password = password
    if let nonce {
      clientNonce = nonce
    } else {
      var generator = SystemRandomNumberGenerator()
      clientNonce = Base64.encode((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
    clientFirstMessageBare = "n=\(Self.saslName(username)),r=\(clientNonce)"
  }

  /// The gs2 header (no channel binding, no authorization identity) and the bare message.
  var clientFirstMessage: [UInt8] { Array(("n,," + clientFirstMessageBare).utf8) }

  /// The username with `=` and `,` escaped as `=3D` and `=2C` (RFC 5802 §5.1).
  static func saslName(_ username: String) -> String {
    var escaped = ""
    for character in username {
      switch character {
      case "=": escaped += "=3D"
      case ",": escaped += "=2C"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  /// Reads the server-first message (`r=<nonce>,s=<salt>,i=<iterations>`) and answers with the
  /// client-final message, which carries the proof that the client knows the password.
  mutating func clientFinalMessage(serverFirst bytes: [UInt8]) throws(KafkaError) -> [UInt8] {
    let serverFirst = String(decoding: bytes, as: UTF8.self)
    let attributes = try Self.attributes(serverFirst, message: "first")
    if let error = attributes["e"] { throw Self.failure("the server answered with an error: \(error)") }
    if attributes["m"] != nil {
      throw Self.failure("the server's first message requires an extension (m=) this client does not support")
    }
    guard let nonce = attributes["r"] else { throw Self.failure("the server's first message has no nonce (r=)") }
    guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
      throw Self.failure("the server's nonce does not extend the client's")
    }
    guard let saltText = attributes["s"] else { throw Self.failure("the server's first message has no salt (s=)") }
    guard let salt = Base64.decode(saltText), !salt.isEmpty else {
      throw Self.failure("the server's salt (s=) is not base64")
    }
    guard let iterationText = attributes["i"] else {
      throw Self.failure("the server's first message has no iteration count (i=)")
    }
    guard let iterations = Int(iterationText), (1...Self.maximumIterations).contains(iterations) else {
      throw Self.failure(
        "the server's iteration count '\(iterationText.prefix(20))' is not between 1 and \(Self.maximumIterations)")
    }
    let withoutProof = "c=biws,r=\(nonce)"
    let authMessage = Array("\(clientFirstMessageBare),\(serverFirst),\(withoutProof)".utf8)
    let saltedPassword = hash.saltedPassword(Array(password.utf8), salt: salt, iterations: iterations)
    let clientKey = hash.hmac(key: saltedPassword, Array("Client Key".utf8))
    let storedKey = hash.digest(clientKey)
    let clientSignature = hash.hmac(key: storedKey, authMessage)
    let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
    let serverKey = hash.hmac(key: saltedPassword, Array("Server Key".utf8))
    expectedServerSignature = hash.hmac(key: serverKey, authMessage)
    return Array("\(withoutProof),p=\(Base64.encode(proof))".utf8)
  }

  /// Checks the server-final message: `v=<ServerSignature>` must match what the client
  /// computed; `e=<error>` is the server refusing.
  func verifyServerFinal(_ bytes: [UInt8]) throws(KafkaError) {
    guard let expected = expectedServerSignature else {
      throw Self.failure("the server's final message came before the client's")
    }
    let attributes = try Self.attributes(String(decoding: bytes, as: UTF8.self), message: "final")
    if let error = attributes["e"] { throw Self.failure("the server answered with an error: \(error)") }
    guard let text = attributes["v"] else {
      throw Self.failure("the server's final message has no signature (v=)")
    }
    guard let signature = Base64.decode(text), Self.constantTimeEqual(signature, expected) else {
      throw Self.failure(
        "the server's signature does not match: it does not know the credentials, so it may not be the broker it claims to be"
      )
    }
  }

  /// `a=value,b=value`: one-letter names; values may contain `=`.
  private static func attributes(_ text: String, message: String) throws(KafkaError) -> [Character: Substring] {
    var result: [Character: Substring] = [:]
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard part.count >= 2, let name = part.first, name.isASCII, name.isLetter,
        part[part.index(after: part.startIndex)] == "="
      else {
        throw failure("the server's \(message) message is malformed (expected name=value pairs)")
      }
      if result[name] == nil { result[name] = part.dropFirst(2) }
    }
    return result
  }

  private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
  }

  private static func failure(_ reason: String) -> KafkaError { KafkaError(reason, code: .authentication) }
}

extension ScramClient.Hash {
  func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
    switch self {
    case .sha256: Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    case .sha512: Array(HMAC<SHA512>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }
  }

  func digest(_ data: [UInt8]) -> [UInt8] {
    switch self {
    case .sha256: Array(SHA256.hash(data: data))
    case .sha512: Array(SHA512.hash(data: data))
    }
  }

  /// SaltedPassword = Hi(password, salt, i): PBKDF2 with this HMAC, one block.
  func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
    switch self {
    case .sha256: Self.hi(SHA256.self, password, salt: salt, iterations: iterations)
    case .sha512: Self.hi(SHA512.self, password, salt: salt, iterations: iterations)
    }
  }

  /// Hi(str, salt, i) = U1 ^ U2 ^ … ^ Ui, where U1 = HMAC(str, salt + INT(1)) and
  /// Uk = HMAC(str, Uk-1) (RFC 5802 §2.2). The keyed HMAC is set up once and copied per round.
  static func hi<H: HashFunction>(_: H.Type, _ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
    let keyed = HMAC<H>(key: SymmetricKey(data: password))
    var first = keyed
    first.update(data: salt + [0, 0, 0, 1])
    var block = Array(first.finalize())
    var result = block
    for _ in 1..<max(iterations, 1) {
      var round = keyed
      round.update(data: block)
      block = Array(round.finalize())
      for index in result.indices { result[index] ^= block[index] }
    }
    return result
  }
}
