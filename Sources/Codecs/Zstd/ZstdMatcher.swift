/// Finds LZ77 matches in one segment of the input (positions are relative to `src`) and turns
/// each block into sequences. Hash tables persist across blocks so matches reach back into
/// earlier blocks, up to `maxDistance`.
final class ZstdMatcher {
  let params: ZstdLevelParameters
  let src: UnsafePointer<UInt8>
  /// Bytes readable from `src` (to the end of the input).
  let srcSize: Int
  let maxDistance: Int
  var reps = ZstdRepeatOffsets()

  let hashLog: Int
  let hashTable: UnsafeMutablePointer<UInt32>
  /// Long-hash table (double fast) or chain table (lazy); one dummy entry otherwise.
  let secondaryLog: Int
  let secondary: UnsafeMutablePointer<UInt32>
  /// Lazy strategy: next position to insert into the hash chains.
  var nextToUpdate = 0

  init(params: ZstdLevelParameters, src: UnsafePointer<UInt8>, srcSize: Int, maxDistance: Int) {
    self.params = params
    self.src = src
    self.srcSize = srcSize
    self.maxDistance = maxDistance
    // Small inputs get small tables: no point clearing megabytes for a 4 KiB page.
    let sizeLog = srcSize > 1 ? zstdHighBit32(UInt32(clamping: srcSize - 1)) + 1 : 1
    hashLog = max(8, min(params.hashLog, sizeLog + 1))
    hashTable = .allocate(capacity: 1 << hashLog)
    hashTable.initialize(repeating: 0, count: 1 << hashLog)
    switch params.strategy {
    case .fast: secondaryLog = 0
    case .doubleFast: secondaryLog = max(8, min(params.secondaryLog, sizeLog + 1))
    case .lazy: secondaryLog = max(8, min(params.secondaryLog, sizeLog))
    }
    secondary = .allocate(capacity: 1 << secondaryLog)
    secondary.initialize(repeating: 0, count: 1 << secondaryLog)
  }

  deinit {
    hashTable.deallocate()
    secondary.deallocate()
  }

  /// Appends the sequences of block `start..<end` to `store`, ending with its trailing literals.
  func findSequences(_ start: Int, _ end: Int, into store: ZstdSequenceStore) {
    switch params.strategy {
    case .fast: compressFast(start, end, store)
    case .doubleFast: compressDoubleFast(start, end, store)
    case .lazy: compressLazy(start, end, store)
    }
  }

  @inline(__always)
  func read32(_ p: Int) -> UInt32 { UnsafeRawPointer(src + p).loadUnaligned(as: UInt32.self) }

  @inline(__always)
  func read64(_ p: Int) -> UInt64 { UnsafeRawPointer(src + p).loadUnaligned(as: UInt64.self) }

  /// Hash of the `mls` (4...8) bytes at `p`, `log` bits wide.
  @inline(__always)
  func hash(_ p: Int, _ mls: Int, _ log: Int) -> Int {
    if mls == 4 {
      return Int(truncatingIfNeeded: (read32(p) &* 2_654_435_761) &>> UInt32(32 &- log))
    }
    let v = UInt64(littleEndian: read64(p)) &<< UInt64(64 &- 8 &* mls)
    return Int(truncatingIfNeeded: (v &* 0xCF1B_BCDC_B7A5_6463) &>> UInt64(64 &- log))
  }

  /// Length of the common run at `a` and `b` (b < a), not reading at or past `end`.
  @inline(__always)
  func matchLength(_ a: Int, _ b: Int, _ end: Int) -> Int {
    var p = a
    var q = b
    while p &+ 8 <= end {
      let x = read64(p) ^ read64(q)
      if x != 0 { return p &- a &+ (UInt64(littleEndian: x).trailingZeroBitCount &>> 3) }
      p &+= 8
      q &+= 8
    }
    while p < end && src[p] == src[q] {
      p &+= 1
      q &+= 1
    }
    return p &- a
  }
}
