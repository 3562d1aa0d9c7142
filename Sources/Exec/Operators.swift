public import Columnar
import Expr

/// A pull-based stream of record batches: each operator asks its input for the next batch.
public protocol BatchStream {
  var schema: Schema { get }
  /// The next batch, or nil at the end.
  mutating func next() throws(ExecError) -> RecordBatch?
}

/// Batches held in memory (tests, and the adapter for scans that produced them).
public struct BatchSource: BatchStream {
  public let schema: Schema
  var batches: [RecordBatch]
  var position = 0
  public init(schema: Schema, batches: [RecordBatch]) {
    self.schema = schema
    self.batches = batches
  }
  public mutating func next() throws(ExecError) -> RecordBatch? {
    guard position < batches.count else { return nil }
    position += 1
    return batches[position - 1]
  }
}

/// Keeps the rows where a predicate is true.
public struct Filter: Sendable {
  public let predicate: PhysicalExpression
  public init(_ predicate: PhysicalExpression) { self.predicate = predicate }

  /// The rows of `batch` that pass.
  public func apply(_ batch: RecordBatch) throws(ExecError) -> RecordBatch {
    let mask = try predicate.selection(batch)
    if mask.allSet { return batch }
    return try batch.gather(mask.setIndices())
  }
}

/// Computes output columns from expressions.
public struct Project: Sendable {
  public let expressions: [PhysicalExpression]
  public let names: [String]
  public init(_ expressions: [PhysicalExpression], names: [String]) {
    self.expressions = expressions
    self.names = names
  }

  public func apply(_ batch: RecordBatch) throws(ExecError) -> RecordBatch {
    var columns: [ColumnVector] = []
    for e in expressions { columns.append(try e.evaluate(batch)) }
    let fields = zip(names, columns).map { Field($0, $1.type) }
    return try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: batch.rowCount)
  }
}

/// LIMIT / OFFSET over a stream of batches.
public struct Limit: Sendable {
  public let limit: Int?
  public let offset: Int
  var skipped = 0
  var emitted = 0
  public init(limit: Int?, offset: Int = 0) {
    self.limit = limit
    self.offset = offset
  }

  /// The part of `batch` that is inside the window; nil once the limit is reached.
  public mutating func apply(_ batch: RecordBatch) throws(ExecError) -> RecordBatch? {
    if let limit, emitted >= limit { return nil }
    var start = 0
    if skipped < offset {
      start = min(batch.rowCount, offset - skipped)
      skipped += start
    }
    var end = batch.rowCount
    if let limit { end = min(end, start + (limit - emitted)) }
    emitted += max(0, end - start)
    if start == 0 && end == batch.rowCount { return batch }
    return try batch.gather((Int32(start)..<Int32(max(start, end))).map { $0 })
  }

  public var isFinished: Bool { limit.map { emitted >= $0 } ?? false }
}

/// ORDER BY over all input: buffers batches (charged to the budget), then sorts once.
public struct Sort: Sendable {
  public let keys: [SortKey]
  let budget: MemoryBudget
  var batches: [RecordBatch] = []
  var schema: Schema?
  public init(_ keys: [SortKey], budget: MemoryBudget = .unlimited()) {
    self.keys = keys
    self.budget = budget
  }

  public mutating func accumulate(_ batch: RecordBatch) throws(ExecError) {
    if schema == nil { schema = batch.schema }
    try budget.charge(batch.estimatedBytes, by: "Sort")
    batches.append(batch)
  }

  public func finish() throws(ExecError) -> RecordBatch {
    guard let schema else { return RecordBatch.empty(Schema([])) }
    let all = try RecordBatch.concatenate(batches, schema: schema)
    return try all.gather(try Sorting.sortedIndices(all, keys: keys))
  }
}

/// ORDER BY … LIMIT n: keeps only the best `limit + offset` rows seen so far, with a heap.
public struct TopN: Sendable {
  public let keys: [SortKey]
  public let limit: Int
  var kept: RecordBatch?
  public init(_ keys: [SortKey], limit: Int) {
    self.keys = keys
    self.limit = limit
  }

  public mutating func accumulate(_ batch: RecordBatch) throws(ExecError) {
    guard batch.rowCount > 0 else {
      if kept == nil { kept = batch }
      return
    }
    let combined = try kept.map { k throws(ExecError) in try RecordBatch.concatenate([k, batch], schema: batch.schema) } ?? batch
    kept = try combined.gather(try Sorting.topIndices(combined, keys: keys, limit: limit))
  }

  /// The kept rows in order.
  public func finish() -> RecordBatch? { kept }
}

extension RecordBatch {
  /// Approximate bytes of the batch's buffers, for memory accounting.
  public var estimatedBytes: Int {
    var total = 0
    for c in columns {
      switch c.storage {
      case .binary(_, let b): total += b.count + c.count * 4
      case .int128: total += c.count * 16
      case .boolean: total += c.count / 8
      default: total += c.count * 8
      }
    }
    return total
  }
}
