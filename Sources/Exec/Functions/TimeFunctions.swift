import Columnar
import Expr

/// A unit of `date_part`, `date_diff` and the one-unit functions (`minute(ts)`, ...), with
/// DuckDB's spellings ('years', 'yr', 'dow', 'doy', ...).
enum DatePartUnit: String, Sendable, CaseIterable {
  case year, quarter, month, week, day, dayOfWeek, isoDayOfWeek, dayOfYear, isoYear
  case hour, minute, second, millisecond, microsecond, epoch, decade, century, millennium

  init?(parsing text: String) {
    switch text.lowercased() {
    case "year", "years", "y", "yr", "yrs": self = .year
    case "quarter", "quarters": self = .quarter
    case "month", "months", "mon", "mons": self = .month
    case "week", "weeks", "w", "weekofyear": self = .week
    case "day", "days", "d", "dayofmonth": self = .day
    case "dayofweek", "dow", "weekday": self = .dayOfWeek
    case "isodow": self = .isoDayOfWeek
    case "dayofyear", "doy": self = .dayOfYear
    case "isoyear": self = .isoYear
    case "hour", "hours", "h", "hr", "hrs": self = .hour
    case "minute", "minutes", "m", "min", "mins": self = .minute
    case "second", "seconds", "s", "sec", "secs": self = .second
    case "millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds": self = .millisecond
    case "microsecond", "microseconds", "us", "usec", "usecs", "usecond", "useconds": self = .microsecond
    case "epoch": self = .epoch
    case "decade", "decades", "dec", "decs": self = .decade
    case "century", "centuries", "cent", "c": self = .century
    case "millennium", "millennia", "millenium", "mil", "mils": self = .millennium
    default: return nil
    }
  }

  static let spellings =
    "year, quarter, month, week, day, dayofweek (dow), isodow, dayofyear (doy), isoyear, hour, minute, second, millisecond, microsecond, epoch, decade, century, millennium"

  /// The unit's value for an instant, `epoch` excluded (it is fractional).
  @inline(__always) func value(micros: Int64, days: Int64, civil: (year: Int64, month: Int, day: Int)) -> Int64 {
    let time = micros &- days &* CivilTime.microsPerDay
    switch self {
    case .year: return civil.year
    case .quarter: return Int64((civil.month - 1) / 3 + 1)
    case .month: return Int64(civil.month)
    case .day: return Int64(civil.day)
    case .week: return Int64(CivilTime.isoWeek(days).week)
    case .isoYear: return CivilTime.isoWeek(days).year
    case .dayOfWeek: return Int64(CivilTime.weekday(days))
    case .isoDayOfWeek: return Int64(CivilTime.isoWeekday(days))
    case .dayOfYear: return Int64(CivilTime.dayOfYear(days, year: civil.year))
    case .hour: return time / CivilTime.microsPerHour
    case .minute: return time / CivilTime.microsPerMinute % 60
    case .second: return time / CivilTime.microsPerSecond % 60
    // DuckDB: sub-minute milliseconds and microseconds, seconds included.
    case .millisecond: return time % CivilTime.microsPerMinute / 1000
    case .microsecond: return time % CivilTime.microsPerMinute
    case .decade: return civil.year / 10
    case .century: return civil.year > 0 ? (civil.year - 1) / 100 + 1 : civil.year / 100 - 1
    case .millennium: return civil.year > 0 ? (civil.year - 1) / 1000 + 1 : civil.year / 1000 - 1
    case .epoch: return CalendarFormatting.floorDiv(micros, CivilTime.microsPerSecond)
    }
  }

  /// True when the unit needs the calendar date, not only the time of day.
  var needsCivil: Bool {
    switch self {
    case .year, .quarter, .month, .day, .dayOfYear, .decade, .century, .millennium: true
    default: false
    }
  }
}

