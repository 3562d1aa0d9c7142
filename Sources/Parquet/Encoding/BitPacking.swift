// Bit packing in the order of the RLE/bit-packed hybrid and DELTA_BINARY_PACKED: values are
// laid out back to back starting at the least significant bit of the first byte.
//
// The unpack kernels work on groups of 8 values (a group of width w is exactly w bytes) with one
// unaligned 64-bit load per value. Each width gets its own copy of the kernel (the switch below
// passes a literal width into an always-inlined function), so shifts, masks and offsets are
// constants and the inner loop has no branches.

enum BitPacking {
  /// Bytes that `count` values of `bitWidth` bits occupy, rounded up to whole bytes.
  @inline(__always)
  static func byteCount(values count: Int, bitWidth: Int) -> Int {
    (count &* bitWidth &+ 7) &>> 3
  }

  /// The smallest width that holds `value` (0 for 0).
  @inline(__always)
  static func bitWidth(of value: UInt64) -> Int {
    64 - value.leadingZeroBitCount
  }

  // MARK: Unpacking

  /// Unpacks `count` values of `bitWidth` (0...32) bits from `src` into `dst`.
  ///
  /// - Precondition: `readable >= byteCount(values: count, bitWidth: bitWidth)`. The kernels may
  ///   look at bytes up to `readable` (the rest of the page, say) but never beyond; values past
  ///   `count` are not written.
  static func unpack32(
    _ src: UnsafeRawPointer, readable: Int, bitWidth: Int, count: Int,
    into dst: UnsafeMutablePointer<UInt32>
  ) {
    assert(bitWidth >= 0 && bitWidth <= 32 && readable >= byteCount(values: count, bitWidth: bitWidth))
    guard count > 0 else { return }
    guard bitWidth > 0 else {
      dst.update(repeating: 0, count: count)
      return
    }
    // A kernel reads at most 8 bytes past the end of the group it unpacks.
    let fast = readable >= 8 ? min(count &>> 3, (readable &- 8) / bitWidth) : 0
    if fast > 0 { unpackGroups32(src, dst, fast, bitWidth) }
    var done = fast &<< 3
    guard done < count else { return }
    // The end of the input: unpack through a zero-padded copy, 8 groups at a time.
    withUnsafeTemporaryAllocation(byteCount: 8 * 32 + 8, alignment: 8) { scratchIn in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { scratchOut in
        guard let tin = scratchIn.baseAddress, let tout = scratchOut.baseAddress else { return }
        while done < count {
          let n = min(64, count &- done)
          let groups = (n &+ 7) &>> 3
          let start = (done &>> 3) &* bitWidth
          let avail = min(groups &* bitWidth, readable &- start)
          tin.initializeMemory(as: UInt8.self, repeating: 0, count: 8 * 32 + 8)
          tin.copyMemory(from: src + start, byteCount: avail)
          unpackGroups32(UnsafeRawPointer(tin), tout, groups, bitWidth)
          (dst + done).update(from: tout, count: n)
          done &+= n
        }
      }
    }
  }

  /// `unpack32` for callers that hold signed values (levels, dictionary indices).
  @inline(__always)
  static func unpack32(
    _ src: UnsafeRawPointer, readable: Int, bitWidth: Int, count: Int,
    into dst: UnsafeMutablePointer<Int32>
  ) {
    // Int32 and UInt32 may alias each other.
    dst.withMemoryRebound(to: UInt32.self, capacity: count) {
      unpack32(src, readable: readable, bitWidth: bitWidth, count: count, into: $0)
    }
  }

