/// A dictionary of fixed-width values under construction: an open-addressing hash table from a
/// value's bit pattern to its id, ids in order of first appearance.
struct FixedWidthDictionary<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
  private struct Slot: Sendable {
    var bits: Bits
    /// The entry's id, -1 for an empty slot.
    var id: Int32
  }

  /// The entries, indexed by id.
  private(set) var values: [Bits] = []
  private var slots: [Slot]
  private var shift: UInt64

  init() {
    slots = Array(repeating: Slot(bits: 0, id: -1), count: 1024)
    shift = 64 - 10
  }

  var count: Int { values.count }
  /// The size of the PLAIN-encoded dictionary page.
  var byteSize: Int { values.count &* MemoryLayout<Bits>.size }

  /// Writes the id of every value of `input` to `out[0..<input.count]`, adding new values to
  /// the dictionary.
  mutating func writeIDs(of input: UnsafeBufferPointer<Bits>, to out: UnsafeMutablePointer<Int32>) {
    var index = 0
    while index < input.count {
      // Grow before the table is half full, so probes stay short and always end.
      if (values.count &+ 1) &* 2 > slots.count { grow() }
      let limit = Swift.min(input.count, index &+ (slots.count &>> 1) &- values.count)
      slots.withUnsafeMutableBufferPointer { table in
        let mask = table.count &- 1
        while index < limit {
          let value = input[index]
          var slot = Self.hash(value, shift: shift)
          while true {
            let entry = table[slot]
            if entry.id < 0 {
              let id = Int32(truncatingIfNeeded: values.count)
              table[slot] = Slot(bits: value, id: id)
              values.append(value)
              out[index] = id
              break
            }
            if entry.bits == value {
              out[index] = entry.id
              break
            }
            slot = (slot &+ 1) & mask
          }
          index &+= 1
        }
      }
    }
  }

  /// Empties the dictionary for the next column chunk, keeping the table's memory.
  mutating func removeAll() {
    values.removeAll(keepingCapacity: true)
    for index in slots.indices { slots[index].id = -1 }
  }

  @inline(__always)
  private static func hash(_ value: Bits, shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: value) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
  }

  private mutating func grow() {
    let capacity = slots.count &* 2
    shift &-= 1
    slots = Array(repeating: Slot(bits: 0, id: -1), count: capacity)
    let mask = capacity &- 1
    for (id, value) in values.enumerated() {
      var slot = Self.hash(value, shift: shift)
      while slots[slot].id >= 0 { slot = (slot &+ 1) & mask }
      slots[slot] = Slot(bits: value, id: Int32(id))
    }
  }
}

/// A dictionary of byte strings under construction (BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY):
/// entries stored back to back, a hash table of (hash, id) slots over them.
struct ByteArrayDictionary: Sendable {
  private struct Slot: Sendable {
    var hash: UInt32
    /// The entry's id, -1 for an empty slot.
    var id: Int32
  }

  /// Entry `i` is `bytes[offsets[i]..<offsets[i+1]]`.
  private(set) var offsets: [Int32] = [0]
  private(set) var bytes: [UInt8] = []
  private var slots: [Slot]
  private var mask: Int

  init() {
    slots = Array(repeating: Slot(hash: 0, id: -1), count: 1024)
    mask = 1023
  }

  var count: Int { offsets.count &- 1 }
  /// The size of the PLAIN-encoded dictionary page (with 4-byte lengths for BYTE_ARRAY).
  func byteSize(lengthPrefixed: Bool) -> Int { bytes.count &+ (lengthPrefixed ? count &* 4 : 0) }

  /// The id of `value`, added to the dictionary if new.
  @inline(__always)
  mutating func id(of value: UnsafeRawBufferPointer) -> Int32 {
    if (count &+ 1) &* 2 > slots.count { grow() }
    let hash = Self.hash(value)
    var slot = Int(truncatingIfNeeded: hash) & mask
    let found: Int32? = slots.withUnsafeBufferPointer { table in
      offsets.withUnsafeBufferPointer { offsets in
        bytes.withUnsafeBytes { stored in
          while true {
            let entry = table[slot]
            if entry.id < 0 { return nil }
            if entry.hash == hash {
              let start = Int(offsets[Int(entry.id)])
              let end = Int(offsets[Int(entry.id) &+ 1])
              if end &- start == value.count
                && ByteOrder.equal(UnsafeRawBufferPointer(rebasing: stored[start..<end]), value)
              {
                return entry.id
              }
            }
            slot = (slot &+ 1) & mask
          }
        }
      }
    }
    if let found { return found }
    let id = Int32(truncatingIfNeeded: count)
    bytes.append(contentsOf: value)
    offsets.append(Int32(truncatingIfNeeded: bytes.count))
    slots[slot] = Slot(hash: hash, id: id)
    return id
  }