extension Kernels {
  /// A date or timestamp argument as microseconds since the epoch (an all-NULL one as zeros).
  static func micros(_ v: ColumnVector, _ function: String) throws(ExecError) -> [Int64] {
    if isAllNull(v) { return [Int64](repeating: 0, count: v.count) }
    switch v.type {
    case .date, .timestamp:
      if let values = temporalValues(v, asMicros: true) { return values }
    default: break
    }
    throw ExecError(.typeMismatch, "\(function) needs a date or timestamp, not \(FunctionCall.typeName(v.type))")
  }
}

/// `date_part(unit, ts)` and the one-unit functions (`minute(ts)`, `quarter(ts)`, ...): `int64`,
/// except `epoch`, which is `float64` seconds with the fraction.
struct DatePartKernel: ScalarFunctionKernel {
  let name: String
  let unit: DatePartUnit

  var resultType: DataType { unit == .epoch ? .float64 : .int64 }

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[arguments.count - 1]
    let validity = Kernels.validRows(arguments)
    if Kernels.isAllNull(input) { return .nulls(resultType, count: n) }
    let micros = try Kernels.micros(input, name)
    if unit == .epoch {
      let seconds = micros.map { Double($0) / 1_000_000 }
      return ColumnVector(type: .float64, count: n, validity: validity, storage: .float64(seconds))
    }
    var out = [Int64](repeating: 0, count: n)
    var lastDay = Int64.min
    var civil: (year: Int64, month: Int, day: Int) = (1970, 1, 1)
    let needsCivil = unit.needsCivil
    for i in 0..<n {
      let days = CivilTime.day(ofMicros: micros[i])
      if needsCivil, days != lastDay {
        civil = CalendarFormatting.civil(fromDays: days)
        lastDay = days
      }
      out[i] = unit.value(micros: micros[i], days: days, civil: civil)
    }
    return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(out))
  }
}

/// `date_trunc` to milliseconds or microseconds (the coarser units are ``ScalarFunction/dateTrunc(_:)``).
struct SubsecondTruncKernel: ScalarFunctionKernel {
  let name = "date_trunc"
  /// Microseconds per unit: 1000 or 1.
  let step: Int64
  let resultType: DataType

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[arguments.count - 1]
    if Kernels.isAllNull(input) { return .nulls(resultType, count: n) }
    if resultType == .date { return input }
    let micros = try Kernels.micros(input, name)
    let step = self.step
    let out = step == 1 ? micros : micros.map { CalendarFormatting.floorDiv($0, step) * step }
    return ColumnVector(type: resultType, count: n, validity: input.effectiveValidity, storage: .int64(out))
  }
}

/// `date_diff(unit, start, end)`: the number of unit boundaries crossed from `start` to `end`,
/// exactly as DuckDB counts them (calendar fields for year … day, truncated epoch counts for
/// week and the time units).
struct DateDiffKernel: ScalarFunctionKernel {
  let name: String
  let unit: DatePartUnit

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    if arguments.contains(where: Kernels.isAllNull) { return .nulls(.int64, count: n) }
    let start = try Kernels.micros(arguments[1], name)
    let end = try Kernels.micros(arguments[2], name)
    let validity = Kernels.validRows(Array(arguments[1...]))
    var out = [Int64](repeating: 0, count: n)
    for i in 0..<n where validity?[i] ?? true {
      out[i] = try difference(start[i], end[i])
    }
    return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(out))
  }

  private func difference(_ a: Int64, _ b: Int64) throws(ExecError) -> Int64 {
    let dayA = CivilTime.day(ofMicros: a)
    let dayB = CivilTime.day(ofMicros: b)
    func months(_ days: Int64) -> Int64 {
      let civil = CalendarFormatting.civil(fromDays: days)
      return civil.year * 12 + Int64(civil.month) - 1
    }
    func year(_ days: Int64) -> Int64 { CalendarFormatting.civil(fromDays: days).year }
    switch unit {
    case .year, .isoYear: return year(dayB) - year(dayA)
    case .quarter: return months(dayB) / 3 - months(dayA) / 3
    case .month: return months(dayB) - months(dayA)
    case .decade: return year(dayB) / 10 - year(dayA) / 10
    case .century: return year(dayB) / 100 - year(dayA) / 100
    case .millennium: return year(dayB) / 1000 - year(dayA) / 1000
    case .day, .dayOfWeek, .isoDayOfWeek, .dayOfYear: return dayB - dayA
    case .week: return dayB / 7 - dayA / 7
    case .hour: return b / CivilTime.microsPerHour - a / CivilTime.microsPerHour
    case .minute: return b / CivilTime.microsPerMinute - a / CivilTime.microsPerMinute
    case .second, .epoch: return b / CivilTime.microsPerSecond - a / CivilTime.microsPerSecond
    case .millisecond: return b / 1000 - a / 1000
    case .microsecond:
      let (d, overflow) = b.subtractingReportingOverflow(a)
      if overflow { throw ExecError(.overflow, "date_diff in microseconds overflows int64") }
      return d
    }
  }
}

