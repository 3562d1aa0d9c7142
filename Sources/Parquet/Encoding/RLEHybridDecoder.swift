/// Decoder of the RLE / bit-packed hybrid: definition and repetition levels, dictionary indices
/// and RLE booleans. It pulls values in batches of any size; the page bytes must outlive it.
struct RLEHybridDecoder {
  let bytes: UnsafeRawBufferPointer
  let bitWidth: Int
  /// Names the data in errors ("RLE levels", "RLE_DICTIONARY indices", ...).
  let encoding: StaticString

  /// Byte offset of the next run header.
  private(set) var offset = 0
  // The current RLE run.
  private var repeatLeft = 0
  private var repeatValue: Int32 = 0
  // The current bit-packed run: byte offset of its data, values it holds, values taken.
  private var packedStart = 0
  private var packedCount = 0
  private var packedIndex = 0

  init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, encoding: StaticString = "RLE") throws(ParquetError) {
    guard bitWidth >= 0 && bitWidth <= 32 else {
      throw ParquetError(.corrupt, "\(encoding): bit width \(bitWidth) is outside 0...32")
    }
    self.bytes = bytes
    self.bitWidth = bitWidth
    self.encoding = encoding
  }

  /// Decodes exactly `out.count` values, or throws if the runs end first or are malformed.
  mutating func decode(into out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
    guard var dst = out.baseAddress else { return }
    var need = out.count
    while need > 0 {
      if repeatLeft > 0 {
        let n = min(need, repeatLeft)
        dst.update(repeating: repeatValue, count: n)
        repeatLeft &-= n
        dst += n
        need &-= n
      } else if packedIndex < packedCount {
        let n = min(need, packedCount &- packedIndex)
        takePacked(n, into: dst)
        dst += n
        need &-= n
      } else {
        try nextRun()
      }
    }
  }

  /// Skips `count` values without unpacking them.
  mutating func skip(_ count: Int) throws(ParquetError) {
    var need = count
    while need > 0 {
      if repeatLeft > 0 {
        let n = min(need, repeatLeft)
        repeatLeft &-= n
        need &-= n
      } else if packedIndex < packedCount {
        let n = min(need, packedCount &- packedIndex)
        packedIndex &+= n
        need &-= n
      } else {
        try nextRun()
      }
    }
  }

  /// Consumes `count` values and returns how many equal `value`: the number of non-null slots
  /// in a run of definition levels, say. RLE runs are counted without expanding them.
  mutating func count(equalTo value: Int32, in count: Int) throws(ParquetError) -> Int {
    var need = count
    var matches = 0
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { (scratch) throws(ParquetError) in
      guard let tmp = scratch.baseAddress else { return }
      while need > 0 {
        if repeatLeft > 0 {
          let n = min(need, repeatLeft)
          if repeatValue == value { matches &+= n }
          repeatLeft &-= n
          need &-= n
        } else if packedIndex < packedCount {
          let n = min(need, packedCount &- packedIndex, 256)
          takePacked(n, into: tmp)
          for i in 0..<n where tmp[i] == value { matches &+= 1 }
          need &-= n
        } else {
          try nextRun()
        }
      }
    }
    return matches
  }

  /// Decodes `out.count` booleans (bit width 1) as 0/1 bytes.
  mutating func decodeBooleans(into out: UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) {
    guard let base = out.baseAddress else { return }
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { (scratch) throws(ParquetError) in
      var done = 0
      while done < out.count {
        let n = min(512, out.count &- done)
        let chunk = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
        try decode(into: chunk)
        for i in 0..<n { base[done &+ i] = UInt8(truncatingIfNeeded: chunk[i]) }
        done &+= n
      }
    }
  }

  /// Unpacks `n` values of the current bit-packed run, which holds at least that many.
  @inline(__always)
  private mutating func takePacked(_ n: Int, into dst: UnsafeMutablePointer<Int32>) {
    guard let base = bytes.baseAddress else { return }
    var dst = dst
    var n = n
    let w = bitWidth
    // Mid-group (a previous batch ended inside it): unpack that group to the stack.
    if packedIndex & 7 != 0 {
      let groupIndex = packedIndex &>> 3
      let groupStart = packedStart &+ groupIndex &* w
      let inGroup = min(8, packedCount &- groupIndex &* 8)
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: 8) { group in
        guard let g = group.baseAddress else { return }
        BitPacking.unpack32(
          base + groupStart, readable: bytes.count &- groupStart, bitWidth: w, count: inGroup, into: g)
        let skip = packedIndex & 7
        let k = min(n, inGroup &- skip)
        dst.update(from: g + skip, count: k)
        dst += k
        n &-= k
        packedIndex &+= k
      }
    }
    guard n > 0 else { return }
    let start = packedStart &+ (packedIndex &>> 3) &* w
    BitPacking.unpack32(base + start, readable: bytes.count &- start, bitWidth: w, count: n, into: dst)
    packedIndex &+= n
  }

  /// Reads the next run header and sets up the run.
  private mutating func nextRun() throws(ParquetError) {
    guard offset < bytes.count else {
      throw ParquetError(.truncated, "\(encoding): values run out at byte \(offset), the end of the data")
    }
    let headerAt = offset
    let header = try ULEB128.read32(bytes, at: &offset, encoding: encoding)
    let runLength = Int(header &>> 1)
    if header & 1 == 0 {
      let valueBytes = (bitWidth &+ 7) &>> 3
      guard bytes.count &- offset >= valueBytes else {
        throw ParquetError(.truncated, "\(encoding): RLE run at byte \(headerAt) lacks its \(valueBytes)-byte value")
      }
      var value: UInt32 = 0
      for i in 0..<valueBytes { value |= UInt32(bytes[offset &+ i]) &<< UInt32(8 &* i) }
      offset &+= valueBytes
      guard bitWidth == 32 || value &>> UInt32(bitWidth) == 0 else {
        throw ParquetError(
          .corrupt, "\(encoding): RLE run at byte \(headerAt) repeats \(value), wider than \(bitWidth) bits")
      }
      repeatValue = Int32(bitPattern: value)
      repeatLeft = runLength
    } else {
      // Runs are at most 2^31 - 1 values: 2^28 - 1 groups of 8.
      guard runLength < 1 &<< 28 else {
        throw ParquetError(.corrupt, "\(encoding): bit-packed run at byte \(headerAt) claims \(runLength) groups of 8")
      }
      let byteLength = runLength &* bitWidth
      let available = bytes.count &- offset
      packedStart = offset
      packedIndex = 0
      if byteLength <= available {
        packedCount = runLength &* 8
        offset &+= byteLength
      } else {
        // A final run cut short: its values that are wholly present are readable; asking for
        // more fails when they run out.
        packedCount = available &* 8 / bitWidth
        offset = bytes.count
      }
    }
  }
}

