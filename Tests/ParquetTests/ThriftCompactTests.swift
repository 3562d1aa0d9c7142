import Parquet
import Testing

/// Runs `body` with a reader over `bytes`.
func withThriftReader<T>(_ bytes: [UInt8], _ body: (inout ThriftCompactReader) throws -> T) throws -> T {
  try bytes.withUnsafeBytes { buffer in
    var reader = ThriftCompactReader(buffer)
    return try body(&reader)
  }
}

/// The ParquetError that `body` throws, or nil (recorded as a failure) when it throws none.
func thrownParquetError(
  _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> ParquetError? {
  do {
    try body()
    Issue.record("expected a ParquetError, nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as ParquetError {
    return error
  } catch {
    Issue.record("expected a ParquetError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}

@Suite("Thrift compact protocol")
struct ThriftCompactTests {
  static let varintEdgeValues: [UInt64] = [
    0, 1, 127, 128, 255, 16_383, 16_384, 50_399, (1 << 32) - 1, 1 << 32, (1 << 63) - 1, 1 << 63, .max,
  ]

  @Test("varints round trip at their edges", arguments: varintEdgeValues)
  func varintEdges(value: UInt64) throws {
    var writer = ThriftCompactWriter()
    writer.writeVarint(value)
    let expectedLength = max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    #expect(writer.bytes.count == expectedLength)
    let decoded = try withThriftReader(writer.bytes) { reader in
      let decoded = try reader.readVarint()
      #expect(reader.remaining == 0)
      return decoded
    }
    #expect(decoded == value)
  }

  @Test("the spec's varint example encodes as DF 89 03")
  func varintExample() {
    var writer = ThriftCompactWriter()
    writer.writeVarint(50_399)
    #expect(writer.bytes == [0xDF, 0x89, 0x03])
  }

  @Test("zigzag integers round trip, negatives included")
  func zigzag() throws {
    let i16s: [Int16] = [0, -1, 1, -2, 2, .min, .max, -300, 300]
    let i32s: [Int32] = [0, -1, 1, -64, 63, -65, 64, .min, .max, -1_000_000]
    let i64s: [Int64] = [0, -1, 1, .min, .max, -(1 << 40), 1 << 40, .min + 1]
    var writer = ThriftCompactWriter()
    for value in i16s { writer.writeI16(value) }
    for value in i32s { writer.writeI32(value) }
    for value in i64s { writer.writeI64(value) }
    let decoded = try withThriftReader(writer.bytes) { reader in
      let i16 = try i16s.map { _ in try reader.readI16() }
      let i32 = try i32s.map { _ in try reader.readI32() }
      let i64 = try i64s.map { _ in try reader.readI64() }
      #expect(reader.remaining == 0)
      return (i16, i32, i64)
    }
    #expect(decoded.0 == i16s)
    #expect(decoded.1 == i32s)
    #expect(decoded.2 == i64s)
    // Zigzag maps 0, -1, 1, -2 to 0, 1, 2, 3.
    var small = ThriftCompactWriter()
    for value: Int32 in [0, -1, 1, -2, 2] { small.writeI32(value) }
    #expect(small.bytes == [0, 1, 2, 3, 4])
    // Int32.min needs the full five bytes.
    var minimum = ThriftCompactWriter()
    minimum.writeI32(.min)
    #expect(minimum.bytes == [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
  }

  @Test("i8, doubles, binary, strings and UUIDs round trip")
  func scalars() throws {
    let doubles: [Double] = [0, -0.0, 1.5, -1e300, .infinity, -.infinity, .leastNonzeroMagnitude, .pi]
    let uuid: [UInt8] = Array(0..<16)
    var writer = ThriftCompactWriter()
    writer.writeI8(-128)
    writer.writeI8(127)
    for value in doubles { writer.writeDouble(value) }
    writer.writeBinary([UInt8]())
    writer.writeBinary([0, 255, 7])
    writer.writeString("héllo ☃")
    writer.writeString(String(repeating: "x", count: 300))
    writer.writeUUID(uuid)
    writer.writeDouble(.nan)
    try withThriftReader(writer.bytes) { reader in
      #expect(try reader.readI8() == -128)
      #expect(try reader.readI8() == 127)
      for value in doubles {
        let decoded = try reader.readDouble()
        #expect(decoded.bitPattern == value.bitPattern)
      }
      #expect(try reader.readBinary() == [])
      #expect(try reader.readBinary() == [0, 255, 7])
      #expect(try reader.readString() == "héllo ☃")
      #expect(try reader.readString() == String(repeating: "x", count: 300))
      #expect(try reader.readUUID() == uuid)
      #expect(try reader.readDouble().isNaN)
      #expect(reader.remaining == 0)
    }
    // Doubles are little-endian in the compact protocol.
    var one = ThriftCompactWriter()
    one.writeDouble(1.0)
    #expect(one.bytes == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
  }

  @Test("field headers use the delta form for 1…15 and the long form otherwise")
  func fieldHeaders() throws {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, i32: 7)  // delta 1
    writer.writeField(16, i32: 8)  // delta 15: still short
    writer.writeField(32, i32: 9)  // delta 16: long form
    writer.writeField(5, i32: 10)  // going backwards: long form
    writer.writeField(-3, i32: 11)  // negative id: long form
    writer.writeField(1000, bool: true)
    writer.writeField(1001, bool: false)
    writer.writeField(Int16.max, i64: -1)
    writer.writeStructEnd()
    #expect(Array(writer.bytes.prefix(4)) == [0x15, 0x0E, 0xF5, 0x10])
    #expect(Array(writer.bytes[4...7]) == [0x05, 0x40, 0x12, 0x05])  // long form: type, zigzag id 32

    let fields = try withThriftReader(writer.bytes) { reader -> [(Int16, String)] in
      var seen: [(Int16, String)] = []
      let descriptor = ThriftStructDescriptor("Test", fields: [])
      try reader.readStruct(descriptor) { reader, field in
        switch field.type {
        case .i32: seen.append((field.id, "i32 \(try reader.readI32())"))
        case .i64: seen.append((field.id, "i64 \(try reader.readI64())"))
        case .bool: seen.append((field.id, "bool \(try reader.readBool(field))"))
        default: Issue.record("unexpected type \(field.type)")
        }
      }
      #expect(reader.remaining == 0)
      return seen
    }
    #expect(fields.map(\.0) == [1, 16, 32, 5, -3, 1000, 1001, .max])
    #expect(
      fields.map(\.1) == ["i32 7", "i32 8", "i32 9", "i32 10", "i32 11", "bool true", "bool false", "i64 -1"])
  }

  @Test("booleans live in the field header; in lists they are bytes")
  func booleans() throws {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, bool: true)
    writer.writeField(2, bool: false)
    writer.writeField(3, boolList: [true, false, true])
    writer.writeStructEnd()
    #expect(writer.bytes == [0x11, 0x12, 0x19, 0x32, 1, 0, 1, 0])

    var values: [Bool] = []
    var list: [Bool] = []
    try withThriftReader(writer.bytes) { reader in
      try reader.readStruct(ThriftStructDescriptor("Test", fields: [])) { reader, field in
        switch field.id {
        case 3: list = try reader.readBoolList(field)
        default: values.append(try reader.readBool(field))
        }
      }
    }
    #expect(values == [true, false])
    #expect(list == [true, false, true])
    // Element type 1 (as Java and C++ Thrift write it) is a boolean too.
    let javaStyle: [UInt8] = [0x19, 0x21, 1, 0, 0]
    let decoded = try withThriftReader(javaStyle) { reader -> [Bool] in
      var result: [Bool] = []
      try reader.readStruct(ThriftStructDescriptor("Test", fields: [])) { reader, field in
        result = try reader.readBoolList(field)
      }
      return result
    }
    #expect(decoded == [true, false])
  }

  @Test("lists of 0, 14, 15 and 1000 elements use the short and long header forms", arguments: [0, 1, 14, 15, 1000])
  func listForms(count: Int) throws {
    var writer = ThriftCompactWriter()
    let values = (0..<count).map { Int32($0) * -3 }
    writer.writeStructBegin()
    writer.writeField(1, i32List: values)
    writer.writeField(2, stringList: values.map { "v\($0)" })
    writer.writeStructEnd()
    if count < 15 {
      #expect(writer.bytes[1] == UInt8(count) << 4 | 5)
    } else {
      #expect(writer.bytes[1] == 0xF5)
    }
    var ints: [Int32] = []
    var strings: [String] = []
    try withThriftReader(writer.bytes) { reader in
      try reader.readStruct(ThriftStructDescriptor("Test", fields: [])) { reader, field in
        if field.id == 1 { ints = try reader.readI32List(field) } else { strings = try reader.readStringList(field) }
      }
    }
    #expect(ints == values)
    #expect(strings == values.map { "v\($0)" })
  }

  @Test("nested structs restore the outer field id for deltas")
  func nestedStructs() throws {
    let statistics = Statistics(max: [9], min: [1], nullCount: 3, isMaxValueExact: true)
    let header = PageHeader(
      type: .dataPage, uncompressedPageSize: 100, compressedPageSize: 80, crc: -5,
      dataPageHeader: DataPageHeader(numValues: 10, encoding: .rleDictionary, statistics: statistics))
    let bytes = header.encoded()
    let (decoded, length) = try PageHeader.decode(bytes + [0xAA, 0xBB])
    #expect(decoded == header)
    #expect(length == bytes.count)
    // After the nested struct closes, field 5's successor would be written with a delta
    // from 5, not from the inner struct's last id.
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(4, struct: statistics)
    writer.writeField(5, i32: 1)
    writer.writeStructEnd()
    #expect(writer.bytes[writer.bytes.count - 3] == 0x15)
  }

  @Test("maps round trip and an empty map is one byte")
  func maps() throws {
    var writer = ThriftCompactWriter()
    writer.writeMapBegin(.binary, .i64, count: 0)
    #expect(writer.bytes == [0])
    writer.writeMapBegin(.binary, .i64, count: 3)
    for (key, value) in [("a", Int64(1)), ("bb", -2), ("ccc", 1 << 40)] {
      writer.writeString(key)
      writer.writeI64(value)
    }
    writer.writeMapBegin(.i32, .bool, count: 2)
    writer.writeI32(7)
    writer.writeBoolElement(true)
    writer.writeI32(-7)
    writer.writeBoolElement(false)
    try withThriftReader(writer.bytes) { reader in
      let empty = try reader.readMapHeader()
      #expect(empty.count == 0)
      let header = try reader.readMapHeader()
      #expect(header.keyType == .binary && header.valueType == .i64 && header.count == 3)
      #expect(try reader.readString() == "a")
      #expect(try reader.readI64() == 1)
      #expect(try reader.readString() == "bb")
      #expect(try reader.readI64() == -2)
      #expect(try reader.readString() == "ccc")
      #expect(try reader.readI64() == 1 << 40)
      let second = try reader.readMapHeader()
      #expect(second.keyType == .i32 && second.valueType == .bool && second.count == 2)
      #expect(try reader.readI32() == 7)
      #expect(try reader.readBoolElement() == true)
      #expect(try reader.readI32() == -7)
      #expect(try reader.readBoolElement() == false)
      #expect(reader.remaining == 0)
    }
  }

  /// A struct with one unknown field of every type between two known fields.
  static func structWithUnknownFields() -> [UInt8] {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, string: "kept")  // KeyValue.key
    writer.writeField(10, bool: true)
    writer.writeField(11, bool: false)
    writer.writeField(12, i8: -5)
    writer.writeField(13, i16: -300)
    writer.writeField(14, i32: 123_456)
    writer.writeField(15, i64: -(1 << 50))
    writer.writeField(16, double: 2.5)
    writer.writeField(17, binary: Array(repeating: 0xEE, count: 40))
    writer.writeFieldBegin(18, .uuid)
    writer.writeUUID(Array(repeating: 0x42, count: 16))
    writer.writeField(19, list: [[1, 2], [3]] as [[Int64]], of: .list) { writer, inner in
      writer.writeListBegin(.i64, count: inner.count)
      for value in inner { writer.writeI64(value) }
    }
    writer.writeFieldBegin(20, .set)
    writer.writeListBegin(.double, count: 2)
    writer.writeDouble(1)
    writer.writeDouble(2)
    writer.writeFieldBegin(21, .map)
    writer.writeMapBegin(.binary, .struct, count: 2)
    for key in ["x", "y"] {
      writer.writeString(key)
      Statistics(max: [1], nullCount: 2).write(to: &writer)
    }
    writer.writeFieldBegin(22, .map)
    writer.writeMapBegin(.bool, .uuid, count: 1)
    writer.writeBoolElement(true)
    writer.writeUUID(Array(repeating: 1, count: 16))
    writer.writeField(23, struct: ColumnOrder.typeDefinedOrder)
    writer.writeField(200, list: [true, false], of: .bool) { $0.writeBoolElement($1) }
    writer.writeFieldBegin(201, .map)
    writer.writeMapBegin(.i8, .i8, count: 0)
    writer.writeField(2, string: "value")  // KeyValue.value, written after the unknown ones
    writer.writeStructEnd()
    return writer.bytes
  }

  @Test("unknown fields of every type are skipped")
  func skipUnknownFields() throws {
    let bytes = Self.structWithUnknownFields()
    let keyValue = try withThriftReader(bytes) { reader in
      let value = try KeyValue(from: &reader)
      #expect(reader.remaining == 0)
      return value
    }
    #expect(keyValue == KeyValue(key: "kept", value: "value"))
    // The generic skip consumes exactly the same bytes.
    try withThriftReader(bytes + [0x99]) { reader in
      try reader.skip(.struct)
      #expect(reader.remaining == 1)
      #expect(reader.depth == 0)
    }
  }

  @Test("an unknown LogicalType member is skipped, not an error")
  func unknownLogicalTypeMember() throws {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(4, string: "future")
    writer.writeFieldBegin(10, .struct)
    writer.writeStructBegin()
    writer.writeFieldBegin(42, .struct)
    writer.writeStructBegin()
    writer.writeField(1, string: "some parameter")
    writer.writeField(2, i64List: [1, 2, 3])
    writer.writeStructEnd()
    writer.writeStructEnd()
    writer.writeField(11, i32: 3)
    writer.writeStructEnd()
    let element = try SchemaElement(compactBytes: writer.bytes)
    #expect(element.name == "future")
    #expect(element.logicalType == .unrecognized(fieldID: 42))
    #expect(element.vectorLength == 3)
    // An unknown time unit makes the whole annotation unrecognized.
    var time = ThriftCompactWriter()
    time.writeStructBegin()
    time.writeFieldBegin(7, .struct)
    time.writeStructBegin()
    time.writeField(1, bool: true)
    time.writeFieldBegin(2, .struct)
    time.writeStructBegin()
    time.writeEmptyStructField(9)
    time.writeStructEnd()
    time.writeStructEnd()
    time.writeStructEnd()
    #expect(try LogicalType(compactBytes: time.bytes) == .unrecognized(fieldID: 7))
  }

  @Test(
    "every logical type round trips",
    arguments: [
      LogicalType.string, .map, .list, .enum, .decimal(scale: 2, precision: 9), .date,
      .time(isAdjustedToUTC: true, unit: .millis), .time(isAdjustedToUTC: false, unit: .nanos),
      .timestamp(isAdjustedToUTC: true, unit: .micros), .timestamp(isAdjustedToUTC: false, unit: .nanos),
      .integer(bitWidth: 8, isSigned: true), .integer(bitWidth: 64, isSigned: false), .unknown, .json, .bson,
      .uuid, .float16, .variant(specificationVersion: nil), .variant(specificationVersion: 1),
      .geometry(crs: nil), .geometry(crs: "OGC:CRS84"), .geography(crs: "srid:4326", algorithm: .karney),
      .geography(crs: nil, algorithm: nil), .vector,
    ])
  func logicalTypes(type: LogicalType) throws {
    let element = SchemaElement(name: "c", type: .int32, repetitionType: .optional, logicalType: type)
    #expect(try SchemaElement(compactBytes: element.compactEncoded()) == element)
  }

  @Test("unknown enum values survive a round trip")
  func openEnums() throws {
    let metadata = ColumnMetaData(
      type: .int64, encodings: [.plain, Encoding(rawValue: 77)], pathInSchema: ["a", "b"],
      codec: CompressionCodec(rawValue: 99), numValues: 5, dataPageOffset: 4,
      encodingStats: [PageEncodingStats(pageType: PageType(rawValue: 12), encoding: .rle, count: 1)])
    let decoded = try ColumnMetaData(compactBytes: metadata.compactEncoded())
    #expect(decoded == metadata)
    #expect(decoded.codec.description == "CompressionCodec(99)")
    #expect(decoded.encodings.map(\.description) == ["PLAIN", "Encoding(77)"])
  }

  @Test("page index structs round trip")
  func pageIndex() throws {
    let offsets = OffsetIndex(
      pageLocations: [
        PageLocation(offset: 4, compressedPageSize: 100, firstRowIndex: 0),
        PageLocation(offset: 104, compressedPageSize: 90, firstRowIndex: 1000),
      ], unencodedByteArrayDataBytes: [10, 20])
    #expect(try OffsetIndex(compactBytes: offsets.compactEncoded()) == offsets)
    let columns = ColumnIndex(
      nullPages: Array(repeating: false, count: 20) + [true], minValues: (0..<21).map { [UInt8($0)] },
      maxValues: (0..<21).map { [UInt8($0), 0xFF] }, boundaryOrder: .ascending,
      nullCounts: Array(repeating: 0, count: 21), nanCounts: nil)
    #expect(try ColumnIndex(compactBytes: columns.compactEncoded()) == columns)
  }

  @Test("a hand-built FileMetaData round trips")
  func fileMetaDataRoundTrip() throws {
    let metadata = FileMetaData(
      version: 2,
      schema: [
        SchemaElement(name: "root", numChildren: 2),
        SchemaElement(
          name: "id", type: .int64, repetitionType: .required, fieldID: 1,
          logicalType: .integer(bitWidth: 64, isSigned: true)),
        SchemaElement(
          name: "price", type: .fixedLenByteArray, typeLength: 8, repetitionType: .optional,
          convertedType: .decimal, scale: 2, precision: 18, logicalType: .decimal(scale: 2, precision: 18)),
      ],
      numRows: 3,
      rowGroups: [
        RowGroup(
          columns: [
            ColumnChunk(
              filePath: "other.parquet", fileOffset: 4,
              metaData: ColumnMetaData(
                type: .int64, encodings: [.plain, .rle], pathInSchema: ["id"], codec: .zstd, numValues: 3,
                totalUncompressedSize: 50, totalCompressedSize: 40,
                keyValueMetadata: [KeyValue(key: "k")], dataPageOffset: 4, indexPageOffset: 2,
                dictionaryPageOffset: nil,
                statistics: Statistics(nullCount: 0, distinctCount: 3, maxValue: [3, 0, 0, 0, 0, 0, 0, 0]),
                bloomFilterOffset: 100, bloomFilterLength: 32,
                sizeStatistics: SizeStatistics(definitionLevelHistogram: [0, 3]),
                geospatialStatistics: GeospatialStatistics(
                  bbox: BoundingBox(xmin: -1, xmax: 1, ymin: -2, ymax: 2, zmin: 0), geospatialTypes: [1, 3])),
              offsetIndexOffset: 200, offsetIndexLength: 20, columnIndexOffset: 220, columnIndexLength: 30),
            ColumnChunk(metaData: ColumnMetaData(type: .fixedLenByteArray, pathInSchema: ["price"])),
          ],
          totalByteSize: 90, numRows: 3,
          sortingColumns: [SortingColumn(columnIdx: 0, descending: true, nullsFirst: false)], fileOffset: 4,
          totalCompressedSize: 80, ordinal: 0)
      ],
      keyValueMetadata: [KeyValue(key: "a", value: "b"), KeyValue(key: "empty", value: "")],
      createdBy: "avocet tests", columnOrders: [.typeDefinedOrder, .ieee754TotalOrder],
      footerSigningKeyMetadata: [1, 2, 3])
    let bytes = metadata.encoded()
    #expect(try FileMetaData.decode(bytes) == metadata)
    #expect(try FileMetaData.decode(bytes + [1, 2, 3]) == metadata)
  }
}
