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
    let broker = try launchBroker()
    return (broker.brokers, { kill(broker.pid, SIGKILL) })
  }

  struct Broker {
    var brokers: String
    var pid: Int32
    var data: String
  }

  /// Starts noida-db: a new one, or with `restarting`, one with the address and data of a
  /// stopped one (its topics and committed offsets survive; group membership does not).
  static func launchBroker(restarting old: Broker? = nil) throws -> Broker {
    // Output to a file, not a pipe: nothing waits for an end of file the broker could hold off.
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-broker-\(UUID().uuidString).out").path
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [WriteCLITests.root.appendingPathComponent("scripts/start-kafka-broker.sh").path]
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = FileHandle.nullDevice
    if let old {
      var environment = ProcessInfo.processInfo.environment
      environment["AVOCET_KAFKA_PORT"] = String(old.brokers.split(separator: ":").last ?? "")
      environment["AVOCET_KAFKA_DATA"] = old.data
      process.environment = environment
    }
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    var broker = Broker(brokers: "", pid: 0, data: "")
    for word in output.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      let text = String(word)
      if let value = Self.value(text, "AVOCET_TEST_KAFKA_BROKERS=") { broker.brokers = value }
      if let value = Self.value(text, "AVOCET_KAFKA_BROKER_PID=") { broker.pid = Int32(value) ?? 0 }
      if let value = Self.value(text, "AVOCET_KAFKA_BROKER_DATA=") { broker.data = value }
    }
    try #require(!broker.brokers.isEmpty && broker.pid > 0, "the broker did not start: \(output)")
    return broker
  }

  private static func value(_ word: String, _ prefix: String) -> String? {
    word.hasPrefix(prefix) ? String(word.dropFirst(prefix.count)) : nil
  }

  /// Creates `topic` with `partitions` and produces `lines`, line i to partition i % partitions.
  /// `settings` are added to the clients' configuration (security settings, for instance).
  static func produce(
    _ brokers: String, topic: String, partitions: Int, lines: [String], compression: String = "none",
    settings: [String: String] = [:]
  ) throws {
    let script = """
      import json, sys
      from confluent_kafka import Producer
      from confluent_kafka.admin import AdminClient, NewTopic
      brokers, topic, partitions, compression = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
      conf = dict(json.loads(sys.argv[5]), **{'bootstrap.servers': brokers})
      admin = AdminClient(conf)
      for f in admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1,
              config={'retention.ms': '-1'})], operation_timeout=10).values():
          try:
              f.result()
          except Exception as e:
              if 'exist' not in str(e).lower():
                  raise
      p = Producer(dict(conf, **{'compression.type': compression, 'linger.ms': 20}))
      for i, line in enumerate(sys.stdin.read().split('\\n')):
          if line:
              p.produce(topic, value=line.encode(), partition=i % partitions)
              p.poll(0)
      sys.exit(1 if p.flush(30) else 0)
      """
    let settingsJSON = String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = ["-c", script, brokers, topic, String(partitions), compression, settingsJSON]
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
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

  /// Two consumers of one group split the partitions and append to the same tables at once;
  /// one is SIGKILLed mid-stream. noida-db never expires a SIGKILLed member, so the broker is
  /// restarted (as a real cluster would expire it): the survivor rides out the outage, gets
  /// every partition, and resumes the dead one's from the table. No message is lost or doubled.
  @Test(.enabled(if: available)) func twoConsumersSplitAGroupAndTheSurvivorTakesOverAKilledOnesPartitions() throws {
    var broker = try Self.launchBroker()
    defer {
      kill(broker.pid, SIGKILL)
      try? FileManager.default.removeItem(atPath: broker.data)
    }
    let dir = WriteCLITests.folder("ingest-kafka-scale-out")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.produce(broker.brokers, topic: "events", partitions: 4, lines: (0..<3000).map(Self.osqueryLine))
    let arguments = [
      "ingest", "kafka", "--brokers", broker.brokers, "--topic", "events", "--group", "lake", "--format", "osquery",
      "--table", dir + "/osquery", "--max-rows", "300", "--max-latency", "300ms",
    ]
    let first = try Self.launch(arguments, log: dir + "/first.log")
    defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
    try #require(Self.waitFor(60) { Self.quietIDCount(dir) == 3000 }, "the first consumer did not catch up")

    // The second member joins; the group rebalances to two partitions each.
    let second = try Self.launch(arguments, log: dir + "/second.log")
    defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
    try #require(
      Self.waitFor(60) { Self.log(dir + "/second.log").contains("assigned events/") },
      "the second consumer got no partitions: \(Self.log(dir + "/second.log"))")
    let secondPartitions = Self.assignedPartitions(Self.log(dir + "/second.log"))
    #expect(secondPartitions.count == 2, "\(Self.log(dir + "/second.log"))")
    try Self.produce(broker.brokers, topic: "events", partitions: 4, lines: (3000..<9000).map(Self.osqueryLine))
    try #require(Self.waitFor(60) { Self.quietIDCount(dir) == 9000 }, "the two consumers did not catch up")
    // Both wrote: the second's partitions advanced in the table past where the first left them.
    let positions = try Self.positions(dir + "/osquery_dead_letters")
    for partition in secondPartitions { #expect(positions["lake-events-\(partition)"] == 2249, "\(positions)") }

    // More messages; the second dies mid-stream, with records buffered.
    try Self.produce(broker.brokers, topic: "events", partitions: 4, lines: (9000..<15000).map(Self.osqueryLine))
    Thread.sleep(forTimeInterval: 0.4)
    kill(second.processIdentifier, SIGKILL)
    second.waitUntilExit()
    Self.stop(broker)
    broker = try Self.launchBroker(restarting: broker)

    try #require(
      Self.waitFor(120) { Self.quietIDCount(dir) >= 15000 },
      "the survivor did not take over: \(Self.log(dir + "/first.log"))")
    kill(first.processIdentifier, SIGTERM)
    first.waitUntilExit()
    #expect(first.terminationStatus == 0, "\(Self.log(dir + "/first.log"))")
    let ids = try Self.ids(dir + "/osquery")
    #expect(ids.count == 15000, "rows: \(ids.count)")
    #expect(Set(ids) == Set(0..<15000))
    let final = try Self.positions(dir + "/osquery_dead_letters")
    #expect((0..<4).allSatisfy { final["lake-events-\($0)"] == 3749 }, "\(final)")
    let survivorLog = Self.log(dir + "/first.log")
    #expect(survivorLog.contains("retrying"), "\(survivorLog)")
    #expect(survivorLog.contains("assigned events/0, events/1, events/2, events/3; resuming"), "\(survivorLog)")
  }

  /// Stops a broker: SIGTERM, on which noida-db saves its state, then SIGKILL once it has had a
  /// few seconds (it waits for connected clients to leave, and the survivor does not).
  static func stop(_ broker: Broker) {
    kill(broker.pid, SIGTERM)
    if !waitFor(5, { !isAlive(broker.pid) }) {
      kill(broker.pid, SIGKILL)
      _ = waitFor(10) { !isAlive(broker.pid) }
    }
  }

  /// True while `pid` runs (a zombie, not reaped by its adoptive parent, does not count).
  static func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    guard let close = stat.lastIndex(of: ")") else { return true }
    return !stat[close...].dropFirst(2).hasPrefix("Z")
  }

  /// Starts `avocet` with standard error to `log`.
  static func launch(_ arguments: [String], log: String) throws -> Process {
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    try process.run()
    return process
  }

  static func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

  /// The partitions of the last "assigned" line of a consumer's log.
  static func assignedPartitions(_ log: String) -> [Int] {
    guard let line = log.split(separator: "\n").last(where: { $0.contains("assigned events/") }) else { return [] }
    return line.split(separator: ";")[0].split(separator: " ").compactMap { word in
      word.hasPrefix("events/") ? Int(word.dropFirst("events/".count).trimmingCharacters(in: CharacterSet(charactersIn: ",;"))) : nil
    }
  }

  /// The ids in the three query tables, counted without failing while they do not exist yet.
  static func quietIDCount(_ dir: String) -> Int {
    var count = 0
    for name in ["processes", "users", "listening_ports"] {
      guard let result = try? CLITests.avocet("cat", dir + "/osquery/" + name, "--columns", "id", "--format", "csv"),
        result.status == 0
      else { continue }
      count += result.stdout.split(separator: "\n").count - 1
    }
    return count
  }

  /// The table's `txn` positions, by application id, from its JSON commits (the log keeps
  /// them all here; a position only grows, so the largest is the latest).
  static func positions(_ table: String) throws -> [String: Int] {
    var positions: [String: Int] = [:]
    let log = table + "/_delta_log"
    for name in try FileManager.default.contentsOfDirectory(atPath: log) where name.hasSuffix(".json") {
      for line in try String(contentsOfFile: log + "/" + name, encoding: .utf8).split(separator: "\n") {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let txn = object["txn"] as? [String: Any], let id = txn["appId"] as? String, let version = txn["version"] as? Int
        else { continue }
        positions[id] = max(positions[id] ?? version, version)
      }
    }
    return positions
  }

  static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.3)
    }
    return condition()
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
