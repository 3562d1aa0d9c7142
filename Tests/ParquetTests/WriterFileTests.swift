import Columnar
import Foundation
import Parquet
import Storage
import Testing

/// ``ParquetFileWriter``'s file layout, footer, row groups and failure handling.
@Suite struct WriterFileTests {
  static let schema = Schema(
    [Field("id", .int64, nullable: false), Field("name", .string), Field("tags", .list(Field("element", .string)))],
    metadata: ["origin": "tests"])

  static func batch(_ range: Range<Int>) throws -> RecordBatch {
    let rows = Array(range)
    let lengths: [Int?] = rows.map { $0 % 5 == 0 ? nil : $0 % 3 }
    let tagCount = lengths.reduce(0) { $0 + ($1 ?? 0) }
    return try RecordBatch(
      schema: schema,
      columns: [
        Build.fixed(rows.map { Int64($0) }, .int64) { .int64($0) },
        Build.strings(rows.map { $0 % 4 == 0 ? nil : "name \($0)" }),
        Build.list(
          Field("element", .string), lengths: lengths, values: Build.strings((0..<tagCount).map { "t\($0 % 4)" })),
      ], rowCount: rows.count)
  }

  @Test func footerDescribesTheFile() throws {
    let bytes = try WriterTesting.bytes([try Self.batch(0..<100), try Self.batch(100..<250)], schema: Self.schema)
    let footer = try WriterTesting.footer(bytes)
    #expect(footer.version == 2)
    #expect(footer.numRows == 250)
    #expect(footer.createdBy == "avocet version 0.1.0")
    #expect(footer.columnOrders == Array(repeating: .typeDefinedOrder, count: 3))
    #expect(footer.keyValueMetadata == [KeyValue(key: "origin", value: "tests")])
    #expect(footer.schema.count == 6)
    let group = try #require(footer.rowGroups.first)
    #expect(footer.rowGroups.count == 1)
    #expect(group.numRows == 250)
    #expect(group.ordinal == 0)
    #expect(group.fileOffset == 4)
    #expect(group.columns.map { $0.metaData?.pathInSchema ?? [] } == [["id"], ["name"], ["tags", "list", "element"]])
    // Chunks are back to back from offset 4, and their sizes add up to the row group's.
    var offset: Int64 = 4
    var compressed: Int64 = 0
    var uncompressed: Int64 = 0
    for chunk in group.columns {
      let metadata = try #require(chunk.metaData)
      #expect(chunk.fileOffset == offset)
      #expect((metadata.dictionaryPageOffset ?? metadata.dataPageOffset) == offset)
      #expect(metadata.codec == .snappy)
      offset += metadata.totalCompressedSize
      compressed += metadata.totalCompressedSize
      uncompressed += metadata.totalUncompressedSize
    }
    #expect(group.totalCompressedSize == compressed)
    #expect(group.totalByteSize == uncompressed)
    let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
    #expect(Int(offset) + footerLength + 8 == bytes.count)
    // One level per null list, empty list or element.
    let levels = (0..<250).reduce(0) { $0 + ($1 % 5 == 0 ? 1 : max(1, $1 % 3)) }
    #expect(group.columns[2].metaData?.numValues == Int64(levels))
  }

  @Test func rowRangesAreWrittenWithoutSlicingTheBatch() throws {
    let batch = try Self.batch(0..<3000)
    // Ranges of one batch, including an empty one and one crossing a slice boundary.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ranges-\(UUID().uuidString).parquet").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var writer = try ParquetFileWriter(file: try LocalWritableFile(path: path), schema: Self.schema)
    for rows in [10..<20, 20..<20, 1000..<2999, 5..<6] { try writer.write(batch, rows: rows) }
    #expect(writer.rowCount == 2010)
    try writer.close()
    let reader = try ParquetFileReader(path: path)
    let written = try (0..<reader.rowGroupCount).map { try reader.readRowGroup($0) }
    let all = try WriterTesting.rows([batch])
    #expect(try WriterTesting.rows(written) == Array(all[10..<20] + all[1000..<2999] + all[5..<6]))
    // A range outside the batch is refused.
    var other = try ParquetFileWriter(file: MemoryWritableFile(sink: MemorySink()), schema: Self.schema)
    #expect(throws: ParquetError.self) { try other.write(batch, rows: 2990..<3001) }
  }

