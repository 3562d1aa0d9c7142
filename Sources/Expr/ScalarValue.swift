import Columnar

/// A single typed value: a literal in a predicate, a statistics bound, a partition value.
///
/// Integers of every width are `int64`, floats `float64`; dates are days and timestamps are
/// microseconds since the epoch, as in Delta.
public enum ScalarValue: Sendable, Hashable {
  case null
  case boolean(Bool)
  case int64(Int64)
  case float64(Double)
  /// Unscaled value with its precision and scale.
  case decimal(Int128, precision: Int, scale: Int)
  case string(String)
  case binary([UInt8])
  /// Days since 1970-01-01.
  case date(Int32)
  /// Microseconds since 1970-01-01T00:00:00 (UTC when `utc`, wall clock otherwise).
  case timestamp(Int64, utc: Bool)

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }
}
