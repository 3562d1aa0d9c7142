/// Fast non-cryptographic hashing of byte strings and integers for hash tables.
enum ByteHashing {
  @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h &*= 0xff51_afd7_ed55_8ccd
    h ^= h >> 33
    h &*= 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 33
    return h
  }

  /// Hashes `count` bytes at `base`, 8 at a time with unaligned loads.
  @inline(__always) static func hash(_ base: UnsafeRawPointer?, _ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    var h = seed ^ UInt64(truncatingIfNeeded: count)
    guard let base else { return mix(h) }
    var at = 0
    while at + 8 <= count {
      let word = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
      h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
      h = (h << 29) | (h >> 35)
      at += 8
    }
    if at < count {
      // The last 1–7 bytes: one overlapping 8-byte load when the key is that long, else two
      // overlapping 4-byte loads, else bytes (the length is already mixed in).
      var tail: UInt64 = 0
      if count >= 8 {
        tail = base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      } else if count >= 4 {
        tail = UInt64(base.loadUnaligned(as: UInt32.self))
          | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
      } else {
        var shift: UInt64 = 0
        while at < count {
          tail |= UInt64(base.load(fromByteOffset: at, as: UInt8.self)) << shift
          shift += 8
          at += 1
        }
      }
      h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    }
    return mix(h)
  }

  /// Copies a short key without a call to `memmove`: keys of 4–16 bytes are two overlapping
  /// loads and stores, which never read or write outside either range.
  @inline(__always) static func copy(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, count: Int) {
    if count >= 8 && count <= 16 {
      let head = source.loadUnaligned(as: UInt64.self)
      let last = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
      destination.storeBytes(of: head, as: UInt64.self)
      destination.storeBytes(of: last, toByteOffset: count - 8, as: UInt64.self)
    } else if count >= 4 && count < 8 {
      let head = source.loadUnaligned(as: UInt32.self)
      let last = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
      destination.storeBytes(of: head, as: UInt32.self)
      destination.storeBytes(of: last, toByteOffset: count - 4, as: UInt32.self)
    } else {
      destination.copyMemory(from: source, byteCount: count)
    }
  }

  @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    hash(UnsafeRawPointer(bytes.baseAddress), bytes.count)
  }

  @inline(__always) static func equal(_ a: UnsafeRawPointer?, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
    guard count > 0, let a, let b else { return true }
    var at = 0
    while at + 8 <= count {
      if a.loadUnaligned(fromByteOffset: at, as: UInt64.self) != b.loadUnaligned(fromByteOffset: at, as: UInt64.self) {
        return false
      }
      at += 8
    }
    while at < count {
      if a.load(fromByteOffset: at, as: UInt8.self) != b.load(fromByteOffset: at, as: UInt8.self) { return false }
      at += 1
    }
    return true
  }

  /// Unsigned lexicographic order of two byte strings.
  @inline(__always) static func compare(_ a: UnsafeRawPointer?, _ aCount: Int, _ b: UnsafeRawPointer?, _ bCount: Int) -> Int {
    let common = Swift.min(aCount, bCount)
    if common > 0, let a, let b {
      var at = 0
      while at < common {
        let x = a.load(fromByteOffset: at, as: UInt8.self)
        let y = b.load(fromByteOffset: at, as: UInt8.self)
        if x != y { return x < y ? -1 : 1 }
        at += 1
      }
    }
    return aCount < bCount ? -1 : (aCount > bCount ? 1 : 0)
  }
}
