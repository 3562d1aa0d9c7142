import Foundation
import Synchronization
import Testing

@testable import Kafka

/// Against a real Kafka-protocol broker (noida-db), with messages produced by confluent-kafka.
/// Uses `AVOCET_TEST_KAFKA_BROKERS` when set; otherwise starts noida-db from `.venv-oracles`
/// for this test process (and SIGKILLs it at exit).
@Suite(
  .serialized, .enabled(if: KafkaTestBroker.isAvailable, "needs AVOCET_TEST_KAFKA_BROKERS or noida-db in .venv-oracles")
)
struct KafkaConsumerIntegrationTests {
  let brokers: String

  init() throws {
    brokers = try KafkaTestBroker.brokers.get()
  }

  func configuration(group: String? = nil, topics: [String]) -> KafkaConsumerConfiguration {
    var configuration = KafkaConsumerConfiguration(brokers: brokers, groupID: group, topics: topics)
    configuration.requestTimeout = .seconds(10)
    configuration.fetchMaxWait = .milliseconds(100)
    configuration.sessionTimeout = .seconds(6)
    configuration.heartbeatInterval = .milliseconds(300)
    configuration.rebalanceTimeout = .seconds(10)
    return configuration
  }

  /// Polls until `count` messages arrived or `limit` passed.
  func consume(_ consumer: KafkaConsumer, count: Int, limit: Duration = .seconds(15)) throws -> [KafkaMessage] {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    var messages: [KafkaMessage] = []
    while messages.count < count && clock.now < deadline {
      messages += try consumer.poll(timeout: .milliseconds(500))
    }
    return messages
  }

  func checkMessages(_ messages: [KafkaMessage], topic: String, count: Int, partitions: Int32 = 3, padding: Int = 0) {
    #expect(messages.count == count)
    let byIndex = Dictionary(grouping: messages) {
      Int(String(decoding: $0.key ?? [], as: UTF8.self).dropFirst(4)) ?? -1
    }
    for i in 0..<count {
      guard let message = byIndex[i]?.first else {
        Issue.record("message \(i) missing")
        continue
      }
      #expect(byIndex[i]?.count == 1)
      #expect(message.topic == topic)
      #expect(message.partition == Int32(i) % partitions)
      #expect(message.offset == Int64(i / Int(partitions)))
      #expect(message.value.map(Array.init) == Array(("value-\(i)" + String(repeating: "x", count: padding)).utf8))
      #expect(message.headers == [KafkaHeader(key: "index", value: Array("\(i)".utf8))])
      #expect(message.timestamp > 1_600_000_000_000)
    }
  }

  @Test func consumesEveryMessageOfAThreePartitionTopic() throws {
    let topic = KafkaTestBroker.uniqueName("three")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 30))
    let consumer = try KafkaConsumer(configuration: configuration(topics: [topic]))
    defer { try? consumer.close() }
    var assigned: [TopicPartition] = []
    consumer.onAssigned = { _, partitions in assigned = partitions }
    let messages = try consume(consumer, count: 30)
    #expect(assigned == (0..<3).map { TopicPartition(topic, $0) })
    checkMessages(messages, topic: topic, count: 30)
    // Messages of a partition arrive in offset order.
    for partition in 0..<Int32(3) {
      let offsets = messages.filter { $0.partition == partition }.map(\.offset)
      #expect(offsets == offsets.sorted())
      #expect(consumer.position(TopicPartition(topic, partition)) == 10)
    }
  }

  @Test(arguments: ["gzip", "snappy", "lz4", "zstd"])
  func decodesCompressedBatches(codec: String) throws {
    let topic = KafkaTestBroker.uniqueName("codec-\(codec)")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 600, compression: codec, padding: 300))
    let consumer = try KafkaConsumer(configuration: configuration(topics: [topic]))
    defer { try? consumer.close() }
    checkMessages(try consume(consumer, count: 600), topic: topic, count: 600, padding: 300)
  }

  @Test func listsOffsetsAndHighWatermarks() throws {
    let topic = KafkaTestBroker.uniqueName("offsets")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 31))
    let consumer = try KafkaConsumer(configuration: configuration(topics: [topic]))
    defer { try? consumer.close() }
    let partitions = try consumer.partitions(of: topic)
    #expect(partitions.count == 3)
    #expect(try consumer.earliestOffsets(partitions) == [partitions[0]: 0, partitions[1]: 0, partitions[2]: 0])
    #expect(try consumer.highWatermarks(partitions) == [partitions[0]: 11, partitions[1]: 10, partitions[2]: 10])
  }

  @Test func startsAtTheLatestOffsetWhenNotFromBeginning() throws {
    let topic = KafkaTestBroker.uniqueName("latest")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 9))
    var settings = configuration(topics: [topic])
    settings.fromBeginning = false
    let consumer = try KafkaConsumer(configuration: settings)
    defer { try? consumer.close() }
    #expect(try consumer.poll(timeout: .milliseconds(300)).isEmpty)
    for partition in try consumer.partitions(of: topic) { #expect(consumer.position(partition) == 3) }
  }

  @Test func unreachableBrokerIsAClearError() {
    var settings = configuration(topics: ["x"])
    settings.brokers = "127.0.0.1:9"
    #expect {
      _ = try KafkaConsumer(configuration: settings)
    } throws: { error in
      "\(error)" == "cannot connect to 127.0.0.1:9 (connection refused)" && (error as? KafkaError)?.code == .connection
    }
  }

  @Test func unknownTopicIsAClearError() {
    let topic = KafkaTestBroker.uniqueName("missing")
    #expect {
      _ = try KafkaConsumer(configuration: configuration(topics: [topic]))
    } throws: { error in
      "\(error)" == "topic '\(topic)' does not exist" && (error as? KafkaError)?.code == .unknownTopic
    }
  }
}
