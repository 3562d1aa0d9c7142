public import Columnar
import Delta
import Exec
import Expr
public import SQLParser
import Synchronization

/// How a session runs queries.
public struct SessionOptions: Sendable {
  /// Bytes that hash tables, sorts, windows and joins may hold; nil for no limit.
  public var memoryLimit: Int?
  /// Worker threads for scans (defaults to the number of cores).
  public var threads: Int
  /// Called from worker threads as scans finish files: (files read, files to read).
  public var progress: (@Sendable (Int, Int) -> Void)?

  public init(memoryLimit: Int? = nil, threads: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) {
    self.memoryLimit = memoryLimit
    self.threads = threads ?? SystemInfo.coreCount
    self.progress = progress
  }
}

/// The result of one statement.
public struct QueryResult: Sendable {
  public enum Kind: Sendable {
    /// Rows of a query (or of DESCRIBE, SHOW TABLES).
    case rows
    /// The text of EXPLAIN [ANALYZE], one line per row of the `plan` column.
    case explain
    /// A statement that changed the session (CREATE VIEW): a message, no rows.
    case message(String)
  }

  public let kind: Kind
  public let schema: Schema
  public let batches: [RecordBatch]
  /// Time to plan and run the statement.
  public let elapsed: Duration
  /// What each scan of the statement read and skipped, in plan order.
  public let scans: [ScanStatistics]

