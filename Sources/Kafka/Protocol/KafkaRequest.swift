/// A request message: its API, how to encode its body at a version, and how to decode the
/// response body at that version.
protocol KafkaRequest: Sendable {
  associatedtype Response: Sendable
  static var api: APIKey { get }
  func encode(into writer: inout KafkaWriter, version: Int16)
  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response
}

extension KafkaRequest {
  /// The whole frame: the 4-byte size, the request header (v1 or v2) and the body.
  ///
  /// The correlation id sits at bytes 8..<12 of the frame, so a connection can patch it in
  /// just before sending.
  func encodeFrame(version: Int16, correlationID: Int32, clientID: String) -> [UInt8] {
    var writer = KafkaWriter()
    writer.int32(0)  // size, patched below
    writer.int16(Self.api.rawValue)
    writer.int16(version)
    writer.int32(correlationID)
    // The client id is a classic nullable string even in header v2 (for compatibility).
    writer.nullableString(clientID, flexible: false)
    let flexible = Self.api.isFlexible(version)
    writer.emptyTaggedFields(flexible: flexible)
    encode(into: &writer, version: version)
    writer.patchInt32(Int32(writer.bytes.count - 4), at: 0)
    return writer.bytes
  }

  /// Decodes a response frame (without its size prefix): the header, then the body.
  /// The connection has already matched the correlation id; pass `correlationID` to check it
  /// again.
  static func decodeResponseFrame(_ frame: [UInt8], version: Int16, correlationID: Int32? = nil) throws(KafkaError)
    -> Response
  {
    var reader = KafkaReader(frame, context: "\(api.name) v\(version) response")
    let received = try reader.int32()
    if let correlationID, received != correlationID {
      throw reader.malformed("correlation id \(received), expected \(correlationID)")
    }
    try reader.skipTaggedFields(flexible: api.responseHeaderVersion(version) >= 1)
    return try decodeResponse(from: &reader, version: version)
  }
}

/// Byte offset of the correlation id inside an encoded request frame.
let correlationIDOffsetInFrame = 8
