import Columnar

/// Decodes Amazon S3 server access log lines: space-separated fields in a fixed order, the time
/// in brackets (`[06/Feb/2019:00:00:38 +0000]`), the Request-URI, Referer and User-Agent in double
/// quotes (they may hold spaces and `\"`).
///
/// Any field may be `-`, which becomes a null of its column's kind; a quoted `"-"` too.
/// `http_status`, `bytes_sent`, `object_size`, `total_time` and `turn_around_time` are `.int`,
/// `time` is `.timestamp` (the event time), the rest `.string`. Lines written before AWS added
/// the later fields (18, 22, 24 or 25 fields) are read with those fields null. Fields AWS adds
/// after the 27 known ones are kept, as written, in the `extra` column. The TLS version is
/// normalised to `TLSv1.2` (AWS writes `TLSV1.2`).
public struct S3AccessDecoder: RecordDecoder, Sendable {
  public init() {}

  /// The columns of every record, in the log's field order; `extra` is last.
  public static let columnNames: [String] = [
    "bucket_owner", "bucket", "time", "remote_ip", "requester", "request_id", "operation", "key", "request_uri",
    "http_status", "error_code", "bytes_sent", "object_size", "total_time", "turn_around_time", "referer",
    "user_agent", "version_id", "host_id", "signature_version", "cipher_suite", "authentication_type",
    "host_header", "tls_version", "access_point_arn", "acl_required", "source_region", "extra",
  ]

  /// How many fields a line has before the `extra` ones.
  private static let knownFields = 27
  /// How many fields every line has: through `version_id`.
  private static let requiredFields = 18

