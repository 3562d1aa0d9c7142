import Columnar

/// A compiled `strftime` / `strptime` format (DuckDB's specifiers, which follow C's):
///
/// | specifier | meaning |
/// |---|---|
/// | `%Y` `%y` | year; two-digit year (parsing: 69–99 → 19xx, 00–68 → 20xx) |
/// | `%m` `%d` `%j` | month, day of month, day of year (zero-padded) |
/// | `%H` `%I` `%p` | hour 00–23; hour 01–12; AM/PM |
/// | `%M` `%S` | minute, second |
/// | `%f` `%g` `%n` | microseconds (6 digits), milliseconds (3), nanoseconds (9) |
/// | `%b` `%B` `%a` `%A` | abbreviated / full month and weekday names (English) |
/// | `%w` `%u` | weekday 0–6 from Sunday; ISO weekday 1–7 from Monday |
/// | `%V` `%G` | ISO week number and ISO year (formatting only) |
/// | `%Z` `%z` | zone name (`UTC` for UTC timestamps, else empty); offset (`+00`) |
/// | `%c` `%x` `%X` | `%Y-%m-%d %H:%M:%S`, `%Y-%m-%d`, `%H:%M:%S` |
/// | `%%` | a percent sign |
///
/// `%-d` (and `-` before any numeric specifier) drops the padding. Parsing accepts numbers with
/// fewer digits than the padded width, month and weekday names in any case, and matches a space
/// in the format with any run of whitespace.
struct TimeFormat: Sendable {
  enum Field: Sendable, Equatable {
    case year, year2, month, day, dayOfYear, hour24, hour12, minute, second
    case micros, millis, nanos
    case monthName(full: Bool), weekdayName(full: Bool), weekday, isoWeekday, isoWeek, isoYear
    case amPm, zoneName, zoneOffset
  }

  enum Token: Sendable, Equatable {
    case literal([UInt8])
    case whitespace
    case field(Field, padded: Bool)
  }

  let text: String
  let tokens: [Token]

  /// True when the format reads or writes a zone (`%z`, `%Z`): `strptime` then gives UTC.
  var hasZone: Bool {
    tokens.contains {
      if case .field(.zoneOffset, _) = $0 { true } else if case .field(.zoneName, _) = $0 { true } else { false }
    }
  }

