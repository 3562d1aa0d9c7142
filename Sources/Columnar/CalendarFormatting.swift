/// Text forms of dates, times and timestamps in the proleptic Gregorian calendar, for any year.
///
/// Years 0000–9999 print with four digits; others as a sign and at least five digits
/// (`+10000`, `-00001`), which is how ISO 8601 extends the range and how the conformance corpus
/// renders them.
public enum CalendarFormatting {
  /// (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's civil-from-days algorithm).
  public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = Int(doy - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Days since 1970-01-01 of a civil date (the inverse of ``civil(fromDays:)``).
  public static func days(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// `YYYY-MM-DD`.
  public static func appendDate(days: Int64, to out: inout [UInt8]) {
    let (year, month, day) = civil(fromDays: days)
    appendYear(year, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(Int64(month), width: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    appendPadded(Int64(day), width: 2, to: &out)
  }

  /// `HH:MM:SS.ffffff` (nine fraction digits for nanoseconds) of a count of `unit` since midnight.
  public static func appendTime(_ value: Int64, unit: TimeUnit, to out: inout [UInt8]) {
    let perSecond = unit.perSecond
    let seconds = floorDiv(value, perSecond)
    let fraction = value &- seconds &* perSecond  // wrapping: exact even next to Int64.min
    appendClock(secondsOfDay: seconds, to: &out)
    appendFraction(fraction, unit: unit, to: &out)
  }

  /// `YYYY-MM-DDTHH:MM:SS.ffffff` followed by `Z` when `utc`.
  public static func appendTimestamp(_ value: Int64, unit: TimeUnit, utc: Bool, to out: inout [UInt8]) {
    let perSecond = unit.perSecond
    let seconds = floorDiv(value, perSecond)
    let fraction = value &- seconds &* perSecond  // wrapping: exact even next to Int64.min
    let days = floorDiv(seconds, 86_400)
    appendDate(days: days, to: &out)
    out.append(UInt8(ascii: "T"))
    appendClock(secondsOfDay: seconds &- days &* 86_400, to: &out)
    appendFraction(fraction, unit: unit, to: &out)
    if utc { out.append(UInt8(ascii: "Z")) }
  }

  /// Whether `year` has a 29th of February.
  public static func isLeap(_ year: Int64) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  /// Days in `month` (1...12) of `year`.
  public static func daysInMonth(year: Int64, month: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// `YYYY-MM-DD HH:MM:SS[.f]` with the fraction's trailing zeros dropped, and `+00` when `utc`:
  /// DuckDB's text for timestamps (instants in UTC).
  public static func appendSQLTimestamp(_ value: Int64, unit: TimeUnit, utc: Bool, to out: inout [UInt8]) {
    let perSecond = unit.perSecond
    let seconds = floorDiv(value, perSecond)
    let fraction = value &- seconds &* perSecond
    let days = floorDiv(seconds, 86_400)
    appendDate(days: days, to: &out)
    out.append(UInt8(ascii: " "))
    appendClock(secondsOfDay: seconds &- days &* 86_400, to: &out)
    if fraction != 0 {
      appendFraction(fraction, unit: unit, to: &out)
      while out.last == UInt8(ascii: "0") { out.removeLast() }
    }
    if utc { out.append(contentsOf: "+00".utf8) }
  }

  /// Floor division, so that instants before 1970 land on the right day.
  @inlinable public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  private static func appendClock(secondsOfDay: Int64, to out: inout [UInt8]) {
    appendPadded(secondsOfDay / 3600, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendPadded(secondsOfDay / 60 % 60, width: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendPadded(secondsOfDay % 60, width: 2, to: &out)
  }

  private static func appendFraction(_ fraction: Int64, unit: TimeUnit, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "."))
    switch unit {
    case .millisecond: appendPadded(fraction * 1000, width: 6, to: &out)
    case .microsecond: appendPadded(fraction, width: 6, to: &out)
    case .nanosecond: appendPadded(fraction, width: 9, to: &out)
    }
  }

  private static func appendYear(_ year: Int64, to out: inout [UInt8]) {
    if year >= 0 && year <= 9999 {
      appendPadded(year, width: 4, to: &out)
    } else {
      out.append(UInt8(ascii: year < 0 ? "-" : "+"))
      appendPadded(year.magnitude, width: 5, to: &out)
    }
  }

  static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
    appendPadded(value.magnitude, width: width, to: &out)
  }

  /// Appends `value` in decimal, zero-padded to `width` digits, straight into `out` (no
  /// scratch array: this runs for every field of every timestamp printed).
  static func appendPadded(_ value: UInt64, width: Int, to out: inout [UInt8]) {
    var digits = 1
    var rest = value / 10
    while rest != 0 {
      digits += 1
      rest /= 10
    }
    let total = Swift.max(width, digits)
    let start = out.count
    out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: total))
    out.withUnsafeMutableBufferPointer { buffer in
      var remaining = value
      var position = start + total - 1
      repeat {
        buffer[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
        remaining /= 10
        position -= 1
      } while remaining != 0
    }
  }
}
