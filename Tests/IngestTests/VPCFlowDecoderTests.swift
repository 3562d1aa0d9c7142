import Testing

@testable import Ingest

@Suite struct VPCFlowDecoderTests {
  static let accepted =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
  static let noData = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"
  static let v5Header =
    "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status"
  static let v5Line =
    "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK"

  static func decode(_ lines: [String], decoder: VPCFlowDecoder = VPCFlowDecoder()) throws -> [DecodedRecord] {
    var decoder = decoder
    var records: [DecodedRecord] = []
    for line in lines { try decoder.decode(line, into: &records) }
    return records
  }

  static func error(_ lines: [String]) throws -> DecodeError? {
    var decoder = VPCFlowDecoder()
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

  static let acceptedRecord = DecodedRecord(
    fields: [
      DecodedField("version", .int(2)),
      DecodedField("account_id", .string("123456789010")),
      DecodedField("interface_id", .string("eni-1235b8ca123456789")),
      DecodedField("srcaddr", .string("172.31.16.139")),
      DecodedField("dstaddr", .string("172.31.16.21")),
      DecodedField("srcport", .int(20641)),
      DecodedField("dstport", .int(22)),
      DecodedField("protocol", .int(6)),
      DecodedField("packets", .int(20)),
      DecodedField("bytes", .int(4249)),
      DecodedField("start", .timestamp(1_418_530_010_000_000)),
      DecodedField("end", .timestamp(1_418_530_070_000_000)),
      DecodedField("action", .string("ACCEPT")),
      DecodedField("log_status", .string("OK")),
    ],
    eventTime: 1_418_530_010_000_000)

  @Test func defaultFormatWithoutAHeader() throws {
    #expect(try Self.decode([Self.accepted]) == [Self.acceptedRecord])
  }

  @Test func defaultFormatHeaderAsS3WritesIt() throws {
    let header = VPCFlowDecoder.defaultFields.joined(separator: " ")
    #expect(try Self.decode([header, Self.accepted + "\r"]) == [Self.acceptedRecord])
  }

  @Test func noDataAndSkipDataRecordsDecode() throws {
    let records = try Self.decode([
      Self.noData, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
    ])
    #expect(
      records[0]
        == DecodedRecord(
          fields: [
            DecodedField("version", .int(2)),
            DecodedField("account_id", .string("123456789010")),
            DecodedField("interface_id", .string("eni-1235b8ca123456789")),
            DecodedField("srcaddr", .typedNull(.string)),
            DecodedField("dstaddr", .typedNull(.string)),
            DecodedField("srcport", .typedNull(.int)),
            DecodedField("dstport", .typedNull(.int)),
            DecodedField("protocol", .typedNull(.int)),
            DecodedField("packets", .typedNull(.int)),
            DecodedField("bytes", .typedNull(.int)),
            DecodedField("start", .timestamp(1_431_280_876_000_000)),
            DecodedField("end", .timestamp(1_431_280_934_000_000)),
            DecodedField("action", .typedNull(.string)),
            DecodedField("log_status", .string("NODATA")),
          ],
          eventTime: 1_431_280_876_000_000))
    #expect(records[1]["log_status"] == .string("SKIPDATA"))
  }

  @Test func version5CustomFormatFromItsHeader() throws {
    let records = try Self.decode([Self.v5Header, Self.v5Line])
    #expect(records.count == 1)
    let record = records[0]
    #expect(record.fields.count == 29)
    #expect(record.fields.map(\.name).prefix(4) == ["version", "srcaddr", "dstaddr", "srcport"])
    #expect(record["version"] == .int(5))
    #expect(record["start"] == .timestamp(1_616_729_292_000_000))
    #expect(record.eventTime == 1_616_729_292_000_000)
    #expect(record["type"] == .string("IPv4"))
    #expect(record["packets"] == .int(7))
    #expect(record["vpc_id"] == .string("vpc-abcdefab012345678"))
    #expect(record["az_id"] == .string("apse2-az3"))
    #expect(record["sublocation_type"] == .typedNull(.string))
    #expect(record["tcp_flags"] == .int(3))
    #expect(record["pkt_src_aws_service"] == .typedNull(.string))
    #expect(record["pkt_dst_aws_service"] == .string("S3"))
    #expect(record["traffic_path"] == .int(8))
    #expect(record["flow_direction"] == .string("egress"))
    #expect(record["log_status"] == .string("OK"))
  }

  @Test func version3CustomFormat() throws {
    let header =
      "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status"
    let line =
      "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789012 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK"
    let record = try #require(try Self.decode([header, line]).first)
    #expect(record["instance_id"] == .string("i-01234567890123456"))
    #expect(record["pkt_srcaddr"] == .string("52.213.180.42"))
    #expect(record["bytes"] == .int(568))
    #expect(record["tcp_flags"] == .int(2))
    #expect(record.eventTime == 1_566_848_875_000_000)
  }

  @Test func aFormatGivenAtInitAndEcsFieldsAsStrings() throws {
    let decoder = VPCFlowDecoder(fields: ["${version}", "${ecs-cluster-name}", "${start}", "${reject-reason}"])
    #expect(decoder.columnNames == ["version", "ecs_cluster_name", "start", "reject_reason"])
    let record = try #require(try Self.decode(["7 prod-cluster 1716729292 BPA"], decoder: decoder).first)
    #expect(record["ecs_cluster_name"] == .string("prod-cluster"))
    #expect(record["reject_reason"] == .string("BPA"))
    #expect(record.eventTime == 1_716_729_292_000_000)
  }

  @Test func skipTakesInTheHeader() throws {
    var decoder = VPCFlowDecoder()
    for line in [Self.v5Header, Self.v5Line] {
      var bytes = Array(line.utf8)
      bytes.withUnsafeMutableBufferPointer { decoder.skip(UnsafeBufferPointer($0)) }
    }
    #expect(decoder.columnNames.count == 29)
    let records = try Self.decode([Self.v5Line], decoder: decoder)
    #expect(records.first?["traffic_path"] == .int(8))
  }

  @Test func blankLinesYieldNoRecord() throws {
    #expect(try Self.decode(["", "  "]).isEmpty)
  }

  @Test func malformedLinesThrowSayingWhereAndWhat() throws {
    let short = Self.accepted.split(separator: " ").dropLast().joined(separator: " ")
    #expect(try Self.error([short]) == DecodeError("VPC flow log: the line has 13 fields but the format has 14"))
    #expect(
      try Self.error([Self.v5Header, Self.v5Line + " extra"])
        == DecodeError("VPC flow log: the line has 30 fields but the header line names 29"))
    #expect(
      try Self.error([Self.accepted.replacing(" 20641 ", with: " 2o641 ")])
        == DecodeError("VPC flow log: field 6 'srcport': '2o641' is not a number"))
    #expect(
      try Self.error([Self.accepted.replacing("1418530010", with: "2014-12-14")])
        == DecodeError("VPC flow log: field 11 'start': '2014-12-14' is not a time in epoch seconds"))
  }
}
