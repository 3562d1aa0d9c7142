/// The "consumer" group protocol's embedded formats (classic encoding, version 0): the
/// subscription each member sends in JoinGroup, and the assignment the leader sends each
/// member in SyncGroup.
///
///     Subscription: version int16, topics [string], user_data nullable bytes
///     Assignment:   version int16, [topic string, partitions [int32]], user_data nullable bytes
///
/// Later versions append fields (owned partitions, generation, rack), which the decoders skip.
enum ConsumerProtocol {
  static let protocolType = "consumer"

  static func encodeSubscription(topics: [String]) -> [UInt8] {
    var writer = KafkaWriter()
    writer.int16(0)
    writer.array(topics, flexible: false) { w, topic in w.string(topic, flexible: false) }
    writer.nullableBytes(nil, flexible: false)
    return writer.bytes
  }

  static func decodeSubscription(_ bytes: [UInt8], member: String) throws(KafkaError) -> [String] {
    var reader = KafkaReader(bytes, context: "subscription of group member \(member)")
    _ = try reader.int16()
    return try reader.array(flexible: false) { (r: inout KafkaReader) throws(KafkaError) in
      try r.string(flexible: false)
    }
  }

  static func encodeAssignment(_ partitions: [TopicPartition]) -> [UInt8] {
    var writer = KafkaWriter()
    writer.int16(0)
    let byTopic = Dictionary(grouping: partitions, by: \.topic)
    writer.array(byTopic.keys.sorted(), flexible: false) { w, topic in
      w.string(topic, flexible: false)
      w.int32Array((byTopic[topic] ?? []).map(\.partition).sorted(), flexible: false)
    }
    writer.nullableBytes(nil, flexible: false)
    return writer.bytes
  }

  static func decodeAssignment(_ bytes: [UInt8]) throws(KafkaError) -> [TopicPartition] {
    guard !bytes.isEmpty else { return [] }
    var reader = KafkaReader(bytes, context: "group assignment")
    _ = try reader.int16()
    var result: [TopicPartition] = []
    let topics = try reader.arrayCount(flexible: false)
    for _ in 0..<topics {
      let topic = try reader.string(flexible: false)
      for partition in try reader.int32Array(flexible: false) { result.append(TopicPartition(topic, partition)) }
    }
    return result.sorted()
  }
}
