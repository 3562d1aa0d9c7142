import Testing

@testable import Ingest

@Suite struct FieldValueTests {
  @Test func kindsFollowTheValues() {
    #expect(FieldValue.int(1).kind == .int)
    #expect(FieldValue.null.kind == nil)
    #expect(FieldValue.typedNull(.timestamp).kind == .timestamp)
    #expect(FieldValue.list(element: .string, []).kind == .list(.string))
  }

  @Test func recordsLookUpFieldsByName() {
    var record = DecodedRecord(table: "t")
    record.append("a", .int(1))
    record.append("b", .text("x"))
    #expect(record["b"] == .text("x"))
    #expect(record["c"] == nil)
  }
}
