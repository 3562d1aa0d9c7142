import Columnar
import Exec
import Expr
import Synchronization

/// Runs a plan. Scans with the filters and projections above them run on every core, one file
/// per worker at a time, feeding per-worker partial aggregates or top-N heaps; the blocking
/// operators (sort, window, join, set operations) then work on the materialized results.
struct Executor: Sendable {
  let budget: MemoryBudget
  let threads: Int
  var progress: (@Sendable (Int, Int) -> Void)? = nil

  /// Every row `node` produces, in batches.
  func run(_ node: PlanNode) throws(EngineError) -> [RecordBatch] {
    if let pipeline = Pipeline(node) {
      return try runPipeline(pipeline, sink: .collect(limit: nil))
    }
    switch node.op {
    case .scan, .filter, .project:
      // Streaming operators over a materialized input (a join, a sort, …).
      let input = try run(node.child)
      let start = ContinuousClock.now
      var output: [RecordBatch] = []
      for batch in input {
        let result = try Pipeline.apply(node, to: batch)
        output.append(result)
      }
      node.metrics.record(rows: output.reduce(0) { $0 + $1.rowCount }, since: start)
      return output
    case .values(let batch):
      node.metrics.record(rows: batch.rowCount, since: .now)
      return [batch]
    case .aggregate(let groupBy, let aggregates):
      if let pipeline = Pipeline(node.child) {
        if let answer = try MetadataCount.answer(node, pipeline, groupBy: groupBy, aggregates: aggregates, executor: self) {
          return [answer]
        }
        return try runPipeline(pipeline, sink: .aggregate(node, groupBy, aggregates))
      }
      let input = try run(node.child)
      let start = ContinuousClock.now
      var aggregate = HashAggregate(groupBy: groupBy, groupNames: node.schema.fields.prefix(groupBy.count).map(\.name), aggregates: aggregates, budget: budget)
      for batch in input { try exec { () throws(ExecError) in try aggregate.accumulate(batch) } }
      let result = try finishAggregate(aggregate, node)
      node.metrics.record(rows: result.rowCount, since: start)
      return [result]
    case .sort(let keys, let limit):
      if let limit, let pipeline = Pipeline(node.child) {
        return try runPipeline(pipeline, sink: .topN(node, keys, limit))
      }
      let input = try run(node.child)
      let start = ContinuousClock.now
      let result: RecordBatch
      if let limit {
        var topN = TopN(keys, limit: limit)
        for batch in input { try exec { () throws(ExecError) in try topN.accumulate(batch) } }
        result = topN.finish() ?? RecordBatch.empty(node.schema)
      } else {
        var sort = Sort(keys, budget: budget)
        for batch in input { try exec { () throws(ExecError) in try sort.accumulate(batch) } }
        result = try exec { () throws(ExecError) in try sort.finish() }
      }
      let output = try conform(result, node.schema)
      node.metrics.record(rows: output.rowCount, since: start)
      return [output]
    case .limit(let count, let offset):
      let input: [RecordBatch]
      if let count, let pipeline = Pipeline(node.child) {
        input = try runPipeline(pipeline, sink: .collect(limit: count + offset))
      } else {
        input = try run(node.child)
      }
      let start = ContinuousClock.now
      var limit = Limit(limit: count, offset: offset)
      var output: [RecordBatch] = []
      for batch in input {
        guard let part = try exec({ () throws(ExecError) in try limit.apply(batch) }) else { break }
        if part.rowCount > 0 { output.append(part) }
      }
      node.metrics.record(rows: output.reduce(0) { $0 + $1.rowCount }, since: start)
      return output
    case .window(let functions):
      let input = try run(node.child)
      let start = ContinuousClock.now
      var window = Window(functions, budget: budget)
      for batch in input { try exec { () throws(ExecError) in try window.accumulate(batch) } }
      let result: RecordBatch
      if input.isEmpty {
        result = RecordBatch.empty(node.schema)
      } else {
        result = try conform(try exec { () throws(ExecError) in try window.finish() }, node.schema)
      }
      node.metrics.record(rows: result.rowCount, since: start)
      return [result]
    case .hashJoin(let type, let leftKeys, let rightKeys):
      let left = try materialize(node.children[0])
      let right = try materialize(node.children[1])
      let start = ContinuousClock.now
      let joined = try exec { () throws(ExecError) in
        try HashJoin.join(type, left, right, leftKeys: leftKeys, rightKeys: rightKeys, budget: budget)
      }
      let result = try conform(joined, node.schema)
      node.metrics.record(rows: result.rowCount, since: start)
      return [result]
    case .nestedLoopJoin(let type, let condition):
      let left = try run(node.children[0])
      let right = try materialize(node.children[1])
      let start = ContinuousClock.now
      var output: [RecordBatch] = []
      for batch in left {
        let joined = try NestedLoopJoin.join(type, batch, right, condition: condition, schema: node.schema, budget: budget)
        if joined.rowCount > 0 { output.append(joined) }
      }
      node.metrics.record(rows: output.reduce(0) { $0 + $1.rowCount }, since: start)
      return output
    case .unionAll:
      var output: [RecordBatch] = []
      for child in node.children {
        for batch in try run(child) { output.append(try conform(batch, node.schema)) }
      }
      node.metrics.record(rows: output.reduce(0) { $0 + $1.rowCount }, since: .now)
      return output
    case .except, .intersect:
      let left = try materialize(node.children[0])
      let right = try materialize(node.children[1])
      let start = ContinuousClock.now
      let keep: Bool = { if case .intersect = node.op { true } else { false } }()
      let result = try exec { () throws(ExecError) in try SetOperations.filterDistinct(left, against: right, keep: keep) }
      let output = try conform(result, node.schema)
      node.metrics.record(rows: output.rowCount, since: start)
      return [output]
    }
  }

  /// All of `node`'s rows as one batch of its schema.
  func materialize(_ node: PlanNode) throws(EngineError) -> RecordBatch {
    let batches = try run(node)
    var conformed: [RecordBatch] = []
    for batch in batches { conformed.append(try conform(batch, node.schema)) }
    return try exec { () throws(ExecError) in try RecordBatch.concatenate(conformed, schema: node.schema) }
  }

  func finishAggregate(_ aggregate: HashAggregate, _ node: PlanNode) throws(EngineError) -> RecordBatch {
    try conform(try exec { () throws(ExecError) in try aggregate.finish() }, node.schema)
  }

  /// `batch` relabelled with `schema`'s names; columns whose type differs from the schema's
  /// (NULL-typed constants, narrower integers) are cast to it.
  func conform(_ batch: RecordBatch, _ schema: Schema) throws(EngineError) -> RecordBatch {
    guard batch.columns.count == schema.fields.count else {
      throw EngineError(.execution, "internal: a batch of \(batch.columns.count) columns for \(schema.fields.count)")
    }
    var columns = batch.columns
    for (index, field) in schema.fields.enumerated() where columns[index].type != field.type {
      let column = columns[index]
      columns[index] = try exec { () throws(ExecError) in
        try PhysicalExpression.cast(.column(0), to: field.type, safe: false).evaluate(
          RecordBatch.make(schema: Schema([Field("c", column.type)]), columns: [column], rowCount: batch.rowCount))
      }
    }
    return try exec { () throws(ExecError) in try RecordBatch.make(schema: schema, columns: columns, rowCount: batch.rowCount) }
  }
}

/// Runs an Exec call, turning its error into an engine error.
func exec<T>(_ body: () throws(ExecError) -> T) throws(EngineError) -> T {
  do { return try body() } catch { throw EngineError(.execution, error.description) }
}
