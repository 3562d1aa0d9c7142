import NIOCore
import Synchronization

/// What the heartbeat timer learns on the event loop, read by the consumer's thread.
final class GroupSignals: Sendable {
  struct State {
    var rejoinNeeded = false
    var resetMemberID = false
    var coordinatorLost = false
    var lastError: KafkaError?
  }

  let state = Mutex(State())

  func record(heartbeatError code: Int16) -> Bool {
    state.withLock { state in
      switch code {
      case KafkaErrorCode.none:
        return false
      case KafkaErrorCode.unknownMemberID:
        state.resetMemberID = true
      case KafkaErrorCode.notCoordinator, KafkaErrorCode.coordinatorNotAvailable:
        state.coordinatorLost = true
      default:
        break
      }
      state.rejoinNeeded = true
      state.lastError = KafkaError.broker(code, "Heartbeat")
      return true
    }
  }

  func record(failure: any Error) {
    state.withLock { state in
      state.rejoinNeeded = true
      state.coordinatorLost = true
      state.lastError = failure as? KafkaError ?? KafkaError("heartbeat failed: \(failure)", code: .connection)
    }
  }

  func take() -> State {
    state.withLock { state in
      defer { state = State() }
      return state
    }
  }

  var rejoinNeeded: Bool { state.withLock { $0.rejoinNeeded } }
}

/// This consumer's membership of a consumer group: finding the coordinator, joining and
/// syncing (computing the assignment when it is the leader), heartbeats on a timer, leaving,
/// and the group's committed offsets. Used from the consumer's thread; only the heartbeat
/// timer runs on the event loop, and it reports through `signals`.
final class GroupMembership {
  let groupID: String
  let cluster: KafkaCluster
  let sessionTimeout: Duration
  let rebalanceTimeout: Duration
  let heartbeatInterval: Duration
  let assignors: [PartitionAssignor]
  let signals = GroupSignals()

  private(set) var memberID = ""
  private(set) var generationID: Int32 = -1
  private(set) var isLeader = false
  private var coordinator: BrokerConnection?
  private var heartbeat: RepeatedTask?

  init(
    groupID: String, cluster: KafkaCluster, sessionTimeout: Duration, rebalanceTimeout: Duration,
    heartbeatInterval: Duration, assignors: [PartitionAssignor]
  ) {
    self.groupID = groupID
    self.cluster = cluster
    self.sessionTimeout = sessionTimeout
    self.rebalanceTimeout = rebalanceTimeout
    self.heartbeatInterval = heartbeatInterval
    self.assignors = assignors.isEmpty ? [.range] : assignors
  }

  var isMember: Bool { generationID >= 0 && !memberID.isEmpty }
  var rejoinNeeded: Bool { signals.rejoinNeeded }
  private var requestTimeout: TimeAmount { cluster.settings.requestTimeout }

  /// The coordinator's connection (its own, not shared with fetches), found on first use.
  func coordinatorConnection() throws -> BrokerConnection {
    if let coordinator, coordinator.isActive { return coordinator }
    coordinator = nil
    var attempt = 0
    while true {
      let response = try cluster.requestAny(FindCoordinatorRequest(groupID: groupID))
      switch response.errorCode {
      case KafkaErrorCode.none:
        let connection = try cluster.connect(
          to: BrokerAddress(host: response.host, port: Int(response.port)), nodeID: response.nodeID)
        coordinator = connection
        return connection
      case KafkaErrorCode.coordinatorNotAvailable,
        KafkaErrorCode.coordinatorLoadInProgress where attempt < 50:
        attempt += 1
        pauseThread(.milliseconds(100))
      default:
        throw KafkaError.broker(response.errorCode, "FindCoordinator for group '\(groupID)'")
      }
    }
  }

  private func forgetCoordinator() {
    coordinator?.close()
    coordinator = nil
  }

