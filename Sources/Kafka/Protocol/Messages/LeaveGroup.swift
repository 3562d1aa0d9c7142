/// LeaveGroup (key 13): leave a group at once, so the others rebalance without waiting for
/// this member's session to expire.
struct LeaveGroupRequest: KafkaRequest {
  static let api = APIKey.leaveGroup
  var groupID: String
  var memberID: String

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    /// Per-member errors (v3+).
    var memberErrors: [Int16]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    if version >= 3 {
      writer.arrayCount(1, flexible: flexible)
      writer.string(memberID, flexible: flexible)
      writer.nullableString(nil, flexible: flexible)  // group instance id
      writer.emptyTaggedFields(flexible: flexible)
    } else {
      writer.string(memberID, flexible: flexible)
    }
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 1 { _ = try reader.int32() }  // throttle time
    let error = try reader.int16()
    var memberErrors: [Int16] = []
    if version >= 3 {
      memberErrors = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
        _ = try r.string(flexible: flexible)
        _ = try r.nullableString(flexible: flexible)
        let error = try r.int16()
        try r.skipTaggedFields(flexible: flexible)
        return error
      }
    }
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errorCode: error, memberErrors: memberErrors)
  }
}
