/// A scalar expression: a value computed per row (or per group, for aggregates).
///
/// The ``location`` is where the node's defining token starts: the first token for literals,
/// names, calls and `CASE`; the operator for operators (`+`, `AND`, `IS`, `NOT IN`, `::`, `[`),
/// as PostgreSQL's raw parse trees do. Parentheses leave no node of their own; printing adds back
/// the ones that precedence needs.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
  public indirect enum Kind: Sendable, Hashable {
    case literal(Literal)
    /// `c`, `t.c`, `s.t.c` or a struct path `t.payload.src`; which parts name a table is for the
    /// binder to decide.
    case column(QualifiedName)
    /// `$1`: a parameter numbered from 1.
    case parameter(Int)
    /// `NOT x`, `-x`, `+x`.
    case unary(UnaryOperator, Expression)
    /// Arithmetic, comparison, concatenation, regex match and `IS [NOT] DISTINCT FROM`.
    case binary(BinaryOperator, Expression, Expression)
    /// `a AND b AND c` as one node with all its operands (at least two), as DuckDB's conjunctions.
    case and([Expression])
    /// `a OR b OR c` as one node with all its operands (at least two).
    case or([Expression])
    /// `x IS NULL`, `x IS NOT NULL`.
    case isNull(Expression, negated: Bool)
    /// `x [NOT] BETWEEN low AND high`.
    case between(Expression, low: Expression, high: Expression, negated: Bool)
    /// `x [NOT] IN (a, b, …)`.
    case inList(Expression, [Expression], negated: Bool)
    /// `x [NOT] IN (SELECT …)`.
    case inSubquery(Expression, Query, negated: Bool)
    /// `x [NOT] LIKE pattern [ESCAPE e]`; `ILIKE` when `caseInsensitive`.
    case like(Expression, pattern: Expression, escape: Expression?, caseInsensitive: Bool, negated: Bool)
    /// `CAST(x AS type)` and `x::type`; `TRY_CAST(x AS type)` when `isTry`.
    case cast(Expression, to: TypeName, isTry: Bool)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    case caseWhen(CaseExpression)
    /// `EXISTS (SELECT …)`.
    case exists(Query)
    /// `(SELECT …)` used as a value.
    case subquery(Query)
    /// `f(args)`, aggregates and window functions.
    case function(FunctionCall)
    /// `EXTRACT(field FROM x)`.
    case extract(field: Identifier, from: Expression)
    /// `x[i]`, `m['key']`.
    case subscripted(Expression, index: Expression)
    /// `(x).field`, `f(y).field`, `x[1].field`: a field of a struct-valued expression that is not
    /// itself a name (a plain `a.b.c` is a ``column(_:)``).
    case fieldAccess(Expression, field: Identifier)
    /// `[a, b, c]`: a list value, as in `read_parquet(['a.parquet', 'b.parquet'])`.
    case list([Expression])
  }

  public var kind: Kind
  @IgnoredInEquality public var location: SourceLocation

  public init(_ kind: Kind, at location: SourceLocation = .start) {
    self.kind = kind
    self.location = location
  }
}

/// A constant written in the SQL text.
public enum Literal: Sendable, Hashable {
  case null
  case boolean(Bool)
  /// An integer that fits in 64 bits, such as `42` (a minus sign is a ``UnaryOperator/minus``).
  case integer(Int64)
  /// An exact number as written, such as `1.50` or `123456789012345678901234` (an integer too
  /// large for `Int64`): digits with at most one point, no sign, no exponent.
  case decimal(String)
  /// An approximate number written with an exponent, such as `1e-3`.
  case double(Double)
  case string(String)
  /// `DATE '2024-05-01'`, `TIMESTAMP '2024-05-01 10:00:00'`: a string to be read as `type`.
  case typed(TypeName, String)
  /// `INTERVAL '1 day'` (unit nil: the text holds the units), or `INTERVAL 3 DAY` and
  /// `INTERVAL '3' DAY` (the text is "3").
  case interval(String, unit: IntervalUnit?)
}

/// The unit of an `INTERVAL n UNIT` literal; the plural spellings (`DAYS`) are accepted too.
public enum IntervalUnit: String, Sendable, Hashable, CaseIterable {
  case year = "YEAR"
  case quarter = "QUARTER"
  case month = "MONTH"
  case week = "WEEK"
  case day = "DAY"
  case hour = "HOUR"
  case minute = "MINUTE"
  case second = "SECOND"
  case millisecond = "MILLISECOND"
  case microsecond = "MICROSECOND"

  /// The unit a word names, singular or plural, in any case: `day`, `DAYS`.
  public init?(word: String) {
    var upper = word.uppercased()
    if upper.hasSuffix("S"), IntervalUnit(rawValue: String(upper.dropLast())) != nil { upper.removeLast() }
    self.init(rawValue: upper)
  }
}

public enum UnaryOperator: String, Sendable, Hashable {
  case not = "NOT"
  case minus = "-"
  case plus = "+"
}

/// Binary operators other than `AND` and `OR` (which are n-ary ``Expression/Kind/and(_:)`` and
/// ``Expression/Kind/or(_:)``). The raw value is the canonical spelling: `==` reads as
/// ``equal``, `!=` as ``notEqual``.
public enum BinaryOperator: String, Sendable, Hashable {
  case equal = "="
  case notEqual = "<>"
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
  case isDistinctFrom = "IS DISTINCT FROM"
  case isNotDistinctFrom = "IS NOT DISTINCT FROM"
  case concat = "||"
  case regexMatch = "~"
  case notRegexMatch = "!~"
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  /// DuckDB's `//`.
  case integerDivide = "//"
  case modulo = "%"
}

