public import Columnar
public import Expr

/// Statistics of one data file (PROTOCOL.md "Per-file Statistics"), keyed by physical column path.
///
/// Bounds from a checkpoint's `stats_parsed` carry the types the checkpoint stored; bounds parsed
/// from the `stats` JSON are typed by the column types given to ``parse(json:columns:)``. Use
/// ``typed(columns:)`` to bring either to the table's column types.
public struct FileStatistics: Sendable {
  /// The number of rows physically in the file (deleted rows included).
  public var numRecords: Int64?
  /// False when bounds may be wider than the live rows (after a deletion vector was added).
  public var tightBounds: Bool
  public var minValues: [ColumnPath: ScalarValue]
  public var maxValues: [ColumnPath: ScalarValue]
  public var nullCounts: [ColumnPath: Int64]

  public init(
    numRecords: Int64? = nil, tightBounds: Bool = true, minValues: [ColumnPath: ScalarValue] = [:],
    maxValues: [ColumnPath: ScalarValue] = [:], nullCounts: [ColumnPath: Int64] = [:]
  ) {
    self.numRecords = numRecords
    self.tightBounds = tightBounds
    self.minValues = minValues
    self.maxValues = maxValues
    self.nullCounts = nullCounts
  }

  /// Parses an `add.stats` JSON text. Bounds of columns missing from `columns` (physical path →
  /// type), or that do not parse as their type, are left out; nil when the text is not JSON.
  public static func parse(json: String, columns: [ColumnPath: DataType]) -> FileStatistics? {
    guard let value = try? JSONParser.parse(json), let object = value.objectValue else { return nil }
    var stats = FileStatistics()
    stats.numRecords = object.present("numRecords")?.int64Value
    stats.tightBounds = object.present("tightBounds")?.boolValue ?? true
    if let minimum = object.present("minValues") {
      collectBounds(minimum, path: [], columns: columns, into: &stats.minValues)
    }
    if let maximum = object.present("maxValues") {
      collectBounds(maximum, path: [], columns: columns, into: &stats.maxValues)
    }
    if let nulls = object.present("nullCount") { collectCounts(nulls, path: [], into: &stats.nullCounts) }
    return stats
  }

  /// Only the record count of an `add.stats` JSON text (cheaper than a full parse).
  public static func numRecords(json: String) -> Int64? {
    ActionScanner.topLevelInteger(json, "numRecords")
  }

  private static func collectBounds(
    _ value: JSONValue, path: ColumnPath, columns: [ColumnPath: DataType], into bounds: inout [ColumnPath: ScalarValue]
  ) {
    if case .object(let object) = value {
      // A struct column's bounds nest; a leaf never has an object value.
      if !path.isEmpty, let type = columns[path], type.isPrimitive { return }
      for (key, child) in object.entries { collectBounds(child, path: path + [key], columns: columns, into: &bounds) }
      return
    }
    guard let type = columns[path], let typed = StatisticsValue.coerce(json: value, to: type) else { return }
    bounds[path] = typed
  }

  private static func collectCounts(_ value: JSONValue, path: ColumnPath, into counts: inout [ColumnPath: Int64]) {
    if case .object(let object) = value {
      for (key, child) in object.entries { collectCounts(child, path: path + [key], into: &counts) }
      return
    }
    if !path.isEmpty, let count = value.int64Value { counts[path] = count }
  }

  /// Statistics from a checkpoint's `stats_parsed` struct at `row`.
  init(parsed column: ColumnVector, row: Int) {
    self.init()
    numRecords = column.child("numRecords")?.int64(at: row)
    tightBounds = column.child("tightBounds")?.bool(at: row) ?? true
    if let minimum = column.child("minValues") { Self.collect(minimum, row: row, path: [], into: &minValues) }
    if let maximum = column.child("maxValues") { Self.collect(maximum, row: row, path: [], into: &maxValues) }
    if let nulls = column.child("nullCount") {
      var values: [ColumnPath: ScalarValue] = [:]
      Self.collect(nulls, row: row, path: [], into: &values)
      for (path, value) in values { if case .int64(let count) = value { nullCounts[path] = count } }
    }
  }

  private static func collect(
    _ column: ColumnVector, row: Int, path: ColumnPath, into values: inout [ColumnPath: ScalarValue]
  ) {
    if case .structure(let fields) = column.type, case .structure(let children) = column.storage {
      guard !column.isNull(row) else { return }
      for (field, child) in zip(fields, children) { collect(child, row: row, path: path + [field.name], into: &values) }
      return
    }
    guard !path.isEmpty, case let value = ScalarValue(from: column, row: row), !value.isNull else { return }
    values[path] = value
  }

  /// The statistics with bounds converted to `columns`' types (physical path → type); bounds that
  /// cannot be converted are dropped.
  public func typed(columns: [ColumnPath: DataType]) -> FileStatistics {
    var result = self
    result.minValues = [:]
    result.maxValues = [:]
    for (path, value) in minValues {
      if let type = columns[path], let typed = StatisticsValue.coerce(value, to: type) {
        result.minValues[path] = typed
      }
    }
    for (path, value) in maxValues {
      if let type = columns[path], let typed = StatisticsValue.coerce(value, to: type) {
        result.maxValues[path] = typed
      }
    }
    return result
  }
}

/// Conversions of statistics values to a column's type.
enum StatisticsValue {
  static func coerce(json: JSONValue, to type: DataType) -> ScalarValue? {
    switch json {
    case .null, .array, .object: return nil
    case .bool(let value): return type == .boolean ? .boolean(value) : nil
    case .number(let text), .string(let text):
      switch type {
      case .binary, .fixedBinary, .uuid, .structure, .list, .map, .null: return nil
      case .string: if case .number = json { return nil }
      default: break
      }
      guard let value = try? ScalarValue.parse(text, as: type), !value.isNull else { return nil }
      return value
    }
  }

  /// A bound from `stats_parsed` (typed as the checkpoint stored it) in the column's type.
  static func coerce(_ value: ScalarValue, to type: DataType) -> ScalarValue? {
    switch (value, type) {
    case (.null, _): return nil
    case (.boolean, .boolean): return value
    case (.int64, .int8), (.int64, .int16), (.int64, .int32), (.int64, .int64): return value
    case (.int64(let v), .float32), (.int64(let v), .float64): return .float64(Double(v))
    case (.float64, .float32), (.float64, .float64): return value
    case (.int64(let v), .decimal(let precision, let scale)):
      return rescaled(Int128(v), from: 0, to: scale).map { .decimal($0, precision: precision, scale: scale) }
    case (.decimal(let v, _, let fromScale), .decimal(let precision, let scale)):
      return rescaled(v, from: fromScale, to: scale).map { .decimal($0, precision: precision, scale: scale) }
    case (.string, .string): return value
    case (.string(let text), _):
      return coerce(json: .string(text), to: type)
    case (.date, .date): return value
    case (.date(let days), .timestamp(_, let utc)): return .timestamp(Int64(days) * 86_400_000_000, utc: utc)
    case (.timestamp(let micros, _), .timestamp(_, let utc)): return .timestamp(micros, utc: utc)
    default: return nil
    }
  }

  private static func rescaled(_ value: Int128, from: Int, to: Int) -> Int128? {
    guard from <= to else { return nil }
    var unscaled = value
    for _ in from..<to {
      let (product, overflow) = unscaled.multipliedReportingOverflow(by: 10)
      if overflow { return nil }
      unscaled = product
    }
    return unscaled
  }
}
