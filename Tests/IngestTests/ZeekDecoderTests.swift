import Testing

@testable import Ingest

@Suite struct ZeekDecoderTests {
  /// The header lines Zeek writes, with the separator between a directive and its values.
  static func header(path: String, fields: [String], types: [String]) -> [String] {
    [
      "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-", "#path\t\(path)",
      "#open\t2020-06-05-14-48-32", "#fields\t" + fields.joined(separator: "\t"),
      "#types\t" + types.joined(separator: "\t"),
    ]
  }

  static let connFields = [
    "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration", "orig_bytes",
    "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history", "orig_pkts", "orig_ip_bytes",
    "resp_pkts", "resp_ip_bytes", "tunnel_parents",
  ]
  static let connTypes = [
    "time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count", "string", "bool",
    "bool", "count", "string", "count", "count", "count", "count", "set[string]",
  ]
  static let connHeader = header(path: "conn", fields: connFields, types: connTypes)
  static let connLine =
    "1591367999.430166\tCLqEx41jYPOdfHF586\t192.168.4.76\t46378\t31.3.245.133\t80\ttcp\thttp\t0.254115\t77\t295\tSF\t-\t-\t0\tShADadFf\t6\t397\t4\t511\t-"

  static let dnsHeader = header(
    path: "dns",
    fields: [
      "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id", "rtt", "query", "qclass",
      "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name", "AA", "TC", "RD", "RA", "Z", "answers", "TTLs",
      "rejected",
    ],
    types: [
      "time", "string", "addr", "port", "addr", "port", "enum", "count", "interval", "string", "count", "string",
      "count", "string", "count", "string", "bool", "bool", "bool", "bool", "count", "vector[string]",
      "vector[interval]", "bool",
    ])

  static let httpHeader = header(
    path: "http",
    fields: [
      "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "method", "host", "uri",
      "referrer", "version", "user_agent", "origin", "request_body_len", "response_body_len", "status_code",
      "status_msg", "info_code", "info_msg", "tags", "username", "password", "proxied", "orig_fuids",
      "orig_filenames", "orig_mime_types", "resp_fuids", "resp_filenames", "resp_mime_types",
    ],
    types: [
      "time", "string", "addr", "port", "addr", "port", "count", "string", "string", "string", "string", "string",
      "string", "string", "count", "count", "count", "string", "count", "string", "set[enum]", "string", "string",
      "set[string]", "vector[string]", "vector[string]", "vector[string]", "vector[string]", "vector[string]",
      "vector[string]",
    ])

  static let sslHeader = header(
    path: "ssl",
    fields: [
      "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "version", "cipher", "curve", "server_name",
      "resumed", "last_alert", "next_protocol", "established", "ssl_history", "cert_chain_fps",
      "client_cert_chain_fps", "subject", "issuer", "client_subject", "client_issuer", "sni_matches_cert",
      "validation_status",
    ],
    types: [
      "time", "string", "addr", "port", "addr", "port", "string", "string", "string", "string", "bool", "string",
      "string", "bool", "string", "vector[string]", "vector[string]", "string", "string", "string", "string", "bool",
      "string",
    ])

  /// Feeds `lines` to a new decoder and returns the records; fails the test on an error.
  static func decode(_ lines: [String]) throws -> [DecodedRecord] {
    var decoder = ZeekDecoder()
    var records: [DecodedRecord] = []
    for line in lines { try decoder.decode(line, into: &records) }
    return records
  }

