/// FSE (tANS) encoding: choosing a normalized distribution, describing it, and encoding symbols.
final class ZstdFSEEncodeTable {
  let tableLog: Int
  /// RLE mode: the decoder reads no state bits, so nothing is written.
  let isRLE: Bool
  /// Encoder states (tableSize + slot), grouped by symbol.
  private let stateTable: UnsafeMutablePointer<UInt16>
  private let deltaFindState: UnsafeMutablePointer<Int32>
  private let deltaNbBits: UnsafeMutablePointer<UInt32>

  /// A table for RLE mode.
  init() {
    tableLog = 0
    isRLE = true
    stateTable = .allocate(capacity: 1)
    deltaFindState = .allocate(capacity: 1)
    deltaNbBits = .allocate(capacity: 1)
  }

  /// Builds from a distribution summing to 2^tableLog (-1 entries count as one low-probability slot).
  init(norm: [Int16], tableLog: Int) {
    self.tableLog = tableLog
    isRLE = false
    let tableSize = 1 << tableLog
    let symbols = norm.count
    var spread = [UInt8](repeating: 0, count: tableSize)
    var cumul = [Int](repeating: 0, count: symbols + 1)
    var high = tableSize - 1
    for s in 0..<symbols {
      if norm[s] == -1 {
        cumul[s + 1] = cumul[s] + 1
        spread[high] = UInt8(s)
        high -= 1
      } else {
        cumul[s + 1] = cumul[s] + Int(norm[s])
      }
    }
    // Same spreading as the decoder, so both sides agree on which slot holds which symbol.
    let step = (tableSize >> 1) + (tableSize >> 3) + 3
    let mask = tableSize - 1
    var position = 0
    for s in 0..<symbols where norm[s] > 0 {
      for _ in 0..<Int(norm[s]) {
        spread[position] = UInt8(s)
        repeat { position = (position + step) & mask } while position > high
      }
    }
    var next = cumul
    stateTable = .allocate(capacity: tableSize)
    stateTable.initialize(repeating: 0, count: tableSize)
    for u in 0..<tableSize {
      let s = Int(spread[u])
      stateTable[next[s]] = UInt16(tableSize + u)
      next[s] += 1
    }
    deltaFindState = .allocate(capacity: symbols)
    deltaFindState.initialize(repeating: 0, count: symbols)
    deltaNbBits = .allocate(capacity: symbols)
    deltaNbBits.initialize(repeating: 0, count: symbols)
    var total = 0
    for s in 0..<symbols {
      let n = Int(norm[s])
      switch n {
      case 0:
        deltaNbBits[s] = UInt32(((tableLog + 1) << 16) - tableSize)
      case -1, 1:
        deltaNbBits[s] = UInt32((tableLog << 16) - tableSize)
        deltaFindState[s] = Int32(total - 1)
        total += 1
      default:
        let maxBitsOut = tableLog - zstdHighBit32(UInt32(n - 1))
        let minStatePlus = n << maxBitsOut
        deltaNbBits[s] = UInt32(truncatingIfNeeded: (maxBitsOut << 16) - minStatePlus)
        deltaFindState[s] = Int32(total - n)
        total += n
      }
    }
  }

  deinit {
    stateTable.deallocate()
    deltaFindState.deallocate()
    deltaNbBits.deallocate()
  }

  /// The state that starts a stream whose last-encoded (first-decoded) symbol is `symbol`.
  @inline(__always)
  func initialState(_ symbol: Int) -> Int {
    if isRLE { return 0 }
    let nbBitsOut = (deltaNbBits[symbol] &+ (1 << 15)) >> 16
    let value = (nbBitsOut << 16) &- deltaNbBits[symbol]
    return Int(stateTable[Int(value >> nbBitsOut) &+ Int(deltaFindState[symbol])])
  }

  /// Symbols must have a non-zero count in the table's distribution.
  @inline(__always)
  func encode(_ symbol: Int, state: inout Int, into writer: inout ZstdForwardBitWriter) {
    if isRLE { return }
    let nbBitsOut = Int((UInt32(truncatingIfNeeded: state) &+ deltaNbBits[symbol]) >> 16)
    writer.addMasked(UInt64(truncatingIfNeeded: state), nbBitsOut)
    state = Int(stateTable[(state >> nbBitsOut) &+ Int(deltaFindState[symbol])])
  }

  @inline(__always)
  func flush(state: Int, into writer: inout ZstdForwardBitWriter) {
    if isRLE { return }
    writer.addMasked(UInt64(truncatingIfNeeded: state), tableLog)
  }
}

