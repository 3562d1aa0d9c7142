/// One source of rows in `FROM`: a table, a table function, a subquery or a join of two of them.
public indirect enum TableReference: Sendable, Hashable, CustomStringConvertible {
  case table(NamedTable)
  case function(TableFunction)
  case subquery(DerivedTable)
  case join(Join)

  public var location: SourceLocation {
    switch self {
    case .table(let table): table.location
    case .function(let function): function.location
    case .subquery(let derived): derived.location
    case .join(let join): join.location
    }
  }
}

/// `name [time travel] [[AS] alias [(columns)]]`: `events`, `logs.events AS e`,
/// ``delta.`/data/events` VERSION AS OF 3``.
public struct NamedTable: Sendable, Hashable {
  public var name: QualifiedName
  public var timeTravel: TimeTravel?
  public var alias: TableAlias?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    name: QualifiedName, timeTravel: TimeTravel? = nil, alias: TableAlias? = nil, location: SourceLocation = .start
  ) {
    self.name = name
    self.timeTravel = timeTravel
    self.alias = alias
    self.location = location
  }
}

/// `f(args) [time travel] [[AS] alias [(columns)]]`: `delta_scan('s3://b/t', version => 3)`,
/// `read_parquet('logs/*.parquet')`.
public struct TableFunction: Sendable, Hashable {
  public var name: QualifiedName
  public var arguments: [FunctionArgument]
  public var timeTravel: TimeTravel?
  public var alias: TableAlias?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    name: QualifiedName, arguments: [FunctionArgument] = [], timeTravel: TimeTravel? = nil, alias: TableAlias? = nil,
    location: SourceLocation = .start
  ) {
    self.name = name
    self.arguments = arguments
    self.timeTravel = timeTravel
    self.alias = alias
    self.location = location
  }
}

/// `(query) [[AS] alias [(columns)]]`, located at the opening parenthesis.
public struct DerivedTable: Sendable, Hashable {
  public var query: Query
  public var alias: TableAlias?
  @IgnoredInEquality public var location: SourceLocation

  public init(query: Query, alias: TableAlias? = nil, location: SourceLocation = .start) {
    self.query = query
    self.alias = alias
    self.location = location
  }
}

/// `left [kind] JOIN right [ON … | USING (…)]`, located at the first keyword of the join.
public struct Join: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case inner = "INNER"
    case left = "LEFT"
    case right = "RIGHT"
    case full = "FULL"
    case cross = "CROSS"
    /// DuckDB's `SEMI JOIN` (Spark's `LEFT SEMI JOIN`): left rows that have a match.
    case semi = "SEMI"
    /// DuckDB's `ANTI JOIN` (Spark's `LEFT ANTI JOIN`): left rows that have no match.
    case anti = "ANTI"
  }

  public var kind: Kind
  public var left: TableReference
  public var right: TableReference
  /// Nil only for a ``Kind/cross`` join.
  public var condition: JoinCondition?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    _ kind: Kind, left: TableReference, right: TableReference, condition: JoinCondition? = nil,
    location: SourceLocation = .start
  ) {
    self.kind = kind
    self.left = left
    self.right = right
    self.condition = condition
    self.location = location
  }
}

public enum JoinCondition: Sendable, Hashable {
  case on(Expression)
  case using([Identifier])
  /// `NATURAL JOIN`: equality on every column name the two sides share.
  case natural
}

/// `[AS] alias [(a, b)]`, located at the alias name.
public struct TableAlias: Sendable, Hashable {
  public var name: Identifier
  /// Names for the source's columns, in order; may be fewer than the columns.
  public var columns: [Identifier]

  public init(name: Identifier, columns: [Identifier] = []) {
    self.name = name
    self.columns = columns
  }

  public var location: SourceLocation { name.location }
}

/// Which version of a Delta table to read: `VERSION AS OF n` or `TIMESTAMP AS OF 'text'`
/// (also written `FOR VERSION AS OF n`). The values are expressions for the binder to evaluate
/// as constants.
public enum TimeTravel: Sendable, Hashable {
  case version(Expression)
  case timestamp(Expression)
}
