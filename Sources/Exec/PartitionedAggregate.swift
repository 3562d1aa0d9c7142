public import Columnar

/// A worker's share of a hash aggregate: a table of its own while it holds few groups, then the
/// partitions it shares with every other worker.
///
/// Few groups (a GROUP BY on a handful of values) are cheapest in one private table per worker,
/// merged at the end. Past ``splitThreshold`` groups the worker moves its groups into the
/// ``SharedPartitions`` and routes each later batch's rows there by key hash, so millions of
/// groups are each inserted once, into a table small enough to stay in cache, and the end needs
/// no merge: each partition is finished on its own thread.
public struct PartitionedAggregate: Sendable {
  /// Groups a private table holds before the worker moves to the shared partitions.
  public static let splitThreshold = 1 << 15

  var whole: HashAggregate
  let shared: SharedPartitions
  /// Whether this worker folds into the shared partitions.
  public private(set) var isSplit = false

  public init(
    groupBy: [PhysicalExpression], groupNames: [String], aggregates: [AggregateSpec], budget: MemoryBudget = .unlimited(),
    shared: SharedPartitions
  ) {
    whole = HashAggregate(groupBy: groupBy, groupNames: groupNames, aggregates: aggregates, budget: budget)
    self.shared = shared
  }

  /// Adds the rows of `batch` set in `selection` (all rows when nil).
  public mutating func accumulate(_ batch: RecordBatch, selection: Bitmap? = nil) throws(ExecError) {
    guard isSplit else {
      try whole.accumulate(batch, selection: selection)
      if !whole.groupBy.isEmpty && whole.groupCount > Self.splitThreshold { try moveToShared() }
      return
    }
    try route(try whole.prepare(batch, selection: selection))
  }

  /// Moves every group of the private table to its shared partition, visiting each group once.
  mutating func moveToShared() throws(ExecError) {
    let source = whole
    source.budget.release(source.charged)
    var members = [[Int32]](repeating: [], count: SharedPartitions.partitionCount)
    for g in 0..<source.table.count {
      members[SharedPartitions.partition(of: source.table.hash(of: g))].append(Int32(truncatingIfNeeded: g))
    }
    let partitions = members.indices.filter { !members[$0].isEmpty }
    try shared.update(partitions) { (p, part) throws(ExecError) in try part.merge(source, groups: members[p]) }
    // Kept for `prepare`, which only evaluates the batch.
    whole = HashAggregate(groupBy: source.groupBy, groupNames: source.groupNames, aggregates: source.aggregates)
    isSplit = true
  }

  /// The groups of every worker's share: one batch when no worker left its private table, else
  /// one per non-empty shared partition, finished `threads` at a time.
  public static func finish(_ partials: [PartitionedAggregate], threads: Int) throws(ExecError) -> [RecordBatch] {
    guard let first = partials.first else { return [] }
    guard partials.contains(where: \.isSplit) else {
      var merged = first.whole
      for partial in partials.dropFirst() { try merged.merge(partial.whole) }
      return [try merged.finish()]
    }
    var all = partials
    for i in all.indices where !all[i].isSplit { try all[i].moveToShared() }
    return try first.shared.finish(threads: threads)
  }
}
