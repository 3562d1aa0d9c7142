import Columnar
import Dispatch
import Expr
import Foundation
import Parquet
import Storage
import Synchronization
import Testing

@testable import Delta

/// Tables, readers and a reference filter for the row-group skipping tests.
enum RowGroupFixtures {
  /// Microseconds of 2023-11-14T22:13:20Z.
  static let baseMicros: Int64 = 1_700_000_000_000_000

  /// One data file of `rows` rows sorted on `id` (0..<rows), in row groups of `groupRows`:
  /// `name` ("k0000"…), `score` (id / 2), `ts` (one second apart), and `maybe`, null for ids
  /// 300..<400 and equal to `id` elsewhere.
  static func sortedTable(rows: Int = 1000, groupRows: Int = 100, partitioned: Bool = false) throws -> String {
    let path = WriteFixtures.temporaryTable()
    let ids = (0..<rows).map { Int64($0) }
    var columns: [(String, ColumnVector)] = [
      ("id", WriteFixtures.int64(ids)),
      ("name", WriteFixtures.string(ids.map { String(format: "k%04d", $0) })),
      ("score", WriteFixtures.float64(ids.map { Double($0) / 2 })),
      ("ts", WriteFixtures.timestamp(ids.map { baseMicros + $0 * 1_000_000 })),
      ("maybe", WriteFixtures.int64(ids.map { (300..<400).contains($0) ? nil : $0 })),
    ]
    var options = WriteOptions()
    options.parquet.rowGroupRowLimit = groupRows
    if partitioned {
      columns.append(("p", WriteFixtures.string(ids.map { _ in "a" })))
      options.partitionBy = ["p"]
    }
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch(columns)], options: options)
    return path
  }

  /// A table whose one data file (`part-0.parquet`) is written by hand, one row group per batch
  /// of `groups`, under a log whose metadata has `fields` (Delta schema JSON objects),
  /// `configuration` and `protocol`.
  static func handWrittenTable(
    schema: Schema, groups: [RecordBatch], fields: [String], configuration: String = "{}",
    protocol: String = #"{"minReaderVersion":1,"minWriterVersion":2}"#
  ) throws -> String {
    let directory = try TemporaryTable.make(commits: [])
    let file = try LocalWritableFile(path: directory + "/part-0.parquet")
    var writer = try ParquetFileWriter(file: file, schema: schema)
    for group in groups {
      try writer.write(group)
      try writer.flushRowGroup()
    }
    _ = try writer.close()
    let size = (try FileManager.default.attributesOfItem(atPath: directory + "/part-0.parquet")[.size] as? Int) ?? 1
    let schemaString = #"{"type":"struct","fields":[\#(fields.joined(separator: ","))]}"#
    let escaped = schemaString.replacingOccurrences(of: "\"", with: "\\\"")
    let rows = groups.reduce(0) { $0 + $1.rowCount }
    let lines = [
      #"{"protocol":\#(`protocol`)}"#,
      #"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"\#(escaped)","partitionColumns":[],"configuration":\#(configuration)}}"#,
      #"{"add":{"path":"part-0.parquet","partitionValues":{},"size":\#(size),"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":\#(rows)}"}}"#,
    ]
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: directory + "/_delta_log/00000000000000000000.json", atomically: true, encoding: .utf8)
    return directory
  }

  /// A Delta schema field as JSON.
  static func field(_ name: String, _ type: String, metadata: String = "{}") -> String {
    #"{"name":"\#(name)","type":\#(type),"nullable":true,"metadata":\#(metadata)}"#
  }

  /// The batches `scan` yields for `file` (which may come from another scan of the snapshot)
  /// and the read's metrics.
  static func read(_ scan: Scan, _ file: ScanFile, parallel: Bool = false) throws -> ([RecordBatch], FileReadMetrics) {
    var batches: [RecordBatch] = []
    let metrics = try scan.read(file, decodeColumnsInParallel: parallel) { batch in
      batches.append(batch)
      return true
    }
    return (batches, metrics)
  }

  /// The Int64 values of column `name` over `batches` (nulls left out).
  static func integers(_ batches: [RecordBatch], _ name: String = "id") -> [Int64] {
    var values: [Int64] = []
    for batch in batches {
      guard let column = batch.column(named: name) else { continue }
      for row in 0..<batch.rowCount {
        if case .int64(let value) = ScalarValue(from: column, row: row) { values.append(value) }
      }
    }
    return values
  }

  /// Every row of the snapshot satisfying `predicate`, as sorted JSON lines: once read without
  /// a predicate and filtered here, once read with it (files and row groups skipped) and
  /// filtered here. Also reads each file of the full scan through the predicated scan, so that
  /// row groups are tested even in files that file statistics skip. Returns the row-group
  /// metrics of the latter reads.
  @discardableResult
  static func checkNothingDropped(
    _ snapshot: Snapshot, _ predicate: Expr.Predicate, full: (scan: Scan, batches: [RecordBatch])? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> FileReadMetrics {
    let full =
      try full
      ?? { () throws -> (scan: Scan, batches: [RecordBatch]) in
        let scan = try snapshot.scan()
        return (scan, try scan.readBatches())
      }()
    let pruned = try snapshot.scan(ScanOptions(predicate: predicate))
    let expected = rows(full.batches, matching: predicate)
    let kept = rows(try pruned.readBatches(), matching: predicate)
    #expect(kept == expected, "\(predicate)", sourceLocation: sourceLocation)
    var metrics = FileReadMetrics()
    var perFile: [String] = []
    for file in full.scan.files {
      let (batches, read) = try RowGroupFixtures.read(pruned, file)
      metrics += read
      perFile += rows(batches, matching: predicate)
    }
    #expect(perFile.sorted() == expected, "row groups, \(predicate)", sourceLocation: sourceLocation)
    return metrics
  }

  static func rows(_ batches: [RecordBatch], matching predicate: Expr.Predicate?) -> [String] {
    var rows: [String] = []
    var line: [UInt8] = []
    for batch in batches {
      for row in 0..<batch.rowCount {
        if let predicate, SQLFilter.evaluate(predicate, batch, row) != true { continue }
        line.removeAll(keepingCapacity: true)
        ValueRenderer.appendJSONRow(batch, row: row, to: &line)
        rows.append(String(decoding: line, as: UTF8.self))
      }
    }
    return rows.sorted()
  }
}

