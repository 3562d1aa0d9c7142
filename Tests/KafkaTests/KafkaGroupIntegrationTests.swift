import Foundation
import Synchronization
import Testing

@testable import Kafka

/// A group member running on its own thread (JoinGroup blocks until every member rejoins,
/// so two members cannot be driven from one thread).
final class GroupMemberThread: Sendable {
  struct State {
    var assignment: [TopicPartition] = []
    var revocations = 0
    var messages = 0
    var stop = false
    var finished = false
    var error: String?
  }

  let state = Mutex(State())

  init(configuration: KafkaConsumerConfiguration) {
    let thread = Thread { [self] in run(configuration) }
    thread.start()
  }

  private func run(_ configuration: KafkaConsumerConfiguration) {
    do {
      let consumer = try KafkaConsumer(configuration: configuration)
      consumer.onRevoked = { [self] _, _ in state.withLock { $0.revocations += 1 } }
      while !state.withLock({ $0.stop }) {
        let count = try consumer.poll(timeout: .milliseconds(200)).count
        let assignment = consumer.assignment
        state.withLock {
          $0.assignment = assignment
          $0.messages += count
        }
      }
      try consumer.close()
    } catch {
      state.withLock { $0.error = "\(error)" }
    }
    state.withLock { $0.finished = true }
  }

  var assignment: [TopicPartition] { state.withLock { $0.assignment } }

  func stop() { state.withLock { $0.stop = true } }

  /// Waits until `condition` holds (true) or `limit` passes (false).
  static func wait(_ limit: Duration = .seconds(20), until condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
  }
}

extension KafkaConsumerIntegrationTests {
  @Test func committedOffsetsRoundTripAndAGroupResumesFromThem() throws {
    let topic = KafkaTestBroker.uniqueName("commit")
    let group = KafkaTestBroker.uniqueName("group")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 30))
    let partitions = (0..<Int32(3)).map { TopicPartition(topic, $0) }
    do {
      let consumer = try KafkaConsumer(configuration: configuration(group: group, topics: [topic]))
      #expect(try consumer.committedOffsets(partitions) == [:])
      checkMessages(try consume(consumer, count: 30), topic: topic, count: 30)
      #expect(consumer.assignment == partitions)
      try consumer.commit()
      #expect(try consumer.committedOffsets(partitions) == [partitions[0]: 10, partitions[1]: 10, partitions[2]: 10])
      try consumer.close()
    }
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 3, createTopic: false))
    let resumed = try KafkaConsumer(configuration: configuration(group: group, topics: [topic]))
    defer { try? resumed.close() }
    let messages = try consume(resumed, count: 3)
    #expect(messages.map(\.offset) == [10, 10, 10])
    #expect(Set(messages.map(\.partition)) == [0, 1, 2])
  }

  @Test func staticAssignmentSeeksAndCommitsWithoutJoining() throws {
    let topic = KafkaTestBroker.uniqueName("static")
    let group = KafkaTestBroker.uniqueName("group")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 30))
    let consumer = try KafkaConsumer(configuration: configuration(group: group, topics: []))
    defer { try? consumer.close() }
    let partition = TopicPartition(topic, 1)
    try consumer.assign([partition])
    try consumer.seek(partition, to: 7)
    let messages = try consume(consumer, count: 3)
    #expect(messages.map(\.offset) == [7, 8, 9])
    #expect(messages.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["value-22", "value-25", "value-28"])
    try consumer.commit(offsets: [partition: 10])
    #expect(try consumer.committedOffsets([partition]) == [partition: 10])
    #expect(throws: KafkaError.self) { try consumer.seek(TopicPartition(topic, 0), to: 0) }
  }

  @Test func twoMembersSplitThePartitionsAndTheSurvivorTakesAllAfterALeave() throws {
    let topic = KafkaTestBroker.uniqueName("split")
    let group = KafkaTestBroker.uniqueName("group")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 30))
    let settings = configuration(group: group, topics: [topic])
    let first = GroupMemberThread(configuration: settings)
    defer { first.stop() }
    #expect(GroupMemberThread.wait { first.assignment.count == 3 }, "the first member never got all partitions")
    // noida-db stalls when two members join within ~0.3 s: start the second once the first is in.
    let second = GroupMemberThread(configuration: settings)
    defer { second.stop() }
    let split = GroupMemberThread.wait {
      let (a, b) = (first.assignment, second.assignment)
      return !a.isEmpty && !b.isEmpty && Set(a).isDisjoint(with: b) && a.count + b.count == 3
    }
    #expect(split, "no split: \(first.assignment) / \(second.assignment)")
    #expect(first.state.withLock { $0.revocations } >= 1)
    second.stop()
    #expect(GroupMemberThread.wait { second.state.withLock { $0.finished } })
    #expect(second.state.withLock { $0.error } == nil)
    #expect(GroupMemberThread.wait { first.assignment.count == 3 }, "after the leave: \(first.assignment)")
    first.stop()
    #expect(GroupMemberThread.wait { first.state.withLock { $0.finished } })
    #expect(first.state.withLock { $0.error } == nil)
    #expect(first.state.withLock { $0.messages } + second.state.withLock { $0.messages } >= 30)
  }
}
