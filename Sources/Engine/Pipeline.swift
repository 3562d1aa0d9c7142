import Columnar
import Delta
import Dispatch
import Exec
import Expr
import Synchronization

/// A scan and the filters and projections stacked on it: the part of a plan that runs on every
/// core, one file per worker at a time.
struct Pipeline {
  let scan: PlanNode
  /// The operators above the scan, bottom first.
  let operators: [PlanNode]

  init?(_ top: PlanNode) {
    var chain: [PlanNode] = []
    var node = top
    while true {
      switch node.op {
      case .filter, .project:
        chain.append(node)
        node = node.child
        continue
      case .scan:
        scan = node
        operators = chain.reversed()
        return
      default:
        return nil
      }
    }
  }

  /// Applies one filter or projection to a batch.
  static func apply(_ node: PlanNode, to batch: RecordBatch) throws(EngineError) -> RecordBatch {
    switch node.op {
    case .filter(let predicate):
      return try exec { () throws(ExecError) in try Filter(predicate).apply(batch) }
    case .project(let expressions):
      var columns: [ColumnVector] = []
      columns.reserveCapacity(expressions.count)
      for expression in expressions { columns.append(try exec { () throws(ExecError) in try expression.evaluate(batch) }) }
      let fields = zip(node.schema.fields, columns).map { Field($0.name, $1.type) }
      return try exec { () throws(ExecError) in try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: batch.rowCount) }
    case .scan:
      return batch
    default:
      throw EngineError(.execution, "internal: \(node.op) is not a streaming operator")
    }
  }
}

/// What a pipeline's output feeds.
enum PipelineSink {
  /// Keep the batches in file order (stopping early once `limit` rows are in).
  case collect(limit: Int?)
  /// Per-worker partial aggregates, merged at the end.
  case aggregate(PlanNode, [PhysicalExpression], [AggregateSpec])
  /// Per-worker top-N heaps, merged at the end.
  case topN(PlanNode, [SortKey], Int)
}

/// One worker's state.
private struct WorkerState: Sendable {
  var aggregate: PartitionedAggregate?
  var topN: TopN?
}

