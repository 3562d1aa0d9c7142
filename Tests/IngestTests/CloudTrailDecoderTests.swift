import Testing

@testable import Ingest

@Suite struct CloudTrailDecoderTests {
  // Typical events, shaped as in the CloudTrail user guide's log file examples.
  static let consoleLogin = """
    {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDACKCEVSQ6C2EXAMPLE",\
    "arn":"arn:aws:iam::111122223333:user/Mary","accountId":"111122223333","userName":"Mary"},\
    "eventTime":"2023-07-19T21:44:40Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",\
    "awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10",\
    "userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","requestParameters":null,\
    "responseElements":{"ConsoleLogin":"Success"},\
    "additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"},\
    "eventID":"e1bf1c0c-1f5d-4e33-a1ce-4b8f3a0e0d5a","readOnly":false,"eventType":"AwsConsoleSignIn",\
    "managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management",\
    "tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256",\
    "clientProvidedHostHeader":"signin.aws.amazon.com"}}
    """
  static let assumeRole = """
    {"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"ec2.amazonaws.com"},\
    "eventTime":"2023-07-19T22:01:05Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole",\
    "awsRegion":"us-east-1","sourceIPAddress":"ec2.amazonaws.com","userAgent":"ec2.amazonaws.com",\
    "requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/AppRole","roleSessionName":"i-0abcd1234"},\
    "responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLE","expiration":"Jul 20, 2023, 4:01:05 AM"}},\
    "requestID":"3b5c1d2e-aaaa-4bbb-8ccc-0123456789ab","eventID":"7f1e2d3c-1111-4222-8333-444455556666",\
    "readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::IAM::Role",\
    "ARN":"arn:aws:iam::111122223333:role/AppRole"}],"eventType":"AwsApiCall","managementEvent":true,\
    "recipientAccountId":"111122223333","sharedEventID":"0a1b2c3d-9999-4888-8777-666655554444",\
    "eventCategory":"Management"}
    """
  static let getObject = """
    {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abcd1234",\
    "arn":"arn:aws:sts::111122223333:assumed-role/AppRole/i-0abcd1234","accountId":"111122223333",\
    "accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",\
    "arn":"arn:aws:iam::111122223333:role/AppRole","accountId":"111122223333","userName":"AppRole"},\
    "attributes":{"creationDate":"2023-07-19T22:01:05Z","mfaAuthenticated":"false"}}},\
    "eventTime":"2023-07-19T22:05:12.345Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",\
    "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"[aws-sdk-go-v2/1.18.0]",\
    "requestParameters":{"bucketName":"corp-data","Host":"corp-data.s3.us-east-1.amazonaws.com",\
    "key":"reports/q2.csv"},"responseElements":null,\
    "additionalEventData":{"bytesTransferredIn":0,"bytesTransferredOut":5120},\
    "requestID":"9X2GEXAMPLE","eventID":"5d3f0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6","readOnly":true,\
    "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::corp-data/reports/q2.csv"},\
    {"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::corp-data"}],\
    "eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333",\
    "vpcEndpointId":"vpce-1a2b3c4d","eventCategory":"Data"}
    """
  // The error example of security-log-formats.md §1.8.
  static let updateTrailError = """
    {"eventVersion":"1.04","userIdentity":{"type":"IAMUser","principalId":"EX_PRINCIPAL_ID",\
    "arn":"arn:aws:iam::123456789012:user/Alice","accountId":"123456789012","accessKeyId":"EXAMPLE_KEY_ID",\
    "userName":"Alice"},"eventTime":"2016-07-14T19:15:45Z","eventSource":"cloudtrail.amazonaws.com",\
    "eventName":"UpdateTrail","awsRegion":"us-east-2","sourceIPAddress":"205.251.233.182",\
    "userAgent":"aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22","errorCode":"TrailNotFoundException",\
    "errorMessage":"Unknown trail: myTrail2 for the user: 123456789012","requestParameters":{"name":"myTrail2"},\
    "responseElements":null,"requestID":"5d40662a-49f7-11e6-97e4-d9cb6ff7d6a3",\
    "eventID":"b7d4398e-b2f0-4faa-9c76-e2d316a8d67f","eventType":"AwsApiCall","recipientAccountId":"123456789012"}
    """

  /// A delivered log file, pretty-printed the way `jq .` or the console download shows it.
  static var logFile: String {
    "{\n  \"Records\": [\n    "
      + [consoleLogin, assumeRole, getObject, updateTrailError].joined(separator: ",\n    ") + "\n  ]\n}\n"
  }

