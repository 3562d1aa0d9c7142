import Columnar
import Delta
import Exec
public import Expr
import SQLParser

/// OPTIMIZE, VACUUM and RESTORE as SQL statements, on the table a name resolves to as in FROM
/// (``delta.`path` ``, a `--table` name, a quoted path).
extension Session {
  func optimize(_ statement: Optimize, start: ContinuousClock.Instant) throws(EngineError) -> QueryResult {
    let (snapshot, predicate) = try resolve(statement.table, where: statement.predicate, at: statement.location)
    var options = OptimizeOptions()
    options.partitionFilter = predicate
    options.zOrderBy = statement.zOrderBy.map(\.name.value)
    options.curve = statement.curve.flatMap(ClusteringCurve.init(rawValue:)) ?? .zorder
    let result: OptimizeResult
    do {
      result = try Maintenance.optimize(path: snapshot.tableRoot, options: options)
    } catch {
      throw EngineError(.execution, error.description, at: statement.location)
    }
    return try Session.counts(
      [
        ("files_added", Int64(result.filesAdded)), ("files_removed", Int64(result.filesRemoved)),
        ("bytes_added", result.bytesAdded), ("bytes_removed", result.bytesRemoved),
        ("partitions_optimized", Int64(result.partitionsOptimized)), ("rows_rewritten", result.rowsRewritten),
        ("version", result.version ?? snapshot.version),
      ], start: start)
  }

  func vacuum(_ statement: Vacuum, start: ContinuousClock.Instant) throws(EngineError) -> QueryResult {
    let (snapshot, _) = try resolve(statement.table, where: nil, at: statement.location)
    let result: VacuumResult
    do {
      result = try Maintenance.vacuum(
        path: snapshot.tableRoot, options: VacuumOptions(retentionHours: statement.retentionHours, dryRun: statement.dryRun))
    } catch {
      throw EngineError(.execution, error.description, at: statement.location)
    }
    // Spark lists the files of a dry run; a real run lists what it deleted.
    let name = statement.dryRun ? "would_delete" : "deleted"
    return QueryResult(
      kind: .rows, schema: Schema([Field(name, .string)]), batches: [try Session.textBatch(result.files, name: name)],
      elapsed: .now - start, scans: [])
  }

  func restore(_ statement: Restore, start: ContinuousClock.Instant) throws(EngineError) -> QueryResult {
    let (current, _) = try resolve(statement.table, where: nil, at: statement.location)
    // The target version, resolved as FROM t VERSION/TIMESTAMP AS OF would.
    let (target, _) = try resolve(statement.table, timeTravel: statement.target, where: nil, at: statement.location)
    let result: RestoreResult
    do {
      result = try Maintenance.restore(path: current.tableRoot, to: .version(target.version))
    } catch {
      throw EngineError(.execution, error.description, at: statement.location)
    }
    return try Session.counts(
      [
        ("restored_version", result.restoredVersion), ("files_restored", Int64(result.filesRestored)),
        ("files_removed", Int64(result.filesRemoved)), ("bytes_restored", result.bytesRestored),
        ("bytes_removed", result.bytesRemoved), ("version", result.version ?? current.version),
      ], start: start)
  }

  /// The partition predicate of a SQL condition on the Delta table at `path`, for
  /// `avocet optimize --where`.
  public func partitionPredicate(tablePath path: String, condition text: String) throws(EngineError) -> Predicate {
    let condition: Expression
    do {
      condition = try SQL.parseExpression(text)
    } catch {
      throw EngineError(error)
    }
    let name = QualifiedName([Identifier("delta"), Identifier(path, isQuoted: true)])
    let (_, predicate) = try resolve(name, where: condition, at: condition.location)
    // A condition was given, so resolve returned a predicate or threw.
    return predicate ?? .literal(true)
  }

  /// The Delta snapshot `name` refers to and `condition` as an exact predicate on its columns.
  func resolve(
    _ name: QualifiedName, timeTravel: TimeTravel? = nil, where condition: Expression?, at location: SourceLocation
  ) throws(EngineError) -> (Snapshot, Predicate?) {
    let table = TableReference.table(NamedTable(name: name, timeTravel: timeTravel, location: location))
    let query = Query(body: .select(Select(items: [.wildcard(Wildcard())], from: [table], whereClause: condition)))
    let node = try plan(query)
    var scan: PlanNode?
    var filter: PhysicalExpression?
    func walk(_ node: PlanNode) {
      if case .scan = node.op { scan = node }
      if case .filter(let e) = node.op, case .scan = node.children.first?.op { filter = e }
      node.children.forEach(walk)
    }
    walk(node)
    guard let scan, case .scan(.delta(let snapshot), let columns, _) = scan.op else {
      throw EngineError(.table, "'\(name)' is not a Delta table", at: location)
    }
    guard let condition else { return (snapshot, nil) }
    guard let filter, let predicate = Pushdown.exactPredicate(filter, columns: columns, schema: scan.schema) else {
      throw EngineError(
        .unsupported,
        "this WHERE cannot select partitions: use comparisons, IN, IS NULL, AND, OR and NOT on partition columns and constants",
        at: condition.location)
    }
    return (snapshot, predicate)
  }

  /// A one-row result of counters.
  static func counts(_ values: [(String, Int64)], start: ContinuousClock.Instant) throws(EngineError) -> QueryResult {
    let schema = Schema(values.map { Field($0.0, .int64) })
    let columns = values.map { ColumnVector(type: .int64, count: 1, storage: .int64([$0.1])) }
    let batch = try exec { () throws(ExecError) in try RecordBatch.make(schema: schema, columns: columns, rowCount: 1) }
    return QueryResult(kind: .rows, schema: schema, batches: [batch], elapsed: .now - start, scans: [])
  }
}
