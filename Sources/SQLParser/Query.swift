/// A query: `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET n]`, located at its first token.
///
/// `ORDER BY`, `LIMIT` and `OFFSET` belong to the whole query, so in
/// `SELECT a FROM x UNION SELECT a FROM y ORDER BY a` they order the union.
public struct Query: Sendable, Hashable, CustomStringConvertible {
  public var with: WithClause?
  public var body: QueryBody
  public var orderBy: [OrderByItem]
  public var limit: Expression?
  public var offset: Expression?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    with: WithClause? = nil, body: QueryBody, orderBy: [OrderByItem] = [], limit: Expression? = nil,
    offset: Expression? = nil, location: SourceLocation = .start
  ) {
    self.with = with
    self.body = body
    self.orderBy = orderBy
    self.limit = limit
    self.offset = offset
    self.location = location
  }
}

/// `WITH [RECURSIVE] a AS (…), b AS (…)`.
public struct WithClause: Sendable, Hashable {
  public var isRecursive: Bool
  /// At least one, in the order written; each may refer to those before it.
  public var tables: [CommonTableExpression]
  @IgnoredInEquality public var location: SourceLocation

  public init(isRecursive: Bool = false, tables: [CommonTableExpression], location: SourceLocation = .start) {
    self.isRecursive = isRecursive
    self.tables = tables
    self.location = location
  }
}

/// `name [(columns)] AS (query)`, located at its name.
public struct CommonTableExpression: Sendable, Hashable {
  public var name: Identifier
  public var columns: [Identifier]
  public var query: Query
  @IgnoredInEquality public var location: SourceLocation

  public init(name: Identifier, columns: [Identifier] = [], query: Query, location: SourceLocation = .start) {
    self.name = name
    self.columns = columns
    self.query = query
    self.location = location
  }
}

/// The part of a query that produces rows.
public indirect enum QueryBody: Sendable, Hashable {
  case select(Select)
  /// `left UNION [ALL] right`, `EXCEPT`, `INTERSECT`.
  case setOperation(SetOperation)
  /// `(query)`: a parenthesised query with its own `WITH`, `ORDER BY` and `LIMIT`, as in
  /// `(SELECT … LIMIT 5) UNION ALL (SELECT … LIMIT 5)`.
  case parenthesized(Query)
  /// `VALUES (a, b), (c, d)`: constant rows, as in `FROM (VALUES (1, 'x'), (2, 'y')) t(id, name)`.
  case values(Values)

  public var location: SourceLocation {
    switch self {
    case .values(let values): values.location
    case .select(let select): select.location
    case .setOperation(let operation): operation.location
    case .parenthesized(let query): query.location
    }
  }
}

/// `left op [ALL] right`, located at the operator. `INTERSECT` binds tighter than `UNION` and
/// `EXCEPT`, which associate to the left.
public struct SetOperation: Sendable, Hashable {
  public enum Operator: String, Sendable, Hashable {
    case union = "UNION"
    case except = "EXCEPT"
    case intersect = "INTERSECT"
  }

  public var op: Operator
  /// `UNION ALL` keeps duplicates; plain `UNION` (or `UNION DISTINCT`) removes them.
  public var all: Bool
  public var left: QueryBody
  public var right: QueryBody
  @IgnoredInEquality public var location: SourceLocation

  public init(_ op: Operator, all: Bool = false, left: QueryBody, right: QueryBody, location: SourceLocation = .start) {
    self.op = op
    self.all = all
    self.left = left
    self.right = right
    self.location = location
  }
}

/// `SELECT [DISTINCT] items [FROM …] [WHERE …] [GROUP BY …] [HAVING …] [QUALIFY …] [WINDOW …]`,
/// located at `SELECT`.
public struct Select: Sendable, Hashable {
  public var isDistinct: Bool
  /// At least one.
  public var items: [SelectItem]
  /// The comma-separated entries of `FROM`, each possibly a tree of joins; empty without `FROM`.
  /// Several entries are a cross join.
  public var from: [TableReference]
  public var whereClause: Expression?
  public var groupBy: GroupBy?
  public var having: Expression?
  public var qualify: Expression?
  public var windows: [NamedWindow]
  @IgnoredInEquality public var location: SourceLocation

  public init(
    isDistinct: Bool = false, items: [SelectItem], from: [TableReference] = [], whereClause: Expression? = nil,
    groupBy: GroupBy? = nil, having: Expression? = nil, qualify: Expression? = nil, windows: [NamedWindow] = [],
    location: SourceLocation = .start
  ) {
    self.isDistinct = isDistinct
    self.items = items
    self.from = from
    self.whereClause = whereClause
    self.groupBy = groupBy
    self.having = having
    self.qualify = qualify
    self.windows = windows
    self.location = location
  }
}

/// One entry of a select list.
public enum SelectItem: Sendable, Hashable {
  /// `*`, `t.*`, `* EXCLUDE (a, b)`.
  case wildcard(Wildcard)
  /// `expr [[AS] alias]`.
  case expression(Expression, alias: Identifier?)

  public var location: SourceLocation {
    switch self {
    case .wildcard(let wildcard): wildcard.location
    case .expression(let expression, _): expression.location
    }
  }
}

/// `*`, `t.*`, `* EXCLUDE (a, b)`; located at the first token (the qualifier, or the star).
public struct Wildcard: Sendable, Hashable {
  /// `t` in `t.*`.
  public var qualifier: QualifiedName?
  /// DuckDB's `EXCLUDE (a, b)`: columns left out.
  public var excluded: [Identifier]
  @IgnoredInEquality public var location: SourceLocation

  public init(qualifier: QualifiedName? = nil, excluded: [Identifier] = [], location: SourceLocation = .start) {
    self.qualifier = qualifier
    self.excluded = excluded
    self.location = location
  }
}

/// The `GROUP BY` clause. Ordinals such as `GROUP BY 1` are integer literals for the binder to
/// resolve.
public enum GroupBy: Sendable, Hashable {
  /// `GROUP BY ALL`: every select item that is not an aggregate (DuckDB).
  case all
  /// `GROUP BY a, b`: at least one.
  case expressions([Expression])
}

/// `WINDOW name AS (…)`, located at its name.
public struct NamedWindow: Sendable, Hashable {
  public var name: Identifier
  public var specification: WindowSpecification
  @IgnoredInEquality public var location: SourceLocation

  public init(name: Identifier, specification: WindowSpecification, location: SourceLocation = .start) {
    self.name = name
    self.specification = specification
    self.location = location
  }
}

/// `VALUES (…), (…)`, located at `VALUES`. Every row has the same number of values (at least one).
public struct Values: Sendable, Hashable {
  public var rows: [[Expression]]
  @IgnoredInEquality public var location: SourceLocation

  public init(rows: [[Expression]], location: SourceLocation = .start) {
    self.rows = rows
    self.location = location
  }
}
