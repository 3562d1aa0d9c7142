/// SaslHandshake (key 17): names the SASL mechanism the client wants; the broker answers with
/// the mechanisms it enables. From v1 (KIP-152) the tokens then travel in SaslAuthenticate
/// requests.
struct SaslHandshakeRequest: KafkaRequest {
  static let api = APIKey.saslHandshake
  var mechanism: String

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    /// The mechanisms the broker enables (it lists them on every answer, so a client that asked
    /// for another one can say which to use).
    var mechanisms: [String]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    writer.string(mechanism, flexible: false)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let errorCode = try reader.int16()
    let mechanisms = try reader.array(flexible: false) { (r: inout KafkaReader) throws(KafkaError) in
      try r.string(flexible: false)
    }
    return Response(errorCode: errorCode, mechanisms: mechanisms)
  }
}
