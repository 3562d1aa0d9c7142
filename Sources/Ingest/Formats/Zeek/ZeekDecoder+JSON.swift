import Delta

/// Zeek's JSON logs (`LogAscii::use_json=T`): one object per line, keys keep their dots
/// (`"id.orig_h"`), unset fields are left out, sets and vectors are arrays.
///
/// JSON does not say which numbers are times, so time fields are known by name (see
/// ``isTimeField(_:)``): their numbers are epoch seconds and their strings ISO 8601
/// (`LogAscii::json_timestamps = JSON::TS_ISO8601`). Other numbers are `.int` when written
/// without a fraction or exponent, `.double` otherwise. A nested object (written by tools that
/// re-nest Zeek's keys) is flattened back to dotted names.
extension ZeekDecoder {
  static func decodeJSON(_ line: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> DecodedRecord {
    let json: JSONValue
    do {
      json = try JSONParser.parse(line)
    } catch {
      throw DecodeError("Zeek JSON: \(error.message) at byte \(error.offset + 1)")
    }
    guard case .object(let object) = json else { throw DecodeError("Zeek JSON: the line is not a JSON object") }
    var record = DecodedRecord()
    record.fields.reserveCapacity(object.entries.count)
    try appendMembers(of: object, prefix: nil, to: &record)
    if case .timestamp(let micros)? = record["ts"] { record.eventTime = micros }
    return record
  }

  /// Whether a JSON key names a Zeek `time` field: `ts`; any name ending in `.ts`, `_ts` or
  /// `_time` (`ntp`'s `ref_time`, `pe`'s `compile_ts`), except `dhcp`'s `lease_time`, an
  /// interval; and the few other time fields of Zeek's base logs.
  static func isTimeField(_ name: String) -> Bool {
    if name == "ts" || name.hasSuffix(".ts") || name.hasSuffix("_ts") { return true }
    if name.hasSuffix("_time") { return name != "lease_time" }
    return otherTimeFields.contains(name)
  }

  /// Time fields of Zeek's base logs whose names do not say so: x509 validity, kerberos ticket
  /// times, OCSP updates, SNMP uptime, SMB file times.
  private static let otherTimeFields: Set<String> = [
    "certificate.not_valid_before", "certificate.not_valid_after", "not_valid_before", "not_valid_after",
    "from", "till", "thisUpdate", "nextUpdate", "revoketime", "up_since",
    "times.modified", "times.accessed", "times.created", "times.changed",
  ]

  private static func appendMembers(of object: JSONObject, prefix: String?, to record: inout DecodedRecord)
    throws(DecodeError)
  {
    for (key, value) in object.entries {
      let name = prefix.map { "\($0).\(key)" } ?? key
      if case .object(let nested) = value {
        try appendMembers(of: nested, prefix: name, to: &record)
        continue
      }
      guard record[name] == nil else { throw DecodeError("Zeek JSON: the key '\(name)' appears twice") }
      record.append(name, try fieldValue(value, name: name))
    }
  }

  private static func fieldValue(_ value: JSONValue, name: String) throws(DecodeError) -> FieldValue {
    switch value {
    case .null:
      return .null
    case .bool(let flag):
      return .bool(flag)
    case .number(let text):
      guard isTimeField(name) else { return number(text) }
      guard let micros = epochMicros(text) else {
        throw DecodeError("Zeek JSON: field '\(name)': \(text) is out of range for a time")
      }
      return .timestamp(micros)
    case .string(let text):
      // Only `ts` must be a time: other time-like names (smtp's `from`) may hold text.
      guard isTimeField(name) else { return .string(text) }
      if let micros = TimeText.micros(iso8601: text) ?? TimeText.micros(epochSeconds: text) {
        return .timestamp(micros)
      }
      guard name != "ts" else {
        throw DecodeError("Zeek JSON: field 'ts': '\(text)' is not an ISO 8601 time or epoch seconds")
      }
      return .string(text)
    case .array(let items):
      return try list(items, name: name)
    case .object:
      return .string(value.jsonText)
    }
  }

  /// A number: `.int` when written as an integer that fits, `.double` otherwise.
  private static func number(_ text: String) -> FieldValue {
    let integral = !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    if integral, let value = Int64(text) { return .int(value) }
    return Double(text).map { .double($0) } ?? .string(text)
  }

  private static func epochMicros(_ text: String) -> Int64? {
    if let micros = TimeText.micros(epochSeconds: text) { return micros }
    guard let seconds = Double(text), seconds.isFinite, seconds.magnitude < 9.2e12 else { return nil }
    return Int64((seconds * 1_000_000).rounded())
  }

  /// An array as a list whose elements share one kind: integers become doubles next to doubles,
  /// and values of different kinds become their JSON text.
  private static func list(_ items: [JSONValue], name: String) throws(DecodeError) -> FieldValue {
    var values: [FieldValue] = []
    values.reserveCapacity(items.count)
    var element: FieldKind?
    var mixed = false
    for item in items {
      let value = try fieldValue(item, name: name)
      values.append(value)
      guard let kind = value.kind, kind != element else { continue }
      switch (element, kind) {
      case (nil, _): element = kind
      case (.int, .double), (.double, .int): element = .double
      default: mixed = true
      }
    }
    if mixed {
      return .list(element: .string, items.map { $0.isNull ? .null : .string($0.stringValue ?? $0.jsonText) })
    }
    if element == .double {
      values = values.map { if case .int(let value) = $0 { .double(Double(value)) } else { $0 } }
    }
    return .list(element: element ?? .string, values)
  }
}
