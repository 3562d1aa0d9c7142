import Columnar
import Delta
import Expr
import Foundation
import Testing

/// Helpers shared by the write tests: temporary tables, column builders, reading rows back.
enum WriteFixtures {
  static func temporaryTable(_ name: String = "t") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-write-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
  }

  static func validity(_ flags: [Bool]) -> Bitmap? {
    guard flags.contains(false) else { return nil }
    var bitmap = Bitmap()
    for flag in flags { bitmap.append(flag) }
    return bitmap
  }

  static func int64(_ values: [Int64?]) -> ColumnVector {
    ColumnVector(
      type: .int64, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .int64(values.map { $0 ?? 0 }))
  }

  static func int32(_ values: [Int32?], type: DataType = .int32) -> ColumnVector {
    ColumnVector(
      type: type, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .int32(values.map { $0 ?? 0 }))
  }

  static func float64(_ values: [Double?]) -> ColumnVector {
    ColumnVector(
      type: .float64, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .float64(values.map { $0 ?? 0 }))
  }

  static func timestamp(_ values: [Int64?], utc: Bool = true) -> ColumnVector {
    ColumnVector(
      type: .timestamp(.microsecond, utc: utc), count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .int64(values.map { $0 ?? 0 }))
  }

  static func string(_ values: [String?]) -> ColumnVector {
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    for value in values {
      bytes.append(contentsOf: Array((value ?? "").utf8))
      offsets.append(Int32(bytes.count))
    }
    return ColumnVector(
      type: .string, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .binary(offsets: offsets, bytes: bytes))
  }

  static func batch(_ columns: [(String, ColumnVector)]) throws -> RecordBatch {
    try RecordBatch(
      schema: Schema(columns.map { Field($0.0, $0.1.type) }), columns: columns.map(\.1),
      rowCount: columns.first?.1.count ?? 0)
  }

  /// Every row of the latest snapshot as sorted JSON lines.
  static func rows(_ path: String, columns: [String]? = nil) throws -> [String] {
    try rows(of: try DeltaTable.open(path: path).snapshot(), columns: columns)
  }

  /// Every row of a snapshot as sorted JSON lines.
  static func rows(of snapshot: Snapshot, columns: [String]? = nil) throws -> [String] {
    var lines: [String] = []
    for batch in try snapshot.scan(ScanOptions(columns: columns)).readBatches() {
      for row in 0..<batch.rowCount {
        var out: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &out)
        lines.append(String(decoding: out, as: UTF8.self))
      }
    }
    return lines.sorted()
  }

  static func logFiles(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path + "/_delta_log")) ?? []).filter { !$0.hasPrefix(".") }
      .sorted()
  }
}

@Suite struct WriteRoundTripTests {
  @Test func createsAndAppends() throws {
    let path = WriteFixtures.temporaryTable()
    let batch = try WriteFixtures.batch([
      ("id", WriteFixtures.int64([1, 2, nil])), ("name", WriteFixtures.string(["a", nil, "c"])),
    ])
    let first = try TableWriter.write(path: path, batches: [batch])
    #expect(first.version == 0)
    let second = try TableWriter.write(path: path, batches: [batch])
    #expect(second.version == 1)
    let rows = try WriteFixtures.rows(path)
    #expect(rows.count == 6)
    #expect(rows.filter { $0 == #"{"id":1,"name":"a"}"# }.count == 2)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.deltaProtocol.minReaderVersion == 1 && snapshot.deltaProtocol.minWriterVersion == 2)
    #expect(snapshot.commitInfo?.engineInfo == "Avocet/0.1.0")
    #expect(snapshot.commitInfo?.isBlindAppend == true)
    let stats = try #require(snapshot.files.first?.stats)
    #expect(stats.contains(#""numRecords":3"#))
    #expect(stats.contains(#""minValues":{"id":1,"name":"a"}"#))
    #expect(stats.contains(#""nullCount":{"id":1,"name":1}"#))
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000001.json"))
  }