  static func decode(_ unit: String) throws(DecodeError) -> [DecodedRecord] {
    var decoder = CloudTrailDecoder()
    var records: [DecodedRecord] = []
    try decoder.decode(unit, into: &records)
    return records
  }

  static func micros(_ iso: String) -> Int64? { TimeText.micros(iso8601: iso) }

  @Test func framingIsTheWholeDocument() {
    #expect(CloudTrailDecoder().framing == .document)
  }

  @Test func errorEventHasEveryColumnInOrder() throws {
    let time: Int64 = 1_468_523_745_000_000
    let identity = """
      {"type":"IAMUser","principalId":"EX_PRINCIPAL_ID","arn":"arn:aws:iam::123456789012:user/Alice",\
      "accountId":"123456789012","accessKeyId":"EXAMPLE_KEY_ID","userName":"Alice"}
      """
    let expected = DecodedRecord(
      table: nil,
      fields: [
        DecodedField("event_time", .timestamp(time)),
        DecodedField("event_version", .string("1.04")),
        DecodedField("user_identity_type", .string("IAMUser")),
        DecodedField("user_identity_arn", .string("arn:aws:iam::123456789012:user/Alice")),
        DecodedField("user_identity_principal_id", .string("EX_PRINCIPAL_ID")),
        DecodedField("user_identity_account_id", .string("123456789012")),
        DecodedField("user_identity_access_key_id", .string("EXAMPLE_KEY_ID")),
        DecodedField("user_identity_user_name", .string("Alice")),
        DecodedField("user_identity_invoked_by", .typedNull(.string)),
        DecodedField("user_identity", .string(identity)),
        DecodedField("event_source", .string("cloudtrail.amazonaws.com")),
        DecodedField("event_name", .string("UpdateTrail")),
        DecodedField("aws_region", .string("us-east-2")),
        DecodedField("source_ip_address", .string("205.251.233.182")),
        DecodedField("user_agent", .string("aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22")),
        DecodedField("error_code", .string("TrailNotFoundException")),
        DecodedField("error_message", .string("Unknown trail: myTrail2 for the user: 123456789012")),
        DecodedField("request_parameters", .string(#"{"name":"myTrail2"}"#)),
        DecodedField("response_elements", .typedNull(.string)),
        DecodedField("additional_event_data", .typedNull(.string)),
        DecodedField("request_id", .string("5d40662a-49f7-11e6-97e4-d9cb6ff7d6a3")),
        DecodedField("event_id", .string("b7d4398e-b2f0-4faa-9c76-e2d316a8d67f")),
        DecodedField("event_type", .string("AwsApiCall")),
        DecodedField("read_only", .typedNull(.bool)),
        DecodedField("resources", .typedNull(.string)),
        DecodedField("recipient_account_id", .string("123456789012")),
        DecodedField("api_version", .typedNull(.string)),
        DecodedField("management_event", .typedNull(.bool)),
        DecodedField("event_category", .typedNull(.string)),
        DecodedField("shared_event_id", .typedNull(.string)),
        DecodedField("vpc_endpoint_id", .typedNull(.string)),
        DecodedField("service_event_details", .typedNull(.string)),
        DecodedField("tls_details", .typedNull(.string)),
        DecodedField("session_credential_from_console", .typedNull(.bool)),
      ],
      eventTime: time)
    #expect(try Self.decode(Self.updateTrailError) == [expected])
  }

  @Test func logFileIsUnwrappedIntoOneRecordPerEvent() throws {
    let records = try Self.decode(Self.logFile)
    #expect(
      records.map { $0["event_name"] }
        == ["ConsoleLogin", "AssumeRole", "GetObject", "UpdateTrail"].map {
          .string($0)
        })
    #expect(
      records.map(\.eventTime) == [
        Self.micros("2023-07-19T21:44:40Z"), Self.micros("2023-07-19T22:01:05Z"),
        Self.micros("2023-07-19T22:05:12.345Z"), 1_468_523_745_000_000,
      ])
    #expect(records.allSatisfy { $0.table == nil && $0.fields.count == 34 })
    // Every record has the same columns in the same order.
    #expect(Set(records.map { $0.fields.map(\.name) }).count == 1)
  }