  public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }

  /// The EXPLAIN text (empty for other statements).
  public var explainText: String {
    guard case .explain = kind else { return "" }
    var lines: [String] = []
    for batch in batches {
      for row in 0..<batch.rowCount {
        if case .string(let line) = ScalarValue(from: batch.columns[0], row: row) { lines.append(line) }
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// A SQL session: registered tables and views, and the statements run against them.
///
///     let session = Session()
///     try session.register("flows", path: "/data/flows")
///     let result = try session.execute("SELECT action, count(*) FROM flows GROUP BY ALL")
public final class Session: Sendable {
  public let options: SessionOptions
  private let catalog = Mutex(Catalog())

  public init(options: SessionOptions = SessionOptions()) {
    self.options = options
  }

  /// Makes `name` stand for the Delta table (or Parquet file or glob) at `path`.
  public func register(_ name: String, path: String) throws(EngineError) {
    _ = try Catalog.source(path: path)
    catalog.withLock { $0.register(name, .path(path)) }
  }

  /// Registered tables and views, sorted.
  public var tableNames: [String] { catalog.withLock { $0.names } }

  /// Parses and runs one statement.
  public func execute(_ sql: String) throws(EngineError) -> QueryResult {
    let statement: Statement
    do { statement = try SQL.parse(sql) } catch { throw EngineError(error) }
    return try execute(statement)
  }

  /// Parses a script and runs its statements in order, calling `body` with each result.
  public func executeScript(_ sql: String, _ body: (Statement, QueryResult) throws(EngineError) -> Void) throws(EngineError) {
    let statements: [Statement]
    do { statements = try SQL.parseScript(sql) } catch { throw EngineError(error) }
    for statement in statements { try body(statement, try execute(statement)) }
  }

  public func execute(_ statement: Statement) throws(EngineError) -> QueryResult {
    let start = ContinuousClock.now
    switch statement {
    case .query(let query):
      let plan = try plan(query)
      let batches = try executor.run(plan)
      return QueryResult(
        kind: .rows, schema: plan.schema, batches: batches, elapsed: .now - start, scans: Session.scans(of: plan, analyzed: true))
    case .explain(let explain):
      let plan = try plan(explain.query)
      if explain.analyze { _ = try executor.run(plan) } else { try Session.planScans(plan) }
      var lines = Explain.render(plan, analyzed: explain.analyze)
      if explain.analyze { lines.append("total time: \(Format.milliseconds(Double((ContinuousClock.now - start).nanoseconds) / 1e6))") }
      return QueryResult(
        kind: .explain, schema: Schema([Field("plan", .string)]), batches: [try Session.textBatch(lines, name: "plan")],
        elapsed: .now - start, scans: Session.scans(of: plan, analyzed: explain.analyze))
    case .createView(let view):
      guard view.name.parts.count == 1 else {
        throw EngineError(.unsupported, "view names cannot be qualified", at: view.location)
      }
      let name = view.name.name.value
      // Bind once so that a broken view fails now, not when used.
      _ = try plan(view.query)
      let exists = catalog.withLock { $0.entry(name) != nil }
      if exists && !view.orReplace {
        throw EngineError(.binding, "'\(name)' already exists; use CREATE OR REPLACE VIEW", at: view.location)
      }
      catalog.withLock { $0.register(name, .view(view.query, columns: view.columns)) }
      return QueryResult(kind: .message("view \(name) created"), schema: Schema([]), batches: [], elapsed: .now - start, scans: [])
    case .describe(let describe):
      return try self.describe(describe, start: start)
    case .showTables:
      let names = tableNames
      return QueryResult(
        kind: .rows, schema: Schema([Field("name", .string)]), batches: [try Session.textBatch(names, name: "name")],
        elapsed: .now - start, scans: [])
    case .optimize(let s):
      return try optimize(s, start: start)
    case .vacuum(let s):
      return try vacuum(s, start: start)
    case .restore(let s):
      return try restore(s, start: start)
    }
  }

  /// The plan of a query, bound and optimized but not run.
  func plan(_ query: Query) throws(EngineError) -> PlanNode {
    let executor = self.executor
    let now = SystemInfo.nowMicros
    var binder = Binder(catalog: catalog.withLock { $0 }, now: now) { (node) throws(EngineError) -> RecordBatch in
      try executor.materialize(node)
    }
    return try binder.bindStatement(query).node
  }

  var executor: Executor {
    Executor(
      budget: options.memoryLimit.map { MemoryBudget(limit: $0) } ?? .unlimited(), threads: max(1, options.threads),
      progress: options.progress)
  }

  func describe(_ describe: Describe, start: ContinuousClock.Instant) throws(EngineError) -> QueryResult {
    let reference = TableReference.table(NamedTable(name: describe.table, location: describe.location))
    switch describe.kind {
    case .columns:
      let query = Query(body: .select(Select(items: [.wildcard(Wildcard())], from: [reference])))
      let plan = try plan(query)
      let fields = plan.schema.fields
      let schema = Schema([Field("column_name", .string), Field("column_type", .string)])
      let names = try Session.textBatch(fields.map(\.name), name: "column_name")
      let types = try Session.textBatch(fields.map { TypeMapping.sqlName($0.type) }, name: "column_type")
      let batch = try exec { () throws(ExecError) in
        try RecordBatch.make(schema: schema, columns: [names.columns[0], types.columns[0]], rowCount: fields.count)
      }
      return QueryResult(kind: .rows, schema: schema, batches: [batch], elapsed: .now - start, scans: [])
    case .history, .detail:
      throw EngineError(
        .unsupported, "DESCRIBE HISTORY and DETAIL are available as `avocet history` and `avocet describe`",
        at: describe.location)
    }
  }

  static func textBatch(_ lines: [String], name: String) throws(EngineError) -> RecordBatch {
    let vector = try exec { () throws(ExecError) in try ColumnVector.from(lines.map { .string($0) }, type: .string) }
    return try exec { () throws(ExecError) in
      try RecordBatch.make(schema: Schema([Field(name, .string)]), columns: [vector], rowCount: lines.count)
    }
  }

  /// Plans every scan (file skipping) without reading, for EXPLAIN.
  static func planScans(_ node: PlanNode) throws(EngineError) {
    if case .scan(let source, let columns, let predicate) = node.op {
      node.scanStatistics = try source.plan(columns: columns, predicate: predicate).statistics
    }
    for child in node.children { try planScans(child) }
  }

  static func scans(of node: PlanNode, analyzed: Bool) -> [ScanStatistics] {
    var result = node.scanReport(analyzed: analyzed).map { [$0] } ?? []
    for child in node.children { result += scans(of: child, analyzed: analyzed) }
    return result
  }
}
