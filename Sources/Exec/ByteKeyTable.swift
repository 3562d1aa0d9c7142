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
  private(set) var slots: [UInt64]
  private var mask: Int
  private(set) var keyOffsets: [Int] = [0]
  private(set) var keyBytes: [UInt8] = []
  /// The full hash of each key, by id (used to regrow and to merge without rehashing).
  private(set) var hashes: [UInt64] = []
  /// Where the prefetching reads of ``hashBatch(_:totalBytes:)`` go, so they are not optimized away.
  private var prefetchSink: UInt64 = 0

  var count: Int { hashes.count }

  init(capacity: Int = 1024) {
    slots = [UInt64](repeating: 0, count: Self.slotCount(for: capacity))
    mask = slots.count - 1
  }

  /// The power-of-two slot count that keeps `keys` keys at most half full.
  static func slotCount(for keys: Int) -> Int {
    var size = 16
    while size < keys * 2 { size <<= 1 }
    return size
  }

  /// Approximate heap bytes held.
  var memoryBytes: Int { slots.count * 8 + keyOffsets.count * 8 + keyBytes.count + hashes.count * 8 }

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
    reserve(additional: 0, bytes: totalBytes)
    var slots = self.slots
    var offsets = self.keyOffsets
    var bytes = self.keyBytes
    var hashes = self.hashes
    self.slots = []
    self.keyOffsets = []
    self.keyBytes = []
    self.hashes = []
    // Room for every key of the batch being new; trimmed back afterwards.
    var used = hashes.count
    var usedBytes = bytes.count
    offsets.append(contentsOf: repeatElement(0, count: n))
    bytes.append(contentsOf: repeatElement(0, count: totalBytes))
    hashes.append(contentsOf: repeatElement(0, count: n))
    let mask = self.mask
    batchHashes.withUnsafeBufferPointer { probeHashes in
      slots.withUnsafeMutableBufferPointer { s in
        offsets.withUnsafeMutableBufferPointer { o in
          bytes.withUnsafeMutableBytes { arena in
            hashes.withUnsafeMutableBufferPointer { h in
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
                    (arenaBase + usedBytes).copyMemory(from: key, byteCount: length)
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
    offsets.removeLast(offsets.count - used - 1)
    bytes.removeLast(bytes.count - usedBytes)
    hashes.removeLast(hashes.count - used)
    self.slots = slots
    self.keyOffsets = offsets
    self.keyBytes = bytes
    self.hashes = hashes
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
        keyOffsets.withUnsafeBufferPointer { o in
          keyBytes.withUnsafeBytes { arena in
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

  /// The hashes of a batch of keys.
  ///
  /// The same pass also reads each key's home slot. The reads do not depend on each other, so
  /// the processor overlaps their cache misses, and the probe pass that follows finds the slots
  /// in cache instead of waiting for each miss in turn (a software prefetch).
  private mutating func hashBatch<Keys: KeyBatch>(_ keys: Keys, totalBytes: inout Int) -> [UInt64] {
    let n = keys.count
    let mask = self.mask
    var touched: UInt64 = 0
    var bytes = 0
    let hashes = slots.withUnsafeBufferPointer { s in
      [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
        for j in 0..<n {
          let (key, length) = keys.key(j)
          bytes &+= length
          let hash = ByteHashing.hash(key, length)
          out[j] = hash
          touched &+= s[Int(truncatingIfNeeded: hash) & mask]
        }
        initialized = n
      }
    }
    totalBytes = bytes
    prefetchSink = touched
    return hashes
  }

  /// The id of the key, inserting it when new. `inserted` tells which.
  mutating func findOrInsert(_ key: UnsafeRawPointer?, _ length: Int, hash: UInt64) -> (id: Int32, inserted: Bool) {
    if (hashes.count + 1) * 2 > slots.count { grow(to: slots.count * 2) }
    let tag = hash & 0xFFFF_FFFF_0000_0000
    var position = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = slots[position]
      if slot == 0 { break }
      if slot & 0xFFFF_FFFF_0000_0000 == tag {
        let id = Int(slot & 0xFFFF_FFFF) - 1
        let start = keyOffsets[id]
        if keyOffsets[id + 1] - start == length {
          let same = keyBytes.withUnsafeBytes { ByteHashing.equal($0.baseAddress.map { $0 + start }, key, length) }
          if same { return (Int32(id), false) }
        }
      }
      position = (position + 1) & mask
    }
    let id = hashes.count
    slots[position] = tag | UInt64(id + 1)
    if length > 0, let key {
      keyBytes.append(contentsOf: UnsafeRawBufferPointer(start: key, count: length))
    }
    keyOffsets.append(keyBytes.count)
    hashes.append(hash)
    return (Int32(id), true)
  }

  /// The bytes of key `id`.
  func key(_ id: Int) -> ArraySlice<UInt8> { keyBytes[keyOffsets[id]..<keyOffsets[id + 1]] }

  /// Makes room for `additional` more keys (and `bytes` more key bytes) without regrowing.
  mutating func reserve(additional: Int, bytes: Int = 0) {
    let needed = Self.slotCount(for: hashes.count + additional)
    if needed > slots.count {
      // Grow at least 4x at a time while the table is growing fast, so a big table is rehashed
      // fewer times.
      grow(to: Swift.max(needed, Swift.min(slots.count * 4, needed * 2)))
    }
    if keyBytes.capacity < keyBytes.count + bytes {
      keyBytes.reserveCapacity(Swift.max(keyBytes.count + bytes, keyBytes.capacity * 2))
    }
  }

  private mutating func grow(to size: Int) {
    var newSlots = [UInt64](repeating: 0, count: size)
    let newMask = size - 1
    newSlots.withUnsafeMutableBufferPointer { s in
      hashes.withUnsafeBufferPointer { h in
        for id in 0..<h.count {
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
