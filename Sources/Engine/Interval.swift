import Columnar
import Exec
import SQLParser

/// An `INTERVAL` literal: calendar months and a fixed number of microseconds.
struct Interval: Sendable, Hashable {
  var months: Int64
  var micros: Int64

  var negated: Interval { Interval(months: -months, micros: -micros) }

  /// Reads `'1 day 2 hours'`, `'-3 months'`, or the number of `INTERVAL 3 DAY`.
  static func parse(_ text: String, unit: IntervalUnit?) -> Interval? {
    if let unit {
      guard let n = Double(text.trimmingSpaces) else { return nil }
      return Interval(amount: n, unit: unit)
    }
    let words = text.split(separator: " ").map(String.init)
    guard !words.isEmpty, words.count % 2 == 0 else {
      // A bare '01:30:00' style is not supported; a lone number is not an interval.
      return nil
    }
    var total = Interval(months: 0, micros: 0)
    var index = 0
    while index < words.count {
      guard let n = Double(words[index]), let unit = IntervalUnit(word: words[index + 1]),
        let part = Interval(amount: n, unit: unit)
      else { return nil }
      total.months += part.months
      total.micros += part.micros
      index += 2
    }
    return total
  }

  init(months: Int64, micros: Int64) {
    self.months = months
    self.micros = micros
  }

  init?(amount n: Double, unit: IntervalUnit) {
    let perSecond = 1_000_000.0
    switch unit {
    case .year: self.init(months: Int64(n * 12), micros: 0)
    case .quarter: self.init(months: Int64(n * 3), micros: 0)
    case .month: self.init(months: Int64(n), micros: 0)
    case .week: self.init(months: 0, micros: Int64(n * 7 * 86_400 * perSecond))
    case .day: self.init(months: 0, micros: Int64(n * 86_400 * perSecond))
    case .hour: self.init(months: 0, micros: Int64(n * 3_600 * perSecond))
    case .minute: self.init(months: 0, micros: Int64(n * 60 * perSecond))
    case .second: self.init(months: 0, micros: Int64(n * perSecond))
    case .millisecond: self.init(months: 0, micros: Int64(n * 1_000))
    case .microsecond: self.init(months: 0, micros: Int64(n))
    }
  }
}

extension String {
  var trimmingSpaces: String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}

/// Adds an interval to microsecond timestamps; months move the calendar date and clamp the day
/// to the month's length (2024-01-31 + 1 month = 2024-02-29), as DuckDB does.
struct IntervalAddition: ScalarFunctionKernel {
  let interval: Interval
  let utc: Bool
  var name: String { "interval_add" }

  func evaluate(_ arguments: [ColumnVector], rowCount: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[0]
    let type = DataType.timestamp(.microsecond, utc: utc)
    guard case .int64(let values) = input.storage else {
      return ColumnVector.nulls(type, count: rowCount)
    }
    var out = [Int64](repeating: 0, count: values.count)
    let perDay: Int64 = 86_400_000_000
    for i in values.indices {
      var t = values[i]
      if interval.months != 0 {
        let day = CalendarFormatting.floorDiv(t, perDay)
        let within = t - day * perDay
        let civil = CalendarFormatting.civil(fromDays: day)
        let monthIndex = civil.year * 12 + Int64(civil.month - 1) + interval.months
        let year = CalendarFormatting.floorDiv(monthIndex, 12)
        let month = Int(monthIndex - year * 12) + 1
        let lastDay = CalendarFormatting.daysInMonth(year: year, month: month)
        t = CalendarFormatting.days(year: year, month: month, day: min(civil.day, lastDay)) * perDay + within
      }
      let (sum, overflow) = t.addingReportingOverflow(interval.micros)
      if overflow { throw ExecError(.overflow, "timestamp overflow adding an interval") }
      out[i] = sum
    }
    return ColumnVector(type: type, count: values.count, validity: input.validity, storage: .int64(out))
  }
}

