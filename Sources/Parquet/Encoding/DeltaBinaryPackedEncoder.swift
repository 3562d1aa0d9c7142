/// Encoder of DELTA_BINARY_PACKED for Int32 or Int64, by default laid out as parquet-mr does:
/// blocks of 128 values in 4 miniblocks of 32 (Arrow uses 256 for INT64). Deltas wrap in the
/// value type; unused miniblocks of the last block get width 0 and no bytes, a partial last
/// miniblock is padded with zeros.
struct DeltaBinaryPackedEncoder<Value: FixedWidthInteger & SignedInteger & Sendable>: Sendable
where Value.Magnitude: FixedWidthInteger & UnsignedInteger {
  let blockSize: Int
  let miniblocksPerBlock: Int
  let valuesPerMiniblock: Int

  private var first: Value = 0
  private var previous: Value = 0
  /// Values appended since the last `finish`.
  private(set) var count = 0
  /// Deltas of the block being filled (storage of `blockSize`, `pending` in use).
  private var deltas: [Value]
  private var pending = 0
  /// Finished blocks; the header goes in front at `finish`, once the count is known.
  private var blocks: [UInt8] = []

  init(blockSize: Int = 128, miniblocksPerBlock: Int = 4) {
    precondition(
      blockSize > 0 && blockSize % 128 == 0 && miniblocksPerBlock > 0 && blockSize % miniblocksPerBlock == 0
        && (blockSize / miniblocksPerBlock) % 32 == 0,
      "DELTA_BINARY_PACKED: block size must be a multiple of 128 split into miniblocks of a multiple of 32")
    self.blockSize = blockSize
    self.miniblocksPerBlock = miniblocksPerBlock
    self.valuesPerMiniblock = blockSize / miniblocksPerBlock
    deltas = Array(repeating: 0, count: blockSize)
  }

  mutating func append(_ value: Value) {
    if count == 0 {
      first = value
    } else {
      deltas[pending] = value &- previous
      pending &+= 1
      if pending == blockSize {
        Self.writeBlock(deltas, pending, layout, into: &blocks)
        pending = 0
      }
    }
    previous = value
    count &+= 1
  }

  mutating func append(contentsOf values: UnsafeBufferPointer<Value>) {
    // Move the blocks out so that appending to them does not overlap the access to self.
    var out = blocks
    blocks = []
    appendValues(values, into: &out)
    blocks = out
  }

  mutating func append<S: Sequence<Value>>(contentsOf values: S) {
    for v in values { append(v) }
  }

  /// Appends the header and blocks to `out`; the encoder starts over empty.
  mutating func finish(into out: inout [UInt8]) {
    if pending > 0 { Self.writeBlock(deltas, pending, layout, into: &blocks) }
    writeHeader(into: &out)
    out.append(contentsOf: blocks)
    blocks.removeAll(keepingCapacity: true)
    reset()
  }

  mutating func finish() -> [UInt8] {
    var out: [UInt8] = []
    finish(into: &out)
    return out
  }

  /// Bytes of finished blocks so far: a page size estimate.
  var encodedByteCount: Int { blocks.count }

  private var layout: (blockSize: Int, miniblocks: Int, perMiniblock: Int) {
    (blockSize, miniblocksPerBlock, valuesPerMiniblock)
  }

  private mutating func reset() {
    count = 0
    pending = 0
    first = 0
    previous = 0
  }

  private func writeHeader(into out: inout [UInt8]) {
    ULEB128.append(UInt64(blockSize), to: &out)
    ULEB128.append(UInt64(miniblocksPerBlock), to: &out)
    ULEB128.append(UInt64(count), to: &out)
    ULEB128.append(ULEB128.zigzagEncode(Int64(first)), to: &out)
  }

  /// Turns `values` into deltas block by block, writing every full block to `out`.
  private mutating func appendValues(_ values: UnsafeBufferPointer<Value>, into out: inout [UInt8]) {
    guard var src = values.baseAddress, !values.isEmpty else { return }
    var left = values.count
    if count == 0 {
      first = src.pointee
      previous = first
      count = 1
      src += 1
      left &-= 1
    }
    while left > 0 {
      let n = min(blockSize &- pending, left)
      let start = pending
      var prev = previous
      deltas.withUnsafeMutableBufferPointer { d in
        for j in 0..<n {
          let v = src[j]
          d[start &+ j] = v &- prev
          prev = v
        }
      }
      previous = prev
      pending &+= n
      count &+= n
      src += n
      left &-= n
      if pending == blockSize {
        Self.writeBlock(deltas, pending, layout, into: &out)
        pending = 0
      }
    }
  }

  /// Appends one block of `n` deltas: min delta, miniblock widths, packed miniblocks.
  private static func writeBlock(
    _ deltas: [Value], _ n: Int, _ layout: (blockSize: Int, miniblocks: Int, perMiniblock: Int),
    into out: inout [UInt8]
  ) {
    deltas.withUnsafeBufferPointer { d in
      guard let base = d.baseAddress, n > 0 else { return }
      var minDelta = base[0]
      for i in 1..<n { minDelta = Swift.min(minDelta, base[i]) }
      let used = (n &+ layout.perMiniblock &- 1) / layout.perMiniblock
      ULEB128.append(ULEB128.zigzagEncode(Int64(minDelta)), to: &out)
      withUnsafeTemporaryAllocation(of: Value.Magnitude.self, capacity: layout.blockSize) { scratch in
        guard let relative = scratch.baseAddress else { return }
        // delta >= minDelta, so the wrapped difference is the true one, unsigned.
        for i in 0..<n { relative[i] = Value.Magnitude(truncatingIfNeeded: base[i] &- minDelta) }
        for i in n..<(used &* layout.perMiniblock) { relative[i] = 0 }
        // Width bytes of unused miniblocks stay 0.
        let widthsAt = out.count
        out.append(contentsOf: repeatElement(0, count: layout.miniblocks))
        var dataBytes = 0
        for m in 0..<used {
          var all: Value.Magnitude = 0
          for i in (m &* layout.perMiniblock)..<((m &+ 1) &* layout.perMiniblock) { all |= relative[i] }
          let width = Value.Magnitude.bitWidth &- all.leadingZeroBitCount
          out[widthsAt &+ m] = UInt8(width)
          dataBytes &+= (layout.perMiniblock &* width) &>> 3
        }
        let dataAt = out.count
        out.append(contentsOf: repeatElement(0, count: dataBytes))
        out.withUnsafeMutableBytes { raw in
          guard let base = raw.baseAddress else { return }
          var p = base + dataAt
          for m in 0..<used {
            let width = Int(raw[widthsAt &+ m])
            BitPacking.pack(relative + m &* layout.perMiniblock, count: layout.perMiniblock, bitWidth: width, to: p)
            p += (layout.perMiniblock &* width) &>> 3
          }
        }
      }
    }
  }
}

extension DeltaBinaryPackedEncoder {
  /// Encodes `values` as one stream, appended to `out` (blocks written in place, no staging).
  static func encode(
    _ values: UnsafeBufferPointer<Value>, blockSize: Int = 128, miniblocksPerBlock: Int = 4, into out: inout [UInt8]
  ) {
    var encoder = Self(blockSize: blockSize, miniblocksPerBlock: miniblocksPerBlock)
    // The header needs the count and first value only: write it up front.
    encoder.count = values.count
    encoder.first = values.first ?? 0
    encoder.writeHeader(into: &out)
    encoder.count = 0
    encoder.appendValues(values, into: &out)
    if encoder.pending > 0 { writeBlock(encoder.deltas, encoder.pending, encoder.layout, into: &out) }
  }
}
