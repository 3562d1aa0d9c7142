import Columnar
import Parquet
import Testing

/// Dictionary encoding: kept while it pays and fits, abandoned on the first page when it does
/// not pay, and falling back to PLAIN for the rest of the chunk when it outgrows its limit.
@Suite struct WriterDictionaryTests {
  static func chunk(_ bytes: [UInt8], column: Int = 0, rowGroup: Int = 0) throws -> ColumnMetaData {
    try #require(try WriterTesting.footer(bytes).rowGroups[rowGroup].columns[column].metaData)
  }

  /// (page type, encoding, count) of every page kind of a chunk.
  static func pages(_ metadata: ColumnMetaData) -> [String] {
    (metadata.encodingStats ?? []).map { "\($0.pageType) \($0.encoding) \($0.count)" }
  }

  static func strings(_ values: [String?]) throws -> (RecordBatch, Schema) {
    let schema = Schema([Field("s", .string)])
    return (try RecordBatch(schema: schema, columns: [Build.strings(values)], rowCount: values.count), schema)
  }

  @Test func fewDistinctValuesStayDictionaryEncoded() throws {
    let (batch, schema) = try Self.strings((0..<5000).map { $0 % 11 == 0 ? nil : "value \($0 % 7)" })
    let bytes = try WriterTesting.bytes([batch], schema: schema)
    let metadata = try Self.chunk(bytes)
    #expect(metadata.dictionaryPageOffset != nil)
    #expect(metadata.dictionaryPageOffset! < metadata.dataPageOffset)
    #expect(Self.pages(metadata) == ["DICTIONARY_PAGE PLAIN 1", "DATA_PAGE RLE_DICTIONARY 1"])
    #expect(metadata.encodings.map(\.description) == ["PLAIN", "RLE", "RLE_DICTIONARY"])
  }

  @Test func dictionaryThatDoesNotPayIsDroppedOnTheFirstPage() throws {
    let (batch, schema) = try Self.strings((0..<3000).map { "unique value number \($0)" })
    var options = ParquetWriteOptions()
    options.dataPageRowLimit = 1000
    let metadata = try Self.chunk(try WriterTesting.bytes([batch], schema: schema, options: options))
    #expect(metadata.dictionaryPageOffset == nil)
    #expect(Self.pages(metadata) == ["DATA_PAGE PLAIN 3"])
  }

  /// Dictionary pages first, then PLAIN once the dictionary passes its limit, as parquet-mr.
  @Test(arguments: [ParquetWriteOptions.DataPageVersion.v1, .v2])
  func overflowingDictionaryFallsBackToPlain(_ version: ParquetWriteOptions.DataPageVersion) throws {
    let values: [String?] = (0..<4000).map { $0 < 1000 ? "repeated \($0 % 5)" : ($0 % 9 == 0 ? nil : "fresh \($0)") }
    let (batch, schema) = try Self.strings(values)
    var options = ParquetWriteOptions()
    options.dataPageRowLimit = 500
    options.dictionaryPageSizeLimit = 4096
    options.dataPageVersion = version
    let path = try WriterTesting.temporaryPath("fallback.parquet")
    try WriterTesting.write([batch], schema: schema, options: options, to: path)
    let metadata = try #require(try WriterTesting.footer(path: path).rowGroups[0].columns[0].metaData)
    let type = version == .v1 ? "DATA_PAGE" : "DATA_PAGE_V2"
    #expect(Self.pages(metadata) == ["DICTIONARY_PAGE PLAIN 1", "\(type) PLAIN 6", "\(type) RLE_DICTIONARY 2"])
    #expect(metadata.numValues == 4000)
    for engine in ["pyarrow", "duckdb"] {
      WriterTesting.expectSameRows(
        try WriterTesting.oracleRows(path, engine: engine), try WriterTesting.rows([batch]), "fallback via \(engine)")
    }
  }

