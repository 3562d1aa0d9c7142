import Columnar
import Delta
import Exec
import Expr

/// `SELECT p, COUNT(*) FROM t [WHERE p …] GROUP BY p` over partition columns of a Delta table,
/// and `SELECT COUNT(*) FROM t`, need no data: each file's partition values and `numRecords` (from `add.stats`) answer it.
/// The files become one row each with their row count, and COUNT(*) becomes a SUM of it.
enum MetadataCount {
  /// The aggregate's result from the log alone, or nil when some file lacks the facts (no
  /// statistics, or rows deleted by a deletion vector) or the query needs data.
  static func answer(
    _ node: PlanNode, _ pipeline: Pipeline, groupBy: [PhysicalExpression], aggregates: [AggregateSpec],
    executor: Executor
  ) throws(EngineError) -> RecordBatch? {
    guard case .scan(let source, let columns, let predicate) = pipeline.scan.op, case .delta(let snapshot) = source,
      aggregates.allSatisfy({ $0.kind == .countStar && $0.filter == nil }),
      pipeline.operators.allSatisfy({ if case .filter = $0.op { true } else { false } }),
      columns.allSatisfy(snapshot.partitionColumns.contains) || (groupBy.isEmpty && pipeline.operators.isEmpty)
    else { return nil }
    let planned = try source.plan(columns: columns, predicate: predicate)
    guard case .delta(let scan) = planned.kind else { return nil }
    var counts: [Int64] = []
    counts.reserveCapacity(scan.files.count)
    for file in scan.files {
      guard file.add.deletionVector == nil else { return nil }
      let records = file.add.stats.flatMap(FileStatistics.numRecords(json:)) ?? file.add.parsedStats?.numRecords
      guard let records else { return nil }
      counts.append(records)
    }
    // A global count of no files is 0, which a SUM of nothing would not give.
    if groupBy.isEmpty && counts.isEmpty { return nil }
    pipeline.scan.scanStatistics = planned.statistics

    // One row per file: the partition values, then its row count.
    var vectors: [ColumnVector] = []
    for field in planned.schema.fields {
      let values = scan.files.map { $0.partitionValues[field.name] ?? .null }
      vectors.append(try exec { () throws(ExecError) in try ColumnVector.from(values, type: field.type) })
    }
    vectors.append(ColumnVector(type: .int64, count: counts.count, storage: .int64(counts)))
    let schema = Schema(planned.schema.fields + [Field("__records", .int64)])
    var batch = try exec { () throws(ExecError) in try RecordBatch.make(schema: schema, columns: vectors, rowCount: counts.count) }
    pipeline.scan.metrics.record(rows: batch.rowCount, since: .now)
    for filter in pipeline.operators {
      let start = ContinuousClock.now
      batch = try Pipeline.apply(filter, to: batch)
      filter.metrics.record(rows: batch.rowCount, since: start)
    }
    if groupBy.isEmpty && batch.rowCount == 0 { return nil }
    let weight = PhysicalExpression.column(columns.count)
    let sums = aggregates.map { AggregateSpec(.sum, weight, as: $0.name) }
    let start = ContinuousClock.now
    var aggregate = HashAggregate(
      groupBy: groupBy, groupNames: node.schema.fields.prefix(groupBy.count).map(\.name), aggregates: sums,
      budget: executor.budget)
    try exec { () throws(ExecError) in try aggregate.accumulate(batch) }
    let result = try executor.finishAggregate(aggregate, node)
    node.metrics.record(rows: result.rowCount, since: start)
    return result
  }
}
