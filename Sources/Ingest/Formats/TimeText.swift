import Columnar

/// Event times written as text, parsed into microseconds since the epoch (UTC).
public enum TimeText {
  /// Seconds since the epoch with an optional fraction (`1700000000`, `1700000000.123456`,
  /// `-1.5`); nil when the text is not such a number.
  public static func micros(epochSeconds text: UnsafeBufferPointer<UInt8>) -> Int64? {
    var index = 0
    var negative = false
    if index < text.count, text[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    var seconds: Int64 = 0
    var digits = 0
    while index < text.count, let digit = digit(text[index]) {
      guard digits < 12 else { return nil }
      seconds = seconds * 10 + digit
      digits += 1
      index += 1
    }
    var fraction: Int64 = 0
    if index < text.count, text[index] == UInt8(ascii: ".") {
      index += 1
      var scale: Int64 = 100_000
      var fractionDigits = 0
      while index < text.count, let digit = digit(text[index]) {
        if scale > 0 {
          fraction += digit * scale
          scale /= 10
        }
        fractionDigits += 1
        index += 1
      }
      guard fractionDigits > 0 || digits > 0 else { return nil }
    }
    guard digits > 0 || fraction > 0, index == text.count else { return nil }
    let value = seconds * 1_000_000 + fraction
    return negative ? -value : value
  }

  /// ISO 8601 / RFC 3339: `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]`, or a date alone;
  /// a time without a zone is taken as UTC. Nil when the text is not such a time.
  public static func micros(iso8601 text: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard text.count >= 10, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
      let year = number(text, 0, 4), let month = number(text, 5, 2), let day = number(text, 8, 2),
      (1...12).contains(month), day >= 1, day <= Int64(CalendarFormatting.daysInMonth(year: year, month: Int(month)))
    else { return nil }
    let days = CalendarFormatting.days(year: year, month: Int(month), day: Int(day))
    var micros = days * 86_400_000_000
    if text.count == 10 { return micros }
    guard text.count >= 16, text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: " ") || text[10] == UInt8(ascii: "t"),
      text[13] == UInt8(ascii: ":"), let hour = number(text, 11, 2), let minute = number(text, 14, 2), hour < 24,
      minute < 60
    else { return nil }
    micros += (hour * 3600 + minute * 60) * 1_000_000
    var index = 16
    if index < text.count, text[index] == UInt8(ascii: ":") {
      guard let second = number(text, index + 1, 2), second < 61 else { return nil }
      micros += second * 1_000_000
      index += 3
      if index < text.count, text[index] == UInt8(ascii: ".") || text[index] == UInt8(ascii: ",") {
        index += 1
        var scale: Int64 = 100_000
        let start = index
        while index < text.count, let digit = digit(text[index]) {
          micros += digit * scale
          scale /= 10
          index += 1
        }
        guard index > start else { return nil }
      }
    }
    guard index < text.count else { return micros }
    switch text[index] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      return index + 1 == text.count ? micros : nil
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      let sign: Int64 = text[index] == UInt8(ascii: "+") ? 1 : -1
      guard let hours = number(text, index + 1, 2) else { return nil }
      var minutes: Int64 = 0
      var end = index + 3
      if end < text.count {
        if text[end] == UInt8(ascii: ":") { end += 1 }
        guard let parsed = number(text, end, 2) else { return nil }
        minutes = parsed
        end += 2
      }
      guard end == text.count, hours < 24, minutes < 60 else { return nil }
      return micros - sign * (hours * 3600 + minutes * 60) * 1_000_000
    default:
      return nil
    }
  }

  public static func micros(iso8601 text: String) -> Int64? {
    var text = text
    return text.withUTF8 { micros(iso8601: $0) }
  }

  public static func micros(epochSeconds text: String) -> Int64? {
    var text = text
    return text.withUTF8 { micros(epochSeconds: $0) }
  }

  @inline(__always) static func digit(_ byte: UInt8) -> Int64? {
    byte >= 48 && byte <= 57 ? Int64(byte - 48) : nil
  }

  /// The decimal number in `text[start..<start+width]`, all digits.
  @inline(__always) static func number(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ width: Int) -> Int64? {
    guard start + width <= text.count else { return nil }
    var value: Int64 = 0
    for index in start..<(start + width) {
      guard let digit = digit(text[index]) else { return nil }
      value = value * 10 + digit
    }
    return value
  }
}
