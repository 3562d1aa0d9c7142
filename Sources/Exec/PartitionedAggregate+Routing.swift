import Columnar

/// Routing a batch's selected rows to the shared partitions.
extension PartitionedAggregate {
  /// Inserts the keys of the selected rows of `inputs` into their partitions and folds the rows.
  func route(_ inputs: AggregateInputs) throws(ExecError) {
    let rows = inputs.rows
    let m = rows.count
    guard m > 0 else { return }
    if inputs.keys.count == 1, inputs.keys[0].type.isBinaryLike {
      let key = inputs.keys[0]
      let validity = key.effectiveValidity
      switch key.storage {
      case .binary(let offsets, let bytes):
        // The non-null rows are the keys, hashed straight from the column.
        var rowKey = [Int32](repeating: -1, count: m)
        var probeRows: [Int32] = []
        probeRows.reserveCapacity(m)
        for j in 0..<m where validity.map({ $0[Int(rows[j])] }) ?? true {
          rowKey[j] = Int32(truncatingIfNeeded: probeRows.count)
          probeRows.append(rows[j])
        }
        try bytes.withUnsafeBufferPointer { (raw) throws(ExecError) in
          try offsets.withUnsafeBufferPointer { (off) throws(ExecError) in
            try probeRows.withUnsafeBufferPointer { (probe) throws(ExecError) in
              try route(OffsetKeys(base: UnsafeRawPointer(raw.baseAddress), offsets: off, rows: probe), rowKey: rowKey, inputs)
            }
          }
        }
        return
      case .dictionary(let indices, let dictionary):
        guard case .binary(let offsets, let bytes) = dictionary.storage else { break }
        // The dictionary entries the selected rows use are the keys.
        var entrySlot = [Int32](repeating: -1, count: dictionary.count)
        var needed: [Int32] = []
        var rowKey = [Int32](repeating: -1, count: m)
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
          rowKey[j] = entrySlot[e]
        }
        try bytes.withUnsafeBufferPointer { (raw) throws(ExecError) in
          try offsets.withUnsafeBufferPointer { (off) throws(ExecError) in
            try needed.withUnsafeBufferPointer { (entries) throws(ExecError) in
              try route(OffsetKeys(base: UnsafeRawPointer(raw.baseAddress), offsets: off, rows: entries), rowKey: rowKey, inputs)
            }
          }
        }
        return
      default:
        break
      }
    }
    // Any other keys: each row's key columns encoded as one byte string (NULLs included).
    let encoded = try KeyEncoding.encode(inputs.keys, rows: rows, rowCount: inputs.rowCount)
    let rowKey = (0..<Int32(truncatingIfNeeded: m)).map { $0 }
    try encoded.bytes.withUnsafeBufferPointer { (raw) throws(ExecError) in
      try encoded.offsets.withUnsafeBufferPointer { (off) throws(ExecError) in
        try route(DenseOffsetKeys(base: UnsafeRawPointer(raw.baseAddress), offsets: off, count: m), rowKey: rowKey, inputs)
      }
    }
  }

  /// Routes `keys` by hash and selected row `j` with them (its key is `rowKey[j]`, or the NULL
  /// key when negative); in each partition, under its lock, inserts the keys and folds the rows.
  func route<Keys: KeyBatch>(_ keys: Keys, rowKey: [Int32], _ inputs: AggregateInputs) throws(ExecError) {
    let partitions = SharedPartitions.partitionCount
    let n = keys.count
    let m = rowKey.count
    // Hash each key once; counting-sort the keys by partition, so each partition's keys and
    // hashes are contiguous, and note each key's index within its partition.
    var hashes = [UInt64](repeating: 0, count: n)
    var keyPart = [UInt8](repeating: 0, count: n)
    var keyBounds = [Int](repeating: 0, count: partitions + 1)
    for k in 0..<n {
      let (pointer, length) = keys.key(k)
      let hash = ByteHashing.hash(pointer, length)
      hashes[k] = hash
      let p = SharedPartitions.partition(of: hash)
      keyPart[k] = UInt8(truncatingIfNeeded: p)
      keyBounds[p + 1] += 1
    }
    for p in 0..<partitions { keyBounds[p + 1] += keyBounds[p] }
    var keyOrder = [Int32](repeating: 0, count: n)
    var sortedHashes = [UInt64](repeating: 0, count: n)
    var localIndex = [Int32](repeating: 0, count: n)
    var cursor = keyBounds
    for k in 0..<n {
      let p = Int(keyPart[k])
      let i = cursor[p]
      keyOrder[i] = Int32(truncatingIfNeeded: k)
      sortedHashes[i] = hashes[k]
      localIndex[k] = Int32(truncatingIfNeeded: i - keyBounds[p])
      cursor[p] = i + 1
    }
    // The rows follow their keys' partitions (NULL keys go where the NULL key hash files).
    let nullPart = UInt8(truncatingIfNeeded: SharedPartitions.partition(of: HashAggregate.nullKeyHash))
    var rowPart = [UInt8](repeating: 0, count: m)
    var rowBounds = [Int](repeating: 0, count: partitions + 1)
    for j in 0..<m {
      let k = rowKey[j]
      let p = k < 0 ? nullPart : keyPart[Int(k)]
      rowPart[j] = p
      rowBounds[Int(p) + 1] += 1
    }
    for p in 0..<partitions { rowBounds[p + 1] += rowBounds[p] }
    var rowOrder = [Int32](repeating: 0, count: m)
    cursor = rowBounds
    for j in 0..<m {
      let p = Int(rowPart[j])
      rowOrder[cursor[p]] = Int32(truncatingIfNeeded: j)
      cursor[p] += 1
    }
    let used = (0..<partitions).filter { rowBounds[$0 + 1] > rowBounds[$0] }
    let rows = inputs.rows
    try keyOrder.withUnsafeBufferPointer { (order) throws(ExecError) in
      try sortedHashes.withUnsafeBufferPointer { (sorted) throws(ExecError) in
        try shared.update(used) { (p, part) throws(ExecError) in
          let keyRange = keyBounds[p]..<keyBounds[p + 1]
          var ids = [Int32](repeating: 0, count: keyRange.count)
          ids.withUnsafeMutableBufferPointer { out in
            part.table.findOrInsert(
              SubsetKeys(keys: keys, positions: UnsafeBufferPointer(rebasing: order[keyRange])),
              hashes: UnsafeBufferPointer(rebasing: sorted[keyRange]), into: out)
          }
          let rowRange = rowBounds[p]..<rowBounds[p + 1]
          var gids: [Int32] = []
          gids.reserveCapacity(rowRange.count)
          var partRows: [Int32] = []
          partRows.reserveCapacity(rowRange.count)
          var nullID: Int32 = -1
          for i in rowRange {
            let j = Int(rowOrder[i])
            let k = Int(rowKey[j])
            if k < 0 {
              if nullID < 0 { nullID = part.nullKeyGroup() }
              gids.append(nullID)
            } else {
              gids.append(ids[Int(localIndex[k])])
            }
            partRows.append(rows[j])
          }
          try part.fold(inputs, gids: gids, rows: partRows)
        }
      }
    }
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
