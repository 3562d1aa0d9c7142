/// Metadata (key 3): brokers, and each topic's partitions and their leaders.
struct MetadataRequest: KafkaRequest {
  static let api = APIKey.metadata
  /// nil asks for every topic.
  var topics: [String]?
  var allowAutoTopicCreation = false

  struct Broker: Sendable, Equatable {
    var nodeID: Int32
    var host: String
    var port: Int32
  }

  struct Partition: Sendable, Equatable {
    var errorCode: Int16
    var index: Int32
    var leader: Int32
    var leaderEpoch: Int32
  }

  struct Topic: Sendable, Equatable {
    var errorCode: Int16
    var name: String
    var partitions: [Partition]
  }

  struct Response: Sendable, Equatable {
    var brokers: [Broker]
    var controllerID: Int32
    var topics: [Topic]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    if let topics {
      writer.array(topics, flexible: flexible) { w, name in
        if version >= 10 { w.uuid([UInt8](repeating: 0, count: 16)) }
        w.string(name, flexible: flexible)
        w.emptyTaggedFields(flexible: flexible)
      }
    } else {
      writer.nullArray(flexible: flexible)
    }
    writer.bool(allowAutoTopicCreation)
    if (8...10).contains(version) { writer.bool(false) }  // include cluster authorized operations
    if version >= 8 { writer.bool(false) }  // include topic authorized operations
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    _ = try reader.int32()  // throttle time (v3+)
    let brokers = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
      let node = try r.int32()
      let host = try r.string(flexible: flexible)
      let port = try r.int32()
      _ = try r.nullableString(flexible: flexible)  // rack
      try r.skipTaggedFields(flexible: flexible)
      return Broker(nodeID: node, host: host, port: port)
    }
    _ = try reader.nullableString(flexible: flexible)  // cluster id
    let controller = try reader.int32()
    let topics = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
      let error = try r.int16()
      let name = try r.nullableString(flexible: flexible) ?? ""
      if version >= 10 { try r.skip(16) }  // topic id
      _ = try r.bool()  // is internal
      let partitions = try r.array(flexible: flexible) { (p: inout KafkaReader) throws(KafkaError) in
        let error = try p.int16()
        let index = try p.int32()
        let leader = try p.int32()
        let epoch = version >= 7 ? try p.int32() : -1
        _ = try p.int32Array(flexible: flexible)  // replicas
        _ = try p.int32Array(flexible: flexible)  // in-sync replicas
        if version >= 5 { _ = try p.int32Array(flexible: flexible) }  // offline replicas
        try p.skipTaggedFields(flexible: flexible)
        return Partition(errorCode: error, index: index, leader: leader, leaderEpoch: epoch)
      }
      if version >= 8 { _ = try r.int32() }  // topic authorized operations
      try r.skipTaggedFields(flexible: flexible)
      return Topic(errorCode: error, name: name, partitions: partitions)
    }
    if (8...10).contains(version) { _ = try reader.int32() }  // cluster authorized operations
    try reader.skipTaggedFields(flexible: flexible)
    return Response(brokers: brokers, controllerID: controller, topics: topics)
  }
}
