public import Columnar
import Dispatch
import Synchronization

/// A worker's partial hash aggregate that splits itself by key hash once it holds many groups.
///
/// While small it is one ``HashAggregate``. Past ``splitThreshold`` groups it becomes
/// ``partitionCount`` of them, each owning the keys whose hash has the same top bits. Each batch's
/// rows are then routed to their partition's table, which is small enough to stay in cache, and
/// at the end ``finish(_:threads:)`` merges partition p of every worker on its own thread: the
/// merge of millions of groups, one key at a time, no longer runs on one core.
public struct PartitionedAggregate: Sendable {
  public static let partitionBits = 5
  public static var partitionCount: Int { 1 << partitionBits }
  /// Groups a partial holds before it splits: below it, one table is cheaper than many.
  public static let splitThreshold = 1 << 15

  var whole: HashAggregate
  var parts: [HashAggregate] = []

  public init(groupBy: [PhysicalExpression], groupNames: [String], aggregates: [AggregateSpec], budget: MemoryBudget = .unlimited()) {
    whole = HashAggregate(groupBy: groupBy, groupNames: groupNames, aggregates: aggregates, budget: budget)
  }

  public var isSplit: Bool { !parts.isEmpty }

  /// The partition a key hash is filed under.
  @inline(__always) static func partition(of hash: UInt64) -> Int {
    Int(truncatingIfNeeded: hash >> UInt64(64 - partitionBits))
  }

  /// Adds the rows of `batch` set in `selection` (all rows when nil).
  public mutating func accumulate(_ batch: RecordBatch, selection: Bitmap? = nil) throws(ExecError) {
    guard isSplit else {
      try whole.accumulate(batch, selection: selection)
      if !whole.groupBy.isEmpty && whole.groupCount > Self.splitThreshold { try split() }
      return
    }
    let inputs = try parts[0].prepare(batch, selection: selection)
    var routed = try resolve(inputs)
    for p in parts.indices where !routed.rows[p].isEmpty {
      try parts[p].fold(inputs, gids: routed.gids[p], rows: routed.rows[p])
      routed.rows[p] = []
      routed.gids[p] = []
    }
  }

  /// Moves every group of `whole` to its partition, visiting each group once.
  mutating func split() throws(ExecError) {
    let source = whole
    source.budget.release(source.charged)
    var members = [[Int32]](repeating: [], count: Self.partitionCount)
    for g in 0..<source.table.count {
      members[Self.partition(of: source.table.hash(of: g))].append(Int32(truncatingIfNeeded: g))
    }
    parts = []
    for p in 0..<Self.partitionCount {
      var part = HashAggregate(groupBy: source.groupBy, groupNames: source.groupNames, aggregates: source.aggregates, budget: source.budget)
      try part.merge(source, groups: members[p])
      parts.append(part)
    }
    whole = HashAggregate(groupBy: source.groupBy, groupNames: source.groupNames, aggregates: source.aggregates)
  }

