/// OffsetCommit (key 8): store a group's offsets (the next offset to read, per partition).
struct OffsetCommitRequest: KafkaRequest {
  static let api = APIKey.offsetCommit
  var groupID: String
  /// -1 (with an empty member id) commits outside group membership, as a statically
  /// assigned consumer does.
  var generationID: Int32
  var memberID: String
  var topics: [(name: String, partitions: [(partition: Int32, offset: Int64)])]

  struct Response: Sendable, Equatable {
    /// Topic → (partition, error code).
    var errors: [TopicPartition: Int16]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.string(groupID, flexible: flexible)
    writer.int32(generationID)
    writer.string(memberID, flexible: flexible)
    if version >= 7 { writer.nullableString(nil, flexible: flexible) }  // group instance id
    if version <= 4 { writer.int64(-1) }  // retention time: the broker's default
    writer.array(topics, flexible: flexible) { w, topic in
      w.string(topic.name, flexible: flexible)
      w.array(topic.partitions, flexible: flexible) { w, p in
        w.int32(p.partition)
        w.int64(p.offset)
        if version >= 6 { w.int32(-1) }  // committed leader epoch
        w.nullableString(nil, flexible: flexible)  // metadata
        w.emptyTaggedFields(flexible: flexible)
      }
      w.emptyTaggedFields(flexible: flexible)
    }
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    if version >= 3 { _ = try reader.int32() }  // throttle time
    var errors: [TopicPartition: Int16] = [:]
    let count = try reader.arrayCount(flexible: flexible)
    for _ in 0..<count {
      let name = try reader.string(flexible: flexible)
      let partitions = try reader.arrayCount(flexible: flexible)
      for _ in 0..<partitions {
        let partition = try reader.int32()
        errors[TopicPartition(name, partition)] = try reader.int16()
        try reader.skipTaggedFields(flexible: flexible)
      }
      try reader.skipTaggedFields(flexible: flexible)
    }
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errors: errors)
  }
}
