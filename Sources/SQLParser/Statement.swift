/// One SQL statement.
public enum Statement: Sendable, Hashable, CustomStringConvertible {
  case query(Query)
  case explain(Explain)
  case createView(CreateView)
  case optimize(Optimize)
  case vacuum(Vacuum)
  case restore(Restore)
  case describe(Describe)
  case showTables(ShowTables)

  /// Where the statement's first token starts.
  public var location: SourceLocation {
    switch self {
    case .query(let query): query.location
    case .explain(let statement): statement.location
    case .createView(let statement): statement.location
    case .optimize(let statement): statement.location
    case .vacuum(let statement): statement.location
    case .restore(let statement): statement.location
    case .describe(let statement): statement.location
    case .showTables(let statement): statement.location
    }
  }
}

/// `EXPLAIN [ANALYZE] query`.
public struct Explain: Sendable, Hashable {
  /// `EXPLAIN ANALYZE`: run the query and report what each operator did.
  public var analyze: Bool
  public var query: Query
  @IgnoredInEquality public var location: SourceLocation

  public init(analyze: Bool = false, query: Query, location: SourceLocation = .start) {
    self.analyze = analyze
    self.query = query
    self.location = location
  }
}

/// `CREATE [OR REPLACE] VIEW name [(columns)] AS query`.
public struct CreateView: Sendable, Hashable {
  public var orReplace: Bool
  public var name: QualifiedName
  public var columns: [Identifier]
  public var query: Query
  @IgnoredInEquality public var location: SourceLocation

  public init(
    orReplace: Bool = false, name: QualifiedName, columns: [Identifier] = [], query: Query,
    location: SourceLocation = .start
  ) {
    self.orReplace = orReplace
    self.name = name
    self.columns = columns
    self.query = query
    self.location = location
  }
}

/// Delta's `OPTIMIZE table [WHERE predicate] [ZORDER BY (a, b)]`: compact small files, optionally
/// only in the partitions the predicate selects, optionally clustering rows by the columns.
public struct Optimize: Sendable, Hashable {
  public var table: QualifiedName
  public var predicate: Expression?
  public var zOrderBy: [QualifiedName]
  /// Avocet's `ZORDER BY (…) USING HILBERT` (or `USING ZORDER`): the curve, lowercased.
  public var curve: String?
  @IgnoredInEquality public var location: SourceLocation

  public init(
    table: QualifiedName, predicate: Expression? = nil, zOrderBy: [QualifiedName] = [], curve: String? = nil,
    location: SourceLocation = .start
  ) {
    self.table = table
    self.predicate = predicate
    self.zOrderBy = zOrderBy
    self.curve = curve
    self.location = location
  }
}

/// Delta's `VACUUM table [RETAIN n HOURS] [DRY RUN]`: delete files no longer referenced.
public struct Vacuum: Sendable, Hashable {
  public var table: QualifiedName
  /// `RETAIN n HOURS`; nil means the table's configured retention.
  public var retentionHours: Double?
  /// `DRY RUN`: list what would be deleted without deleting it.
  public var dryRun: Bool
  @IgnoredInEquality public var location: SourceLocation

  public init(
    table: QualifiedName, retentionHours: Double? = nil, dryRun: Bool = false, location: SourceLocation = .start
  ) {
    self.table = table
    self.retentionHours = retentionHours
    self.dryRun = dryRun
    self.location = location
  }
}

/// Delta's `RESTORE [TABLE] table TO VERSION AS OF n` or `… TO TIMESTAMP AS OF 'text'`.
public struct Restore: Sendable, Hashable {
  public var table: QualifiedName
  public var target: TimeTravel
  @IgnoredInEquality public var location: SourceLocation

  public init(table: QualifiedName, target: TimeTravel, location: SourceLocation = .start) {
    self.table = table
    self.target = target
    self.location = location
  }
}

/// `DESCRIBE table` (its columns), or Delta's `DESCRIBE HISTORY table` and `DESCRIBE DETAIL table`.
public struct Describe: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case columns
    case history
    case detail
  }

  public var kind: Kind
  public var table: QualifiedName
  @IgnoredInEquality public var location: SourceLocation

  public init(_ kind: Kind = .columns, table: QualifiedName, location: SourceLocation = .start) {
    self.kind = kind
    self.table = table
    self.location = location
  }
}

/// `SHOW TABLES`.
public struct ShowTables: Sendable, Hashable {
  @IgnoredInEquality public var location: SourceLocation

  public init(location: SourceLocation = .start) {
    self.location = location
  }
}
