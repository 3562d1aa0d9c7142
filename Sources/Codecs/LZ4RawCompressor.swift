extension LZ4Raw {
  /// Appends the LZ4 block form of `input` to `output` (no frame, no size prefix).
  ///
  /// A greedy single-pass matcher over a hash table of 4-byte sequences, like the
  /// reference's LZ4_compress_fast at acceleration 1. Inputs must be under 2 GiB (LZ4's own
  /// block limit); larger ones trap.
  public static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
    precondition(input.count <= Int(Int32.max), "LZ4 blocks are limited to 2 GiB")
    let bound = maxCompressedLength(input.count)
    output.appendCodecOutput(maxCount: bound) { out in
      guard let base = input.baseAddress, !input.isEmpty else {
        // The empty block: one token announcing zero literals.
        out.storeBytes(of: 0, as: UInt8.self)
        return 1
      }
      let table = UnsafeMutablePointer<UInt32>.allocate(capacity: hashTableSize)
      defer { table.deallocate() }
      table.initialize(repeating: 0, count: hashTableSize)
      return compressBlock(base, count: input.count, table: table, into: out, limit: out + bound) - out
    }
  }

  static let hashLog = 12
  static let hashTableSize = 1 << hashLog
  /// After 2^skipTrigger misses in a row the search step grows by one byte.
  static let skipTrigger = 6

  @inline(__always)
  static func hash(_ sequence: UInt64) -> Int {
    // Hashes 5 bytes (like the reference on 64-bit machines): fewer false candidates.
    Int(truncatingIfNeeded: ((sequence << 24) &* 889_523_592_379) >> UInt64(64 - hashLog))
  }

  private static func compressBlock(
    _ input: UnsafeRawPointer, count: Int, table: UnsafeMutablePointer<UInt32>,
    into start: UnsafeMutableRawPointer, limit opLimit: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var op = start
    let ipEnd = input + count
    var anchor = input
    // Too short to hold a match that leaves room for the mandatory trailing literals.
    guard count > mfLimit else {
      return emitLastLiterals(from: anchor, count: count, to: op)
    }
    let matchLimit = ipEnd - lastLiterals  // matches end at or before this
    let searchLimit = ipEnd - mfLimit  // matches start at or before this

    @inline(__always) func position(_ p: UnsafeRawPointer) -> UInt32 {
      UInt32(truncatingIfNeeded: p - input)
    }
    table[hash(LZCopy.load64(input))] = 0
    var ip = input + 1
    var forwardHash = hash(LZCopy.load64(ip))

    outer: while true {
      // Find a match, stepping further the longer the search goes without one. The next
      // position's hash is computed before this one is tested, to overlap the loads.
      var candidate: UnsafeRawPointer
      var forwardIp = ip
      var attempts = 1 << skipTrigger
      var step = 1
      repeat {
        let h = forwardHash
        ip = forwardIp
        forwardIp += step
        step = attempts >> skipTrigger
        attempts += 1
        // Also keeps `ip` at or before `searchLimit` and the 8-byte load in bounds.
        if forwardIp > searchLimit + 1 { break outer }
        candidate = input + Int(table[h])
        forwardHash = hash(LZCopy.load64(forwardIp))
        table[h] = position(ip)
      } while ip - candidate > maxOffset || LZCopy.load32(candidate) != LZCopy.load32(ip)

      // Extend the match backwards over equal bytes not yet emitted.
      while ip > anchor && candidate > input
        && (ip - 1).load(as: UInt8.self) == (candidate - 1).load(as: UInt8.self)
      {
        ip -= 1
        candidate -= 1
      }

      // Emit the sequence(s) starting here; a match right after a match gets no literals.
      var literalStart = anchor
      while true {
        let tokenAt = op
        op += 1
        let literalCount = ip - literalStart
        var token: UInt8
        if literalCount >= 15 {
          token = 15 << 4
          op = emitLengthExtension(literalCount - 15, to: op)
        } else {
          token = UInt8(truncatingIfNeeded: literalCount << 4)
        }
        if literalCount <= 16 && ipEnd - literalStart >= 16 && opLimit - op >= 16 {
          LZCopy.copy16(from: literalStart, to: op)  // short: skip the memcpy call
        } else {
          op.copyMemory(from: literalStart, byteCount: literalCount)
        }
        op += literalCount

        op.storeBytes(of: UInt16(truncatingIfNeeded: ip - candidate).littleEndian, as: UInt16.self)
        op += 2
        let matchLength = minMatch + LZCopy.matchLength(candidate + minMatch, ip + minMatch, end: matchLimit)
        if matchLength - minMatch >= 15 {
          token |= 15
          op = emitLengthExtension(matchLength - minMatch - 15, to: op)
        } else {
          token |= UInt8(truncatingIfNeeded: matchLength - minMatch)
        }
        tokenAt.storeBytes(of: token, as: UInt8.self)
        ip += matchLength
        anchor = ip
        if ip > searchLimit { break outer }

        // Remember a position inside the match, then try a match right here.
        table[hash(LZCopy.load64(ip - 2))] = position(ip - 2)
        let h = hash(LZCopy.load64(ip))
        candidate = input + Int(table[h])
        table[h] = position(ip)
        guard
          ip - candidate <= maxOffset && candidate < ip
            && LZCopy.load32(candidate) == LZCopy.load32(ip)
        else { break }
        literalStart = ip
      }
      ip += 1
      forwardHash = hash(LZCopy.load64(ip))
    }
    return emitLastLiterals(from: anchor, count: ipEnd - anchor, to: op)
  }

  /// Writes the 255-run that extends a length nibble of 15.
  @inline(__always)
  private static func emitLengthExtension(_ rest: Int, to start: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
    var op = start
    var rest = rest
    while rest >= 255 {
      op.storeBytes(of: 255, as: UInt8.self)
      op += 1
      rest -= 255
    }
    op.storeBytes(of: UInt8(truncatingIfNeeded: rest), as: UInt8.self)
    return op + 1
  }

  /// The final sequence: literals only.
  private static func emitLastLiterals(
    from src: UnsafeRawPointer, count: Int, to start: UnsafeMutableRawPointer
  ) -> UnsafeMutableRawPointer {
    var op = start
    if count >= 15 {
      op.storeBytes(of: 15 << 4, as: UInt8.self)
      op = emitLengthExtension(count - 15, to: op + 1)
    } else {
      op.storeBytes(of: UInt8(truncatingIfNeeded: count << 4), as: UInt8.self)
      op += 1
    }
    op.copyMemory(from: src, byteCount: count)
    return op + count
  }
}
