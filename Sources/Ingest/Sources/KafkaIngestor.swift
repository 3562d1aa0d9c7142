public import Kafka

/// Reads Kafka topics into a pipeline as a member of a consumer group, exactly once.
///
/// Each partition is a stream `<group>-<topic>-<partition>` whose version is the offset of the
/// last message committed, as kafka-delta-ingest writes them. When partitions are assigned, the
/// consumer seeks each to the offset after the one in the table (not Kafka's committed offset);
/// before they are revoked, what is buffered is flushed. After each flush the offsets are also
/// committed to the group coordinator, so lag tools see progress.
public final class KafkaIngestor {
  public let pipeline: IngestPipeline
  public let consumer: KafkaConsumer
  private let group: String
  private let makeDecoder: () -> any RecordDecoder
  private var decoders: [TopicPartition: any RecordDecoder] = [:]
  /// The last offset buffered per partition since the last flush.
  private var buffered: [TopicPartition: Int64] = [:]
  /// High watermarks to reach with `untilCaughtUp`, per partition, taken when first assigned.
  private var targets: [TopicPartition: Int64] = [:]
  private var streamIDs: [TopicPartition: String] = [:]
  /// Told of assignments, revocations and connection trouble, one line each (for a log).
  public var onEvent: ((String) -> Void)?

  /// With `staticAssignment`, the consumer reads every partition of the topics without joining
  /// the group (one consumer per topic, no coordinator needed); the group id still names the
  /// positions in the table and receives the offset commits.
  public init(
    configuration: KafkaConsumerConfiguration, staticAssignment: Bool = false, pipeline: IngestPipeline,
    makeDecoder: @escaping () -> any RecordDecoder
  ) throws {
    self.pipeline = pipeline
    self.makeDecoder = makeDecoder
    group = configuration.groupID ?? "avocet"
    consumer = try KafkaConsumer(configuration: configuration)
    if staticAssignment {
      var partitions: [TopicPartition] = []
      for topic in configuration.topics { partitions += try consumer.partitions(of: topic) }
      try consumer.assign(partitions)
      for partition in partitions {
        if let done = pipeline.committedOffset(stream: streamID(partition)) { try consumer.seek(partition, to: done + 1) }
      }
    }
    consumer.onRevoked = { [unowned self] _, partitions in
      try self.flush()
      for partition in partitions { self.decoders[partition] = nil }
      self.onEvent?("revoked \(Self.list(partitions)) after committing what was buffered")
    }
    consumer.onAssigned = { [unowned self] consumer, partitions in
      // Another member may have committed these partitions since this process started.
      try self.pipeline.reloadPositions()
      var starts: [String] = []
      for partition in partitions {
        if let done = self.pipeline.committedOffset(stream: self.streamID(partition)) {
          try consumer.seek(partition, to: done + 1)
          starts.append("\(partition) at \(done + 1)")
        }
      }
      self.onEvent?(
        "assigned \(Self.list(partitions))"
          + (starts.isEmpty ? "" : "; resuming from the table: " + starts.joined(separator: ", ")))
    }
    consumer.onConnectionTrouble = { [unowned self] error in self.onEvent?("\(error.message); retrying") }
  }

  static func list(_ partitions: [TopicPartition]) -> String {
    partitions.isEmpty ? "no partitions" : partitions.map(\.description).joined(separator: ", ")
  }

  public func streamID(_ partition: TopicPartition) -> String {
    if let known = streamIDs[partition] { return known }
    let id = "\(group)-\(partition.topic)-\(partition.partition)"
    streamIDs[partition] = id
    return id
  }

  /// Consumes until `shouldStop`, or with `untilCaughtUp` until every assigned partition reached
  /// the high watermark it had when first assigned; then flushes and leaves the group.
  public func run(
    untilCaughtUp: Bool = false, shouldStop: () -> Bool = { false }, progress: (IngestStatistics) -> Void = { _ in }
  ) throws {
    defer { try? consumer.close() }
    while !shouldStop() {
      let messages = try consumer.poll(timeout: .milliseconds(200))
      for message in messages {
        try hand(message)
        if pipeline.isFlushDue { try flush() }
      }
      if pipeline.isFlushDue { try flush() }
      progress(pipeline.statistics)
      if untilCaughtUp, try caughtUp() { break }
    }
    try flush()
    progress(pipeline.statistics)
  }

  private func hand(_ message: KafkaMessage) throws {
    let partition = message.topicPartition
    let stream = streamID(partition)
    buffered[partition] = message.offset
    guard let value = message.value, !value.isEmpty else {
      pipeline.advance(stream: stream, to: message.offset)
      return
    }
    // Out of the dictionary while in use, so that its caches are not copied on write.
    var decoder = decoders.removeValue(forKey: partition) ?? makeDecoder()
    defer { decoders[partition] = decoder }
    if decoder.framing == .document {
      try value.withUnsafeBufferPointer { bytes in
        try pipeline.add(bytes, stream: stream, end: message.offset, decoder: &decoder)
      }
      return
    }
    // One log line per message is the rule (osquery's Kafka logger); a message of several
    // lines is taken line by line, all at the message's offset.
    try value.withUnsafeBufferPointer { bytes in
      try LineCutter.forEachLine(in: bytes, final: true) { line, _ in
        if !line.isEmpty { try pipeline.add(line, stream: stream, end: message.offset, decoder: &decoder) }
      }
    }
    pipeline.advance(stream: stream, to: message.offset)
  }

  /// Commits what is buffered, then tells the group coordinator the offsets reached.
  private func flush() throws {
    let offsets = buffered
    try pipeline.flush()
    buffered = [:]
    guard !offsets.isEmpty else { return }
    // Best effort: the table holds the positions that count; a rebalance may refuse this commit.
    try? consumer.commit(offsets: offsets.mapValues { $0 + 1 })
  }

  private func caughtUp() throws -> Bool {
    let assigned = consumer.assignment
    guard !assigned.isEmpty else { return false }
    let missing = assigned.filter { targets[$0] == nil }
    if !missing.isEmpty {
      for (partition, mark) in try consumer.highWatermarks(missing) { targets[partition] = mark }
    }
    for partition in assigned {
      guard let target = targets[partition] else { return false }
      let committed = pipeline.committedOffset(stream: streamID(partition)).map { $0 + 1 } ?? 0
      let position = max(consumer.position(partition) ?? 0, committed)
      if position < target { return false }
    }
    return true
  }
}
