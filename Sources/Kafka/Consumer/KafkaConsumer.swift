import NIOCore
import NIOPosix

/// A Kafka consumer with a synchronous API, for a loop that polls, buffers, and commits.
///
/// ```swift
/// var configuration = KafkaConsumerConfiguration(brokers: "127.0.0.1:9092", groupID: "ingest", topics: ["logs"])
/// let consumer = try KafkaConsumer(configuration: configuration)
/// consumer.onAssigned = { consumer, partitions in
///   for partition in partitions { if let offset = table.offset(partition) { try consumer.seek(partition, to: offset) } }
/// }
/// consumer.onRevoked = { consumer, partitions in try flushAndCommit() }
/// while running {
///   let messages = try consumer.poll(timeout: .seconds(1))
///   ...
/// }
/// try consumer.close()
/// ```
///
/// Group membership (JoinGroup/SyncGroup, heartbeats on a timer) runs in the background on a
/// SwiftNIO event loop; rebalances take effect inside `poll`, which first calls `onRevoked`
/// with the partitions it is about to give up (so the caller can flush and commit), then
/// rejoins and calls `onAssigned` with the new ones (so it can `seek` them). Partitions the
/// callback does not seek start at the group's committed offset, else at the earliest or
/// latest offset (`fromBeginning`).
///
/// Not thread-safe: use one consumer from one thread at a time.
public final class KafkaConsumer {
  public let configuration: KafkaConsumerConfiguration
  /// Called from `poll` after the consumer gets partitions, before it fetches from them.
  public var onAssigned: ((KafkaConsumer, [TopicPartition]) throws -> Void)?
  /// Called from `poll` (and `close`) before the consumer gives partitions up.
  public var onRevoked: ((KafkaConsumer, [TopicPartition]) throws -> Void)?

  /// The partitions this consumer currently reads.
  public private(set) var assignment: [TopicPartition] = []

  private enum Mode {
    /// Joins the group at the first poll.
    case group
    /// Reads all partitions of the subscribed topics, assigned at the first poll.
    case allPartitions
    /// Reads what `assign` gave.
    case manual
  }

  private var mode: Mode
  private var assignmentPending: Bool
  private let cluster: KafkaCluster
  private let group: GroupMembership?
  /// The next offset to fetch, per assigned partition.
  private var positions: [TopicPartition: Int64] = [:]
  private var lastHighWatermarks: [TopicPartition: Int64] = [:]
  private var closed = false

  /// Validates the configuration, connects to a bootstrap broker and checks that the
  /// topics exist. Throws `cannot connect to host:port (connection refused)` or
  /// `topic 'x' does not exist`.
  public init(configuration: KafkaConsumerConfiguration) throws {
    self.configuration = configuration
    let bootstrap = try BrokerAddress.parseList(configuration.brokers)
    let settings = KafkaCluster.Settings(
      bootstrap: bootstrap, clientID: configuration.clientID, connectTimeout: configuration.connectTimeout.timeAmount,
      requestTimeout: configuration.requestTimeout.timeAmount, versionCaps: configuration.versionCaps,
      tls: configuration.tls, sasl: configuration.sasl)
    cluster = KafkaCluster(settings: settings, eventLoop: KafkaEventLoop.next())
    if let groupID = configuration.groupID {
      guard !groupID.isEmpty else { throw KafkaError("the group id is empty", code: .invalidArgument) }
      group = GroupMembership(
        groupID: groupID, cluster: cluster, sessionTimeout: configuration.sessionTimeout,
        rebalanceTimeout: configuration.rebalanceTimeout, heartbeatInterval: configuration.heartbeatInterval,
        assignors: configuration.assignors)
      mode = .group
    } else {
      group = nil
      mode = .allPartitions
    }
    assignmentPending = !configuration.topics.isEmpty
    do {
      if configuration.topics.isEmpty {
        _ = try cluster.anyConnection()
      } else {
        try cluster.refreshMetadata(topics: configuration.topics)
      }
    } catch {
      cluster.close()
      throw error
    }
  }

  deinit {
    if !closed {
      group?.shutdown()
      cluster.close()
    }
  }

  // MARK: Assignment

