import Foundation
import Testing

/// The Delta commands of the `avocet` binary (`describe`, `history`, `files`, `cat` on a table),
/// run as a user would against tables of the shared conformance corpus.
@Suite struct DeltaCLITests {
  /// `/work/main/Tests/CLITests/X.swift` → `/work/shared/conformance`.
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../shared/conformance").standardizedFileURL

  static func table(_ name: String) -> String { corpus.appendingPathComponent("tables/\(name)").path }

  static func meta(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: corpus.appendingPathComponent("expected/\(name)/meta.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func object(_ line: some StringProtocol) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)")
  }

  static func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

  /// A JSON line with its keys sorted, so that rows compare as a multiset of texts.
  static func canonical(_ line: some StringProtocol) throws -> String {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    return String(decoding: data, as: UTF8.self)
  }

  static func expectedRows(_ name: String, version: Int) throws -> [String] {
    let text = try String(
      contentsOf: corpus.appendingPathComponent("expected/\(name)/v\(version).jsonl"), encoding: .utf8)
    return try lines(text).map { try canonical($0) }.sorted()
  }

  static func avocet(_ arguments: String...) throws -> CLITests.Result { try CLITests.avocet(arguments) }

  /// A failure: exit status 1 and exactly one line on standard error that contains `fragment`.
  static func expectOneLineError(_ result: CLITests.Result, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, "status \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout.prefix(200))", sourceLocation: sourceLocation)
    #expect(lines(result.stderr).count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(fragment), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
  }

  // MARK: describe

  @Test(arguments: ["dat-basic_partitioned", "golden-time-travel-partition-changes-b"])
  func describeJSONAgreesWithMeta(_ name: String) throws {
    try #require(FileManager.default.fileExists(atPath: Self.table(name)), "the corpus is not at \(Self.corpus.path)")
    let meta = try Self.meta(name)
    let result = try Self.avocet("describe", Self.table(name), "--json")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(Self.lines(result.stdout).count == 1)
    let described = try Self.object(result.stdout)
    #expect((described["version"] as? NSNumber)?.intValue == (meta["version"] as? NSNumber)?.intValue)
    #expect(described["partitionColumns"] as? [String] == meta["partition_columns"] as? [String])
    #expect((described["numFiles"] as? NSNumber)?.intValue == (meta["num_active_files"] as? NSNumber)?.intValue)
    let protocolJSON = try #require(described["protocol"] as? [String: Any])
    let expectedProtocol = try #require(meta["protocol"] as? [String: Any])
    for key in ["minReaderVersion", "minWriterVersion"] {
      #expect((protocolJSON[key] as? NSNumber)?.intValue == (expectedProtocol[key] as? NSNumber)?.intValue, "\(key)")
    }

    // Every expected version, through --version.
    let versions = try #require(meta["versions"] as? [String: Any])
    for (key, value) in versions {
      let info = try #require(value as? [String: Any])
      let old = try Self.avocet("describe", Self.table(name), "--version", key, "--json")
      #expect(old.status == 0, "\(old.stderr)")
      let oldDescribed = try Self.object(old.stdout)
      #expect((oldDescribed["version"] as? NSNumber)?.stringValue == key)
      #expect(
        (oldDescribed["numFiles"] as? NSNumber)?.intValue == (info["num_active_files"] as? NSNumber)?.intValue,
        "version \(key)")
    }
  }

  @Test func describeText() throws {
    let name = "dat-basic_partitioned"
    let result = try Self.avocet("describe", Self.table(name))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("version: 1 "))
    #expect(result.stdout.contains("partition columns: letter\n"))
    #expect(result.stdout.contains("protocol: reader 1, writer 2\n"))
    #expect(result.stdout.contains("files: 6 ("))
    #expect(result.stdout.contains("  letter: string\n"))
    #expect(result.stdout.contains("  number: long\n"))
  }

  // MARK: history

  @Test func historyNewestFirstWithLimit() throws {
    let name = "golden-time-travel-partition-changes-b"
    let result = try Self.avocet("history", Self.table(name), "--limit", "2", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try Self.lines(result.stdout).map { try Self.object($0) }
    #expect(entries.count == 2)
    #expect(entries.map { ($0["version"] as? NSNumber)?.intValue } == [1, 0])
    for entry in entries {
      let timestamp = try #require(entry["timestamp"] as? String)
      #expect(timestamp.hasSuffix("Z") && timestamp.contains("T"), "\(timestamp)")
      let info = try #require(entry["commitInfo"] as? [String: Any])
      #expect(info["operation"] is String)
    }
    let one = try Self.avocet("history", Self.table(name), "--limit", "1", "--json")
    #expect(one.status == 0)
    #expect(Self.lines(one.stdout).count == 1)
    let text = try Self.avocet("history", Self.table(name))
    #expect(text.status == 0)
    #expect(Self.lines(text.stdout).count == 2)
    #expect(text.stdout.hasPrefix("version 1  "))
  }

  // MARK: files

  @Test func filesAtAVersion() throws {
    let name = "golden-time-travel-partition-changes-b"
    let meta = try Self.meta(name)
    let versions = try #require(meta["versions"] as? [String: Any])
    for (key, value) in versions {
      let info = try #require(value as? [String: Any])
      let expectedCount = try #require((info["num_active_files"] as? NSNumber)?.intValue)
      let result = try Self.avocet("files", Self.table(name), "--version", key, "--json")
      #expect(result.status == 0, "\(result.stderr)")
      let adds = try Self.lines(result.stdout).map { try Self.object($0) }
      #expect(adds.count == expectedCount, "version \(key)")
      let paths = adds.compactMap { $0["path"] as? String }
      #expect(paths.count == adds.count)
      #expect(Set(paths).count == paths.count, "a file listed twice")
      // The table changes its partitioning between versions: each file carries the version's own.
      let described = try Self.object(try Self.avocet("describe", Self.table(name), "--version", key, "--json").stdout)
      let partitionColumns = try #require(described["partitionColumns"] as? [String])
      #expect(partitionColumns == [key == "0" ? "part5" : "part2"])
      for add in adds {
        let partitions = try #require(add["partitionValues"] as? [String: Any])
        #expect(partitions.keys.sorted() == partitionColumns.sorted(), "version \(key)")
        #expect((add["size"] as? NSNumber).map { $0.intValue > 0 } == true)
      }
      // Every listed file exists in the table directory.
      for path in paths {
        let decoded = path.removingPercentEncoding ?? path
        #expect(FileManager.default.fileExists(atPath: Self.table(name) + "/" + decoded), "\(path)")
      }
    }
    // The text form has one line per file too.
    let text = try Self.avocet("files", Self.table(name), "--version", "0")
    #expect(text.status == 0)
    #expect(Self.lines(text.stdout).count == (versions["0"] as? [String: Any])?["num_active_files"] as? Int)
    #expect(text.stdout.contains(" bytes"))
  }

  // MARK: cat

  @Test(arguments: [("dat-basic_partitioned", 0), ("dat-basic_partitioned", 1), ("golden-time-travel-partition-changes-b", 0)])
  func catAVersionMatchesExpectedRows(_ name: String, _ version: Int) throws {
    let result = try Self.avocet("cat", Self.table(name), "--version", String(version), "--format", "jsonl")
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try Self.lines(result.stdout).map { try Self.canonical($0) }.sorted()
    #expect(rows == (try Self.expectedRows(name, version: version)))
  }

  @Test func catWithColumnsAndLimit() throws {
    let name = "dat-basic_partitioned"
    let result = try Self.avocet("cat", Self.table(name), "--columns", "number,letter", "--limit", "2")
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try Self.lines(result.stdout).map { try Self.object($0) }
    #expect(rows.count == 2)
    #expect(rows.allSatisfy { $0.keys.sorted() == ["letter", "number"] })
    #expect(result.stdout.hasPrefix("{\"number\""))
  }

  // MARK: --timestamp

  @Test func timeTravelByTimestamp() throws {
    let name = "dat-basic_partitioned"
    // Version 0's commit time as `history` reports it selects version 0 (a later commit with the
    // same file time counts as one millisecond later).
    let history = try Self.avocet("history", Self.table(name), "--json")
    #expect(history.status == 0, "\(history.stderr)")
    let entries = try Self.lines(history.stdout).map { try Self.object($0) }
    let first = try #require(entries.first { ($0["version"] as? NSNumber)?.intValue == 0 })
    let timestamp = try #require(first["timestamp"] as? String)

    let atFirst = try Self.avocet("cat", Self.table(name), "--timestamp", timestamp, "--format", "jsonl")
    #expect(atFirst.status == 0, "\(atFirst.stderr)")
    #expect(
      try Self.lines(atFirst.stdout).map { try Self.canonical($0) }.sorted()
        == (try Self.expectedRows(name, version: 0)))
    let files = try Self.avocet("files", Self.table(name), "--timestamp", timestamp, "--json")
    #expect(files.status == 0, "\(files.stderr)")
    #expect(Self.lines(files.stdout).count == 3)
    let described = try Self.avocet("describe", Self.table(name), "--timestamp", timestamp, "--json")
    #expect((try Self.object(described.stdout)["version"] as? NSNumber)?.intValue == 0)

    // A time after the last commit gives the latest version; a date works as well.
    let later = try Self.avocet("describe", Self.table(name), "--timestamp", "2999-01-01", "--json")
    #expect(later.status == 0, "\(later.stderr)")
    #expect((try Self.object(later.stdout)["version"] as? NSNumber)?.intValue == 1)
    let latestRows = try Self.avocet("cat", Self.table(name), "--timestamp", "32503680000000")
    #expect(
      try Self.lines(latestRows.stdout).map { try Self.canonical($0) }.sorted()
        == (try Self.expectedRows(name, version: 1)))

    // A time before the first commit is an error that says so.
    let before = try Self.avocet("cat", Self.table(name), "--timestamp", "1970-01-02T00:00:00Z")
    Self.expectOneLineError(before, "before the earliest available version 0")
    let unreadable = try Self.avocet("files", Self.table(name), "--timestamp", "yesterday")
    #expect(unreadable.status != 0)
    #expect(unreadable.stderr.contains("yesterday"))
  }

  // MARK: errors

  @Test func notATable() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-not-a-table-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for command in ["describe", "history", "files"] {
      let result = try Self.avocet(command, directory.path)
      Self.expectOneLineError(result, "not a Delta table")
      #expect(result.stderr.contains(directory.lastPathComponent), "\(command): the path is named")
    }
    let missing = try Self.avocet("describe", "/nonexistent/avocet-table")
    Self.expectOneLineError(missing, "/nonexistent/avocet-table")
  }

  @Test func versionThatDoesNotExist() throws {
    let name = "dat-basic_partitioned"
    for command in ["describe", "files", "cat"] {
      let result = try Self.avocet(command, Self.table(name), "--version", "7")
      Self.expectOneLineError(result, "version 7 does not exist")
      #expect(result.stderr.contains(Self.table(name)), "\(command): the table is named")
    }
    let both = try Self.avocet("files", Self.table(name), "--version", "0", "--timestamp", "2020-01-01")
    #expect(both.status != 0)
    #expect(both.stderr.contains("not both"))
  }

  @Test func invalidCorpusTablesAreRefused() throws {
    let notContiguous = Self.table("golden-versions-not-contiguous")
    for command in ["describe", "files", "cat"] {
      let result = try Self.avocet(command, notContiguous)
      Self.expectOneLineError(result, "version 1 is missing from _delta_log: versions are not contiguous")
    }
    let noProtocol = try Self.avocet("describe", Self.table("golden-deltalog-state-reconstruction-without-protocol"))
    Self.expectOneLineError(noProtocol, "no protocol action")
    let badProtocol = try Self.avocet("cat", Self.table("golden-deltalog-invalid-protocol-version"))
    Self.expectOneLineError(badProtocol, "the table requires reader version 99")
  }
}
