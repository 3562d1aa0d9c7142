import Delta

/// Decodes AWS CloudTrail events. The unit is a whole document (a delivered log file, an HTTP
/// body, a message), pretty-printed or not, holding:
///
/// - a log file `{"Records":[event, …]}`: one record per event;
/// - an array of events, or a single event object;
/// - one event per line (JSON lines, as Firehose or an EventBridge target writes them): used when
///   the unit is not one JSON document but its first non-blank line is a whole JSON object.
///
/// An EventBridge envelope (`{"detail-type":…,"detail":{event}}` without `eventTime`) stands for the
/// event in its `detail`.
///
/// Fields, in a fixed order so that every record of a table has them: the common record fields
/// in snake case (`event_time` a timestamp, `read_only`, `management_event` and
/// `session_credential_from_console` booleans, the rest strings); `userIdentity` as
/// `user_identity_type`, `_arn`, `_principal_id`, `_account_id`, `_access_key_id`, `_user_name`,
/// `_invoked_by` and its whole JSON text as `user_identity`; `requestParameters`,
/// `responseElements`, `additionalEventData`, `resources`, `tlsDetails` and `serviceEventDetails`
/// as JSON text. An absent or null member is a null of its column's type. Other members follow in
/// document order, named in snake case: scalars as their JSON type, objects and arrays as JSON
/// text. Every event needs an ISO 8601 `eventTime`, its event time; one that lacks it fails the
/// whole unit, naming the event (`Records[3]`, `line 4`).
public struct CloudTrailDecoder: RecordDecoder {
  public init() {}

