public import Columnar
import Exec
import Expr
import Synchronization

/// One operator of a physical plan. Expressions refer to columns of the node's input (for
/// joins and set operations: the left columns, then the right ones).
final class PlanNode: @unchecked Sendable {
  // Nodes are built and rewritten by one thread before execution; only `metrics` is shared.
  enum Operator {
    /// Reads `columns` of a table; files are skipped with `predicate` (the filter above keeps
    /// filtering rows: skipping is conservative).
    case scan(ScanSource, columns: [String], predicate: Predicate?)
    /// Constant rows (a SELECT without FROM).
    case values(RecordBatch)
    case filter(PhysicalExpression)
    case project([PhysicalExpression])
    case aggregate(groupBy: [PhysicalExpression], aggregates: [AggregateSpec])
    case window([WindowFunction])
    /// ORDER BY; with a limit, only the first `limit` rows are kept (top-N).
    case sort([SortKey], limit: Int?)
    case limit(Int?, offset: Int)
    case hashJoin(JoinType, leftKeys: [PhysicalExpression], rightKeys: [PhysicalExpression])
    /// A join on an arbitrary condition (or none: a cross join), row by row of the right side.
    case nestedLoopJoin(JoinType, condition: PhysicalExpression?)
    case unionAll
    case except
    case intersect
  }

  var op: Operator
  var children: [PlanNode]
  /// The output columns.
  var schema: Schema
  let metrics = NodeMetrics()
  /// Set on scans once planned, for EXPLAIN ANALYZE.
  var scanStatistics: ScanStatistics? = nil

  init(_ op: Operator, _ children: [PlanNode] = [], schema: Schema) {
    self.op = op
    self.children = children
    self.schema = schema
  }

  var child: PlanNode { children[0] }

  /// A scan's file counts, with what its reads found when it ran.
  func scanReport(analyzed: Bool) -> ScanStatistics? {
    guard case .scan = op, var report = scanStatistics else { return nil }
    if analyzed {
      let read = metrics.scan.withLock { $0 }
      report.rowGroups = read.rowGroups
      report.rowGroupsSkipped = read.rowGroupsSkipped
      report.rowsRead = read.rowsRead
      report.bytesRead = read.bytesRead
      report.rowsFiltered = read.rowsFiltered
      report.rowsKept = read.rowsKept
    }
    return report
  }
}

extension Duration {
  var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}

/// What an operator did during EXPLAIN ANALYZE: rows produced and time spent (summed over
/// threads for operators that run in parallel).
final class NodeMetrics: Sendable {
  let rows = Atomic<Int>(0)
  let nanoseconds = Atomic<Int>(0)
  let batches = Atomic<Int>(0)
  let scan = Mutex(ScanStatistics())

  func record(rows count: Int, since start: ContinuousClock.Instant) {
    rows.add(count, ordering: .relaxed)
    batches.add(1, ordering: .relaxed)
    nanoseconds.add(Int((ContinuousClock.now - start).nanoseconds), ordering: .relaxed)
  }

  func add(_ statistics: ScanStatistics) {
    scan.withLock { total in
      total.rowGroups += statistics.rowGroups
      total.rowGroupsSkipped += statistics.rowGroupsSkipped
      total.rowsRead += statistics.rowsRead
      total.bytesRead += statistics.bytesRead
      total.rowsFiltered += statistics.rowsFiltered
      total.rowsKept += statistics.rowsKept
    }
  }
}