  /// Writes to `out[0..<range.count]` the id of each value `bytes[offsets[p]..<offsets[p+1]]`
  /// for `p` in `positions[range]`, adding new values. Lookups run with the table's memory held
  /// and stop only to insert, so a column of few distinct values costs a hash and a compare per
  /// value.
  mutating func writeIDs<P: ValuePositions>(
    _ range: Range<Int>, offsets: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer,
    positions: P, to out: UnsafeMutablePointer<Int32>
  ) {
    let first = range.lowerBound
    var index = range.lowerBound
    let end = range.upperBound
    while index < end {
      var missHash: UInt32 = 0
      var missSlot = 0
      let mask = self.mask
      index = slots.withUnsafeBufferPointer { table in
        self.offsets.withUnsafeBufferPointer { storedOffsets in
          self.bytes.withUnsafeBytes { stored in
            var i = index
            while i < end {
              let p = positions.position(i)
              let value = UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])])
              let hash = Self.hash(value)
              var slot = Int(truncatingIfNeeded: hash) & mask
              while true {
                let entry = table[slot]
                if entry.id < 0 {
                  missHash = hash
                  missSlot = slot
                  return i
                }
                if entry.hash == hash {
                  let start = Int(storedOffsets[Int(entry.id)])
                  let stop = Int(storedOffsets[Int(entry.id) &+ 1])
                  if ByteOrder.equal(UnsafeRawBufferPointer(rebasing: stored[start..<stop]), value) {
                    out[i &- first] = entry.id
                    break
                  }
                }
                slot = (slot &+ 1) & mask
              }
              i &+= 1
            }
            return i
          }
        }
      }
      guard index < end else { return }
      let p = positions.position(index)
      let id = Int32(truncatingIfNeeded: count)
      self.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]))
      self.offsets.append(Int32(truncatingIfNeeded: self.bytes.count))
      slots[missSlot] = Slot(hash: missHash, id: id)
      out[index &- first] = id
      if (count &+ 1) &* 2 > slots.count { grow() }
      index &+= 1
    }
  }

  /// Empties the dictionary for the next column chunk, keeping the table's memory.
  mutating func removeAll() {
    offsets.removeAll(keepingCapacity: true)
    offsets.append(0)
    bytes.removeAll(keepingCapacity: true)
    for index in slots.indices { slots[index].id = -1 }
  }

  /// A fast 32-bit hash of a byte string: 8 bytes at a time, multiply and fold.
  @inline(__always)
  static func hash(_ value: UnsafeRawBufferPointer) -> UInt32 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(truncatingIfNeeded: value.count)
    guard let base = value.baseAddress else { return UInt32(truncatingIfNeeded: h) }
    var index = 0
    let count = value.count
    while index &+ 8 <= count {
      let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
      h ^= h &>> 29
      index &+= 8
    }
    let rest = count &- index
    if rest > 0 {
      // The last 1...7 bytes as one word, from at most two overlapping loads.
      var tail: UInt64
      if rest >= 4 {
        let low = UInt64(base.loadUnaligned(fromByteOffset: index, as: UInt32.self))
        let high = UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
        tail = low | high &<< 32
      } else {
        let first = UInt64(base.load(fromByteOffset: index, as: UInt8.self))
        let middle = UInt64(base.load(fromByteOffset: index &+ rest &>> 1, as: UInt8.self))
        let last = UInt64(base.load(fromByteOffset: count &- 1, as: UInt8.self))
        tail = first | middle &<< 8 | last &<< 16
      }
      h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
      h ^= h &>> 29
    }
    h = h &* 0xBF58_476D_1CE4_E5B9
    return UInt32(truncatingIfNeeded: h &>> 32)
  }

  private mutating func grow() {
    let capacity = slots.count &* 2
    var table = Array(repeating: Slot(hash: 0, id: -1), count: capacity)
    let newMask = capacity &- 1
    for slot in slots where slot.id >= 0 {
      var index = Int(truncatingIfNeeded: slot.hash) & newMask
      while table[index].id >= 0 { index = (index &+ 1) & newMask }
      table[index] = slot
    }
    slots = table
    mask = newMask
  }
}

/// Where a slice's byte-string values are: value `k` is entry `position(k)` of an offsets buffer.
protocol ValuePositions {
  func position(_ k: Int) -> Int
}

/// Values that are consecutive entries from `base` on (a flat column without nulls).
struct ContiguousPositions: ValuePositions {
  let base: Int
  @inline(__always) func position(_ k: Int) -> Int { base &+ k }
}

/// Values at listed entries.
struct ListedPositions: ValuePositions {
  let list: UnsafeBufferPointer<Int32>
  @inline(__always) func position(_ k: Int) -> Int { Int(list[k]) }
}
