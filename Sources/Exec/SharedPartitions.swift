public import Columnar
import Dispatch
import Synchronization

/// The partitions of a hash aggregate that every worker of a pipeline folds into.
///
/// Partition p owns the keys whose hash has p in its top bits, behind a lock of its own. A worker
/// routes a batch's rows by key hash and folds each partition's share holding only that
/// partition's lock, taking free partitions before waiting for a busy one: with 32 partitions
/// and one worker per core the workers rarely wait. Each key is inserted once, into one table,
/// so there are no per-worker tables of the same keys left to merge at the end.
public final class SharedPartitions: Sendable {
  public static let partitionBits = 5
  public static var partitionCount: Int { 1 << partitionBits }

  final class Slot: Sendable {
    let aggregate: Mutex<HashAggregate>
    init(_ aggregate: HashAggregate) { self.aggregate = Mutex(aggregate) }
  }
  let slots: [Slot]

  public init(groupBy: [PhysicalExpression], groupNames: [String], aggregates: [AggregateSpec], budget: MemoryBudget = .unlimited()) {
    slots = (0..<Self.partitionCount).map { _ in
      Slot(HashAggregate(groupBy: groupBy, groupNames: groupNames, aggregates: aggregates, budget: budget))
    }
  }

  /// The partition a key hash is filed under.
  @inline(__always) static func partition(of hash: UInt64) -> Int {
    Int(truncatingIfNeeded: hash >> UInt64(64 - partitionBits))
  }

  /// Runs `body` on each listed partition under its lock, free partitions first.
  func update(_ partitions: [Int], _ body: (Int, inout HashAggregate) throws(ExecError) -> Void) throws(ExecError) {
    var pending = partitions
    while !pending.isEmpty {
      var busy: [Int] = []
      for p in pending {
        let done = try slots[p].aggregate.withLockIfAvailable { (aggregate) throws(ExecError) -> Bool in
          try body(p, &aggregate)
          return true
        }
        if done == nil { busy.append(p) }
      }
      if busy.count == pending.count, let p = busy.first {
        // Every remaining partition is taken: wait for one rather than spin.
        try slots[p].aggregate.withLock { (aggregate) throws(ExecError) in try body(p, &aggregate) }
        busy.removeFirst()
      }
      pending = busy
    }
  }

  /// Every partition's groups, finished `threads` partitions at a time: one batch per non-empty
  /// partition (one empty batch when all are empty).
  func finish(threads: Int) throws(ExecError) -> [RecordBatch] {
    let count = slots.count
    let batches = Mutex<[RecordBatch?]>(Array(repeating: nil, count: count))
    let failure = Mutex<ExecError?>(nil)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, count))) { _ in
      while true {
        let p = next.add(1, ordering: .relaxed).oldValue
        guard p < count else { return }
        do throws(ExecError) {
          let batch = try slots[p].aggregate.withLock { (aggregate) throws(ExecError) in try aggregate.finish() }
          batches.withLock { $0[p] = batch }
        } catch {
          failure.withLock { if $0 == nil { $0 = error } }
          return
        }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    let results = batches.withLock { $0 }.compactMap { $0 }
    let nonEmpty = results.filter { $0.rowCount > 0 }
    return nonEmpty.isEmpty ? Array(results.prefix(1)) : nonEmpty
  }
}