/// `CASE [operand] WHEN … THEN … [ELSE …] END`.
public struct CaseExpression: Sendable, Hashable {
  /// The `x` of `CASE x WHEN 1 THEN …`, compared for equality with each `WHEN` value; nil for the
  /// searched form `CASE WHEN condition THEN …`.
  public var operand: Expression?
  /// At least one.
  public var branches: [WhenClause]
  public var elseResult: Expression?

  public init(operand: Expression? = nil, branches: [WhenClause], elseResult: Expression? = nil) {
    self.operand = operand
    self.branches = branches
    self.elseResult = elseResult
  }
}

/// One `WHEN condition THEN result` of a ``CaseExpression``; located at `WHEN`.
public struct WhenClause: Sendable, Hashable {
  public var condition: Expression
  public var result: Expression
  @IgnoredInEquality public var location: SourceLocation

  public init(condition: Expression, result: Expression, location: SourceLocation = .start) {
    self.condition = condition
    self.result = result
    self.location = location
  }
}

/// A function call: scalar (`lower(x)`), aggregate (`count(DISTINCT x) FILTER (WHERE …)`) or
/// window (`row_number() OVER (…)`). Whether a name is an aggregate is for the binder to know.
public struct FunctionCall: Sendable, Hashable {
  public var name: QualifiedName
  public var arguments: [FunctionArgument]
  /// `count(*)`: the star in place of arguments (``arguments`` is then empty).
  public var isStar: Bool
  /// `count(DISTINCT x)`.
  public var isDistinct: Bool
  /// `string_agg(x, ',' ORDER BY y)`: ordering inside the argument list.
  public var orderBy: [OrderByItem]
  /// `FILTER (WHERE condition)`.
  public var filter: Expression?
  /// `OVER (…)` or `OVER name`.
  public var window: WindowReference?

  public init(
    name: QualifiedName, arguments: [FunctionArgument] = [], isStar: Bool = false, isDistinct: Bool = false,
    orderBy: [OrderByItem] = [], filter: Expression? = nil, window: WindowReference? = nil
  ) {
    self.name = name
    self.arguments = arguments
    self.isStar = isStar
    self.isDistinct = isDistinct
    self.orderBy = orderBy
    self.filter = filter
    self.window = window
  }
}

/// A positional argument `expr` or a named one `name => expr`.
public struct FunctionArgument: Sendable, Hashable {
  public var name: Identifier?
  public var value: Expression

  public init(name: Identifier? = nil, _ value: Expression) {
    self.name = name
    self.value = value
  }

  public var location: SourceLocation { name?.location ?? value.location }
}

/// What follows `OVER`.
public indirect enum WindowReference: Sendable, Hashable {
  /// `OVER w`, naming a window of the `WINDOW` clause.
  case named(Identifier)
  /// `OVER (PARTITION BY … ORDER BY … ROWS …)`.
  case specification(WindowSpecification)
}

/// `([base] [PARTITION BY …] [ORDER BY …] [frame])`, located at its opening parenthesis (or at
/// the window's name in a `WINDOW` clause).
public struct WindowSpecification: Sendable, Hashable {
  /// `OVER (w ORDER BY x)`: a named window this one refines.
  public var baseName: Identifier?
  public var partitionBy: [Expression]
  public var orderBy: [OrderByItem]
  public var frame: WindowFrame?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    baseName: Identifier? = nil, partitionBy: [Expression] = [], orderBy: [OrderByItem] = [],
    frame: WindowFrame? = nil, location: SourceLocation = .start
  ) {
    self.baseName = baseName
    self.partitionBy = partitionBy
    self.orderBy = orderBy
    self.frame = frame
    self.location = location
  }
}

/// `ROWS BETWEEN start AND end`, or `ROWS start` (then ``end`` is nil and means `CURRENT ROW`).
public struct WindowFrame: Sendable, Hashable {
  public enum Units: String, Sendable, Hashable {
    case rows = "ROWS"
    case range = "RANGE"
    case groups = "GROUPS"
  }

  public enum Bound: Sendable, Hashable {
    case unboundedPreceding
    case preceding(Expression)
    case currentRow
    case following(Expression)
    case unboundedFollowing
  }

  public var units: Units
  public var start: Bound
  public var end: Bound?
  @IgnoredInEquality public var location: SourceLocation

  public init(units: Units, start: Bound, end: Bound? = nil, location: SourceLocation = .start) {
    self.units = units
    self.start = start
    self.end = end
    self.location = location
  }
}

/// One `expr [ASC | DESC] [NULLS FIRST | LAST]`. Unwritten options stay nil so that the binder
/// applies its dialect's defaults.
public struct OrderByItem: Sendable, Hashable {
  public enum Direction: String, Sendable, Hashable {
    case ascending = "ASC"
    case descending = "DESC"
  }

  public enum NullOrdering: String, Sendable, Hashable {
    case first = "NULLS FIRST"
    case last = "NULLS LAST"
  }

  public var expression: Expression
  public var direction: Direction?
  public var nulls: NullOrdering?

  public init(_ expression: Expression, direction: Direction? = nil, nulls: NullOrdering? = nil) {
    self.expression = expression
    self.direction = direction
    self.nulls = nulls
  }

  public var location: SourceLocation { expression.location }
}
