/// Text forms of individual values shared by the JSON, CSV and table renderers.
public enum ValueFormatting {
  /// A decimal's unscaled value with exactly `scale` fraction digits and no exponent.
  public static func appendDecimal(_ unscaled: Int128, scale: Int, to out: inout [UInt8]) {
    if unscaled < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = unscaled.magnitude
    var digits: [UInt8] = []
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude != 0
    while digits.count <= scale { digits.append(UInt8(ascii: "0")) }
    for index in stride(from: digits.count - 1, through: 0, by: -1) {
      if index == scale - 1 { out.append(UInt8(ascii: ".")) }
      out.append(digits[index])
    }
  }

  private static let base64Alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Standard base64 with padding.
  public static func appendBase64(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    var index = 0
    let alphabet = base64Alphabet
    while index + 3 <= bytes.count {
      let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(alphabet[Int(n >> 6 & 63)])
      out.append(alphabet[Int(n & 63)])
      index += 3
    }
    let rest = bytes.count - index
    if rest > 0 {
      var n = UInt32(bytes[index]) << 16
      if rest == 2 { n |= UInt32(bytes[index + 1]) << 8 }
      out.append(alphabet[Int(n >> 18 & 63)])
      out.append(alphabet[Int(n >> 12 & 63)])
      out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
      out.append(UInt8(ascii: "="))
    }
  }

  /// Lowercase hyphenated form of a 16-byte UUID; other lengths fall back to hex.
  public static func appendUUID(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    for (index, byte) in bytes.enumerated() {
      if bytes.count == 16 && (index == 4 || index == 6 || index == 8 || index == 10) {
        out.append(UInt8(ascii: "-"))
      }
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 15)])
    }
  }

  /// The shortest text that reads back as the same Double; NaN and infinities spelled out.
  public static func floatText(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return value.description
  }

  /// The shortest text that reads back as the same Float.
  public static func floatText(_ value: Float) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    return value.description
  }

  /// The shortest text that reads back as the same Float16 (`65500.0` for 65504).
  public static func floatText(_ value: Float16) -> String {
    guard value.isFinite else { return floatText(Float(value)) }
    if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
    let wide = Double(value)
    let exponent = Int((wide.magnitude).exponent10)
    for digits in 1...5 {
      let shift = digits - 1 - exponent
      let candidate =
        shift >= 0
        ? (wide * power10(shift)).rounded(.toNearestOrEven) / power10(shift)
        : (wide / power10(-shift)).rounded(.toNearestOrEven) * power10(-shift)
      if Float16(candidate) == value { return candidate.description }
    }
    return wide.description
  }

  private static func power10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<n { result *= 10 }
    return result
  }

  /// Appends `bytes` as the inside of a JSON string, escaping quotes, backslashes and controls.
  public static func appendJSONEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    var runStart = 0
    for index in 0..<bytes.count {
      let byte = bytes[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
      out.append(UInt8(ascii: "\\"))
      switch byte {
      case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
      case 0x0A: out.append(UInt8(ascii: "n"))
      case 0x0D: out.append(UInt8(ascii: "r"))
      case 0x09: out.append(UInt8(ascii: "t"))
      case 0x08: out.append(UInt8(ascii: "b"))
      case 0x0C: out.append(UInt8(ascii: "f"))
      default:
        out.append(contentsOf: Array("u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 15)])
      }
      runStart = index + 1
    }
    if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
  }
}

extension Double {
  /// floor(log10(self)) for a positive finite value.
  fileprivate var exponent10: Double {
    var e = 0.0
    var x = self
    while x >= 10 {
      x /= 10
      e += 1
    }
    while x < 1 {
      x *= 10
      e -= 1
    }
    return e
  }
}