extension Executor {
  func runPipeline(_ pipeline: Pipeline, sink: PipelineSink) throws(EngineError) -> [RecordBatch] {
    guard case .scan(let source, let columns, let predicate) = pipeline.scan.op else { return [] }
    let planned = try source.plan(columns: columns, predicate: predicate)
    pipeline.scan.scanStatistics = planned.statistics
    let units = planned.unitCount
    let workers = max(1, min(threads, units))
    let decodeInParallel = units < threads
    let nextUnit = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    let rowsCollected = Atomic<Int>(0)
    let failure = Mutex<EngineError?>(nil)
    let results = Mutex<[[RecordBatch]]>(Array(repeating: [], count: units))
    let states = Mutex<[WorkerState]>([])

    var streaming = pipeline.operators
    // A filter right on a Delta scan that reads only some of its columns is applied as the scan
    // reads: the other columns are decoded for the kept rows only.
    let filterFailure = Mutex<EngineError?>(nil)
    var rowFilter: RowFilter? = nil
    if planned.appliesRowFilters, let first = streaming.first, case .filter(let predicate) = first.op {
      let fields = predicate.columnIndices
      if !fields.isEmpty, fields.count < planned.schema.fields.count {
        let scanNode = pipeline.scan
        rowFilter = RowFilter(fields: fields.sorted()) { batch in
          let start = ContinuousClock.now
          do {
            let mask = try predicate.selection(batch)
            scanNode.metrics.rows.add(batch.rowCount, ordering: .relaxed)
            first.metrics.record(rows: mask.setCount, since: start)
            return mask
          } catch {
            filterFailure.withLock { $0 = $0 ?? EngineError(.execution, "\(error)") }
            return nil
          }
        }
        streaming.removeFirst()
      }
    }
    let scanFilter = rowFilter
    // A filter right below an aggregate becomes a selection: no rows are copied.
    var selectionTail: (PlanNode, PhysicalExpression)? = nil
    if case .aggregate = sink, let last = streaming.last, case .filter(let predicate) = last.op {
      selectionTail = (last, predicate)
      streaming.removeLast()
    }
    let operators = streaming
    let selectionFilter = selectionTail
    let budget = self.budget
    let progress = self.progress
    let unitsDone = Atomic<Int>(0)
    // The partitions a large GROUP BY's workers share.
    var sharedPartitions: SharedPartitions? = nil
    if case .aggregate(let node, let groupBy, let aggregates) = sink {
      sharedPartitions = SharedPartitions(
        groupBy: groupBy, groupNames: node.schema.fields.prefix(groupBy.count).map(\.name), aggregates: aggregates, budget: budget)
    }
    let shared = sharedPartitions

    let work: @Sendable (Int) -> Void = { _ in
      var state = WorkerState()
      switch sink {
      case .aggregate(let node, let groupBy, let aggregates):
        if let shared {
          state.aggregate = PartitionedAggregate(
            groupBy: groupBy, groupNames: node.schema.fields.prefix(groupBy.count).map(\.name), aggregates: aggregates,
            budget: budget, shared: shared)
        }
      case .topN(_, let keys, let limit):
        state.topN = TopN(keys, limit: limit)
      case .collect: break
      }
      do {
        while !stop.load(ordering: .relaxed) {
          let unit = nextUnit.add(1, ordering: .relaxed).oldValue
          guard unit < units else { break }
          var collected: [RecordBatch] = []
          let start = ContinuousClock.now
          var scanTime = start
          let read = try planned.read(unit, decodeInParallel: decodeInParallel, rowFilter: scanFilter) {
            (batch) throws(EngineError) -> Bool in
            // With a row filter the scan's rows are counted before it (in the filter).
            pipeline.scan.metrics.record(rows: scanFilter == nil ? batch.rowCount : 0, since: scanTime)
            var current = batch
            for node in operators {
              let opStart = ContinuousClock.now
              current = try Pipeline.apply(node, to: current)
              node.metrics.record(rows: current.rowCount, since: opStart)
            }
            switch sink {
            case .collect(let limit):
              if current.rowCount > 0 { collected.append(current) }
              if let limit {
                let total = rowsCollected.add(current.rowCount, ordering: .relaxed).newValue
                if total >= limit { stop.store(true, ordering: .relaxed) }
              }
            case .aggregate(let node, _, _):
              let opStart = ContinuousClock.now
              var selection: Bitmap? = nil
              if let (filterNode, predicate) = selectionFilter {
                let mask = try exec { () throws(ExecError) in try predicate.selection(current) }
                filterNode.metrics.record(rows: mask.setCount, since: opStart)
                selection = mask
              }
              let aggStart = ContinuousClock.now
              try exec { () throws(ExecError) in try state.aggregate!.accumulate(current, selection: selection) }
              node.metrics.nanoseconds.add(Int((ContinuousClock.now - aggStart).nanoseconds), ordering: .relaxed)
            case .topN(let node, _, _):
              let opStart = ContinuousClock.now
              try exec { () throws(ExecError) in try state.topN!.accumulate(current) }
              node.metrics.nanoseconds.add(Int((ContinuousClock.now - opStart).nanoseconds), ordering: .relaxed)
            }
            scanTime = ContinuousClock.now
            return !stop.load(ordering: .relaxed)
          }
          pipeline.scan.metrics.add(read)
          if let error = filterFailure.withLock({ $0 }) { throw error }
          if let progress { progress(unitsDone.add(1, ordering: .relaxed).newValue, units) }
          if case .collect = sink {
            let batches = collected
            results.withLock { $0[unit] = batches }
          }
        }
      } catch {
        let engineError = (error as? EngineError) ?? EngineError(.execution, "\(error)")
        failure.withLock { if $0 == nil { $0 = engineError } }
        stop.store(true, ordering: .relaxed)
      }
      let finished = state
      states.withLock { $0.append(finished) }
    }
    if workers == 1 {
      work(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }
    if let error = failure.withLock({ $0 }) { throw error }

    let finalStates = states.withLock { $0 }
    switch sink {
    case .collect:
      return results.withLock { $0 }.flatMap { $0 }
    case .aggregate(let node, _, _):
      let start = ContinuousClock.now
      let partials = finalStates.compactMap(\.aggregate)
      let threads = self.threads
      let finished = try exec { () throws(ExecError) in try PartitionedAggregate.finish(partials, threads: threads) }
      var results: [RecordBatch] = []
      for batch in finished { results.append(try conform(batch, node.schema)) }
      node.metrics.record(rows: results.reduce(0) { $0 + $1.rowCount }, since: start)
      return results
    case .topN(let node, let keys, let limit):
      let start = ContinuousClock.now
      var merged = TopN(keys, limit: limit)
      for state in finalStates {
        if let kept = state.topN?.finish() { try exec { () throws(ExecError) in try merged.accumulate(kept) } }
      }
      let result = try conform(merged.finish() ?? RecordBatch.empty(node.schema), node.schema)
      node.metrics.record(rows: result.rowCount, since: start)
      return [result]
    }
  }
}