  /// Reads exactly these partitions, without group membership (static assignment). Offsets
  /// can still be committed when a group id is configured. Calls no callbacks.
  public func assign(_ partitions: [TopicPartition]) throws {
    try checkOpen()
    if mode == .group, group?.isMember == true { try group?.leave() }
    mode = .manual
    assignmentPending = false
    try cluster.refreshMetadata(topics: Array(Set(partitions.map(\.topic))).sorted())
    for partition in partitions { _ = try cluster.leader(of: partition) }
    let kept = Set(partitions)
    positions = positions.filter { kept.contains($0.key) }
    assignment = Array(kept).sorted()
  }

  /// The partitions of a topic.
  public func partitions(of topic: String) throws -> [TopicPartition] {
    try checkOpen()
    try cluster.refreshMetadata(topics: [topic])
    return (cluster.partitions[topic] ?? []).map { TopicPartition(topic, $0) }
  }

  // MARK: Positions

  /// Makes the next `poll` read `partition` from `offset` (the offset of the next message
  /// wanted). The partition must be assigned.
  public func seek(_ partition: TopicPartition, to offset: Int64) throws {
    guard assignment.contains(partition) else {
      throw KafkaError("cannot seek \(partition): it is not assigned to this consumer", code: .invalidArgument)
    }
    guard offset >= 0 else { throw KafkaError("cannot seek \(partition) to offset \(offset)", code: .invalidArgument) }
    positions[partition] = offset
  }

  /// The offset of the next message `poll` will return for `partition`, once known.
  public func position(_ partition: TopicPartition) -> Int64? { positions[partition] }

  // MARK: Polling

