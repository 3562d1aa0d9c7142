extension ScalarValue {
  /// Microseconds in one day.
  static let microsPerDay: Int64 = 86_400_000_000

  /// The order of two values of one type family: negative when `lhs` sorts first, zero when they
  /// are equal, positive when `rhs` sorts first, `nil` when they cannot be compared.
  ///
  /// Families and their coercions:
  /// - numbers: `int64`, `float64` and `decimal` compare by exact numeric value (an `int64` never
  ///   goes through `Double`, decimals of different scales are aligned without rounding).
  ///   NaN compares with nothing; `-0.0` equals `0.0`.
  /// - text and bytes: `string` and `binary` compare by their bytes (UTF-8 for strings), unsigned
  ///   and lexicographically, which is how Parquet and Delta statistics order them.
  /// - time: `date` and `timestamp` compare as instants, a date standing for its midnight;
  ///   a UTC timestamp and a wall-clock (`utc == false`) timestamp do not compare by value.
  /// - `boolean`: `false` before `true`.
  ///
  /// `null` compares with nothing.
  public static func compare(_ lhs: ScalarValue, _ rhs: ScalarValue) -> Int? {
    switch (lhs, rhs) {
    case (.int64(let a), .int64(let b)): return order(a, b)
    case (.int64(let a), .float64(let b)): return compareInteger(a, toDouble: b)
    case (.float64(let a), .int64(let b)): return compareInteger(b, toDouble: a).map { -$0 }
    case (.float64(let a), .float64(let b)):
      if a.isNaN || b.isNaN { return nil }
      return a < b ? -1 : (a > b ? 1 : 0)
    case (.decimal(let a, _, let scaleA), .decimal(let b, _, let scaleB)):
      return compareDecimal(a, scale: scaleA, b, scale: scaleB)
    case (.decimal(let a, _, let scale), .int64(let b)):
      return compareDecimal(a, scale: scale, Int128(b), scale: 0)
    case (.int64(let a), .decimal(let b, _, let scale)):
      return compareDecimal(Int128(a), scale: 0, b, scale: scale)
    case (.decimal(let a, _, let scale), .float64(let b)):
      return compareDecimal(a, scale: scale, toDouble: b)
    case (.float64(let a), .decimal(let b, _, let scale)):
      return compareDecimal(b, scale: scale, toDouble: a).map { -$0 }
    case (.string(let a), .string(let b)): return compareUTF8(a, b)
    case (.binary(let a), .binary(let b)):
      return a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in compareBytes(x, y) } }
    case (.string(var a), .binary(let b)):
      return a.withUTF8 { x in b.withUnsafeBufferPointer { y in compareBytes(x, y) } }
    case (.binary(let a), .string(var b)):
      return a.withUnsafeBufferPointer { x in b.withUTF8 { y in compareBytes(x, y) } }
    case (.date(let a), .date(let b)): return order(a, b)
    case (.date(let a), .timestamp(let b, _)): return compareDate(a, toTimestamp: b)
    case (.timestamp(let a, _), .date(let b)): return -compareDate(b, toTimestamp: a)
    case (.timestamp(let a, let utcA), .timestamp(let b, let utcB)):
      return utcA == utcB ? order(a, b) : nil
    case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (a ? 1 : -1)
    default: return nil
    }
  }

  /// True when the value is a float NaN.
  public var isNaN: Bool {
    if case .float64(let value) = self { return value.isNaN }
    return false
  }

  @inline(__always) static func order<T: Comparable>(_ a: T, _ b: T) -> Int {
    a < b ? -1 : (a > b ? 1 : 0)
  }

  /// Compares strings by their UTF-8 bytes without copying them.
  static func compareUTF8(_ a: String, _ b: String) -> Int {
    var a = a
    var b = b
    return a.withUTF8 { x in b.withUTF8 { y in compareBytes(x, y) } }
  }

  /// Unsigned lexicographic order of two byte strings; a proper prefix sorts first.
  static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let common = Swift.min(a.count, b.count)
    var index = 0
    while index < common {
      let x = a[index]
      let y = b[index]
      if x != y { return x < y ? -1 : 1 }
      index += 1
    }
    return order(a.count, b.count)
  }

  /// The midnight of `days` against a microsecond timestamp, exact even when the midnight lies
  /// outside the range of `Int64` microseconds.
  static func compareDate(_ days: Int32, toTimestamp micros: Int64) -> Int {
    let (midnight, overflow) = Int64(days).multipliedReportingOverflow(by: microsPerDay)
    if overflow { return days < 0 ? -1 : 1 }
    return order(midnight, micros)
  }

  /// Exact comparison of an integer with a double (no rounding of the integer to 53 bits).
  static func compareInteger(_ integer: Int64, toDouble value: Double) -> Int? {
    if value.isNaN { return nil }
    // 2^63 is exactly representable; everything at or past it is beyond Int64.
    if value >= 9_223_372_036_854_775_808.0 { return -1 }
    if value < -9_223_372_036_854_775_808.0 { return 1 }
    // In range, the conversion truncates toward zero (and needs no libm).
    let wholeInteger = Int64(value)
    let whole = Double(wholeInteger)
    if integer != wholeInteger { return integer < wholeInteger ? -1 : 1 }
    let fraction = value - whole
    return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
  }

  /// `10^exponent` for 0...38, the range of `Int128` decimals.
  static func powerOfTen(_ exponent: Int) -> Int128? {
    guard exponent >= 0, exponent <= 38 else { return nil }
    var result: Int128 = 1
    for _ in 0..<exponent { result &*= 10 }
    return result
  }

  /// Exact comparison of two decimals given as unscaled values and scales.
  static func compareDecimal(_ a: Int128, scale scaleA: Int, _ b: Int128, scale scaleB: Int) -> Int {
    if scaleA == scaleB { return order(a, b) }
    if scaleA < scaleB {
      guard let scaled = rescale(a, by: scaleB - scaleA) else { return a < 0 ? -1 : 1 }
      return order(scaled, b)
    }
    guard let scaled = rescale(b, by: scaleA - scaleB) else { return b < 0 ? 1 : -1 }
    return order(a, scaled)
  }

  /// `value * 10^digits`, or nil when that leaves `Int128` (then its magnitude exceeds any decimal).
  static func rescale(_ value: Int128, by digits: Int) -> Int128? {
    if value == 0 { return 0 }
    guard let factor = powerOfTen(digits) else { return nil }
    let (product, overflow) = value.multipliedReportingOverflow(by: factor)
    return overflow ? nil : product
  }

  /// Exact comparison of a decimal with a double: integer parts first, then the fractions bit by
  /// bit (both have finite binary expansions to compare, the double's at most 1074 bits long).
  static func compareDecimal(_ unscaled: Int128, scale: Int, toDouble value: Double) -> Int? {
    if value.isNaN { return nil }
    if value.isInfinite { return value > 0 ? -1 : 1 }
    // Every decimal is below 10^38 in magnitude; 2^127 is past that.
    if value >= 0x1p127 { return -1 }
    if value <= -0x1p127 { return 1 }
    guard scale >= 0, let denominator = powerOfTen(scale) else {
      return compareDecimalApproximately(unscaled, scale: scale, value)
    }
    let integerPart = unscaled / denominator
    let remainder = unscaled % denominator
    let wholeInteger = Int128(value)  // truncates toward zero
    let whole = Double(wholeInteger)
    if integerPart != wholeInteger { return integerPart < wholeInteger ? -1 : 1 }
    let fraction = value - whole  // exact, in (-1, 1)
    if remainder == 0 || fraction == 0 || (remainder < 0) != (fraction < 0) {
      return order(remainder == 0 ? 0 : (remainder < 0 ? -1 : 1), fraction == 0 ? 0 : (fraction < 0 ? -1 : 1))
    }
    // Same sign, both non-zero: compare |remainder| / denominator with |fraction|.
    let negative = remainder < 0
    var decimalRest = UInt128(remainder.magnitude)
    let divisor = UInt128(denominator.magnitude)
    var binaryRest = fraction.magnitude
    while true {
      if decimalRest == 0 || binaryRest == 0 {
        let magnitudeOrder = order(decimalRest == 0 ? 0 : 1, binaryRest == 0 ? 0 : 1)
        return negative ? -magnitudeOrder : magnitudeOrder
      }
      decimalRest <<= 1  // < 2 * 10^38 < 2^128
      binaryRest *= 2  // exact
      let decimalBit = decimalRest >= divisor
      let binaryBit = binaryRest >= 1
      if decimalBit { decimalRest -= divisor }
      if binaryBit { binaryRest -= 1 }
      if decimalBit != binaryBit {
        let magnitudeOrder = decimalBit ? 1 : -1
        return negative ? -magnitudeOrder : magnitudeOrder
      }
    }
  }

  /// Fallback for scales outside 0...38: decides only when the doubles are clearly apart.
  private static func compareDecimalApproximately(_ unscaled: Int128, scale: Int, _ value: Double) -> Int? {
    var approximation = Double(unscaled)
    if scale > 0 {
      for _ in 0..<scale { approximation /= 10 }
    } else {
      for _ in 0..<(-scale) { approximation *= 10 }
    }
    let tolerance = Swift.max(approximation.magnitude, value.magnitude) * 1e-12
    if approximation < value - tolerance { return -1 }
    if approximation > value + tolerance { return 1 }
    return nil
  }
}