  /// Merges the partials of every worker and returns the groups: one batch when no partial
  /// split, else one per partition, merged and finished `threads` at a time.
  public static func finish(_ partials: [PartitionedAggregate], threads: Int) throws(ExecError) -> [RecordBatch] {
    guard let first = partials.first else { return [] }
    guard partials.contains(where: \.isSplit) else {
      var merged = first.whole
      for partial in partials.dropFirst() { try merged.merge(partial.whole) }
      return [try merged.finish()]
    }
    var all = partials
    for i in all.indices where !all[i].isSplit { try all[i].split() }
    let inputs = all
    let batches = Mutex<[RecordBatch?]>(Array(repeating: nil, count: partitionCount))
    let failure = Mutex<ExecError?>(nil)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, partitionCount))) { _ in
      while true {
        let p = next.add(1, ordering: .relaxed).oldValue
        guard p < partitionCount else { return }
        switch mergePartition(p, of: inputs) {
        case .success(let batch): batches.withLock { $0[p] = batch }
        case .failure(let error):
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

  /// Partition `p` of every partial, merged and finished.
  static func mergePartition(_ p: Int, of partials: [PartitionedAggregate]) -> Result<RecordBatch, ExecError> {
    do throws(ExecError) {
      var merged = partials[0].parts[p]
      for partial in partials.dropFirst() { try merged.merge(partial.parts[p]) }
      return .success(try merged.finish())
    } catch {
      return .failure(error)
    }
  }
}

// MARK: - Routing a batch's rows to partitions

extension PartitionedAggregate {
  /// The selected rows of each partition and their group ids in it.
  struct Routed {
    var rows: [[Int32]]
    var gids: [[Int32]]
  }

  /// Finds or inserts every selected row's key in its partition's table.
  mutating func resolve(_ inputs: AggregateInputs) throws(ExecError) -> Routed {
    let rows = inputs.rows
    let m = rows.count
    var partOf = [UInt8](repeating: 0, count: m)
    var gidOf = [Int32](repeating: 0, count: m)
    if inputs.keys.count == 1, inputs.keys[0].type.isBinaryLike, try resolveString(inputs.keys[0], rows, &partOf, &gidOf) {
      // Routed straight from the string column.
    } else {
      let encoded = try KeyEncoding.encode(inputs.keys, rows: rows, rowCount: inputs.rowCount)
      encoded.bytes.withUnsafeBytes { raw in
        encoded.offsets.withUnsafeBufferPointer { offsets in
          insert(DenseOffsetKeys(base: raw.baseAddress, offsets: offsets, count: m), partOf: &partOf, gidOf: &gidOf)
        }
      }
    }
    return bucket(rows, partOf, gidOf)
  }

  /// Routes a single string key, plain or dictionary-encoded, hashing straight from the column;
  /// false for other storage.
  mutating func resolveString(_ key: ColumnVector, _ rows: [Int32], _ partOf: inout [UInt8], _ gidOf: inout [Int32]) throws(ExecError) -> Bool {
    let m = rows.count
    let validity = key.effectiveValidity
    let nullPart = Self.partition(of: HashAggregate.nullKeyHash)
    func markNulls(_ partOf: inout [UInt8], _ gidOf: inout [Int32], _ parts: inout [HashAggregate]) {
      guard let validity else { return }
      var nullGroup: Int32 = -1
      for j in 0..<m where !validity[Int(rows[j])] {
        if nullGroup < 0 { nullGroup = parts[nullPart].nullKeyGroup() }
        partOf[j] = UInt8(nullPart)
        gidOf[j] = nullGroup
      }
    }
    switch key.storage {
    case .binary(let offsets, let bytes):
      // Non-null rows are keys; their (partition, id) land at their position in `rows`.
      var positions: [Int32] = []
      positions.reserveCapacity(m)
      var probeRows: [Int32] = []
      probeRows.reserveCapacity(m)
      for j in 0..<m where validity.map({ $0[Int(rows[j])] }) ?? true {
        positions.append(Int32(truncatingIfNeeded: j))
        probeRows.append(rows[j])
      }
      let (probePart, probeGid) = insertStrings(bytes, offsets, at: probeRows)
      for (i, j) in positions.enumerated() {
        partOf[Int(j)] = probePart[i]
        gidOf[Int(j)] = probeGid[i]
      }
      markNulls(&partOf, &gidOf, &parts)
      return true
    case .dictionary(let indices, let dictionary):
      guard case .binary(let offsets, let bytes) = dictionary.storage else { return false }
      // The entries the selected rows use are the keys; each row takes its entry's (partition, id).
      var entrySlot = [Int32](repeating: -1, count: dictionary.count)
      var needed: [Int32] = []
      for j in 0..<m {
        let row = Int(rows[j])
        if let validity, !validity[row] { continue }
        let e = Int(indices[row])
        guard e >= 0, e < entrySlot.count else {
          throw ExecError(.invalidPlan, "dictionary index \(e) out of range (PartitionedAggregate)")
        }
        if entrySlot[e] < 0 {
          entrySlot[e] = Int32(truncatingIfNeeded: needed.count)
          needed.append(Int32(truncatingIfNeeded: e))
        }
      }
      let (entryPart, entryGid) = insertStrings(bytes, offsets, at: needed)
      for j in 0..<m {
        let row = Int(rows[j])
        if let validity, !validity[row] { continue }
        let slot = Int(entrySlot[Int(indices[row])])
        partOf[j] = entryPart[slot]
        gidOf[j] = entryGid[slot]
      }
      markNulls(&partOf, &gidOf, &parts)
      return true
    default:
      return false
    }
  }

  /// Inserts the strings at `rows` of a string column's storage; returns each one's partition and id.
  mutating func insertStrings(_ bytes: [UInt8], _ offsets: [Int32], at rows: [Int32]) -> (part: [UInt8], gid: [Int32]) {
    var part = [UInt8](repeating: 0, count: rows.count)
    var gid = [Int32](repeating: 0, count: rows.count)
    bytes.withUnsafeBytes { raw in
      offsets.withUnsafeBufferPointer { off in
        rows.withUnsafeBufferPointer { probe in
          insert(OffsetKeys(base: raw.baseAddress, offsets: off, rows: probe), partOf: &part, gidOf: &gid)
        }
      }
    }
    return (part, gid)
  }

  /// Hashes every key of `keys`, inserts each into its partition's table, and writes key j's
  /// partition and id to `partOf[j]` and `gidOf[j]`.
  mutating func insert<Keys: KeyBatch>(_ keys: Keys, partOf: inout [UInt8], gidOf: inout [Int32]) {
    let n = keys.count
    guard n > 0 else { return }
    let partitions = Self.partitionCount
    var hashes = [UInt64](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: partitions + 1)
    for j in 0..<n {
      let (pointer, length) = keys.key(j)
      let hash = ByteHashing.hash(pointer, length)
      hashes[j] = hash
      let p = Self.partition(of: hash)
      partOf[j] = UInt8(truncatingIfNeeded: p)
      counts[p + 1] += 1
    }
    // Counting sort of the keys by partition: each partition's keys and hashes are contiguous.
    for p in 0..<partitions { counts[p + 1] += counts[p] }
    var order = [Int32](repeating: 0, count: n)
    var sortedHashes = [UInt64](repeating: 0, count: n)
    var cursor = counts
    for j in 0..<n {
      let p = Int(partOf[j])
      order[cursor[p]] = Int32(truncatingIfNeeded: j)
      sortedHashes[cursor[p]] = hashes[j]
      cursor[p] += 1
    }
    var ids = [Int32](repeating: 0, count: n)
    order.withUnsafeBufferPointer { order in
      sortedHashes.withUnsafeBufferPointer { sortedHashes in
        ids.withUnsafeMutableBufferPointer { ids in
          for p in 0..<partitions where counts[p + 1] > counts[p] {
            let range = counts[p]..<counts[p + 1]
            parts[p].table.findOrInsert(
              SubsetKeys(keys: keys, positions: UnsafeBufferPointer(rebasing: order[range])),
              hashes: UnsafeBufferPointer(rebasing: sortedHashes[range]),
              into: UnsafeMutableBufferPointer(rebasing: ids[range]))
          }
        }
      }
    }
    for i in 0..<n { gidOf[Int(order[i])] = ids[i] }
  }

  /// Each partition's rows and group ids, in row order.
  func bucket(_ rows: [Int32], _ partOf: [UInt8], _ gidOf: [Int32]) -> Routed {
    let partitions = Self.partitionCount
    var counts = [Int](repeating: 0, count: partitions)
    for p in partOf { counts[Int(p)] += 1 }
    var routed = Routed(rows: [], gids: [])
    for p in 0..<partitions {
      var r: [Int32] = []
      r.reserveCapacity(counts[p])
      var g: [Int32] = []
      g.reserveCapacity(counts[p])
      routed.rows.append(r)
      routed.gids.append(g)
    }
    for j in 0..<rows.count {
      let p = Int(partOf[j])
      routed.rows[p].append(rows[j])
      routed.gids[p].append(gidOf[j])
    }
    return routed
  }
}

/// The keys of another batch at `positions`.
struct SubsetKeys<Keys: KeyBatch>: KeyBatch {
  var keys: Keys
  var positions: UnsafeBufferPointer<Int32>
  var count: Int { positions.count }
  @inline(__always) func key(_ j: Int) -> (pointer: UnsafeRawPointer?, length: Int) {
    keys.key(Int(truncatingIfNeeded: positions[j]))
  }
}
