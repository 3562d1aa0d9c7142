/// SyncGroup (key 14): the leader sends every member's assignment; every member gets its own.
struct SyncGroupRequest: KafkaRequest {
  static let api = APIKey.syncGroup
  var groupID: String
  var generationID: Int32
  var memberID: String
  var protocolType: String
  var protocolName: String?
  /// Non-empty only from the leader.
  var assignments: [(memberID: String, assignment: [UInt8])]

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    var assignment: [UInt8]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    writer.int32(generationID)
    writer.string(memberID, flexible: flexible)
    if version >= 3 { writer.nullableString(nil, flexible: flexible) }  // group instance id
    if version >= 5 {
      writer.nullableString(protocolType, flexible: flexible)
      writer.nullableString(protocolName, flexible: flexible)
    }
    writer.array(assignments, flexible: flexible) { w, a in
      w.string(a.memberID, flexible: flexible)
      w.bytes(a.assignment, flexible: flexible)
      w.emptyTaggedFields(flexible: flexible)
    }
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 1 { _ = try reader.int32() }  // throttle time
    let error = try reader.int16()
    if version >= 5 {
      _ = try reader.nullableString(flexible: flexible)  // protocol type
      _ = try reader.nullableString(flexible: flexible)  // protocol name
    }
    let assignment = try reader.bytes(flexible: flexible)
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errorCode: error, assignment: assignment)
  }
}
