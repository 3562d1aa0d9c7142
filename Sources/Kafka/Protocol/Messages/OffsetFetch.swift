/// OffsetFetch (key 9): a group's committed offsets.
struct OffsetFetchRequest: KafkaRequest {
  static let api = APIKey.offsetFetch
  var groupID: String
  var topics: [(name: String, partitions: [Int32])]

  struct PartitionResult: Sendable, Equatable {
    var partition: Int32
    /// -1 when the group has no committed offset for the partition.
    var offset: Int64
    var metadata: String?
    var errorCode: Int16
  }

  struct Response: Sendable, Equatable {
    var topics: [String: [PartitionResult]]
    var errorCode: Int16
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    writer.array(topics, flexible: flexible) { w, topic in
      w.string(topic.name, flexible: flexible)
      w.int32Array(topic.partitions, flexible: flexible)
      w.emptyTaggedFields(flexible: flexible)
    }
    if version >= 7 { writer.bool(false) }  // require stable
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 3 { _ = try reader.int32() }  // throttle time
    var topics: [String: [PartitionResult]] = [:]
    let count = try reader.arrayCount(flexible: flexible)
    for _ in 0..<count {
      let name = try reader.string(flexible: flexible)
      let partitions = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
        let partition = try r.int32()
        let offset = try r.int64()
        if version >= 5 { _ = try r.int32() }  // committed leader epoch
        let metadata = try r.nullableString(flexible: flexible)
        let error = try r.int16()
        try r.skipTaggedFields(flexible: flexible)
        return PartitionResult(partition: partition, offset: offset, metadata: metadata, errorCode: error)
      }
      try reader.skipTaggedFields(flexible: flexible)
      topics[name, default: []].append(contentsOf: partitions)
    }
    let error = version >= 2 ? try reader.int16() : 0
    try reader.skipTaggedFields(flexible: flexible)
    return Response(topics: topics, errorCode: error)
  }
}
