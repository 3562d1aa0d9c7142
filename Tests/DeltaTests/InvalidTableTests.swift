import Delta
import Foundation
import Testing

/// Tables a reader must refuse, with errors that say why.
@Suite struct InvalidTableTests {
  static func open(_ name: String) throws -> DeltaTable { try DeltaTable.open(path: ConformanceCorpus.tablePath(name)) }

  @Test func readerVersionBeyondSupportIsRefused() throws {
    let error = try #require(throws: DeltaError.self) {
      try Self.open("golden-deltalog-invalid-protocol-version").snapshot()
    }
    #expect(error.code == .unsupportedFeature)
    #expect(error.message.contains("reader version 99"))
  }

  @Test func missingProtocolIsRefused() throws {
    let error = try #require(throws: DeltaError.self) {
      try Self.open("golden-deltalog-state-reconstruction-without-protocol").snapshot()
    }
    #expect(error.code == .missingProtocol)
    #expect(error.message.contains("no protocol action"))
  }

  @Test func nonContiguousVersionsAreRefused() throws {
    let table = try Self.open("golden-versions-not-contiguous")
    let error = try #require(throws: DeltaError.self) { try table.snapshot() }
    #expect(error.code == .nonContiguousLog)
    #expect(error.message == "version 1 is missing from _delta_log: versions are not contiguous")
    let atTwo = try #require(throws: DeltaError.self) { try table.snapshot(version: 2) }
    #expect(atTwo.code == .nonContiguousLog)
    // Version 0 alone is complete, but its metaData has no schema.
    let atZero = try #require(throws: DeltaError.self) { try table.snapshot(version: 0) }
    #expect(atZero.code == .corruptLog)
    #expect(atZero.message.contains("schemaString"))
  }

  @Test func unsupportedReaderFeatureIsNamed() throws {
    let directory = try TemporaryTable.make(
      commits: [
        [
          #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["variantType","deletionVectors"],"writerFeatures":["variantType","deletionVectors"]}}"#,
          #"{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}}"#,
        ]
      ])
    defer { TemporaryTable.remove(directory) }
    let error = try #require(throws: DeltaError.self) { try DeltaTable.open(path: directory).snapshot() }
    #expect(error.code == .unsupportedFeature)
    #expect(error.message == "the table requires reader feature 'variantType', which Avocet does not support")
  }

  @Test func aDirectoryWithoutLogIsNotATable() throws {
    let error = try #require(throws: DeltaError.self) { try DeltaTable.open(path: "/tmp") }
    #expect(error.code == .notATable)
  }

  @Test func vacuumedDataFilesFailWithMissingFile() throws {
    let table = try Self.open("golden-snapshot-vacuumed")
    let snapshot = try table.snapshot(version: 0)
    let error = try #require(throws: DeltaError.self) { try snapshot.scan().readBatches() }
    #expect(error.code == .missingFile)
    #expect(error.message.contains("does not exist"))
    #expect(try table.snapshot().scan().readBatches().reduce(0) { $0 + $1.rowCount } == 20)
  }
}

/// Small tables written by the tests, in a temporary directory.
enum TemporaryTable {
  /// A table whose log holds `commits` (each a list of action lines) as versions 0, 1, …
  static func make(commits: [[String]], firstVersion: Int = 0) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-delta-\(UUID().uuidString)")
    let log = directory.appendingPathComponent("_delta_log")
    try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
    for (offset, lines) in commits.enumerated() {
      let name = String(format: "%020d.json", firstVersion + offset)
      try (lines.joined(separator: "\n") + "\n").write(
        to: log.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return directory.path
  }

  /// A copy of a corpus table.
  static func copy(of name: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-delta-\(UUID().uuidString)")
    try FileManager.default.copyItem(atPath: ConformanceCorpus.tablePath(name), toPath: directory.path)
    return directory.path
  }

  static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}