  /// The error the last of `lines` throws, after the others decoded.
  static func error(_ lines: [String]) throws -> DecodeError? {
    var decoder = ZeekDecoder()
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

  static let connRecord = DecodedRecord(
    fields: [
      DecodedField("ts", .timestamp(1_591_367_999_430_166)),
      DecodedField("uid", .string("CLqEx41jYPOdfHF586")),
      DecodedField("id.orig_h", .string("192.168.4.76")),
      DecodedField("id.orig_p", .int(46378)),
      DecodedField("id.resp_h", .string("31.3.245.133")),
      DecodedField("id.resp_p", .int(80)),
      DecodedField("proto", .string("tcp")),
      DecodedField("service", .string("http")),
      DecodedField("duration", .double(0.254115)),
      DecodedField("orig_bytes", .int(77)),
      DecodedField("resp_bytes", .int(295)),
      DecodedField("conn_state", .string("SF")),
      DecodedField("local_orig", .typedNull(.bool)),
      DecodedField("local_resp", .typedNull(.bool)),
      DecodedField("missed_bytes", .int(0)),
      DecodedField("history", .string("ShADadFf")),
      DecodedField("orig_pkts", .int(6)),
      DecodedField("orig_ip_bytes", .int(397)),
      DecodedField("resp_pkts", .int(4)),
      DecodedField("resp_ip_bytes", .int(511)),
      DecodedField("tunnel_parents", .typedNull(.list(.string))),
    ],
    eventTime: 1_591_367_999_430_166)

  @Test func connLineDecodesByTheHeader() throws {
    let records = try Self.decode(Self.connHeader + [Self.connLine, "#close\t2020-06-05-15-00-00"])
    #expect(records == [Self.connRecord])
    var decoder = ZeekDecoder()
    var ignored: [DecodedRecord] = []
    for line in Self.connHeader { try decoder.decode(line, into: &ignored) }
    #expect(decoder.logPath == "conn")
    #expect(ignored.isEmpty)
  }

  @Test func headerWrittenWithSpacesAndCRLFReadsTheSame() throws {
    let header = Self.connHeader.map { $0.replacing("\t", with: " ") + "\r" }
    #expect(try Self.decode(header + [Self.connLine + "\r"]) == [Self.connRecord])
  }

  @Test func columnsAreFoundByNameNotPosition() throws {
    // The same values in another order, with a newer field (ip_proto) added.
    let fields = ["uid", "ts", "ip_proto", "id.orig_h"]
    let types = ["string", "time", "count", "addr"]
    let records = try Self.decode(
      Self.header(path: "conn", fields: fields, types: types) + [
        "CLqEx41jYPOdfHF586\t1591367999.430166\t6\t192.168.4.76"
      ])
    #expect(
      records == [
        DecodedRecord(
          fields: [
            DecodedField("uid", .string("CLqEx41jYPOdfHF586")), DecodedField("ts", .timestamp(1_591_367_999_430_166)),
            DecodedField("ip_proto", .int(6)), DecodedField("id.orig_h", .string("192.168.4.76")),
          ],
          eventTime: 1_591_367_999_430_166)
      ])
  }

  @Test func dnsVectorsBoolsAndUnsetCounts() throws {
    let lines = [
      "1591367999.305988\tCbCdPb2ICCUhQ2Cx6b\t192.168.4.76\t36844\t192.168.4.1\t53\tudp\t8555\t0.066852\ttestmyids.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\twww.testmyids.com,31.3.245.133\t3600.000000,60.000000\tF",
      "1591367999.400000\tCsq3kb1Xg5JKbN4yse\t192.168.4.76\t46113\t192.168.4.1\t53\tudp\t21299\t-\twww.example.com\t1\tC_INTERNET\t28\tAAAA\t-\t-\tF\tF\tT\tF\t0\t-\t-\tF",
    ]
    let records = try Self.decode(Self.dnsHeader + lines)
    #expect(records.count == 2)
    let answered = records[0]
    #expect(answered["trans_id"] == .int(8555))
    #expect(answered["rtt"] == .double(0.066852))
    #expect(answered["AA"] == .bool(false))
    #expect(answered["RD"] == .bool(true))
    #expect(answered["answers"] == .list(element: .string, [.string("www.testmyids.com"), .string("31.3.245.133")]))
    #expect(answered["TTLs"] == .list(element: .double, [.double(3600), .double(60)]))
    #expect(answered.eventTime == 1_591_367_999_305_988)
    let unanswered = records[1]
    #expect(unanswered["rtt"] == .typedNull(.double))
    #expect(unanswered["rcode"] == .typedNull(.int))
    #expect(unanswered["rcode_name"] == .typedNull(.string))
    #expect(unanswered["answers"] == .typedNull(.list(.string)))
    #expect(unanswered["TTLs"] == .typedNull(.list(.double)))
    #expect(unanswered.fields.count == 24)
  }

  @Test func httpEmptySetsEscapesAndUnsetStrings() throws {
    let line =
      "1591367999.512593\tC5bLoe2Mvxqhawzqqd\t192.168.4.76\t46378\t31.3.245.133\t80\t1\tGET\ttestmyids.com\t/a\\x09b\\x2cc\t-\t1.1\tcurl/7.47.0\t-\t0\t39\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\tFEEp2FJVs7P8v2XGl\t-\ttext/plain"
    let record = try #require(try Self.decode(Self.httpHeader + [line]).first)
    #expect(record["uri"] == .string("/a\tb,c"))
    #expect(record["referrer"] == .typedNull(.string))
    #expect(record["tags"] == .list(element: .string, []))
    #expect(record["proxied"] == .typedNull(.list(.string)))
    #expect(record["resp_fuids"] == .list(element: .string, [.string("FEEp2FJVs7P8v2XGl")]))
    #expect(record["status_code"] == .int(200))
    #expect(record["info_code"] == .typedNull(.int))
    #expect(record.fields.count == 30)
  }