  @Test func modes() throws {
    let path = WriteFixtures.temporaryTable()
    let one = try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])
    let two = try WriteFixtures.batch([("id", WriteFixtures.int64([2, 3]))])
    try TableWriter.write(path: path, batches: [one])
    #expect(throws: DeltaError.self) { try TableWriter.write(path: path, batches: [two], options: WriteOptions(mode: .errorIfExists)) }
    let ignored = try TableWriter.write(path: path, batches: [two], options: WriteOptions(mode: .ignore))
    #expect(ignored.version == nil)
    #expect(try WriteFixtures.rows(path) == [#"{"id":1}"#])
    let overwrite = try TableWriter.write(path: path, batches: [two], options: WriteOptions(mode: .overwrite))
    #expect(overwrite.version == 1 && overwrite.filesRemoved == 1)
    #expect(try WriteFixtures.rows(path) == [#"{"id":2}"#, #"{"id":3}"#])
    // Time travel still sees version 0.
    let old = try DeltaTable.open(path: path).snapshot(version: 0)
    #expect(old.files.count == 1)
  }

  @Test func partitionedWithSpecialValuesAndReplaceWhere() throws {
    let path = WriteFixtures.temporaryTable()
    let batch = try WriteFixtures.batch([
      ("v", WriteFixtures.int64([1, 2, 3, 4])),
      ("p", WriteFixtures.string(["a/b", "x:y=z %", nil, "a/b"])),
    ])
    var options = WriteOptions()
    options.partitionBy = ["p"]
    try TableWriter.write(path: path, batches: [batch], options: options)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.count == 3)
    let paths = snapshot.files.map(\.path).sorted()
    #expect(paths.contains { $0.hasPrefix("p=__HIVE_DEFAULT_PARTITION__/part-00") })
    #expect(paths.contains { $0.hasPrefix("p=a%252Fb/") })
    #expect(paths.contains { $0.hasPrefix("p=x%253Ay%253Dz%20%2525/") })
    #expect(FileManager.default.fileExists(atPath: path + "/p=a%2Fb"))
    #expect(
      try WriteFixtures.rows(path) == [
        #"{"v":1,"p":"a/b"}"#, #"{"v":2,"p":"x:y=z %"}"#, #"{"v":3,"p":null}"#, #"{"v":4,"p":"a/b"}"#,
      ])
    // Replace only partition a/b.
    var replace = WriteOptions(mode: .overwrite)
    replace.replaceWhere = .comparison(["p"], .equal, .string("a/b"))
    let new = try WriteFixtures.batch([("v", WriteFixtures.int64([10])), ("p", WriteFixtures.string(["a/b"]))])
    let result = try TableWriter.write(path: path, batches: [new], options: replace)
    #expect(result.filesRemoved == 1)
    #expect(
      try WriteFixtures.rows(path) == [#"{"v":10,"p":"a/b"}"#, #"{"v":2,"p":"x:y=z %"}"#, #"{"v":3,"p":null}"#])
    // Rows outside the predicate are refused and nothing is committed.
    let wrong = try WriteFixtures.batch([("v", WriteFixtures.int64([11])), ("p", WriteFixtures.string(["zz"]))])
    #expect(throws: DeltaError.self) { try TableWriter.write(path: path, batches: [wrong], options: replace) }
    #expect(try DeltaTable.open(path: path).latestVersion() == 1)
  }

  @Test func rollsFilesAtTargetSize() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.targetFileSize = 64 << 10
    let writer = try TableWriter(
      path: path, schema: Schema([Field("id", .int64), Field("s", .string)]), options: options)
    for chunk in 0..<20 {
      let ids = (0..<5000).map { Int64(chunk * 5000 + $0) }
      try writer.write(
        try WriteFixtures.batch([
          ("id", WriteFixtures.int64(ids)), ("s", WriteFixtures.string(ids.map { "row-\($0)-\($0 &* 7919)" })),
        ]))
    }
    let result = try writer.commit()
    #expect(result.filesAdded > 3)
    #expect(try WriteFixtures.rows(path, columns: ["id"]).count == 100_000)
  }

  @Test func abortLeavesNoFiles() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])])
    do {
      let writer = try TableWriter(path: path, schema: Schema([Field("id", .int64)]))
      try writer.write(try WriteFixtures.batch([("id", WriteFixtures.int64([2]))]))
      writer.abort()
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".parquet") }
    #expect(files.count == 1)
  }

  @Test func longStringStatsAreValidBounds() throws {
    let path = WriteFixtures.temporaryTable()
    let long = String(repeating: "z", count: 40)
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("s", WriteFixtures.string(["a" + long, long]))])])
    let stats = try #require(try DeltaTable.open(path: path).snapshot().files.first?.stats)
    #expect(stats.contains("\"minValues\":{\"s\":\"a" + String(repeating: "z", count: 31) + "\"}"))
    #expect(stats.contains("\"maxValues\":{\"s\":\"" + String(repeating: "z", count: 32) + "\u{10FFFF}\"}"))
    // File skipping still finds the row.
    let scan = try DeltaTable.open(path: path).snapshot().scan(
      ScanOptions(predicate: .comparison(["s"], .equal, .string(long))))
    #expect(try scan.readBatches().reduce(0) { $0 + $1.rowCount } > 0)
  }

  @Test func idempotentAppTransactions() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.appTransaction = Delta.Transaction(appId: "ingest", version: 5)
    let batch = try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])
    #expect(try TableWriter.write(path: path, batches: [batch], options: options).version == 0)
    #expect(try TableWriter.write(path: path, batches: [batch], options: options).version == nil)
    #expect(try WriteFixtures.rows(path).count == 1)
    #expect(try DeltaTable.open(path: path).snapshot().transactions["ingest"]?.version == 5)
  }
}
