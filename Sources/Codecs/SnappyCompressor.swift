extension Snappy {
  /// Appends the raw Snappy compressed form of `input` (length preamble, then elements)
  /// to `output`. Inputs larger than 4 GiB - 1 cannot be represented and trap.
  public static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
    precondition(input.count <= maxLength, "Snappy blocks are limited to 4 GiB - 1")
    let bound = maxCompressedLength(input.count)
    output.appendCodecOutput(maxCount: bound) { out in
      let outEnd = out + bound
      var op = writePreamble(length: input.count, to: out)
      guard let base = input.baseAddress, !input.isEmpty else { return op - out }
      let table = UnsafeMutablePointer<UInt16>.allocate(capacity: maxTableSize)
      defer { table.deallocate() }
      // Like the reference, compress independent 64 KiB fragments: offsets stay 16-bit
      // and the hash table can hold 16-bit positions relative to the fragment.
      var start = 0
      while start < input.count {
        let count = min(blockSize, input.count - start)
        op = compressFragment(base + start, count: count, table: table, into: op, limit: outEnd)
        start += count
      }
      return op - out
    }
  }

  /// `input` as a Snappy block of literals only, one per 64 KiB fragment as the reference
  /// compressor cuts them: a valid block for every reader that costs a copy to write and to read.
  /// For data that does not compress (hashes, random ids), where searching for matches costs
  /// more time than the few percent it saves.
  public static func storeLiterally(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
    precondition(input.count <= maxLength, "Snappy blocks are limited to 4 GiB - 1")
    let bound = maxCompressedLength(input.count)
    output.appendCodecOutput(maxCount: bound) { out in
      var op = writePreamble(length: input.count, to: out)
      guard let base = input.baseAddress else { return op - out }
      var start = 0
      while start < input.count {
        let count = min(blockSize, input.count - start)
        op = emitLiteral(from: base + start, count: count, to: op)
        start += count
      }
      return op - out
    }
  }

  /// The uncompressed length as a little-endian base-128 varint; returns the position after it.
  private static func writePreamble(length: Int, to start: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
    var op = start
    var value = UInt32(length)
    while value >= 0x80 {
      op.storeBytes(of: UInt8(truncatingIfNeeded: value) | 0x80, as: UInt8.self)
      op += 1
      value >>= 7
    }
    op.storeBytes(of: UInt8(value), as: UInt8.self)
    return op + 1
  }

  static let blockSize = 1 << 16
  static let maxTableSize = 1 << 14
  /// Stop looking for matches this close to the end, so 8-byte loads stay in bounds.
  static let inputMargin = 15

  /// Compresses one fragment of at most 64 KiB to `start`, returning the new output
  /// position. There must be room for `maxCompressedLength(count)` bytes.
  @inline(__always)
  private static func compressFragment(
    _ input: UnsafeRawPointer, count: Int, table: UnsafeMutablePointer<UInt16>,
    into start: UnsafeMutableRawPointer, limit opLimit: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var op = start
    var tableSize = 256
    while tableSize < maxTableSize && tableSize < count { tableSize <<= 1 }
    table.initialize(repeating: 0, count: tableSize)
    let shift = UInt32(32 - tableSize.trailingZeroBitCount)
    @inline(__always) func hash(_ bytes: UInt32) -> Int {
      Int((bytes &* 0x1e35_a7bd) >> shift)
    }

    let ipEnd = input + count
    var nextEmit = input
    guard count >= inputMargin else {
      return emitLiteral(from: nextEmit, count: ipEnd - nextEmit, to: op)
    }
    let ipLimit = ipEnd - inputMargin
    var ip = input + 1
    var nextHash = hash(LZCopy.load32(ip))

    outer: while true {
      // Step 1: look for a 4-byte match, skipping faster the longer nothing matches
      // (after 32 misses, every other byte; then every third, and so on).
      var skip: UInt32 = 32
      var nextIp = ip
      var candidate: UnsafeRawPointer
      repeat {
        ip = nextIp
        let h = nextHash
        let step = Int(skip >> 5)
        skip &+= skip >> 5
        nextIp = ip + step
        if nextIp > ipLimit { break outer }
        nextHash = hash(LZCopy.load32(nextIp))
        candidate = input + Int(table[h])
        table[h] = UInt16(truncatingIfNeeded: ip - input)
      } while LZCopy.load32(ip) != LZCopy.load32(candidate)

      // Step 2: the bytes since the last copy go out as a literal. A short one may move
      // 16 bytes: `ip <= ipLimit` keeps the read inside the input, and the check on
      // `opLimit` (which the output bound's slack nearly always meets) the write.
      op = emitLiteral(from: nextEmit, count: ip - nextEmit, to: op, fast: opLimit - op >= 17)

      // Step 3: emit copies for as long as the position right after a copy matches too.
      var following: UInt64
      repeat {
        let matchStart = ip
        let matched = 4 + LZCopy.matchLength(candidate + 4, ip + 4, end: ipEnd)
        ip += matched
        op = emitCopy(offset: matchStart - candidate, length: matched, to: op)
        nextEmit = ip
        if ip >= ipLimit { break outer }
        // Hash the last byte of the copy and the current position (for future matches).
        following = LZCopy.load64(ip - 1)
        table[hash(UInt32(truncatingIfNeeded: following))] = UInt16(truncatingIfNeeded: ip - 1 - input)
        let h = hash(UInt32(truncatingIfNeeded: following >> 8))
        candidate = input + Int(table[h])
        table[h] = UInt16(truncatingIfNeeded: ip - input)
      } while UInt32(truncatingIfNeeded: following >> 8) == LZCopy.load32(candidate)
      nextHash = hash(UInt32(truncatingIfNeeded: following >> 16))
      ip += 1
    }
    if nextEmit < ipEnd {
      op = emitLiteral(from: nextEmit, count: ipEnd - nextEmit, to: op)
    }
    return op
  }

  @inline(__always)
  private static func emitLiteral(
    from src: UnsafeRawPointer, count: Int, to start: UnsafeMutableRawPointer, fast: Bool = false
  ) -> UnsafeMutableRawPointer {
    var op = start
    let n = count - 1
    if n < 60 {
      op.storeBytes(of: UInt8(truncatingIfNeeded: n << 2) | tagLiteral, as: UInt8.self)
      op += 1
    } else {
      // Tags 60...63 say the length minus one follows in 1...4 little-endian bytes.
      var bytes = 0
      var rest = n
      while rest > 0 {
        (op + 1 + bytes).storeBytes(of: UInt8(truncatingIfNeeded: rest), as: UInt8.self)
        rest >>= 8
        bytes += 1
      }
      op.storeBytes(of: UInt8(truncatingIfNeeded: (59 + bytes) << 2) | tagLiteral, as: UInt8.self)
      op += 1 + bytes
    }
    if count <= 16 && fast {
      LZCopy.copy16(from: src, to: op)
    } else {
      op.copyMemory(from: src, byteCount: count)
    }
    return op + count
  }

  @inline(__always)
  private static func emitCopy(
    offset: Int, length: Int, to start: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var op = start
    var length = length
    // Copy elements hold at most 64 bytes. Leave at least 4 for the last one, since a
    // copy-1 element can be no shorter.
    while length >= 68 {
      op = emitCopyAtMost64(offset: offset, length: 64, to: op)
      length -= 64
    }
    if length > 64 {
      op = emitCopyAtMost64(offset: offset, length: 60, to: op)
      length -= 60
    }
    return emitCopyAtMost64(offset: offset, length: length, to: op)
  }

  @inline(__always)
  private static func emitCopyAtMost64(
    offset: Int, length: Int, to op: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    if length < 12 && offset < 2048 {
      let tag = UInt8(truncatingIfNeeded: (offset >> 8) << 5 | (length - 4) << 2) | tagCopy1
      op.storeBytes(of: tag, as: UInt8.self)
      op.storeBytes(of: UInt8(truncatingIfNeeded: offset), toByteOffset: 1, as: UInt8.self)
      return op + 2
    }
    op.storeBytes(of: UInt8(truncatingIfNeeded: (length - 1) << 2) | tagCopy2, as: UInt8.self)
    (op + 1).storeBytes(of: UInt16(truncatingIfNeeded: offset).littleEndian, as: UInt16.self)
    return op + 3
  }
}
