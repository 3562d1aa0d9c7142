/// JoinGroup (key 11): join (or rejoin) a consumer group; the coordinator answers once every
/// member has joined, naming the leader, who alone receives all members' subscriptions.
struct JoinGroupRequest: KafkaRequest {
  static let api = APIKey.joinGroup
  var groupID: String
  var sessionTimeoutMs: Int32
  var rebalanceTimeoutMs: Int32
  var memberID: String
  var protocolType: String
  /// (protocol name, metadata) in order of preference.
  var protocols: [(name: String, metadata: [UInt8])]

  struct Member: Sendable, Equatable {
    var memberID: String
    var metadata: [UInt8]
  }

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    var generationID: Int32
    var protocolName: String?
    var leader: String
    var memberID: String
    var members: [Member]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    writer.int32(sessionTimeoutMs)
    writer.int32(rebalanceTimeoutMs)  // v1+
    writer.string(memberID, flexible: flexible)
    if version >= 5 { writer.nullableString(nil, flexible: flexible) }  // group instance id
    writer.string(protocolType, flexible: flexible)
    writer.array(protocols, flexible: flexible) { w, p in
      w.string(p.name, flexible: flexible)
      w.bytes(p.metadata, flexible: flexible)
      w.emptyTaggedFields(flexible: flexible)
    }
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 2 { _ = try reader.int32() }  // throttle time
    let error = try reader.int16()
    let generation = try reader.int32()
    if version >= 7 { _ = try reader.nullableString(flexible: flexible) }  // protocol type
    let protocolName = try reader.nullableString(flexible: flexible)
    let leader = try reader.string(flexible: flexible)
    let memberID = try reader.string(flexible: flexible)
    let members = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
      let id = try r.string(flexible: flexible)
      if version >= 5 { _ = try r.nullableString(flexible: flexible) }  // group instance id
      let metadata = try r.bytes(flexible: flexible)
      try r.skipTaggedFields(flexible: flexible)
      return Member(memberID: id, metadata: metadata)
    }
    try reader.skipTaggedFields(flexible: flexible)
    return Response(
      errorCode: error, generationID: generation, protocolName: protocolName, leader: leader, memberID: memberID,
      members: members)
  }
}
