/// How the group leader shares partitions among members.
public enum PartitionAssignor: String, Sendable, CaseIterable {
  /// Per topic, consecutive ranges of partitions to members in member-id order (Kafka's
  /// `range`, the Java default).
  case range
  /// All partitions, in topic/partition order, dealt to members in turn (Kafka's `roundrobin`).
  case roundRobin = "roundrobin"

  /// The assignment: member id → partitions. `subscriptions` maps member id → topics;
  /// `partitions` maps topic → partition indexes.
  func assign(subscriptions: [String: [String]], partitions: [String: [Int32]]) -> [String: [TopicPartition]] {
    var result: [String: [TopicPartition]] = [:]
    for member in subscriptions.keys { result[member] = [] }
    switch self {
    case .range:
      var subscribers: [String: [String]] = [:]
      for (member, topics) in subscriptions {
        for topic in Set(topics) { subscribers[topic, default: []].append(member) }
      }
      for (topic, members) in subscribers {
        let sortedMembers = members.sorted()
        let available = (partitions[topic] ?? []).sorted()
        let share = available.count / sortedMembers.count
        let extra = available.count % sortedMembers.count
        for (i, member) in sortedMembers.enumerated() {
          let start = i * share + min(i, extra)
          let count = share + (i < extra ? 1 : 0)
          for partition in available[start..<start + count] {
            result[member, default: []].append(TopicPartition(topic, partition))
          }
        }
      }
    case .roundRobin:
      let members = subscriptions.keys.sorted()
      let subscribed = subscriptions.mapValues(Set.init)
      let all = partitions.keys.sorted().flatMap { topic in
        (partitions[topic] ?? []).sorted().map { TopicPartition(topic, $0) }
      }
      var next = 0
      for partition in all {
        for step in 0..<members.count {
          let member = members[(next + step) % members.count]
          if subscribed[member]?.contains(partition.topic) == true {
            result[member, default: []].append(partition)
            next = (next + step + 1) % members.count
            break
          }
        }
      }
    }
    return result.mapValues { $0.sorted() }
  }
}
