import Columnar
import Delta
import Testing

/// Delta's JSON schemas as Columnar schemas.
@Suite struct DeltaSchemaTests {
  @Test func everyTypeParses() throws {
    let json = """
      {"type":"struct","fields":[
      {"name":"s","type":"string","nullable":true,"metadata":{}},
      {"name":"l","type":"long","nullable":false,"metadata":{}},
      {"name":"i","type":"integer","nullable":true,"metadata":{}},
      {"name":"h","type":"short","nullable":true,"metadata":{}},
      {"name":"b","type":"byte","nullable":true,"metadata":{}},
      {"name":"f","type":"float","nullable":true,"metadata":{}},
      {"name":"d","type":"double","nullable":true,"metadata":{}},
      {"name":"m","type":"decimal(38, 18)","nullable":true,"metadata":{}},
      {"name":"o","type":"boolean","nullable":true,"metadata":{}},
      {"name":"y","type":"binary","nullable":true,"metadata":{}},
      {"name":"a","type":"date","nullable":true,"metadata":{}},
      {"name":"t","type":"timestamp","nullable":true,"metadata":{}},
      {"name":"n","type":"timestamp_ntz","nullable":true,"metadata":{}},
      {"name":"v","type":"void","nullable":true,"metadata":{}},
      {"name":"st","type":{"type":"struct","fields":[{"name":"x","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":5,"delta.columnMapping.physicalName":"col-x"}}]},"nullable":true,"metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-st"}},
      {"name":"ar","type":{"type":"array","elementType":"string","containsNull":false},"nullable":true,"metadata":{}},
      {"name":"mp","type":{"type":"map","keyType":"string","valueType":{"type":"array","elementType":"long","containsNull":true},"valueContainsNull":true},"nullable":true,"metadata":{"comment":"hi"}}
      ]}
      """
    let schema = try DeltaSchema.parse(json)
    let types = schema.fields.map(\.type)
    #expect(
      Array(types.prefix(14)) == [
        .string, .int64, .int32, .int16, .int8, .float32, .float64, .decimal(precision: 38, scale: 18), .boolean,
        .binary, .date, .timestamp(.microsecond, utc: true), .timestamp(.microsecond, utc: false), .null,
      ])
    #expect(schema.fields[1].nullable == false)
    let st = schema.fields[14]
    #expect(st.fieldID == 4)
    #expect(st.physicalName(.name) == "col-st")
    #expect(st.physicalName(.none) == "st")
    guard case .structure(let children) = st.type else {
      Issue.record("not a struct")
      return
    }
    #expect(children[0].physicalName(.name) == "col-x")
    #expect(children[0].columnMappingID == 5)
    #expect(schema.fields[15].type == .list(Field("element", .string, nullable: false)))
    #expect(
      schema.fields[16].type
        == .map(
          key: Field("key", .string, nullable: false),
          value: Field("value", .list(Field("element", .int64, nullable: true)), nullable: true)))
    #expect(schema.fields[16].metadata["comment"] == "hi")
    #expect(DeltaSchema.typeName(schema.fields[16].type) == "map<string, array<long>>")
  }

  @Test(arguments: [
    #"{"type":"struct"}"#, #"{"type":"struct","fields":[{"name":"a","type":"strng","nullable":true}]}"#,
    #"{"type":"struct","fields":[{"name":"a","type":"decimal(40,2)","nullable":true}]}"#, "not json",
  ])
  func invalidSchemasAreRejected(_ json: String) {
    #expect(throws: DeltaError.self) { try DeltaSchema.parse(json) }
  }
}
