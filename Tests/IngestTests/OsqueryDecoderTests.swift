import Delta
import Testing

@testable import Ingest

@Suite struct OsqueryDecoderTests {
  // The three result formats, as in osquery's logging docs (security-log-formats.md §1.1).
  static let eventLine = """
    {"name":"processes","hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,\
    "epoch":0,"counter":1,"numerics":false,"decorations":{"host_uuid":"4C4C4544-0042"},\
    "columns":{"name":"osqueryd","path":"/opt/osquery/bin/osqueryd","pid":"97830"},"action":"added"}
    """
  static let batchLine = """
    {"diffResults":{"added":[{"pid":"97830"}],"removed":[{"pid":"97650"}]},"name":"processes",\
    "hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"epoch":0,\
    "counter":1,"numerics":false}
    """
  static let snapshotLine = """
    {"snapshot":[{"parent":"0","path":"/sbin/launchd","pid":"1"}],"action":"snapshot","name":"process_snapshot",\
    "hostIdentifier":"host-01","calendarTime":"Mon May  2 22:27:32 2016 UTC","unixTime":1462228052,"epoch":0,\
    "counter":1,"numerics":false}
    """
  static let statusLine = """
    {"hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":"1412123850",\
    "severity":"0","filename":"scheduler.cpp","line":"83",\
    "message":"Executing scheduled query processes: SELECT * FROM processes","version":"5.12.1",\
    "decorations":{"host_uuid":"4C4C4544-0042"}}
    """

  static let time2014: Int64 = 1_412_123_850_000_000
  static let time2016: Int64 = 1_462_228_052_000_000

  static func decode(_ line: String, logType: OsqueryDecoder.LogType = .auto) throws(DecodeError) -> [DecodedRecord] {
    var decoder = OsqueryDecoder(logType: logType)
    var records: [DecodedRecord] = []
    try decoder.decode(line, into: &records)
    return records
  }

  static func header(
    host: String = "host-01", time: Int64 = time2014, calendar: String = "Tue Sep 30 17:37:30 2014 UTC",
    action: String, epoch: Int64 = 0, counter: Int64 = 1, decorations: FieldValue = .typedNull(.map)
  ) -> [DecodedField] {
    [
      DecodedField("host_identifier", .string(host)),
      DecodedField("event_time", .timestamp(time)),
      DecodedField("calendar_time", .string(calendar)),
      DecodedField("action", .string(action)),
      DecodedField("epoch", .int(epoch)),
      DecodedField("counter", .int(counter)),
      DecodedField("decorations", decorations),
    ]
  }

  @Test func eventFormatIsOneRecordInTheQueryTable() throws {
    let records = try Self.decode(Self.eventLine)
    let expected = DecodedRecord(
      table: "processes",
      fields: Self.header(action: "added", decorations: .map([MapEntry("host_uuid", "4C4C4544-0042")])) + [
        DecodedField("name", .text("osqueryd")),
        DecodedField("path", .text("/opt/osquery/bin/osqueryd")),
        DecodedField("pid", .text("97830")),
      ],
      eventTime: Self.time2014)
    #expect(records == [expected])
  }

