/// What is known about the values of each column over one unit of data: a file (Delta
/// statistics), a row group (Parquet statistics) or a partition (partition values).
///
/// Every member may answer "unknown" (`nil`); pruning then assumes the worst.
public protocol StatisticsSource {
  /// Lower bound of a column over the unit, if known. It may be lower than the true minimum
  /// (a truncated string prefix, a timestamp rounded down to milliseconds).
  func minValue(_ column: ColumnPath) -> ScalarValue?
  /// Upper bound of a column over the unit, if known; see ``isMaxExact(_:)`` and
  /// ``hasExactBounds(_:)`` for how far pruning trusts it.
  func maxValue(_ column: ColumnPath) -> ScalarValue?
  /// The number of null rows of a column, if known.
  func nullCount(_ column: ColumnPath) -> Int64?
  /// The number of rows of the unit, if known.
  var rowCount: Int64? { get }
  /// Whether the bound is exact; a truncated string max is an upper bound of its prefix only.
  /// Defaults to `true`.
  ///
  /// Pruning always treats a *string* max as possibly truncated (Delta writers truncate long
  /// strings), so this matters for binary columns, whose max is trusted as an upper bound unless
  /// this says otherwise.
  func isMaxExact(_ column: ColumnPath) -> Bool
  /// Whether `minValue` and `maxValue` are exactly the smallest and largest values, neither
  /// truncated nor rounded, so pruning may use them as they are: a string max is then not a
  /// possible prefix and a timestamp max is not widened to the end of its millisecond. True for
  /// partition values; defaults to `false`.
  func hasExactBounds(_ column: ColumnPath) -> Bool
}

extension StatisticsSource {
  public func isMaxExact(_ column: ColumnPath) -> Bool { true }
  public func hasExactBounds(_ column: ColumnPath) -> Bool { false }
}

/// Min/max pruning: deciding from statistics alone that no row of a unit can satisfy a predicate.
///
/// The semantics are SQL's: a predicate selects the rows where it is TRUE; NULL never satisfies a
/// comparison; floats compare as IEEE numbers (NaN satisfies only `!=`). Pruning is conservative:
/// whenever the statistics leave a doubt (missing, of a type that does not compare with the
/// literal, NaN), the unit might match. It allows for what real writers put in statistics:
///
/// - strings: the min may be a prefix of the true min; the max may be a prefix of the true max,
///   or a prefix followed by a tie-breaker character (Delta Spark appends U+FFFD in old versions,
///   U+007F or U+10FFFF in newer ones). A value above the max might still be in the unit when it
///   starts with the max stripped of any trailing tie-breakers.
/// - timestamps: Delta writers truncate statistics to milliseconds, so the max stands for any
///   instant up to 999 µs later; the min, rounded down, is a true lower bound.
/// - floats: writers leave NaN out of Parquet statistics and Spark writes NaN as a max; a NaN
///   bound is unknown, and predicates a hidden NaN row could satisfy (`!=`, `NOT (x < 5)`,
///   `NOT IN`) never prune float columns.
///
/// `NOT` is pushed down with De Morgan's laws and operator inversion, which is exact in
/// three-valued logic for non-NaN values: `NOT (x = 5)` is `x != 5`, which prunes only a unit
/// whose every non-null value is 5.
public enum Pruning {
  /// False only when no row of the unit can satisfy `predicate` (SQL semantics: NULL never
  /// satisfies a comparison).
  public static func mightMatch(_ predicate: Predicate, in stats: some StatisticsSource) -> Bool {
    if let rows = stats.rowCount, rows <= 0 { return false }
    return mightSatisfy(predicate, negated: false, stats)
  }

