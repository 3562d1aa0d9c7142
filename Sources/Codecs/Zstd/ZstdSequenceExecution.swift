/// Copies `count` bytes 16 at a time; may write up to 15 bytes past `dst + count` and read as far
/// past `src + count`. Safe for overlapping ranges only when `dst - src >= 16`.
@inline(__always)
func zstdWildCopy16(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ count: Int) {
  var d = dst
  var s = src
  let end = dst + count
  repeat {
    d.storeBytes(of: s.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
    d += 16
    s += 16
  } while d < end
}

extension ZstdDecoder {
  /// Decodes `count` sequences from the backward bitstream `stream` and executes each one at once.
  func executeSequences(
    _ stream: UnsafeRawBufferPointer, count: Int, offset: Int, literalCount: Int
  ) throws(CodecError) {
    var r = try ZstdBackwardBitReader(stream, offset: offset)
    let llT = llTable.entries
    let ofT = ofTable.entries
    let mlT = mlTable.entries
    var llState = Int(r.read(llTable.tableLog))
    var ofState = Int(r.read(ofTable.tableLog))
    var mlState = Int(r.read(mlTable.tableLog))
    r.reload()

    var rep0 = self.rep0
    var rep1 = self.rep1
    var rep2 = self.rep2
    let base = out.base
    var op = base + out.position
    let oend = base + out.capacity
    let prefixStart = base + frameStart
    var lit = UnsafeRawPointer(literals)
    let litEnd = lit + literalCount

    for i in 0..<count {
      let ofE = ofT[ofState]
      let mlE = mlT[mlState]
      let llE = llT[llState]
      let ofBits = Int(ofE.nbAddBits)
      let mlBits = Int(mlE.nbAddBits)
      let llBits = Int(llE.nbAddBits)
      var off = Int(ofE.baseValue) &+ Int(r.read(ofBits))
      let matchLength = Int(mlE.baseValue) &+ Int(r.read(mlBits))
      // 57 valid bits after a reload cover offset + match bits, or everything when small.
      if ofBits &+ mlBits &+ llBits > 31 { r.reload() }
      let literalLength = Int(llE.baseValue) &+ Int(r.read(llBits))

      if off > 3 {
        off -= 3
        rep2 = rep1
        rep1 = rep0
        rep0 = off
      } else {
        // Repeat codes; with no literals they shift by one (RFC 8878 section 3.1.2.5).
        let index = off &- 1 &+ (literalLength == 0 ? 1 : 0)
        if index == 0 {
          off = rep0
        } else {
          off = index == 1 ? rep1 : (index == 2 ? rep2 : rep0 &- 1)
          if index != 1 { rep2 = rep1 }
          rep1 = rep0
          rep0 = off
        }
      }

      if i &+ 1 < count {
        llState = Int(llE.newState) &+ Int(r.read(Int(llE.nbBits)))
        mlState = Int(mlE.newState) &+ Int(r.read(Int(mlE.nbBits)))
        ofState = Int(ofE.newState) &+ Int(r.read(Int(ofE.nbBits)))
        r.reload()
      }

      // Execute: literals, then the match.
      guard literalLength <= litEnd - lit else {
        throw .zstd(.corruptInput, "sequence uses more literals than decoded", at: offset)
      }
      let total = literalLength &+ matchLength
      guard total <= oend - op else {
        out.position = op - base
        throw out.overflowError(at: offset)
      }
      let matchDst = op + literalLength
      guard off > 0, off <= matchDst - prefixStart else {
        throw .zstd(.corruptInput, "match offset \(off) reaches before the frame start", at: offset)
      }
      let match = UnsafeRawPointer(matchDst - off)
      if oend - op >= total &+ 32 {
        zstdWildCopy16(op, lit, literalLength)
        if off >= 16 {
          zstdWildCopy16(matchDst, match, matchLength)
        } else {
          Self.copyShortOffset(matchDst, off, matchLength)
        }
      } else {
        op.copyMemory(from: lit, byteCount: literalLength)
        if off >= matchLength {
          matchDst.copyMemory(from: match, byteCount: matchLength)
        } else {
          for k in 0..<matchLength {
            matchDst.storeBytes(of: match.load(fromByteOffset: k, as: UInt8.self), toByteOffset: k, as: UInt8.self)
          }
        }
      }
      lit += literalLength
      op += total
    }
    r.reload()
    guard r.isExactlyFinished else {
      throw .zstd(.corruptInput, "sequences bitstream not fully consumed", at: offset)
    }
    self.rep0 = rep0
    self.rep1 = rep1
    self.rep2 = rep2
    out.position = op - base
    try copyFinalLiterals(from: UnsafeMutablePointer(mutating: lit.assumingMemoryBound(to: UInt8.self)), count: litEnd - lit, offset: offset)
  }

  /// A match closer than 16 bytes overlaps itself: copy the first 16 bytes one at a time, then
  /// continue in 16-byte chunks from a multiple of the offset that is at least 16 back.
  /// Requires 32 bytes of slack after `dst + length`.
  @inline(__always)
  static func copyShortOffset(_ dst: UnsafeMutableRawPointer, _ off: Int, _ length: Int) {
    let head = min(length, 16)
    for k in 0..<head {
      dst.storeBytes(of: dst.load(fromByteOffset: k &- off, as: UInt8.self), toByteOffset: k, as: UInt8.self)
    }
    guard length > 16 else { return }
    var stride = off
    while stride < 16 { stride &+= off }
    zstdWildCopy16(dst + 16, UnsafeRawPointer(dst + 16 - stride), length - 16)
  }
}