/// `strftime(ts, format)` (or `strftime(format, ts)`): the timestamp or date as text.
struct StrftimeKernel: ScalarFunctionKernel {
  let name = "strftime"
  let format: TimeFormat
  /// Which argument holds the timestamp.
  let valueIndex: Int

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[valueIndex]
    if arguments.contains(where: Kernels.isAllNull) { return .nulls(.string, count: n) }
    let micros = try Kernels.micros(input, name)
    var utc = false
    if case .timestamp(_, let u) = input.type { utc = u }
    let validity = Kernels.validRows(arguments)
    var builder = StringBuilder(rows: n, validity: validity, byteCapacity: n * 24)
    for i in 0..<n {
      if validity?[i] ?? true { format.append(micros: micros[i], utc: utc, to: &builder.bytes) }
      builder.endRow()
    }
    return try builder.finish(function: name)
  }
}

/// `strptime(text, format)` / `try_strptime`: the timestamp (µs) the text spells. `strptime`
/// fails on text that does not match; `try_strptime` gives NULL.
struct StrptimeKernel: ScalarFunctionKernel {
  let name: String
  let format: TimeFormat
  let safe: Bool

  var resultType: DataType { .timestamp(.microsecond, utc: format.hasZone) }

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let (values, validity) = try Kernels.mapEachStringToValues(
      name, arguments[0], others: Array(arguments[1...]), rowCount: n, zero: Int64(0)
    ) {
      (_, text) throws(ExecError) -> Int64? in
      if let micros = format.parse(text) { return micros }
      if safe { return nil }
      throw ExecError(
        .invalidCast, "\(name) could not parse '\(String(decoding: text, as: UTF8.self))' with format '\(format.text)'")
    }
    return ColumnVector(type: resultType, count: n, validity: validity, storage: .int64(values))
  }
}

/// `epoch(ts)` (float64 seconds), `epoch_ms` / `epoch_us` / `epoch_ns(ts)` (int64 counts), and
/// `epoch_ms` / `epoch_us` / `epoch_ns(int)`, which turn a count back into a UTC timestamp.
struct EpochKernel: ScalarFunctionKernel {
  enum Scale: Sendable { case seconds, millis, micros, nanos }

  let name: String
  let scale: Scale
  /// The argument is a count to turn into a timestamp, not a timestamp.
  let fromCount: Bool

