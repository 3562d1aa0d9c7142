/// One partition of one topic.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var topic: String
  public var partition: Int32

  public init(_ topic: String, _ partition: Int32) {
    self.topic = topic
    self.partition = partition
  }

  public init(topic: String, partition: Int32) {
    self.init(topic, partition)
  }

  public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
    (a.topic, a.partition) < (b.topic, b.partition)
  }

  /// "topic/partition", as errors and logs print it.
  public var description: String { "\(topic)/\(partition)" }
}