  @Test func sslEmptyVectorsAndBools() throws {
    let line =
      "1591368000.123456\tCsWgyS3LOd8ZZLvtX6\t192.168.4.76\t53234\t93.184.216.34\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\twww.example.com\tF\t-\t-\tT\tCsiI\t(empty)\t(empty)\t-\t-\t-\t-\t-\t-"
    let record = try #require(try Self.decode(Self.sslHeader + [line]).first)
    #expect(record["version"] == .string("TLSv13"))
    #expect(record["resumed"] == .bool(false))
    #expect(record["established"] == .bool(true))
    #expect(record["cert_chain_fps"] == .list(element: .string, []))
    #expect(record["sni_matches_cert"] == .typedNull(.bool))
    #expect(record.eventTime == 1_591_368_000_123_456)
  }

  @Test func stringsThatLookLikeMarkersAreEscaped() throws {
    let header = Self.header(
      path: "x", fields: ["ts", "a", "b", "c", "s"], types: ["time", "string", "string", "string", "set[string]"])
    let record = try #require(try Self.decode(header + ["1.5\t\\x2d\t(empty)\t\\x28empty)\t-,(empty),x"]).first)
    #expect(record["a"] == .string("-"))
    #expect(record["b"] == .string(""))
    #expect(record["c"] == .string("(empty)"))
    #expect(record["s"] == .list(element: .string, [.typedNull(.string), .string(""), .string("x")]))
    #expect(record.eventTime == 1_500_000)
  }

