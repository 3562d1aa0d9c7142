/// Renders values of record batches as text: canonical JSON (the project's `jsonl` form, see
/// `Tests/Oracles/render.py`) or plain text for CSV and tables.
///
/// JSON rules: integers as numbers; floats shortest round-trip, NaN/±Infinity as strings;
/// decimals as strings with exactly `scale` digits; dates `YYYY-MM-DD`; timestamps
/// `YYYY-MM-DDTHH:MM:SS.ffffff` with `Z` when UTC-adjusted; binary as base64; UUIDs hyphenated;
/// structs as objects; lists as arrays; maps as arrays of `[key, value]` pairs in stored order.
public enum ValueRenderer {
  /// Appends row `row` of `batch` as one JSON object (no newline).
  public static func appendJSONRow(_ batch: RecordBatch, row: Int, to out: inout [UInt8]) {
    appendJSONRow(batch, row: row, keys: jsonKeys(batch.schema), to: &out)
  }

  /// Each field's `"name":` (with the comma before every field but the first), rendered once
  /// for all the rows of a batch.
  public static func jsonKeys(_ schema: Schema) -> [[UInt8]] {
    schema.fields.enumerated().map { index, field in
      var key: [UInt8] = index > 0 ? [UInt8(ascii: ",")] : []
      appendJSONString(field.name, to: &key)
      key.append(UInt8(ascii: ":"))
      return key
    }
  }

  /// Appends row `row` of `batch` as one JSON object, with the keys of ``jsonKeys(_:)``.
  public static func appendJSONRow(_ batch: RecordBatch, row: Int, keys: [[UInt8]], to out: inout [UInt8]) {
    out.append(UInt8(ascii: "{"))
    for (index, column) in batch.columns.enumerated() {
      out.append(contentsOf: keys[index])
      appendValue(column, row: row, json: true, to: &out)
    }
    out.append(UInt8(ascii: "}"))
  }

  /// Appends a JSON string literal.
  public static func appendJSONString(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { ValueFormatting.appendJSONEscaped($0, to: &out) }
    out.append(UInt8(ascii: "\""))
  }

