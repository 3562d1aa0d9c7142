import Testing

@testable import Ingest

@Suite struct S3AccessDecoderTests {
  static let owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
  static let hostID = "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="
  /// The first 18 fields of the AWS documentation's sample, as every line has them.
  static let head =
    "\(owner) amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 \(owner) 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -"
  /// The newest sample: 27 fields.
  static let newest =
    head
    + " \(hostID) SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1"
  static let time: Int64 = 1_549_411_238_000_000

  static func decode(_ line: String) throws -> DecodedRecord? {
    var decoder = S3AccessDecoder()
    var records: [DecodedRecord] = []
    try decoder.decode(line, into: &records)
    #expect(records.count <= 1)
    return records.first
  }

  static func error(_ line: String) -> DecodeError? {
    var decoder = S3AccessDecoder()
    var records: [DecodedRecord] = []
    do throws(DecodeError) {
      try decoder.decode(line, into: &records)
    } catch {
      #expect(records.isEmpty)
      return error
    }
    return nil
  }

  /// The record of the documented sample, with the fields after `last` (a 1-based field number) null.
  static func sampleRecord(through last: Int) -> DecodedRecord {
    let values: [FieldValue] = [
      .string(owner), .string("amzn-s3-demo-bucket1"), .timestamp(time), .string("192.0.2.3"), .string(owner),
      .string("3E57427F3EXAMPLE"), .string("REST.GET.VERSIONING"), .typedNull(.string),
      .string("GET /amzn-s3-demo-bucket1?versioning HTTP/1.1"), .int(200), .typedNull(.string), .int(113),
      .typedNull(.int), .int(7), .typedNull(.int), .typedNull(.string), .string("S3Console/0.4"),
      .typedNull(.string), .string(hostID), .string("SigV4"), .string("ECDHE-RSA-AES128-GCM-SHA256"),
      .string("AuthHeader"), .string("amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com"), .string("TLSv1.2"),
      .string("arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP"), .string("Yes"), .string("us-east-1"),
      .typedNull(.string),
    ]
    let fields = zip(S3AccessDecoder.columnNames, values).enumerated().map { index, pair in
      DecodedField(pair.0, index < last ? pair.1 : .typedNull(pair.1.kind ?? .string))
    }
    return DecodedRecord(fields: fields, eventTime: time)
  }

  @Test func newestSampleHasAll27Fields() throws {
    #expect(try Self.decode(Self.newest) == Self.sampleRecord(through: 27))
  }

  @Test func olderLinesHaveTheLaterFieldsNull() throws {
    let fields = Self.newest.split(separator: " ", omittingEmptySubsequences: false)
    // The time and the quoted Request-URI hold three spaces: field n is fields[n + 2] from field 10 on.
    for count in [18, 22, 24, 25, 26] {
      let line = fields.prefix(count + 3).joined(separator: " ")
      #expect(try Self.decode(line) == Self.sampleRecord(through: count), "\(count) fields")
    }
  }

  @Test func unknownTrailingFieldsGoToExtra() throws {
    let record = try #require(try Self.decode(Self.newest + " future-field-1 \"two words\"  "))
    #expect(record["extra"] == .string("future-field-1 \"two words\""))
    #expect(record.fields.count == 28)
  }

