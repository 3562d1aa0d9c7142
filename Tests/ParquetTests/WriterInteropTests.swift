import Columnar
import Foundation
import Parquet
import Storage
import Testing

/// Files written by ``ParquetFileWriter`` read back value for value by pyarrow and DuckDB:
/// every type, flat and nested, nulls at every level, every codec, dictionary or not, data
/// pages v1 and v2, several pages and row groups.
@Suite struct WriterInteropTests {
  /// Columns DuckDB reads at a coarser precision (nanosecond times and UTC timestamps become
  /// microseconds), left out of its comparison.
  static let duckDBCoarse: Set<String> = ["time_ns", "ts_ns_utc"]

  /// Writes `batches`, then checks both oracles read exactly the Swift rendering; returns the
  /// file's path.
  @discardableResult
  static func checkRoundTrip(
    _ batches: [RecordBatch], schema: Schema, options: ParquetWriteOptions, name: String,
    engines: [String] = ["pyarrow", "duckdb"], duckDBIgnoring: Set<String> = duckDBCoarse,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let path = try WriterTesting.temporaryPath("\(name).parquet")
    try WriterTesting.write(batches, schema: schema, options: options, to: path)
    let expected = try WriterTesting.rows(batches)
    // Our own reader first: every writer configuration is also a Swift round trip.
    let readBack = try ParquetFileReader(path: path).readAll()
    WriterTesting.expectSameRows(
      try WriterTesting.rows(readBack), expected, ignoring: [], "\(name) via avocet", sourceLocation: sourceLocation)
    for engine in engines {
      let actual = try WriterTesting.oracleRows(path, engine: engine)
      WriterTesting.expectSameRows(
        actual, expected, ignoring: engine == "duckdb" ? duckDBIgnoring : [], "\(name) via \(engine)",
        sourceLocation: sourceLocation)
    }
    return path
  }

  // MARK: The data

  static let structFields = [Field("a", .int32), Field("b", .string)]
  static let pointFields = [Field("x", .int64, nullable: false), Field("y", .list(Field("element", .float64)))]

  /// One field of every primitive type and a range of nested shapes.
  static let kitchenSinkSchema = Schema([
    Field("bool", .boolean),
    Field("int8", .int8),
    Field("int16", .int16),
    Field("int32", .int32),
    Field("int32_required", .int32, nullable: false),
    Field("int64", .int64),
    Field("uint8", .uint8),
    Field("uint16", .uint16),
    Field("uint32", .uint32),
    Field("uint64", .uint64),
    Field("float32", .float32),
    Field("float64", .float64),
    Field("float16", .float16),
    Field("dec_5_2", .decimal(precision: 5, scale: 2)),
    Field("dec_15_3", .decimal(precision: 15, scale: 3)),
    Field("dec_30_4", .decimal(precision: 30, scale: 4)),
    Field("dec_38_10", .decimal(precision: 38, scale: 10)),
    Field("string", .string),
    Field("string_required", .string, nullable: false),
    Field("string_dict", .string),
    Field("binary", .binary),
    Field("fixed5", .fixedBinary(width: 5)),
    Field("uuid", .uuid),
    Field("date", .date),
    Field("time_ms", .time(.millisecond)),
    Field("time_us", .time(.microsecond)),
    Field("time_ns", .time(.nanosecond)),
    Field("ts_ms_utc", .timestamp(.millisecond, utc: true)),
    Field("ts_us", .timestamp(.microsecond, utc: false)),
    Field("ts_ns", .timestamp(.nanosecond, utc: false)),
    Field("ts_ns_utc", .timestamp(.nanosecond, utc: true)),
    Field("void", .null),
    Field("struct", .structure(structFields)),
    Field("list_int", .list(Field("element", .int32))),
    Field("list_string_required", .list(Field("element", .string, nullable: false))),
    Field("list_struct", .list(Field("element", .structure(pointFields)))),
    Field("list_list", .list(Field("element", .list(Field("element", .int16))))),
    Field("map", .map(key: Field("key", .string, nullable: false), value: Field("value", .int64))),
    Field(
      "struct_nested",
      .structure([
        Field("tags", .list(Field("element", .string))),
        Field("attrs", .map(key: Field("key", .int32, nullable: false), value: Field("value", .float32))),
        Field("inner", .structure([Field("flag", .boolean), Field("when", .date)])),
      ])),
  ])

