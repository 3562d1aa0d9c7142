/// Reads a zstd entropy bitstream backwards (from its last byte towards its first), 64 bits at a time.
///
/// The writer appends bits LSB-first and ends with a 1 marker bit, so the reader starts just below
/// that marker and consumes bits from the most significant end of a 64-bit window. Reads past the
/// beginning yield garbage bits but never touch memory outside the stream; callers detect that case
/// with `isOverflowed` / `isExactlyFinished`.
struct ZstdBackwardBitReader {
  var container: UInt64
  /// Bits of `container` already consumed, counted from its most significant bit.
  var consumed: Int
  var ptr: UnsafeRawPointer
  let start: UnsafeRawPointer

  /// `stream` must be non-empty; `offset` locates it in the input for error messages.
  init(_ stream: UnsafeRawBufferPointer, offset: Int) throws(CodecError) {
    guard let base = stream.baseAddress, stream.count > 0 else {
      throw .zstd(.corruptInput, "empty bitstream", at: offset)
    }
    let count = stream.count
    let last = base.load(fromByteOffset: count - 1, as: UInt8.self)
    guard last != 0 else { throw .zstd(.corruptInput, "bitstream lacks its end marker", at: offset + count - 1) }
    start = base
    if count >= 8 {
      ptr = base + (count - 8)
      container = UInt64(littleEndian: ptr.loadUnaligned(as: UInt64.self))
      consumed = last.leadingZeroBitCount + 1
    } else {
      ptr = base
      var value: UInt64 = 0
      for i in 0..<count {
        value |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << (8 * UInt64(i))
      }
      container = value
      consumed = last.leadingZeroBitCount + 1 + (8 - count) * 8
    }
  }

  /// Reads `n` bits (0...56); `n == 0` yields 0.
  @inline(__always)
  mutating func read(_ n: Int) -> UInt64 {
    let value = ((container &<< UInt64(truncatingIfNeeded: consumed)) &>> 1) &>> UInt64(truncatingIfNeeded: 63 &- n)
    consumed &+= n
    return value
  }

  /// The next `n` bits (1...63) without consuming them.
  @inline(__always)
  func peek(_ n: Int) -> Int {
    Int(truncatingIfNeeded: (container &<< UInt64(truncatingIfNeeded: consumed)) &>> UInt64(truncatingIfNeeded: 64 &- n))
  }

  @inline(__always)
  mutating func skip(_ n: Int) { consumed &+= n }

  /// True when at least 8 bytes remain before the stream start, so a reload gives >= 57 fresh bits.
  @inline(__always)
  var canReloadFully: Bool { ptr - start >= 8 }

  /// Refills the window so that at least 57 bits are valid, unless the start is near.
  @inline(__always)
  mutating func reload() {
    if consumed > 64 { return }  // already overflowed: keep state, caller will report corruption
    if ptr - start >= 8 {
      ptr -= consumed &>> 3
      consumed &= 7
    } else {
      if ptr == start { return }
      var bytes = consumed &>> 3
      let room = ptr - start
      if bytes > room { bytes = room }
      ptr -= bytes
      consumed &-= bytes &* 8
    }
    container = UInt64(littleEndian: ptr.loadUnaligned(as: UInt64.self))
  }

  /// Every bit of the stream has been consumed, no more and no less.
  var isExactlyFinished: Bool { ptr == start && consumed == 64 }
  var isOverflowed: Bool { consumed > 64 }
}

/// Reads a forward little-endian bitstream (FSE table descriptions). Bits past the end read as zero;
/// `bitPosition` tells how far the caller got so it can check the stream was long enough.
struct ZstdForwardBitReader {
  let bytes: UnsafeRawBufferPointer
  var bitPosition = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  /// The next `n` bits (n <= 32) without consuming them.
  func peek(_ n: Int) -> UInt32 {
    var value: UInt64 = 0
    let first = bitPosition >> 3
    for k in 0..<5 {
      let index = first + k
      if index < bytes.count { value |= UInt64(bytes[index]) << (8 * UInt64(k)) }
    }
    value >>= UInt64(bitPosition & 7)
    return UInt32(truncatingIfNeeded: value & ((1 << UInt64(n)) - 1))
  }

  mutating func read(_ n: Int) -> UInt32 {
    let v = peek(n)
    bitPosition += n
    return v
  }

  var bytesConsumed: Int { (bitPosition + 7) >> 3 }
}
