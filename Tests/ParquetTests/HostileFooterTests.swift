import Foundation
import Parquet
import Testing

@Suite("Hostile footers and page headers")
struct HostileFooterTests {
  static func fixtureFooters() throws -> [(String, [UInt8])] {
    try FileMetaDataTests.fixtureNames.map { ($0, try FormatFixtures.footer(of: try FormatFixtures.fixture($0))) }
  }

  /// Decodes `bytes` as a footer; a failure must be a ParquetError. A success must
  /// re-encode to something that decodes again.
  static func decodeTolerantly(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ParquetError? {
    do {
      let metadata = try FileMetaData.decode(bytes)
      #expect(throws: Never.self, sourceLocation: sourceLocation) { try FileMetaData.decode(metadata.encoded()) }
      return nil
    } catch let error as ParquetError {
      return error
    } catch {
      Issue.record("non-Parquet error \(error)", sourceLocation: sourceLocation)
      return nil
    }
  }

  @Test("a footer cut at every position throws .truncated")
  func truncation() throws {
    for (name, footer) in try Self.fixtureFooters() {
      for length in 0..<footer.count {
        let error = thrownParquetError { _ = try FileMetaData.decode(Array(footer.prefix(length))) }
        #expect(error?.code == .truncated, "\(name) cut at \(length): \(String(describing: error))")
      }
    }
  }

  @Test("page headers cut at every position throw .truncated")
  func pageHeaderTruncation() throws {
    let file = try FormatFixtures.fixture("dictionary_v2_pages.parquet")
    let metadata = try FileMetaData.decode(try FormatFixtures.footer(of: file))
    let meta = try #require(metadata.rowGroups.first?.columns.first?.metaData)
    let start = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
    let (_, length) = try PageHeader.decode(Array(file[start...]))
    for cut in 0..<length {
      let error = thrownParquetError { _ = try PageHeader.decode(Array(file[start..<(start + cut)])) }
      #expect(error?.code == .truncated)
    }
  }

  @Test("thousands of random byte changes never crash")
  func byteFlips() throws {
    var generator = FormatFuzzRandom(seed: 0xA70C_E7)
    var failures = 0
    var successes = 0
    for (_, footer) in try Self.fixtureFooters() {
      for _ in 0..<1500 {
        var mutated = footer
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
          let index = Int.random(in: 0..<mutated.count, using: &generator)
          if Bool.random(using: &generator) {
            mutated[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
          } else {
            mutated[index] = UInt8.random(in: 0...255, using: &generator)
          }
        }
        if Self.decodeTolerantly(mutated) == nil { successes += 1 } else { failures += 1 }
      }
    }
    // Most changes should be caught; some (inside strings or numbers) are legitimately valid.
    #expect(failures > 0 && successes > 0)
  }

  @Test("random garbage never crashes")
  func garbage() {
    var generator = FormatFuzzRandom(seed: 42)
    for _ in 0..<3000 {
      let length = Int.random(in: 0...300, using: &generator)
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      _ = Self.decodeTolerantly(bytes)
      do {
        _ = try PageHeader.decode(bytes)
      } catch is ParquetError {
      } catch {
        Issue.record("non-Parquet error \(error)")
      }
    }
  }

  /// A FileMetaData prefix: version, then the header of field 2 (schema) as given.
  static func forgedSchemaList(count: UInt64) -> [UInt8] {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, i32: 1)
    writer.writeFieldBegin(2, .list)
    writer.writeByte(0xFC)  // long form, element type struct
    writer.writeVarint(count)
    writer.writeBytes([0x48, 0x01, 0x61, 0x00])  // one plausible element
    return writer.bytes
  }