  /// Rows of every field above, with nulls at every level (when `nulls`), empty lists and
  /// maps, extremes, NaN, infinities, -0.0, long and non-ASCII strings.
  static func kitchenSink(rows n: Int, seed: UInt64, nulls: Bool = true) throws -> RecordBatch {
    var random = TestRandom(seed: seed)
    func maybe<T>(_ value: T) -> T? { nulls && random.oneIn(7) ? nil : value }
    func pick<T>(_ special: [T], _ make: () -> T) -> T {
      random.oneIn(5) ? special[random.below(special.count)] : make()
    }
    var columns: [ColumnVector] = []
    columns.append(Build.bool((0..<n).map { _ in maybe(random.oneIn(2)) }))
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([Int8.min, Int8.max, 0, -1]) { Int8(truncatingIfNeeded: random.next()) }) }, .int8
      ) { .int8($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([Int16.min, Int16.max, 0]) { Int16(truncatingIfNeeded: random.next()) }) }, .int16
      ) { .int16($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([Int32.min, Int32.max, 0, -1]) { Int32(random.below(200)) - 100 }) }, .int32
      ) { .int32($0) })
    columns.append(Build.fixed((0..<n).map { Int32(truncatingIfNeeded: $0 &* 7919) }, .int32) { .int32($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([Int64.min, Int64.max, 0]) { Int64(bitPattern: random.next()) }) }, .int64
      ) { .int64($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([UInt8.max, 0, 128]) { UInt8(truncatingIfNeeded: random.next()) }) }, .uint8
      ) { .uint8($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([UInt16.max, 0, 32768]) { UInt16(truncatingIfNeeded: random.next()) }) }, .uint16
      ) { .uint16($0) })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(pick([UInt32.max, 0, 1 << 31]) { UInt32(random.below(1000)) }) }, .uint32) {
        .uint32($0)
      })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(pick([UInt64.max, 0, 1 << 63]) { random.next() }) }, .uint64) { .uint64($0) }
    )
    columns.append(
      Build.fixed(
        (0..<n).map { _ in
          maybe(
            pick([Float.nan, .infinity, -.infinity, -0.0, 0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude]) {
              Float(Int(random.below(20_000)) - 10_000) / 64
            })
        }, .float32
      ) { .float32($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in
          maybe(
            pick([Double.nan, .infinity, -.infinity, -0.0, 1e300, -1e-300]) {
              Double(Int64(bitPattern: random.next()) >> 20) / 1024
            })
        }, .float64
      ) { .float64($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in
          maybe(
            pick([Float16.nan, .infinity, -.infinity, -0.0, 0.0, 65504]) {
              Float16(Float(random.below(4000)) / 16 - 100)
            }
            .bitPattern)
        }, .float16
      ) { .uint16($0) })
    let decimalLimits: [(Int, Int128)] = [(5, 99_999), (15, 999_999_999_999_999), (30, 0), (38, 0)]
    for (precision, limit) in decimalLimits {
      let max: Int128 =
        limit > 0
        ? limit
        : (precision == 30
          ? Int128("999999999999999999999999999999")! : Int128("99999999999999999999999999999999999999")!)
      columns.append(
        Build.fixed(
          (0..<n).map { _ in
            maybe(
              pick([max, -max, 0, -1]) {
                let raw = Int128(Int64(bitPattern: random.next())) * Int128(random.below(1 << 20) + 1)
                return raw % (max + 1)
              })
          }, kitchenSinkSchema.fields[columns.count].type
        ) { .int128($0) })
    }
    let words = ["", "a", "abc", "zürich", "日本語", "emoji 🦆", "quote \" and \\ backslash", "tab\tnew\nline"]
    func text() -> String {
      if random.oneIn(6) { return String(repeating: "long-\(random.below(10))-", count: 12) }
      return words[random.below(words.count)] + (random.oneIn(2) ? "\(random.below(1000))" : "")
    }
    columns.append(Build.strings((0..<n).map { _ in maybe(text()) }))
    columns.append(Build.strings((0..<n).map { _ in text() }))
    let entries = ["red", "green", "blue", "", "very long dictionary entry " + String(repeating: "x", count: 70)]
    columns.append(
      Build.dictionaryStrings((0..<n).map { _ in maybe(Int32(random.below(entries.count))) }, entries: entries))
    columns.append(
      Build.bytes(
        (0..<n).map { _ in maybe((0..<random.below(12)).map { _ in UInt8(truncatingIfNeeded: random.next()) }) },
        .binary))
    columns.append(
      Build.bytes(
        (0..<n).map { _ in maybe((0..<5).map { _ in UInt8(truncatingIfNeeded: random.next()) }) },
        .fixedBinary(width: 5)))
    columns.append(
      Build.bytes((0..<n).map { _ in maybe((0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }) }, .uuid))
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(pick([0, -719_162, 2_932_896]) { Int32(random.below(40_000)) - 10_000 }) }, .date
      ) { .int32($0) })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(Int64(random.below(86_400_000))) }, .time(.millisecond)) { .int64($0) })
    columns.append(
      Build.fixed(
        (0..<n).map { _ in maybe(Int64(random.below(86_400_000)) * 1000 + Int64(random.below(1000))) },
        .time(.microsecond)
      ) { .int64($0) })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(Int64(random.next() % 86_400_000_000_000)) }, .time(.nanosecond)) {
        .int64($0)
      })
    func instant(_ perSecond: Int64) -> Int64 {
      (Int64(random.below(4_000_000_000)) - 1_000_000_000) * perSecond + Int64(random.below(Int(perSecond)))
    }
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(instant(1000)) }, .timestamp(.millisecond, utc: true)) { .int64($0) })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(instant(1_000_000)) }, .timestamp(.microsecond, utc: false)) { .int64($0) })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(instant(1_000_000_000)) }, .timestamp(.nanosecond, utc: false)) {
        .int64($0)
      })
    columns.append(
      Build.fixed((0..<n).map { _ in maybe(instant(1_000_000_000)) }, .timestamp(.nanosecond, utc: true)) { .int64($0) }
    )
    columns.append(ColumnVector(type: .null, count: n, storage: .none))

    // struct<a: int32, b: string>, null structs and null fields.
    columns.append(
      Build.structure(
        structFields,
        [
          Build.fixed((0..<n).map { _ in maybe(Int32(random.below(100))) }, .int32) { .int32($0) },
          Build.strings((0..<n).map { _ in maybe(text()) }),
        ], valid: (0..<n).map { _ in !(nulls && random.oneIn(5)) }))

    // list<int32>: null lists, empty lists, null elements.
    let listLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(6) ? nil : random.below(5) }
    let listCount = listLengths.reduce(0) { $0 + ($1 ?? 0) }
    columns.append(
      Build.list(
        Field("element", .int32), lengths: listLengths,
        values: Build.fixed((0..<listCount).map { _ in maybe(Int32(random.below(1000)) - 500) }, .int32) { .int32($0) })
    )

    // list<string not null>.
    let stringLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(6) ? nil : random.below(4) }
    let stringCount = stringLengths.reduce(0) { $0 + ($1 ?? 0) }
    columns.append(
      Build.list(
        Field("element", .string, nullable: false), lengths: stringLengths,
        values: Build.strings((0..<stringCount).map { _ in text() })))

    // list<struct<x: int64 not null, y: list<float64>>>.
    let pointLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(6) ? nil : random.below(3) }
    let pointCount = pointLengths.reduce(0) { $0 + ($1 ?? 0) }
    let yLengths: [Int?] = (0..<pointCount).map { _ in nulls && random.oneIn(4) ? nil : random.below(3) }
    let yCount = yLengths.reduce(0) { $0 + ($1 ?? 0) }
    let points = Build.structure(
      pointFields,
      [
        Build.fixed((0..<pointCount).map { _ in Int64(random.below(1_000_000)) }, .int64) { .int64($0) },
        Build.list(
          Field("element", .float64), lengths: yLengths,
          values: Build.fixed((0..<yCount).map { _ in maybe(Double(random.below(1000)) / 8) }, .float64) {
            .float64($0)
          }),
      ], valid: (0..<pointCount).map { _ in !(nulls && random.oneIn(5)) })
    columns.append(Build.list(Field("element", .structure(pointFields)), lengths: pointLengths, values: points))

    // list<list<int16>>.
    let outerLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(6) ? nil : random.below(3) }
    let innerCount = outerLengths.reduce(0) { $0 + ($1 ?? 0) }
    let innerLengths: [Int?] = (0..<innerCount).map { _ in nulls && random.oneIn(5) ? nil : random.below(3) }
    let leafCount = innerLengths.reduce(0) { $0 + ($1 ?? 0) }
    columns.append(
      Build.list(
        Field("element", .list(Field("element", .int16))), lengths: outerLengths,
        values: Build.list(
          Field("element", .int16), lengths: innerLengths,
          values: Build.fixed((0..<leafCount).map { _ in maybe(Int16(random.below(100))) }, .int16) { .int16($0) })))

    // map<string, int64>.
    let mapLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(6) ? nil : random.below(4) }
    let entryCount = mapLengths.reduce(0) { $0 + ($1 ?? 0) }
    columns.append(
      Build.map(
        key: Field("key", .string, nullable: false), value: Field("value", .int64), lengths: mapLengths,
        keys: Build.strings((0..<entryCount).map { "k\($0 % 13)" }),
        values: Build.fixed((0..<entryCount).map { _ in maybe(Int64(random.below(10_000))) }, .int64) { .int64($0) }))

    // struct<tags: list<string>, attrs: map<int32, float32>, inner: struct<flag, when>>.
    let tagLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(5) ? nil : random.below(3) }
    let tagCount = tagLengths.reduce(0) { $0 + ($1 ?? 0) }
    let attrLengths: [Int?] = (0..<n).map { _ in nulls && random.oneIn(5) ? nil : random.below(3) }
    let attrCount = attrLengths.reduce(0) { $0 + ($1 ?? 0) }
    guard case .structure(let nestedFields) = kitchenSinkSchema.fields[kitchenSinkSchema.fields.count - 1].type,
      case .structure(let innerFields) = nestedFields[2].type
    else { throw Oracles.Failure(description: "schema") }
    columns.append(
      Build.structure(
        nestedFields,
        [
          Build.list(
            Field("element", .string), lengths: tagLengths,
            values: Build.strings((0..<tagCount).map { _ in maybe(text()) })),
          Build.map(
            key: Field("key", .int32, nullable: false), value: Field("value", .float32), lengths: attrLengths,
            keys: Build.fixed((0..<attrCount).map { Int32($0) }, .int32) { .int32($0) },
            values: Build.fixed((0..<attrCount).map { _ in maybe(Float(random.below(100)) / 4) }, .float32) {
              .float32($0)
            }),
          Build.structure(
            innerFields,
            [
              Build.bool((0..<n).map { _ in maybe(random.oneIn(2)) }),
              Build.fixed((0..<n).map { _ in maybe(Int32(random.below(20_000))) }, .date) { .int32($0) },
            ], valid: (0..<n).map { _ in !(nulls && random.oneIn(4)) }),
        ], valid: (0..<n).map { _ in !(nulls && random.oneIn(8)) }))
    return try RecordBatch(schema: kitchenSinkSchema, columns: columns, rowCount: n)
  }

  /// Small pages and row groups so that a few thousand rows make several of each.
  static func smallLayout(_ configure: (inout ParquetWriteOptions) -> Void = { _ in }) -> ParquetWriteOptions {
    var options = ParquetWriteOptions()
    options.dataPageSize = 2048
    options.dataPageRowLimit = 300
    options.rowGroupRowLimit = 1500
    configure(&options)
    return options
  }

  // MARK: The tests

  struct Configuration: CustomTestStringConvertible, Sendable {
    var name: String
    var codec: CompressionCodec
    var version: ParquetWriteOptions.DataPageVersion
    var dictionary: Bool
    var testDescription: String { name }
  }

  static let configurations: [Configuration] = [
    Configuration(name: "snappy-v1-dict", codec: .snappy, version: .v1, dictionary: true),
    Configuration(name: "snappy-v2-dict", codec: .snappy, version: .v2, dictionary: true),
    Configuration(name: "zstd-v1-plain", codec: .zstd, version: .v1, dictionary: false),
    Configuration(name: "zstd-v2-dict", codec: .zstd, version: .v2, dictionary: true),
    Configuration(name: "gzip-v1-dict", codec: .gzip, version: .v1, dictionary: true),
    Configuration(name: "lz4raw-v2-plain", codec: .lz4Raw, version: .v2, dictionary: false),
    Configuration(name: "uncompressed-v1-plain", codec: .uncompressed, version: .v1, dictionary: false),
    Configuration(name: "uncompressed-v2-dict", codec: .uncompressed, version: .v2, dictionary: true),
  ]

  @Test(arguments: configurations)
  func kitchenSinkReadsBack(_ configuration: Configuration) throws {
    let batches = [
      try Self.kitchenSink(rows: 1700, seed: 1), try Self.kitchenSink(rows: 1, seed: 2),
      try Self.kitchenSink(rows: 2100, seed: 3),
    ]
    let options = Self.smallLayout {
      $0.compression = configuration.codec
      $0.dataPageVersion = configuration.version
      $0.dictionaryEnabled = configuration.dictionary
    }
    let path = try Self.checkRoundTrip(
      batches, schema: Self.kitchenSinkSchema, options: options, name: configuration.name)
    let footer = try WriterTesting.footer(path: path)
    #expect(footer.numRows == 3801)
    #expect(footer.rowGroups.count == 3)
    #expect(footer.rowGroups.map(\.numRows) == [1500, 1500, 801])
  }

  @Test func kitchenSinkWithoutNullsReadsBack() throws {
    let batches = [try Self.kitchenSink(rows: 2500, seed: 4, nulls: false)]
    try Self.checkRoundTrip(batches, schema: Self.kitchenSinkSchema, options: Self.smallLayout(), name: "no-nulls")
  }

  @Test func defaultLayoutReadsBack() throws {
    let batches = [try Self.kitchenSink(rows: 3000, seed: 5)]
    try Self.checkRoundTrip(batches, schema: Self.kitchenSinkSchema, options: ParquetWriteOptions(), name: "defaults")
  }

  /// Every non-dictionary encoding a column type allows. DuckDB refuses BYTE_STREAM_SPLIT on
  /// anything but FLOAT and DOUBLE, so that case is pyarrow's alone.
  @Test(arguments: [ParquetWriteOptions.DataPageVersion.v1, .v2])
  func valueEncodingsReadBack(_ version: ParquetWriteOptions.DataPageVersion) throws {
    let batches = [try Self.kitchenSink(rows: 2000, seed: 6)]
    var options = Self.smallLayout {
      $0.dataPageVersion = version
      $0.dictionaryEnabled = false
    }
    for name in [
      "int8", "int16", "int32", "int32_required", "int64", "uint32", "uint64", "dec_5_2", "dec_15_3", "date",
      "time_ms", "time_us", "ts_ms_utc", "ts_us", "list_int", "map",
    ] {
      options.columnEncodings[name] = .deltaBinaryPacked
    }
    options.columnEncodings["string"] = .deltaLengthByteArray
    options.columnEncodings["binary"] = .deltaLengthByteArray
    options.columnEncodings["string_required"] = .deltaByteArray
    options.columnEncodings["map.key_value.key"] = .deltaByteArray
    options.columnEncodings["fixed5"] = .deltaByteArray
    options.columnEncodings["uuid"] = .deltaByteArray
    options.columnEncodings["dec_30_4"] = .deltaByteArray
    options.columnEncodings["float32"] = .byteStreamSplit
    options.columnEncodings["float64"] = .byteStreamSplit
    try Self.checkRoundTrip(batches, schema: Self.kitchenSinkSchema, options: options, name: "encodings-\(version)")

    var splitOptions = options
    splitOptions.columnEncodings = [
      "int32": .byteStreamSplit, "int64": .byteStreamSplit, "fixed5": .byteStreamSplit, "dec_38_10": .byteStreamSplit,
      "float32": .byteStreamSplit, "float64": .byteStreamSplit,
    ]
    try Self.checkRoundTrip(
      batches, schema: Self.kitchenSinkSchema, options: splitOptions, name: "split-\(version)", engines: ["pyarrow"])
  }

  /// The shape of the benchmark table, through the default options.
  @Test func flowLogReadsBack() throws {
    var random = TestRandom(seed: 9)
    let n = 30_000
    let hex = Array("0123456789abcdef".utf8)
    let schema = Schema([
      Field("ts", .timestamp(.microsecond, utc: true)), Field("id", .string), Field("src", .string),
      Field("dst_port", .int32), Field("action", .string), Field("bytes", .int64),
    ])
    let batch = try RecordBatch(
      schema: schema,
      columns: [
        Build.fixed((0..<n).map { Int64(1_700_000_000_000_000 + $0 * 1000) }, .timestamp(.microsecond, utc: true)) {
          .int64($0)
        },
        Build.bytes((0..<n).map { _ in (0..<64).map { _ in hex[random.below(16)] } }, .string),
        Build.strings((0..<n).map { _ in "10.\(random.below(256)).\(random.below(256)).\(random.below(256))" }),
        Build.fixed((0..<n).map { _ in [80, 443, 22][random.below(3)] as Int32 }, .int32) { .int32($0) },
        Build.strings((0..<n).map { _ in random.oneIn(4) ? "REJECT" : "ACCEPT" }),
        Build.fixed((0..<n).map { _ in Int64(random.below(1_000_000)) }, .int64) { .int64($0) },
      ], rowCount: n)
    try Self.checkRoundTrip([batch], schema: schema, options: ParquetWriteOptions(), name: "flowlog")
  }

  /// Statistics as pyarrow decodes them: min, max and null count of every flat column.
  @Test func statisticsAgreeWithPyarrow() throws {
    let batch = try Self.kitchenSink(rows: 1200, seed: 7)
    let path = try WriterTesting.temporaryPath("stats.parquet")
    var options = ParquetWriteOptions()
    options.rowGroupRowLimit = 600
    try WriterTesting.write([batch], schema: Self.kitchenSinkSchema, options: options, to: path)
    let code = """
      import sys, json, math, pyarrow.parquet as pq
      md = pq.ParquetFile(sys.argv[1]).metadata
      out = []
      wanted = set(sys.argv[2:])
      for g in range(md.num_row_groups):
          for c in range(md.num_columns):
              col = md.row_group(g).column(c)
              if col.path_in_schema not in wanted: continue
              s = col.statistics
              if s is None:
                  out.append([g, col.path_in_schema, None]); continue
              def norm(v):
                  if isinstance(v, float): return repr(v)
                  if isinstance(v, bytes): return v.hex()
                  return str(v)
              out.append([g, col.path_in_schema, s.null_count, norm(s.min) if s.has_min_max else None, norm(s.max) if s.has_min_max else None])
      print(json.dumps(out))
      """
    let output = try WriterTesting.python(
      code, [path, "int8", "int32", "int64", "uint8", "uint32", "uint64", "dec_5_2", "float64", "string"])
    let decoded = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[Any]] ?? []
    var stats: [String: (nulls: Int, min: String?, max: String?)] = [:]
    for entry in decoded where (entry[0] as? Int) == 0 {
      guard let path = entry[1] as? String, let nulls = entry[2] as? Int else { continue }
      stats[path] = (nulls, entry[3] as? String, entry[4] as? String)
    }
    // Compute the expected bounds of the first row group from the data itself.
    let rows = 0..<600
    func column(_ name: String) -> ColumnVector { batch.columns[Self.kitchenSinkSchema.index(of: name)!] }
    func check<T: Comparable>(
      _ name: String, _ values: [T], _ text: (T) -> String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
      let vector = column(name)
      let present = rows.filter { !vector.isNull($0) }.map { values[$0] }
      #expect(stats[name]?.nulls == rows.count - present.count, "\(name) null count", sourceLocation: sourceLocation)
      #expect(stats[name]?.min == present.min().map(text), "\(name) min", sourceLocation: sourceLocation)
      #expect(stats[name]?.max == present.max().map(text), "\(name) max", sourceLocation: sourceLocation)
    }
    if case .int8(let v) = column("int8").storage { check("int8", v) { "\($0)" } }
    if case .int32(let v) = column("int32").storage { check("int32", v) { "\($0)" } }
    if case .int64(let v) = column("int64").storage { check("int64", v) { "\($0)" } }
    if case .uint8(let v) = column("uint8").storage { check("uint8", v) { "\($0)" } }
    if case .uint32(let v) = column("uint32").storage { check("uint32", v) { "\($0)" } }
    if case .uint64(let v) = column("uint64").storage { check("uint64", v) { "\($0)" } }
    if case .int128(let v) = column("dec_5_2").storage {
      check("dec_5_2", v) { value in
        var out: [UInt8] = []
        ValueFormatting.appendDecimal(value, scale: 2, to: &out)
        return String(decoding: out, as: UTF8.self)
      }
    }
    if case .float64(let v) = column("float64").storage {
      let vector = column("float64")
      let present = rows.filter { !vector.isNull($0) && !v[$0].isNaN }.map { v[$0] }
      let low = present.min()!
      let high = present.max()!
      #expect(stats["float64"]?.min == (low == 0 ? "-0.0" : "\(low)"))
      #expect(stats["float64"]?.max == (high == 0 ? "0.0" : "\(high)"))
    }
  }
}