  @Test func batchFormatIsOneRecordPerAddedAndRemovedRow() throws {
    let records = try Self.decode(Self.batchLine)
    #expect(
      records == [
        DecodedRecord(
          table: "processes", fields: Self.header(action: "added") + [DecodedField("pid", .text("97830"))],
          eventTime: Self.time2014),
        DecodedRecord(
          table: "processes", fields: Self.header(action: "removed") + [DecodedField("pid", .text("97650"))],
          eventTime: Self.time2014),
      ])
  }

  @Test func snapshotIsOneRecordPerRow() throws {
    let line = Self.snapshotLine.replacing(
      #"[{"parent""#, with: #"[{"parent":"1","path":"/usr/libexec/logd","pid":"93"},{"parent""#, maxReplacements: 1)
    let records = try Self.decode(line)
    let header = Self.header(time: Self.time2016, calendar: "Mon May  2 22:27:32 2016 UTC", action: "snapshot")
    #expect(
      records == [
        DecodedRecord(
          table: "process_snapshot",
          fields: header + [
            DecodedField("parent", .text("1")), DecodedField("path", .text("/usr/libexec/logd")),
            DecodedField("pid", .text("93")),
          ],
          eventTime: Self.time2016),
        DecodedRecord(
          table: "process_snapshot",
          fields: header + [
            DecodedField("parent", .text("0")), DecodedField("path", .text("/sbin/launchd")),
            DecodedField("pid", .text("1")),
          ],
          eventTime: Self.time2016),
      ])
  }

  @Test func emptyResultsYieldNoRecords() throws {
    #expect(try Self.decode(#"{"name":"q","unixTime":1,"snapshot":[],"action":"snapshot"}"#).isEmpty)
    #expect(try Self.decode(#"{"name":"q","unixTime":1,"diffResults":{"added":[],"removed":null}}"#).isEmpty)
  }

  @Test func numericsKeepNumbersAsNumbersAndStringsAsText() throws {
    let line = """
      {"name":"usage","hostIdentifier":"h","unixTime":1412123850,"epoch":0,"counter":0,"numerics":true,\
      "columns":{"pid":97830,"cpu":0.25,"name":"osqueryd","big":18446744073709551615,"parent":null,"neg":-3,\
      "exp":1e3},"action":"added"}
      """
    let record = try #require(try Self.decode(line).first)
    #expect(
      Array(record.fields.dropFirst(7)) == [
        DecodedField("pid", .int(97830)),
        DecodedField("cpu", .double(0.25)),
        DecodedField("name", .text("osqueryd")),
        DecodedField("big", .double(18_446_744_073_709_551_615)),
        DecodedField("parent", .null),
        DecodedField("neg", .int(-3)),
        DecodedField("exp", .double(1000)),
      ])
  }

  @Test func nestedColumnValuesStayJSONText() throws {
    let line = #"{"name":"q","unixTime":1,"columns":{"tags":["a","b"],"o":{"k":1}},"action":"added"}"#
    let record = try #require(try Self.decode(line).first)
    #expect(record["tags"] == .string(#"["a","b"]"#))
    #expect(record["o"] == .string(#"{"k":1}"#))
  }

  @Test func numbersWrittenAsTextAndTheLegacyHostname() throws {
    let line = """
      {"name":"processes","hostname":"legacy-host","calendarTime":"Tue Sep 30 17:37:30 2014 UTC",\
      "unixTime":"1412123850","epoch":"7","counter":"12","columns":{"pid":"1"},"action":"removed"}
      """
    let record = try #require(try Self.decode(line).first)
    #expect(
      record
        == DecodedRecord(
          table: "processes",
          fields: Self.header(host: "legacy-host", action: "removed", epoch: 7, counter: 12) + [
            DecodedField("pid", .text("1"))
          ],
          eventTime: Self.time2014))
  }

  @Test func missingMetadataIsTypedNull() throws {
    let record = try #require(try Self.decode(#"{"name":"q","columns":{"a":"1"}}"#).first)
    #expect(
      record
        == DecodedRecord(
          table: "q",
          fields: [
            DecodedField("host_identifier", .typedNull(.string)),
            DecodedField("event_time", .typedNull(.timestamp)),
            DecodedField("calendar_time", .typedNull(.string)),
            DecodedField("action", .typedNull(.string)),
            DecodedField("epoch", .typedNull(.int)),
            DecodedField("counter", .typedNull(.int)),
            DecodedField("decorations", .typedNull(.map)),
            DecodedField("a", .text("1")),
          ],
          eventTime: nil))
  }

  @Test func topLevelDecorationsAreTheUnknownMembers() throws {
    let line = """
      {"name":"processes","hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC",\
      "unixTime":1412123850,"epoch":0,"counter":1,"numerics":false,"host_uuid":"4C4C4544-0042",\
      "columns":{"pid":"1"},"action":"added","username":"root","osquery_pid":42,"empty":null,"log_type":"result"}
      """
    let record = try #require(try Self.decode(line).first)
    #expect(
      record["decorations"]
        == .map([
          MapEntry("host_uuid", "4C4C4544-0042"), MapEntry("username", "root"), MapEntry("osquery_pid", "42"),
          MapEntry("empty", nil),
        ]))
    #expect(record.fields.count == 8)
  }

  @Test func decorationsObjectAndTopLevelMerge() throws {
    let line = #"{"name":"q","unixTime":1,"decorations":{"a":"1","n":2},"extra":"x","columns":{},"action":"added"}"#
    let record = try #require(try Self.decode(line).first)
    #expect(record["decorations"] == .map([MapEntry("a", "1"), MapEntry("n", "2"), MapEntry("extra", "x")]))
  }

  @Test func columnsNamedLikeMetadataGetAPrefix() throws {
    let line = """
      {"name":"q","unixTime":1,"columns":{"action":"x","counter":"3","event_time":"t","host_identifier":"h",\
      "calendar_time":"c","epoch":"e","decorations":"d","name":"n"},"action":"added"}
      """
    let record = try #require(try Self.decode(line).first)
    #expect(
      record.fields.dropFirst(7).map(\.name) == [
        "column_action", "column_counter", "column_event_time", "column_host_identifier", "column_calendar_time",
        "column_epoch", "column_decorations", "name",
      ])
    #expect(record["action"] == .string("added"))
    #expect(record["column_action"] == .text("x"))
  }

  @Test func queryNamesBecomeSafeTableNames() throws {
    func table(_ name: String) throws -> String? {
      try Self.decode(#"{"name":"\#(name)","unixTime":1,"columns":{},"action":"added"}"#).first?.table
    }
    #expect(try table("pack/osquery-monitoring/schedule") == "pack_osquery-monitoring_schedule")
    #expect(try table("pack_incident-response_v1.2") == "pack_incident-response_v1.2")
    #expect(try table("my query: ports*") == "my_query__ports_")
    #expect(try table("caf\u{E9}") == "caf_")
    #expect(try table("..\\\\x") == ".._x")
    #expect(throws: DecodeError(#"osquery result: query "name" ".." cannot name a table"#)) { try table("..") }
    #expect(throws: DecodeError(#"osquery result: query "name" "." cannot name a table"#)) { try table(".") }
    #expect(throws: DecodeError(#"osquery result: query "name" "" cannot name a table"#)) { try table("") }
  }

  @Test func calendarTimeStandsInForAMissingUnixTime() throws {
    let line = #"{"name":"q","calendarTime":"Mon May  2 22:27:32 2016 UTC","columns":{},"action":"added"}"#
    let record = try #require(try Self.decode(line).first)
    #expect(record.eventTime == Self.time2016)
    #expect(record["event_time"] == .timestamp(Self.time2016))
  }

  @Test func calendarTimeParsesAsctime() {
    #expect(CalendarTime.micros("Mon May  2 22:27:32 2016 UTC") == Self.time2016)
    #expect(CalendarTime.micros("Mon May 02 22:27:32 2016 UTC") == Self.time2016)
    #expect(CalendarTime.micros("Mon May  2 22:27:32 2016") == Self.time2016)
    #expect(CalendarTime.micros("Tue Sep 30 17:37:30 2014 UTC") == 1_412_098_650_000_000)
    #expect(CalendarTime.micros("Thu Feb 29 00:00:00 2024 UTC") == 1_709_164_800_000_000)
    #expect(CalendarTime.micros("Fri Feb 29 00:00:00 2023 UTC") == nil)
    #expect(CalendarTime.micros("Mon Foo  2 22:27:32 2016 UTC") == nil)
    #expect(CalendarTime.micros("Mon May  2 22:27 2016 UTC") == nil)
    #expect(CalendarTime.micros("Mon May  2 22:27:32 2016 PDT") == nil)
    #expect(CalendarTime.micros("Mon May  2 24:00:00 2016 UTC") == nil)
    #expect(CalendarTime.micros("") == nil)
  }

  @Test func statusLogsGoToTheStatusTable() throws {
    let expected = DecodedRecord(
      table: "osquery_status",
      fields: [
        DecodedField("host_identifier", .string("host-01")),
        DecodedField("event_time", .timestamp(Self.time2014)),
        DecodedField("calendar_time", .string("Tue Sep 30 17:37:30 2014 UTC")),
        DecodedField("severity", .int(0)),
        DecodedField("filename", .string("scheduler.cpp")),
        DecodedField("line", .int(83)),
        DecodedField("message", .string("Executing scheduled query processes: SELECT * FROM processes")),
        DecodedField("version", .string("5.12.1")),
        DecodedField("decorations", .map([MapEntry("host_uuid", "4C4C4544-0042")])),
      ],
      eventTime: Self.time2014)
    #expect(try Self.decode(Self.statusLine) == [expected])
    #expect(try Self.decode(Self.statusLine, logType: .status) == [expected])
    // osquery 5.10 and later write true numbers.
    let numeric = Self.statusLine.replacing(#""unixTime":"1412123850""#, with: #""unixTime":1412123850"#)
      .replacing(#""severity":"0""#, with: #""severity":0"#).replacing(#""line":"83""#, with: #""line":83"#)
    #expect(try Self.decode(numeric) == [expected])
  }

  @Test func statusLogsWithTopLevelDecorationsAndMissingMembers() throws {
    let line = #"{"hostIdentifier":"h","unixTime":1,"severity":2,"message":"failed","host_uuid":"u"}"#
    let record = try #require(try Self.decode(line).first)
    #expect(record.table == "osquery_status")
    #expect(record["filename"] == .typedNull(.string))
    #expect(record["line"] == .typedNull(.int))
    #expect(record["severity"] == .int(2))
    #expect(record["decorations"] == .map([MapEntry("host_uuid", "u")]))
    #expect(throws: DecodeError(#"osquery status: "severity" is not an integer: found the string "high""#)) {
      try Self.decode(#"{"unixTime":1,"severity":"high","message":"m"}"#)
    }
  }

  @Test func logTypeDecidesBetweenResultAndStatus() throws {
    // `log_type` in the object wins over the shape.
    let tagged = #"{"log_type":"status","name":"n","severity":1,"message":"m","unixTime":1}"#
    #expect(try Self.decode(tagged).first?.table == "osquery_status")
    // Forced result: a status log has no query name.
    #expect(throws: DecodeError(#"osquery result: missing "name""#)) {
      try Self.decode(Self.statusLine, logType: .result)
    }
    #expect(OsqueryDecoder.LogType(loggerLogType: "status") == .status)
    #expect(OsqueryDecoder.LogType(loggerLogType: "result") == .result)
    #expect(OsqueryDecoder.LogType(loggerLogType: "snapshot") == nil)
  }

  @Test func tlsLoggerBodyElementsDecodeWithoutReserialising() throws {
    let body = """
      {"node_key":"k","log_type":"result","data":[\(Self.eventLine),\(Self.batchLine),\(Self.snapshotLine)]}
      """
    let parsed = try #require(try JSONParser.parse(body).objectValue)
    let logType = try #require(parsed["log_type"]?.stringValue.flatMap(OsqueryDecoder.LogType.init(loggerLogType:)))
    var decoder = OsqueryDecoder()
    var records: [DecodedRecord] = []
    for element in try #require(parsed["data"]?.arrayValue) {
      try decoder.decode(object: try #require(element.objectValue), logType: logType, into: &records)
    }
    #expect(records.map(\.table) == ["processes", "processes", "processes", "process_snapshot"])
    #expect(records.first == (try Self.decode(Self.eventLine)).first)
  }

  @Test func blankLinesYieldNothing() throws {
    #expect(try Self.decode("").isEmpty)
    #expect(try Self.decode("  \t \r").isEmpty)
  }

  @Test func malformedLinesThrowAndNameTheKey() {
    let cases: [(line: String, message: String)] = [
      (#"{"unixTime":1,"columns":{},"action":"added"}"#, #"osquery result: missing "name""#),
      (#"{"name":7,"columns":{}}"#, #"osquery result: "name" is not a string: found the number 7"#),
      (
        #"{"name":"q","unixTime":1,"action":"added"}"#,
        #"osquery result: none of "columns", "diffResults" or "snapshot" in query "q""#
      ),
      (
        #"{"name":"q","columns":{},"snapshot":[]}"#,
        #"osquery result: more than one of "columns", "diffResults" and "snapshot" in query "q""#
      ),
      (
        #"{"name":"q","unixTime":"yesterday","columns":{}}"#,
        #"osquery result: "unixTime" is not a number of seconds: found the string "yesterday""#
      ),
      (
        #"{"name":"q","calendarTime":"May 2 2016","columns":{}}"#,
        #"osquery result: no "unixTime", and "calendarTime" is not a time like "Mon May  2 22:27:32 2016 UTC": found the string "May 2 2016""#
      ),
      (#"{"name":"q","epoch":"x","columns":{}}"#, #"osquery result: "epoch" is not an integer: found the string "x""#),
      (#"{"name":"q","counter":true,"columns":{}}"#, #"osquery result: "counter" is not an integer: found true"#),
      (#"{"name":"q","columns":[1]}"#, #"osquery result: "columns" is not an object: found an array"#),
      (
        #"{"name":"q","diffResults":{"added":[{"a":"1"},"b"]}}"#,
        #"osquery result: "diffResults"."added"[1] is not an object: found the string "b""#
      ),
      (
        #"{"name":"q","diffResults":{"removed":{"a":"1"}}}"#,
        #"osquery result: "diffResults"."removed" is not an array of rows: found an object"#
      ),
      (#"{"name":"q","diffResults":[]}"#, #"osquery result: "diffResults" is not an object: found an array"#),
      (#"{"name":"q","snapshot":[null]}"#, #"osquery result: "snapshot"[0] is not an object: found null"#),
      (
        #"{"name":"q","decorations":"x","columns":{}}"#,
        #"osquery result: "decorations" is not an object: found the string "x""#
      ),
      (
        #"{"name":"q","columns":{"action":"a","column_action":"b"}}"#,
        #"osquery result: duplicate column "column_action" in "columns""#
      ),
      (#"{"name":"q","columns":{"a":"1"}"#, "osquery: not valid JSON: unterminated object at byte 31"),
      (#"["name"]"#, "osquery: expected a JSON object, found an array"),
      ("osqueryd started", "osquery: not valid JSON: unexpected character 'o' at byte 0"),
    ]
    for (line, message) in cases {
      #expect(throws: DecodeError(message), "\(line)") { try Self.decode(line) }
    }
  }

  @Test func aFailingUnitAppendsNothing() {
    var decoder = OsqueryDecoder()
    var records = [DecodedRecord(table: "earlier")]
    #expect(throws: DecodeError.self) {
      try decoder.decode(#"{"name":"q","unixTime":1,"snapshot":[{"a":"1"},{"b":"2"},3]}"#, into: &records)
    }
    #expect(records == [DecodedRecord(table: "earlier")])
  }

  /// Prints a decode rate for a ~1 KB event-format line; asserts nothing about time.
  @Test func decodeRateOfOneKilobyteEventLines() throws {
    let line = Array(OsqueryBenchmarkLine.text.utf8)
    #expect(line.count > 900 && line.count < 1200)
    var decoder = OsqueryDecoder()
    var records: [DecodedRecord] = []
    records.reserveCapacity(1)
    let count = 2_000
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
      for _ in 0..<count {
        records.removeAll(keepingCapacity: true)
        try decoder.decode(line, into: &records)
      }
    }
    #expect(records.count == 1 && records[0].fields.count == 7 + 30)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print("osquery event lines (\(line.count) bytes): \(Int(Double(count) / seconds)) lines/s (this build)")
  }
}

/// A ~1 KB event-format result line: a `processes` row with 30 columns and two decorations.
enum OsqueryBenchmarkLine {
  static let text = """
    {"name":"pack_incident-response_process_events","hostIdentifier":"5A3C0D1E-7B2F-4E0C-9D1B-2F6A9C8E4B11",\
    "calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"epoch":0,"counter":42,"numerics":false,\
    "decorations":{"host_uuid":"4C4C4544-0042-3510-8052-B7C04F4E3232","hostname":"build-agent-17.example.internal"},\
    "columns":{"pid":"97830","parent":"1","uid":"0","gid":"0","euid":"0","egid":"0","name":"osqueryd",\
    "path":"/opt/osquery/bin/osqueryd","cmdline":"/opt/osquery/bin/osqueryd --flagfile=/etc/osquery/osquery.flags",\
    "cwd":"/","root":"/","state":"S","nice":"0","threads":"12","on_disk":"1","wired_size":"0",\
    "resident_size":"48562176","total_size":"1108234240","user_time":"5423","system_time":"1877",\
    "disk_bytes_read":"10485760","disk_bytes_written":"2097152","start_time":"1412120000","pgroup":"97830",\
    "sid":"97830","elapsed_time":"3850","handle_count":"0","percent_processor_time":"7300",\
    "upid":"","uppid":""},"action":"added"}
    """
}