  init(_ format: String, function: String) throws(ExecError) {
    text = format
    var tokens: [Token] = []
    var literal: [UInt8] = []
    func flush() {
      if !literal.isEmpty { tokens.append(.literal(literal)) }
      literal = []
    }
    let bytes = Array(format.utf8)
    var i = 0
    while i < bytes.count {
      let byte = bytes[i]
      guard byte == UInt8(ascii: "%") else {
        if byte == UInt8(ascii: " ") {
          flush()
          tokens.append(.whitespace)
        } else {
          literal.append(byte)
        }
        i += 1
        continue
      }
      i += 1
      var padded = true
      if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
        padded = false
        i += 1
      }
      guard i < bytes.count else {
        throw ExecError(.invalidPattern, "\(function) format '\(format)' ends with a lone '%'")
      }
      let specifier = bytes[i]
      i += 1
      let field: Field
      switch specifier {
      case UInt8(ascii: "%"):
        literal.append(specifier)
        continue
      case UInt8(ascii: "c"), UInt8(ascii: "x"), UInt8(ascii: "X"):
        flush()
        let date: [Token] = [
          .field(.year, padded: true), .literal([45]), .field(.month, padded: true), .literal([45]),
          .field(.day, padded: true),
        ]
        let time: [Token] = [
          .field(.hour24, padded: true), .literal([58]), .field(.minute, padded: true), .literal([58]),
          .field(.second, padded: true),
        ]
        tokens +=
          specifier == UInt8(ascii: "c") ? date + [.whitespace] + time : (specifier == UInt8(ascii: "x") ? date : time)
        continue
      case UInt8(ascii: "Y"): field = .year
      case UInt8(ascii: "y"): field = .year2
      case UInt8(ascii: "m"): field = .month
      case UInt8(ascii: "d"): field = .day
      case UInt8(ascii: "j"): field = .dayOfYear
      case UInt8(ascii: "H"): field = .hour24
      case UInt8(ascii: "I"): field = .hour12
      case UInt8(ascii: "M"): field = .minute
      case UInt8(ascii: "S"): field = .second
      case UInt8(ascii: "f"): field = .micros
      case UInt8(ascii: "g"): field = .millis
      case UInt8(ascii: "n"): field = .nanos
      case UInt8(ascii: "b"), UInt8(ascii: "h"): field = .monthName(full: false)
      case UInt8(ascii: "B"): field = .monthName(full: true)
      case UInt8(ascii: "a"): field = .weekdayName(full: false)
      case UInt8(ascii: "A"): field = .weekdayName(full: true)
      case UInt8(ascii: "w"): field = .weekday
      case UInt8(ascii: "u"): field = .isoWeekday
      case UInt8(ascii: "V"): field = .isoWeek
      case UInt8(ascii: "G"): field = .isoYear
      case UInt8(ascii: "p"): field = .amPm
      case UInt8(ascii: "Z"): field = .zoneName
      case UInt8(ascii: "z"): field = .zoneOffset
      default:
        throw ExecError(
          .invalidPattern,
          "\(function) format '\(format)' has an unknown specifier '%\(Character(Unicode.Scalar(specifier)))'")
      }
      flush()
      tokens.append(.field(field, padded: padded))
    }
    flush()
    self.tokens = tokens
  }

  static let monthNames: [[UInt8]] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ].map { Array($0.utf8) }
  static let weekdayNames: [[UInt8]] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    .map { Array($0.utf8) }

  // MARK: Formatting

  /// Appends the instant `micros` (UTC, or wall clock when not `utc`) formatted.
  func append(micros: Int64, utc: Bool, to out: inout [UInt8]) {
    let days = CivilTime.day(ofMicros: micros)
    let civil = CalendarFormatting.civil(fromDays: days)
    let time = micros &- days &* CivilTime.microsPerDay
    let hour = time / CivilTime.microsPerHour
    for token in tokens {
      switch token {
      case .literal(let bytes): out.append(contentsOf: bytes)
      case .whitespace: out.append(UInt8(ascii: " "))
      case .field(let field, let padded):
        func number(_ value: Int64, _ width: Int) { CivilTime.appendPadded(value, width: padded ? width : 1, to: &out) }
        switch field {
        case .year: number(civil.year, 4)
        case .year2: number(((civil.year % 100) + 100) % 100, 2)
        case .month: number(Int64(civil.month), 2)
        case .day: number(Int64(civil.day), 2)
        case .dayOfYear: number(Int64(CivilTime.dayOfYear(days, year: civil.year)), 3)
        case .hour24: number(hour, 2)
        case .hour12: number(hour % 12 == 0 ? 12 : hour % 12, 2)
        case .minute: number(time / CivilTime.microsPerMinute % 60, 2)
        case .second: number(time / CivilTime.microsPerSecond % 60, 2)
        case .micros: CivilTime.appendPadded(time % CivilTime.microsPerSecond, width: 6, to: &out)
        case .millis: CivilTime.appendPadded(time % CivilTime.microsPerSecond / 1000, width: 3, to: &out)
        case .nanos: CivilTime.appendPadded(time % CivilTime.microsPerSecond * 1000, width: 9, to: &out)
        case .monthName(let full):
          let name = Self.monthNames[civil.month - 1]
          out.append(contentsOf: full ? name[...] : name[0..<3])
        case .weekdayName(let full):
          let name = Self.weekdayNames[CivilTime.weekday(days)]
          out.append(contentsOf: full ? name[...] : name[0..<3])
        case .weekday: number(Int64(CivilTime.weekday(days)), 1)
        case .isoWeekday: number(Int64(CivilTime.isoWeekday(days)), 1)
        case .isoWeek: number(Int64(CivilTime.isoWeek(days).week), 2)
        case .isoYear: number(CivilTime.isoWeek(days).year, 4)
        case .amPm: out.append(contentsOf: hour < 12 ? [65, 77] : [80, 77])
        case .zoneName: if utc { out.append(contentsOf: [85, 84, 67]) }
        case .zoneOffset: out.append(contentsOf: [43, 48, 48])
        }
      }
    }
  }

  // MARK: Parsing

  /// The instant in microseconds that `text` spells in this format (converted to UTC when it
  /// has an offset), or nil when it does not match or names an impossible date or time.
  func parse(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
    var year: Int64 = 1900
    var month: Int64 = 1
    var day: Int64 = 1
    var dayOfYear: Int64? = nil
    var hour: Int64 = 0
    var hour12: Int64? = nil
    var pm: Bool? = nil
    var minute: Int64 = 0
    var second: Int64 = 0
    var fraction: Int64 = 0
    var offsetMinutes: Int64 = 0
    var at = 0

    func isSpace(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }
    /// 1 to `maxDigits` decimal digits.
    func digits(_ maxDigits: Int) -> (value: Int64, count: Int)? {
      var value: Int64 = 0
      var count = 0
      while count < maxDigits, at < text.count, text[at] >= 48, text[at] <= 57 {
        value = value * 10 + Int64(text[at] - 48)
        at += 1
        count += 1
      }
      return count == 0 ? nil : (value, count)
    }
    /// The index of the name (matched case-insensitively, full or its first three letters).
    func name(_ names: [[UInt8]]) -> Int? {
      for (index, full) in names.enumerated() {
        for length in [full.count, 3] where at + length <= text.count {
          var same = true
          for k in 0..<length where text[at + k] | 0x20 != full[k] | 0x20 {
            same = false
            break
          }
          if same {
            at += length
            return index
          }
        }
      }
      return nil
    }

    for token in tokens {
      switch token {
      case .literal(let bytes):
        guard at + bytes.count <= text.count else { return nil }
        for b in bytes {
          guard text[at] == b else { return nil }
          at += 1
        }
      case .whitespace:
        while at < text.count, isSpace(text[at]) { at += 1 }
      case .field(let field, _):
        switch field {
        case .year:
          var negative = false
          if at < text.count, text[at] == UInt8(ascii: "-") {
            negative = true
            at += 1
          }
          guard let (v, _) = digits(6) else { return nil }
          year = negative ? -v : v
        case .year2:
          guard let (v, _) = digits(2) else { return nil }
          year = v < 69 ? 2000 + v : 1900 + v
        case .month:
          guard let (v, _) = digits(2) else { return nil }
          month = v
        case .day:
          guard let (v, _) = digits(2) else { return nil }
          day = v
        case .dayOfYear:
          guard let (v, _) = digits(3), v >= 1 else { return nil }
          dayOfYear = v
        case .hour24:
          guard let (v, _) = digits(2) else { return nil }
          hour = v
        case .hour12:
          guard let (v, _) = digits(2), v >= 1, v <= 12 else { return nil }
          hour12 = v
        case .minute:
          guard let (v, _) = digits(2) else { return nil }
          minute = v
        case .second:
          guard let (v, _) = digits(2) else { return nil }
          second = v
        case .micros, .millis, .nanos:
          let width = field == .micros ? 6 : (field == .millis ? 3 : 9)
          guard let (v, count) = digits(width) else { return nil }
          var scaled = v
          for _ in count..<width { scaled *= 10 }
          fraction = field == .micros ? scaled : (field == .millis ? scaled * 1000 : scaled / 1000)
        case .monthName:
          guard let index = name(Self.monthNames) else { return nil }
          month = Int64(index + 1)
        case .weekdayName:
          guard name(Self.weekdayNames) != nil else { return nil }
        case .weekday, .isoWeekday:
          guard digits(1) != nil else { return nil }
        case .isoWeek, .isoYear:
          return nil
        case .amPm:
          guard at + 2 <= text.count, text[at + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
          switch text[at] | 0x20 {
          case UInt8(ascii: "a"): pm = false
          case UInt8(ascii: "p"): pm = true
          default: return nil
          }
          at += 2
        case .zoneName:
          var letters: [UInt8] = []
          while at < text.count, letters.count < 8, (text[at] | 0x20) >= 97, (text[at] | 0x20) <= 122 {
            letters.append(text[at] | 0x20)
            at += 1
          }
          guard letters == Array("utc".utf8) || letters == Array("gmt".utf8) || letters == [122] else { return nil }
        case .zoneOffset:
          guard at < text.count else { return nil }
          if text[at] | 0x20 == UInt8(ascii: "z") {
            at += 1
            offsetMinutes = 0
            continue
          }
          guard text[at] == UInt8(ascii: "+") || text[at] == UInt8(ascii: "-") else { return nil }
          let negative = text[at] == UInt8(ascii: "-")
          at += 1
          guard let (hh, hourDigits) = digits(2), hourDigits == 2, hh <= 23 else { return nil }
          var mm: Int64 = 0
          if at < text.count, text[at] == UInt8(ascii: ":") { at += 1 }
          if at < text.count, text[at] >= 48, text[at] <= 57 {
            guard let (m, minuteDigits) = digits(2), minuteDigits == 2, m <= 59 else { return nil }
            mm = m
          }
          offsetMinutes = (hh * 60 + mm) * (negative ? -1 : 1)
        }
      }
    }
    guard at == text.count else { return nil }
    if let hour12 {
      hour = hour12 % 12 + ((pm ?? false) ? 12 : 0)
    } else if let pm {
      // %p with a 24-hour clock: accept 1–12 only.
      guard hour >= 1, hour <= 12 else { return nil }
      hour = hour % 12 + (pm ? 12 : 0)
    }
    guard hour <= 23, minute <= 59, second <= 59 else { return nil }
    let days: Int64
    if let dayOfYear {
      guard dayOfYear <= (CalendarFormatting.isLeap(year) ? 366 : 365),
        let first = CivilTime.validDays(year: year, month: 1, day: 1)
      else { return nil }
      days = first + dayOfYear - 1
    } else {
      guard let d = CivilTime.validDays(year: year, month: month, day: day) else { return nil }
      days = d
    }
    let local =
      days * CivilTime.microsPerDay + hour * CivilTime.microsPerHour + minute * CivilTime.microsPerMinute
      + second * CivilTime.microsPerSecond + fraction
    return local - offsetMinutes * CivilTime.microsPerMinute
  }
}
