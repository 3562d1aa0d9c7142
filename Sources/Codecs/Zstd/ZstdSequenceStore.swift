/// The sequences and literals a matcher found for one block, before entropy coding.
final class ZstdSequenceStore {
  /// Literal run before each match.
  let literalLengths: UnsafeMutablePointer<UInt32>
  /// Full match length (>= 3).
  let matchLengths: UnsafeMutablePointer<UInt32>
  /// Offset as coded: 1...3 are repeat codes, otherwise distance + 3.
  let offBases: UnsafeMutablePointer<UInt32>
  var count = 0
  /// All literal bytes of the block, in order (including the trailing run).
  let literals: UnsafeMutablePointer<UInt8>
  var literalCount = 0

  /// Sized for blocks of at most `blockSize` bytes (every match covers at least 4 bytes).
  init(blockSize: Int) {
    let sequences = blockSize / 3 + 16
    literalLengths = .allocate(capacity: sequences)
    matchLengths = .allocate(capacity: sequences)
    offBases = .allocate(capacity: sequences)
    literals = .allocate(capacity: blockSize + 32)
  }

  deinit {
    literalLengths.deallocate()
    matchLengths.deallocate()
    offBases.deallocate()
    literals.deallocate()
  }

  func reset() {
    count = 0
    literalCount = 0
  }

  @inline(__always)
  func addLiterals(_ src: UnsafePointer<UInt8>, _ length: Int) {
    guard length > 0 else { return }
    (literals + literalCount).update(from: src, count: length)
    literalCount &+= length
  }

  @inline(__always)
  func add(literals src: UnsafePointer<UInt8>, literalLength: Int, offBase: Int, matchLength: Int) {
    addLiterals(src, literalLength)
    literalLengths[count] = UInt32(truncatingIfNeeded: literalLength)
    matchLengths[count] = UInt32(truncatingIfNeeded: matchLength)
    offBases[count] = UInt32(truncatingIfNeeded: offBase)
    count &+= 1
  }
}

/// The three repeat offsets, updated exactly as the decoder will (RFC 8878 section 3.1.2.5).
struct ZstdRepeatOffsets {
  var rep0 = 1
  var rep1 = 4
  var rep2 = 8

  /// The coded offset ("offBase") for a match at `offset` after `literalLength` literals.
  @inline(__always)
  mutating func code(offset: Int, literalLength: Int) -> Int {
    if literalLength > 0 {
      if offset == rep0 { return 1 }
      if offset == rep1 {
        rep1 = rep0
        rep0 = offset
        return 2
      }
      if offset == rep2 {
        rep2 = rep1
        rep1 = rep0
        rep0 = offset
        return 3
      }
    } else {
      if offset == rep1 {
        rep1 = rep0
        rep0 = offset
        return 1
      }
      if offset == rep2 {
        rep2 = rep1
        rep1 = rep0
        rep0 = offset
        return 2
      }
      if offset == rep0 - 1 {
        rep2 = rep1
        rep1 = rep0
        rep0 = offset
        return 3
      }
    }
    rep2 = rep1
    rep1 = rep0
    rep0 = offset
    return offset + 3
  }
}
