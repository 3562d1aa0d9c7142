import Delta

/// Decodes JSON lines: one JSON object per line, its members becoming fields in document order.
///
/// Strings are ``FieldValue/text(_:)`` (their column becomes a number, boolean or timestamp when
/// every value parses as one), integral numbers ``FieldValue/int(_:)`` (``FieldValue/double(_:)``
/// when they do not fit 64 bits), other numbers ``FieldValue/double(_:)``, booleans
/// ``FieldValue/bool(_:)``, nulls ``FieldValue/null``, nested objects and arrays their compact JSON
/// text as ``FieldValue/string(_:)``. A line that is not an object, is not valid JSON or repeats a
/// member name throws ``DecodeError``; a blank line yields nothing.
public struct JSONLinesRecordDecoder: RecordDecoder {
  /// The member holding the event time (ISO 8601 text, or epoch seconds as a number or text); the
  /// member stays a field too. Nil: records have no event time.
  public let timeField: String?

  public init(timeField: String? = nil) {
    self.timeField = timeField
  }

  public var framing: Framing { .lines }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    guard !unit.isBlank else { return }
    let value: JSONValue
    do {
      value = try JSONParser.parse(unit)
    } catch {
      throw DecodeError("JSON line: \(error.message) at byte \(error.offset)")
    }
    guard case .object(let object) = value else {
      throw DecodeError("JSON line: expected an object, found \(value.found)")
    }
    var record = DecodedRecord()
    record.fields.reserveCapacity(object.entries.count)
    for (key, member) in object.entries {
      record.fields.append(DecodedField(key, FieldValue(json: member)))
    }
    if let duplicate = firstDuplicateName(record.fields[...]) {
      throw DecodeError("JSON line: duplicate key \"\(duplicate)\"")
    }
    if let timeField, let member = object.present(timeField) {
      guard let micros = member.epochOrISO8601Micros else {
        throw DecodeError(
          "JSON line: time field \"\(timeField)\" is not an ISO 8601 time or epoch seconds: found \(member.found)")
      }
      record.eventTime = micros
    }
    records.append(record)
  }
}

// MARK: - JSON values as fields (shared by the JSON-based decoders)

extension FieldValue {
  /// A JSON value as a field: strings as ``text(_:)`` (or ``string(_:)`` when `stringsAreText` is
  /// false), numbers as ``int(_:)`` or ``double(_:)``, nested values as their JSON text.
  init(json value: JSONValue, stringsAreText: Bool = true) {
    switch value {
    case .null: self = .null
    case .bool(let flag): self = .bool(flag)
    case .number(let text): self = FieldValue(jsonNumber: text)
    case .string(let text): self = stringsAreText ? .text(text) : .string(text)
    case .array, .object: self = .string(value.jsonText)
    }
  }

  /// A JSON number: ``int(_:)`` when written without fraction or exponent and it fits 64 bits,
  /// ``double(_:)`` otherwise.
  init(jsonNumber text: String) {
    var integral = true
    for byte in text.utf8 where byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") {
      integral = false
      break
    }
    if integral, let value = Int64(text) {
      self = .int(value)
    } else if let value = Double(text) {
      self = .double(value)
    } else {
      self = .text(text)
    }
  }
}

extension JSONValue {
  /// How an error message shows a value that was found where something else was expected.
  var found: String {
    switch self {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let text): return "the number \(text.prefix(40))"
    case .string(let text):
      return text.count > 40 ? "the string \"\(text.prefix(40))…\"" : "the string \"\(text)\""
    case .array: return "an array"
    case .object: return "an object"
    }
  }

  /// Text of a scalar for a string-valued column: strings as they are, other values as JSON text.
  var scalarText: String {
    if case .string(let text) = self { return text }
    return jsonText
  }

  /// Microseconds since the epoch of ISO 8601 text, or of epoch seconds as a number or text.
  var epochOrISO8601Micros: Int64? {
    switch self {
    case .string(let text):
      return TimeText.micros(iso8601: text) ?? TimeText.micros(epochSeconds: text)
    case .number(let text):
      if let micros = TimeText.micros(epochSeconds: text) { return micros }
      guard let seconds = Double(text), (seconds * 1e6).magnitude < 9.2e18 else { return nil }
      return Int64((seconds * 1e6).rounded())
    default:
      return nil
    }
  }
}

/// The first name that occurs a second time among `fields`, if any: an open-addressing table of
/// field indices on the stack, keyed by a hash of the name's bytes, so that names are compared
/// only when their slots collide.
func firstDuplicateName(_ fields: ArraySlice<DecodedField>) -> String? {
  guard fields.count > 1 else { return nil }
  var capacity = 16
  while capacity < 2 * fields.count { capacity <<= 1 }
  let mask = capacity - 1
  return withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { slots -> String? in
    slots.initialize(repeating: -1)
    for index in fields.indices {
      let name = fields[index].name
      var slot = nameHash(name) & mask
      while slots[slot] >= 0 {
        if fields[slots[slot]].name == name { return name }
        slot = (slot + 1) & mask
      }
      slots[slot] = index
    }
    return nil
  }
}

/// FNV-1a of the name's UTF-8 bytes.
private func nameHash(_ name: String) -> Int {
  func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: hash ^ (hash >> 29))
  }
  var name = name
  return name.withUTF8(fnv1a)
}

extension UnsafeBufferPointer<UInt8> {
  /// True when the bytes are all spaces, tabs, carriage returns and newlines.
  var isBlank: Bool {
    for byte in self where byte != 0x20 && byte != 0x09 && byte != 0x0D && byte != 0x0A { return false }
    return true
  }
}
