import Testing

@testable import Ingest

@Suite struct CSVRecordDecoderTests {
  static func decode(_ lines: [String], _ decoder: CSVRecordDecoder = CSVRecordDecoder()) throws -> [DecodedRecord] {
    var decoder = decoder
    var records: [DecodedRecord] = []
    for line in lines { try decoder.decode(line, into: &records) }
    return records
  }

  static func error(_ lines: [String], _ decoder: CSVRecordDecoder = CSVRecordDecoder()) throws -> DecodeError? {
    var decoder = decoder
    var records: [DecodedRecord] = []
    for line in lines.dropLast() { try decoder.decode(line, into: &records) }
    let before = records.count
    do throws(DecodeError) {
      try decoder.decode(lines[lines.count - 1], into: &records)
    } catch {
      #expect(records.count == before)
      return error
    }
    return nil
  }

  @Test func headerNamesTheCellsOfEachRow() throws {
    let records = try Self.decode([
      "time,src_ip,user,action,bytes",
      #"2024-03-01T10:00:00Z,10.0.0.5,"Smith, Jane",login,512"#,
      #"2024-03-01T10:00:01Z,10.0.0.6,"say ""hi""",,"""#,
    ])
    #expect(
      records == [
        DecodedRecord(fields: [
          DecodedField("time", .text("2024-03-01T10:00:00Z")), DecodedField("src_ip", .text("10.0.0.5")),
          DecodedField("user", .text("Smith, Jane")), DecodedField("action", .text("login")),
          DecodedField("bytes", .text("512")),
        ]),
        DecodedRecord(fields: [
          DecodedField("time", .text("2024-03-01T10:00:01Z")), DecodedField("src_ip", .text("10.0.0.6")),
          DecodedField("user", .text(#"say "hi""#)), DecodedField("action", .null), DecodedField("bytes", .text("")),
        ]),
      ])
  }

  @Test func otherDelimitersAndCRLF() throws {
    let tab = CSVRecordDecoder(delimiter: UInt8(ascii: "\t"))
    let records = try Self.decode(["a\tb\tc\r", "1\t\"x\ty\"\t\r", "\t\t\r"], tab)
    #expect(records.count == 2)
    #expect(records[0].fields.map(\.value) == [.text("1"), .text("x\ty"), .null])
    #expect(records[1].fields.map(\.value) == [.null, .null, .null])
    let semicolon = CSVRecordDecoder(delimiter: UInt8(ascii: ";"))
    #expect(try Self.decode(["a;b", "1,5;2"], semicolon).first?["a"] == .text("1,5"))
  }

  @Test func eventTimeFromANamedColumn() throws {
    let decoder = CSVRecordDecoder(timeColumn: "when")
    let records = try Self.decode(
      ["id,when", "1,2023-11-14T22:13:20Z", "2,1700000000.5", "3,", "4,\"2023-11-15T00:13:20+02:00\"", "5,\"\""],
      decoder)
    #expect(
      records.map(\.eventTime) == [1_700_000_000_000_000, 1_700_000_000_500_000, nil, 1_700_000_000_000_000, nil])
    #expect(records[0]["when"] == .text("2023-11-14T22:13:20Z"))
    #expect(
      try Self.error(["id,when", "1,yesterday"], decoder)
        == DecodeError("CSV: field 2 'when': 'yesterday' is not an ISO 8601 time or epoch seconds"))
  }

  @Test func aTimeColumnMissingFromTheHeaderIsAnError() throws {
    let decoder = CSVRecordDecoder(timeColumn: "ts")
    let problem = DecodeError("CSV: the header has no column 'ts' for the event time")
    #expect(try Self.error(["id,when"], decoder) == problem)
    var decoder2 = decoder
    var records: [DecodedRecord] = []
    #expect(throws: problem) { try decoder2.decode("id,when", into: &records) }
    #expect(throws: problem) { try decoder2.decode("1,2", into: &records) }
    #expect(records.isEmpty)
  }

  @Test func headerNamesAreMadeUsable() throws {
    var decoder = CSVRecordDecoder()
    var records: [DecodedRecord] = []
    try decoder.decode("\u{FEFF}a,,a,\"\",a_1", into: &records)
    #expect(decoder.columnNames == ["a", "column_2", "a_1", "column_4", "a_1_1"])
    #expect(records.isEmpty)
  }

  @Test func skipRecordsTheHeaderOnly() throws {
    var decoder = CSVRecordDecoder()
    for line in ["", "name,count", "x,1"] {
      var bytes = Array(line.utf8)
      bytes.withUnsafeMutableBufferPointer { decoder.skip(UnsafeBufferPointer($0)) }
    }
    #expect(decoder.columnNames == ["name", "count"])
    var records: [DecodedRecord] = []
    try decoder.decode("y,2", into: &records)
    #expect(records == [DecodedRecord(fields: [DecodedField("name", .text("y")), DecodedField("count", .text("2"))])])
  }

  @Test func blankLinesYieldNoRecord() throws {
    #expect(try Self.decode(["", "a,b", "", "  ", "1,2"]).count == 1)
  }

  @Test func malformedLinesThrowSayingWhereAndWhat() throws {
    let header = "time,src_ip,user"
    #expect(try Self.error([header, "1,2"]) == DecodeError("CSV: the row has 2 fields but the header has 3"))
    #expect(try Self.error([header, "1,2,3,4"]) == DecodeError("CSV: the row has 4 fields but the header has 3"))
    #expect(
      try Self.error([header, #"1,"10.0.0.1,x"#])
        == DecodeError("CSV: field 2 'src_ip': the quote is not closed (quoted fields cannot span lines)"))
    #expect(
      try Self.error([header, #"1,"10.0.0.1"x,y"#])
        == DecodeError("CSV: field 2 'src_ip': text after the closing quote"))
    #expect(
      try Self.error([header, #"1,2,say "hi""#])
        == DecodeError("CSV: field 3 'user': a quote inside an unquoted field (quote the field and double the quote)"))
    #expect(
      try Self.error([#"a,"b"#])
        == DecodeError("CSV: field 2: the quote is not closed (quoted fields cannot span lines)"))
  }
}
