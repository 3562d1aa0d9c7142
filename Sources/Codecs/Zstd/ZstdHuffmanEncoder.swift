/// A length-limited canonical Huffman code for literals, laid out the way zstd's decoder rebuilds
/// it from weights.
struct ZstdHuffmanEncoder {
  static let maxBits = ZstdFormat.huffmanMaxBits

  private(set) var codes = [UInt16](repeating: 0, count: 256)
  private(set) var lengths = [UInt8](repeating: 0, count: 256)
  private(set) var maxBits = 0
  /// Highest symbol with a code; its weight is implied in the description.
  private(set) var lastSymbol = 0

  /// Builds a code for `counts` (256 entries); nil when fewer than two symbols occur.
  init?(counts: [Int]) {
    var leaves: [(count: Int, symbol: Int)] = []
    for s in 0..<256 where counts[s] > 0 { leaves.append((counts[s], s)) }
    guard leaves.count >= 2 else { return nil }
    leaves.sort { $0.count != $1.count ? $0.count < $1.count : $0.symbol < $1.symbol }
    lastSymbol = leaves.map(\.symbol).max() ?? 0
    let n = leaves.count

    // Two-queue Huffman construction: leaves are sorted and merged nodes come out in order.
    var weight = leaves.map(\.count) + [Int](repeating: 0, count: n - 1)
    var parent = [Int](repeating: -1, count: 2 * n - 1)
    var nextLeaf = 0
    var nextNode = n
    for created in n..<(2 * n - 1) {
      var picks = (0, 0)
      for k in 0..<2 {
        let takeLeaf = nextLeaf < n && (nextNode >= created || weight[nextLeaf] <= weight[nextNode])
        let pick: Int
        if takeLeaf {
          pick = nextLeaf
          nextLeaf += 1
        } else {
          pick = nextNode
          nextNode += 1
        }
        if k == 0 { picks.0 = pick } else { picks.1 = pick }
      }
      weight[created] = weight[picks.0] + weight[picks.1]
      parent[picks.0] = created
      parent[picks.1] = created
    }
    var depth = [Int](repeating: 0, count: 2 * n - 1)
    for node in stride(from: 2 * n - 3, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }

    var length = [Int](repeating: 0, count: n)
    for i in 0..<n { length[i] = min(depth[i], Self.maxBits) }
    Self.limitLengths(&length)
    for i in 0..<n { lengths[leaves[i].symbol] = UInt8(length[i]) }
    maxBits = length.max() ?? 0
    assignCodes()
  }

  /// Restores the Kraft equality after clamping lengths to `maxBits`: lengthen the longest codes
  /// still under the limit (leaves are sorted by count, so low indices are the rarest), then
  /// shorten the longest codes while there is room, so the code stays complete.
  private static func limitLengths(_ length: inout [Int]) {
    let target = 1 << maxBits
    var kraft = length.reduce(0) { $0 + (1 << (maxBits - $1)) }
    while kraft > target {
      var best = -1
      for i in 0..<length.count where length[i] < maxBits {
        if best < 0 || length[i] > length[best] { best = i }
      }
      if best < 0 { break }
      length[best] += 1
      kraft -= 1 << (maxBits - length[best])
    }
    while kraft < target {
      var best = -1
      for i in stride(from: length.count - 1, through: 0, by: -1) where length[i] > 1 {
        let gain = 1 << (maxBits - length[i])
        if gain <= target - kraft && (best < 0 || length[i] > length[best]) { best = i }
      }
      if best < 0 { break }
      kraft += 1 << (maxBits - length[best])
      length[best] -= 1
    }
  }

  /// Canonical codes matching the decoder: weight 1 (longest) symbols first, in symbol order.
  private mutating func assignCodes() {
    var rankCount = [Int](repeating: 0, count: maxBits + 2)
    for s in 0...lastSymbol where lengths[s] > 0 { rankCount[maxBits + 1 - Int(lengths[s])] += 1 }
    var rankStart = [Int](repeating: 0, count: maxBits + 2)
    var position = 0
    for w in 1...maxBits {
      rankStart[w] = position
      position += rankCount[w] << (w - 1)
    }
    for s in 0...lastSymbol where lengths[s] > 0 {
      let w = maxBits + 1 - Int(lengths[s])
      codes[s] = UInt16(rankStart[w] >> (w - 1))
      rankStart[w] += 1 << (w - 1)
    }
  }

  func weight(_ symbol: Int) -> UInt8 { lengths[symbol] == 0 ? 0 : UInt8(maxBits + 1 - Int(lengths[symbol])) }

  /// Total coded size of `counts` in bits.
  func bits(for counts: [Int]) -> Int {
    var total = 0
    for s in 0...lastSymbol { total += counts[s] * Int(lengths[s]) }
    return total
  }