  var resultType: DataType {
    if fromCount { return .timestamp(scale == .nanos ? .nanosecond : .microsecond, utc: true) }
    return scale == .seconds ? .float64 : .int64
  }

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[0]
    if Kernels.isAllNull(input) { return .nulls(resultType, count: n) }
    let validity = input.effectiveValidity
    if fromCount {
      let counts = try Kernels.integers(input, name)
      var out = counts
      if scale == .millis {
        for i in 0..<n {
          let (micros, overflow) = counts[i].multipliedReportingOverflow(by: 1000)
          if overflow, validity?[i] ?? true {
            throw ExecError(.overflow, "\(name)(\(counts[i])) is out of the timestamp range")
          }
          out[i] = overflow ? 0 : micros
        }
      }
      return ColumnVector(type: resultType, count: n, validity: validity, storage: .int64(out))
    }
    if scale == .nanos, case .timestamp(.nanosecond, _) = input.type, case .int64(let raw) = input.storage {
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(raw))
    }
    let micros = try Kernels.micros(input, name)
    switch scale {
    case .seconds:
      return ColumnVector(
        type: .float64, count: n, validity: validity, storage: .float64(micros.map { Double($0) / 1_000_000 }))
    case .millis:
      return ColumnVector(
        type: .int64, count: n, validity: validity,
        storage: .int64(micros.map { CalendarFormatting.floorDiv($0, 1000) }))
    case .micros:
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(micros))
    case .nanos:
      var out = [Int64](repeating: 0, count: n)
      for i in 0..<n {
        let (nanos, overflow) = micros[i].multipliedReportingOverflow(by: 1000)
        if overflow, validity?[i] ?? true { throw ExecError(.overflow, "epoch_ns of \(micros[i]) µs overflows int64") }
        out[i] = overflow ? 0 : nanos
      }
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(out))
    }
  }
}

/// `to_timestamp(seconds)`: a UTC timestamp (µs) from seconds since the epoch, rounded to the
/// nearest microsecond. Non-finite or out-of-range seconds are an error.
struct ToTimestampKernel: ScalarFunctionKernel {
  let name = "to_timestamp"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let input = arguments[0]
    let type = DataType.timestamp(.microsecond, utc: true)
    if Kernels.isAllNull(input) { return .nulls(type, count: n) }
    guard let numbers = Kernels.numeric(input) else {
      throw ExecError(.typeMismatch, "to_timestamp needs a number of seconds, not \(FunctionCall.typeName(input.type))")
    }
    let validity = input.effectiveValidity
    var out = [Int64](repeating: 0, count: n)
    switch numbers {
    case .ints(let seconds):
      for i in 0..<n where validity?[i] ?? true {
        let (micros, overflow) = seconds[i].multipliedReportingOverflow(by: 1_000_000)
        if overflow { throw ExecError(.overflow, "to_timestamp(\(seconds[i])) is out of the timestamp range") }
        out[i] = micros
      }
    default:
      let seconds = Kernels.doubles(numbers)
      for i in 0..<n where validity?[i] ?? true {
        let micros = (seconds[i] * 1_000_000).rounded(.toNearestOrEven)
        guard micros.isFinite, micros >= -9.223372036854775e18, micros <= 9.223372036854775e18 else {
          throw ExecError(.overflow, "to_timestamp(\(seconds[i])) is out of the timestamp range")
        }
        out[i] = Int64(micros)
      }
    }
    return ColumnVector(type: type, count: n, validity: validity, storage: .int64(out))
  }
}

/// `make_date(year, month, day)`: the date; a date that does not exist is an error.
struct MakeDateKernel: ScalarFunctionKernel {
  let name = "make_date"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    if arguments.contains(where: Kernels.isAllNull) { return .nulls(.date, count: n) }
    let years = try Kernels.integers(arguments[0], name)
    let months = try Kernels.integers(arguments[1], name)
    let days = try Kernels.integers(arguments[2], name)
    let validity = Kernels.validRows(arguments)
    var out = [Int32](repeating: 0, count: n)
    for i in 0..<n where validity?[i] ?? true {
      guard let d = CivilTime.validDays(year: years[i], month: months[i], day: days[i]), let narrow = Int32(exactly: d)
      else {
        throw ExecError(.invalidCast, "make_date(\(years[i]), \(months[i]), \(days[i])) is not a valid date")
      }
      out[i] = narrow
    }
    return ColumnVector(type: .date, count: n, validity: validity, storage: .int32(out))
  }
}
