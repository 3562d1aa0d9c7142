public import Columnar
public import Expr

/// A comparison of two values under SQL's three-valued logic.
public enum ComparisonOperator: String, Sendable, Hashable {
  case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

  /// The operator with its operands swapped (`a < b` is `b > a`).
  public var flipped: ComparisonOperator {
    switch self {
    case .equal, .notEqual: self
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    }
  }

  /// Whether an order (-1, 0, 1) satisfies the operator.
  @inline(__always) func holds(_ order: Int) -> Bool {
    switch self {
    case .equal: order == 0
    case .notEqual: order != 0
    case .less: order < 0
    case .lessOrEqual: order <= 0
    case .greater: order > 0
    case .greaterOrEqual: order >= 0
    }
  }
}

/// Binary arithmetic, with DuckDB's semantics: `/` divides as floating point (x / 0 is ±inf or
/// NaN), `//` truncates integers, `//` and `%` by zero give NULL, integer overflow is an error.
public enum ArithmeticOperator: String, Sendable, Hashable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", integerDivide = "//", modulo = "%"
}

/// One `WHEN condition THEN result` arm of a CASE expression.
public struct CaseBranch: Sendable {
  public var condition: PhysicalExpression
  public var result: PhysicalExpression
  public init(when condition: PhysicalExpression, then result: PhysicalExpression) {
    self.condition = condition
    self.result = result
  }
}

/// An expression bound to the columns of an input batch, evaluated a whole vector at a time.
///
/// The planner builds these from the SQL syntax tree; patterns, regular expressions and IN lists
/// are compiled when the expression is built, never per batch or per row.
public indirect enum PhysicalExpression: Sendable {
  /// The column at this index of the input batch.
  case column(Int)
  case literal(ScalarValue)
  case compare(ComparisonOperator, PhysicalExpression, PhysicalExpression)
  /// Kleene AND: false wins over NULL.
  case and(PhysicalExpression, PhysicalExpression)
  /// Kleene OR: true wins over NULL.
  case or(PhysicalExpression, PhysicalExpression)
  case not(PhysicalExpression)
  /// `x IS NULL` (or `IS NOT NULL` when `negated`): never NULL itself.
  case isNull(PhysicalExpression, negated: Bool)
  /// `x [NOT] IN (list)`: NULL when not found and the list holds a NULL, or `x` is NULL.
  case inList(PhysicalExpression, InList, negated: Bool)
  /// `x [NOT] [I]LIKE pattern`, the pattern compiled once.
  case like(PhysicalExpression, LikePattern, negated: Bool)
  case arithmetic(ArithmeticOperator, PhysicalExpression, PhysicalExpression)
  case negate(PhysicalExpression)
  /// Searched CASE; without ELSE, unmatched rows are NULL.
  case caseWhen([CaseBranch], else: PhysicalExpression?)
  case coalesce([PhysicalExpression])
  /// `CAST(x AS type)`; with `safe` (TRY_CAST) values that do not convert become NULL.
  case cast(PhysicalExpression, to: DataType, safe: Bool)
  case function(ScalarFunction, [PhysicalExpression])

  /// `column = literal` and friends, for building plans and tests.
  public static func column(_ index: Int, _ op: ComparisonOperator, _ value: ScalarValue) -> PhysicalExpression {
    .compare(op, .column(index), .literal(value))
  }

  /// `x IN (values)` with the list compiled.
  public static func inList(_ input: PhysicalExpression, _ values: [ScalarValue], negated: Bool = false) -> PhysicalExpression {
    .inList(input, InList(values), negated: negated)
  }

  /// `x LIKE pattern` (ILIKE with `caseInsensitive`).
  public static func like(
    _ input: PhysicalExpression, _ pattern: String, caseInsensitive: Bool = false, negated: Bool = false,
    escape: Character? = nil
  ) throws(ExecError) -> PhysicalExpression {
    .like(input, try LikePattern(pattern, caseInsensitive: caseInsensitive, escape: escape), negated: negated)
  }
}

extension PhysicalExpression: CustomStringConvertible {
  /// SQL-like text naming the expression, for error messages and EXPLAIN.
  public var description: String {
    switch self {
    case .column(let index): return "#\(index)"
    case .literal(let value): return value.description
    case .compare(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
    case .and(let a, let b): return "(\(a) AND \(b))"
    case .or(let a, let b): return "(\(a) OR \(b))"
    case .not(let a): return "(NOT \(a))"
    case .isNull(let a, let negated): return "(\(a) IS \(negated ? "NOT " : "")NULL)"
    case .inList(let a, let list, let negated):
      return "(\(a) \(negated ? "NOT " : "")IN (\(list.values.map(\.description).joined(separator: ", "))))"
    case .like(let a, let pattern, let negated):
      return "(\(a) \(negated ? "NOT " : "")\(pattern.caseInsensitive ? "ILIKE" : "LIKE") '\(pattern.pattern)')"
    case .arithmetic(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
    case .negate(let a): return "(-\(a))"
    case .caseWhen(let branches, let otherwise):
      var text = "CASE"
      for branch in branches { text += " WHEN \(branch.condition) THEN \(branch.result)" }
      if let otherwise { text += " ELSE \(otherwise)" }
      return text + " END"
    case .coalesce(let args): return "coalesce(\(args.map(\.description).joined(separator: ", ")))"
    case .cast(let a, let type, let safe): return "\(safe ? "TRY_CAST" : "CAST")(\(a) AS \(type))"
    case .function(let function, let args):
      return "\(function.name)(\(args.map(\.description).joined(separator: ", ")))"
    }
  }
}
