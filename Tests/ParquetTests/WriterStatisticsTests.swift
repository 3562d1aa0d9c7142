import Columnar
import Parquet
import Testing

/// Column chunk statistics: null counts and bounds in each type's order, encoded as the spec says.
@Suite struct WriterStatisticsTests {
  /// The statistics of the single column of a one-row-group file holding `vector`.
  static func statistics(
    _ vector: ColumnVector, nullable: Bool = true, options: ParquetWriteOptions = ParquetWriteOptions()
  ) throws -> Statistics? {
    let schema = Schema([Field("c", vector.type, nullable: nullable)])
    let batch = try RecordBatch(schema: schema, columns: [vector], rowCount: vector.count)
    let footer = try WriterTesting.footer(try WriterTesting.bytes([batch], schema: schema, options: options))
    return footer.rowGroups.first?.columns.first?.metaData?.statistics
  }

  static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }

  static let dictionaryOff: ParquetWriteOptions = {
    var options = ParquetWriteOptions()
    options.dictionaryEnabled = false
    return options
  }()

  /// Both the dictionary path (bounds from the dictionary entries) and the plain path.
  static let bothPaths = [ParquetWriteOptions(), dictionaryOff]

  @Test(arguments: bothPaths)
  func signedIntegers(_ options: ParquetWriteOptions) throws {
    let stats = try #require(
      try Self.statistics(
        Build.fixed([3, nil, -5, 7, Int32.min + 1, nil] as [Int32?], .int32) { .int32($0) }, options: options))
    #expect(stats.nullCount == 2)
    #expect(stats.minValue == Self.littleEndian(Int32.min + 1))
    #expect(stats.maxValue == Self.littleEndian(Int32(7)))
    // The legacy fields agree for signed types.
    #expect(stats.min == stats.minValue)
    #expect(stats.max == stats.maxValue)
    #expect(stats.isMinValueExact == true && stats.isMaxValueExact == true)

    let small = try #require(
      try Self.statistics(Build.fixed([-1, 1] as [Int8?], .int8) { .int8($0) }, options: options))
    #expect(small.minValue == Self.littleEndian(Int32(-1)))
    let long = try #require(
      try Self.statistics(Build.fixed([Int64.max, -2, Int64.min] as [Int64?], .int64) { .int64($0) }, options: options))
    #expect(long.minValue == Self.littleEndian(Int64.min))
    #expect(long.maxValue == Self.littleEndian(Int64.max))
  }

  @Test(arguments: bothPaths)
  func unsignedIntegersCompareUnsigned(_ options: ParquetWriteOptions) throws {
    let u32 = try #require(
      try Self.statistics(
        Build.fixed([1, UInt32.max, 1 << 31, 7] as [UInt32?], .uint32) { .uint32($0) }, options: options))
    #expect(u32.minValue == Self.littleEndian(UInt32(1)))
    #expect(u32.maxValue == Self.littleEndian(UInt32.max))
    // The legacy (signed) order would disagree, so the legacy fields are left out.
    #expect(u32.min == nil && u32.max == nil)
    let u64 = try #require(
      try Self.statistics(
        Build.fixed([UInt64.max, 0, 1 << 63] as [UInt64?], .uint64) { .uint64($0) }, options: options))
    #expect(u64.minValue == Self.littleEndian(UInt64(0)))
    #expect(u64.maxValue == Self.littleEndian(UInt64.max))
    let u8 = try #require(
      try Self.statistics(Build.fixed([200, 3] as [UInt8?], .uint8) { .uint8($0) }, options: options))
    #expect(u8.minValue == Self.littleEndian(Int32(3)))
    #expect(u8.maxValue == Self.littleEndian(Int32(200)))
  }

  @Test(arguments: bothPaths)
  func floatsIgnoreNaN(_ options: ParquetWriteOptions) throws {
    let stats = try #require(
      try Self.statistics(
        Build.fixed([.nan, 2.5, -1.5, .nan, nil] as [Double?], .float64) { .float64($0) }, options: options))
    #expect(stats.minValue == Self.littleEndian((-1.5 as Double).bitPattern))
    #expect(stats.maxValue == Self.littleEndian((2.5 as Double).bitPattern))
    #expect(stats.nullCount == 1)
    let infinities = try #require(
      try Self.statistics(
        Build.fixed([.infinity, -.infinity] as [Float?], .float32) { .float32($0) }, options: options))
    #expect(infinities.minValue == Self.littleEndian((-Float.infinity).bitPattern))
    #expect(infinities.maxValue == Self.littleEndian(Float.infinity.bitPattern))
  }

  @Test(arguments: bothPaths)
  func allNaNHasNoBounds(_ options: ParquetWriteOptions) throws {
    let stats = try #require(
      try Self.statistics(Build.fixed([.nan, nil, .nan] as [Float?], .float32) { .float32($0) }, options: options))
    #expect(stats.minValue == nil && stats.maxValue == nil)
    #expect(stats.nullCount == 1)
  }

  @Test(arguments: bothPaths)
  func zeroBoundsAreSigned(_ options: ParquetWriteOptions) throws {
    // A zero minimum is written as -0.0 and a zero maximum as +0.0, whichever zero occurred.
    let low = try #require(
      try Self.statistics(Build.fixed([0.0, 1.0] as [Double?], .float64) { .float64($0) }, options: options))
    #expect(low.minValue == Self.littleEndian((-0.0 as Double).bitPattern))
    let high = try #require(
      try Self.statistics(Build.fixed([-1.0, -0.0] as [Double?], .float64) { .float64($0) }, options: options))
    #expect(high.maxValue == Self.littleEndian((0.0 as Double).bitPattern))
    let halves = try #require(
      try Self.statistics(
        Build.fixed([Float16(0.0).bitPattern, Float16(-2).bitPattern, Float16.nan.bitPattern] as [UInt16?], .float16) {
          .uint16($0)
        }, options: options))
    #expect(halves.minValue == Self.littleEndian(Float16(-2).bitPattern))
    #expect(halves.maxValue == [0, 0])
  }

  @Test(arguments: bothPaths)
  func stringsCompareAsUnsignedBytes(_ options: ParquetWriteOptions) throws {
    let stats = try #require(try Self.statistics(Build.strings(["b", "ä", nil, "a", "B", ""]), options: options))
    #expect(stats.minValue == [])
    #expect(stats.maxValue == Array("ä".utf8))
    #expect(stats.min == nil && stats.max == nil)
    let binary = try #require(
      try Self.statistics(Build.bytes([[0x7F], [0x80], [0x7F, 0]], .binary), options: options))
    #expect(binary.minValue == [0x7F])
    #expect(binary.maxValue == [0x80])
  }

  @Test(arguments: bothPaths)
  func decimalsCompareNumerically(_ options: ParquetWriteOptions) throws {
    let small = try #require(
      try Self.statistics(
        Build.fixed([-300, 1, -1] as [Int128?], .decimal(precision: 5, scale: 2)) { .int128($0) }, options: options))
    #expect(small.minValue == Self.littleEndian(Int32(-300)))
    #expect(small.maxValue == Self.littleEndian(Int32(1)))
    // FIXED_LEN_BYTE_ARRAY decimals: big-endian two's complement, compared as numbers.
    let wide = try #require(
      try Self.statistics(
        Build.fixed([-300, 1, -1, 256] as [Int128?], .decimal(precision: 20, scale: 0)) { .int128($0) },
        options: options))
    #expect(wide.minValue == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xD4])
    #expect(wide.maxValue == [0, 0, 0, 0, 0, 0, 0, 1, 0])
  }

  @Test(arguments: bothPaths)
  func uuidsCompareAsUnsignedBytes(_ options: ParquetWriteOptions) throws {
    let high: [UInt8] = [0x80] + Array(repeating: 0, count: 15)
    let low: [UInt8] = [0x7F] + Array(repeating: 0xFF, count: 15)
    let stats = try #require(try Self.statistics(Build.bytes([high, low], .uuid), options: options))
    #expect(stats.minValue == low)
    #expect(stats.maxValue == high)
  }

  @Test(arguments: bothPaths)
  func longStringsAreTruncated(_ options: ParquetWriteOptions) throws {
    let long = String(repeating: "m", count: 100)
    let stats = try #require(try Self.statistics(Build.strings(["a" + long, "z" + long]), options: options))
    #expect(stats.minValue == Array(("a" + long).utf8.prefix(64)))
    #expect(stats.isMinValueExact == false)
    // The maximum: a 64-byte prefix with its last character incremented.
    #expect(stats.maxValue == Array(("z" + String(repeating: "m", count: 62) + "n").utf8))
    #expect(stats.isMaxValueExact == false)

    // A maximum whose prefix is all 0xFF cannot be rounded up: it is left out.
    let ones = try #require(
      try Self.statistics(Build.bytes([Array(repeating: 0xFF, count: 80), [0]], .binary), options: options))
    #expect(ones.maxValue == nil)
    #expect(ones.minValue == [0])

    // Truncation keeps UTF-8 whole: 30 two-byte characters and more.
    let wide = String(repeating: "é", count: 40)
    let text = try #require(try Self.statistics(Build.strings([wide]), options: options))
    #expect(text.minValue == Array(String(repeating: "é", count: 32).utf8))
    #expect(text.maxValue == Array((String(repeating: "é", count: 31) + "ê").utf8))
  }

  @Test func booleans() throws {
    let stats = try #require(try Self.statistics(Build.bool([true, nil, true])))
    #expect(stats.minValue == [1] && stats.maxValue == [1])
    let both = try #require(try Self.statistics(Build.bool([true, false])))
    #expect(both.minValue == [0] && both.maxValue == [1])
  }

  @Test func datesAndTimestampsAreNumeric() throws {
    let dates = try #require(try Self.statistics(Build.fixed([10, -719_162, 0] as [Int32?], .date) { .int32($0) }))
    #expect(dates.minValue == Self.littleEndian(Int32(-719_162)))
    let stamps = try #require(
      try Self.statistics(
        Build.fixed([5, -5] as [Int64?], .timestamp(.microsecond, utc: true)) { .int64($0) }))
    #expect(stamps.minValue == Self.littleEndian(Int64(-5)))
    #expect(stamps.maxValue == Self.littleEndian(Int64(5)))
    let millis = try #require(
      try Self.statistics(Build.fixed([86_399_999, 1] as [Int64?], .time(.millisecond)) { .int64($0) }))
    #expect(millis.maxValue == Self.littleEndian(Int32(86_399_999)))
  }

  @Test func dictionaryVectorsUseTheirEntries() throws {
    let stats = try #require(
      try Self.statistics(Build.dictionaryStrings([2, nil, 2, 0], entries: ["apple", "zebra", "mango"])))
    // "zebra" (entry 1) never occurs, so it bounds nothing.
    #expect(stats.minValue == Array("apple".utf8))
    #expect(stats.maxValue == Array("mango".utf8))
    #expect(stats.nullCount == 1)
  }

  @Test func nullsOnlyHaveACount() throws {
    let stats = try #require(try Self.statistics(Build.strings([nil, nil])))
    #expect(stats.nullCount == 2 && stats.minValue == nil && stats.maxValue == nil)
    let void = try #require(try Self.statistics(ColumnVector(type: .null, count: 3, storage: .none)))
    #expect(void.nullCount == 3 && void.minValue == nil)
  }

  @Test func nestedNullCountsCountEveryMissingLeaf() throws {
    // [1, null], null, [] → one null element, one null list, one empty list.
    let element = Field("element", .int32)
    let vector = Build.list(
      element, lengths: [2, nil, 0], values: Build.fixed([1, nil] as [Int32?], .int32) { .int32($0) })
    let stats = try #require(try Self.statistics(vector))
    #expect(stats.nullCount == 3)
    #expect(stats.minValue == Self.littleEndian(Int32(1)))
  }

  @Test func statisticsCanBeTurnedOff() throws {
    var options = ParquetWriteOptions()
    options.statisticsEnabled = false
    #expect(try Self.statistics(Build.fixed([1] as [Int32?], .int32) { .int32($0) }, options: options) == nil)
  }

  @Test func boundsCoverEveryPageAndFallback() throws {
    // The dictionary overflows part way: bounds come from both the dictionary and plain pages.
    var options = ParquetWriteOptions()
    options.dictionaryPageSizeLimit = 64
    options.dataPageRowLimit = 10
    let values: [Int64?] = (0..<200).map { (row: Int) -> Int64? in
      row < 20 ? Int64(row % 3) : Int64(row) * 1000 - 50_000
    }
    let stats = try #require(try Self.statistics(Build.fixed(values, .int64) { .int64($0) }, options: options))
    #expect(stats.minValue == Self.littleEndian(Int64(-30_000)))
    #expect(stats.maxValue == Self.littleEndian(Int64(149_000)))
  }
}