  @Test func consoleLogin() throws {
    let record = try #require(try Self.decode(Self.consoleLogin).first)
    #expect(record["event_type"] == .string("AwsConsoleSignIn"))
    #expect(record["user_identity_type"] == .string("IAMUser"))
    #expect(record["user_identity_user_name"] == .string("Mary"))
    #expect(record["user_identity_access_key_id"] == .typedNull(.string))
    #expect(record["request_parameters"] == .typedNull(.string))
    #expect(record["response_elements"] == .string(#"{"ConsoleLogin":"Success"}"#))
    #expect(
      record["additional_event_data"]
        == .string(#"{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"}"#))
    #expect(record["read_only"] == .bool(false))
    #expect(record["management_event"] == .bool(true))
    #expect(record["request_id"] == .typedNull(.string))
    #expect(
      record["tls_details"]
        == .string(
          #"{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","clientProvidedHostHeader":"signin.aws.amazon.com"}"#
        ))
  }

  @Test func assumeRoleByAService() throws {
    let record = try #require(try Self.decode(Self.assumeRole).first)
    #expect(record["user_identity_type"] == .string("AWSService"))
    #expect(record["user_identity_invoked_by"] == .string("ec2.amazonaws.com"))
    #expect(record["user_identity_arn"] == .typedNull(.string))
    #expect(record["user_identity"] == .string(#"{"type":"AWSService","invokedBy":"ec2.amazonaws.com"}"#))
    #expect(record["source_ip_address"] == .string("ec2.amazonaws.com"))
    #expect(
      record["resources"]
        == .string(
          #"[{"accountId":"111122223333","type":"AWS::IAM::Role","ARN":"arn:aws:iam::111122223333:role/AppRole"}]"#))
    #expect(record["shared_event_id"] == .string("0a1b2c3d-9999-4888-8777-666655554444"))
    #expect(record["read_only"] == .bool(true))
  }

  @Test func getObjectDataEvent() throws {
    let record = try #require(try Self.decode(Self.getObject).first)
    #expect(record.eventTime == 1_689_804_312_345_000)
    #expect(record["event_time"] == .timestamp(1_689_804_312_345_000))
    #expect(record["event_category"] == .string("Data"))
    #expect(record["management_event"] == .bool(false))
    #expect(record["vpc_endpoint_id"] == .string("vpce-1a2b3c4d"))
    #expect(record["user_identity_principal_id"] == .string("AROAEXAMPLE:i-0abcd1234"))
    #expect(record["response_elements"] == .typedNull(.string))
    #expect(record["additional_event_data"] == .string(#"{"bytesTransferredIn":0,"bytesTransferredOut":5120}"#))
    guard case .string(let identity)? = record["user_identity"] else {
      Issue.record("user_identity is not a string")
      return
    }
    #expect(identity.contains(#""sessionContext":{"sessionIssuer":{"type":"Role""#))
  }

  @Test func otherMembersFollowInSnakeCase() throws {
    let event = """
      {"eventTime":"2024-01-01T00:00:00Z","eventName":"X","sessionCredentialFromConsole":"true",\
      "addendum":{"reason":"DELIVERY_DELAY"},"edgeDeviceDetails":["d"],"eventRegion":"eu-west-1",\
      "retryCount":3,"latencySeconds":0.5,"isSpecial":true,"nothing":null}
      """
    let record = try #require(try Self.decode(event).first)
    #expect(record["session_credential_from_console"] == .bool(true))
    #expect(
      record.fields.dropFirst(34) == [
        DecodedField("addendum", .string(#"{"reason":"DELIVERY_DELAY"}"#)),
        DecodedField("edge_device_details", .string(#"["d"]"#)),
        DecodedField("event_region", .string("eu-west-1")),
        DecodedField("retry_count", .int(3)),
        DecodedField("latency_seconds", .double(0.5)),
        DecodedField("is_special", .bool(true)),
        DecodedField("nothing", .null),
      ])
  }

  @Test func snakeCaseSplitsWordsAndAcronyms() {
    #expect(CloudTrailEvent.snakeCase("sourceIPAddress") == "source_ip_address")
    #expect(CloudTrailEvent.snakeCase("requestID") == "request_id")
    #expect(CloudTrailEvent.snakeCase("eventID") == "event_id")
    #expect(CloudTrailEvent.snakeCase("x-amz-id-2") == "x_amz_id_2")
    #expect(CloudTrailEvent.snakeCase("S3BucketName") == "s3_bucket_name")
    #expect(CloudTrailEvent.snakeCase("already_snake") == "already_snake")
  }

  @Test func singleEventsArraysAndJSONLines() throws {
    let single = try Self.decode(Self.assumeRole)
    #expect(single.count == 1)
    let array = try Self.decode("[\(Self.consoleLogin),\(Self.assumeRole)]")
    #expect(array.map { $0["event_name"] } == [.string("ConsoleLogin"), .string("AssumeRole")])
    let lines = try Self.decode(Self.consoleLogin + "\r\n\n" + Self.assumeRole + "\r\n" + Self.getObject)
    #expect(lines.map { $0["event_name"] } == [.string("ConsoleLogin"), .string("AssumeRole"), .string("GetObject")])
    #expect(lines[1] == single[0])
  }

  @Test func eventBridgeEnvelopesStandForTheirDetail() throws {
    let envelope = """
      {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"AWS API Call via CloudTrail",\
      "source":"aws.sts","account":"111122223333","time":"2023-07-19T22:01:05Z","region":"us-east-1",\
      "resources":[],"detail":\(Self.assumeRole)}
      """
    #expect(try Self.decode(envelope) == Self.decode(Self.assumeRole))
  }

  @Test func emptyAndBlankUnitsYieldNothing() throws {
    #expect(try Self.decode(#"{"Records":[]}"#).isEmpty)
    #expect(try Self.decode(" \n\r\n").isEmpty)
  }

  @Test func malformedUnitsThrowAndSayWhere() {
    let missingTime = Self.logFile.replacing(#""eventTime":"2023-07-19T22:01:05Z","#, with: "")
    let badTime = Self.logFile.replacing(#""eventTime":"2023-07-19T22:05:12.345Z""#, with: #""eventTime":"yesterday""#)
    let cases: [(unit: String, message: String)] = [
      (missingTime, #"CloudTrail Records[1]: missing "eventTime""#),
      (badTime, #"CloudTrail Records[2]: "eventTime" is not an ISO 8601 time: found the string "yesterday""#),
      (#"{"eventTime":null}"#, #"CloudTrail event: missing "eventTime""#),
      (
        #"{"eventTime":1468523745}"#,
        #"CloudTrail event: "eventTime" is not an ISO 8601 time: found the number 1468523745"#
      ),
      (
        #"{"Records":{"eventTime":"2016-07-14T19:15:45Z"}}"#, #"CloudTrail: "Records" is not an array: found an object"#
      ),
      (
        #"{"Records":[\#(Self.assumeRole),"x"]}"#,
        #"CloudTrail Records[1]: expected an event object, found the string "x""#
      ),
      (#"[{"eventTime":"2016-07-14T19:15:45Z"},{}]"#, #"CloudTrail event [1]: missing "eventTime""#),
      ("42", #"CloudTrail: expected {"Records":[…]}, an event object or events, found the number 42"#),
      (
        "{\n  \"Records\": [\n    {\"eventTime\": \"x\"\n  ]\n}",
        "CloudTrail: not valid JSON: expected ',' or '}' at byte 41 (line 4)"
      ),
      (
        Self.assumeRole + "\n" + #"{"eventTime":"#,
        "CloudTrail line 2: not valid JSON: unexpected end of JSON at byte 13"
      ),
      (Self.assumeRole + "\n" + #"{"eventName":"X"}"#, #"CloudTrail line 2: missing "eventTime""#),
      (
        #"{"eventTime":"2016-07-14T19:15:45Z","eventName":"A","eventName":"B"}"#,
        #"CloudTrail event: duplicate member "eventName""#
      ),
      (
        #"{"eventTime":"2016-07-14T19:15:45Z","event_name":"A","eventName":"B"}"#,
        #"CloudTrail event: member "event_name" repeats the column "event_name""#
      ),
      (
        #"{"eventTime":"2016-07-14T19:15:45Z","readOnly":"maybe"}"#,
        #"CloudTrail event: "readOnly" is not a boolean: found the string "maybe""#
      ),
      (
        #"{"eventTime":"2016-07-14T19:15:45Z","userIdentity":"root"}"#,
        #"CloudTrail event: "userIdentity" is not an object: found the string "root""#
      ),
    ]
    for (unit, message) in cases {
      #expect(throws: DecodeError(message), "\(unit)") { try Self.decode(unit) }
    }
  }

  @Test func aFailingUnitAppendsNothing() {
    var decoder = CloudTrailDecoder()
    var records = [DecodedRecord(table: "earlier")]
    let unit = Self.logFile.replacing(#""eventTime":"2016-07-14T19:15:45Z","#, with: "")
    #expect(throws: DecodeError(#"CloudTrail Records[3]: missing "eventTime""#)) {
      try decoder.decode(unit, into: &records)
    }
    #expect(records == [DecodedRecord(table: "earlier")])
  }
}