  /// Whether some row might make `predicate` (or, when `negated`, its negation) TRUE.
  static func mightSatisfy<Source: StatisticsSource>(
    _ predicate: Predicate, negated: Bool, _ stats: Source
  ) -> Bool {
    switch predicate {
    case .literal(let value):
      return value != negated
    case .and(let terms):
      if negated {
        // NOT (a AND b) = NOT a OR NOT b
        for term in terms where mightSatisfy(term, negated: true, stats) { return true }
        return false
      }
      for term in terms where !mightSatisfy(term, negated: false, stats) { return false }
      return true
    case .or(let terms):
      if negated {
        // NOT (a OR b) = NOT a AND NOT b
        for term in terms where !mightSatisfy(term, negated: true, stats) { return false }
        return true
      }
      for term in terms where mightSatisfy(term, negated: false, stats) { return true }
      return false
    case .not(let inner):
      return mightSatisfy(inner, negated: !negated, stats)
    case .isNull(let column, let isNotNull):
      if isNotNull == negated {
        guard let nulls = stats.nullCount(column) else { return true }
        return nulls > 0
      }
      guard let nulls = stats.nullCount(column), let rows = stats.rowCount else { return true }
      return nulls < rows
    case .comparison(let column, let op, let literal):
      return mightSatisfyComparison(column, op, literal, negated: negated, stats)
    case .inList(let column, let values, let isNotIn):
      return mightSatisfyInList(column, values, notIn: isNotIn != negated, stats)
    }
  }

  static func mightSatisfyComparison<Source: StatisticsSource>(
    _ column: ColumnPath, _ op: ComparisonOperator, _ literal: ScalarValue, negated: Bool, _ stats: Source
  ) -> Bool {
    // `x op NULL` is NULL for every row, and so is its negation.
    if literal.isNull { return false }
    let bounds = ColumnBounds(column, stats)
    if bounds.allNull { return false }
    if literal.isNaN { return true }
    // NaN rows satisfy `x != c` and the negation of every other comparison; statistics may not
    // show them, so a float column cannot be pruned for those.
    let nanSatisfies = negated ? op != .notEqual : op == .notEqual
    if nanSatisfies && bounds.isFloating { return true }
    switch negated ? op.negated : op {
    case .equal: return bounds.mightEqual(literal)
    case .notEqual: return !bounds.allEqual(literal)
    case .less: return bounds.mightBeBelow(literal, orEqual: false)
    case .lessOrEqual: return bounds.mightBeBelow(literal, orEqual: true)
    case .greater: return bounds.mightBeAbove(literal, orEqual: false)
    case .greaterOrEqual: return bounds.mightBeAbove(literal, orEqual: true)
    }
  }

  static func mightSatisfyInList<Source: StatisticsSource>(
    _ column: ColumnPath, _ values: [ScalarValue], notIn: Bool, _ stats: Source
  ) -> Bool {
    // `x IN ()` is FALSE and `x NOT IN ()` TRUE, for null `x` too.
    if values.isEmpty { return notIn }
    let bounds = ColumnBounds(column, stats)
    if bounds.allNull { return false }
    if notIn {
      // `x NOT IN (…, NULL)` is FALSE or NULL, never TRUE.
      for value in values where value.isNull { return false }
      if bounds.isFloating { return true }
      for value in values where bounds.allEqual(value) { return false }
      return true
    }
    for value in values where !value.isNull {
      if value.isNaN || bounds.mightEqual(value) { return true }
    }
    return false
  }
}

/// The bounds of one column over a unit, adjusted for how writers produce statistics.
struct ColumnBounds {
  /// A lower bound of the non-null values, nil when unknown.
  var min: ScalarValue?
  /// An upper bound of the non-null values (timestamps already widened), nil when unknown.
  var max: ScalarValue?
  /// When the max may be a truncated prefix: how many of its leading bytes every larger value
  /// of the unit must start with.
  var truncatedMaxPrefix: Int?
  /// Whether the column holds floats, whose NaN rows the bounds may not show.
  var isFloating = false
  /// Whether every row is null.
  var allNull = false

  /// Microseconds a millisecond-truncated timestamp max may hide.
  static let timestampTruncation: Int64 = 999

