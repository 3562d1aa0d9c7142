/// An open-addressing hash table from byte-string keys to dense ids 0, 1, 2, … in insertion order.
///
/// Keys live back to back in one arena (`keyBytes`, `keyOffsets`), so a table of millions of
/// string keys is a few arrays, not millions of allocations. Each slot packs the upper 32 bits of
/// the key's hash with `id + 1`, so most mismatches are rejected without touching the arena.
///
/// The batch entry point, ``findOrInsert(_:into:)``, sizes the table once for the whole batch
/// and then probes with raw pointers: no bounds checks, no growth and no reallocation inside the
/// loop. The single-key ``findOrInsert(_:_:hash:)`` is for merges and small one-off lookups.
struct ByteKeyTable: Sendable {
  private var slots: [UInt64]
  private var mask: Int
  /// Key `id` is `arena[offsets[id]..<offsets[id + 1]]`. The arrays keep zeroed room past the
  /// keys in use, so inserting a batch writes into place without appending.
  private var offsets: [Int] = [0]
  private var arena: [UInt8] = []
  /// The full hash of each key, by id (used to regrow and to merge without rehashing).
  private var keyHashes: [UInt64] = []
  /// The number of keys.
  private(set) var count = 0
  private var byteCount = 0
  /// Where the prefetching reads of ``prefetch(_:)`` go, so they are not optimized away.
  private var prefetchSink: UInt64 = 0

  /// A table sized for `capacity` keys before it first regrows.
  init(capacity: Int = 1024) {
    slots = [UInt64](repeating: 0, count: Self.slotCount(for: capacity))
    mask = slots.count - 1
    offsets.reserveCapacity(capacity + 1)
    keyHashes.reserveCapacity(capacity)
  }

  /// The power-of-two slot count that keeps `keys` keys at most half full.
  static func slotCount(for keys: Int) -> Int {
    var size = 16
    while size < keys * 2 { size <<= 1 }
    return size
  }

  /// Approximate heap bytes held.
  var memoryBytes: Int { slots.count * 8 + offsets.count * 8 + arena.count + keyHashes.count * 8 }

  /// The start offset of every key in ``keyBytes``, then the end of the last (`count + 1` entries).
  var keyOffsets: ArraySlice<Int> { offsets[0...count] }

  /// All keys back to back (a copy when the arena has spare room).
  var keyBytes: [UInt8] { arena.count == byteCount ? arena : Array(arena[0..<byteCount]) }

  /// The hash the key `id` was inserted with.
  func hash(of id: Int) -> UInt64 { keyHashes[id] }

  /// The bytes of key `id`.
  func key(_ id: Int) -> ArraySlice<UInt8> { arena[offsets[id]..<offsets[id + 1]] }

  /// Looks up (inserting when new) every key of `keys`, writing key `j`'s id to `ids[j]`.
  ///
  /// Hashes are computed in a first pass over the batch, then the table is probed in a second,
  /// so the probe loop does nothing but the memory accesses it must.
  mutating func findOrInsert<Keys: KeyBatch>(_ keys: Keys, into ids: UnsafeMutableBufferPointer<Int32>) {
    let n = keys.count
    guard n > 0 else { return }
    reserve(additional: n)
    var totalBytes = 0
    let batchHashes = hashBatch(keys, totalBytes: &totalBytes)
    batchHashes.withUnsafeBufferPointer { insertHashed(keys, hashes: $0, totalBytes: totalBytes, into: ids) }
  }

  /// ``findOrInsert(_:into:)`` with the keys' hashes already computed (by a caller that routed
  /// the keys to partitions by hash).
  mutating func findOrInsert<Keys: KeyBatch>(
    _ keys: Keys, hashes: UnsafeBufferPointer<UInt64>, into ids: UnsafeMutableBufferPointer<Int32>
  ) {
    let n = keys.count
    guard n > 0 else { return }
    reserve(additional: n)
    var totalBytes = 0
    for j in 0..<n { totalBytes &+= keys.key(j).length }
    prefetch(hashes)
    insertHashed(keys, hashes: hashes, totalBytes: totalBytes, into: ids)
  }

  /// Finds or inserts the keys `positions` of `other` (a table of the same keys' partial
  /// aggregate), returning their ids here; their stored hashes are reused.
  mutating func findOrInsert(keysOf other: ByteKeyTable, at positions: [Int32]) -> [Int32] {
    let hashes = positions.map { other.keyHashes[Int($0)] }
    var ids = [Int32](repeating: 0, count: positions.count)
    other.arena.withUnsafeBytes { raw in
      other.offsets.withUnsafeBufferPointer { offsets in
        positions.withUnsafeBufferPointer { rows in
          hashes.withUnsafeBufferPointer { hashes in
            ids.withUnsafeMutableBufferPointer { out in
              findOrInsert(OffsetKeys(base: raw.baseAddress, offsets: offsets, rows: rows), hashes: hashes, into: out)
            }
          }
        }
      }
    }
    return ids
  }

