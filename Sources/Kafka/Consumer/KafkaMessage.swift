/// One record consumed from a partition.
public struct KafkaMessage: Sendable {
  public var topic: String
  public var partition: Int32
  public var offset: Int64
  public var key: [UInt8]?
  /// The value's bytes: a slice of the fetch response (or of its decompressed batch), shared by
  /// the messages that came with it rather than copied out for each.
  public var value: ArraySlice<UInt8>?
  /// Milliseconds since the Unix epoch.
  public var timestamp: Int64
  public var timestampType: TimestampType
  public var headers: [KafkaHeader]

  public init(
    topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: ArraySlice<UInt8>?, timestamp: Int64,
    timestampType: TimestampType = .createTime, headers: [KafkaHeader] = []
  ) {
    self.topic = topic
    self.partition = partition
    self.offset = offset
    self.key = key
    self.value = value
    self.timestamp = timestamp
    self.timestampType = timestampType
    self.headers = headers
  }

  public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// Whether a timestamp was set by the producer or by the broker when it appended the record.
public enum TimestampType: Sendable, Hashable {
  case createTime
  case logAppendTime
}

/// A record header: a string key and an optional byte value.
public struct KafkaHeader: Sendable, Hashable {
  public var key: String
  public var value: [UInt8]?

  public init(key: String, value: [UInt8]?) {
    self.key = key
    self.value = value
  }
}
