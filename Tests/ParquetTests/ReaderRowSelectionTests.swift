import Columnar
import Foundation
import Parquet
import Testing

/// `readRowGroup(_:columns:rows:)` decodes only the selected rows (late materialization): for
/// every flat column of every file, selected row i must equal full-read row `rows[i]`.
@Suite struct ReaderRowSelectionTests {
  /// Selections of a group of `n` rows: sparse, dense, edges, a run, one row, all rows.
  static func selections(_ n: Int, seed: UInt64) -> [[Int32]] {
    guard n > 0 else { return [[]] }
    var random = TestRandom(seed: seed)
    let all = (0..<Int32(n)).map { $0 }
    return [
      all.filter { $0 % 3 == 1 },
      all.filter { _ in random.below(100) < 3 },
      all.filter { _ in random.below(100) < 60 },
      [0], [Int32(n - 1)],
      Array(all[(n / 3)..<max(n / 3 + 1, n / 2)]),
      all, [],
    ]
  }

  static func rows(_ batch: RecordBatch) -> [String] {
    (0..<batch.rowCount).map { row in
      var line: [UInt8] = []
      ValueRenderer.appendJSONRow(batch, row: row, to: &line)
      return String(decoding: line, as: UTF8.self)
    }
  }

  /// Checks every row group of `path` under every selection; returns the groups checked.
  @discardableResult
  static func check(_ path: String, seed: UInt64 = 1) throws -> Int {
    let reader = try ParquetFileReader(path: path)
    let flat = (0..<reader.schema.schema.fields.count).filter { reader.canSelectRows(columns: [$0]) }
    guard !flat.isEmpty else { return 0 }
    for group in 0..<reader.rowGroupCount {
      let full: [String] = Self.rows(try reader.readRowGroup(group, columns: flat))
      for selection in selections(full.count, seed: seed &+ UInt64(group)) {
        let selected = try reader.readRowGroup(group, columns: flat, rows: selection)
        #expect(selected.rowCount == selection.count, "\(path) group \(group)")
        let got: [String] = Self.rows(selected)
        let expected: [String] = selection.map { full[Int($0)] }
        let context = "\(path) group \(group): \(selection.count) of \(full.count) rows"
        #expect(got == expected, Comment(rawValue: context))
      }
    }
    return reader.rowGroupCount
  }

  /// Small pages, nulls, every physical type, dictionary chunks that fall back to plain, and
  /// both page versions, so that pages are skipped and levels mapped to values.
  @Test(arguments: [ParquetWriteOptions.DataPageVersion.v1, .v2])
  func writtenFilesSelectLikeFullReads(_ version: ParquetWriteOptions.DataPageVersion) throws {
    let n = 30_000
    var random = TestRandom(seed: 11)
    let sparse = (0..<n).map { i in i % 7 == 0 ? nil : Int64(random.below(1_000_000)) }
    let clustered = (0..<n).map { i in (i / 5_000) % 2 == 0 ? nil : Int32(i) }
    let doubles = (0..<n).map { i in i % 11 == 0 ? nil : Double(i) / 3 }
    let floats = (0..<n).map { i in Float(i % 100) }
    let flags = (0..<n).map { i in i % 13 == 0 ? nil : i % 2 == 0 }
    // Few distinct values at first (dictionary pages), then many (the writer falls back to plain).
    let names = (0..<n).map { i in i % 17 == 0 ? nil : (i < n / 2 ? "host-\(i % 40)" : "h-\(i)-\(random.below(1 << 30))") }
    let schema = Schema([
      Field("sparse", .int64), Field("clustered", .int32), Field("d", .float64), Field("f", .float32),
      Field("flag", .boolean), Field("name", .string),
      Field("ts", .timestamp(.microsecond, utc: true)),
    ])
    let batch = try RecordBatch(
      schema: schema,
      columns: [
        Build.fixed(sparse, .int64) { .int64($0) },
        Build.fixed(clustered, .int32) { .int32($0) },
        Build.fixed(doubles, .float64) { .float64($0) },
        Build.fixed(floats, .float32) { .float32($0) },
        Build.bool(flags),
        Build.strings(names),
        Build.fixed((0..<n).map { Int64($0) * 1_000_003 }, .timestamp(.microsecond, utc: true)) { .int64($0) },
      ], rowCount: n)
    var options = ParquetWriteOptions()
    options.dataPageRowLimit = 1_000
    options.dataPageVersion = version
    options.dictionaryPageSizeLimit = 4_096
    options.rowGroupRowLimit = 12_000
    let path = try WriterTesting.temporaryPath("selection-\(version).parquet")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try WriterTesting.write([batch], schema: schema, options: options, to: path)
    #expect(try Self.check(path) == 3)
  }

  /// The format fixtures (pyarrow: v1 and v2 pages, dictionaries, every encoding) and the Delta
  /// conformance corpus's files (Spark, Databricks, delta-rs).
  @Test func fixturesAndCorpusFilesSelectLikeFullReads() throws {
    let format = FormatFixtures.directory
    for name in ["dictionary_v2_pages", "encodings_v1_uncompressed", "primitives_snappy", "nested_zstd"] {
      try Self.check(format.appendingPathComponent("\(name).parquet").path)
    }
    let files = ConformanceParquetTests.parquetFiles()
    try #require(!files.isEmpty)
    var checked = 0
    for (index, file) in files.enumerated() where index % 4 == 0 {
      checked += try Self.check(ConformanceParquetTests.corpus.appendingPathComponent(file).path, seed: UInt64(index))
    }
    #expect(checked > 100)
  }

  @Test func selectionsMustAscendWithinTheGroup() throws {
    let path = FormatFixtures.directory.appendingPathComponent("primitives_snappy.parquet").path
    let reader = try ParquetFileReader(path: path)
    let flat = (0..<reader.schema.schema.fields.count).filter { reader.canSelectRows(columns: [$0]) }
    #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: flat, rows: [2, 1]) }
    #expect(throws: ParquetError.self) { try reader.readRowGroup(0, columns: flat, rows: [Int32(reader.rowCount + 5)]) }
  }
}