  @Test("forged list sizes are rejected before allocating")
  func forgedListSizes() {
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      let huge = thrownParquetError { _ = try FileMetaData.decode(Self.forgedSchemaList(count: UInt64(Int32.max))) }
      #expect(huge?.code == .truncated)
      #expect(huge?.message.hasPrefix("FileMetaData.schema: list size 2147483647 exceeds the 4 bytes left") == true)
      let overflow = thrownParquetError { _ = try FileMetaData.decode(Self.forgedSchemaList(count: 1 << 31)) }
      #expect(overflow?.code == .corrupt)
      let enormous = thrownParquetError { _ = try FileMetaData.decode(Self.forgedSchemaList(count: UInt64.max)) }
      #expect(enormous?.code == .corrupt)
    }
    #expect(elapsed < .seconds(1))
    // Unknown fields are checked the same way: a skipped map of 2^31-1 doubles.
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeFieldBegin(30, .map)
    writer.writeVarint(UInt64(Int32.max))
    writer.writeByte(0x77)
    let map = thrownParquetError { _ = try KeyValue(compactBytes: writer.bytes) }
    #expect(map?.code == .truncated)
    #expect(map?.message.hasPrefix("KeyValue.#30: map size 2147483647 exceeds") == true)
  }

  @Test("forged string and binary lengths are rejected with the path in the message")
  func forgedLengths() {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, i32: 0)
    writer.writeField(2, i32: 10)
    writer.writeField(3, i32: 10)
    writer.writeFieldBegin(5, .struct)
    writer.writeStructBegin()
    writer.writeField(1, i32: 5)
    writer.writeFieldBegin(5, .struct)
    writer.writeStructBegin()
    writer.writeFieldBegin(1, .binary)
    writer.writeVarint(1_234_567)
    writer.writeBytes(Array(repeating: 0, count: 40))
    let error = thrownParquetError { _ = try PageHeader.decode(writer.bytes) }
    #expect(error?.code == .truncated)
    #expect(
      error?.message.hasPrefix(
        "PageHeader.data_page_header.statistics.max: binary length 1234567 exceeds the 40 bytes left") == true,
      "\(String(describing: error))")

    var created = ThriftCompactWriter()
    created.writeStructBegin()
    created.writeFieldBegin(6, .binary)
    created.writeVarint(UInt64(Int32.max))
    let string = thrownParquetError { _ = try FileMetaData.decode(created.bytes) }
    #expect(string?.message.hasPrefix("FileMetaData.created_by: string length 2147483647 exceeds") == true)
  }

  @Test("varints longer than 10 bytes are corrupt")
  func longVarints() throws {
    let eleven = [UInt8](repeating: 0x80, count: 10) + [0x01]
    let error = thrownParquetError { _ = try withThriftReader(eleven) { try $0.readVarint() } }
    #expect(error?.code == .corrupt)
    let overflow = [UInt8](repeating: 0xFF, count: 9) + [0x02]
    #expect(thrownParquetError { _ = try withThriftReader(overflow) { try $0.readVarint() } }?.code == .corrupt)
    let maximum = [UInt8](repeating: 0xFF, count: 9) + [0x01]
    let largest = try withThriftReader(maximum) { try $0.readVarint() }
    #expect(largest == .max)
    // An i32 whose varint needs more than 32 bits.
    let wide: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x1F]
    #expect(thrownParquetError { _ = try withThriftReader(wide) { try $0.readI32() } }?.code == .corrupt)
  }

  @Test("nesting deeper than 64 is corrupt; 64 is fine")
  func deepNesting() throws {
    func keyValue(nestedUnknownStructs depth: Int) -> [UInt8] {
      // key "k", then field 3 (unknown) holding `depth` structs nested in field 1 of each.
      [0x18, 0x01, 0x6B, 0x2C] + [UInt8](repeating: 0x1C, count: depth - 1) + [UInt8](repeating: 0, count: depth + 1)
    }
    // KeyValue itself is level 1, so 63 nested structs reach the limit exactly.
    #expect(try KeyValue(compactBytes: keyValue(nestedUnknownStructs: 63)).key == "k")
    let error = thrownParquetError { _ = try KeyValue(compactBytes: keyValue(nestedUnknownStructs: 64)) }
    #expect(error?.code == .corrupt)
    #expect(error?.message.contains("nesting deeper than 64") == true)
    // Deep lists of lists, skipped as an unknown field.
    let lists: [UInt8] = [0x39] + [UInt8](repeating: 0x19, count: 100_000)
    #expect(thrownParquetError { _ = try KeyValue(compactBytes: lists) }?.code == .corrupt)
    // Deep maps.
    let maps: [UInt8] = [0x3B] + Array([[UInt8]](repeating: [0x01, 0x3B, 0x00], count: 10_000).joined())
    #expect(thrownParquetError { _ = try KeyValue(compactBytes: maps) }?.code == .corrupt)
  }

  @Test("missing required fields are named with their path")
  func missingRequiredField() {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, i32: 1)
    writer.writeField(2, structs: [SchemaElement(name: "root", numChildren: 1)])
    writer.writeField(3, i64: 1)
    writer.writeFieldBegin(4, .list)
    writer.writeListBegin(.struct, count: 1)
    writer.writeStructBegin()  // RowGroup
    writer.writeFieldBegin(1, .list)
    writer.writeListBegin(.struct, count: 1)
    writer.writeStructBegin()  // ColumnChunk
    writer.writeField(2, i64: 0)
    writer.writeFieldBegin(3, .struct)
    writer.writeStructBegin()  // ColumnMetaData without codec
    writer.writeField(1, i32: 1)
    writer.writeField(2, i32List: [0])
    writer.writeField(3, stringList: ["a"])
    writer.writeField(5, i64: 1)
    writer.writeField(6, i64: 10)
    writer.writeField(7, i64: 10)
    writer.writeField(9, i64: 4)
    writer.writeStructEnd()
    writer.writeStructEnd()
    writer.writeField(2, i64: 10)
    writer.writeField(3, i64: 1)
    writer.writeStructEnd()
    writer.writeStructEnd()
    let error = thrownParquetError { _ = try FileMetaData.decode(writer.bytes) }
    #expect(error?.code == .corrupt)
    #expect(
      error?.message
        == "FileMetaData.row_groups[0].columns[0].meta_data: ColumnMetaData is missing required field 'codec'")

    let empty = thrownParquetError { _ = try FileMetaData.decode([0]) }
    #expect(empty?.message == "FileMetaData is missing required field 'version'")
  }

  @Test("wrong wire types, bad type codes and field id overflow are corrupt")
  func malformedFields() {
    var writer = ThriftCompactWriter()
    writer.writeStructBegin()
    writer.writeField(1, i32: 1)
    writer.writeField(3, string: "not a number")
    let wrongType = thrownParquetError { _ = try FileMetaData.decode(writer.bytes) }
    #expect(wrongType?.code == .corrupt)
    #expect(wrongType?.message.hasPrefix("FileMetaData.num_rows: field has wire type binary, expected i64") == true)

    let badCode = thrownParquetError { _ = try FileMetaData.decode([0x1E]) }
    #expect(badCode?.code == .corrupt)
    // Long-form id 32767, then a delta that would pass Int16.max.
    let overflow = thrownParquetError { _ = try KeyValue(compactBytes: [0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00]) }
    #expect(overflow?.code == .corrupt)
    // A list of strings whose element type says i32.
    let elementType = thrownParquetError { _ = try ColumnMetaData(compactBytes: [0x15, 0x02, 0x29, 0x15, 0x02]) }
    #expect(elementType?.message.contains("path_in_schema: list has element type i32, expected binary") == true)
    // Unknown physical type.
    let physical = thrownParquetError { _ = try SchemaElement(compactBytes: [0x15, 0x20, 0x00]) }
    #expect(physical?.message.hasPrefix("SchemaElement.type: unknown physical type 16") == true)
    // VECTOR repetition (3) is valid in recent specs but not supported here.
    let vector = thrownParquetError { _ = try SchemaElement(compactBytes: [0x35, 0x06, 0x00]) }
    #expect(vector?.code == .unsupported)
    #expect(vector?.message == "SchemaElement.repetition_type: repetition type VECTOR (3) is not supported")
  }

  @Test("decode(fileTail:) checks magic and footer length")
  func fileTail() {
    let notParquet = thrownParquetError {
      _ = try [UInt8](repeating: 0, count: 20).withUnsafeBytes { try FileMetaData.decode(fileTail: $0) }
    }
    #expect(notParquet?.code == .corrupt)
    let short = thrownParquetError {
      _ = try [UInt8]("PAR1".utf8).withUnsafeBytes { try FileMetaData.decode(fileTail: $0) }
    }
    #expect(short?.code == .truncated)
    let tooLong: [UInt8] = Array("PAR1".utf8) + [0xFF, 0xFF, 0xFF, 0x7F] + Array("PAR1".utf8)
    let forged = thrownParquetError { _ = try tooLong.withUnsafeBytes { try FileMetaData.decode(fileTail: $0) } }
    #expect(forged?.code == .corrupt)
    let encrypted: [UInt8] = Array("PAR1".utf8) + [0, 0, 0, 0] + Array("PARE".utf8)
    #expect(
      thrownParquetError { _ = try encrypted.withUnsafeBytes { try FileMetaData.decode(fileTail: $0) } }?.code
        == .unsupported)
  }
}