  /// An open writer must not keep the buffers of a batch it has encoded: a partition file that
  /// waits for its next rows would otherwise pin a whole input batch in memory.
  @Test func encodedBatchesAreNotRetained() throws {
    let schema = Schema([Field("id", .int64), Field("s", .string)])
    var ids = (0..<5000).map { Int64($0) }
    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 5000 * 3)
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: MemorySink()), schema: schema)
    do {
      let batch = try RecordBatch(
        schema: schema,
        columns: [
          ColumnVector(type: .int64, count: 5000, storage: .int64(ids)),
          ColumnVector(type: .string, count: 5000, storage: .binary(offsets: (0...5000).map { Int32($0 * 3) }, bytes: bytes)),
        ], rowCount: 5000)
      try writer.write(batch, rows: 0..<5000)
    }
    // Still open, row group buffered: writing to our arrays must not copy them, which it would
    // if the writer still shared their storage.
    let idsBefore = ids.withUnsafeBufferPointer { $0.baseAddress }
    let bytesBefore = bytes.withUnsafeBufferPointer { $0.baseAddress }
    ids[0] = -1
    bytes[0] = 0
    #expect(ids.withUnsafeBufferPointer { $0.baseAddress } == idsBefore)
    #expect(bytes.withUnsafeBufferPointer { $0.baseAddress } == bytesBefore)
    #expect(writer.rowCount == 5000 && writer.bufferedBytes > 0)
    try writer.close()
  }

  @Test func keyValueMetadataIsMergedSorted() throws {
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema)
    try writer.write(try Self.batch(0..<3))
    let footer = try writer.close(keyValueMetadata: ["zeta": "1", "origin": "override", "alpha": "2"])
    #expect(
      footer.keyValueMetadata == [
        KeyValue(key: "alpha", value: "2"), KeyValue(key: "origin", value: "override"),
        KeyValue(key: "zeta", value: "1"),
      ])
    #expect(try WriterTesting.footer(sink.bytes) == footer)
    #expect(sink.closed && !sink.aborted)
  }

  @Test func rowGroupsAreCutByRowCount() throws {
    var options = ParquetWriteOptions()
    options.rowGroupRowLimit = 1000
    let footer = try WriterTesting.footer(
      try WriterTesting.bytes(
        [try Self.batch(0..<2500), try Self.batch(2500..<2600)], schema: Self.schema, options: options))
    #expect(footer.rowGroups.map(\.numRows) == [1000, 1000, 600])
    #expect(footer.rowGroups.map(\.ordinal) == [0, 1, 2])
  }

  /// A row group is written once its encoded pages reach `rowGroupSize`, so memory stays near
  /// one row group however many rows are written.
  @Test func rowGroupsAreCutBySize() throws {
    var options = ParquetWriteOptions()
    options.rowGroupSize = 64 << 10
    options.dataPageSize = 8 << 10
    options.compression = .uncompressed
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema, options: options)
    var start = 0
    for size in [1, 10_000, 77, 30_000, 5] {
      try writer.write(try Self.batch(start..<(start + size)))
      start += size
    }
    let footer = try writer.close()
    #expect(footer.numRows == Int64(start))
    #expect(footer.rowGroups.count > 10)
    for group in footer.rowGroups.dropLast() {
      // Cut once the buffered pages pass the size, within a slice of rows.
      let size = try #require(group.totalCompressedSize)
      // (The buffered size is an estimate of the final one: PLAIN sizes for dictionaries.)
      #expect(size >= 48 << 10 && size < 80 << 10, "row group of \(size) bytes")
    }
  }

  @Test func manySmallBatches() throws {
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema)
    let batches = try (0..<500).map { try Self.batch($0..<($0 + 1)) }
    for batch in batches { try writer.write(batch) }
    #expect(writer.rowCount == 500)
    try writer.close()
    let path = try WriterTesting.temporaryPath("small-batches.parquet")
    try Data(sink.bytes).write(to: URL(fileURLWithPath: path))
    WriterTesting.expectSameRows(
      try WriterTesting.oracleRows(path, engine: "pyarrow"), try WriterTesting.rows(batches), "small batches")
  }

  @Test func emptyFileIsValid() throws {
    let path = try WriterTesting.temporaryPath("empty.parquet")
    let footer = try WriterTesting.write([], schema: Self.schema, to: path)
    #expect(footer.numRows == 0 && footer.rowGroups.isEmpty)
    #expect(try WriterTesting.oracleRows(path, engine: "pyarrow").isEmpty)
    #expect(try WriterTesting.oracleRows(path, engine: "duckdb").isEmpty)
  }

  @Test func mismatchedBatchSchemaIsRejectedAndTheFileAborted() throws {
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema)
    try writer.write(try Self.batch(0..<10))
    let other = Schema([Field("id", .int32, nullable: false)])
    let batch = try RecordBatch(
      schema: other, columns: [Build.fixed([1] as [Int32?], .int32) { .int32($0) }], rowCount: 1)
    do {
      try writer.write(batch)
      Issue.record("a batch of another schema was accepted")
    } catch {
      #expect(error.code == .invalidArgument)
      #expect(error.message.contains("id: int32 not null"))
      #expect(error.message.contains("tags: list<element: string>"))
    }
    #expect(sink.aborted && !sink.closed)
    #expect(throws: ParquetError.self) { try writer.write(try Self.batch(0..<1)) }
  }

  @Test func batchesMayDifferInNullabilityAndMetadata() throws {
    let relaxed = Schema(Self.schema.fields.map { Field($0.name, $0.type, nullable: true, metadata: ["k": "v"]) })
    let batch = try Self.batch(0..<10)
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema)
    try writer.write(try RecordBatch(schema: relaxed, columns: batch.columns, rowCount: 10))
    try writer.close()
    #expect(sink.closed)
  }

  @Test func nullInNonNullableColumnAbortsTheFile() throws {
    let path = try WriterTesting.temporaryPath("aborted.parquet")
    var writer = try ParquetFileWriter(file: try LocalWritableFile(path: path), schema: Self.schema)
    let bad = try RecordBatch(
      schema: Self.schema,
      columns: [
        Build.fixed([1, nil] as [Int64?], .int64) { .int64($0) }, Build.strings(["a", "b"]),
        Build.list(Field("element", .string), lengths: [1, 0], values: Build.strings(["t"])),
      ], rowCount: 2)
    #expect(throws: ParquetError.self) { try writer.write(bad) }
    #expect(!FileManager.default.fileExists(atPath: path))
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func droppedWriterLeavesNothingBehind() throws {
    let path = try WriterTesting.temporaryPath("dropped.parquet")
    do {
      var writer = try ParquetFileWriter(file: try LocalWritableFile(path: path), schema: Self.schema)
      try writer.write(try Self.batch(0..<10))
    }
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test func invalidOptionsAreRejected() throws {
    var options = ParquetWriteOptions()
    options.dataPageSize = 0
    let sink = MemorySink()
    #expect(throws: ParquetError.self) {
      _ = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: Self.schema, options: options)
    }
    #expect(sink.aborted)
    options = ParquetWriteOptions()
    options.columnEncodings["name"] = .deltaBinaryPacked
    #expect(throws: ParquetError.self) {
      _ = try ParquetFileWriter(file: MemoryWritableFile(sink: MemorySink()), schema: Self.schema, options: options)
    }
    options = ParquetWriteOptions()
    options.compression = .lzo
    #expect(throws: ParquetError.self) {
      _ = try ParquetFileWriter(file: MemoryWritableFile(sink: MemorySink()), schema: Self.schema, options: options)
    }
  }

  @Test func pagesAreCutByRowsAndSize() throws {
    var options = ParquetWriteOptions()
    options.dataPageRowLimit = 100
    options.dictionaryEnabled = false
    let bytes = try WriterTesting.bytes([try Self.batch(0..<1050)], schema: Self.schema, options: options)
    let group = try WriterTesting.footer(bytes).rowGroups[0]
    // 1050 rows: 11 pages for each column, list pages ending on row boundaries.
    for chunk in group.columns {
      let pages = chunk.metaData?.encodingStats?.reduce(0) { $0 + Int($1.count) }
      #expect(pages == 11)
    }
    options = ParquetWriteOptions()
    options.dataPageSize = 1000
    options.dictionaryEnabled = false
    let sized = try WriterTesting.footer(
      try WriterTesting.bytes([try Self.batch(0..<5000)], schema: Self.schema, options: options))
    let idPages = sized.rowGroups[0].columns[0].metaData?.encodingStats?.first?.count ?? 0
    // 8 bytes per id: about 125 per 1000-byte page (cut after the step that crossed it).
    #expect(idPages >= 4 && idPages <= 40)
  }
}