  /// Unpacks `count` values of `bitWidth` (0...64) bits; same contract as `unpack32`.
  static func unpack64(
    _ src: UnsafeRawPointer, readable: Int, bitWidth: Int, count: Int,
    into dst: UnsafeMutablePointer<UInt64>
  ) {
    assert(bitWidth >= 0 && bitWidth <= 64 && readable >= byteCount(values: count, bitWidth: bitWidth))
    guard count > 0 else { return }
    guard bitWidth > 0 else {
      dst.update(repeating: 0, count: count)
      return
    }
    let fast = readable >= 8 ? min(count &>> 3, (readable &- 8) / bitWidth) : 0
    if fast > 0 { unpackGroups64(src, dst, fast, bitWidth) }
    var done = fast &<< 3
    guard done < count else { return }
    withUnsafeTemporaryAllocation(byteCount: 8 * 64 + 8, alignment: 8) { scratchIn in
      withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { scratchOut in
        guard let tin = scratchIn.baseAddress, let tout = scratchOut.baseAddress else { return }
        while done < count {
          let n = min(64, count &- done)
          let groups = (n &+ 7) &>> 3
          let start = (done &>> 3) &* bitWidth
          let avail = min(groups &* bitWidth, readable &- start)
          tin.initializeMemory(as: UInt8.self, repeating: 0, count: 8 * 64 + 8)
          tin.copyMemory(from: src + start, byteCount: avail)
          unpackGroups64(UnsafeRawPointer(tin), tout, groups, bitWidth)
          (dst + done).update(from: tout, count: n)
          done &+= n
        }
      }
    }
  }

  /// Unpacks whole groups of 8; the caller guarantees 8 readable bytes past the last group.
  static func unpackGroups32(
    _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>, _ groups: Int, _ bitWidth: Int
  ) {
    switch bitWidth {
    case 1: kernel32(src, dst, groups, 1)
    case 2: kernel32(src, dst, groups, 2)
    case 3: kernel32(src, dst, groups, 3)
    case 4: kernel32(src, dst, groups, 4)
    case 5: kernel32(src, dst, groups, 5)
    case 6: kernel32(src, dst, groups, 6)
    case 7: kernel32(src, dst, groups, 7)
    case 8: kernel32(src, dst, groups, 8)
    case 9: kernel32(src, dst, groups, 9)
    case 10: kernel32(src, dst, groups, 10)
    case 11: kernel32(src, dst, groups, 11)
    case 12: kernel32(src, dst, groups, 12)
    case 13: kernel32(src, dst, groups, 13)
    case 14: kernel32(src, dst, groups, 14)
    case 15: kernel32(src, dst, groups, 15)
    case 16: kernel32(src, dst, groups, 16)
    case 17: kernel32(src, dst, groups, 17)
    case 18: kernel32(src, dst, groups, 18)
    case 19: kernel32(src, dst, groups, 19)
    case 20: kernel32(src, dst, groups, 20)
    case 21: kernel32(src, dst, groups, 21)
    case 22: kernel32(src, dst, groups, 22)
    case 23: kernel32(src, dst, groups, 23)
    case 24: kernel32(src, dst, groups, 24)
    case 25: kernel32(src, dst, groups, 25)
    case 26: kernel32(src, dst, groups, 26)
    case 27: kernel32(src, dst, groups, 27)
    case 28: kernel32(src, dst, groups, 28)
    case 29: kernel32(src, dst, groups, 29)
    case 30: kernel32(src, dst, groups, 30)
    case 31: kernel32(src, dst, groups, 31)
    case 32: kernel32(src, dst, groups, 32)
    default: dst.update(repeating: 0, count: groups &<< 3)
    }
  }

