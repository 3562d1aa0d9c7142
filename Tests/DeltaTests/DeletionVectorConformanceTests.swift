import Columnar
import Foundation
import Parquet
import Storage
import Testing

@testable import Delta

/// Deletion vectors of real tables written by Spark, Databricks, delta-rs and delta-kernel-rs
/// (the conformance corpus): every descriptor in a JSON commit loads and holds `cardinality`
/// rows, and applying them to the data files gives exactly the expected rows of each version.
@Suite struct DeletionVectorConformanceTests {
  static let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/conformance")
  static let tables = corpus.appendingPathComponent("tables")
  static let expected = corpus.appendingPathComponent("expected")

  /// Tables the brief names; each must have deletion vectors in its JSON commits.
  static let namedTables = [
    "drs-table-with-dv-small", "golden-dv-partitioned-with-checkpoint", "golden-dv-with-columnmapping",
    "golden-log-replay-dv-key-cases", "krs-with-short-dv", "krs-cdf-table-with-dv", "drs-table_with_deletion_logs",
  ]

  // MARK: Descriptors

  @Test(arguments: namedTables)
  func namedTableDescriptorsLoad(table: String) throws {
    let descriptors = try Self.descriptors(table: table)
    try #require(!descriptors.isEmpty, "\(table) has no deletion vectors in its JSON commits")
    for descriptor in descriptors {
      let rows = try descriptor.loadDeletedRows(tableRoot: Self.root(table), read: Self.readLocal)
      #expect(Int64(rows.count) == descriptor.cardinality)
    }
  }

