import Columnar

/// Calendar arithmetic on days and microseconds since 1970-01-01 (proleptic Gregorian, UTC),
/// for the date functions. Everything floors, so instants before 1970 land on the right day.
enum CivilTime {
  static let microsPerSecond: Int64 = 1_000_000
  static let microsPerMinute: Int64 = 60_000_000
  static let microsPerHour: Int64 = 3_600_000_000
  static let microsPerDay: Int64 = 86_400_000_000

  /// Days since 1970-01-01 of the instant.
  @inline(__always) static func day(ofMicros micros: Int64) -> Int64 {
    CalendarFormatting.floorDiv(micros, microsPerDay)
  }

  /// Microseconds since midnight.
  @inline(__always) static func timeOfDay(_ micros: Int64) -> Int64 {
    micros &- day(ofMicros: micros) &* microsPerDay
  }

  /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
  @inline(__always) static func weekday(_ days: Int64) -> Int {
    Int(((days + 4) % 7 + 7) % 7)
  }

  /// 1 = Monday … 7 = Sunday.
  @inline(__always) static func isoWeekday(_ days: Int64) -> Int {
    let w = weekday(days)
    return w == 0 ? 7 : w
  }

  /// 1-based day of the year.
  static func dayOfYear(_ days: Int64, year: Int64) -> Int {
    Int(days - CalendarFormatting.days(year: year, month: 1, day: 1)) + 1
  }

  /// The ISO 8601 week-numbering year and week (1...53) of a day.
  static func isoWeek(_ days: Int64) -> (year: Int64, week: Int) {
    // The week belongs to the year of its Thursday.
    let thursday = days - Int64(isoWeekday(days)) + 4
    let year = CalendarFormatting.civil(fromDays: thursday).year
    let week = Int((thursday - CalendarFormatting.days(year: year, month: 1, day: 1)) / 7) + 1
    return (year, week)
  }

  /// Days since 1970-01-01 of a valid civil date, nil when the date does not exist.
  static func validDays(year: Int64, month: Int64, day: Int64) -> Int64? {
    guard month >= 1, month <= 12, day >= 1, year > -5_000_000, year < 5_000_000 else { return nil }
    guard day <= Int64(CalendarFormatting.daysInMonth(year: year, month: Int(month))) else { return nil }
    return CalendarFormatting.days(year: year, month: Int(month), day: Int(day))
  }

  /// Appends `value` in decimal, left-padded with zeros to `width` digits (a minus sign first).
  static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let capacity = Swift.max(width, 20)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { digits in
      // Digits right to left, then the zero padding.
      var start = capacity
      repeat {
        start -= 1
        digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      } while magnitude != 0
      while capacity - start < width {
        start -= 1
        digits[start] = UInt8(ascii: "0")
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<capacity]))
    }
  }
}
