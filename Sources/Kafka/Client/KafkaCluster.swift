import NIOCore

/// What the client knows of the cluster: its brokers, each partition's leader, and one
/// connection per broker. Used from a single thread (the consumer's caller).
final class KafkaCluster {
  struct Settings: Sendable {
    var bootstrap: [BrokerAddress]
    var clientID: String
    var connectTimeout: TimeAmount
    var requestTimeout: TimeAmount
    /// Lowers the highest version used per API key (tests exercise older versions with it).
    var versionCaps: [Int16: Int16] = [:]
    /// TLS on every connection (bootstrap, per broker, coordinator) when set.
    var tls: KafkaTLS? = nil
    /// SASL authentication on every connection when set.
    var sasl: KafkaSASL? = nil
  }

  let settings: Settings
  let eventLoop: any EventLoop
  private var connections: [Int32: BrokerConnection] = [:]
  private var bootstrapConnection: BrokerConnection?
  private(set) var brokers: [Int32: BrokerAddress] = [:]
  private(set) var leaders: [TopicPartition: Int32] = [:]
  /// Topic → its partition indexes, sorted.
  private(set) var partitions: [String: [Int32]] = [:]

  init(settings: Settings, eventLoop: any EventLoop) {
    self.settings = settings
    self.eventLoop = eventLoop
  }

  /// Opens a new connection (not cached): the group coordinator gets its own, so a long
  /// fetch never delays a heartbeat.
  func connect(to address: BrokerAddress, nodeID: Int32) throws -> BrokerConnection {
    try BrokerConnection.connect(
      to: address, nodeID: nodeID, eventLoop: eventLoop, clientID: settings.clientID,
      connectTimeout: settings.connectTimeout, requestTimeout: settings.requestTimeout,
      versionCaps: settings.versionCaps, tls: settings.tls, sasl: settings.sasl)
  }

  /// Any live connection, else one to the first bootstrap broker that answers.
  func anyConnection() throws -> BrokerConnection {
    if let live = connections.values.first(where: \.isActive) { return live }
    if let bootstrapConnection, bootstrapConnection.isActive { return bootstrapConnection }
    var failures: [KafkaError] = []
    for address in settings.bootstrap {
      do {
        let connection = try connect(to: address, nodeID: -1)
        bootstrapConnection = connection
        return connection
      } catch let error as KafkaError {
        failures.append(error)
      }
    }
    if failures.count == 1 { throw failures[0] }
    // A refusal of the credentials or settings is the answer, whatever the other brokers did.
    if let refusal = failures.first(where: { $0.code == .authentication || $0.code == .invalidArgument }) {
      throw refusal
    }
    throw KafkaError(
      "cannot connect to any broker: " + failures.map(\.message).joined(separator: "; "), code: .connection,
      underlying: failures.last)
  }

  /// The connection to broker `nodeID`, opened on first use and reopened if it dropped.
  func connection(toNode nodeID: Int32) throws -> BrokerConnection {
    if let existing = connections[nodeID], existing.isActive { return existing }
    guard let address = brokers[nodeID] else {
      throw KafkaError("broker \(nodeID) is not in the cluster metadata", code: .connection)
    }
    let connection = try connect(to: address, nodeID: nodeID)
    connections[nodeID] = connection
    return connection
  }

  /// Sends a request to any broker and waits.
  func requestAny<R: KafkaRequest>(_ request: R) throws -> R.Response {
    let connection = try anyConnection()
    return try connection.request(request, timeout: settings.requestTimeout)
  }

