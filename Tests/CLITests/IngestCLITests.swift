import Foundation
import Testing

/// `avocet ingest` as users run it, including being killed.
@Suite struct IngestCLITests {
  /// JSON lines with ids 0..<count; every 97th line is malformed.
  static func writeInput(_ path: String, from: Int = 0, count: Int) throws {
    var text = ""
    text.reserveCapacity(count * 80)
    for id in from..<(from + count) {
      if id % 97 == 0 {
        text += "{\"id\": \(id), broken\n"
      } else {
        text += "{\"id\":\(id),\"ts\":\"2024-05-0\(1 + id % 3)T12:00:00Z\",\"host\":\"h\(id % 7)\",\"bytes\":\(id * 3)}\n"
      }
    }
    if FileManager.default.fileExists(atPath: path) {
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(text.utf8))
      try handle.close()
    } else {
      try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
  }

  /// The values of `column` in every row of a table.
  static func values(_ table: String, _ column: String) throws -> [String] {
    let result = try CLITests.avocet("cat", table, "--columns", column, "--format", "csv")
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").dropFirst().map(String.init)
  }

  static func expectExactlyOnce(_ dir: String, ids: Range<Int>) throws {
    let written = try values(dir + "/events", "id").compactMap { Int($0) }
    let expected = ids.filter { $0 % 97 != 0 }
    #expect(written.count == expected.count, "rows written: \(written.count), expected \(expected.count)")
    #expect(Set(written) == Set(expected))
    let letters = try values(dir + "/events_dead_letters", "raw")
    let broken = ids.filter { $0 % 97 == 0 }
    #expect(letters.count == broken.count, "dead letters: \(letters.count), expected \(broken.count)")
    if let rows = try WriteCLITests.deltaRSRowCount(dir + "/events") { #expect(rows == expected.count) }
  }

  @Test func ingestsFilesWithTypesPartitionsAndDeadLetters() throws {
    let dir = WriteCLITests.folder("ingest")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeInput(dir + "/in.jsonl", count: 300)
    let result = try CLITests.avocet(
      ["ingest", "file", "--format", "jsonl", "--time-field", "ts", "--table", dir + "/events", dir + "/in.jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("wrote 296"), "\(result.stdout)")
    #expect(result.stdout.contains("dead letters 4"), "\(result.stdout)")
    let describe = try CLITests.avocet("describe", dir + "/events")
    #expect(describe.stdout.contains("year"), "\(describe.stdout)")
    #expect(try Self.values(dir + "/events", "day").sorted().first == "1")
    try Self.expectExactlyOnce(dir, ids: 0..<300)
    let again = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/events", dir + "/in.jsonl"])
    #expect(again.status == 0)
    try Self.expectExactlyOnce(dir, ids: 0..<300)
  }

  @Test func badFlagsAreClearErrors() throws {
    let dir = WriteCLITests.folder("ingest-flags")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let format = try CLITests.avocet(["ingest", "file", "--format", "syslog", "--table", dir + "/t", dir])
    #expect(format.status != 0)
    #expect(format.stderr.contains("unknown --format 'syslog'"), "\(format.stderr)")
    let latency = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--max-latency", "soon", "--table", dir + "/t", dir])
    #expect(latency.stderr.contains("--max-latency"), "\(latency.stderr)")
    let missing = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/t", dir + "/none.log"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("none.log: no such file"), "\(missing.stderr)")
  }

  @Test func killedAtRandomMomentsEveryRecordLandsExactlyOnce() throws {
    let dir = WriteCLITests.folder("ingest-kill")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let total = 120_000
    try Self.writeInput(dir + "/in.jsonl", count: total)
    var generator = SystemRandomNumberGenerator()
    var finished = false
    var kills = 0
    for _ in 0..<25 where !finished {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLITests.binary)
      process.arguments = [
        "ingest", "file", "--format", "jsonl", "--time-field", "ts", "--max-rows", "7000", "--table", dir + "/events",
        dir + "/in.jsonl",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let delay = Double.random(in: 0.05...0.8, using: &generator)
      Thread.sleep(forTimeInterval: delay)
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
      finished = process.terminationReason == .exit && process.terminationStatus == 0
    }
    if !finished {
      let last = try CLITests.avocet(["ingest", "file", "--format", "jsonl", "--table", dir + "/events", dir + "/in.jsonl"])
      #expect(last.status == 0, "\(last.stderr)")
    }
    #expect(kills > 0)
    try Self.expectExactlyOnce(dir, ids: 0..<total)
  }

  /// SIGTERM, then SIGKILL if the process has not exited cleanly within 30 s (so a hang fails the test, not CI).
  static func stop(_ process: Process) -> Bool {
    process.terminate()
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return false
    }
    return process.terminationReason == .exit && process.terminationStatus == 0
  }

  @Test func followingFlushesOnSIGTERMAndResumes() throws {
    let dir = WriteCLITests.folder("ingest-follow")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.writeInput(dir + "/in.jsonl", count: 1000)
    func start() throws -> Process {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: CLITests.binary)
      process.arguments = [
        "ingest", "file", "--follow", "--poll-interval", "0.05", "--max-latency", "1h", "--format", "jsonl",
        "--table", dir + "/events", dir + "/*.jsonl",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    let first = try start()
    Thread.sleep(forTimeInterval: 1.0)
    try Self.writeInput(dir + "/in.jsonl", from: 1000, count: 500)
    try Self.writeInput(dir + "/more.jsonl", from: 1500, count: 500)
    Thread.sleep(forTimeInterval: 1.0)
    #expect(Self.stop(first))
    try Self.expectExactlyOnce(dir, ids: 0..<2000)
    try Self.writeInput(dir + "/more.jsonl", from: 2000, count: 500)
    let second = try start()
    Thread.sleep(forTimeInterval: 1.5)
    #expect(Self.stop(second))
    try Self.expectExactlyOnce(dir, ids: 0..<2500)
  }
}
