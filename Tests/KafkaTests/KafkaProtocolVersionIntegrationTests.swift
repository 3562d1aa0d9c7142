import Foundation
import Testing

@testable import Kafka

extension KafkaConsumerIntegrationTests {
  /// noida-db 0.2.3 advertises Fetch 0–13, ListOffsets 0–8, Metadata 0–12, OffsetCommit 0–8,
  /// OffsetFetch 0–8, FindCoordinator 0–4, JoinGroup 0–7, Heartbeat 0–4, LeaveGroup 0–5,
  /// SyncGroup 0–5, ApiVersions 0–3; each API gets the highest version both sides support.
  @Test func negotiatesTheHighestCommonVersions() throws {
    let cluster = KafkaCluster(
      settings: .init(
        bootstrap: try BrokerAddress.parseList(brokers), clientID: "avocet-test", connectTimeout: .seconds(5),
        requestTimeout: .seconds(5)),
      eventLoop: KafkaEventLoop.next())
    defer { cluster.close() }
    let connection = try cluster.anyConnection()
    var chosen: [String: Int16] = [:]
    for api in APIKey.all { chosen[api.name] = try connection.versions.version(of: api, brokerName: connection.name) }
    #expect(
      chosen == [
        "ApiVersions": 3, "Metadata": 12, "ListOffsets": 7, "Fetch": 12, "FindCoordinator": 3, "JoinGroup": 7,
        "SyncGroup": 5, "Heartbeat": 4, "LeaveGroup": 4, "OffsetFetch": 7, "OffsetCommit": 8,
      ])
  }

  /// The same consume-commit-resume cycle with every API capped at the oldest version Avocet
  /// implements: the classic (non-flexible) encodings throughout.
  @Test func worksWithTheOldestImplementedVersions() throws {
    let topic = KafkaTestBroker.uniqueName("oldest")
    let group = KafkaTestBroker.uniqueName("group")
    try TestProducer.produce(.init(brokers: brokers, topic: topic, count: 30, compression: "lz4", padding: 10))
    var settings = configuration(group: group, topics: [topic])
    for api in APIKey.all where api != .apiVersions { settings.versionCaps[api.rawValue] = api.supported.lowerBound }
    let partitions = (0..<Int32(3)).map { TopicPartition(topic, $0) }
    do {
      let consumer = try KafkaConsumer(configuration: settings)
      checkMessages(try consume(consumer, count: 30), topic: topic, count: 30, padding: 10)
      #expect(try consumer.highWatermarks() == [partitions[0]: 10, partitions[1]: 10, partitions[2]: 10])
      try consumer.commit(offsets: [partitions[0]: 4, partitions[1]: 10, partitions[2]: 10])
      #expect(try consumer.committedOffsets(partitions) == [partitions[0]: 4, partitions[1]: 10, partitions[2]: 10])
      try consumer.close()
    }
    let resumed = try KafkaConsumer(configuration: settings)
    defer { try? resumed.close() }
    let messages = try consume(resumed, count: 6, limit: .seconds(5))
    #expect(messages.map(\.offset) == [4, 5, 6, 7, 8, 9])
  }

  @Test func aSilentBrokerTimesOut() throws {
    // A TCP server that accepts and never answers.
    let script = """
      import socket, sys, time
      s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
      print(s.getsockname()[1], flush=True)
      conns = []
      deadline = time.time() + 20
      s.settimeout(0.5)
      while time.time() < deadline:
          try:
              conns.append(s.accept()[0])
          except socket.timeout:
              pass
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: KafkaTestBroker.python)
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    defer { process.terminate() }
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    var settings = configuration(topics: ["x"])
    settings.brokers = "127.0.0.1:\(port)"
    settings.requestTimeout = .milliseconds(500)
    #expect {
      _ = try KafkaConsumer(configuration: settings)
    } throws: { error in
      "\(error)" == "ApiVersions request to broker 127.0.0.1:\(port) timed out after 0.5 s"
        && (error as? KafkaError)?.code == .timeout
    }
  }
}