enum ZstdFSENormalizer {
  /// A table log suited to `total` samples over symbols up to `maxSymbol`.
  static func tableLog(maxLog: Int, total: Int, maxSymbol: Int, distinct: Int) -> Int {
    var log = maxLog
    if total > 1 { log = min(log, zstdHighBit32(UInt32(total - 1)) - 2) }
    let minBits = min(zstdHighBit32(UInt32(max(total, 1))) + 1, zstdHighBit32(UInt32(max(maxSymbol, 1))) + 2)
    log = max(log, minBits, 5)
    while (1 << log) < distinct { log += 1 }
    return min(log, maxLog)
  }

  /// Scales `counts` to sum to 2^tableLog, every used symbol keeping at least one slot, then
  /// nudges the rounding where it costs the fewest bits.
  static func normalize(_ counts: [Int], total: Int, tableLog: Int) -> [Int16] {
    let size = 1 << tableLog
    let scale = Double(size) / Double(total)
    var norm = counts.map { c -> Int in c == 0 ? 0 : max(1, Int(Double(c) * scale + 0.5)) }
    var sum = norm.reduce(0, +)
    while sum > size {
      var best = -1
      var bestCost = Double.infinity
      for s in 0..<norm.count where norm[s] > 1 {
        let cost = Double(counts[s]) * zstdLog2(Double(norm[s]) / Double(norm[s] - 1))
        if cost < bestCost {
          bestCost = cost
          best = s
        }
      }
      if best < 0 { break }
      norm[best] -= 1
      sum -= 1
    }
    while sum < size {
      var best = 0
      var bestGain = -1.0
      for s in 0..<norm.count where norm[s] > 0 {
        let gain = Double(counts[s]) * zstdLog2(Double(norm[s] + 1) / Double(norm[s]))
        if gain > bestGain {
          bestGain = gain
          best = s
        }
      }
      norm[best] += 1
      sum += 1
    }
    return norm.map { Int16($0) }
  }

  /// Estimated bits to code `counts` with distribution `norm` (nil if a used symbol has no slot).
  static func cost(_ counts: [Int], norm: [Int16], tableLog: Int) -> Double? {
    var bits = 0.0
    for s in 0..<counts.count where counts[s] > 0 {
      guard s < norm.count, norm[s] != 0 else { return nil }
      let n = norm[s] == -1 ? 1.0 : Double(norm[s])
      bits += Double(counts[s]) * (Double(tableLog) - zstdLog2(n))
    }
    return bits
  }

  /// Writes the table description (RFC 8878 section 4.1.1); returns its size in bytes.
  static func writeDescription(_ norm: [Int16], tableLog: Int, into out: inout [UInt8]) -> Int {
    let startCount = out.count
    var bits: UInt64 = UInt64(tableLog - 5)
    var bitCount = 4
    var remaining = (1 << tableLog) + 1
    var threshold = 1 << tableLog
    var nbBits = tableLog + 1
    var lastSymbol = norm.count - 1
    while lastSymbol > 0 && norm[lastSymbol] == 0 { lastSymbol -= 1 }
    var symbol = 0
    var previousZero = false
    func flush16() {
      while bitCount >= 16 {
        out.append(UInt8(truncatingIfNeeded: bits))
        out.append(UInt8(truncatingIfNeeded: bits >> 8))
        bits >>= 16
        bitCount -= 16
      }
    }
    while remaining > 1 && symbol <= lastSymbol {
      if previousZero {
        var start = symbol
        while norm[symbol] == 0 { symbol += 1 }
        while symbol >= start + 3 {
          start += 3
          bits |= 3 << UInt64(bitCount)
          bitCount += 2
          flush16()
        }
        bits |= UInt64(symbol - start) << UInt64(bitCount)
        bitCount += 2
        flush16()
      }
      var count = Int(norm[symbol])
      symbol += 1
      let maxValue = (2 * threshold - 1) - remaining
      remaining -= count < 0 ? -count : count
      count += 1
      if count >= threshold { count += maxValue }
      bits |= UInt64(count) << UInt64(bitCount)
      bitCount += nbBits
      if count < maxValue { bitCount -= 1 }
      previousZero = count == 1
      while remaining < threshold {
        nbBits -= 1
        threshold >>= 1
      }
      flush16()
    }
    while bitCount > 0 {
      out.append(UInt8(truncatingIfNeeded: bits))
      bits >>= 8
      bitCount -= 8
    }
    return out.count - startCount
  }
}