  private enum Field {
    static let time = 2
    static let requestURI = 8
    static let httpStatus = 9
    static let turnAroundTime = 14
    static let referer = 15
    static let userAgent = 16
    static let tlsVersion = 23
  }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    var line = unit
    if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
    guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
    var fields: [DecodedField] = []
    fields.reserveCapacity(Self.columnNames.count)
    var eventTime: Int64?
    var position = 0
    for index in 0..<Self.knownFields {
      while position < line.count, line[position] == 0x20 { position += 1 }
      guard position < line.count else {
        guard index >= Self.requiredFields else {
          throw DecodeError(
            "S3 access log: the line ends after \(index) fields; at least \(Self.requiredFields) "
              + "(through version_id) are expected")
        }
        fields.append(DecodedField(Self.columnNames[index], .typedNull(Self.kind(index))))
        continue
      }
      let value: FieldValue
      switch index {
      case Field.time:
        value = try Self.time(line, &position)
        if case .timestamp(let micros) = value { eventTime = micros }
      case Field.requestURI, Field.referer, Field.userAgent:
        value = try Self.quoted(line, &position, index)
      default:
        let start = position
        while position < line.count, line[position] != 0x20 { position += 1 }
        value = try Self.plain(UnsafeBufferPointer(rebasing: line[start..<position]), index)
      }
      fields.append(DecodedField(Self.columnNames[index], value))
    }
    while position < line.count, line[position] == 0x20 { position += 1 }
    var end = line.count
    while end > position, line[end - 1] == 0x20 { end -= 1 }
    let extra: FieldValue =
      position < end
      ? .string(String(decoding: UnsafeBufferPointer(rebasing: line[position..<end]), as: UTF8.self))
      : .typedNull(.string)
    fields.append(DecodedField("extra", extra))
    records.append(DecodedRecord(fields: fields, eventTime: eventTime))
  }

  private static func kind(_ index: Int) -> FieldKind {
    switch index {
    case Field.time: .timestamp
    case Field.httpStatus, 11...Field.turnAroundTime: .int
    default: .string
    }
  }

  /// An unquoted field: `-`, a number or text.
  private static func plain(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) throws(DecodeError) -> FieldValue {
    let kind = kind(index)
    if text.count == 1, text[0] == UInt8(ascii: "-") { return .typedNull(kind) }
    guard kind == .int else {
      if index == Field.tlsVersion, text.starts(with: "TLSV".utf8) {
        return .string("TLSv" + String(decoding: UnsafeBufferPointer(rebasing: text[4...]), as: UTF8.self))
      }
      return .string(String(decoding: text, as: UTF8.self))
    }
    guard let value = DecimalText.integer(text) else { throw invalid(index, text, "is not a number") }
    return .int(value)
  }

  /// A field in double quotes, in which `\"` and `\\` stand for `"` and `\`; or `-`.
  private static func quoted(_ line: UnsafeBufferPointer<UInt8>, _ position: inout Int, _ index: Int)
    throws(DecodeError) -> FieldValue
  {
    guard line[position] == UInt8(ascii: "\"") else {
      let start = position
      while position < line.count, line[position] != 0x20 { position += 1 }
      return try plain(UnsafeBufferPointer(rebasing: line[start..<position]), index)
    }
    let start = position + 1
    var end = start
    var escaped = false
    while end < line.count, line[end] != UInt8(ascii: "\"") {
      if line[end] == UInt8(ascii: "\\") {
        escaped = true
        end += 1
      }
      end += 1
    }
    guard end < line.count else {
      throw DecodeError("S3 access log: field \(index + 1) '\(columnNames[index])': the quote is not closed")
    }
    position = end + 1
    guard position == line.count || line[position] == 0x20 else {
      throw DecodeError("S3 access log: field \(index + 1) '\(columnNames[index])': text after the closing quote")
    }
    let text = UnsafeBufferPointer(rebasing: line[start..<end])
    if text.count == 1, text[0] == UInt8(ascii: "-") { return .typedNull(.string) }
    guard escaped else { return .string(String(decoding: text, as: UTF8.self)) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count)
    var offset = 0
    while offset < text.count {
      if text[offset] == UInt8(ascii: "\\"), offset + 1 < text.count,
        text[offset + 1] == UInt8(ascii: "\"") || text[offset + 1] == UInt8(ascii: "\\")
      {
        offset += 1
      }
      bytes.append(text[offset])
      offset += 1
    }
    return .string(String(decoding: bytes, as: UTF8.self))
  }

  /// `[06/Feb/2019:00:00:38 +0000]` (the offset is optional), or `-`.
  private static func time(_ line: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws(DecodeError)
    -> FieldValue
  {
    let start = position
    guard line[position] == UInt8(ascii: "[") else {
      while position < line.count, line[position] != 0x20 { position += 1 }
      let text = UnsafeBufferPointer(rebasing: line[start..<position])
      guard text.count == 1, text[0] == UInt8(ascii: "-") else { throw invalidTime(text) }
      return .typedNull(.timestamp)
    }
    while position < line.count, line[position] != UInt8(ascii: "]") { position += 1 }
    guard position < line.count else {
      throw DecodeError("S3 access log: field 3 'time': the '[' is not closed")
    }
    position += 1
    let text = UnsafeBufferPointer(rebasing: line[start..<position])
    guard let micros = micros(UnsafeBufferPointer(rebasing: line[(start + 1)..<(position - 1)])) else {
      throw invalidTime(text)
    }
    return .timestamp(micros)
  }

  /// `06/Feb/2019:00:00:38 +0000` in microseconds since the epoch; nil when the text is not such
  /// a time.
  static func micros(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard text.count == 20 || text.count == 26, text[2] == UInt8(ascii: "/"), text[6] == UInt8(ascii: "/"),
      text[11] == UInt8(ascii: ":"), text[14] == UInt8(ascii: ":"), text[17] == UInt8(ascii: ":"),
      let day = TimeText.number(text, 0, 2), let month = month(text[3], text[4], text[5]),
      let year = TimeText.number(text, 7, 4), let hour = TimeText.number(text, 12, 2),
      let minute = TimeText.number(text, 15, 2), let second = TimeText.number(text, 18, 2),
      day >= 1, day <= Int64(CalendarFormatting.daysInMonth(year: year, month: month)), hour < 24, minute < 60,
      second < 61
    else { return nil }
    let days = CalendarFormatting.days(year: year, month: month, day: Int(day))
    var seconds = days * 86_400 + hour * 3600 + minute * 60 + second
    if text.count == 26 {
      guard text[20] == 0x20, text[21] == UInt8(ascii: "+") || text[21] == UInt8(ascii: "-"),
        let hours = TimeText.number(text, 22, 2), let minutes = TimeText.number(text, 24, 2), hours < 24,
        minutes < 60
      else { return nil }
      let offset = hours * 3600 + minutes * 60
      seconds -= text[21] == UInt8(ascii: "+") ? offset : -offset
    }
    return seconds * 1_000_000
  }

  private static let monthNames = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)

  private static func month(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int? {
    for month in 0..<12 {
      let base = month * 3
      if monthNames[base] == first, monthNames[base + 1] == second, monthNames[base + 2] == third {
        return month + 1
      }
    }
    return nil
  }

  private static func invalid(_ index: Int, _ text: UnsafeBufferPointer<UInt8>, _ problem: String) -> DecodeError {
    DecodeError("S3 access log: field \(index + 1) '\(columnNames[index])': '\(shown(text))' \(problem)")
  }

  private static func invalidTime(_ text: UnsafeBufferPointer<UInt8>) -> DecodeError {
    invalid(Field.time, text, "is not a time like [06/Feb/2019:00:00:38 +0000]")
  }

  private static func shown(_ text: UnsafeBufferPointer<UInt8>) -> String {
    guard text.count > 100 else { return String(decoding: text, as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: text[0..<100]), as: UTF8.self) + "…"
  }
}