  /// The probe loop of the batch insert; the table has room for `keys.count` more keys.
  private mutating func insertHashed<Keys: KeyBatch>(
    _ keys: Keys, hashes batchHashes: UnsafeBufferPointer<UInt64>, totalBytes: Int, into ids: UnsafeMutableBufferPointer<Int32>
  ) {
    let n = keys.count
    reserve(additional: n, bytes: totalBytes)
    var used = count
    var usedBytes = byteCount
    let mask = self.mask
    do {
      let probeHashes = batchHashes
      slots.withUnsafeMutableBufferPointer { s in
        offsets.withUnsafeMutableBufferPointer { o in
          arena.withUnsafeMutableBytes { arena in
            keyHashes.withUnsafeMutableBufferPointer { h in
              let arenaBase = UnsafeMutableRawPointer(arena.baseAddress)
              for j in 0..<n {
                let (key, length) = keys.key(j)
                let hash = probeHashes[j]
                let tag = hash & 0xFFFF_FFFF_0000_0000
                var position = Int(truncatingIfNeeded: hash) & mask
                var found = -1
                while true {
                  let slot = s[position]
                  if slot == 0 { break }
                  if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                    let keyStart = o[id]
                    if o[id &+ 1] &- keyStart == length,
                      ByteHashing.equal(arenaBase.map { UnsafeRawPointer($0 + keyStart) }, key, length)
                    {
                      found = id
                      break
                    }
                  }
                  position = (position &+ 1) & mask
                }
                if found < 0 {
                  found = used
                  s[position] = tag | UInt64(used &+ 1)
                  if length > 0, let key, let arenaBase {
                    ByteHashing.copy(key, to: arenaBase + usedBytes, count: length)
                  }
                  usedBytes &+= length
                  o[used &+ 1] = usedBytes
                  h[used] = hash
                  used &+= 1
                }
                ids[j] = Int32(truncatingIfNeeded: found)
              }
            }
          }
        }
      }
    }
    count = used
    byteCount = usedBytes
  }

  /// Looks up every key of `keys` without inserting, writing its id or -1 to `ids[j]`.
  mutating func find<Keys: KeyBatch>(_ keys: Keys, into ids: UnsafeMutableBufferPointer<Int32>) {
    let n = keys.count
    guard n > 0 else { return }
    var totalBytes = 0
    let batchHashes = hashBatch(keys, totalBytes: &totalBytes)
    let mask = self.mask
    batchHashes.withUnsafeBufferPointer { probeHashes in
      slots.withUnsafeBufferPointer { s in
        offsets.withUnsafeBufferPointer { o in
          arena.withUnsafeBytes { arena in
            for j in 0..<n {
              let (key, length) = keys.key(j)
              let hash = probeHashes[j]
              let tag = hash & 0xFFFF_FFFF_0000_0000
              var position = Int(truncatingIfNeeded: hash) & mask
              var found: Int32 = -1
              while true {
                let slot = s[position]
                if slot == 0 { break }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                  let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                  let keyStart = o[id]
                  if o[id &+ 1] &- keyStart == length,
                    ByteHashing.equal(arena.baseAddress.map { $0 + keyStart }, key, length)
                  {
                    found = Int32(truncatingIfNeeded: id)
                    break
                  }
                }
                position = (position &+ 1) & mask
              }
              ids[j] = found
            }
          }
        }
      }
    }
  }

  /// The hashes of a batch of keys, their home slots prefetched.
  private mutating func hashBatch<Keys: KeyBatch>(_ keys: Keys, totalBytes: inout Int) -> [UInt64] {
    let n = keys.count
    var bytes = 0
    let hashes = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
      for j in 0..<n {
        let (key, length) = keys.key(j)
        bytes &+= length
        out[j] = ByteHashing.hash(key, length)
      }
      initialized = n
    }
    hashes.withUnsafeBufferPointer { prefetch($0) }
    totalBytes = bytes
    return hashes
  }

  /// Reads each hash's home slot: the reads do not depend on each other, so the processor keeps
  /// many cache misses in flight, and the probe loop that follows finds the slots in cache.
  private mutating func prefetch(_ hashes: UnsafeBufferPointer<UInt64>) {
    let mask = self.mask
    var touched: UInt64 = 0
    slots.withUnsafeBufferPointer { s in
      for j in 0..<hashes.count { touched &+= s[Int(truncatingIfNeeded: hashes[j]) & mask] }
    }
    prefetchSink = touched
  }

  /// The id of the key, inserting it when new. `inserted` tells which.
  mutating func findOrInsert(_ key: UnsafeRawPointer?, _ length: Int, hash: UInt64) -> (id: Int32, inserted: Bool) {
    reserve(additional: 1, bytes: length)
    let tag = hash & 0xFFFF_FFFF_0000_0000
    var position = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[position]
      if slot == 0 { break }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let id = Int(slot & 0xFFFF_FFFF) - 1
        let start = offsets[id]
        if offsets[id + 1] - start == length {
          let same = arena.withUnsafeBytes { ByteHashing.equal($0.baseAddress.map { $0 + start }, key, length) }
          if same { return (Int32(id), false) }
        }
      }
      position = (position + 1) & mask
    }
    let id = count
    slots[position] = tag | UInt64(id + 1)
    if length > 0, let key {
      arena.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: byteCount).copyMemory(from: key, byteCount: length) }
    }
    byteCount += length
    offsets[id + 1] = byteCount
    keyHashes[id] = hash
    count += 1
    return (Int32(id), true)
  }

  /// Makes room for `additional` more keys (and `bytes` more key bytes) without regrowing.
  mutating func reserve(additional: Int, bytes: Int = 0) {
    let needed = Self.slotCount(for: count + additional)
    if needed > slots.count {
      // Grow at least 4x at a time while the table is growing fast, so a big table is rehashed
      // fewer times.
      rehash(to: Swift.max(needed, Swift.min(slots.count * 4, needed * 2)))
    }
    Self.extend(&offsets, to: count + additional + 1)
    Self.extend(&keyHashes, to: count + additional)
    Self.extend(&arena, to: byteCount + bytes)
  }

  /// Lengthens `array` with zeros to `size` elements, doubling its capacity so growth is amortized.
  private static func extend<T: FixedWidthInteger>(_ array: inout [T], to size: Int) {
    guard array.count < size else { return }
    if array.capacity < size { array.reserveCapacity(Swift.max(size, array.capacity * 2)) }
    array.append(contentsOf: repeatElement(0, count: size - array.count))
  }

  private mutating func rehash(to size: Int) {
    var newSlots = [UInt64](repeating: 0, count: size)
    let newMask = size - 1
    newSlots.withUnsafeMutableBufferPointer { s in
      keyHashes.withUnsafeBufferPointer { h in
        for id in 0..<count {
          let hash = h[id]
          var position = Int(truncatingIfNeeded: hash) & newMask
          while s[position] != 0 { position = (position &+ 1) & newMask }
          s[position] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
        }
      }
    }
    slots = newSlots
    mask = newMask
  }
}

