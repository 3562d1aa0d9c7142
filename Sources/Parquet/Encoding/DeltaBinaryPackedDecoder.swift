/// Decoder of DELTA_BINARY_PACKED INT32 or INT64 values, batch by batch. The page bytes must
/// outlive it.
///
/// Arithmetic runs on UInt64 with wrapping; INT32 values are the low 32 bits, which is what
/// wrapping 32-bit arithmetic gives, as the spec requires.
struct DeltaBinaryPackedDecoder {
  let bytes: UnsafeRawBufferPointer
  /// Names the stream in errors ("DELTA_BYTE_ARRAY prefix lengths", ...).
  let encoding: StaticString
  /// 32 for INT32, 64 for INT64: the widest miniblock allowed and the type decoded into.
  let valueBits: Int
  let blockSize: Int
  let miniblocksPerBlock: Int
  let valuesPerMiniblock: Int
  /// Values in the stream, from its header.
  let totalCount: Int
  /// Values returned (or skipped) so far.
  private(set) var valuesRead = 0

  /// Offset of the next block header or miniblock.
  private var offset: Int
  private var last: UInt64
  // The current block.
  private var minDelta: UInt64 = 0
  private var widthsAt = 0
  private var nextMiniblock: Int
  // The current miniblock: start of its data, width, values usable, values taken.
  private var mbStart = 0
  private var mbWidth = 0
  private var mbCount = 0
  private var mbIndex = 0

  /// Block sizes above this are refused: real writers use 128 (parquet-mr, Arrow) up to a few
  /// thousand, and the cap keeps all size arithmetic far from overflow.
  static let maxBlockSize = 1 << 24

  /// Reads the stream header. `maxValues` bounds the value count the header may announce
  /// (the page's value count, say).
  init(
    _ bytes: UnsafeRawBufferPointer, valueBits: Int, maxValues: Int,
    encoding: StaticString = "DELTA_BINARY_PACKED"
  ) throws(ParquetError) {
    precondition(valueBits == 32 || valueBits == 64)
    self.bytes = bytes
    self.encoding = encoding
    self.valueBits = valueBits
    var at = 0
    let blockSize = try ULEB128.read(bytes, at: &at, encoding: encoding)
    guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(Self.maxBlockSize) else {
      throw ParquetError(
        .corrupt,
        "\(encoding): block size \(blockSize) at byte 0 is not a positive multiple of 128 up to \(Self.maxBlockSize)")
    }
    let miniblocksAt = at
    let miniblocks = try ULEB128.read(bytes, at: &at, encoding: encoding)
    guard miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0
    else {
      throw ParquetError(
        .corrupt,
        "\(encoding): \(miniblocks) miniblocks at byte \(miniblocksAt) do not split a block of \(blockSize) into multiples of 32"
      )
    }
    let countAt = at
    let count = try ULEB128.read(bytes, at: &at, encoding: encoding)
    guard count <= UInt64(max(0, maxValues)) else {
      throw ParquetError(
        .corrupt, "\(encoding): value count \(count) at byte \(countAt) exceeds the \(maxValues) expected")
    }
    let firstAt = at
    let first = ULEB128.zigzagDecode(try ULEB128.read(bytes, at: &at, encoding: encoding))
    guard valueBits == 64 || Int32(exactly: first) != nil else {
      throw ParquetError(.corrupt, "\(encoding): first value \(first) at byte \(firstAt) does not fit INT32")
    }
    self.blockSize = Int(blockSize)
    self.miniblocksPerBlock = Int(miniblocks)
    self.valuesPerMiniblock = Int(blockSize / miniblocks)
    self.totalCount = Int(count)
    self.offset = at
    self.last = UInt64(bitPattern: first)
    self.nextMiniblock = Int(miniblocks)
  }

