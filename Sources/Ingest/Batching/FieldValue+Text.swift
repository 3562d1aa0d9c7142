import Columnar

extension FieldValue {
  /// The value as text, for a string column: numbers as written, booleans `true`/`false`,
  /// timestamps in ISO 8601 (UTC), lists and maps as JSON. Nil for nulls.
  var text: String? {
    switch self {
    case .null, .typedNull: return nil
    case .string(let text), .text(let text): return text
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return ValueFormatting.floatText(number)
    case .timestamp(let micros):
      var out: [UInt8] = []
      CalendarFormatting.appendTimestamp(micros, unit: .microsecond, utc: true, to: &out)
      return String(decoding: out, as: UTF8.self)
    case .list, .map:
      var out: [UInt8] = []
      appendJSON(to: &out)
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// The value as JSON text.
  func appendJSON(to out: inout [UInt8]) {
    switch self {
    case .null, .typedNull: out.append(contentsOf: "null".utf8)
    case .bool, .int: out.append(contentsOf: (text ?? "null").utf8)
    case .double(let number):
      if number.isFinite { out.append(contentsOf: ValueFormatting.floatText(number).utf8) } else { out.append(contentsOf: "null".utf8) }
    case .string(let text), .text(let text): ValueRenderer.appendJSONString(text, to: &out)
    case .timestamp: ValueRenderer.appendJSONString(text ?? "", to: &out)
    case .list(_, let values):
      out.append(UInt8(ascii: "["))
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        value.appendJSON(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .map(let entries):
      out.append(UInt8(ascii: "{"))
      for (index, entry) in entries.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        ValueRenderer.appendJSONString(entry.key, to: &out)
        out.append(UInt8(ascii: ":"))
        if let value = entry.value { ValueRenderer.appendJSONString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}
