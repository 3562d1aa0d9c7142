// Raw-memory helpers shared by the Snappy and LZ4 codecs. They take pointers rather than
// buffers because they sit in the innermost loops; every caller checks bounds first.

enum LZCopy {
  /// Loads 8 bytes from any alignment.
  @inline(__always)
  static func load64(_ p: UnsafeRawPointer) -> UInt64 {
    UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
  }

  /// Loads 4 bytes from any alignment.
  @inline(__always)
  static func load32(_ p: UnsafeRawPointer) -> UInt32 {
    UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))
  }

  /// Copies 8 bytes (any alignment). Reads all 8 before writing, so an overlapping
  /// source still yields the bytes as they were before the store.
  @inline(__always)
  static func copy8(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer) {
    dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
  }

  /// Copies 16 bytes (any alignment, no overlap between the two 16-byte ranges).
  @inline(__always)
  static func copy16(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer) {
    let a = src.loadUnaligned(as: UInt64.self)
    let b = src.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    dst.storeBytes(of: a, as: UInt64.self)
    dst.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
  }

  /// How many bytes from `a` and `b` agree, comparing no byte at or after `end` (b < end).
  @inline(__always)
  static func matchLength(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, end: UnsafeRawPointer) -> Int {
    var s1 = a
    var s2 = b
    while end - s2 >= 8 {
      let diff = LZCopy.load64(s1) ^ LZCopy.load64(s2)
      if diff != 0 {
        return s2 - b + diff.trailingZeroBitCount >> 3
      }
      s1 += 8
      s2 += 8
    }
    while s2 < end && s1.load(as: UInt8.self) == s2.load(as: UInt8.self) {
      s1 += 1
      s2 += 1
    }
    return s2 - b
  }

  /// Slack that `copyMatch` may write past the end of the match on its fast path.
  static let matchOverrun = 16

  /// Copies a back-reference: `length` bytes to `op` from `offset` bytes behind it, with
  /// LZ77 semantics (the source may overlap what is being written, repeating a pattern).
  ///
  /// The caller guarantees `1 <= offset <= op - start` and `op + length <= limit`.
  /// When `op + length + matchOverrun <= limit`, this may scribble up to `matchOverrun`
  /// bytes past the match (later output overwrites them); otherwise it stays exact.
  @inline(__always)
  static func copyMatch(
    to op: UnsafeMutableRawPointer, offset: Int, length: Int, limit: UnsafeMutableRawPointer
  ) {
    var dst = op
    let src = op - offset
    let end = op + length
    if limit - end >= matchOverrun {
      if offset >= 8 {
        // Every 8-byte load reads bytes written at least one step earlier.
        var s = src
        repeat {
          copy8(from: s, to: dst)
          s += 8
          dst += 8
        } while dst < end
        return
      }
      // Short period: double the distance between source and destination by copying the
      // pattern onto itself until it is at least 8, then proceed in 8-byte steps. The
      // first `dst - src` bytes of each store are correct, the rest is rewritten next.
      var s = src
      while dst - s < 8 {
        copy8(from: s, to: dst)
        dst += dst - s
      }
      // The distance is now a multiple of the period and at least 8.
      while dst < end {
        copy8(from: s, to: dst)
        s += 8
        dst += 8
      }
      return
    }
    // Near the end of the buffer: exact, byte by byte when overlapping.
    if offset >= length {
      dst.copyMemory(from: src, byteCount: length)
      return
    }
    var s = src
    while dst < end {
      dst.storeBytes(of: s.load(as: UInt8.self), as: UInt8.self)
      dst += 1
      s += 1
    }
  }
}

extension Array where Element == UInt8 {
  /// Appends up to `maxCount` bytes produced by `body`, which writes into uninitialized
  /// space at the given pointer and returns how many bytes it wrote.
  @inline(__always)
  mutating func appendCodecOutput(
    maxCount: Int, _ body: (UnsafeMutableRawPointer) -> Int
  ) {
    let produced = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
      // A zero-capacity buffer may have no base address; nothing can be written then.
      guard let base = buffer.baseAddress else {
        count = 0
        return
      }
      count = body(UnsafeMutableRawPointer(base))
    }
    // Writing straight into `self` would first need `maxCount` zeroed bytes appended; a
    // copy of the (smaller) result is cheaper, and free when `self` starts out empty.
    if isEmpty {
      self = produced
    } else {
      append(contentsOf: produced)
    }
  }
}

// MARK: fixed-size copies for decoders' fast paths

extension LZCopy {
  /// Copies 64 bytes (any alignment). Loads all before storing, so the ranges may overlap
  /// as long as the caller only relies on bytes that were already in place.
  @inline(__always)
  static func copy64(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer) {
    let a = src.loadUnaligned(as: SIMD16<UInt8>.self)
    let b = src.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
    let c = src.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self)
    let d = src.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self)
    dst.storeBytes(of: a, as: SIMD16<UInt8>.self)
    dst.storeBytes(of: b, toByteOffset: 16, as: SIMD16<UInt8>.self)
    dst.storeBytes(of: c, toByteOffset: 32, as: SIMD16<UInt8>.self)
    dst.storeBytes(of: d, toByteOffset: 48, as: SIMD16<UInt8>.self)
  }

  /// The most bytes `copyMatchOverrunning` writes from `op`: its length rounded up to 8,
  /// for lengths up to 64.
  static let overrunningMatchSpan = 64

  /// Copies a back-reference of `1...64` bytes with LZ77 semantics (the source may overlap
  /// the output), writing whole 8-byte words: at most `overrunningMatchSpan` bytes from
  /// `op`, those past the match being scratch that later output overwrites.
  ///
  /// The caller guarantees `1 <= offset <= op - start` and room for the overrun.
  @inline(__always)
  static func copyMatchOverrunning(to op: UnsafeMutableRawPointer, offset: Int, length: Int) {
    var src = UnsafeRawPointer(op - offset)
    var dst = op
    if offset < 8 {
      // One word of the repeated pattern, then copy from a whole number of periods back
      // (at least 8 bytes, which that word has made valid).
      op.storeBytes(of: repeatedPattern(src, period: offset), as: UInt64.self)
      dst += 8
      src = UnsafeRawPointer(dst - patternStride(offset))
    }
    // Each 8-byte load reads only bytes stored at least one step earlier.
    let end = op + length
    while dst < end {
      copy8(from: src, to: dst)
      src += 8
      dst += 8
    }
  }

  /// 8 bytes repeating the first `period` (1...7) bytes at `p`. Reads 8 bytes at `p`.
  @inline(__always)
  static func repeatedPattern(_ p: UnsafeRawPointer, period: Int) -> UInt64 {
    let bits = UInt64(8 &* period)
    var word = load64(p) & (UInt64.max >> (64 &- bits))
    // Double the filled part each time; a shift of 64 or more (no longer needed) gives 0.
    word |= word << bits
    word |= word << (2 &* bits)
    word |= word << (4 &* bits)
    return word
  }

  /// The smallest multiple of `period` (1...7) that is at least 8: 8, 8, 9, 8, 10, 12, 14.
  @inline(__always)
  static func patternStride(_ period: Int) -> Int {
    Int(truncatingIfNeeded: (0x0E0C_0A08_0908_0808 as UInt64) >> UInt64(8 &* period) & 0xff)
  }
}
