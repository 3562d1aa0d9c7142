import Foundation
import Testing

/// The `avocet` binary, run as a user would.
@Suite struct CLITests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixture = repository.appendingPathComponent("Tests/ParquetTests/Fixtures/format/primitives_snappy.parquet").path
  static let nested = repository.appendingPathComponent("Tests/ParquetTests/Fixtures/format/nested_zstd.parquet").path

  /// The binary sits beside the test bundle in the build folder.
  static var binary: String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
    var directory = bundle.deletingLastPathComponent()
    if bundle.pathExtension != "xctest" {
      directory = Bundle.main.bundleURL.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("avocet").path
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func avocet(_ arguments: String...) throws -> Result { try avocet(arguments) }

  /// Runs the binary, with `environment` added to the test's; output goes to files so no pipe
  /// can fill up and block it.
  static func avocet(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("avocet-cli-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("avocet-cli-\(UUID().uuidString).err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
      stderr: try String(contentsOf: errURL, encoding: .utf8))
  }

  @Test func catJSONLinesWithProjectionAndLimit() throws {
    let result = try Self.avocet("cat", Self.fixture, "--limit", "3")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    let all = try Self.avocet("cat", Self.fixture)
    let first = try #require(all.stdout.split(separator: "\n").first)
    let keys = try #require(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]).keys.sorted()
    let two = Array(keys.prefix(2))
    let projected = try Self.avocet("cat", Self.fixture, "--columns", two.reversed().joined(separator: ","), "--limit", "1")
    #expect(projected.status == 0)
    let object = try #require(JSONSerialization.jsonObject(with: Data(projected.stdout.utf8)) as? [String: Any])
    #expect(object.keys.sorted() == two)
    #expect(projected.stdout.hasPrefix("{\"\(two[1])\""))
  }

  @Test func catCSVAndTable() throws {
    let csv = try Self.avocet("cat", Self.nested, "--format", "csv", "--limit", "2")
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.split(separator: "\n").count >= 3)
    let table = try Self.avocet("cat", Self.nested, "--format", "table", "--limit", "2")
    #expect(table.status == 0)
    #expect(table.stdout.contains("-+-"))
    #expect(table.stdout.hasSuffix("(2 rows)\n"))
  }

  @Test func schemaAndMeta() throws {
    let schema = try Self.avocet("parquet", "schema", Self.nested)
    #expect(schema.status == 0, "\(schema.stderr)")
    #expect(schema.stdout.hasPrefix("message "))
    #expect(schema.stdout.contains("columns:"))
    let meta = try Self.avocet("parquet", "meta", Self.fixture)
    #expect(meta.status == 0, "\(meta.stderr)")
    #expect(meta.stdout.contains("row group 0:"))
    #expect(meta.stdout.contains("SNAPPY"))
    #expect(meta.stdout.contains("stats: nulls="))
  }

  @Test func demoWritesADeltaTableAndRunsTheSeedQueries() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-demo-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try Self.avocet("demo", "--rows", "20000", "--output", folder)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("wrote    20000 rows in 7 files"))
    for title in ["a: daily volumes", "b: unique allowed inbound", "c: top 20", "d: blocked HTTPS", "e: largest outbound"] {
      #expect(result.stdout.contains(title), "missing \(title)")
    }
    // Seven days of 20,000 rows, newest first.
    #expect(result.stdout.contains("2024 | 1     | 7   | 2857"))
    #expect(result.stdout.contains("6 pruned by partition"))
    #expect(result.stdout.contains("skipped by statistics"))
    let catted = try Self.avocet("cat", "\(folder)/flows", "--columns", "action")
    let actions = catted.stdout.split(separator: "\n")
    #expect(actions.count == 20000)
    #expect(Set(actions).isSubset(of: ["{\"action\":\"allow\"}", "{\"action\":\"block\"}", "{\"action\":\"drop\"}", "{\"action\":\"alert\"}"]))
  }

  @Test func errorsAreOneClearLine() throws {
    let missing = try Self.avocet("cat", "/nonexistent/file.parquet")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/file.parquet"))
    #expect(missing.stderr.split(separator: "\n").count == 1)
    let notParquet = try Self.avocet("cat", Self.repository.appendingPathComponent("Package.swift").path)
    #expect(notParquet.status == 1)
    #expect(notParquet.stderr.contains("not a Parquet file"))
    let badColumn = try Self.avocet("cat", Self.fixture, "--columns", "nope")
    #expect(badColumn.status == 1)
    #expect(badColumn.stderr.contains("no column 'nope'"))
    let badFormat = try Self.avocet("cat", Self.fixture, "--format", "xml")
    #expect(badFormat.status != 0)
    #expect(badFormat.stderr.contains("xml"))
    let badLimit = try Self.avocet("cat", Self.fixture, "--limit", "-1")
    #expect(badLimit.status != 0)
  }
}
