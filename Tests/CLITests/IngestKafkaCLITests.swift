import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `avocet ingest kafka` against noida-db (started here from `.venv-oracles`), messages produced
/// by confluent-kafka.
@Suite(.serialized) struct IngestKafkaCLITests {
  static var available: Bool {
    FileManager.default.fileExists(atPath: WriteCLITests.python)
      && FileManager.default.fileExists(atPath: WriteCLITests.root.appendingPathComponent("scripts/start-kafka-broker.sh").path)
  }

  /// A broker for one test: its address, and a stop that SIGKILLs it.
  static func startBroker() throws -> (brokers: String, stop: () -> Void) {
    // Output to a file, not a pipe: nothing waits for an end of file the broker could hold off.
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-broker-\(UUID().uuidString).out").path
    FileManager.default.createFile(atPath: outPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [WriteCLITests.root.appendingPathComponent("scripts/start-kafka-broker.sh").path]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    var brokers = ""
    var pid: Int32 = 0
    for word in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      if word.hasPrefix("AVOCET_TEST_KAFKA_BROKERS=") { brokers = String(word.dropFirst("AVOCET_TEST_KAFKA_BROKERS=".count)) }
      if word.hasPrefix("AVOCET_KAFKA_BROKER_PID=") { pid = Int32(word.dropFirst("AVOCET_KAFKA_BROKER_PID=".count)) ?? 0 }
    }
    try #require(!brokers.isEmpty && pid > 0, "the broker did not start: \(output)")
    return (brokers, { kill(pid, SIGKILL) })
  }

  /// Creates `topic` with `partitions` and produces `lines`, line i to partition i % partitions.
  static func produce(_ brokers: String, topic: String, partitions: Int, lines: [String], compression: String = "none") throws {
    let script = """
      import sys
      from confluent_kafka import Producer
      from confluent_kafka.admin import AdminClient, NewTopic
      brokers, topic, partitions, compression = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
      admin = AdminClient({'bootstrap.servers': brokers})
      for f in admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1,
              config={'retention.ms': '-1'})], operation_timeout=10).values():
          try:
              f.result()
          except Exception as e:
              if 'exist' not in str(e).lower():
                  raise
      p = Producer({'bootstrap.servers': brokers, 'compression.type': compression, 'linger.ms': 20})
      for i, line in enumerate(sys.stdin.read().split('\\n')):
          if line:
              p.produce(topic, value=line.encode(), partition=i % partitions)
              p.poll(0)
      sys.exit(1 if p.flush(30) else 0)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = ["-c", script, brokers, topic, String(partitions), compression]
    let input = Pipe()
    process.standardInput = input
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data(lines.joined(separator: "\n").utf8))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "producing to \(topic) failed")
  }

  static func osqueryLine(_ id: Int) -> String {
    let name = ["processes", "users", "listening_ports"][id % 3]
    switch id % 4 {
    case 0:
      return #"{"diffResults":{"added":[{"id":"\#(id)"}],"removed":[]},"name":"\#(name)","hostIdentifier":"h\#(id % 5)","unixTime":\#(1_700_000_000 + id),"epoch":0,"counter":\#(id),"numerics":false}"#
    case 1:
      return #"{"snapshot":[{"id":"\#(id)"}],"action":"snapshot","name":"\#(name)","hostIdentifier":"h\#(id % 5)","unixTime":\#(1_700_000_000 + id),"epoch":0,"counter":\#(id)}"#
    default:
      return #"{"name":"\#(name)","hostIdentifier":"h\#(id % 5)","unixTime":"\#(1_700_000_000 + id)","epoch":0,"counter":\#(id),"columns":{"id":"\#(id)","pid":"\#(id * 7)"},"action":"added"}"#
    }
  }

  static func ids(_ root: String) throws -> [Int] {
    var all: [Int] = []
    for name in ["processes", "users", "listening_ports"] {
      all += try IngestCLITests.values(root + "/" + name, "id").compactMap { Int($0) }
    }
    return all
  }

  /// Static assignment: noida-db never expires a group member killed with SIGKILL, so a
  /// restarted member would wait for an assignment; the positions come from the table either way.
  @Test(.enabled(if: available)) func osqueryTopicsIntoPerQueryTablesExactlyOnceAcrossSIGKILL() throws {
    let broker = try Self.startBroker()
    defer { broker.stop() }
    let dir = WriteCLITests.folder("ingest-kafka")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let total = 30_000
    var lines = (0..<total).map(Self.osqueryLine)
    lines.insert(#"{"name":"processes", "broken"#, at: 100)
    try Self.produce(broker.brokers, topic: "osquery", partitions: 3, lines: lines, compression: "lz4")
    let arguments = [
      "ingest", "kafka", "--brokers", broker.brokers, "--topic", "osquery", "--group", "lake", "--format", "osquery",
      "--table", dir + "/osquery", "--max-rows", "2000", "--until-caught-up", "--static-assignment",
    ]
    var generator = SystemRandomNumberGenerator()
    var kills = 0
    var finished = false
    for _ in 0..<12 where !finished {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLITests.binary)
      process.arguments = arguments
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      Thread.sleep(forTimeInterval: Double.random(in: 0.3...1.5, using: &generator))
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      let last = try CLITests.avocet(arguments)
      #expect(last.status == 0, "\(last.stderr)")
    }
    let ids = try Self.ids(dir + "/osquery")
    #expect(ids.count == total, "rows: \(ids.count), expected \(total) (after \(kills) kills)")
    #expect(Set(ids) == Set(0..<total))
    let letters = try IngestCLITests.values(dir + "/osquery_dead_letters", "raw")
    #expect(letters == [#""{""name"":""processes"", ""broken""#], "\(letters)")
    if let rows = try WriteCLITests.deltaRSRowCount(dir + "/osquery/users") { #expect(rows == total / 3) }
  }

  @Test(.enabled(if: available)) func aGroupMemberIngestsUntilCaughtUpAndResumesFromTheTable() throws {
    let broker = try Self.startBroker()
    defer { broker.stop() }
    let dir = WriteCLITests.folder("ingest-kafka-group")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.produce(broker.brokers, topic: "results", partitions: 3, lines: (0..<300).map(Self.osqueryLine), compression: "gzip")
    let arguments = [
      "ingest", "kafka", "--brokers", broker.brokers, "--topic", "results", "--group", "lake", "--format", "osquery",
      "--table", dir + "/osquery", "--until-caught-up",
    ]
    let first = try CLITests.avocet(arguments)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("wrote 300"), "\(first.stdout)")
    try Self.produce(broker.brokers, topic: "results", partitions: 3, lines: (300..<330).map(Self.osqueryLine))
    let second = try CLITests.avocet(arguments)
    #expect(second.stdout.contains("wrote 30,"), "\(second.stdout)")
    #expect(Set(try Self.ids(dir + "/osquery")) == Set(0..<330))
    #expect(try Self.ids(dir + "/osquery").count == 330)
  }

  @Test(.enabled(if: available)) func anUnreachableBrokerIsAClearError() throws {
    let dir = WriteCLITests.folder("ingest-kafka-down")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try CLITests.avocet([
      "ingest", "kafka", "--brokers", "127.0.0.1:9", "--topic", "t", "--group", "g", "--format", "jsonl", "--table", dir + "/t",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot connect to 127.0.0.1:9"), "\(result.stderr)")
  }
}
