/// Huffman decoding for zstd literals: reads a tree description (weights) into a single-lookup
/// table and decodes 1 or 4 interleaved backward bitstreams with it.
final class ZstdHuffmanDecoder {
  /// Each entry: symbol in the low byte, code length in the high byte; indexed by the next
  /// `maxBits` bits of the stream.
  let table: UnsafeMutablePointer<UInt16>
  private(set) var maxBits = 0
  var isValid = false

  private let weights: UnsafeMutablePointer<UInt8>
  private let weightTable = ZstdFSEDecodeTable()
  private let norm: UnsafeMutablePointer<Int16>

  init() {
    table = .allocate(capacity: 1 << ZstdFormat.huffmanDecodeMaxBits)
    weights = .allocate(capacity: 256)
    norm = .allocate(capacity: ZstdFSEDecodeTable.maxSymbols)
  }

  deinit {
    table.deallocate()
    weights.deallocate()
    norm.deallocate()
  }

  /// Reads a Huffman tree description at the start of `bytes`; returns its size in bytes.
  func readTable(_ bytes: UnsafeRawBufferPointer, offset: Int) throws(CodecError) -> Int {
    isValid = false
    guard bytes.count > 0 else { throw .zstd(.truncatedInput, "missing Huffman tree description", at: offset) }
    let header = Int(bytes[0])
    var weightCount = 0
    let size: Int
    if header >= 128 {
      // Direct representation: 4 bits per weight.
      weightCount = header - 127
      size = 1 + (weightCount + 1) / 2
      guard size <= bytes.count else { throw .zstd(.truncatedInput, "Huffman weights truncated", at: offset) }
      for i in 0..<weightCount {
        let byte = bytes[1 + i / 2]
        weights[i] = i & 1 == 0 ? byte >> 4 : byte & 15
      }
    } else {
      size = 1 + header
      guard header > 0, size <= bytes.count else {
        throw .zstd(.truncatedInput, "Huffman weights truncated", at: offset)
      }
      weightCount = try decodeWeights(
        UnsafeRawBufferPointer(rebasing: bytes[1..<size]), offset: offset + 1)
    }
    try buildTable(weightCount: weightCount, offset: offset)
    return size
  }

  /// FSE-compressed weights: two interleaved states over one backward stream.
  private func decodeWeights(_ src: UnsafeRawBufferPointer, offset: Int) throws(CodecError) -> Int {
    let d = try ZstdFSEDescription.read(
      src, maxSymbol: ZstdFormat.huffmanDecodeMaxBits, maxLog: ZstdFormat.huffmanWeightsMaxLog,
      into: norm, offset: offset)
    try weightTable.build(norm: norm, symbolCount: d.symbolCount, tableLog: d.tableLog, base: nil, addBits: nil)
    guard d.size < src.count else { throw .zstd(.corruptInput, "Huffman weights stream missing", at: offset) }
    var reader = try ZstdBackwardBitReader(
      UnsafeRawBufferPointer(rebasing: src[d.size...]), offset: offset + d.size)
    let t = weightTable.entries
    var s1 = Int(reader.read(d.tableLog))
    var s2 = Int(reader.read(d.tableLog))
    var n = 0
    // Each state emits its symbol, then advances; the stream ends when an advance reads past it.
    while true {
      guard n < 255 else { throw .zstd(.corruptInput, "too many Huffman weights", at: offset) }
      weights[n] = UInt8(truncatingIfNeeded: t[s1].baseValue)
      n += 1
      s1 = Int(t[s1].newState) + Int(reader.read(Int(t[s1].nbBits)))
      reader.reload()
      if reader.isOverflowed {
        guard n < 255 else { throw .zstd(.corruptInput, "too many Huffman weights", at: offset) }
        weights[n] = UInt8(truncatingIfNeeded: t[s2].baseValue)
        n += 1
        break
      }
      guard n < 255 else { throw .zstd(.corruptInput, "too many Huffman weights", at: offset) }
      weights[n] = UInt8(truncatingIfNeeded: t[s2].baseValue)
      n += 1
      s2 = Int(t[s2].newState) + Int(reader.read(Int(t[s2].nbBits)))
      reader.reload()
      if reader.isOverflowed {
        guard n < 255 else { throw .zstd(.corruptInput, "too many Huffman weights", at: offset) }
        weights[n] = UInt8(truncatingIfNeeded: t[s1].baseValue)
        n += 1
        break
      }
    }
    return n
  }

  private func buildTable(weightCount: Int, offset: Int) throws(CodecError) {
    var rankCount = [Int](repeating: 0, count: ZstdFormat.huffmanDecodeMaxBits + 2)
    var total = 0
    for i in 0..<weightCount {
      let w = Int(weights[i])
      guard w <= ZstdFormat.huffmanDecodeMaxBits else { throw .zstd(.corruptInput, "Huffman weight too large", at: offset) }
      rankCount[w] += 1
      if w > 0 { total += 1 << (w - 1) }
    }
    guard total > 0 else { throw .zstd(.corruptInput, "Huffman weights all zero", at: offset) }
    // The last symbol's weight is implied: it completes the total to the next power of two.
    let bits = zstdHighBit32(UInt32(total)) + 1
    guard bits <= ZstdFormat.huffmanDecodeMaxBits else { throw .zstd(.corruptInput, "Huffman code too long", at: offset) }
    let rest = (1 << bits) - total
    guard rest > 0, rest & (rest - 1) == 0 else { throw .zstd(.corruptInput, "Huffman weights do not form a tree", at: offset) }
    let lastWeight = zstdHighBit32(UInt32(rest)) + 1
    weights[weightCount] = UInt8(lastWeight)
    rankCount[lastWeight] += 1
    let symbolCount = weightCount + 1
    // Symbols of weight 1 (longest codes) take the lowest table slots, then weight 2, and so on.
    var rankStart = [Int](repeating: 0, count: ZstdFormat.huffmanDecodeMaxBits + 2)
    var position = 0
    for w in 1...bits {
      rankStart[w] = position
      position += rankCount[w] << (w - 1)
    }
    for s in 0..<symbolCount {
      let w = Int(weights[s])
      guard w > 0 else { continue }
      let length = 1 << (w - 1)
      let entry = UInt16(s) | UInt16(bits + 1 - w) << 8
      let start = rankStart[w]
      (table + start).initialize(repeating: entry, count: length)
      rankStart[w] = start + length
    }
    maxBits = bits
    isValid = true
  }

