/// SaslAuthenticate (key 36): one round of a SASL exchange, the client's token in, the
/// server's token (challenge or final message) out. Flexible from v2.
struct SaslAuthenticateRequest: KafkaRequest {
  static let api = APIKey.saslAuthenticate
  var authBytes: [UInt8]

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    var errorMessage: String?
    var authBytes: [UInt8]
    /// v1+: how long the session may last before the client must authenticate again (KIP-368);
    /// 0 when the broker sets no limit.
    var sessionLifetimeMilliseconds: Int64
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.bytes(authBytes, flexible: flexible)
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    let errorCode = try reader.int16()
    let errorMessage = try reader.nullableString(flexible: flexible)
    let authBytes = try reader.bytes(flexible: flexible)
    let lifetime = version >= 1 ? try reader.int64() : 0
    try reader.skipTaggedFields(flexible: flexible)
    return Response(
      errorCode: errorCode, errorMessage: errorMessage, authBytes: authBytes, sessionLifetimeMilliseconds: lifetime)
  }
}
