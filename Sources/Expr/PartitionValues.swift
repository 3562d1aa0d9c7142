public import Columnar

/// The partition values of a file (or a whole partition) as statistics: every row has the
/// partition's value, so min and max are that value and they are exact.
///
/// A partition column whose value is null has `nullCount == rowCount`. Without a known row count
/// the unit stands for a single row holding the values, which decides every predicate on
/// partition columns exactly. Columns that are not partition columns are unknown, so a predicate
/// on them never prunes; restrict it first with ``Predicate/restricted(to:)``.
public struct PartitionValues: StatisticsSource, Sendable, Hashable {
  /// The value of each partition column, by name; `.null` for a null partition value.
  public var values: [String: ScalarValue]
  /// The number of rows, when known.
  public var knownRowCount: Int64?

  public init(_ values: [String: ScalarValue], rowCount: Int64? = nil) {
    self.values = values
    self.knownRowCount = rowCount
  }

  /// Reads Delta `partitionValues` (JSON `null` or `""` is null) with the type of each column.
  /// A column missing from `types` is read as a string.
  public init(
    parsing partitionValues: [String: String?], types: [String: DataType], rowCount: Int64? = nil
  ) throws(ExprError) {
    var values: [String: ScalarValue] = [:]
    values.reserveCapacity(partitionValues.count)
    for (name, text) in partitionValues {
      do {
        values[name] = try ScalarValue.parsePartitionValue(text, as: types[name] ?? .string)
      } catch {
        throw ExprError(error.code, "partition column '\(name)': \(error.message)")
      }
    }
    self.init(values, rowCount: rowCount)
  }

  private func value(_ column: ColumnPath) -> ScalarValue? {
    guard column.count == 1 else { return nil }
    return values[column[0]]
  }

  public func minValue(_ column: ColumnPath) -> ScalarValue? {
    guard let value = value(column), !value.isNull else { return nil }
    return value
  }

  public func maxValue(_ column: ColumnPath) -> ScalarValue? { minValue(column) }

  public func nullCount(_ column: ColumnPath) -> Int64? {
    guard let value = value(column) else { return nil }
    return value.isNull ? rowCount : 0
  }

  /// The known row count, or 1: the partition as a single representative row.
  public var rowCount: Int64? { knownRowCount ?? 1 }

  public func isMaxExact(_ column: ColumnPath) -> Bool { true }

  public func hasExactBounds(_ column: ColumnPath) -> Bool { value(column) != nil }
}