  @Test func everyDescriptorInTheCorpusLoads() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.tables.path).sorted()
    try #require(!names.isEmpty, "the conformance corpus is missing at \(Self.tables.path)")
    var loaded = 0
    var kinds: Set<String> = []
    for table in names {
      for descriptor in try Self.descriptors(table: table) {
        do {
          let rows = try descriptor.loadDeletedRows(tableRoot: Self.root(table), read: Self.readLocal)
          #expect(Int64(rows.count) == descriptor.cardinality, "\(table): \(descriptor)")
          loaded += 1
          kinds.insert(descriptor.storageType)
        } catch {
          Issue.record("\(table): \(error)")
        }
      }
    }
    #expect(loaded >= 30)
    #expect(kinds == ["u", "i"])
  }

  @Test func smallTableDeletesRowsZeroAndNine() throws {
    let table = "drs-table-with-dv-small"
    let descriptor = try #require(try Self.descriptors(table: table).first)
    let rows = try descriptor.loadDeletedRows(tableRoot: Self.root(table), read: Self.readLocal)
    #expect(Array(rows) == [0, 9])
    let mask = rows.keepMask(start: 0, count: 10)
    #expect((0..<10).map { mask[$0] } == [false, true, true, true, true, true, true, true, true, false])
  }

  @Test func inlineDeletionVectorsOfTheKernelTable() throws {
    // krs-cdf-table-with-dv: versions 3 to 5 use inline DVs, one with the z85 crate's short tail.
    let table = "krs-cdf-table-with-dv"
    let inline = try Self.descriptors(table: table).filter { $0.storageType == "i" }
    var seen: [Int: [UInt64]] = [:]
    for descriptor in inline {
      let rows = try descriptor.loadDeletedRows(tableRoot: Self.root(table), read: Self.readLocal)
      seen[descriptor.sizeInBytes] = Array(rows)
    }
    #expect(seen == [40: [0, 1, 4, 5], 36: [0, 5], 34: [3]])
  }

  // MARK: Rows

  static func tablesWithDeletionVectors() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: tables.path)) ?? []
    return names.sorted().filter { !((try? descriptors(table: $0)) ?? []).isEmpty }
  }

  /// Replays the JSON commits to each version with expected rows (when the log has every commit
  /// from 0), reads each live data file, drops the rows its deletion vector names (through
  /// `keepMask`, batch by batch, as a scan does) and compares the multiset of rows.
  @Test(arguments: tablesWithDeletionVectors())
  func rowsAfterDeletionMatchExpected(table: String) throws {
    let commits = try Self.commits(table: table)
    let expectedFiles =
      (try? FileManager.default.contentsOfDirectory(atPath: Self.expected.appendingPathComponent(table).path)) ?? []
    var checked = 0
    for name in expectedFiles where name.hasPrefix("v") && name.hasSuffix(".jsonl") && !name.contains("reference") {
      guard let version = Int(name.dropFirst().dropLast(".jsonl".count)) else { continue }
      guard (0...version).allSatisfy({ commits[$0] != nil }) else { continue }
      let state = try Self.replay((0...version).compactMap { commits[$0] })
      var rows: [String] = []
      for file in state.files.values {
        let deleted = try file.deletionVector.map {
          try $0.loadDeletedRows(tableRoot: Self.root(table), read: Self.readLocal)
        }
        let path = Self.root(table) + "/" + (file.path.removingPercentEncoding ?? file.path)
        let reader = try ParquetFileReader(path: path)
        if let largest = deleted?.largestRow { #expect(largest < UInt64(reader.rowCount), "\(file.path)") }
        var rowIndex: UInt64 = 0
        for batch in try reader.readAll() {
          let keep =
            deleted?.keepMask(start: rowIndex, count: batch.rowCount) ?? Bitmap(repeating: true, count: batch.rowCount)
          for row in 0..<batch.rowCount where keep[row] {
            rows.append(try Self.logicalRow(batch, row: row, file: file, state: state))
          }
          rowIndex += UInt64(batch.rowCount)
        }
      }
      let expectedText = try String(
        contentsOf: Self.expected.appendingPathComponent(table).appendingPathComponent(name), encoding: .utf8)
      let expectedRows = try expectedText.split(separator: "\n").map { try Self.canonical(String($0)) }
      #expect(rows.count == expectedRows.count, "\(table) v\(version): row count")
      #expect(rows.sorted() == expectedRows.sorted(), "\(table) v\(version): rows")
      checked += 1
    }
    #expect(checked > 0, "\(table): no version could be replayed from JSON commits alone")
  }

  // MARK: A minimal log replay for the test (JSON commits only)

  struct LiveFile {
    var path: String
    var partitionValues: [String: Any]
    var deletionVector: DeletionVectorDescriptor?
  }

  struct TableState {
    var files: [String: LiveFile] = [:]
    /// Logical name, Delta type and physical name of each top-level field.
    var fields: [(name: String, type: String, physical: String)] = []
    var partitionColumns: [String] = []
  }

  static func replay(_ commits: [[[String: Any]]]) throws -> TableState {
    var state = TableState()
    for actions in commits {
      for action in actions {
        if let metaData = action["metaData"] as? [String: Any] {
          state.partitionColumns = metaData["partitionColumns"] as? [String] ?? []
          let schemaString = metaData["schemaString"] as? String ?? "{}"
          let schema = try JSONSerialization.jsonObject(with: Data(schemaString.utf8)) as? [String: Any] ?? [:]
          state.fields = (schema["fields"] as? [[String: Any]] ?? []).map { field in
            let name = field["name"] as? String ?? ""
            let metadata = field["metadata"] as? [String: Any] ?? [:]
            let type = field["type"] as? String ?? "struct"
            return (name, type, metadata["delta.columnMapping.physicalName"] as? String ?? name)
          }
        }
        for kind in ["add", "remove"] {
          guard let file = action[kind] as? [String: Any], let path = file["path"] as? String else { continue }
          let descriptor = try (file["deletionVector"] as? [String: Any]).map(Self.descriptor)
          let key = path + "|" + (descriptor?.uniqueID ?? "")
          if kind == "add" {
            state.files[key] = LiveFile(
              path: path, partitionValues: file["partitionValues"] as? [String: Any] ?? [:], deletionVector: descriptor)
          } else {
            state.files[key] = nil
          }
        }
      }
    }
    return state
  }

  /// Row `row` of a data file's batch as canonical JSON with logical names and partition values.
  static func logicalRow(_ batch: RecordBatch, row: Int, file: LiveFile, state: TableState) throws -> String {
    var out: [UInt8] = []
    ValueRenderer.appendJSONRow(batch, row: row, to: &out)
    let physical = try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any] ?? [:]
    var logical: [String: Any] = [:]
    for field in state.fields {
      if state.partitionColumns.contains(field.name) {
        let text = file.partitionValues[field.physical] as? String
        logical[field.name] = partitionValue(text, type: field.type)
      } else if field.type == "timestamp", let text = physical[field.physical] as? String {
        logical[field.name] = deltaTimestamp(text)
      } else {
        logical[field.name] = physical[field.physical] ?? NSNull()
      }
    }
    return try canonical(logical)
  }

  /// A Delta `timestamp` is UTC with microseconds; Spark's INT96 columns come out of the Parquet
  /// reader as nanoseconds without a zone (`…33.633000000`), which the scan must convert.
  static func deltaTimestamp(_ text: String) -> String {
    guard !text.hasSuffix("Z"), let dot = text.firstIndex(of: ".") else { return text }
    let fraction = text[text.index(after: dot)...]
    guard fraction.count == 9, fraction.hasSuffix("000") else { return text }
    return text[...dot] + fraction.prefix(6) + "Z"
  }

  static func partitionValue(_ text: String?, type: String) -> Any {
    guard let text, !text.isEmpty else { return NSNull() }
    switch type {
    case "integer", "long", "short", "byte": return Int64(text).map { NSNumber(value: $0) } ?? text
    case "double", "float": return Double(text).map { NSNumber(value: $0) } ?? text
    case "boolean": return text == "true"
    default: return text
    }
  }

  static func canonical(_ line: String) throws -> String {
    try canonical(try JSONSerialization.jsonObject(with: Data(line.utf8)))
  }

  static func canonical(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
  }

  // MARK: Reading the corpus

  static func root(_ table: String) -> String { tables.appendingPathComponent(table).path }

  static func readLocal(_ path: String, _ offset: Int, _ length: Int) throws -> [UInt8] {
    try LocalFile(path: path).read(offset: offset, length: length)
  }

  /// The actions of each JSON commit of `table`, by version.
  static func commits(table: String) throws -> [Int: [[String: Any]]] {
    let log = tables.appendingPathComponent(table).appendingPathComponent("_delta_log")
    var commits: [Int: [[String: Any]]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: log.path) {
      guard name.hasSuffix(".json"), name.count == 25, let version = Int(name.prefix(20)) else { continue }
      let text = try String(contentsOf: log.appendingPathComponent(name), encoding: .utf8)
      commits[version] = try text.split(separator: "\n").compactMap {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
    }
    return commits
  }

  /// The distinct deletion vector descriptors of `add` and `remove` actions in the JSON commits.
  static func descriptors(table: String) throws -> [DeletionVectorDescriptor] {
    var seen: Set<DeletionVectorDescriptor> = []
    var ordered: [DeletionVectorDescriptor] = []
    for (_, actions) in try commits(table: table).sorted(by: { $0.key < $1.key }) {
      for action in actions {
        for kind in ["add", "remove"] {
          guard let dv = (action[kind] as? [String: Any])?["deletionVector"] as? [String: Any] else { continue }
          let descriptor = try descriptor(dv)
          if seen.insert(descriptor).inserted { ordered.append(descriptor) }
        }
      }
    }
    return ordered
  }

  static func descriptor(_ json: [String: Any]) throws -> DeletionVectorDescriptor {
    DeletionVectorDescriptor(
      storageType: try #require(json["storageType"] as? String),
      pathOrInlineDv: try #require(json["pathOrInlineDv"] as? String),
      offset: (json["offset"] as? NSNumber)?.intValue,
      sizeInBytes: try #require((json["sizeInBytes"] as? NSNumber)?.intValue),
      cardinality: try #require((json["cardinality"] as? NSNumber)?.int64Value))
  }
}