  /// Returns the next messages from the assigned partitions, waiting up to `timeout` for
  /// some. Rebalances (with their callbacks) happen here. Returns an empty array on timeout.
  ///
  /// Lost connections and timeouts (a broker restarting) are retried with backoff, for up to
  /// `reconnectTimeout` in a row; then the last such error is thrown. Each retried error is
  /// reported to `onConnectionTrouble`.
  public func poll(timeout: Duration) throws -> [KafkaMessage] {
    try checkOpen()
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
      do {
        let messages = try pollStep(until: deadline)
        troubleSince = nil
        if let messages { return messages }
      } catch let error as KafkaError where error.code == .connection || error.code == .timeout {
        try rideOut(error)
        if clock.now >= deadline { return [] }
      }
    }
  }

  /// One round of `poll`: the messages, or nil to go round again.
  private func pollStep(until deadline: ContinuousClock.Instant) throws -> [KafkaMessage]? {
    try updateAssignment()
    try resolvePositions()
    let remaining = deadline - .now
    let fetchable = assignment.filter { positions[$0] != nil }
    if fetchable.isEmpty {
      guard remaining > .zero else { return [] }
      pauseThread(min(remaining, .milliseconds(100)))
      return nil
    }
    let wait = max(.zero, min(remaining, configuration.fetchMaxWait))
    let messages = try fetch(fetchable, maxWait: wait)
    return !messages.isEmpty || ContinuousClock.now >= deadline ? messages : nil
  }

  /// Called with each connection failure or timeout that `poll` retries.
  public var onConnectionTrouble: ((KafkaError) -> Void)?
  /// When the current run of connection failures began, and how many it has had.
  private var troubleSince: ContinuousClock.Instant?
  private var troubleCount = 0

  /// Waits before the next attempt after `error`, forgetting leaders and dead connections so
  /// the next attempt starts from metadata; throws once the trouble has lasted too long.
  private func rideOut(_ error: KafkaError) throws {
    let now = ContinuousClock.now
    let since = troubleSince ?? now
    if troubleSince == nil { troubleCount = 0 }
    troubleSince = since
    troubleCount += 1
    let lasted = now - since
    guard lasted < configuration.reconnectTimeout else {
      throw KafkaError(
        "gave up after \(lasted.components.seconds) s of failures to reach the brokers: \(error.message)", code: error.code,
        underlying: error)
    }
    onConnectionTrouble?(error)
    cluster.forgetLeadersAndDeadConnections()
    // 250 ms, doubling, at most 2 s.
    pauseThread(.milliseconds(250 << min(troubleCount - 1, 3)))
  }

  /// Joins or rejoins the group, or assigns all partitions, as needed; runs the callbacks.
  private func updateAssignment() throws {
    switch mode {
    case .manual:
      return
    case .allPartitions:
      guard assignmentPending else { return }
      try cluster.refreshMetadata(topics: configuration.topics)
      let partitions = configuration.topics.flatMap { topic in
        (cluster.partitions[topic] ?? []).map { TopicPartition(topic, $0) }
      }
      assignment = partitions.sorted()
      assignmentPending = false
      try onAssigned?(self, assignment)
    case .group:
      guard let group, assignmentPending || !group.isMember || group.rejoinNeeded else { return }
      if !assignment.isEmpty {
        try onRevoked?(self, assignment)
        assignment = []
        positions = [:]
      }
      let partitions = try group.join(topics: configuration.topics)
      assignmentPending = false
      assignment = partitions
      try onAssigned?(self, partitions)
    }
  }

  /// Gives assigned partitions without a position one: the committed offset, else the
  /// earliest or latest.
  private func resolvePositions() throws {
    var missing = assignment.filter { positions[$0] == nil }
    guard !missing.isEmpty else { return }
    if let group {
      for (partition, offset) in try group.committedOffsets(missing) { positions[partition] = offset }
      missing = missing.filter { positions[$0] == nil }
      guard !missing.isEmpty else { return }
    }
    try reset(missing)
  }

  private func reset(_ partitions: [TopicPartition]) throws {
    let timestamp = configuration.fromBeginning ? ListOffsetsRequest.earliest : ListOffsetsRequest.latest
    for (partition, offset) in try cluster.listOffsets(
      partitions, timestamp: timestamp, isolationLevel: configuration.isolationLevel.rawValue)
    {
      positions[partition] = offset
    }
  }

  /// One fetch from every leader of `partitions`, concurrently; decodes the records.
  private func fetch(_ partitions: [TopicPartition], maxWait: Duration) throws -> [KafkaMessage] {
    var pending: [(BrokerConnection, EventLoopFuture<FetchRequest.Response>)] = []
    let timeout = configuration.requestTimeout.timeAmount + maxWait.timeAmount
    for (leader, owned) in try cluster.partitionsByLeader(partitions) {
      let connection = try cluster.connection(toNode: leader)
      let byTopic = Dictionary(grouping: owned, by: \.topic)
      let request = FetchRequest(
        maxWaitMs: maxWait.int32Milliseconds, minBytes: 1, maxBytes: Int32(clamping: configuration.fetchMaxBytes),
        isolationLevel: configuration.isolationLevel.rawValue,
        topics: byTopic.keys.sorted().map { topic in
          (
            topic,
            (byTopic[topic] ?? []).sorted().map {
              FetchRequest.PartitionQuery(
                partition: $0.partition, offset: positions[$0] ?? 0,
                maxBytes: Int32(clamping: configuration.partitionFetchMaxBytes))
            }
          )
        })
      pending.append((connection, connection.send(request, timeout: timeout)))
    }
    var messages: [KafkaMessage] = []
    var needsMetadata = false
    var outOfRange: [TopicPartition] = []
    for (connection, future) in pending {
      let response = try future.wait()
      guard response.errorCode == KafkaErrorCode.none else {
        throw KafkaError.broker(response.errorCode, "Fetch from broker \(connection.name)")
      }
      for topic in response.topics {
        for data in topic.partitions {
          let partition = TopicPartition(topic.name, data.partition)
          guard let position = positions[partition] else { continue }
          switch data.errorCode {
          case KafkaErrorCode.none:
            lastHighWatermarks[partition] = data.highWatermark
            let decoder = PartitionRecords(
              topic: topic.name, partition: data.partition,
              readCommitted: configuration.isolationLevel == .readCommitted,
              decompressionLimit: configuration.maximumDecompressedBatchBytes,
              verifyCRC: configuration.verifyChecksums)
            let next = try decoder.decode(
              response.bytes, range: data.records, fetchOffset: position,
              abortedTransactions: data.abortedTransactions, into: &messages)
            if let next {
              positions[partition] = max(position, next)
            } else if !data.records.isEmpty && data.records.count >= configuration.partitionFetchMaxBytes {
              throw KafkaError(
                "\(partition) offset \(position): a record batch is larger than partitionFetchMaxBytes "
                  + "(\(configuration.partitionFetchMaxBytes))", code: .corruptData)
            }
          case KafkaErrorCode.offsetOutOfRange:
            outOfRange.append(partition)
          case KafkaErrorCode.notLeaderOrFollower, KafkaErrorCode.leaderNotAvailable,
            KafkaErrorCode.unknownTopicOrPartition, KafkaErrorCode.fencedLeaderEpoch, KafkaErrorCode.unknownLeaderEpoch,
            56:  // KAFKA_STORAGE_ERROR
            cluster.invalidateLeader(of: partition)
            needsMetadata = true
          default:
            throw KafkaError.broker(data.errorCode, "Fetch of \(partition) at offset \(position)")
          }
        }
      }
    }
    if !outOfRange.isEmpty { try reset(outOfRange) }
    if needsMetadata {
      try cluster.refreshMetadata(topics: Array(Set(partitions.map(\.topic))).sorted())
    }
    return messages
  }

  // MARK: Offsets

  /// Commits offsets to the group (OffsetCommit), so lag tools see progress. Each offset is
  /// the next one to read: the last processed message's offset + 1.
  public func commit(offsets: [TopicPartition: Int64]) throws {
    try checkOpen()
    guard let group else { throw KafkaError("cannot commit offsets without a group id", code: .invalidArgument) }
    try group.commit(offsets, asMember: mode == .group && group.isMember)
  }

  /// Commits the current position of every assigned partition.
  public func commit() throws {
    try commit(offsets: positions.filter { assignment.contains($0.key) })
  }

  /// The group's committed offsets (OffsetFetch); partitions without one are left out.
  public func committedOffsets(_ partitions: [TopicPartition]) throws -> [TopicPartition: Int64] {
    try checkOpen()
    guard let group else {
      throw KafkaError("cannot read committed offsets without a group id", code: .invalidArgument)
    }
    return try group.committedOffsets(partitions)
  }

  /// The offset after the last message of each partition (ListOffsets latest; under
  /// read-committed isolation, the last stable offset). Defaults to the assignment. A
  /// consumer is caught up on a partition when its position reaches this.
  public func highWatermarks(_ partitions: [TopicPartition]? = nil) throws -> [TopicPartition: Int64] {
    try checkOpen()
    return try cluster.listOffsets(
      partitions ?? assignment, timestamp: ListOffsetsRequest.latest,
      isolationLevel: configuration.isolationLevel.rawValue)
  }

  /// The first available offset of each partition (ListOffsets earliest).
  public func earliestOffsets(_ partitions: [TopicPartition]? = nil) throws -> [TopicPartition: Int64] {
    try checkOpen()
    return try cluster.listOffsets(
      partitions ?? assignment, timestamp: ListOffsetsRequest.earliest,
      isolationLevel: configuration.isolationLevel.rawValue)
  }

  /// The offset of the first message at or after `timestamp` (milliseconds since the
  /// epoch) per partition; partitions with no such message get the latest offset.
  public func offsets(forTimestamp timestamp: Int64, _ partitions: [TopicPartition]? = nil) throws -> [TopicPartition:
    Int64]
  {
    try checkOpen()
    return try cluster.listOffsets(
      partitions ?? assignment, timestamp: timestamp, isolationLevel: configuration.isolationLevel.rawValue)
  }

  /// The high watermark each partition had in the most recent fetch response (no request).
  public var fetchedHighWatermarks: [TopicPartition: Int64] { lastHighWatermarks }

  // MARK: Closing

  /// Calls `onRevoked` for the assignment, leaves the group (LeaveGroup) so the others get
  /// its partitions at once, and closes the connections. Errors from the callback are
  /// rethrown after leaving.
  public func close() throws {
    guard !closed else { return }
    closed = true
    var callbackError: (any Error)?
    if !assignment.isEmpty, mode == .group {
      do { try onRevoked?(self, assignment) } catch { callbackError = error }
    }
    assignment = []
    positions = [:]
    defer { cluster.close() }
    if mode == .group, let group {
      do { try group.leave() } catch { callbackError = callbackError ?? error }
    } else {
      group?.shutdown()
    }
    if let callbackError { throw callbackError }
  }

  private func checkOpen() throws {
    if closed { throw KafkaError("the consumer is closed", code: .closed) }
  }
}