  public var framing: Framing { .document }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    guard !unit.isBlank else { return }
    let start = records.count
    do throws(DecodeError) {
      try appendRecords(of: unit, to: &records)
    } catch {
      records.removeSubrange(start...)
      throw error
    }
  }

  private func appendRecords(of unit: UnsafeBufferPointer<UInt8>, to records: inout [DecodedRecord])
    throws(DecodeError)
  {
    let document: JSONValue
    do {
      document = try JSONParser.parse(unit)
    } catch {
      if try appendLines(of: unit, to: &records) { return }
      let line = unit[..<min(error.offset, unit.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
      throw DecodeError("CloudTrail: not valid JSON: \(error.message) at byte \(error.offset) (line \(line))")
    }
    switch document {
    case .object(let object):
      guard let list = object["Records"] else {
        records.append(try CloudTrailEvent.record(object, at: .single))
        return
      }
      guard case .array(let events) = list else {
        throw DecodeError("CloudTrail: \"Records\" is not an array: found \(list.found)")
      }
      for (index, event) in events.enumerated() {
        try appendEvent(event, at: .records(index), to: &records)
      }
    case .array(let events):
      for (index, event) in events.enumerated() {
        try appendEvent(event, at: .element(index), to: &records)
      }
    default:
      throw DecodeError("CloudTrail: expected {\"Records\":[…]}, an event object or events, found \(document.found)")
    }
  }

  private func appendEvent(
    _ event: JSONValue, at location: CloudTrailEvent.Location,
    to records: inout [DecodedRecord]
  ) throws(DecodeError) {
    guard case .object(let object) = event else {
      throw DecodeError("CloudTrail \(location): expected an event object, found \(event.found)")
    }
    records.append(try CloudTrailEvent.record(object, at: location))
  }

  /// Decodes the unit as one event per line when its first non-blank line is a whole JSON object;
  /// false (and nothing appended) when it is not.
  private func appendLines(of unit: UnsafeBufferPointer<UInt8>, to records: inout [DecodedRecord])
    throws(DecodeError) -> Bool
  {
    var lineNumber = 0
    var lineStart = 0
    var first = true
    while lineStart < unit.count {
      var lineEnd = lineStart
      while lineEnd < unit.count, unit[lineEnd] != 0x0A { lineEnd += 1 }
      lineNumber += 1
      let line = UnsafeBufferPointer(rebasing: unit[lineStart..<lineEnd])
      lineStart = lineEnd + 1
      guard !line.isBlank else { continue }
      let value: JSONValue
      do {
        value = try JSONParser.parse(line)
      } catch {
        if first { return false }
        throw DecodeError("CloudTrail line \(lineNumber): not valid JSON: \(error.message) at byte \(error.offset)")
      }
      if first {
        guard case .object = value else { return false }
        first = false
      }
      try appendEvent(value, at: .line(lineNumber), to: &records)
    }
    return !first
  }
}

/// One CloudTrail event as a record.
enum CloudTrailEvent {
  /// Where an event is in its unit, for error messages.
  enum Location: CustomStringConvertible {
    case single
    case records(Int)
    case element(Int)
    case line(Int)

    var description: String {
      switch self {
      case .single: "event"
      case .records(let index): "Records[\(index)]"
      case .element(let index): "event [\(index)]"
      case .line(let number): "line \(number)"
      }
    }
  }

  private enum Kind {
    case string, timestamp, bool, json, userIdentity
  }

  /// The members with their own columns, in column order.
  private static let members: [(key: String, column: String, kind: Kind)] = [
    ("eventTime", "event_time", .timestamp),
    ("eventVersion", "event_version", .string),
    ("userIdentity", "user_identity", .userIdentity),
    ("eventSource", "event_source", .string),
    ("eventName", "event_name", .string),
    ("awsRegion", "aws_region", .string),
    ("sourceIPAddress", "source_ip_address", .string),
    ("userAgent", "user_agent", .string),
    ("errorCode", "error_code", .string),
    ("errorMessage", "error_message", .string),
    ("requestParameters", "request_parameters", .json),
    ("responseElements", "response_elements", .json),
    ("additionalEventData", "additional_event_data", .json),
    ("requestID", "request_id", .string),
    ("eventID", "event_id", .string),
    ("eventType", "event_type", .string),
    ("readOnly", "read_only", .bool),
    ("resources", "resources", .json),
    ("recipientAccountId", "recipient_account_id", .string),
    ("apiVersion", "api_version", .string),
    ("managementEvent", "management_event", .bool),
    ("eventCategory", "event_category", .string),
    ("sharedEventID", "shared_event_id", .string),
    ("vpcEndpointId", "vpc_endpoint_id", .string),
    ("serviceEventDetails", "service_event_details", .json),
    ("tlsDetails", "tls_details", .json),
    ("sessionCredentialFromConsole", "session_credential_from_console", .bool),
  ]

  /// `userIdentity` members with their own columns, before `user_identity` (the whole object).
  private static let identityMembers: [(key: String, column: String)] = [
    ("type", "user_identity_type"),
    ("arn", "user_identity_arn"),
    ("principalId", "user_identity_principal_id"),
    ("accountId", "user_identity_account_id"),
    ("accessKeyId", "user_identity_access_key_id"),
    ("userName", "user_identity_user_name"),
    ("invokedBy", "user_identity_invoked_by"),
  ]

  /// The fields of an event with no members: every column a null of its type.
  private static let template: [DecodedField] = {
    var fields: [DecodedField] = []
    for member in members {
      switch member.kind {
      case .userIdentity:
        for identity in identityMembers { fields.append(DecodedField(identity.column, .typedNull(.string))) }
        fields.append(DecodedField(member.column, .typedNull(.string)))
      case .timestamp: fields.append(DecodedField(member.column, .typedNull(.timestamp)))
      case .bool: fields.append(DecodedField(member.column, .typedNull(.bool)))
      case .string, .json: fields.append(DecodedField(member.column, .typedNull(.string)))
      }
    }
    return fields
  }()

  /// A member's position in ``members`` and the index of its (first) field in ``template``.
  private static let memberIndex: [String: (member: Int, field: Int)] = {
    var index: [String: (member: Int, field: Int)] = [:]
    var field = 0
    for (position, member) in members.enumerated() {
      index[member.key] = (position, field)
      field += member.kind == .userIdentity ? identityMembers.count + 1 : 1
    }
    return index
  }()

  private static let eventTimeMember = 0

  static func record(_ object: JSONObject, at location: Location) throws(DecodeError) -> DecodedRecord {
    var event = object
    if object["eventTime"] == nil, object["detail-type"] != nil, case .object(let detail)? = object["detail"] {
      event = detail
    }
    var fields = template
    fields.reserveCapacity(template.count + 4)
    var seen: UInt64 = 0
    var eventTime: Int64?
    for (key, value) in event.entries {
      guard let slot = memberIndex[key] else {
        let name = snakeCase(key)
        for existing in fields where existing.name == name {
          throw DecodeError("CloudTrail \(location): member \"\(key)\" repeats the column \"\(name)\"")
        }
        fields.append(DecodedField(name, FieldValue(json: value, stringsAreText: false)))
        continue
      }
      let (member, field) = slot
      guard seen & (1 << member) == 0 else {
        throw DecodeError("CloudTrail \(location): duplicate member \"\(key)\"")
      }
      seen |= 1 << member
      if value.isNull { continue }
      switch members[member].kind {
      case .string:
        fields[field].value = .string(value.scalarText)
      case .json:
        fields[field].value = .string(value.jsonText)
      case .bool:
        guard let flag = value.boolValue else {
          throw DecodeError("CloudTrail \(location): \"\(key)\" is not a boolean: found \(value.found)")
        }
        fields[field].value = .bool(flag)
      case .timestamp:
        guard case .string(let text) = value, let micros = TimeText.micros(iso8601: text) else {
          throw DecodeError("CloudTrail \(location): \"\(key)\" is not an ISO 8601 time: found \(value.found)")
        }
        fields[field].value = .timestamp(micros)
        if member == eventTimeMember { eventTime = micros }
      case .userIdentity:
        guard case .object(let identity) = value else {
          throw DecodeError("CloudTrail \(location): \"\(key)\" is not an object: found \(value.found)")
        }
        for (identityKey, identityValue) in identity.entries where !identityValue.isNull {
          for (offset, identityMember) in identityMembers.enumerated() where identityMember.key == identityKey {
            fields[field + offset].value = .string(identityValue.scalarText)
          }
        }
        fields[field + identityMembers.count].value = .string(value.jsonText)
      }
    }
    guard let eventTime else { throw DecodeError("CloudTrail \(location): missing \"eventTime\"") }
    return DecodedRecord(fields: fields, eventTime: eventTime)
  }

  /// `camelCase` as `snake_case`; a run of capitals is one word (`sourceIPAddress` →
  /// `source_ip_address`); `-` and spaces become `_`.
  static func snakeCase(_ key: String) -> String {
    let bytes = Array(key.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 4)
    for (index, byte) in bytes.enumerated() {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        if index > 0 {
          let previous = bytes[index - 1]
          let afterLower = isLowerOrDigit(previous)
          let endsAcronym =
            isUpper(previous) && index + 1 < bytes.count && isLowerOrDigit(bytes[index + 1])
            && !isDigit(bytes[index + 1])
          if afterLower || endsAcronym { out.append(UInt8(ascii: "_")) }
        }
        out.append(byte | 0x20)
      case UInt8(ascii: "-"), UInt8(ascii: " "):
        out.append(UInt8(ascii: "_"))
      default:
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
  private static func isLowerOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || isDigit(byte) }
}