/// SQL three-valued evaluation of a predicate on one row (nil is NULL), with IEEE NaN
/// semantics: NaN satisfies only `!=` (and `NOT IN`).
enum SQLFilter {
  static func value(_ path: ColumnPath, _ batch: RecordBatch, _ row: Int) -> ScalarValue {
    guard var vector = batch.column(named: path[0]) else { return .null }
    for name in path.dropFirst() {
      guard case .structure(let fields) = vector.type, case .structure(let children) = vector.storage,
        let index = fields.firstIndex(where: { $0.name == name })
      else { return .null }
      if vector.isNull(row) { return .null }
      vector = children[index]
    }
    return ScalarValue(from: vector, row: row)
  }

  static func evaluate(_ predicate: Expr.Predicate, _ batch: RecordBatch, _ row: Int) -> Bool? {
    switch predicate {
    case .literal(let value): return value
    case .isNull(let path, let negated): return value(path, batch, row).isNull != negated
    case .comparison(let path, let op, let literal):
      let v = value(path, batch, row)
      if v.isNull || literal.isNull { return nil }
      if v.isNaN || literal.isNaN { return op == .notEqual }
      guard let order = ScalarValue.compare(v, literal) else { return nil }
      switch op {
      case .equal: return order == 0
      case .notEqual: return order != 0
      case .less: return order < 0
      case .lessOrEqual: return order <= 0
      case .greater: return order > 0
      case .greaterOrEqual: return order >= 0
      }
    case .inList(let path, let values, let negated):
      let v = value(path, batch, row)
      if v.isNull { return nil }
      var sawNull = false
      for candidate in values {
        if candidate.isNull {
          sawNull = true
          continue
        }
        if !v.isNaN, !candidate.isNaN, ScalarValue.compare(v, candidate) == 0 { return !negated }
      }
      return sawNull ? nil : negated
    case .not(let inner): return evaluate(inner, batch, row).map { !$0 }
    case .and(let terms):
      var result: Bool? = true
      for term in terms {
        switch evaluate(term, batch, row) {
        case false?: return false
        case nil: result = nil
        default: break
        }
      }
      return result
    case .or(let terms):
      var result: Bool? = false
      for term in terms {
        switch evaluate(term, batch, row) {
        case true?: return true
        case nil: result = nil
        default: break
        }
      }
      return result
    }
  }
}

