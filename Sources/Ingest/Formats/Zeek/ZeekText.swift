/// Reading Zeek TSV values from their bytes, without going through `String` except for text.
enum ZeekText {
  /// The bytes as text, with Zeek's `\xNN` byte escapes decoded (a backslash not followed by `x`
  /// and two hex digits stays as it is). Invalid UTF-8 becomes U+FFFD.
  static func string(_ text: UnsafeBufferPointer<UInt8>) -> String {
    var index = 0
    while index < text.count, text[index] != UInt8(ascii: "\\") { index += 1 }
    if index == text.count { return String(decoding: text, as: UTF8.self) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.count)
    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<index]))
    while index < text.count {
      let byte = text[index]
      if byte == UInt8(ascii: "\\"), index + 3 < text.count, text[index + 1] == UInt8(ascii: "x"),
        let high = hexDigit(text[index + 2]), let low = hexDigit(text[index + 3])
      {
        bytes.append(high << 4 | low)
        index += 4
      } else {
        bytes.append(byte)
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The bytes of a header value such as `\x09`, with byte escapes decoded.
  static func unescapedBytes(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    Array(string(text).utf8)
  }

  /// A decimal integer with an optional sign; nil when the text is not one or does not fit.
  static func int64(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
    var index = 0
    var negative = false
    if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
      negative = text[index] == UInt8(ascii: "-")
      index += 1
    }
    guard index < text.count else { return nil }
    var value: Int64 = 0
    while index < text.count {
      let digit = text[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
      // Accumulate negatively so that Int64.min is reachable.
      let (next, overflowAdd) =
        negative ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
      guard !overflowShift, !overflowAdd else { return nil }
      value = next
      index += 1
    }
    return value
  }

  /// A decimal number (`0.254115`, `-3`, `1e-05`, `inf`); nil when the text is not one.
  ///
  /// Up to 15 digits without an exponent, the value is the digits as an integer divided by a power
  /// of ten, both exact in a `Double`, so the one rounding of the division is the correct one
  /// (Clinger's fast path); anything else goes through the standard library's parser.
  static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
    var index = 0
    var negative = false
    if index < text.count, text[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    var mantissa: Int64 = 0
    var digits = 0
    var fractionDigits = 0
    var sawPoint = false
    while index < text.count {
      let byte = text[index]
      let digit = byte &- UInt8(ascii: "0")
      if digit < 10 {
        guard digits < 15 else { return slowDouble(text) }
        mantissa = mantissa * 10 + Int64(digit)
        digits += 1
        if sawPoint { fractionDigits += 1 }
      } else if byte == UInt8(ascii: "."), !sawPoint {
        sawPoint = true
      } else {
        return slowDouble(text)
      }
      index += 1
    }
    guard digits > 0 else { return nil }
    var value = Double(mantissa)
    if fractionDigits > 0 { value /= powersOfTen[fractionDigits] }
    return negative ? -value : value
  }

  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  ]

  private static func slowDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
    Double(String(decoding: text, as: UTF8.self))
  }

  /// Whether `text` holds exactly the bytes of `marker` (the unset or empty field marker).
  @inline(__always) static func equals(_ text: UnsafeBufferPointer<UInt8>, _ marker: [UInt8]) -> Bool {
    guard text.count == marker.count else { return false }
    for index in 0..<text.count where text[index] != marker[index] { return false }
    return true
  }

  private static func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
