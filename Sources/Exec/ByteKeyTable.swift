/// An open-addressing hash table from byte-string keys to dense ids 0, 1, 2, … in insertion order.
///
/// Keys live back to back in one arena (`keyBytes`, `keyOffsets`), so a table of millions of
/// string keys is three arrays, not millions of allocations. Each slot packs the upper 32 bits of
/// the key's hash with `id + 1`, so most mismatches are rejected without touching the arena.
struct ByteKeyTable: Sendable {
  private(set) var slots: [UInt64]
  private var mask: Int
  private(set) var keyOffsets: [Int] = [0]
  private(set) var keyBytes: [UInt8] = []
  private(set) var hashes: [UInt64] = []

  var count: Int { hashes.count }

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [UInt64](repeating: 0, count: size)
    mask = size - 1
  }

  /// Approximate heap bytes held.
  var memoryBytes: Int { slots.count * 8 + keyOffsets.count * 8 + keyBytes.count + hashes.count * 8 }

  /// The id of the key, inserting it when new. `inserted` tells which.
  @inline(__always)
  mutating func findOrInsert(_ key: UnsafeRawPointer?, _ length: Int, hash: UInt64) -> (id: Int32, inserted: Bool) {
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
    if hashes.count * 2 > slots.count { grow() }
    return (Int32(id), true)
  }

  /// The bytes of key `id`.
  func key(_ id: Int) -> ArraySlice<UInt8> { keyBytes[keyOffsets[id]..<keyOffsets[id + 1]] }

  private mutating func grow() {
    let size = slots.count * 2
    var newSlots = [UInt64](repeating: 0, count: size)
    let newMask = size - 1
    for (id, hash) in hashes.enumerated() {
      var position = Int(truncatingIfNeeded: hash) & newMask
      while newSlots[position] != 0 { position = (position + 1) & newMask }
      newSlots[position] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
    }
    slots = newSlots
    mask = newMask
  }
}