  var remaining: Int { totalCount &- valuesRead }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) {
    precondition(valueBits == 64, "decode an INT32 stream into Int32")
    guard let dst = out.baseAddress else { return }
    try decodeValues(dst, out.count)
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
    precondition(valueBits == 32, "decode an INT64 stream into Int64")
    guard let dst = out.baseAddress else { return }
    try decodeValues(dst, out.count)
  }

  mutating func skip(_ count: Int) throws(ParquetError) {
    try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { (scratch) throws(ParquetError) in
      guard let tmp = scratch.baseAddress else { return }
      var left = count
      while left > 0 {
        let n = min(left, 256)
        try decodeValues(tmp, n)
        left &-= n
      }
    }
  }

  /// Offset just past the stream, found by walking block headers and bit widths without
  /// unpacking anything: where DELTA_LENGTH_BYTE_ARRAY data or DELTA_BYTE_ARRAY suffixes start.
  /// Checks the structure up to there (widths, presence of every needed byte).
  func endOffset() throws(ParquetError) -> Int {
    var walker = self
    if walker.valuesRead == 0 && walker.totalCount > 0 { walker.valuesRead = 1 }
    while walker.valuesRead < walker.totalCount {
      if walker.mbIndex == walker.mbCount { try walker.openMiniblock() }
      walker.valuesRead &+= walker.mbCount &- walker.mbIndex
      walker.mbIndex = walker.mbCount
    }
    return walker.offset
  }

  /// Bytes consumed so far; once every value is read, the length of the stream.
  var consumed: Int { offset }

  @inline(__always)
  private mutating func decodeValues<T: FixedWidthInteger>(_ out: UnsafeMutablePointer<T>, _ count: Int)
    throws(ParquetError)
  {
    guard count > 0 else { return }
    guard count <= totalCount &- valuesRead else {
      throw ParquetError(
        .corrupt, "\(encoding): \(count) values wanted at value \(valuesRead), the stream holds \(totalCount)")
    }
    guard let base = bytes.baseAddress else { return }
    var dst = out
    var need = count
    if valuesRead == 0 {
      dst.pointee = T(truncatingIfNeeded: last)
      dst += 1
      need &-= 1
      valuesRead = 1
    }
    guard need > 0 else { return }
    // Deltas go through a stack buffer 64 at a time (plus up to 7 of a group begun earlier).
    try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 72) { (scratch) throws(ParquetError) in
      guard let deltas = scratch.baseAddress else { return }
      while need > 0 {
        if mbIndex == mbCount { try openMiniblock() }
        let k = min(need, mbCount &- mbIndex, 64)
        let groupStart = mbIndex & ~7
        let lead = mbIndex &- groupStart
        let from = mbStart &+ (groupStart &* mbWidth) &>> 3
        BitPacking.unpack64(
          base + from, readable: bytes.count &- from, bitWidth: mbWidth, count: lead &+ k, into: deltas)
        var value = last
        let step = minDelta
        for j in 0..<k {
          value = value &+ step &+ deltas[lead &+ j]
          dst[j] = T(truncatingIfNeeded: value)
        }
        last = value
        mbIndex &+= k
        dst += k
        need &-= k
        valuesRead &+= k
      }
    }
  }

  /// Moves to the next miniblock, reading a block header first if the block is used up.
  private mutating func openMiniblock() throws(ParquetError) {
    if nextMiniblock == miniblocksPerBlock { try readBlockHeader() }
    let width = Int(bytes[widthsAt &+ nextMiniblock])
    // Up to 64 even for INT32: deltas of a wrapping INT32 stream can need 33 bits (DuckDB).
    guard width <= 64 else {
      throw ParquetError(
        .corrupt, "\(encoding): miniblock bit width \(width) at byte \(widthsAt &+ nextMiniblock) exceeds 64")
    }
    let count = min(valuesPerMiniblock, totalCount &- valuesRead)
    let full = (valuesPerMiniblock &* width) &>> 3
    let available = bytes.count &- offset
    mbStart = offset
    if full <= available {
      offset &+= full
    } else if count < valuesPerMiniblock && BitPacking.byteCount(values: count, bitWidth: width) <= available {
      // A last miniblock without its padding: accept the values that are there.
      offset = bytes.count
    } else {
      throw ParquetError(
        .truncated, "\(encoding): miniblock of \(full) bytes at byte \(offset) runs past the end (\(bytes.count) bytes)"
      )
    }
    mbWidth = width
    mbCount = count
    mbIndex = 0
    nextMiniblock &+= 1
  }

  private mutating func readBlockHeader() throws(ParquetError) {
    // An INT32 min delta may exceed 32 bits: DuckDB writes such streams, and since INT32
    // arithmetic wraps, decoding in 64 bits and truncating gives the values it meant.
    let delta = ULEB128.zigzagDecode(try ULEB128.read(bytes, at: &offset, encoding: encoding))
    guard bytes.count &- offset >= miniblocksPerBlock else {
      throw ParquetError(
        .truncated,
        "\(encoding): \(miniblocksPerBlock) bit widths at byte \(offset) run past the end (\(bytes.count) bytes)")
    }
    minDelta = UInt64(bitPattern: delta)
    widthsAt = offset
    offset &+= miniblocksPerBlock
    nextMiniblock = 0
  }
}