  /// The plain text of one value (strings unquoted, nested values as JSON, null as "").
  public static func text(_ column: ColumnVector, row: Int) -> String {
    var out: [UInt8] = []
    if !column.isNull(row) { appendValue(column, row: row, json: false, to: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends one value; with `json` false, top-level strings, dates and numbers come out bare.
  public static func appendValue(_ column: ColumnVector, row: Int, json: Bool, to out: inout [UInt8]) {
    if column.isNull(row) {
      out.append(contentsOf: nullText)
      return
    }
    let quote = json
    switch column.storage {
    case .none: out.append(contentsOf: nullText)
    case .boolean(let bits): out.append(contentsOf: bits[row] ? trueText : falseText)
    case .int8(let values): appendInteger(Int64(values[row]), to: &out)
    case .int16(let values): appendInteger(Int64(values[row]), to: &out)
    case .int32(let values):
      if case .date = column.type {
        quoted(quote, &out) { CalendarFormatting.appendDate(days: Int64(values[row]), to: &$0) }
      } else {
        appendInteger(Int64(values[row]), to: &out)
      }
    case .int64(let values):
      switch column.type {
      case .timestamp(let unit, let utc):
        quoted(quote, &out) {
          CalendarFormatting.appendTimestamp(values[row], unit: unit, utc: utc, to: &$0)
        }
      case .time(let unit):
        quoted(quote, &out) { CalendarFormatting.appendTime(values[row], unit: unit, to: &$0) }
      default: appendInteger(values[row], to: &out)
      }
    case .uint8(let values): CalendarFormatting.appendPadded(UInt64(values[row]), width: 1, to: &out)
    case .uint16(let values):
      if case .float16 = column.type {
        appendFloat(ValueFormatting.floatText(Float16(bitPattern: values[row])), quote: quote, to: &out)
      } else {
        CalendarFormatting.appendPadded(UInt64(values[row]), width: 1, to: &out)
      }
    case .uint32(let values): CalendarFormatting.appendPadded(UInt64(values[row]), width: 1, to: &out)
    case .uint64(let values): CalendarFormatting.appendPadded(values[row], width: 1, to: &out)
    case .float32(let values): appendFloat(ValueFormatting.floatText(values[row]), quote: quote, to: &out)
    case .float64(let values): appendFloat(ValueFormatting.floatText(values[row]), quote: quote, to: &out)
    case .int128(let values):
      let scale: Int
      if case .decimal(_, let s) = column.type { scale = s } else { scale = 0 }
      quoted(quote, &out) { ValueFormatting.appendDecimal(values[row], scale: scale, to: &$0) }
    case .binary(let offsets, let bytes):
      appendBytes(bytes, Int(offsets[row]), Int(offsets[row + 1]), type: column.type, quote: quote, to: &out)
    case .dictionary(let indices, let dictionary):
      appendValue(dictionary, row: Int(indices[row]), json: json, to: &out)
    case .structure(let children):
      out.append(UInt8(ascii: "{"))
      if case .structure(let fields) = column.type {
        for (index, field) in fields.enumerated() {
          if index > 0 { out.append(UInt8(ascii: ",")) }
          appendJSONString(field.name, to: &out)
          out.append(UInt8(ascii: ":"))
          appendValue(children[index], row: row, json: true, to: &out)
        }
      }
      out.append(UInt8(ascii: "}"))
    case .list(let offsets, let values):
      out.append(UInt8(ascii: "["))
      for element in Int(offsets[row])..<Int(offsets[row + 1]) {
        if element > offsets[row] { out.append(UInt8(ascii: ",")) }
        appendValue(values, row: element, json: true, to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .map(let offsets, let keys, let values):
      out.append(UInt8(ascii: "["))
      for entry in Int(offsets[row])..<Int(offsets[row + 1]) {
        if entry > offsets[row] { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "["))
        appendValue(keys, row: entry, json: true, to: &out)
        out.append(UInt8(ascii: ","))
        appendValue(values, row: entry, json: true, to: &out)
        out.append(UInt8(ascii: "]"))
      }
      out.append(UInt8(ascii: "]"))
    }
  }

  private static let nullText = Array("null".utf8)
  private static let trueText = Array("true".utf8)
  private static let falseText = Array("false".utf8)

  private static func quoted(_ quote: Bool, _ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
    if quote { out.append(UInt8(ascii: "\"")) }
    body(&out)
    if quote { out.append(UInt8(ascii: "\"")) }
  }

  private static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    CalendarFormatting.appendPadded(value.magnitude, width: 1, to: &out)
  }

  private static func appendFloat(_ text: String, quote: Bool, to out: inout [UInt8]) {
    let special = text == "NaN" || text.hasSuffix("Infinity")
    quoted(quote && special, &out) { $0.append(contentsOf: Array(text.utf8)) }
  }

  private static func appendBytes(
    _ bytes: [UInt8], _ start: Int, _ end: Int, type: DataType, quote: Bool, to out: inout [UInt8]
  ) {
    bytes.withUnsafeBufferPointer { buffer in
      let value = UnsafeBufferPointer(rebasing: buffer[start..<end])
      switch type {
      case .string:
        if quote {
          out.append(UInt8(ascii: "\""))
          ValueFormatting.appendJSONEscaped(value, to: &out)
          out.append(UInt8(ascii: "\""))
        } else {
          out.append(contentsOf: value)
        }
      case .uuid:
        quoted(quote, &out) { ValueFormatting.appendUUID(value, to: &$0) }
      default:
        quoted(quote, &out) { ValueFormatting.appendBase64(value, to: &$0) }
      }
    }
  }
}