/// A small seeded generator, so that a failing random case can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct RowGroupSkippingTests {
  typealias Fixtures = RowGroupFixtures

  @Test func equalityReadsOnlyTheMatchingRowGroup() throws {
    let path = try Fixtures.sortedTable()
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    let scan = try snapshot.scan(ScanOptions(predicate: .comparison(["id"], .equal, .int64(250))))
    let file = try #require(scan.files.first)
    #expect(scan.files.count == 1)
    let (batches, metrics) = try Fixtures.read(scan, file)
    #expect(metrics.rowGroups == 10)
    #expect(metrics.rowGroupsSkipped == 9)
    #expect(metrics.rowsRead == 100)
    #expect(Fixtures.integers(batches) == (200..<300).map { Int64($0) })
    let (_, whole) = try Fixtures.read(try snapshot.scan(), file)
    #expect(whole.rowGroups == 10 && whole.rowGroupsSkipped == 0 && whole.rowsRead == 1000)
    #expect(metrics.bytesRead > 0)
    #expect(metrics.bytesRead * 5 < whole.bytesRead)
    #expect(whole.bytesRead < file.add.size)
    // Parallel decoding reads the same.
    let (parallelBatches, parallel) = try Fixtures.read(scan, file, parallel: true)
    #expect(parallel == metrics)
    #expect(Fixtures.integers(parallelBatches) == Fixtures.integers(batches))
    // A projection reads fewer bytes; forEachBatch sums the same metrics.
    let projected = try snapshot.scan(ScanOptions(columns: ["id"], predicate: .comparison(["id"], .equal, .int64(250))))
    let (_, narrow) = try Fixtures.read(projected, file)
    #expect(narrow.bytesRead > 0 && narrow.bytesRead < metrics.bytesRead)
    var seen = 0
    let summed = try scan.forEachBatch { batch in
      seen += batch.rowCount
      return true
    }
    #expect(summed == metrics && seen == 100)
  }

  @Test(arguments: [
    (Expr.Predicate.comparison(["id"], .greaterOrEqual, .int64(250)), 8),
    (.and([.comparison(["id"], .greaterOrEqual, .int64(250)), .comparison(["id"], .less, .int64(420))]), 3),
    (.comparison(["id"], .greater, .int64(899)), 1),
    (.comparison(["id"], .lessOrEqual, .int64(100)), 2),
    (.not(.comparison(["id"], .less, .int64(900))), 1),
    (.inList(["id"], [.int64(5), .int64(905)], negated: false), 2),
    (.or([.comparison(["id"], .equal, .int64(5)), .comparison(["score"], .greater, .float64(480))]), 2),
    (.comparison(["score"], .equal, .float64(100.5)), 1),
    (.comparison(["id"], .less, .float64(99.5)), 1),
    (.comparison(["id"], .equal, .int64(5000)), 0),
    (.comparison(["name"], .equal, .string("k0250")), 1),
    (.comparison(["name"], .greaterOrEqual, .string("k0900")), 1),
    (.comparison(["name"], .less, .string("k01")), 1),
    (.inList(["name"], [.string("k0001"), .string("k0999")], negated: false), 2),
    (.comparison(["maybe"], .equal, .int64(350)), 0),
    (.isNull(["maybe"], negated: false), 1),
    (.isNull(["maybe"], negated: true), 9),
    (.isNull(["id"], negated: false), 0),
    (.comparison(["ts"], .equal, .timestamp(RowGroupFixtures.baseMicros + 250_000_000, utc: true)), 1),
    // Parquet bounds are exact: one microsecond past group 8's max leaves only group 9.
    (.comparison(["ts"], .greater, .timestamp(RowGroupFixtures.baseMicros + 899_000_000, utc: true)), 1),
    (.comparison(["ts"], .less, .date(0)), 0),
  ])
  func predicatesReadOnlyTheGroupsThatMightMatch(predicate: Expr.Predicate, groupsRead: Int) throws {
    let path = try Fixtures.sortedTable()
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    let metrics = try Fixtures.checkNothingDropped(snapshot, predicate)
    #expect(metrics.rowGroups == 10)
    #expect(metrics.rowGroups - metrics.rowGroupsSkipped == groupsRead, "\(predicate)")
    #expect(metrics.rowsRead == groupsRead * 100)
  }

  @Test func partitionValuesAreExactWithinAFile() throws {
    let path = try Fixtures.sortedTable(partitioned: true)
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    // The OR keeps the file past partition pruning; within it, p = 'b' is false everywhere.
    let either = try Fixtures.checkNothingDropped(
      snapshot, .or([.comparison(["p"], .equal, .string("b")), .comparison(["id"], .equal, .int64(555))]))
    #expect(either.rowGroupsSkipped == 9)
    let both = try Fixtures.checkNothingDropped(
      snapshot, .and([.comparison(["p"], .equal, .string("a")), .comparison(["id"], .equal, .int64(555))]))
    #expect(both.rowGroupsSkipped == 9)
    let negated = try Fixtures.checkNothingDropped(snapshot, .not(.comparison(["p"], .equal, .string("a"))))
    #expect(negated.rowsRead == 0)
    let nulls = try Fixtures.checkNothingDropped(snapshot, .isNull(["p"], negated: true))
    #expect(nulls.rowGroupsSkipped == 0)
  }

  @Test func noPredicateOrAnUndecidableOneReadsEverything() throws {
    let path = try Fixtures.sortedTable(rows: 300, groupRows: 100)
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    for predicate: Expr.Predicate? in [
      nil, .literal(true), .comparison(["nope"], .equal, .int64(1)), .comparison(["id"], .equal, .string("x")),
    ] {
      let scan = try snapshot.scan(ScanOptions(predicate: predicate))
      let (batches, metrics) = try Fixtures.read(scan, try #require(snapshot.scan().files.first))
      #expect(metrics.rowGroups == 3 && metrics.rowGroupsSkipped == 0 && metrics.rowsRead == 300)
      #expect(Fixtures.integers(batches).count == 300)
    }
  }

  /// Row indices of a deletion vector count from the start of the file, so they must advance
  /// over skipped row groups.
  @Test func deletionVectorsStillDeleteTheRightRowsAfterSkippedGroups() throws {
    let path = try DeletedRowsScanTests.makeTable(deleted: [0, 9, 10, 11, 25, 29])
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    let cases: [(Expr.Predicate, [Int64], Int)] = [
      (.comparison(["id"], .greaterOrEqual, .int64(20)), [20, 21, 22, 23, 24, 26, 27, 28], 2),
      (
        .and([.comparison(["id"], .greaterOrEqual, .int64(10)), .comparison(["id"], .less, .int64(20))]),
        Array(12..<20), 2
      ),
      (.inList(["id"], [.int64(25), .int64(26)], negated: false), [20, 21, 22, 23, 24, 26, 27, 28], 2),
      (
        .or([.comparison(["p"], .equal, .string("y")), .comparison(["id"], .greater, .int64(24))]),
        [20, 21, 22, 23, 24, 26, 27, 28], 2
      ),
      (.and([.comparison(["p"], .equal, .string("x")), .comparison(["id"], .less, .int64(10))]), Array(1..<9), 2),
    ]
    for (predicate, ids, skipped) in cases {
      let scan = try snapshot.scan(ScanOptions(predicate: predicate))
      let file = try #require(scan.files.first)
      let (batches, metrics) = try Fixtures.read(scan, file)
      #expect(Fixtures.integers(batches) == ids, "\(predicate)")
      #expect(metrics.rowGroupsSkipped == skipped, "\(predicate)")
      #expect(metrics.rowsRead == 10 * (3 - skipped))
      try Fixtures.checkNothingDropped(snapshot, predicate)
    }
  }

  /// Physical names (mode `name`) and field ids (mode `id`, where the file's names differ from
  /// the physical names in the log) lead the statistics to the right leaf, nested ones included.
  @Test(arguments: ["name", "id"])
  func columnMappingFindsTheLeafOfALogicalColumn(mode: String) throws {
    let inner = Field("col-x4", .int64, fieldID: 4)
    let schema = Schema([
      Field(mode == "id" ? "a-by-id" : "col-a1", .int64, fieldID: 1),
      Field(mode == "id" ? "b-by-id" : "col-b2", .string, fieldID: 2),
      Field("col-s3", .structure([inner]), fieldID: 3),
    ])
    var groups: [RecordBatch] = []
    for group in 0..<10 {
      let ids = (group * 10..<group * 10 + 10).map { Int64($0) }
      let names = WriteFixtures.string(ids.map { "k\(100 + $0)" })
      let nested = ColumnVector(
        type: .structure([inner]), count: 10, storage: .structure([WriteFixtures.int64(ids.map { $0 * 10 })]))
      groups.append(
        try RecordBatch(schema: schema, columns: [WriteFixtures.int64(ids), names, nested], rowCount: 10))
    }
    func mapping(_ id: Int, _ physical: String) -> String {
      #"{"delta.columnMapping.id":\#(id),"delta.columnMapping.physicalName":"\#(physical)"}"#
    }
    let path = try Fixtures.handWrittenTable(
      schema: schema, groups: groups,
      fields: [
        Fixtures.field("id", #""long""#, metadata: mapping(1, "col-a1")),
        Fixtures.field("name", #""string""#, metadata: mapping(2, "col-b2")),
        Fixtures.field(
          "s", #"{"type":"struct","fields":[\#(Fixtures.field("x", #""long""#, metadata: mapping(4, "col-x4")))]}"#,
          metadata: mapping(3, "col-s3")),
      ],
      configuration: #"{"delta.columnMapping.mode":"\#(mode)","delta.columnMapping.maxColumnId":"4"}"#,
      protocol: #"{"minReaderVersion":2,"minWriterVersion":5}"#)
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.columnMappingMode != .none)
    for predicate: Expr.Predicate in [
      .comparison(["id"], .equal, .int64(55)), .comparison(["name"], .equal, .string("k155")),
      .comparison(["s", "x"], .equal, .int64(550)),
    ] {
      let metrics = try Fixtures.checkNothingDropped(snapshot, predicate)
      #expect(metrics.rowGroupsSkipped == 9, "\(mode): \(predicate)")
      let scan = try snapshot.scan(ScanOptions(predicate: predicate))
      let (batches, _) = try Fixtures.read(scan, try #require(scan.files.first))
      #expect(Fixtures.integers(batches) == (50..<60).map { Int64($0) })
    }
  }

  /// Millisecond and nanosecond timestamps read as Delta microseconds; nanoseconds are truncated
  /// toward zero when read, so their bounds are not exact (here, before 1970, the truncated value
  /// is above the bound rounded down).
  @Test func timestampUnitsAreConvertedToMicroseconds() throws {
    let baseMillis: Int64 = 1_700_000_000_000
    let baseNanos: Int64 = -1_000_000_000_000_000
    let schema = Schema([
      Field("id", .int64), Field("ts_ms", .timestamp(.millisecond, utc: true)),
      Field("ts_ns", .timestamp(.nanosecond, utc: true)),
    ])
    var groups: [RecordBatch] = []
    for group in 0..<5 {
      let ids = (group * 10..<group * 10 + 10).map { Int64($0) }
      let millis = ColumnVector(
        type: .timestamp(.millisecond, utc: true), count: 10, storage: .int64(ids.map { baseMillis + $0 }))
      let nanos = ColumnVector(
        type: .timestamp(.nanosecond, utc: true), count: 10,
        storage: .int64(ids.map { baseNanos + $0 * 1_000_000 + 500 }))
      groups.append(try RecordBatch(schema: schema, columns: [WriteFixtures.int64(ids), millis, nanos], rowCount: 10))
    }
    let path = try Fixtures.handWrittenTable(
      schema: schema, groups: groups,
      fields: [
        Fixtures.field("id", #""long""#), Fixtures.field("ts_ms", #""timestamp""#),
        Fixtures.field("ts_ns", #""timestamp""#),
      ])
    defer { TemporaryTable.remove(path) }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    func micros(ms id: Int64) -> ScalarValue { .timestamp((baseMillis + id) * 1000, utc: true) }
    // As read: truncated toward zero.
    func micros(ns id: Int64) -> ScalarValue { .timestamp((baseNanos + id * 1_000_000 + 500) / 1000, utc: true) }
    let equal = try Fixtures.checkNothingDropped(snapshot, .comparison(["ts_ms"], .equal, micros(ms: 25)))
    #expect(equal.rowGroupsSkipped == 4)
    let above = try Fixtures.checkNothingDropped(snapshot, .comparison(["ts_ms"], .greater, micros(ms: 29)))
    #expect(above.rowGroupsSkipped == 3)
    let nanosEqual = try Fixtures.checkNothingDropped(snapshot, .comparison(["ts_ns"], .equal, micros(ns: 25)))
    #expect(nanosEqual.rowGroupsSkipped == 4)
    for id: Int64 in [0, 9, 10, 19, 49] {
      for op in ComparisonOperator.allCases {
        try Fixtures.checkNothingDropped(snapshot, .comparison(["ts_ns"], op, micros(ns: id)))
        try Fixtures.checkNothingDropped(snapshot, .comparison(["ts_ms"], op, micros(ms: id)))
      }
    }
  }

  /// A column added after a file was written is all null in that file.
  @Test func aColumnMissingFromAFileIsAllNull() throws {
    let path = WriteFixtures.temporaryTable()
    defer { TemporaryTable.remove(path) }
    var options = WriteOptions()
    options.parquet.rowGroupRowLimit = 10
    let old = (0..<100).map { Int64($0) }
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64(old))])], options: options)
    options.mergeSchema = true
    let new = (100..<200).map { Int64($0) }
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64(new)), ("extra", WriteFixtures.int64(new))])],
      options: options)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.count == 2)
    let equal = try Fixtures.checkNothingDropped(snapshot, .comparison(["extra"], .equal, .int64(150)))
    #expect(equal.rowGroups == 20 && equal.rowGroupsSkipped == 19)
    let nulls = try Fixtures.checkNothingDropped(snapshot, .isNull(["extra"], negated: false))
    #expect(nulls.rowGroupsSkipped == 10 && nulls.rowsRead == 100)
    let present = try Fixtures.checkNothingDropped(snapshot, .isNull(["extra"], negated: true))
    #expect(present.rowGroupsSkipped == 10 && present.rowsRead == 100)
    let notIn = try Fixtures.checkNothingDropped(snapshot, .inList(["extra"], [.int64(1)], negated: true))
    #expect(notIn.rowGroupsSkipped == 10)
    // NOT (extra = 1) is NULL, not TRUE, on a null row.
    let negated = try Fixtures.checkNothingDropped(snapshot, .not(.comparison(["extra"], .equal, .int64(1))))
    #expect(negated.rowGroupsSkipped == 10)
  }

  /// INT96 statistics are not trusted (writers ordered them wrongly), so only the file whose
  /// `time` is all null is skipped; the corpus table's `time` column is INT96.
  @Test func int96StatisticsAreNotUsed() throws {
    let name = "golden-kernel-timestamp-int96"
    guard ConformanceCorpus.isAvailable else { return }
    let snapshot = try DeltaTable.open(path: ConformanceCorpus.tablePath(name)).snapshot()
    let metrics = try Fixtures.checkNothingDropped(
      snapshot, .comparison(["time"], .greater, .timestamp(4_000_000_000_000_000, utc: true)))
    #expect(metrics.rowGroups == 5 && metrics.rowGroupsSkipped == 1)
    let ids = try Fixtures.checkNothingDropped(snapshot, .comparison(["id"], .greater, .int64(1_000_000)))
    #expect(ids.rowGroupsSkipped == ids.rowGroups)
  }

  /// Every readable corpus table (Spark, delta-rs and kernel writers; column mapping, deletion
  /// vectors, type widening, INT96, nested columns): predicates on each primitive column, with
  /// literals drawn from the data, never drop a matching row.
  @Test func corpusTablesNeverLoseAMatchingRow() throws {
    guard ConformanceCorpus.isAvailable else { return }
    var skipped = 0
    var checked = 0
    for name in ConformanceCorpus.tableNames
    where !ConformanceCorpus.invalidTables.contains(name) && !Self.statisticsDisagreeWithData.contains(name) {
      guard let snapshot = try? DeltaTable.open(path: ConformanceCorpus.tablePath(name)).snapshot(),
        let full = try? snapshot.scan(), let batches = try? full.readBatches()
      else { continue }
      for (path, values) in Self.sampleValues(snapshot.schema, batches).prefix(12) {
        for value in values.prefix(2) {
          for predicate: Expr.Predicate in [
            .comparison(path, .equal, value), .comparison(path, .less, value),
            .comparison(path, .greaterOrEqual, value), .not(.comparison(path, .equal, value)),
            .isNull(path, negated: false), .isNull(path, negated: true),
          ] {
            let metrics = try Fixtures.checkNothingDropped(snapshot, predicate, full: (full, batches))
            skipped += metrics.rowGroupsSkipped
            checked += 1
          }
        }
      }
    }
    #expect(checked > 400)
    #expect(skipped > 0)
  }

  /// Tables whose Delta file statistics contradict their data, so that any reader trusting them
  /// (Spark included) skips files holding matching rows: `drs-issue_1374` has a timestamp min
  /// above values of the file (the delta-rs bug the table reproduces); in
  /// `drs-table_with_edge_timestamps` the statistics say 9999-12-31 where the INT96 data reads
  /// as 1816 (nanoseconds past `Int64`).
  static let statisticsDisagreeWithData: Set<String> = ["drs-issue_1374", "drs-table_with_edge_timestamps"]

  /// Column-mapped corpus tables: a literal above one file's maximum skips that file's row group.
  @Test(arguments: [
    "golden-table-with-columnmapping-mode-name", "golden-table-with-columnmapping-mode-id",
    "golden-dv-with-columnmapping", "drs-table_with_column_mapping",
  ])
  func corpusColumnMappingTablesSkipRowGroups(name: String) throws {
    guard ConformanceCorpus.isAvailable else { return }
    let snapshot = try DeltaTable.open(path: ConformanceCorpus.tablePath(name)).snapshot()
    #expect(snapshot.columnMappingMode != .none)
    let full = try snapshot.scan()
    var skippedSomewhere = false
    for (path, values) in Self.sampleValues(snapshot.schema, try full.readBatches()) {
      // Above the largest sampled integer, or above any string.
      let above: ScalarValue
      switch values.first {
      case .int64?:
        guard let top = values.max(by: { (ScalarValue.compare($0, $1) ?? 0) < 0 }) else { continue }
        above = top
      case .string?: above = .string("\u{10FFFF}")
      default: continue
      }
      let metrics = try Fixtures.checkNothingDropped(snapshot, .comparison(path, .greater, above))
      if metrics.rowGroupsSkipped > 0 { skippedSomewhere = true }
    }
    #expect(skippedSomewhere, "\(name)")
  }

  /// Random tables (sorted or not, with nulls, NaN, ±0, infinities, empty and non-ASCII strings,
  /// a partition column) and random predicate trees: the rows satisfying a predicate are the
  /// same whether or not it was used to skip row groups.
  @Test(arguments: 0..<12)
  func randomPredicatesNeverLoseAMatchingRow(seed: UInt64) throws {
    var random = SplitMix64(state: seed &* 7919 &+ 17)
    let rowCount = Int.random(in: 40...300, using: &random)
    let sorted = Bool.random(using: &random)
    var ints: [Int64?] = (0..<rowCount).map { _ in
      Int.random(in: 0..<10, using: &random) == 0 ? nil : Int64.random(in: -40...40, using: &random)
    }
    if sorted { ints.sort { ($0 ?? .min) < ($1 ?? .min) } }
    let alphabet = ["", "a", "ab", "abc", "b", "é", "z\u{7F}", "zz", "\u{10FFFF}", "m"]
    let strings: [String?] = (0..<rowCount).map { row in
      if Int.random(in: 0..<8, using: &random) == 0 { return nil }
      return sorted
        ? alphabet.sorted()[row * alphabet.count / rowCount] : alphabet.randomElement(using: &random)
    }
    let specials: [Double] = [.nan, -0.0, 0.0, .infinity, -.infinity, 1.5, -2.25]
    let doubles: [Double?] = (0..<rowCount).map { _ in
      switch Int.random(in: 0..<10, using: &random) {
      case 0: nil
      case 1: specials.randomElement(using: &random)
      default: Double(Int.random(in: -20...20, using: &random)) / 4
      }
    }
    let stamps: [Int64?] = (0..<rowCount).map { row in
      Int.random(in: 0..<12, using: &random) == 0
        ? nil : RowGroupFixtures.baseMicros + Int64(sorted ? row : Int.random(in: 0..<rowCount, using: &random)) * 777
    }
    let smalls: [Int32?] = (0..<rowCount).map { _ in
      Int.random(in: 0..<6, using: &random) == 0 ? nil : Int32.random(in: -3...3, using: &random)
    }
    let parts: [String?] = (0..<rowCount).map { _ in ["p", "q", nil].randomElement(using: &random) ?? nil }
    let batch = try WriteFixtures.batch([
      ("i", WriteFixtures.int64(ints)), ("s", WriteFixtures.string(strings)), ("d", WriteFixtures.float64(doubles)),
      ("t", WriteFixtures.timestamp(stamps)), ("n", WriteFixtures.int32(smalls)), ("part", WriteFixtures.string(parts)),
    ])
    let path = WriteFixtures.temporaryTable()
    defer { TemporaryTable.remove(path) }
    var options = WriteOptions()
    options.parquet.rowGroupRowLimit = Int.random(in: 3...40, using: &random)
    options.parquet.dictionaryEnabled = Bool.random(using: &random)
    if Bool.random(using: &random) { options.partitionBy = ["part"] }
    try TableWriter.write(path: path, batches: [batch], options: options)
    let snapshot = try DeltaTable.open(path: path).snapshot()

    func literal(_ column: String) -> ScalarValue {
      if Int.random(in: 0..<25, using: &random) == 0 { return .null }
      switch column {
      case "i":
        if Int.random(in: 0..<5, using: &random) == 0 { return .float64(Double.random(in: -45...45, using: &random)) }
        return .int64(ints.randomElement(using: &random).flatMap { $0 } ?? Int64.random(in: -45...45, using: &random))
      case "s":
        return .string(strings.randomElement(using: &random).flatMap { $0 } ?? alphabet.randomElement(using: &random)!)
      case "d":
        if Int.random(in: 0..<6, using: &random) == 0 { return .int64(Int64.random(in: -5...5, using: &random)) }
        return .float64(doubles.randomElement(using: &random).flatMap { $0 } ?? specials.randomElement(using: &random)!)
      case "t":
        let base = stamps.randomElement(using: &random).flatMap { $0 } ?? RowGroupFixtures.baseMicros
        return .timestamp(base + Int64.random(in: -1...1, using: &random), utc: true)
      case "n": return .int64(Int64.random(in: -4...4, using: &random))
      default: return .string(["p", "q", "r"].randomElement(using: &random)!)
      }
    }
    func predicate(depth: Int) -> Expr.Predicate {
      let column = ["i", "s", "d", "t", "n", "part"].randomElement(using: &random)!
      switch Int.random(in: 0..<(depth > 0 ? 8 : 5), using: &random) {
      case 0, 1:
        return .comparison([column], ComparisonOperator.allCases.randomElement(using: &random)!, literal(column))
      case 2:
        return .inList(
          [column], (0..<Int.random(in: 0...3, using: &random)).map { _ in literal(column) },
          negated: Bool.random(using: &random))
      case 3: return .isNull([column], negated: Bool.random(using: &random))
      case 4: return .comparison([column], .equal, literal(column))
      case 5: return .not(predicate(depth: depth - 1))
      case 6: return .and([predicate(depth: depth - 1), predicate(depth: depth - 1)])
      default: return .or([predicate(depth: depth - 1), predicate(depth: depth - 1)])
      }
    }
    var skipped = 0
    for _ in 0..<40 {
      skipped += try Fixtures.checkNothingDropped(snapshot, predicate(depth: 2)).rowGroupsSkipped
    }
    #expect(skipped > 0)
  }

  /// Files read concurrently, one per thread without parallel decoding, give the rows and the
  /// metrics of a sequential read.
  @Test func filesReadConcurrentlyMatchASequentialRead() throws {
    let path = WriteFixtures.temporaryTable()
    defer { TemporaryTable.remove(path) }
    var options = WriteOptions()
    options.parquet.rowGroupRowLimit = 25
    options.partitionBy = ["p"]
    // Eight files (p = id % 8) of two row groups each: ids below 200, then above.
    let ids = (0..<400).map { Int64($0) }
    try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([
          ("id", WriteFixtures.int64(ids)), ("p", WriteFixtures.int64(ids.map { $0 % 8 })),
        ])
      ], options: options)
    let scan = try DeltaTable.open(path: path).snapshot().scan(
      ScanOptions(predicate: .comparison(["id"], .less, .int64(100))))
    #expect(scan.files.count == 8)
    var sequentialRows: [Int64] = []
    let sequential = try scan.forEachBatch { batch in
      sequentialRows += Fixtures.integers([batch])
      return true
    }
    #expect(sequential.rowGroups == 16 && sequential.rowGroupsSkipped == 8 && sequential.rowsRead == 200)
    let results = Mutex<[(rows: [Int64], metrics: FileReadMetrics)]>([])
    let failures = Mutex<[DeltaError]>([])
    let files = scan.files
    DispatchQueue.concurrentPerform(iterations: files.count) { index in
      do throws(DeltaError) {
        var rows: [Int64] = []
        let metrics = try scan.read(files[index], decodeColumnsInParallel: false) { batch in
          rows += Fixtures.integers([batch])
          return true
        }
        results.withLock { $0.append((rows, metrics)) }
      } catch {
        failures.withLock { $0.append(error) }
      }
    }
    #expect(failures.withLock { $0.isEmpty })
    var total = FileReadMetrics()
    var rows: [Int64] = []
    for result in results.withLock({ $0 }) {
      total += result.metrics
      rows += result.rows
    }
    #expect(total == sequential)
    #expect(rows.sorted() == sequentialRows.sorted())
  }

  @Test func readingStopsWhenVisitSaysSo() throws {
    let path = try Fixtures.sortedTable(rows: 500, groupRows: 100)
    defer { TemporaryTable.remove(path) }
    let scan = try DeltaTable.open(path: path).snapshot().scan(
      ScanOptions(predicate: .comparison(["id"], .greaterOrEqual, .int64(200))))
    var calls = 0
    let metrics = try scan.read(try #require(scan.files.first), decodeColumnsInParallel: false) { _ in
      calls += 1
      return false
    }
    #expect(calls == 1)
    #expect(metrics.rowGroups == 5 && metrics.rowGroupsSkipped == 2 && metrics.rowsRead == 100)
  }

  @Test func metricsAddUp() {
    var a = FileReadMetrics()
    a.rowGroups = 3
    a.rowGroupsSkipped = 1
    a.rowsRead = 20
    a.bytesRead = 400
    var b = a
    b += a
    #expect(b.rowGroups == 6 && b.rowGroupsSkipped == 2 && b.rowsRead == 40 && b.bytesRead == 800)
    #expect(FileReadMetrics() == FileReadMetrics())
  }

  /// Up to a few non-null sample values of every primitive column (nested ones through structs),
  /// by logical path.
  static func sampleValues(_ schema: Schema, _ batches: [RecordBatch]) -> [(ColumnPath, [ScalarValue])] {
    var paths: [ColumnPath] = []
    func walk(_ fields: [Field], _ prefix: ColumnPath) {
      for field in fields {
        switch field.type {
        case .structure(let children): walk(children, prefix + [field.name])
        case .list, .map, .null: continue
        default: paths.append(prefix + [field.name])
        }
      }
    }
    walk(schema.fields, [])
    var result: [(ColumnPath, [ScalarValue])] = []
    for path in paths {
      var values: [ScalarValue] = []
      var seen: Set<ScalarValue> = []
      outer: for batch in batches {
        for row in 0..<batch.rowCount {
          let value = SQLFilter.value(path, batch, row)
          if !value.isNull, seen.insert(value).inserted { values.append(value) }
          if values.count >= 8 { break outer }
        }
      }
      if !values.isEmpty { result.append((path, values)) }
    }
    return result
  }
}