  /// Decodes one stream that must produce exactly `count` symbols into `dst`.
  func decode1X(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>, count: Int, offset: Int) throws(CodecError) {
    var r = try ZstdBackwardBitReader(src, offset: offset)
    let t = table
    let bits = maxBits
    var op = dst
    let end = dst + count
    // Fast part: 4 symbols per full reload (4 * 12 bits <= 57 valid bits).
    while r.canReloadFully && end - op >= 4 {
      r.reload()
      for _ in 0..<4 {
        let e = t[r.peek(bits)]
        op.pointee = UInt8(truncatingIfNeeded: e)
        r.skip(Int(e >> 8))
        op += 1
      }
    }
    while op < end {
      r.reload()
      let e = t[r.peek(bits)]
      op.pointee = UInt8(truncatingIfNeeded: e)
      r.skip(Int(e >> 8))
      op += 1
    }
    r.reload()
    guard r.isExactlyFinished else { throw .zstd(.corruptInput, "Huffman stream size mismatch", at: offset) }
  }

  /// Decodes the 4-stream layout (6-byte jump table then 4 streams) into `count` symbols.
  func decode4X(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>, count: Int, offset: Int) throws(CodecError) {
    guard src.count >= 10 else { throw .zstd(.corruptInput, "4-stream literals too short", at: offset) }
    let size1 = Int(src[0]) | Int(src[1]) << 8
    let size2 = Int(src[2]) | Int(src[3]) << 8
    let size3 = Int(src[4]) | Int(src[5]) << 8
    let start1 = 6
    let start2 = start1 + size1
    let start3 = start2 + size2
    let start4 = start3 + size3
    guard start4 < src.count, size1 > 0, size2 > 0, size3 > 0 else {
      throw .zstd(.corruptInput, "bad Huffman jump table", at: offset)
    }
    let segment = (count + 3) / 4
    guard count - 3 * segment >= 0 else { throw .zstd(.corruptInput, "too few literals for 4 streams", at: offset) }
    var r1 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: src[start1..<start2]), offset: offset + start1)
    var r2 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: src[start2..<start3]), offset: offset + start2)
    var r3 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: src[start3..<start4]), offset: offset + start3)
    var r4 = try ZstdBackwardBitReader(UnsafeRawBufferPointer(rebasing: src[start4...]), offset: offset + start4)
    let t = table
    let bits = maxBits
    var o1 = dst
    var o2 = dst + segment
    var o3 = dst + 2 * segment
    var o4 = dst + 3 * segment
    let end4 = dst + count
    // Streams advance in lockstep; the 4th segment is the shortest, so it bounds the fast loop.
    while end4 - o4 >= 4 && r1.canReloadFully && r2.canReloadFully && r3.canReloadFully && r4.canReloadFully {
      r1.reload()
      r2.reload()
      r3.reload()
      r4.reload()
      for _ in 0..<4 {
        let e1 = t[r1.peek(bits)]
        let e2 = t[r2.peek(bits)]
        let e3 = t[r3.peek(bits)]
        let e4 = t[r4.peek(bits)]
        o1.pointee = UInt8(truncatingIfNeeded: e1)
        o2.pointee = UInt8(truncatingIfNeeded: e2)
        o3.pointee = UInt8(truncatingIfNeeded: e3)
        o4.pointee = UInt8(truncatingIfNeeded: e4)
        r1.skip(Int(e1 >> 8))
        r2.skip(Int(e2 >> 8))
        r3.skip(Int(e3 >> 8))
        r4.skip(Int(e4 >> 8))
        o1 += 1
        o2 += 1
        o3 += 1
        o4 += 1
      }
    }
    try Self.finish(&r1, t, bits, o1, dst + segment, offset)
    try Self.finish(&r2, t, bits, o2, dst + 2 * segment, offset)
    try Self.finish(&r3, t, bits, o3, dst + 3 * segment, offset)
    try Self.finish(&r4, t, bits, o4, end4, offset)
  }

  @inline(__always)
  private static func finish(
    _ r: inout ZstdBackwardBitReader, _ t: UnsafeMutablePointer<UInt16>, _ bits: Int,
    _ from: UnsafeMutablePointer<UInt8>, _ end: UnsafeMutablePointer<UInt8>, _ offset: Int
  ) throws(CodecError) {
    var op = from
    while op < end {
      r.reload()
      let e = t[r.peek(bits)]
      op.pointee = UInt8(truncatingIfNeeded: e)
      r.skip(Int(e >> 8))
      op += 1
    }
    r.reload()
    guard r.isExactlyFinished else { throw .zstd(.corruptInput, "Huffman stream size mismatch", at: offset) }
  }
}