  init<Source: StatisticsSource>(_ column: ColumnPath, _ stats: Source) {
    if let nulls = stats.nullCount(column), let rows = stats.rowCount, nulls >= rows { allNull = true }
    var min = stats.minValue(column)
    var max = stats.maxValue(column)
    if case .float64 = min { isFloating = true }
    if case .float64 = max { isFloating = true }
    if let value = min, value.isNull || value.isNaN { min = nil }
    if let value = max, value.isNull || value.isNaN { max = nil }
    switch max {
    case .timestamp(let micros, let utc)? where !stats.hasExactBounds(column):
      let (widened, overflow) = micros.addingReportingOverflow(Self.timestampTruncation)
      max = .timestamp(overflow ? .max : widened, utc: utc)
    case .string(var text)? where !stats.hasExactBounds(column):
      truncatedMaxPrefix = text.withUTF8 { Self.lengthWithoutTieBreakers($0) }
    case .binary(let bytes)? where !stats.hasExactBounds(column) && !stats.isMaxExact(column):
      truncatedMaxPrefix = bytes.count
    default:
      break
    }
    self.min = min
    self.max = max
  }

  /// The byte length of `bytes` without trailing tie-breaker characters: U+007F, U+FFFD, U+FFFF
  /// and U+10FFFF, which writers append to a truncated max.
  static func lengthWithoutTieBreakers(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var end = bytes.count
    while end > 0 {
      if bytes[end - 1] == 0x7F {
        end -= 1
      } else if end >= 3, bytes[end - 3] == 0xEF, bytes[end - 2] == 0xBF,
        bytes[end - 1] == 0xBD || bytes[end - 1] == 0xBF
      {
        end -= 3
      } else if end >= 4, bytes[end - 4] == 0xF4, bytes[end - 3] == 0x8F, bytes[end - 2] == 0xBF,
        bytes[end - 1] == 0xBF
      {
        end -= 4
      } else {
        break
      }
    }
    return end
  }

  /// Whether some value might be below (or equal to) `literal`.
  func mightBeBelow(_ literal: ScalarValue, orEqual: Bool) -> Bool {
    guard let min, let order = ScalarValue.compare(min, literal) else { return true }
    return order < 0 || (orEqual && order == 0)
  }

  /// Whether some value might be above (or equal to) `literal`.
  func mightBeAbove(_ literal: ScalarValue, orEqual: Bool) -> Bool {
    guard let max, let order = ScalarValue.compare(max, literal) else { return true }
    if order > 0 || (orEqual && order == 0) { return true }
    // A truncated max: values that start with its prefix may lie above it.
    if let prefixLength = truncatedMaxPrefix { return Self.startsWith(literal, max, prefixLength) }
    return false
  }

  func mightEqual(_ literal: ScalarValue) -> Bool {
    mightBeBelow(literal, orEqual: true) && mightBeAbove(literal, orEqual: true)
  }

  /// Whether every non-null value certainly equals `literal`.
  func allEqual(_ literal: ScalarValue) -> Bool {
    guard truncatedMaxPrefix == nil, let min, let max else { return false }
    return ScalarValue.compare(min, literal) == 0 && ScalarValue.compare(max, literal) == 0
  }

  /// Whether the bytes of `value` start with the first `length` bytes of `bound`
  /// (true when either is not a string or binary: no pruning on doubt).
  static func startsWith(_ value: ScalarValue, _ bound: ScalarValue, _ length: Int) -> Bool {
    withBytes(of: bound) { prefix in
      withBytes(of: value) { bytes in
        guard let prefix, let bytes else { return true }
        guard bytes.count >= length, prefix.count >= length else { return false }
        for index in 0..<length where bytes[index] != prefix[index] { return false }
        return true
      }
    }
  }

  private static func withBytes<Result>(
    of value: ScalarValue, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
  ) -> Result {
    switch value {
    case .string(var text): return text.withUTF8 { body($0) }
    case .binary(let bytes): return bytes.withUnsafeBufferPointer { body($0) }
    default: return body(nil)
    }
  }
}

extension ComparisonOperator {
  /// The operator of the negated comparison: `NOT (a < b)` is `a >= b` for non-null, non-NaN
  /// operands.
  public var negated: ComparisonOperator {
    switch self {
    case .equal: .notEqual
    case .notEqual: .equal
    case .less: .greaterOrEqual
    case .lessOrEqual: .greater
    case .greater: .lessOrEqual
    case .greaterOrEqual: .less
    }
  }

  /// The operator with its operands swapped: `a < b` is `b > a`.
  public var flipped: ComparisonOperator {
    switch self {
    case .equal: .equal
    case .notEqual: .notEqual
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    }
  }
}