  static func unpackGroups64(
    _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>, _ groups: Int, _ bitWidth: Int
  ) {
    switch bitWidth {
    case 1: kernel64(src, dst, groups, 1)
    case 2: kernel64(src, dst, groups, 2)
    case 3: kernel64(src, dst, groups, 3)
    case 4: kernel64(src, dst, groups, 4)
    case 5: kernel64(src, dst, groups, 5)
    case 6: kernel64(src, dst, groups, 6)
    case 7: kernel64(src, dst, groups, 7)
    case 8: kernel64(src, dst, groups, 8)
    case 9: kernel64(src, dst, groups, 9)
    case 10: kernel64(src, dst, groups, 10)
    case 11: kernel64(src, dst, groups, 11)
    case 12: kernel64(src, dst, groups, 12)
    case 13: kernel64(src, dst, groups, 13)
    case 14: kernel64(src, dst, groups, 14)
    case 15: kernel64(src, dst, groups, 15)
    case 16: kernel64(src, dst, groups, 16)
    case 17: kernel64(src, dst, groups, 17)
    case 18: kernel64(src, dst, groups, 18)
    case 19: kernel64(src, dst, groups, 19)
    case 20: kernel64(src, dst, groups, 20)
    case 21: kernel64(src, dst, groups, 21)
    case 22: kernel64(src, dst, groups, 22)
    case 23: kernel64(src, dst, groups, 23)
    case 24: kernel64(src, dst, groups, 24)
    case 25: kernel64(src, dst, groups, 25)
    case 26: kernel64(src, dst, groups, 26)
    case 27: kernel64(src, dst, groups, 27)
    case 28: kernel64(src, dst, groups, 28)
    case 29: kernel64(src, dst, groups, 29)
    case 30: kernel64(src, dst, groups, 30)
    case 31: kernel64(src, dst, groups, 31)
    case 32: kernel64(src, dst, groups, 32)
    case 33: kernel64(src, dst, groups, 33)
    case 34: kernel64(src, dst, groups, 34)
    case 35: kernel64(src, dst, groups, 35)
    case 36: kernel64(src, dst, groups, 36)
    case 37: kernel64(src, dst, groups, 37)
    case 38: kernel64(src, dst, groups, 38)
    case 39: kernel64(src, dst, groups, 39)
    case 40: kernel64(src, dst, groups, 40)
    case 41: kernel64(src, dst, groups, 41)
    case 42: kernel64(src, dst, groups, 42)
    case 43: kernel64(src, dst, groups, 43)
    case 44: kernel64(src, dst, groups, 44)
    case 45: kernel64(src, dst, groups, 45)
    case 46: kernel64(src, dst, groups, 46)
    case 47: kernel64(src, dst, groups, 47)
    case 48: kernel64(src, dst, groups, 48)
    case 49: kernel64(src, dst, groups, 49)
    case 50: kernel64(src, dst, groups, 50)
    case 51: kernel64(src, dst, groups, 51)
    case 52: kernel64(src, dst, groups, 52)
    case 53: kernel64(src, dst, groups, 53)
    case 54: kernel64(src, dst, groups, 54)
    case 55: kernel64(src, dst, groups, 55)
    case 56: kernel64(src, dst, groups, 56)
    case 57: kernel64(src, dst, groups, 57)
    case 58: kernel64(src, dst, groups, 58)
    case 59: kernel64(src, dst, groups, 59)
    case 60: kernel64(src, dst, groups, 60)
    case 61: kernel64(src, dst, groups, 61)
    case 62: kernel64(src, dst, groups, 62)
    case 63: kernel64(src, dst, groups, 63)
    case 64: kernel64(src, dst, groups, 64)
    default: dst.update(repeating: 0, count: groups &<< 3)
    }
  }

