import Testing

@testable import Ingest

@Suite struct JSONLinesRecordDecoderTests {
  static func decode(_ line: String, timeField: String? = nil) throws(DecodeError) -> [DecodedRecord] {
    var decoder = JSONLinesRecordDecoder(timeField: timeField)
    var records: [DecodedRecord] = []
    try decoder.decode(line, into: &records)
    return records
  }

  @Test func valuesFollowTheirJSONTypes() throws {
    let line = """
      {"ts":"2023-11-14T22:13:20Z","src":"10.0.0.1","port":443,"bytes":-12,"ratio":0.5,"exp":2E3,\
      "huge":92233720368547758070,"ok":true,"gone":null,"tags":["a",1],"geo":{"cc":"NL"},"empty":""}
      """
    #expect(
      try Self.decode(line) == [
        DecodedRecord(fields: [
          DecodedField("ts", .text("2023-11-14T22:13:20Z")),
          DecodedField("src", .text("10.0.0.1")),
          DecodedField("port", .int(443)),
          DecodedField("bytes", .int(-12)),
          DecodedField("ratio", .double(0.5)),
          DecodedField("exp", .double(2000)),
          DecodedField("huge", .double(92_233_720_368_547_758_070)),
          DecodedField("ok", .bool(true)),
          DecodedField("gone", .null),
          DecodedField("tags", .string(#"["a",1]"#)),
          DecodedField("geo", .string(#"{"cc":"NL"}"#)),
          DecodedField("empty", .text("")),
        ])
      ])
  }

  @Test func escapesAreDecoded() throws {
    let record = try #require(try Self.decode(#"{"msg":"a\"b\\c\u00e9\n"}"#).first)
    #expect(record["msg"] == .text("a\"b\\c\u{E9}\n"))
  }

  @Test func timeFieldGivesTheEventTime() throws {
    let base: Int64 = 1_700_000_000_000_000
    #expect(try Self.decode(#"{"ts":"2023-11-14T22:13:20Z","a":1}"#, timeField: "ts").first?.eventTime == base)
    #expect(
      try Self.decode(#"{"ts":"2023-11-15T00:13:20.5+02:00"}"#, timeField: "ts").first?.eventTime == base + 500_000)
    #expect(try Self.decode(#"{"ts":1700000000}"#, timeField: "ts").first?.eventTime == base)
    #expect(try Self.decode(#"{"ts":1700000000.25}"#, timeField: "ts").first?.eventTime == base + 250_000)
    #expect(try Self.decode(#"{"ts":1.7e9}"#, timeField: "ts").first?.eventTime == base)
    #expect(try Self.decode(#"{"ts":"1700000000"}"#, timeField: "ts").first?.eventTime == base)
    // The member stays a field as it was written.
    #expect(try Self.decode(#"{"ts":1700000000}"#, timeField: "ts").first?["ts"] == .int(1_700_000_000))
    // Absent or null: no event time.
    #expect(try Self.decode(#"{"a":1}"#, timeField: "ts").first?.eventTime == nil)
    #expect(try Self.decode(#"{"ts":null}"#, timeField: "ts").first?.eventTime == nil)
    // Without a time field, records have none.
    #expect(try Self.decode(#"{"ts":1700000000}"#).first?.eventTime == nil)
  }

  @Test func blankLinesYieldNothing() throws {
    #expect(try Self.decode("").isEmpty)
    #expect(try Self.decode(" \t\r").isEmpty)
    #expect(try Self.decode("{}") == [DecodedRecord()])
  }

  @Test func malformedLinesThrow() {
    let cases: [(line: String, timeField: String?, message: String)] = [
      (#"["a",1]"#, nil, "JSON line: expected an object, found an array"),
      (#""text""#, nil, #"JSON line: expected an object, found the string "text""#),
      (#"{"a":1,"b":}"#, nil, "JSON line: unexpected character '}' at byte 11"),
      (#"{"a":1"#, nil, "JSON line: unterminated object at byte 6"),
      (#"{"a":1} {"b":2}"#, nil, "JSON line: unexpected text after the JSON value at byte 8"),
      (#"{"a":1,"b":2,"a":3}"#, nil, #"JSON line: duplicate key "a""#),
      (
        #"{"ts":"last tuesday"}"#, "ts",
        #"JSON line: time field "ts" is not an ISO 8601 time or epoch seconds: found the string "last tuesday""#
      ),
      (#"{"ts":true}"#, "ts", #"JSON line: time field "ts" is not an ISO 8601 time or epoch seconds: found true"#),
    ]
    for (line, timeField, message) in cases {
      #expect(throws: DecodeError(message), "\(line)") { try Self.decode(line, timeField: timeField) }
    }
  }

  @Test func duplicatesAreFoundInWideObjects() {
    let members = (0..<60).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    #expect(throws: DecodeError(#"JSON line: duplicate key "k7""#)) {
      try Self.decode("{\(members),\"k7\":0}")
    }
    let wide = (0..<60).map { DecodedField("column_\($0)", .null) }
    #expect(firstDuplicateName(wide[...]) == nil)
    #expect(firstDuplicateName((wide + [DecodedField("column_59", .null)])[...]) == "column_59")
    #expect(firstDuplicateName((wide.prefix(20) + [DecodedField("column_3", .null)])[...]) == "column_3")
  }

  @Test func aFailingLineAppendsNothing() {
    var decoder = JSONLinesRecordDecoder()
    var records = [DecodedRecord(table: "earlier")]
    #expect(throws: DecodeError.self) { try decoder.decode(#"{"a":1,"a":2}"#, into: &records) }
    #expect(records == [DecodedRecord(table: "earlier")])
  }
}