extension ScalarValue: CustomStringConvertible {
  /// The value as a SQL literal: `NULL`, `TRUE`, `42`, `1.5`, `12.50`, `'it''s'`, `X'0AFF'`,
  /// `DATE '2024-01-31'`, `TIMESTAMP '2024-01-31 12:00:00.000000+00:00'` (UTC) or
  /// `TIMESTAMP_NTZ '2024-01-31 12:00:00.000000'`.
  public var description: String {
    switch self {
    case .null: return "NULL"
    case .boolean(let value): return value ? "TRUE" : "FALSE"
    case .int64(let value): return String(value)
    case .float64(let value):
      return value.isFinite ? render() : "CAST('\(render())' AS DOUBLE)"
    case .decimal: return render()
    case .string(let value):
      var quoted = "'"
      for character in value.unicodeScalars {
        if character == "'" { quoted += "''" } else { quoted.unicodeScalars.append(character) }
      }
      return quoted + "'"
    case .binary(let bytes):
      let hex = Array("0123456789ABCDEF".utf8)
      var out = Array("X'".utf8)
      for byte in bytes {
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 15)])
      }
      out.append(UInt8(ascii: "'"))
      return String(decoding: out, as: UTF8.self)
    case .date: return "DATE '\(render())'"
    case .timestamp(let micros, let utc):
      let text = ScalarValue.timestampText(micros, separator: " ")
      return utc ? "TIMESTAMP '\(text)+00:00'" : "TIMESTAMP_NTZ '\(text)'"
    }
  }
}