  /// Joins (or rejoins) the group and syncs; returns this member's partitions.
  func join(topics: [String]) throws -> [TopicPartition] {
    stopHeartbeat()
    let learned = signals.take()
    if learned.resetMemberID { memberID = "" }
    if learned.coordinatorLost { forgetCoordinator() }
    generationID = -1
    let clock = ContinuousClock()
    let deadline = clock.now + rebalanceTimeout + sessionTimeout
    let subscription = ConsumerProtocol.encodeSubscription(topics: topics)
    let joinTimeout = rebalanceTimeout.timeAmount + requestTimeout
    var lastError: KafkaError?
    while clock.now < deadline {
      let connection: BrokerConnection
      let joined: JoinGroupRequest.Response
      do {
        connection = try coordinatorConnection()
        joined = try connection.request(
          JoinGroupRequest(
            groupID: groupID, sessionTimeoutMs: sessionTimeout.int32Milliseconds,
            rebalanceTimeoutMs: rebalanceTimeout.int32Milliseconds, memberID: memberID,
            protocolType: ConsumerProtocol.protocolType,
            protocols: assignors.map { ($0.rawValue, subscription) }),
          timeout: joinTimeout)
      } catch let error as KafkaError where error.code == .connection {
        lastError = error
        forgetCoordinator()
        pauseThread(.milliseconds(200))
        continue
      }
      switch joined.errorCode {
      case KafkaErrorCode.none:
        break
      case KafkaErrorCode.memberIDRequired:
        memberID = joined.memberID
        continue
      case KafkaErrorCode.unknownMemberID, KafkaErrorCode.illegalGeneration:
        memberID = ""
        continue
      case KafkaErrorCode.notCoordinator, KafkaErrorCode.coordinatorNotAvailable,
        KafkaErrorCode.coordinatorLoadInProgress, KafkaErrorCode.rebalanceInProgress:
        lastError = KafkaError.broker(joined.errorCode, "JoinGroup for group '\(groupID)'")
        if joined.errorCode != KafkaErrorCode.rebalanceInProgress { forgetCoordinator() }
        pauseThread(.milliseconds(200))
        continue
      default:
        throw KafkaError.broker(joined.errorCode, "JoinGroup for group '\(groupID)'")
      }
      memberID = joined.memberID
      isLeader = joined.leader == joined.memberID
      var assignments: [(memberID: String, assignment: [UInt8])] = []
      if isLeader {
        assignments = try assign(members: joined.members, protocolName: joined.protocolName)
      }
      let synced: SyncGroupRequest.Response
      do {
        synced = try connection.request(
          SyncGroupRequest(
            groupID: groupID, generationID: joined.generationID, memberID: memberID,
            protocolType: ConsumerProtocol.protocolType, protocolName: joined.protocolName, assignments: assignments),
          timeout: joinTimeout)
      } catch let error as KafkaError where error.code == .connection {
        lastError = error
        forgetCoordinator()
        continue
      }
      switch synced.errorCode {
      case KafkaErrorCode.none:
        generationID = joined.generationID
        let partitions = try ConsumerProtocol.decodeAssignment(synced.assignment)
        startHeartbeat(on: connection)
        return partitions
      case KafkaErrorCode.rebalanceInProgress:
        continue
      case KafkaErrorCode.unknownMemberID, KafkaErrorCode.illegalGeneration:
        memberID = ""
        continue
      case KafkaErrorCode.notCoordinator, KafkaErrorCode.coordinatorNotAvailable:
        forgetCoordinator()
        continue
      default:
        throw KafkaError.broker(synced.errorCode, "SyncGroup for group '\(groupID)'")
      }
    }
    throw KafkaError(
      "could not join group '\(groupID)' within \(rebalanceTimeout + sessionTimeout)"
        + (lastError.map { ": \($0.message)" } ?? ""), code: .timeout, underlying: lastError)
  }

  /// The leader's work: decode every member's subscription, look up the partitions of all
  /// subscribed topics, and compute the assignment.
  private func assign(members: [JoinGroupRequest.Member], protocolName: String?) throws -> [(
    memberID: String, assignment: [UInt8]
  )] {
    var subscriptions: [String: [String]] = [:]
    for member in members {
      subscriptions[member.memberID] = try ConsumerProtocol.decodeSubscription(member.metadata, member: member.memberID)
    }
    let topics = Set(subscriptions.values.joined()).sorted()
    try cluster.refreshMetadata(topics: topics)
    var partitions: [String: [Int32]] = [:]
    for topic in topics { partitions[topic] = cluster.partitions[topic] ?? [] }
    let assignor = protocolName.flatMap(PartitionAssignor.init(rawValue:)) ?? .range
    let plan = assignor.assign(subscriptions: subscriptions, partitions: partitions)
    return plan.keys.sorted().map { ($0, ConsumerProtocol.encodeAssignment(plan[$0] ?? [])) }
  }

  private func startHeartbeat(on connection: BrokerConnection) {
    let request = HeartbeatRequest(groupID: groupID, generationID: generationID, memberID: memberID)
    let signals = self.signals
    let timeout = requestTimeout
    let interval = heartbeatInterval.timeAmount
    heartbeat = connection.channel.eventLoop.scheduleRepeatedAsyncTask(initialDelay: interval, delay: interval) {
      task in
      connection.send(request, timeout: timeout).map { response in
        if signals.record(heartbeatError: response.errorCode) { task.cancel() }
      }.recover { error in
        signals.record(failure: error)
        task.cancel()
      }
    }
  }

