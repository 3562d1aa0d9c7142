/// Comparisons of byte strings for dictionaries and statistics, 8 bytes at a time.
enum ByteOrder {
  /// True when `a` and `b` hold the same bytes.
  @inline(__always)
  static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    let count = a.count
    guard count == b.count else { return false }
    guard count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    var index = 0
    while index &+ 8 <= count {
      if pa.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        != pb.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      {
        return false
      }
      index &+= 8
    }
    let rest = count &- index
    if rest >= 4 {
      return pa.loadUnaligned(fromByteOffset: index, as: UInt32.self)
        == pb.loadUnaligned(fromByteOffset: index, as: UInt32.self)
        && pa.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
          == pb.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
    }
    while index < count {
      if pa.load(fromByteOffset: index, as: UInt8.self) != pb.load(fromByteOffset: index, as: UInt8.self) {
        return false
      }
      index &+= 1
    }
    return true
  }

  /// Lexicographic order of unsigned bytes; a proper prefix sorts first. Negative, zero or
  /// positive as `a` is below, equal to or above `b`.
  @inline(__always)
  static func compareUnsigned(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let common = Swift.min(a.count, b.count)
    if common > 0, let pa = a.baseAddress, let pb = b.baseAddress {
      var index = 0
      while index &+ 8 <= common {
        let wa = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        let wb = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        if wa != wb { return wa < wb ? -1 : 1 }
        index &+= 8
      }
      while index < common {
        let ba = pa.load(fromByteOffset: index, as: UInt8.self)
        let bb = pb.load(fromByteOffset: index, as: UInt8.self)
        if ba != bb { return ba < bb ? -1 : 1 }
        index &+= 1
      }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
  }

  /// Numeric order of big-endian two's complement integers of equal width (FLBA decimals):
  /// the sign byte signed, the rest unsigned.
  @inline(__always)
  static func compareSignedBigEndian(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    guard let first = a.first, let other = b.first else { return a.count - b.count }
    let sa = Int8(bitPattern: first)
    let sb = Int8(bitPattern: other)
    if sa != sb { return sa < sb ? -1 : 1 }
    return compareUnsigned(
      UnsafeRawBufferPointer(rebasing: a.dropFirst()), UnsafeRawBufferPointer(rebasing: b.dropFirst()))
  }
}
