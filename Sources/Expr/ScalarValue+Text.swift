public import Columnar

extension ScalarValue {
  /// The value as text in Delta's partition-value serialization, which ``parse(_:as:)`` reads
  /// back to the same value:
  ///
  /// | value | text |
  /// |---|---|
  /// | null | the empty string (Delta's spelling of a null partition value) |
  /// | boolean | `true`, `false` |
  /// | int64, decimal | decimal digits (`-12`, `12.50`, exactly `scale` fraction digits) |
  /// | float64 | shortest round-trip form, `NaN`, `Infinity`, `-Infinity` |
  /// | string | as is |
  /// | binary | the bytes decoded as UTF-8 (invalid sequences become U+FFFD) |
  /// | date | `YYYY-MM-DD` |
  /// | timestamp (UTC) | `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as Spark writes partition values |
  /// | timestamp (no zone) | `YYYY-MM-DD HH:MM:SS.ffffff` |
  public func render() -> String {
    switch self {
    case .null: return ""
    case .boolean(let value): return value ? "true" : "false"
    case .int64(let value): return String(value)
    case .float64(let value): return ValueFormatting.floatText(value)
    case .decimal(let unscaled, _, let scale):
      var out: [UInt8] = []
      if scale >= 0 {
        ValueFormatting.appendDecimal(unscaled, scale: scale, to: &out)
      } else {
        // A negative scale multiplies by 10^-scale; written out in full.
        ValueFormatting.appendDecimal(unscaled, scale: 0, to: &out)
        if unscaled != 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale)) }
      }
      return String(decoding: out, as: UTF8.self)
    case .string(let value): return value
    case .binary(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .date(let days):
      var out: [UInt8] = []
      CalendarFormatting.appendDate(days: Int64(days), to: &out)
      return String(decoding: out, as: UTF8.self)
    case .timestamp(let micros, let utc):
      return utc
        ? ScalarValue.timestampText(micros, separator: "T") + "Z" : ScalarValue.timestampText(micros, separator: " ")
    }
  }

  /// `YYYY-MM-DD?HH:MM:SS.ffffff` with `separator` between date and time, for every `Int64`.
  static func timestampText(_ micros: Int64, separator: Character) -> String {
    // Quotient and remainder without overflow, even at the ends of Int64.
    var days = micros / microsPerDay
    var rest = micros % microsPerDay
    if rest < 0 {
      rest += microsPerDay
      days -= 1
    }
    var out: [UInt8] = []
    out.reserveCapacity(28)
    CalendarFormatting.appendDate(days: days, to: &out)
    out.append(separator.asciiValue ?? UInt8(ascii: "T"))
    let seconds = rest / 1_000_000
    appendDigits(seconds / 3600, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(seconds / 60 % 60, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(seconds % 60, width: 2, to: &out)
    out.append(UInt8(ascii: "."))
    appendDigits(rest % 1_000_000, width: 6, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// A non-negative number with leading zeros to `width` digits.
  private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 1..<width { divisor *= 10 }
    var rest = value
    while divisor > 0 {
      out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
      rest %= divisor
      divisor /= 10
    }
  }

  /// Reads a Delta partition value: `nil` (JSON null) and the empty string are null for every
  /// type, as the protocol says; anything else goes to ``parse(_:as:)``.
  public static func parsePartitionValue(_ text: String?, as type: DataType) throws(ExprError) -> ScalarValue {
    guard let text, !text.isEmpty else { return .null }
    return try parse(text, as: type)
  }

  /// Reads `text` as a value of `type`: a Delta partition value or a statistics value (the text of
  /// a JSON string or number).
  ///
  /// - Integers of every width become `int64` (range-checked for the width; an integral
  ///   `2021.0` is accepted); `uint64` values past `Int64.max` become `decimal(20, 0)`.
  /// - Floats accept decimal and exponent forms, `NaN`, `Infinity`, `-Infinity`. A `float32`
  ///   (or `float16`) value is rounded to that width first, so `46.566` stands for the same
  ///   number as the stored `Float`.
  /// - Decimals accept `-12.5`, `1.25E+3`; fewer fraction digits than the scale are padded,
  ///   extra fraction digits must be zeros, and the digits must fit the precision.
  /// - Dates are `YYYY-MM-DD` (years past 9999 with a sign, `+10000-01-01`).
  /// - Timestamps are `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][zone]`, zone being `Z`, `UTC`,
  ///   `±HH`, `±HHMM` or `±HH:MM`. A UTC timestamp without a zone is read as UTC (the writer's
  ///   zone is not recorded; delta-rs writes UTC without a zone); a wall-clock timestamp ignores
  ///   any zone. Fractions past microseconds are truncated. Times are read as `int64`
  ///   microseconds since midnight.
  /// - Strings are taken as is (the empty string is an empty string); binary and fixed-size
  ///   binary take the UTF-8 bytes; UUIDs are 32 hex digits with optional hyphens.
  /// - The empty string is null for every type but strings and binaries.
  public static func parse(_ text: String, as type: DataType) throws(ExprError) -> ScalarValue {
    switch type {
    case .string: return .string(text)
    case .binary, .fixedBinary: return .binary(Array(text.utf8))
    default: break
    }
    if text.isEmpty { return .null }
    var text = text
    let result: ScalarValue? = text.withUTF8 { bytes -> ScalarValue? in
      var parser = TextParser(bytes)
      return parser.value(as: type)
    }
    if let result { return result }
    throw failure(text, type)
  }

  /// The error for text that did not parse: out of range when it is well formed but too large.
  private static func failure(_ text: String, _ type: DataType) -> ExprError {
    var copy = text
    let code: ExprError.Code
    switch type {
    case .structure, .list, .map:
      return ExprError(.unsupportedType, "a \(typeName(type)) value has no scalar form")
    default:
      let wellFormed = copy.withUTF8 { bytes -> Bool in
        var parser = TextParser(bytes)
        return parser.isWellFormed(as: type)
      }
      code = wellFormed ? .outOfRange : .invalidValue
    }
    let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
    if code == .outOfRange { return ExprError(code, "'\(shown)' does not fit \(typeName(type))") }
    return ExprError(code, "'\(shown)' is not a valid \(typeName(type)) value")
  }

  static func typeName(_ type: DataType) -> String {
    switch type {
    case .decimal(let precision, let scale): return "decimal(\(precision),\(scale))"
    case .timestamp(_, let utc): return utc ? "timestamp" : "timestamp_ntz"
    case .time: return "time"
    case .fixedBinary(let width): return "fixed_binary(\(width))"
    case .structure: return "struct"
    case .list: return "array"
    case .map: return "map"
    default: return "\(type)"
    }
  }
}

/// A cursor over the UTF-8 bytes of one value; every function returns nil on malformed input.
struct TextParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  var atEnd: Bool { position >= bytes.count }
  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func consume(_ byte: UInt8) -> Bool {
    if current == byte {
      position += 1
      return true
    }
    return false
  }

  mutating func value(as type: DataType) -> ScalarValue? {
    switch type {
    case .null: return .null
    case .boolean: return boolean()
    case .int8: return integer(in: Int64(Int8.min)...Int64(Int8.max))
    case .int16: return integer(in: Int64(Int16.min)...Int64(Int16.max))
    case .int32: return integer(in: Int64(Int32.min)...Int64(Int32.max))
    case .int64: return integer(in: Int64.min...Int64.max)
    case .uint8: return integer(in: 0...Int64(UInt8.max))
    case .uint16: return integer(in: 0...Int64(UInt16.max))
    case .uint32: return integer(in: 0...Int64(UInt32.max))
    case .uint64:
      guard let number = decimalNumber(scale: 0), number >= 0, number <= Int128(UInt64.max) else { return nil }
      if number <= Int128(Int64.max) { return .int64(Int64(number)) }
      return .decimal(number, precision: 20, scale: 0)
    case .float16:
      guard let value = double() else { return nil }
      #if arch(arm64) || arch(x86_64)
        return .float64(Double(Float16(text: bytes) ?? Float16(value)))
      #else
        return .float64(value)
      #endif
    case .float32:
      guard let value = double() else { return nil }
      return .float64(Double(Float(text: bytes) ?? Float(value)))
    case .float64: return double().map { .float64($0) }
    case .decimal(let precision, let scale):
      guard let number = decimalNumber(scale: scale) else { return nil }
      if precision >= 1, precision <= 38, let limit = ScalarValue.powerOfTen(precision),
        number.magnitude >= limit.magnitude
      {
        return nil
      }
      return .decimal(number, precision: precision, scale: scale)
    case .string: return .string(String(decoding: bytes, as: UTF8.self))
    case .binary, .fixedBinary: return .binary(Array(bytes))
    case .uuid: return uuid()
    case .date:
      guard let days = date(), atEnd, let narrow = Int32(exactly: days) else { return nil }
      return .date(narrow)
    case .time:
      guard let micros = clock(), atEnd else { return nil }
      return .int64(micros)
    case .timestamp(_, let utc): return timestamp(utc: utc)
    case .structure, .list, .map: return nil
    }
  }

  /// Whether the text has the shape of a `type` value (used to tell "out of range" from "invalid").
  mutating func isWellFormed(as type: DataType) -> Bool {
    switch type {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .decimal:
      return decimalShape()
    case .date:
      position = 0
      return dateShape() && atEnd
    case .timestamp:
      position = 0
      guard dateShape() else { return false }
      return true
    default: return false
    }
  }

  // MARK: Booleans and numbers

  mutating func boolean() -> ScalarValue? {
    func equalsIgnoringCase(_ word: StaticString) -> Bool {
      guard bytes.count == word.utf8CodeUnitCount else { return false }
      let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
      for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
      return true
    }
    if equalsIgnoringCase("true") { return .boolean(true) }
    if equalsIgnoringCase("false") { return .boolean(false) }
    return nil
  }

  mutating func integer(in range: ClosedRange<Int64>) -> ScalarValue? {
    guard let number = decimalNumber(scale: 0), number >= Int128(range.lowerBound),
      number <= Int128(range.upperBound)
    else { return nil }
    return .int64(Int64(number))
  }

  mutating func double() -> Double? {
    guard !bytes.isEmpty, bytes.count < 400 else { return nil }
    // Reject forms Swift accepts but JSON and Delta writers never produce (hex floats, "nan(…)").
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"),
        UInt8(ascii: "e"), UInt8(ascii: "E"):
        continue
      default:
        return namedDouble()
      }
    }
    return Double(text: bytes)
  }

  /// `NaN`, `Infinity`, `-Infinity`, `+Infinity`, `inf` (any case).
  func namedDouble() -> Double? {
    var start = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
      negative = bytes[0] == UInt8(ascii: "-")
      start = 1
    }
    var word: [UInt8] = []
    for index in start..<bytes.count { word.append(bytes[index] | 0x20) }
    switch String(decoding: word, as: UTF8.self) {
    case "nan": return .nan
    case "inf", "infinity": return negative ? -.infinity : .infinity
    default: return nil
    }
  }

  /// A decimal number in plain or exponent form, as an unscaled value at `scale`.
  /// Nil when malformed, when non-zero digits would be lost, or when it overflows `Int128`.
  mutating func decimalNumber(scale: Int) -> Int128? {
    position = 0
    var negative = false
    if consume(UInt8(ascii: "-")) {
      negative = true
    } else {
      _ = consume(UInt8(ascii: "+"))
    }
    var significand: Int128 = 0
    var significantDigits = 0
    var digitCount = 0
    var fractionDigits = 0
    var droppedNonZero = false
    var seenPoint = false
    while let byte = current {
      if byte == UInt8(ascii: ".") {
        if seenPoint { return nil }
        seenPoint = true
        position += 1
        continue
      }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
      let digit = Int128(byte - UInt8(ascii: "0"))
      digitCount += 1
      if seenPoint { fractionDigits += 1 }
      if significantDigits < 38 {
        if significand != 0 || digit != 0 {
          significand = significand * 10 + digit
          significantDigits += 1
        }
      } else {
        // Past 38 significant digits only zeros may follow the point; before it they overflow.
        if !seenPoint { return nil }
        if digit != 0 { droppedNonZero = true }
        fractionDigits -= 1
      }
      position += 1
    }
    guard digitCount > 0 else { return nil }
    var exponent = 0
    if let byte = current, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      position += 1
      var exponentNegative = false
      if consume(UInt8(ascii: "-")) {
        exponentNegative = true
      } else {
        _ = consume(UInt8(ascii: "+"))
      }
      var exponentDigits = 0
      while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        if exponent < 100_000 { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
        exponentDigits += 1
        position += 1
      }
      guard exponentDigits > 0 else { return nil }
      if exponentNegative { exponent = -exponent }
    }
    guard atEnd, !droppedNonZero else { return nil }
    if significand == 0 { return 0 }
    let shift = exponent - fractionDigits + scale
    var unscaled = significand
    if shift > 0 {
      guard let scaled = ScalarValue.rescale(unscaled, by: shift) else { return nil }
      unscaled = scaled
    } else if shift < 0 {
      guard let divisor = ScalarValue.powerOfTen(-shift) else { return nil }
      guard unscaled % divisor == 0 else { return nil }
      unscaled /= divisor
    }
    return negative ? -unscaled : unscaled
  }

  /// Sign, digits, at most one point, an optional exponent: a number, whatever its size.
  mutating func decimalShape() -> Bool {
    position = 0
    if !consume(UInt8(ascii: "-")) { _ = consume(UInt8(ascii: "+")) }
    var digits = 0
    var points = 0
    while let byte = current {
      if byte == UInt8(ascii: ".") {
        points += 1
      } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        digits += 1
      } else {
        break
      }
      position += 1
    }
    guard digits > 0, points <= 1 else { return false }
    if let byte = current, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      position += 1
      if !consume(UInt8(ascii: "-")) { _ = consume(UInt8(ascii: "+")) }
      var exponentDigits = 0
      while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        exponentDigits += 1
        position += 1
      }
      guard exponentDigits > 0 else { return false }
    }
    return atEnd
  }

  // MARK: Dates and times

  /// Exactly `count` digits.
  mutating func digits(_ count: Int) -> Int64? {
    var value: Int64 = 0
    for _ in 0..<count {
      guard let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int64(byte - UInt8(ascii: "0"))
      position += 1
    }
    return value
  }

  /// `[+-]YYYY[Y…]-MM-DD` as days since 1970-01-01, calendar-checked.
  mutating func date() -> Int64? {
    var negative = false
    var signed = false
    if consume(UInt8(ascii: "-")) {
      negative = true
      signed = true
    } else if consume(UInt8(ascii: "+")) {
      signed = true
    }
    var year: Int64 = 0
    var yearDigits = 0
    while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
      guard yearDigits < 9 else { return nil }
      year = year * 10 + Int64(byte - UInt8(ascii: "0"))
      yearDigits += 1
      position += 1
    }
    guard yearDigits >= 4, signed || yearDigits == 4 else { return nil }
    if negative { year = -year }
    guard consume(UInt8(ascii: "-")), let month = digits(2), consume(UInt8(ascii: "-")), let day = digits(2) else {
      return nil
    }
    guard month >= 1, month <= 12, day >= 1, day <= Int64(CalendarFormatting.daysInMonth(year: year, month: Int(month))) else { return nil }
    return CalendarFormatting.days(year: year, month: Int(month), day: Int(day))
  }

  mutating func dateShape() -> Bool {
    if !consume(UInt8(ascii: "-")) { _ = consume(UInt8(ascii: "+")) }
    var yearDigits = 0
    while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
      yearDigits += 1
      position += 1
    }
    guard yearDigits >= 4, consume(UInt8(ascii: "-")), digits(2) != nil, consume(UInt8(ascii: "-")),
      digits(2) != nil
    else { return false }
    return true
  }

  /// `HH:MM[:SS[.fraction]]` as microseconds since midnight (fraction truncated to microseconds).
  mutating func clock() -> Int64? {
    guard let hours = digits(2), consume(UInt8(ascii: ":")), let minutes = digits(2) else { return nil }
    var seconds: Int64 = 0
    var micros: Int64 = 0
    if consume(UInt8(ascii: ":")) {
      guard let value = digits(2) else { return nil }
      seconds = value
      if consume(UInt8(ascii: ".")) {
        var fractionDigits = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
          if fractionDigits < 6 { micros = micros * 10 + Int64(byte - UInt8(ascii: "0")) }
          fractionDigits += 1
          position += 1
        }
        guard fractionDigits > 0 else { return nil }
        for _ in min(fractionDigits, 6)..<6 { micros *= 10 }
      }
    }
    // 24:00:00 is accepted as the end of the day; leap seconds are not.
    guard hours <= 24, minutes <= 59, seconds <= 59, hours < 24 || (minutes == 0 && seconds == 0 && micros == 0)
    else { return nil }
    return ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros
  }

  /// A zone suffix as an offset in seconds east of UTC; 0 when there is none.
  mutating func zoneOffset() -> Int64? {
    if atEnd { return 0 }
    _ = consume(UInt8(ascii: " "))
    if consume(UInt8(ascii: "Z")) || consume(UInt8(ascii: "z")) { return atEnd ? 0 : nil }
    if consume(UInt8(ascii: "U")) {
      return consume(UInt8(ascii: "T")) && consume(UInt8(ascii: "C")) && atEnd ? 0 : nil
    }
    let negative: Bool
    if consume(UInt8(ascii: "+")) {
      negative = false
    } else if consume(UInt8(ascii: "-")) {
      negative = true
    } else {
      return nil
    }
    guard let hours = digits(2), hours <= 18 else { return nil }
    var minutes: Int64 = 0
    var seconds: Int64 = 0
    if !atEnd {
      let colon = consume(UInt8(ascii: ":"))
      guard let value = digits(2), value <= 59 else { return nil }
      minutes = value
      if !atEnd {
        guard !colon || consume(UInt8(ascii: ":")), let value = digits(2), value <= 59 else { return nil }
        seconds = value
      }
    }
    guard atEnd else { return nil }
    let offset = hours * 3600 + minutes * 60 + seconds
    return negative ? -offset : offset
  }

  mutating func timestamp(utc: Bool) -> ScalarValue? {
    guard let days = date() else { return nil }
    var micros: Int64 = 0
    if consume(UInt8(ascii: "T")) || consume(UInt8(ascii: "t")) {
      guard let time = clock() else { return nil }
      micros = time
    } else if current == UInt8(ascii: " "), position + 3 < bytes.count, bytes[position + 3] == UInt8(ascii: ":") {
      position += 1
      guard let time = clock() else { return nil }
      micros = time
    }
    guard let offset = zoneOffset() else { return nil }
    let (dayMicros, overflow1) = days.multipliedReportingOverflow(by: ScalarValue.microsPerDay)
    let (local, overflow2) = dayMicros.addingReportingOverflow(micros)
    let (instant, overflow3) = local.subtractingReportingOverflow(utc ? offset * 1_000_000 : 0)
    guard !overflow1, !overflow2, !overflow3 else { return nil }
    return .timestamp(instant, utc: utc)
  }

  // MARK: UUIDs

  mutating func uuid() -> ScalarValue? {
    var out: [UInt8] = []
    out.reserveCapacity(16)
    var high: UInt8? = nil
    for byte in bytes {
      if byte == UInt8(ascii: "-") { continue }
      let nibble: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      if let first = high {
        out.append(first << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    guard high == nil, out.count == 16 else { return nil }
    return .binary(out)
  }
}

extension BinaryFloatingPoint where Self: LosslessStringConvertible {
  /// Parses ASCII digits through `String` (the standard library's correctly rounded parser).
  fileprivate init?(text bytes: UnsafeBufferPointer<UInt8>) {
    self.init(String(decoding: bytes, as: UTF8.self))
  }
}