  @inline(__always)
  private static func load(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  @inline(__always)
  private static func kernel32(
    _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt32>, _ groups: Int, _ w: Int
  ) {
    let mask: UInt64 = (1 &<< UInt64(w)) &- 1
    var s = src
    var d = dst
    for _ in 0..<groups {
      // With w a constant these are 8 load/shift/mask sequences with constant operands.
      d[0] = UInt32(truncatingIfNeeded: load(s, 0) & mask)
      d[1] = UInt32(truncatingIfNeeded: (load(s, (1 * w) >> 3) &>> UInt64((1 * w) & 7)) & mask)
      d[2] = UInt32(truncatingIfNeeded: (load(s, (2 * w) >> 3) &>> UInt64((2 * w) & 7)) & mask)
      d[3] = UInt32(truncatingIfNeeded: (load(s, (3 * w) >> 3) &>> UInt64((3 * w) & 7)) & mask)
      d[4] = UInt32(truncatingIfNeeded: (load(s, (4 * w) >> 3) &>> UInt64((4 * w) & 7)) & mask)
      d[5] = UInt32(truncatingIfNeeded: (load(s, (5 * w) >> 3) &>> UInt64((5 * w) & 7)) & mask)
      d[6] = UInt32(truncatingIfNeeded: (load(s, (6 * w) >> 3) &>> UInt64((6 * w) & 7)) & mask)
      d[7] = UInt32(truncatingIfNeeded: (load(s, (7 * w) >> 3) &>> UInt64((7 * w) & 7)) & mask)
      s += w
      d += 8
    }
  }

  @inline(__always)
  private static func lane64(_ s: UnsafeRawPointer, _ i: Int, _ w: Int, _ mask: UInt64) -> UInt64 {
    let bit = i * w
    let shift = bit & 7
    var x = load(s, bit >> 3) &>> UInt64(shift)
    // Only widths above 56 can straddle 9 bytes; constant-folded per lane.
    if shift + w > 64 { x |= load(s, (bit >> 3) + 8) &<< UInt64(64 - shift) }
    return x & mask
  }

  @inline(__always)
  private static func kernel64(
    _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<UInt64>, _ groups: Int, _ w: Int
  ) {
    let mask: UInt64 = w == 64 ? ~0 : (1 &<< UInt64(w)) &- 1
    var s = src
    var d = dst
    for _ in 0..<groups {
      d[0] = lane64(s, 0, w, mask)
      d[1] = lane64(s, 1, w, mask)
      d[2] = lane64(s, 2, w, mask)
      d[3] = lane64(s, 3, w, mask)
      d[4] = lane64(s, 4, w, mask)
      d[5] = lane64(s, 5, w, mask)
      d[6] = lane64(s, 6, w, mask)
      d[7] = lane64(s, 7, w, mask)
      s += w
      d += 8
    }
  }

  // MARK: Packing

  /// Appends `count` values packed on `bitWidth` (0...64) bits to `out`, the last byte padded
  /// with zero bits. Bits of a value above `bitWidth` are dropped.
  static func pack<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafePointer<T>, count: Int, bitWidth: Int, into out: inout [UInt8]
  ) {
    let total = byteCount(values: count, bitWidth: bitWidth)
    guard total > 0 else { return }
    EncodingBuffer.appendZeroed(&out, total) { dst in
      if let p = dst.baseAddress { pack(values, count: count, bitWidth: bitWidth, to: UnsafeMutableRawPointer(p)) }
    }
  }

  /// Packs `count` values into exactly `byteCount(values: count, bitWidth: bitWidth)` bytes at `p`.
  @inline(__always)
  static func pack<T: FixedWidthInteger & UnsignedInteger>(
    _ values: UnsafePointer<T>, count: Int, bitWidth: Int, to p: UnsafeMutableRawPointer
  ) {
    assert(bitWidth >= 0 && bitWidth <= 64)
    let w = UInt64(bitWidth)
    let mask: UInt64 = bitWidth == 64 ? ~0 : (1 &<< w) &- 1
    var acc: UInt64 = 0
    var bits: UInt64 = 0
    var at = 0
    for i in 0..<count {
      let v = UInt64(truncatingIfNeeded: values[i]) & mask
      acc |= v &<< bits
      if bits &+ w >= 64 {
        // A full word: store it, keep the bits of `v` that did not fit.
        p.storeBytes(of: acc.littleEndian, toByteOffset: at, as: UInt64.self)
        at &+= 8
        acc = bits == 0 ? 0 : v &>> (64 &- bits)
        bits = bits &+ w &- 64
      } else {
        bits &+= w
      }
    }
    while bits > 0 {
      p.storeBytes(of: UInt8(truncatingIfNeeded: acc), toByteOffset: at, as: UInt8.self)
      at &+= 1
      acc &>>= 8
      bits = bits > 8 ? bits &- 8 : 0
    }
  }

  /// `pack` for signed 32-bit values (levels, dictionary indices): their low `bitWidth` bits.
  static func pack(_ values: UnsafePointer<Int32>, count: Int, bitWidth: Int, into out: inout [UInt8]) {
    values.withMemoryRebound(to: UInt32.self, capacity: count) {
      pack($0, count: count, bitWidth: bitWidth, into: &out)
    }
  }
}
