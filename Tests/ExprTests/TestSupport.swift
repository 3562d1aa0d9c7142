import Expr

/// Statistics given directly: per-column min, max and null count by top-level name.
struct TestStats: StatisticsSource {
  var mins: [String: ScalarValue] = [:]
  var maxes: [String: ScalarValue] = [:]
  var nulls: [String: Int64] = [:]
  var rows: Int64?
  var inexactMax: Set<String> = []

  init(
    rows: Int64? = nil, min: [String: ScalarValue] = [:], max: [String: ScalarValue] = [:],
    nulls: [String: Int64] = [:], inexactMax: Set<String> = []
  ) {
    self.rows = rows
    self.mins = min
    self.maxes = max
    self.nulls = nulls
    self.inexactMax = inexactMax
  }

  func minValue(_ column: ColumnPath) -> ScalarValue? { mins[column.joined(separator: ".")] }
  func maxValue(_ column: ColumnPath) -> ScalarValue? { maxes[column.joined(separator: ".")] }
  func nullCount(_ column: ColumnPath) -> Int64? { nulls[column.joined(separator: ".")] }
  var rowCount: Int64? { rows }
  func isMaxExact(_ column: ColumnPath) -> Bool { !inexactMax.contains(column.joined(separator: ".")) }
}

/// A small, fast, seedable generator (SplitMix64), so property tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// MARK: Shorthands

func col(_ name: String) -> ColumnPath { name.split(separator: ".").map(String.init) }
func cmp(_ name: String, _ op: ComparisonOperator, _ value: ScalarValue) -> Predicate {
  .comparison(col(name), op, value)
}
func int(_ value: Int64) -> ScalarValue { .int64(value) }
func dbl(_ value: Double) -> ScalarValue { .float64(value) }
func str(_ value: String) -> ScalarValue { .string(value) }
func dec(_ unscaled: Int128, _ scale: Int, precision: Int = 38) -> ScalarValue {
  .decimal(unscaled, precision: precision, scale: scale)
}
func ts(_ micros: Int64, utc: Bool = true) -> ScalarValue { .timestamp(micros, utc: utc) }

// MARK: A row-by-row SQL oracle, independent of ScalarValue.compare

/// SQL three-valued truth.
enum Truth: Equatable {
  case yes, no, unknown

  static func not(_ value: Truth) -> Truth {
    switch value {
    case .yes: .no
    case .no: .yes
    case .unknown: .unknown
    }
  }
}

typealias Row = [String: ScalarValue]

enum Oracle {
  enum Order { case less, equal, greater, unordered, incomparable }

  static func order<T: Comparable>(_ a: T, _ b: T) -> Order { a < b ? .less : (a > b ? .greater : .equal) }

  static func order(_ a: Double, _ b: Double) -> Order {
    if a.isNaN || b.isNaN { return .unordered }
    return a < b ? .less : (a > b ? .greater : .equal)
  }

  /// Ordering as the engine is expected to evaluate it: exact numbers, IEEE floats, UTF-8 bytes,
  /// dates as midnights.
  static func compare(_ a: ScalarValue, _ b: ScalarValue) -> Order {
    switch (a, b) {
    case (.int64(let x), .int64(let y)): return order(x, y)
    case (.int64(let x), .float64(let y)): return order(Double(x), y)
    case (.float64(let x), .int64(let y)): return order(x, Double(y))
    case (.float64(let x), .float64(let y)): return order(x, y)
    case (.int64(let x), .decimal(let u, _, let s)):
      var scaled = Int128(x)
      for _ in 0..<s { scaled *= 10 }
      return order(scaled, u)
    case (.float64(let x), .decimal(let u, _, let s)):
      var scaled = x
      for _ in 0..<s { scaled *= 10 }
      return order(scaled, Double(u))
    case (.string(let x), .string(let y)):
      let xs = Array(x.utf8)
      let ys = Array(y.utf8)
      return xs.lexicographicallyPrecedes(ys) ? .less : (xs == ys ? .equal : .greater)
    case (.timestamp(let x, let ux), .timestamp(let y, let uy)) where ux == uy: return order(x, y)
    case (.timestamp(let x, _), .date(let d)): return order(x, Int64(d) * 86_400_000_000)
    case (.date(let x), .date(let y)): return order(x, y)
    default: return .incomparable
    }
  }

  static func comparison(_ value: ScalarValue, _ op: ComparisonOperator, _ literal: ScalarValue) -> Truth {
    if value.isNull || literal.isNull { return .unknown }
    let result: Bool
    switch compare(value, literal) {
    case .incomparable: return .unknown
    case .unordered: result = op == .notEqual
    case .less: result = op == .less || op == .lessOrEqual || op == .notEqual
    case .equal: result = op == .equal || op == .lessOrEqual || op == .greaterOrEqual
    case .greater: result = op == .greater || op == .greaterOrEqual || op == .notEqual
    }
    return result ? .yes : .no
  }

  static func evaluate(_ predicate: Predicate, _ row: Row) -> Truth {
    switch predicate {
    case .literal(let value): return value ? .yes : .no
    case .comparison(let column, let op, let literal):
      return comparison(row[column.joined(separator: ".")] ?? .null, op, literal)
    case .inList(let column, let values, let negated):
      let value = row[column.joined(separator: ".")] ?? .null
      var result = Truth.no
      if !values.isEmpty && value.isNull {
        result = .unknown
      } else {
        for element in values {
          let truth = comparison(value, .equal, element)
          if truth == .yes {
            result = .yes
            break
          }
          if truth == .unknown { result = .unknown }
        }
      }
      return negated ? Truth.not(result) : result
    case .isNull(let column, let negated):
      let isNull = (row[column.joined(separator: ".")] ?? .null).isNull
      return isNull != negated ? .yes : .no
    case .not(let inner): return Truth.not(evaluate(inner, row))
    case .and(let terms):
      var result = Truth.yes
      for term in terms {
        switch evaluate(term, row) {
        case .no: return .no
        case .unknown: result = .unknown
        case .yes: break
        }
      }
      return result
    case .or(let terms):
      var result = Truth.no
      for term in terms {
        switch evaluate(term, row) {
        case .yes: return .yes
        case .unknown: result = .unknown
        case .no: break
        }
      }
      return result
    }
  }
}