  @Test func fixedWidthDictionaryFallsBackToo() throws {
    let schema = Schema([Field("n", .int64)])
    let values: [Int64?] = (0..<3000).map { $0 < 600 ? Int64($0 % 4) : Int64($0) * 7919 }
    let batch = try RecordBatch(schema: schema, columns: [Build.fixed(values, .int64) { .int64($0) }], rowCount: 3000)
    var options = ParquetWriteOptions()
    options.dataPageRowLimit = 300
    options.dictionaryPageSizeLimit = 800
    let path = try WriterTesting.temporaryPath("fallback-int.parquet")
    try WriterTesting.write([batch], schema: schema, options: options, to: path)
    let metadata = try #require(try WriterTesting.footer(path: path).rowGroups[0].columns[0].metaData)
    #expect(Self.pages(metadata) == ["DICTIONARY_PAGE PLAIN 1", "DATA_PAGE PLAIN 8", "DATA_PAGE RLE_DICTIONARY 2"])
    WriterTesting.expectSameRows(
      try WriterTesting.oracleRows(path, engine: "pyarrow"), try WriterTesting.rows([batch]), "int fallback")
  }

  @Test func eachRowGroupStartsAFreshDictionary() throws {
    let (batch, schema) = try Self.strings((0..<3000).map { "v\($0 / 1000)" })
    var options = ParquetWriteOptions()
    options.rowGroupRowLimit = 1000
    let bytes = try WriterTesting.bytes([batch], schema: schema, options: options)
    let footer = try WriterTesting.footer(bytes)
    #expect(footer.rowGroups.count == 3)
    for group in 0..<3 {
      let metadata = try Self.chunk(bytes, rowGroup: group)
      #expect(Self.pages(metadata) == ["DICTIONARY_PAGE PLAIN 1", "DATA_PAGE RLE_DICTIONARY 1"])
      #expect(metadata.statistics?.minValue == Array("v\(group)".utf8))
      #expect(metadata.statistics?.maxValue == Array("v\(group)".utf8))
    }
  }

  @Test func dictionaryCanBeTurnedOffPerColumn() throws {
    let schema = Schema([Field("a", .string), Field("b", .string)])
    let values = (0..<1000).map { "x\($0 % 3)" as String? }
    let batch = try RecordBatch(
      schema: schema, columns: [Build.strings(values), Build.strings(values)], rowCount: values.count)
    var options = ParquetWriteOptions()
    options.columnDictionary["b"] = false
    let bytes = try WriterTesting.bytes([batch], schema: schema, options: options)
    #expect(Self.pages(try Self.chunk(bytes, column: 0)) == ["DICTIONARY_PAGE PLAIN 1", "DATA_PAGE RLE_DICTIONARY 1"])
    #expect(Self.pages(try Self.chunk(bytes, column: 1)) == ["DATA_PAGE PLAIN 1"])

    options = ParquetWriteOptions()
    options.dictionaryEnabled = false
    options.columnDictionary["a"] = true
    let swapped = try WriterTesting.bytes([batch], schema: schema, options: options)
    #expect(Self.pages(try Self.chunk(swapped, column: 0)).first == "DICTIONARY_PAGE PLAIN 1")
    #expect(Self.pages(try Self.chunk(swapped, column: 1)) == ["DATA_PAGE PLAIN 1"])
  }

  /// A dictionary-encoded vector reuses its dictionary: values read back, entries that never
  /// occur stay out of the file's dictionary.
  @Test func dictionaryVectorsAreWrittenThroughTheirDictionary() throws {
    let entries = (0..<50).map { "entry \($0)" }
    var random = TestRandom(seed: 3)
    let indices: [Int32?] = (0..<4000).map { _ in random.oneIn(10) ? nil : Int32(random.below(25) * 2) }
    let schema = Schema([Field("d", .string)])
    let batch = try RecordBatch(
      schema: schema, columns: [Build.dictionaryStrings(indices, entries: entries)], rowCount: indices.count)
    let path = try WriterTesting.temporaryPath("dictionary-vector.parquet")
    try WriterTesting.write([batch, batch], schema: schema, to: path)
    let metadata = try #require(try WriterTesting.footer(path: path).rowGroups[0].columns[0].metaData)
    #expect(Self.pages(metadata) == ["DICTIONARY_PAGE PLAIN 1", "DATA_PAGE RLE_DICTIONARY 1"])
    let distinct = try WriterTesting.python(
      """
      import sys, pyarrow.parquet as pq
      f = pq.ParquetFile(sys.argv[1], read_dictionary=['d'])
      print(len(f.read_row_group(0).column('d').chunk(0).dictionary))
      """, [path])
    #expect(distinct.trimmingCharacters(in: .whitespacesAndNewlines) == "25")
    WriterTesting.expectSameRows(
      try WriterTesting.oracleRows(path, engine: "duckdb"), try WriterTesting.rows([batch, batch]), "dictionary vector")
  }
}
