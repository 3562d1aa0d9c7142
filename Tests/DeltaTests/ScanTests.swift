import Columnar
import Delta
import Expr
import Foundation
import Testing

/// Scans: projection, partition values, file skipping (never dropping a matching row), metrics.
@Suite struct ScanTests {
  static func snapshot(_ name: String, version: Int64? = nil) throws -> Snapshot {
    let table = try DeltaTable.open(path: ConformanceCorpus.tablePath(name))
    if let version { return try table.snapshot(version: version) }
    return try table.snapshot()
  }

  /// SQL three-valued evaluation of a predicate on one row (nil is NULL).
  static func evaluate(_ predicate: Expr.Predicate, _ batch: RecordBatch, _ row: Int) -> Bool? {
    func value(_ path: ColumnPath) -> ScalarValue {
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
    switch predicate {
    case .literal(let b): return b
    case .isNull(let path, let negated): return value(path).isNull != negated
    case .comparison(let path, let op, let literal):
      let v = value(path)
      if v.isNull || literal.isNull { return nil }
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
      let v = value(path)
      if v.isNull { return nil }
      var sawNull = false
      for candidate in values {
        if candidate.isNull { sawNull = true; continue }
        if ScalarValue.compare(v, candidate) == 0 { return !negated }
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

  static func rows(_ batches: [RecordBatch], matching predicate: Expr.Predicate? = nil) -> [String] {
    var rows: [String] = []
    var line: [UInt8] = []
    for batch in batches {
      for row in 0..<batch.rowCount {
        if let predicate, evaluate(predicate, batch, row) != true { continue }
        line.removeAll(keepingCapacity: true)
        ValueRenderer.appendJSONRow(batch, row: row, to: &line)
        rows.append(String(decoding: line, as: UTF8.self))
      }
    }
    return rows.sorted()
  }

  /// Skipping with `predicate` keeps every row that satisfies it; returns the metrics.
  @discardableResult
  static func checkSkipping(_ name: String, _ predicate: Expr.Predicate) throws -> ScanMetrics {
    let snapshot = try snapshot(name)
    let full = try snapshot.scan().readBatches()
    let pruned = try snapshot.scan(ScanOptions(predicate: predicate))
    let kept = Set(rows(try pruned.readBatches()))
    let matching = rows(full, matching: predicate)
    for row in matching { #expect(kept.contains(row), "\(name): skipping \(predicate) dropped \(row)") }
    return pruned.metrics
  }

  static func ts(_ text: String) -> ScalarValue { .timestamp(Timestamps.parse(text)! * 1000, utc: true) }

  /// (`krs-parsed-stats` has statistics for a `ts_col` its data files do not hold, so predicates on
  /// it are left out: the statistics, not the data, are what skipping may trust.)
  @Test func statisticsSkipFilesButNeverMatchingRows() throws {
    // Statistics from a checkpoint's stats_parsed and from later commits' JSON.
    let metrics = try Self.checkSkipping("krs-parsed-stats", .comparison(["id"], .less, .int64(50)))
    #expect(metrics.totalFiles == 6)
    #expect(metrics.filesSkippedByStatistics >= 4)
    for predicate: Expr.Predicate in [
      .comparison(["id"], .greaterOrEqual, .int64(590)), .comparison(["salary"], .equal, .int64(50100)),
      .inList(["name"], [.string("name_1"), .string("name_599")], negated: false),
      .not(.comparison(["id"], .less, .int64(300))), .comparison(["age"], .greater, .int64(1000)),
      .or([.comparison(["id"], .equal, .int64(7)), .comparison(["id"], .equal, .int64(450))]),
    ] {
      try Self.checkSkipping("krs-parsed-stats", predicate)
    }
  }

  @Test func partitionValuesPruneFiles() throws {
    let metrics = try Self.checkSkipping("krs-mixed-nulls", .comparison(["part"], .equal, .int64(1)))
    #expect(metrics.filesPrunedByPartition == 2)
    #expect(metrics.selectedFiles == 1)
    try Self.checkSkipping("krs-mixed-nulls", .isNull(["n"], negated: false))
    try Self.checkSkipping("krs-mixed-nulls", .isNull(["n"], negated: true))
    let letters = try Self.checkSkipping("dat-multi_partitioned", .comparison(["letter"], .equal, .string("b")))
    #expect(letters.filesPrunedByPartition == 1)
    try Self.checkSkipping("dat-multi_partitioned", .isNull(["data"], negated: false))
    try Self.checkSkipping("dat-multi_partitioned", .comparison(["date"], .equal, .date(0)))
    let dates = try Self.checkSkipping("drs-http_requests", .comparison(["date"], .equal, .string("2023-04-14")))
    #expect(dates.filesPrunedByPartition == 1)
    try Self.checkSkipping("drs-http_requests", .comparison(["EdgeResponseStatus"], .greaterOrEqual, .int64(400)))
    try Self.checkSkipping(
      "drs-http_requests", .comparison(["EdgeStartTimestamp"], .less, Self.ts("2023-04-14T00:00:05Z")))
  }

  @Test func everyTypeOfStatisticSkipsCorrectly() throws {
    let name = "golden-data-skipping-basic-stats-all-types"
    let row = try #require(Self.rows(try Self.snapshot(name).scan().readBatches()).first)
    #expect(row.contains("\"as_timestamp\":\"2000-01-01T08:00:00.000000Z\""))
    let equal: [(String, ScalarValue)] = [
      ("as_int", .int64(0)), ("as_long", .int64(0)), ("as_byte", .int64(0)), ("as_short", .int64(0)),
      ("as_float", .float64(0)), ("as_double", .float64(0)), ("as_string", .string("0")), ("as_date", .date(10957)),
      ("as_timestamp", Self.ts("2000-01-01T08:00:00Z")), ("as_big_decimal", .decimal(0, precision: 1, scale: 0)),
    ]
    for (column, value) in equal {
      let hit = try Self.checkSkipping(name, .comparison([column], .equal, value))
      #expect(hit.selectedFiles == 1, "\(column) = \(value)")
      // A string max may be a truncated prefix and a timestamp max is rounded down to the
      // millisecond, so "greater than the max" must clear those margins.
      var above = value
      if column == "as_string" { above = .string("1") }
      if column == "as_timestamp" { above = Self.ts("2000-01-01T08:00:00.001Z") }
      let miss = try Self.checkSkipping(name, .comparison([column], .greater, above))
      #expect(miss.filesSkippedByStatistics == 1, "\(column) > \(above)")
      let unsure = try Self.checkSkipping(name, .comparison([column], .greater, value))
      if column == "as_string" || column == "as_timestamp" { #expect(unsure.selectedFiles == 1, "\(column) > max") }
    }
    // Statistics truncated to milliseconds: 08:00:00.000500 lies inside [min, max + 999 µs].
    let inside = try Self.checkSkipping(
      name, .comparison(["as_timestamp"], .equal, .timestamp(946_713_600_000_500, utc: true)))
    #expect(inside.selectedFiles == 1)
  }

  @Test func projectionReadsOnlyTheNamedColumnsInOrder() throws {
    let snapshot = try Self.snapshot("dat-multi_partitioned")
    let scan = try snapshot.scan(ScanOptions(columns: ["number", "letter"]))
    #expect(scan.schema.fields.map(\.name) == ["number", "letter"])
    let rows = Self.rows(try scan.readBatches())
    #expect(rows == [#"{"number":6,"letter":"/%20%f"}"#, #"{"number":7,"letter":"b"}"#])
    let error = try #require(throws: DeltaError.self) { try snapshot.scan(ScanOptions(columns: ["nope"])) }
    #expect(error.code == .invalidArgument)
  }

  /// A zone-less timestamp partition value is read in the writer's zone (PROTOCOL.md "Partition
  /// Value Serialization"); without one Avocet assumes UTC, as delta-rs and delta-kernel-rs do.
  @Test func zonelessTimestampPartitionValuesUseTheWriterTimeZone() throws {
    let snapshot = try Self.snapshot("golden-data-reader-partition-values")
    let column = { (options: ScanOptions) throws -> [String] in
      var options = options
      options.columns = ["as_timestamp"]
      return Self.rows(try snapshot.scan(options).readBatches())
    }
    #expect(try column(ScanOptions()).contains(#"{"as_timestamp":"2021-09-08T11:11:11.000000Z"}"#))
    let pacific = try #require(WriterTimeZone(identifier: "America/Los_Angeles"))
    #expect(
      try column(ScanOptions(writerTimeZone: pacific)).contains(#"{"as_timestamp":"2021-09-08T18:11:11.000000Z"}"#))
    // ISO 8601 values with a zone are exact whatever the writer's zone.
    let iso = try Self.snapshot("golden-kernel-timestamp-partition-col-ISO8601")
    let utcRows = Self.rows(try iso.scan(ScanOptions(columns: ["ts"])).readBatches())
    let pacificRows = Self.rows(try iso.scan(ScanOptions(columns: ["ts"], writerTimeZone: pacific)).readBatches())
    #expect(utcRows == pacificRows)
  }

  @Test func typeWideningCastsOldFilesToTheTableType() throws {
    let snapshot = try Self.snapshot("golden-type-widening")
    #expect(snapshot.schema.fields.first?.type == .int64)
    let rows = Self.rows(try snapshot.scan().readBatches())
    #expect(rows.count == 2)
    // The file written before the widening holds byte/int/float/decimal(10,2)/date values.
    let old = try #require(rows.first { $0.contains("\"byte_long\":1,") })
    #expect(old.contains("\"float_double\":3.4000000953674316") || old.contains("\"float_double\":3.4"))
    #expect(old.contains("\"decimal_decimal_same_scale\":\"123.45\""))
    #expect(old.contains("\"decimal_decimal_greater_scale\":\"67.89000\""))
    #expect(old.contains("\"byte_decimal\":\"1.0\""))
    #expect(old.contains("\"date_timestamp_ntz\":\"2024-09-09T00:00:00.000000\""))
    #expect(rows.contains { $0.contains("\"byte_long\":9223372036854775807") })
  }

  @Test func voidColumnsReadAsNulls() throws {
    let rows = Self.rows(try Self.snapshot("krs-void-column").scan().readBatches())
    #expect(rows == [#"{"id":1,"void_col":null}"#, #"{"id":2,"void_col":null}"#, #"{"id":3,"void_col":null}"#])
  }

  @Test func stopsWhenTheConsumerHasEnough() throws {
    let scan = try Self.snapshot("golden-basic-with-inserts-merge").scan()
    var batches = 0
    try scan.forEachBatch { _ in
      batches += 1
      return false
    }
    #expect(batches == 1)
  }
}
