/// ListOffsets (key 2): the offset for a timestamp, or the earliest (-2) or latest (-1) offset.
struct ListOffsetsRequest: KafkaRequest {
  static let api = APIKey.listOffsets
  static let latest: Int64 = -1
  static let earliest: Int64 = -2

  struct PartitionQuery: Sendable, Equatable {
    var partition: Int32
    var timestamp: Int64
  }

  var isolationLevel: Int8
  /// Topic → partitions to look up (in this order).
  var topics: [(name: String, partitions: [PartitionQuery])]

  struct PartitionResult: Sendable, Equatable {
    var partition: Int32
    var errorCode: Int16
    var timestamp: Int64
    var offset: Int64
  }

  struct Response: Sendable, Equatable {
    var topics: [String: [PartitionResult]]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.int32(-1)  // replica id: a consumer
    if version >= 2 { writer.int8(isolationLevel) }
    writer.array(topics, flexible: flexible) { w, topic in
      w.string(topic.name, flexible: flexible)
      w.array(topic.partitions, flexible: flexible) { w, p in
        w.int32(p.partition)
        if version >= 4 { w.int32(-1) }  // current leader epoch: unknown
        w.int64(p.timestamp)
        w.emptyTaggedFields(flexible: flexible)
      }
      w.emptyTaggedFields(flexible: flexible)
    }
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 2 { _ = try reader.int32() }  // throttle time
    var topics: [String: [PartitionResult]] = [:]
    let count = try reader.arrayCount(flexible: flexible)
    for _ in 0..<count {
      let name = try reader.string(flexible: flexible)
      let partitions = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
        let partition = try r.int32()
        let error = try r.int16()
        let timestamp = try r.int64()
        let offset = try r.int64()
        if version >= 4 { _ = try r.int32() }  // leader epoch
        try r.skipTaggedFields(flexible: flexible)
        return PartitionResult(partition: partition, errorCode: error, timestamp: timestamp, offset: offset)
      }
      try reader.skipTaggedFields(flexible: flexible)
      topics[name, default: []].append(contentsOf: partitions)
    }
    try reader.skipTaggedFields(flexible: flexible)
    return Response(topics: topics)
  }
}