  @Test func aLaterHeaderAppliesFromItsLineOn() throws {
    let second = Self.header(path: "dns", fields: ["ts", "query"], types: ["time", "string"])
    let records = try Self.decode(
      Self.connHeader + [Self.connLine, "#close\t2020-06-05-15-00-00"] + second + ["1591371600.000001\texample.org"])
    #expect(records.count == 2)
    #expect(records[0] == Self.connRecord)
    #expect(
      records[1]
        == DecodedRecord(
          fields: [
            DecodedField("ts", .timestamp(1_591_371_600_000_001)), DecodedField("query", .string("example.org")),
          ],
          eventTime: 1_591_371_600_000_001))
  }

  @Test func skipTakesInHeadersAndIgnoresData() throws {
    var decoder = ZeekDecoder()
    for line in Self.connHeader + [Self.connLine] {
      var bytes = Array(line.utf8)
      bytes.withUnsafeMutableBufferPointer { decoder.skip(UnsafeBufferPointer($0)) }
    }
    var records: [DecodedRecord] = []
    try decoder.decode(Self.connLine, into: &records)
    #expect(records == [Self.connRecord])
  }

  @Test func blankLinesYieldNoRecord() throws {
    #expect(try Self.decode(["", "  ", "\r"]).isEmpty)
    #expect(try Self.decode(Self.connHeader + ["", Self.connLine, ""]) == [Self.connRecord])
  }

  @Test func otherSeparatorsAndMarkers() throws {
    let lines = [
      "#separator \\x7c", "#set_separator|;", "#empty_field|EMPTY", "#unset_field|NONE", "#fields|ts|tags|n",
      "#types|time|set[string]|count", "1.000001|a;b|NONE", "2|EMPTY|7",
    ]
    let records = try Self.decode(lines)
    #expect(records.count == 2)
    #expect(records[0]["tags"] == .list(element: .string, [.string("a"), .string("b")]))
    #expect(records[0]["n"] == .typedNull(.int))
    #expect(records[0].eventTime == 1_000_001)
    #expect(records[1]["tags"] == .list(element: .string, []))
    #expect(records[1]["n"] == .int(7))
  }

  @Test func malformedLinesThrowSayingWhereAndWhat() throws {
    #expect(try Self.error([Self.connLine]) == DecodeError("Zeek TSV: a data line before any #fields header line"))
    let fewer = Self.connLine.split(separator: "\t").dropLast().joined(separator: "\t")
    #expect(
      try Self.error(Self.connHeader + [fewer])
        == DecodeError("Zeek TSV: the line has 20 fields but the #fields header names 21"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine + "\textra"])
        == DecodeError("Zeek TSV: the line has 22 fields but the #fields header names 21"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine.replacing("\t46378\t", with: "\t463x8\t")])
        == DecodeError("Zeek TSV: field 4 'id.orig_p' (port): '463x8' is not a valid port"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine.replacing("1591367999.430166", with: "15913679x9.4")])
        == DecodeError("Zeek TSV: field 1 'ts' (time): '15913679x9.4' is not a valid time"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine.replacing("\t0.254115\t", with: "\tsoon\t")])
        == DecodeError("Zeek TSV: field 9 'duration' (interval): 'soon' is not a valid interval"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine.replacing("\tSF\t-\t-\t", with: "\tSF\tyes\t-\t")])
        == DecodeError("Zeek TSV: field 13 'local_orig' (bool): 'yes' is not a valid bool"))
    #expect(
      try Self.error(Self.connHeader + [Self.connLine.replacing("\t77\t", with: "\t99999999999999999999\t")])
        == DecodeError("Zeek TSV: field 10 'orig_bytes' (count): '99999999999999999999' is not a valid count"))
    let dns =
      "1591367999.305988\tCbCdPb2ICCUhQ2Cx6b\t192.168.4.76\t36844\t192.168.4.1\t53\tudp\t8555\t0.066852\ttestmyids.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\ta,b\t3600.000000,x\tF"
    #expect(
      try Self.error(Self.dnsHeader + [dns])
        == DecodeError(
          "Zeek TSV: field 23 'TTLs' (vector[interval]): element 'x' of '3600.000000,x' is not a valid interval"))
  }

  @Test func headerProblemsAreReportedOnDataLines() throws {
    let noTypes = Array(Self.connHeader.dropLast())
    #expect(
      try Self.error(noTypes + [Self.connLine]) == DecodeError("Zeek TSV: the header has #fields but no #types line"))
    let shortTypes = Array(Self.connHeader.dropLast()) + ["#types\ttime\tstring"]
    #expect(
      try Self.error(shortTypes + [Self.connLine])
        == DecodeError("Zeek TSV: the #fields line names 21 columns but the #types line has 2"))
  }

  // MARK: JSON

  @Test func jsonConnLineFromTheReference() throws {
    let line =
      #"{"ts":1591367999.430166,"uid":"C5bLoe2Mvxqhawzqqd","id.orig_h":"192.168.4.76","id.orig_p":46378,"id.resp_h":"31.3.245.133","id.resp_p":80,"proto":"tcp","service":"http","duration":0.25411510467529297,"orig_bytes":77,"resp_bytes":295,"conn_state":"SF","missed_bytes":0,"history":"ShADadFf","orig_pkts":6,"orig_ip_bytes":397,"resp_pkts":4,"resp_ip_bytes":511}"#
    let records = try Self.decode([line])
    #expect(
      records == [
        DecodedRecord(
          fields: [
            DecodedField("ts", .timestamp(1_591_367_999_430_166)),
            DecodedField("uid", .string("C5bLoe2Mvxqhawzqqd")),
            DecodedField("id.orig_h", .string("192.168.4.76")),
            DecodedField("id.orig_p", .int(46378)),
            DecodedField("id.resp_h", .string("31.3.245.133")),
            DecodedField("id.resp_p", .int(80)),
            DecodedField("proto", .string("tcp")),
            DecodedField("service", .string("http")),
            DecodedField("duration", .double(0.25411510467529297)),
            DecodedField("orig_bytes", .int(77)),
            DecodedField("resp_bytes", .int(295)),
            DecodedField("conn_state", .string("SF")),
            DecodedField("missed_bytes", .int(0)),
            DecodedField("history", .string("ShADadFf")),
            DecodedField("orig_pkts", .int(6)),
            DecodedField("orig_ip_bytes", .int(397)),
            DecodedField("resp_pkts", .int(4)),
            DecodedField("resp_ip_bytes", .int(511)),
          ],
          eventTime: 1_591_367_999_430_166)
      ])
  }

  @Test func jsonDnsArraysBoolsAndISOTimes() throws {
    let line =
      #"{"ts":"2020-06-05T14:39:59.305988Z","uid":"CbCdPb2ICCUhQ2Cx6b","id.orig_h":"192.168.4.76","id.orig_p":36844,"id.resp_h":"192.168.4.1","id.resp_p":53,"proto":"udp","trans_id":8555,"rtt":0.066852,"query":"testmyids.com","AA":false,"RD":true,"answers":["31.3.245.133","www.testmyids.com"],"TTLs":[3600.0,60.0],"rejected":false}"#
    let record = try #require(try Self.decode([line]).first)
    #expect(record["ts"] == .timestamp(1_591_367_999_305_988))
    #expect(record.eventTime == 1_591_367_999_305_988)
    #expect(record["AA"] == .bool(false))
    #expect(record["answers"] == .list(element: .string, [.string("31.3.245.133"), .string("www.testmyids.com")]))
    #expect(record["TTLs"] == .list(element: .double, [.double(3600), .double(60)]))
    #expect(record["rcode"] == nil)
    #expect(record.fields.count == 15)
  }

  @Test func jsonTimeFieldsByName() throws {
    let line =
      #"{"ts":1.5,"ref_time":2,"lease_time":86400.0,"certificate.not_valid_before":1.25,"from":"Alice <a@example.com>","compile_ts":3,"mixed":[1,2.5],"id":{"orig_h":"10.0.0.1"},"tags":[]}"#
    let record = try #require(try Self.decode([line]).first)
    #expect(record["ts"] == .timestamp(1_500_000))
    #expect(record["ref_time"] == .timestamp(2_000_000))
    #expect(record["lease_time"] == .double(86400))
    #expect(record["certificate.not_valid_before"] == .timestamp(1_250_000))
    #expect(record["from"] == .string("Alice <a@example.com>"))
    #expect(record["compile_ts"] == .timestamp(3_000_000))
    #expect(record["mixed"] == .list(element: .double, [.double(1), .double(2.5)]))
    #expect(record["id.orig_h"] == .string("10.0.0.1"))
    #expect(record["tags"] == .list(element: .string, []))
  }

  @Test func indentedJSONAndBlankLines() throws {
    let records = try Self.decode(["  ", #"  {"ts":2.000001,"uid":"C1"}"#, "\t"])
    #expect(
      records == [
        DecodedRecord(
          fields: [DecodedField("ts", .timestamp(2_000_001)), DecodedField("uid", .string("C1"))], eventTime: 2_000_001)
      ])
  }

  @Test func malformedJSONThrows() throws {
    #expect(try Self.error([#"{"ts":1.5,"uid":}"#]) == DecodeError("Zeek JSON: unexpected character '}' at byte 17"))
    #expect(
      try Self.error([#"{"ts":"yesterday"}"#])
        == DecodeError("Zeek JSON: field 'ts': 'yesterday' is not an ISO 8601 time or epoch seconds"))
    #expect(try Self.error([#"{"a":1,"a":2}"#]) == DecodeError("Zeek JSON: the key 'a' appears twice"))
  }

  // MARK: Volume

  @Test func thousandsOfGeneratedConnLines() throws {
    var decoder = ZeekDecoder()
    var records: [DecodedRecord] = []
    for line in Self.connHeader { try decoder.decode(line, into: &records) }
    let count = 5000
    for index in 0..<count {
      let line =
        "\(1_591_367_999 + index).\(String(format6: index))\tC\(index)\t10.0.\(index / 256 % 256).\(index % 256)\t\(1024 + index)\t31.3.245.133\t443\ttcp\t\(index % 3 == 0 ? "-" : "ssl")\t\(index % 7).125\t\(index * 3)\t\(index * 5)\tSF\tT\tF\t0\tShADadFf\t6\t397\t4\t511\t\(index % 2 == 0 ? "(empty)" : "Ctun\(index)")"
      try decoder.decode(line, into: &records)
    }
    #expect(records.count == count)
    for (index, record) in records.enumerated() {
      #expect(record.eventTime == Int64(1_591_367_999 + index) * 1_000_000 + Int64(index))
      #expect(record["id.orig_p"] == .int(Int64(1024 + index)))
      #expect(record["service"] == (index % 3 == 0 ? .typedNull(.string) : .string("ssl")))
      #expect(record["duration"] == .double(Double(index % 7) + 0.125))
      #expect(record["resp_bytes"] == .int(Int64(index * 5)))
      #expect(
        record["tunnel_parents"]
          == .list(element: .string, index % 2 == 0 ? [] : [.string("Ctun\(index)")]))
      if record.fields.count != 21 { Issue.record("record \(index) has \(record.fields.count) fields") }
    }
  }
}

extension String {
  /// `value` as six digits, zero-padded (a microsecond fraction).
  fileprivate init(format6 value: Int) {
    let digits = String(value % 1_000_000)
    self = String(repeating: "0", count: 6 - digits.count) + digits
  }
}