  @Test func putWithKeyUserAgentWithSpacesAndEscapedQuotes() throws {
    let line =
      "\(Self.owner) amzn-s3-demo-bucket1 [06/Feb/2019:02:00:38 +0200] 192.0.2.3 arn:aws:iam::123456789012:user/alice A1206F460EXAMPLE REST.PUT.OBJECT photos/2019/08/puppy%20dog.jpg \"PUT /amzn-s3-demo-bucket1/photos/2019/08/puppy%20dog.jpg?x-foo=bar HTTP/1.1\" 200 - - 2662992 65 12 \"https://console.aws.amazon.com/s3/\" \"aws-cli/1.16.0 Python/3.6.6 \\\"quoted\\\" back\\\\slash botocore/1.12.0\" - \(Self.hostID) SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.amazonaws.com TLSv1.3"
    let record = try #require(try Self.decode(line))
    #expect(record["time"] == .timestamp(Self.time))
    #expect(record.eventTime == Self.time)
    #expect(record["requester"] == .string("arn:aws:iam::123456789012:user/alice"))
    #expect(record["key"] == .string("photos/2019/08/puppy%20dog.jpg"))
    #expect(
      record["request_uri"] == .string("PUT /amzn-s3-demo-bucket1/photos/2019/08/puppy%20dog.jpg?x-foo=bar HTTP/1.1"))
    #expect(record["bytes_sent"] == .typedNull(.int))
    #expect(record["object_size"] == .int(2_662_992))
    #expect(record["total_time"] == .int(65))
    #expect(record["turn_around_time"] == .int(12))
    #expect(record["referer"] == .string("https://console.aws.amazon.com/s3/"))
    #expect(record["user_agent"] == .string(#"aws-cli/1.16.0 Python/3.6.6 "quoted" back\slash botocore/1.12.0"#))
    #expect(record["tls_version"] == .string("TLSv1.3"))
    #expect(record["access_point_arn"] == .typedNull(.string))
    #expect(record["extra"] == .typedNull(.string))
  }

  @Test func dashRequestURIAndErrorCode() throws {
    let line =
      "\(Self.owner) amzn-s3-demo-bucket1 [31/Dec/2023:23:59:59 -0130] 192.0.2.3 - 3E57427F3EXAMPLE REST.COPY.OBJECT_GET photos/cat.jpg - 404 NoSuchKey 243 - 5 - - - -"
    let record = try #require(try Self.decode(line))
    #expect(record["requester"] == .typedNull(.string))
    #expect(record["request_uri"] == .typedNull(.string))
    #expect(record["http_status"] == .int(404))
    #expect(record["error_code"] == .string("NoSuchKey"))
    #expect(record["user_agent"] == .typedNull(.string))
    // 2024-01-01T01:29:59Z
    #expect(record.eventTime == 1_704_072_599_000_000)
  }

  @Test func blankLinesYieldNoRecord() throws {
    #expect(try Self.decode("") == nil)
    #expect(try Self.decode("   ") == nil)
  }

  @Test func malformedLinesThrowSayingWhereAndWhat() {
    #expect(
      Self.error("\(Self.owner) bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3")
        == DecodeError("S3 access log: the line ends after 4 fields; at least 18 (through version_id) are expected"))
    #expect(
      Self.error(Self.newest.replacing("HTTP/1.1\" 200 -", with: "HTTP/1.1\" 2x0 -"))
        == DecodeError("S3 access log: field 10 'http_status': '2x0' is not a number"))
    #expect(
      Self.error(Self.newest.replacing("[06/Feb/2019", with: "[06/Foo/2019"))
        == DecodeError(
          "S3 access log: field 3 'time': '[06/Foo/2019:00:00:38 +0000]' is not a time like [06/Feb/2019:00:00:38 +0000]"
        ))
    #expect(
      Self.error(Self.newest.replacing("+0000]", with: "+0000"))
        == DecodeError("S3 access log: field 3 'time': the '[' is not closed"))
    #expect(
      Self.error(Self.head.replacing("\"S3Console/0.4\" -", with: "\"S3Console/0.4 -"))
        == DecodeError("S3 access log: field 17 'user_agent': the quote is not closed"))
    #expect(
      Self.error(Self.head.replacing("HTTP/1.1\" 200", with: "HTTP/1.1\"x 200"))
        == DecodeError("S3 access log: field 9 'request_uri': text after the closing quote"))
  }

  @Test func timesHonourTheirOffset() {
    func micros(_ text: String) -> Int64? {
      var bytes = Array(text.utf8)
      return bytes.withUnsafeMutableBufferPointer { S3AccessDecoder.micros(UnsafeBufferPointer($0)) }
    }
    #expect(micros("06/Feb/2019:00:00:38 +0000") == Self.time)
    #expect(micros("05/Feb/2019:22:00:38 -0200") == Self.time)
    #expect(micros("06/Feb/2019:00:00:38") == Self.time)
    #expect(micros("29/Feb/2019:00:00:38 +0000") == nil)
    #expect(micros("06/Feb/2019:24:00:38 +0000") == nil)
    #expect(micros("06/Feb/2019 00:00:38 +0000") == nil)
  }
}