  func stopHeartbeat() {
    heartbeat?.cancel()
    heartbeat = nil
  }

  /// Leaves the group (LeaveGroup), so the others rebalance at once.
  func leave() throws {
    stopHeartbeat()
    defer {
      memberID = ""
      generationID = -1
      forgetCoordinator()
    }
    guard !memberID.isEmpty, let coordinator, coordinator.isActive else { return }
    let response = try coordinator.request(
      LeaveGroupRequest(groupID: groupID, memberID: memberID), timeout: requestTimeout)
    let code = response.errorCode != 0 ? response.errorCode : (response.memberErrors.first { $0 != 0 } ?? 0)
    guard code == KafkaErrorCode.none || code == KafkaErrorCode.unknownMemberID else {
      throw KafkaError.broker(code, "LeaveGroup for group '\(groupID)'")
    }
  }

  /// Commits offsets (each the next offset to read). `asMember` commits under the current
  /// generation; otherwise as a standalone consumer (generation -1).
  func commit(_ offsets: [TopicPartition: Int64], asMember: Bool) throws {
    guard !offsets.isEmpty else { return }
    let byTopic = Dictionary(grouping: offsets.keys, by: \.topic)
    let request = OffsetCommitRequest(
      groupID: groupID, generationID: asMember ? generationID : -1, memberID: asMember ? memberID : "",
      topics: byTopic.keys.sorted().map { topic in
        (topic, (byTopic[topic] ?? []).sorted().map { ($0.partition, offsets[$0] ?? 0) })
      })
    for attempt in 0..<3 {
      let response = try coordinatorConnection().request(request, timeout: requestTimeout)
      let failures = response.errors.filter { $0.value != KafkaErrorCode.none }
      guard let (partition, code) = failures.min(by: { $0.key < $1.key }) else { return }
      switch code {
      case KafkaErrorCode.notCoordinator, KafkaErrorCode.coordinatorNotAvailable,
        KafkaErrorCode.coordinatorLoadInProgress where attempt < 2:
        forgetCoordinator()
        pauseThread(.milliseconds(100))
      case KafkaErrorCode.rebalanceInProgress, KafkaErrorCode.illegalGeneration, KafkaErrorCode.unknownMemberID:
        _ = signals.record(heartbeatError: code)
        throw KafkaError(
          "OffsetCommit for group '\(groupID)' failed: the group is rebalancing (\(KafkaErrorCode.describe(code))); "
            + "the partitions will be reassigned at the next poll", code: .rebalance, brokerErrorCode: code)
      default:
        throw KafkaError.broker(code, "OffsetCommit for \(partition) in group '\(groupID)'")
      }
    }
  }

  /// The group's committed offsets for `partitions`; partitions without one are left out.
  func committedOffsets(_ partitions: [TopicPartition]) throws -> [TopicPartition: Int64] {
    guard !partitions.isEmpty else { return [:] }
    let byTopic = Dictionary(grouping: partitions, by: \.topic)
    let request = OffsetFetchRequest(
      groupID: groupID,
      topics: byTopic.keys.sorted().map { topic in (topic, (byTopic[topic] ?? []).map(\.partition).sorted()) })
    for attempt in 0..<20 {
      let response = try coordinatorConnection().request(request, timeout: requestTimeout)
      var retry = false
      var result: [TopicPartition: Int64] = [:]
      var codes = [response.errorCode]
      for (topic, list) in response.topics {
        for entry in list {
          codes.append(entry.errorCode)
          if entry.errorCode == KafkaErrorCode.none, entry.offset >= 0 {
            result[TopicPartition(topic, entry.partition)] = entry.offset
          }
        }
      }
      for code in codes where code != KafkaErrorCode.none {
        switch code {
        case KafkaErrorCode.notCoordinator, KafkaErrorCode.coordinatorNotAvailable:
          forgetCoordinator()
          retry = true
        case KafkaErrorCode.coordinatorLoadInProgress, KafkaErrorCode.unstableOffsetCommit:
          retry = true
        case KafkaErrorCode.unknownTopicOrPartition:
          continue
        default:
          throw KafkaError.broker(code, "OffsetFetch for group '\(groupID)'")
        }
      }
      if !retry { return result }
      if attempt < 19 { pauseThread(.milliseconds(100)) }
    }
    throw KafkaError("OffsetFetch for group '\(groupID)' kept failing with retriable errors", code: .timeout)
  }

  /// Stops the timer and closes the coordinator connection without telling the broker.
  func shutdown() {
    stopHeartbeat()
    forgetCoordinator()
  }
}
