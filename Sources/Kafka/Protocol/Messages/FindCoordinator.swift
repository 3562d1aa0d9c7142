/// FindCoordinator (key 10): which broker coordinates a consumer group.
struct FindCoordinatorRequest: KafkaRequest {
  static let api = APIKey.findCoordinator
  var groupID: String

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    var errorMessage: String?
    var nodeID: Int32
    var host: String
    var port: Int32
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    if version >= 1 { writer.int8(0) }  // key type: group
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 1 { _ = try reader.int32() }  // throttle time
    let error = try reader.int16()
    let message = version >= 1 ? try reader.nullableString(flexible: flexible) : nil
    let node = try reader.int32()
    let host = try reader.string(flexible: flexible)
    let port = try reader.int32()
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errorCode: error, errorMessage: message, nodeID: node, host: host, port: port)
  }
}