  /// Refreshes brokers and the leaders of `topics` (never auto-creating them). Throws
  /// `topic 'x' does not exist` for a missing topic.
  @discardableResult
  func refreshMetadata(topics: [String]) throws -> MetadataRequest.Response {
    let response = try requestAny(MetadataRequest(topics: topics, allowAutoTopicCreation: false))
    var brokers: [Int32: BrokerAddress] = [:]
    for broker in response.brokers {
      brokers[broker.nodeID] = BrokerAddress(host: broker.host, port: Int(broker.port))
    }
    self.brokers = brokers
    for (id, connection) in connections where brokers[id] != connection.address {
      connection.close()
      connections[id] = nil
    }
    var missing: [String] = []
    for topic in response.topics {
      switch topic.errorCode {
      case KafkaErrorCode.none:
        partitions[topic.name] = topic.partitions.map(\.index).sorted()
        for partition in topic.partitions {
          let tp = TopicPartition(topic.name, partition.index)
          leaders[tp] = partition.leader >= 0 ? partition.leader : nil
        }
      case KafkaErrorCode.unknownTopicOrPartition:
        missing.append(topic.name)
      case KafkaErrorCode.leaderNotAvailable:
        continue  // being created or electing; the next refresh will tell
      default:
        throw KafkaError.broker(topic.errorCode, "Metadata for topic '\(topic.name)'")
      }
    }
    let returned = Set(response.topics.map(\.name))
    missing += topics.filter { !returned.contains($0) }
    if let first = missing.first {
      throw KafkaError(
        missing.count == 1
          ? "topic '\(first)' does not exist"
          : "topics \(missing.map { "'\($0)'" }.joined(separator: ", ")) do not exist",
        code: .unknownTopic, brokerErrorCode: KafkaErrorCode.unknownTopicOrPartition)
    }
    return response
  }

  /// The leader of a partition, refreshing metadata once if it is unknown.
  func leader(of partition: TopicPartition) throws -> Int32 {
    if let leader = leaders[partition] { return leader }
    try refreshMetadata(topics: [partition.topic])
    guard let leader = leaders[partition] else {
      if let known = partitions[partition.topic], !known.contains(partition.partition) {
        throw KafkaError(
          "partition \(partition) does not exist (topic '\(partition.topic)' has \(known.count) partitions)",
          code: .unknownTopic)
      }
      throw KafkaError("partition \(partition) has no leader", code: .broker)
    }
    return leader
  }

  /// Forgets a partition's leader (after NOT_LEADER_OR_FOLLOWER), so the next use refreshes.
  func invalidateLeader(of partition: TopicPartition) {
    leaders[partition] = nil
  }

  /// Groups partitions by leader.
  func partitionsByLeader(_ partitions: [TopicPartition]) throws -> [Int32: [TopicPartition]] {
    var result: [Int32: [TopicPartition]] = [:]
    for partition in partitions { result[try leader(of: partition), default: []].append(partition) }
    return result
  }

  /// ListOffsets at `timestamp` (-1 latest, -2 earliest) for each partition, asking every
  /// leader concurrently.
  func listOffsets(_ partitions: [TopicPartition], timestamp: Int64, isolationLevel: Int8) throws -> [TopicPartition:
    Int64]
  {
    var futures: [EventLoopFuture<ListOffsetsRequest.Response>] = []
    for (leader, owned) in try partitionsByLeader(partitions) {
      let connection = try connection(toNode: leader)
      let byTopic = Dictionary(grouping: owned, by: \.topic)
      let request = ListOffsetsRequest(
        isolationLevel: isolationLevel,
        topics: byTopic.keys.sorted().map { topic in
          (topic, (byTopic[topic] ?? []).map { .init(partition: $0.partition, timestamp: timestamp) })
        })
      futures.append(connection.send(request, timeout: settings.requestTimeout))
    }
    var result: [TopicPartition: Int64] = [:]
    for future in futures {
      let response = try future.wait()
      for (topic, list) in response.topics {
        for entry in list {
          let tp = TopicPartition(topic, entry.partition)
          if entry.errorCode == KafkaErrorCode.notLeaderOrFollower { invalidateLeader(of: tp) }
          guard entry.errorCode == KafkaErrorCode.none else {
            throw KafkaError.broker(entry.errorCode, "ListOffsets for \(tp)")
          }
          result[tp] = entry.offset
        }
      }
    }
    return result
  }

  func close() {
    for connection in connections.values { connection.close() }
    bootstrapConnection?.close()
    connections = [:]
    bootstrapConnection = nil
  }

  /// After a connection failure: forgets every partition's leader (the next use refreshes
  /// metadata) and drops connections that closed, so they are opened again.
  func forgetLeadersAndDeadConnections() {
    leaders = [:]
    for (id, connection) in connections where !connection.isActive { connections[id] = nil }
    if let bootstrapConnection, !bootstrapConnection.isActive { self.bootstrapConnection = nil }
  }
}