extension RLEHybridDecoder {
  /// Levels of a v1 data page: a 4-byte little-endian length, then that many bytes of runs.
  /// Returns the decoder and the bytes used (4 + length): the values start there.
  static func levelsV1(
    _ bytes: UnsafeRawBufferPointer, bitWidth: Int, encoding: StaticString = "RLE levels"
  ) throws(ParquetError) -> (decoder: RLEHybridDecoder, consumed: Int) {
    try lengthPrefixed(bytes, bitWidth: bitWidth, encoding: encoding)
  }

  /// Levels of a v2 data page, whose byte length comes from the page header.
  static func levelsV2(
    _ bytes: UnsafeRawBufferPointer, bitWidth: Int, encoding: StaticString = "RLE levels"
  ) throws(ParquetError) -> RLEHybridDecoder {
    try RLEHybridDecoder(bytes, bitWidth: bitWidth, encoding: encoding)
  }

  /// RLE-encoded BOOLEAN values (v1 and v2 pages): a 4-byte length, then runs of width 1.
  static func booleans(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (
    decoder: RLEHybridDecoder, consumed: Int
  ) {
    try lengthPrefixed(bytes, bitWidth: 1, encoding: "RLE booleans")
  }

  /// Dictionary indices of a data page: one byte of bit width, then runs to the end of the page.
  static func dictionaryIndices(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> RLEHybridDecoder {
    guard let width = bytes.first else {
      throw ParquetError(.truncated, "RLE_DICTIONARY: empty page, no bit width byte")
    }
    guard width <= 32 else {
      throw ParquetError(.corrupt, "RLE_DICTIONARY: bit width \(width) at byte 0 exceeds 32")
    }
    return try RLEHybridDecoder(
      UnsafeRawBufferPointer(rebasing: bytes[1...]), bitWidth: Int(width), encoding: "RLE_DICTIONARY")
  }

  private static func lengthPrefixed(
    _ bytes: UnsafeRawBufferPointer, bitWidth: Int, encoding: StaticString
  ) throws(ParquetError) -> (decoder: RLEHybridDecoder, consumed: Int) {
    guard bytes.count >= 4 else {
      throw ParquetError(.truncated, "\(encoding): \(bytes.count) bytes, too short for the 4-byte length")
    }
    let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: 0))
    guard length <= bytes.count &- 4 else {
      throw ParquetError(
        .truncated, "\(encoding): length \(length) at byte 0 exceeds the \(bytes.count &- 4) bytes after it")
    }
    let decoder = try RLEHybridDecoder(
      UnsafeRawBufferPointer(rebasing: bytes[4..<(4 &+ length)]), bitWidth: bitWidth, encoding: encoding)
    return (decoder, 4 &+ length)
  }

  /// The bit width of levels whose maximum is `maxLevel` (0 for a required, flat column).
  static func bitWidth(forMaxLevel maxLevel: Int) -> Int {
    BitPacking.bitWidth(of: UInt64(max(0, maxLevel)))
  }
}
