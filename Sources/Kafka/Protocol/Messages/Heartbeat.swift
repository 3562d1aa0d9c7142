/// Heartbeat (key 12): tells the coordinator this member is alive; the answer says whether the
/// group is rebalancing.
struct HeartbeatRequest: KafkaRequest {
  static let api = APIKey.heartbeat
  var groupID: String
  var generationID: Int32
  var memberID: String

  struct Response: Sendable, Equatable {
    var errorCode: Int16
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    writer.int32(generationID)
    writer.string(memberID, flexible: flexible)
    if version >= 3 { writer.nullableString(nil, flexible: flexible) }  // group instance id
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 1 { _ = try reader.int32() }  // throttle time
    let error = try reader.int16()
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errorCode: error)
  }
}
