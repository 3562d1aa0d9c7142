import Columnar
import Testing

@testable import Parquet

/// Columnar schemas converted to Parquet schema elements.
@Suite struct WriterSchemaTests {
  /// One line per element: name, repetition, physical type, length, converted and logical type,
  /// children, field id.
  static func describe(_ elements: [SchemaElement]) -> [String] {
    elements.map { element in
      var parts = [element.name]
      if let repetition = element.repetitionType { parts.append("\(repetition)") }
      if let type = element.type { parts.append("\(type)") }
      if let length = element.typeLength { parts.append("len=\(length)") }
      if let converted = element.convertedType { parts.append("\(converted)") }
      if let logical = element.logicalType { parts.append("\(logical)") }
      if let scale = element.scale, let precision = element.precision { parts.append("(\(precision),\(scale))") }
      if let children = element.numChildren { parts.append("children=\(children)") }
      if let id = element.fieldID { parts.append("id=\(id)") }
      return parts.joined(separator: " ")
    }
  }

  @Test func primitiveTypes() throws {
    let schema = Schema([
      Field("bool", .boolean, nullable: false),
      Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
      Field("u8", .uint8), Field("u16", .uint16), Field("u32", .uint32), Field("u64", .uint64),
      Field("f16", .float16), Field("f32", .float32), Field("f64", .float64),
      Field("d9", .decimal(precision: 9, scale: 2)), Field("d18", .decimal(precision: 18, scale: 0)),
      Field("d19", .decimal(precision: 19, scale: 4)), Field("d38", .decimal(precision: 38, scale: 38)),
      Field("s", .string), Field("b", .binary), Field("fb", .fixedBinary(width: 3)), Field("u", .uuid),
      Field("date", .date), Field("tms", .time(.millisecond)), Field("tus", .time(.microsecond)),
      Field("tns", .time(.nanosecond)), Field("tsms", .timestamp(.millisecond, utc: true)),
      Field("tsus", .timestamp(.microsecond, utc: true)), Field("tsns", .timestamp(.nanosecond, utc: true)),
      Field("ntz", .timestamp(.microsecond, utc: false)), Field("void", .null, nullable: false),
    ])
    let lines = Self.describe(try ParquetSchemaWriter.schemaElements(for: schema))
    #expect(
      lines == [
        "schema children=29",
        "bool REQUIRED BOOLEAN",
        "i8 OPTIONAL INT32 INT_8 integer(bitWidth: 8, isSigned: true)",
        "i16 OPTIONAL INT32 INT_16 integer(bitWidth: 16, isSigned: true)",
        "i32 OPTIONAL INT32 INT_32 integer(bitWidth: 32, isSigned: true)",
        "i64 OPTIONAL INT64",
        "u8 OPTIONAL INT32 UINT_8 integer(bitWidth: 8, isSigned: false)",
        "u16 OPTIONAL INT32 UINT_16 integer(bitWidth: 16, isSigned: false)",
        "u32 OPTIONAL INT32 UINT_32 integer(bitWidth: 32, isSigned: false)",
        "u64 OPTIONAL INT64 UINT_64 integer(bitWidth: 64, isSigned: false)",
        "f16 OPTIONAL FIXED_LEN_BYTE_ARRAY len=2 float16",
        "f32 OPTIONAL FLOAT",
        "f64 OPTIONAL DOUBLE",
        "d9 OPTIONAL INT32 DECIMAL decimal(scale: 2, precision: 9) (9,2)",
        "d18 OPTIONAL INT64 DECIMAL decimal(scale: 0, precision: 18) (18,0)",
        "d19 OPTIONAL FIXED_LEN_BYTE_ARRAY len=9 DECIMAL decimal(scale: 4, precision: 19) (19,4)",
        "d38 OPTIONAL FIXED_LEN_BYTE_ARRAY len=16 DECIMAL decimal(scale: 38, precision: 38) (38,38)",
        "s OPTIONAL BYTE_ARRAY UTF8 string",
        "b OPTIONAL BYTE_ARRAY",
        "fb OPTIONAL FIXED_LEN_BYTE_ARRAY len=3",
        "u OPTIONAL FIXED_LEN_BYTE_ARRAY len=16 uuid",
        "date OPTIONAL INT32 DATE date",
        "tms OPTIONAL INT32 TIME_MILLIS time(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.millis)",
        "tus OPTIONAL INT64 TIME_MICROS time(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.micros)",
        "tns OPTIONAL INT64 time(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.nanos)",
        "tsms OPTIONAL INT64 TIMESTAMP_MILLIS timestamp(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.millis)",
        "tsus OPTIONAL INT64 TIMESTAMP_MICROS timestamp(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.micros)",
        "tsns OPTIONAL INT64 timestamp(isAdjustedToUTC: true, unit: Parquet.ParquetTimeUnit.nanos)",
        "ntz OPTIONAL INT64 timestamp(isAdjustedToUTC: false, unit: Parquet.ParquetTimeUnit.micros)",
        "void OPTIONAL INT32 unknown",
      ])
  }

  @Test func nestedTypesUseTheStandardLayouts() throws {
    let schema = Schema([
      Field(
        "s", .structure([Field("a", .int32, nullable: false, fieldID: 11), Field("b", .string)]), nullable: false,
        fieldID: 10),
      Field("l", .list(Field("item", .int64, nullable: false, fieldID: 21)), fieldID: 20),
      Field(
        "m",
        .map(key: Field("k", .string, nullable: false, fieldID: 31), value: Field("v", .list(Field("e", .boolean)))),
        fieldID: 30),
    ])
    let lines = Self.describe(try ParquetSchemaWriter.schemaElements(for: schema))
    #expect(
      lines == [
        "schema children=3",
        "s REQUIRED children=2 id=10",
        "a REQUIRED INT32 INT_32 integer(bitWidth: 32, isSigned: true) id=11",
        "b OPTIONAL BYTE_ARRAY UTF8 string",
        "l OPTIONAL LIST list children=1 id=20",
        "list REPEATED children=1",
        "element REQUIRED INT64 id=21",
        "m OPTIONAL MAP map children=1 id=30",
        "key_value REPEATED children=2",
        "key REQUIRED BYTE_ARRAY UTF8 string id=31",
        "value OPTIONAL LIST list children=1",
        "list REPEATED children=1",
        "element OPTIONAL BOOLEAN",
      ])
    let leaves = try WriterSchema(schema).leaves
    #expect(
      leaves.map(\.dottedPath) == [
        "s.a", "s.b", "l.list.element", "m.key_value.key", "m.key_value.value.list.element",
      ])
    #expect(leaves.map(\.maxDefinitionLevel) == [0, 1, 2, 2, 5])
    #expect(leaves.map(\.maxRepetitionLevel) == [0, 0, 1, 1, 2])
  }

  @Test func nullableMapKeysAreWrittenRequired() throws {
    let schema = Schema([Field("m", .map(key: Field("k", .int32), value: Field("v", .int32)))])
    let lines = Self.describe(try ParquetSchemaWriter.schemaElements(for: schema))
    #expect(lines[3] == "key REQUIRED INT32 INT_32 integer(bitWidth: 32, isSigned: true)")
  }

  @Test(arguments: [
    (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (9, 4), (10, 5), (18, 8), (19, 9), (20, 9), (21, 9), (22, 10), (28, 12),
    (29, 13), (38, 16),
  ])
  func decimalWidths(_ precision: Int, _ bytes: Int) {
    #expect(ParquetSchemaWriter.decimalByteWidth(precision: precision) == bytes)
  }

  @Test func invalidSchemasAreRejected() {
    #expect(throws: ParquetError.self) { try ParquetSchemaWriter.schemaElements(for: Schema([])) }
    #expect(throws: ParquetError.self) {
      try ParquetSchemaWriter.schemaElements(for: Schema([Field("s", .structure([]))]))
    }
    #expect(throws: ParquetError.self) {
      try ParquetSchemaWriter.schemaElements(for: Schema([Field("d", .decimal(precision: 39, scale: 0))]))
    }
    #expect(throws: ParquetError.self) {
      try ParquetSchemaWriter.schemaElements(for: Schema([Field("d", .decimal(precision: 5, scale: 6))]))
    }
    #expect(throws: ParquetError.self) {
      try ParquetSchemaWriter.schemaElements(for: Schema([Field("f", .fixedBinary(width: 0))]))
    }
  }

  /// pyarrow reads the converted schema as the Arrow types it stands for.
  @Test func pyarrowSeesTheIntendedTypes() throws {
    let schema = Schema([
      Field("i8", .int8), Field("u64", .uint64), Field("f16", .float16), Field("d", .decimal(precision: 25, scale: 3)),
      Field("s", .string), Field("u", .uuid), Field("t", .time(.millisecond)),
      Field("ts", .timestamp(.microsecond, utc: true)),
      Field("ntz", .timestamp(.nanosecond, utc: false)), Field("v", .null),
      Field("l", .list(Field("element", .int32, nullable: false))),
      Field("m", .map(key: Field("key", .string, nullable: false), value: Field("value", .float64))),
    ])
    let path = try WriterTesting.temporaryPath("types.parquet")
    try WriterTesting.write([], schema: schema, to: path)
    let output = try WriterTesting.python(
      """
      import sys, pyarrow.parquet as pq
      for f in pq.read_schema(sys.argv[1]): print(f.name, f.type, f.nullable)
      """, [path])
    #expect(
      output.split(separator: "\n").map(String.init) == [
        "i8 int8 True", "u64 uint64 True", "f16 halffloat True", "d decimal128(25, 3) True", "s string True",
        "u extension<arrow.uuid> True", "t time32[ms] True", "ts timestamp[us, tz=UTC] True", "ntz timestamp[ns] True",
        "v null True", "l list<element: int32 not null> True", "m map<string, double ('m')> True",
      ])
  }
}
