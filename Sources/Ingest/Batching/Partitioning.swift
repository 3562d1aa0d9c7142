public import Columnar

/// How event-time partition columns are derived from each record's own time.
public enum Partitioning: String, Sendable, CaseIterable {
  /// `year`, `month`, `day` (ints), as Hive-style directories `year=2024/month=1/day=5`.
  case yearMonthDay = "year/month/day"
  /// One `date` column.
  case date
  /// No partition columns.
  case none

  /// The partition columns a new table gets.
  public var columns: [String] {
    switch self {
    case .yearMonthDay: ["year", "month", "day"]
    case .date: ["date"]
    case .none: []
    }
  }

  /// Parses `year/month/day` (also `ymd`), `date` or `none`.
  public init?(argument: String) {
    switch argument.lowercased() {
    case "year/month/day", "year,month,day", "ymd", "day": self = .yearMonthDay
    case "date": self = .date
    case "none", "": self = .none
    default: return nil
    }
  }

  /// The event-time columns Avocet can compute, by name.
  static let computable: Set<String> = ["year", "month", "day", "hour", "date"]

  /// The column `name` computed from event times (microseconds since the epoch, UTC).
  static func column(_ name: String, times: [Int64]) -> (Field, ColumnVector)? {
    let days = times.map { CalendarFormatting.floorDiv($0, 86_400_000_000) }
    switch name {
    case "date":
      let values = days.map { Int32(truncatingIfNeeded: $0) }
      return (Field(name, .date), ColumnVector(type: .date, count: values.count, storage: .int32(values)))
    case "hour":
      let values = times.map { Int32(CalendarFormatting.floorDiv($0, 3_600_000_000) - CalendarFormatting.floorDiv($0, 86_400_000_000) * 24) }
      return (Field(name, .int32), ColumnVector(type: .int32, count: values.count, storage: .int32(values)))
    case "year", "month", "day":
      var values = [Int32](repeating: 0, count: days.count)
      var lastDay = Int64.min
      var civil = (year: Int64(0), month: 0, day: 0)
      for (row, day) in days.enumerated() {
        if day != lastDay {
          civil = CalendarFormatting.civil(fromDays: day)
          lastDay = day
        }
        values[row] = Int32(name == "year" ? Int(civil.year) : name == "month" ? civil.month : civil.day)
      }
      return (Field(name, .int32), ColumnVector(type: .int32, count: values.count, storage: .int32(values)))
    default:
      return nil
    }
  }
}