/// A batch of keys for ``ByteKeyTable``: key `j` is `length` bytes at `pointer`.
protocol KeyBatch {
  var count: Int { get }
  func key(_ j: Int) -> (pointer: UnsafeRawPointer?, length: Int)
}

/// The keys at `rows` of a variable-length column (a `.binary` column or encoded keys).
struct OffsetKeys<Offset: FixedWidthInteger>: KeyBatch {
  var base: UnsafeRawPointer?
  var offsets: UnsafeBufferPointer<Offset>
  var rows: UnsafeBufferPointer<Int32>
  var count: Int { rows.count }
  @inline(__always) func key(_ j: Int) -> (pointer: UnsafeRawPointer?, length: Int) {
    let row = Int(truncatingIfNeeded: rows[j])
    let start = Int(truncatingIfNeeded: offsets[row])
    return (base.map { $0 + start }, Int(truncatingIfNeeded: offsets[row &+ 1]) &- start)
  }
}

/// The keys `0..<count` of a variable-length buffer, in order.
struct DenseOffsetKeys<Offset: FixedWidthInteger>: KeyBatch {
  var base: UnsafeRawPointer?
  var offsets: UnsafeBufferPointer<Offset>
  var count: Int
  @inline(__always) func key(_ j: Int) -> (pointer: UnsafeRawPointer?, length: Int) {
    let start = Int(truncatingIfNeeded: offsets[j])
    return (base.map { $0 + start }, Int(truncatingIfNeeded: offsets[j &+ 1]) &- start)
  }
}

/// Fixed-width keys back to back: key `j` is `stride` bytes at `base + j * stride`.
struct StrideKeys: KeyBatch {
  var base: UnsafeRawPointer?
  var stride: Int
  var count: Int
  @inline(__always) func key(_ j: Int) -> (pointer: UnsafeRawPointer?, length: Int) {
    (base.map { $0 + j &* stride }, stride)
  }
}