  /// Appends the tree description (direct 4-bit weights, or FSE-compressed when smaller or when
  /// there are more than 128 weights). Returns false when it cannot be described.
  func writeDescription(into out: inout [UInt8], check: ZstdHuffmanDecoder) -> Bool {
    let count = lastSymbol
    var fse: [UInt8] = []
    if count >= 2 { fse = compressedWeights() }
    let directSize = count <= 128 ? 1 + (count + 1) / 2 : Int.max
    if !fse.isEmpty && fse.count < directSize && fse.count < 128 {
      // Our own decoder must read the weights back identically, or we fall back.
      let ok = ([UInt8(fse.count)] + fse).withUnsafeBytes { raw -> Bool in
        guard (try? check.readTable(raw, offset: 0)) == raw.count else { return false }
        return true
      }
      if ok && sameTable(check) {
        out.append(UInt8(fse.count))
        out += fse
        return true
      }
    }
    guard count <= 128 else { return false }
    out.append(UInt8(127 + count))
    var i = 0
    while i < count {
      let high = weight(i)
      let low = i + 1 < count ? weight(i + 1) : 0
      out.append(high << 4 | low)
      i += 2
    }
    return true
  }

  private func sameTable(_ decoder: ZstdHuffmanDecoder) -> Bool {
    guard decoder.maxBits == maxBits else { return false }
    for s in 0...lastSymbol where lengths[s] > 0 {
      let index = Int(codes[s]) << (maxBits - Int(lengths[s]))
      let e = decoder.table[index]
      if Int(e & 0xFF) != s || Int(e >> 8) != Int(lengths[s]) { return false }
    }
    return true
  }

  /// Weights of symbols 0..<lastSymbol, FSE-coded with two interleaved states; empty on failure.
  private func compressedWeights() -> [UInt8] {
    let count = lastSymbol
    var weights = [Int](repeating: 0, count: count)
    var histogram = [Int](repeating: 0, count: ZstdFormat.huffmanMaxBits + 1)
    for s in 0..<count {
      weights[s] = Int(weight(s))
      histogram[weights[s]] += 1
    }
    var maxWeight = histogram.count - 1
    while maxWeight > 0 && histogram[maxWeight] == 0 { maxWeight -= 1 }
    let distinct = histogram.filter { $0 > 0 }.count
    guard distinct >= 2 else { return [] }  // a one-symbol FSE table cannot end the stream
    let histogramUsed = Array(histogram[0...maxWeight])
    let log = ZstdFSENormalizer.tableLog(
      maxLog: ZstdFormat.huffmanWeightsMaxLog, total: count, maxSymbol: maxWeight, distinct: distinct)
    let norm = ZstdFSENormalizer.normalize(histogramUsed, total: count, tableLog: log)
    var out: [UInt8] = []
    _ = ZstdFSENormalizer.writeDescription(norm, tableLog: log, into: &out)
    let table = ZstdFSEEncodeTable(norm: norm, tableLog: log)
    let capacity = count * 2 + 16
    let stream = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
    defer { stream.deallocate() }
    var w = ZstdForwardBitWriter(stream, capacity: capacity)
    // Mirror of the decoder: state 1 yields even positions, state 2 odd ones; the stream ends
    // when an advance runs past its start.
    var i = count
    var state1: Int
    var state2: Int
    if count & 1 == 1 {
      state1 = table.initialState(weights[i - 1])
      state2 = table.initialState(weights[i - 2])
      table.encode(weights[i - 3], state: &state1, into: &w)
      i -= 3
    } else {
      state2 = table.initialState(weights[i - 1])
      state1 = table.initialState(weights[i - 2])
      i -= 2
    }
    while i > 0 {
      table.encode(weights[i - 1], state: &state2, into: &w)
      table.encode(weights[i - 2], state: &state1, into: &w)
      i -= 2
    }
    table.flush(state: state2, into: &w)
    table.flush(state: state1, into: &w)
    let size = w.finish()
    guard !w.overflowed else { return [] }
    out += UnsafeRawBufferPointer(start: stream, count: size)
    return out
  }

  /// Encodes `count` symbols as one backward-readable stream; returns its size, or nil if it
  /// did not fit in `capacity`.
  func encodeStream(_ src: UnsafePointer<UInt8>, count: Int, into dst: UnsafeMutableRawPointer, capacity: Int) -> Int? {
    var w = ZstdForwardBitWriter(dst, capacity: capacity)
    codes.withUnsafeBufferPointer { codes in
      lengths.withUnsafeBufferPointer { lengths in
        var i = count
        // The decoder reads the last-written code first, so write from the end.
        while i >= 4 {
          for k in 1...4 {
            let s = Int(src[i - k])
            w.addUnchecked(UInt64(codes[s]), Int(lengths[s]))
          }
          w.flush()
          i -= 4
        }
        while i > 0 {
          let s = Int(src[i - 1])
          w.add(UInt64(codes[s]), Int(lengths[s]))
          i -= 1
        }
      }
    }
    let size = w.finish()
    return w.overflowed ? nil : size
  }
}
