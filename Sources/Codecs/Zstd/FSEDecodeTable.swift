/// One state of an FSE decoding table, with the symbol already resolved to the value it stands
/// for: `baseValue + read(nbAddBits)` is the decoded number, and the next state is
/// `newState + read(nbBits)`.
struct ZstdFSEDecodeEntry {
  var baseValue: UInt32
  var newState: UInt16
  var nbBits: UInt8
  var nbAddBits: UInt8
}

/// A reusable FSE decoding table (up to 2^9 states), kept between blocks for "repeat" mode.
final class ZstdFSEDecodeTable {
  static let maxLog = 9
  static let maxSymbols = 64

  let entries: UnsafeMutablePointer<ZstdFSEDecodeEntry>
  private(set) var tableLog = 0
  /// False until a block defines the table; "repeat" mode then must fail.
  var isValid = false
  /// Which predefined table this holds (so it need not be rebuilt), or -1.
  var predefinedTag = -1

  private let spread: UnsafeMutablePointer<UInt8>
  private let symbolNext: UnsafeMutablePointer<UInt16>

  init() {
    entries = .allocate(capacity: 1 << Self.maxLog)
    spread = .allocate(capacity: 1 << Self.maxLog)
    symbolNext = .allocate(capacity: Self.maxSymbols)
  }

  deinit {
    entries.deallocate()
    spread.deallocate()
    symbolNext.deallocate()
  }

  /// Builds the table from a normalized distribution that sums to 2^tableLog (checked by the caller
  /// or guaranteed for predefined ones). `base`/`addBits` map symbols to values; nil means the
  /// symbol itself with no extra bits.
  func build(
    norm: UnsafePointer<Int16>, symbolCount: Int, tableLog: Int,
    base: UnsafePointer<UInt32>?, addBits: UnsafePointer<UInt8>?
  ) throws(CodecError) {
    let tableSize = 1 << tableLog
    var high = tableSize - 1
    for s in 0..<symbolCount {
      let n = Int(norm[s])
      if n == -1 {
        guard high >= 0 else { throw .zstd(.corruptInput, "FSE distribution overflows its table") }
        spread[high] = UInt8(s)
        high -= 1
        symbolNext[s] = 1
      } else {
        symbolNext[s] = UInt16(truncatingIfNeeded: max(n, 0))
      }
    }
    let step = (tableSize >> 1) + (tableSize >> 3) + 3
    let mask = tableSize - 1
    var position = 0
    for s in 0..<symbolCount {
      let n = Int(norm[s])
      guard n > 0 else { continue }
      for _ in 0..<n {
        spread[position] = UInt8(s)
        repeat { position = (position + step) & mask } while position > high
      }
    }
    guard position == 0 else { throw .zstd(.corruptInput, "invalid FSE distribution") }
    for u in 0..<tableSize {
      let s = Int(spread[u])
      let next = UInt32(symbolNext[s])
      symbolNext[s] += 1
      let nbBits = tableLog - zstdHighBit32(next)
      let newState = (Int(next) << nbBits) - tableSize
      entries[u] = ZstdFSEDecodeEntry(
        baseValue: base.map { $0[s] } ?? UInt32(s),
        newState: UInt16(truncatingIfNeeded: newState),
        nbBits: UInt8(truncatingIfNeeded: nbBits),
        nbAddBits: addBits.map { $0[s] } ?? 0)
    }
    self.tableLog = tableLog
    isValid = true
    predefinedTag = -1
  }

  /// A one-state table that always yields `symbol` and reads no state bits (RLE mode).
  func buildRLE(symbol: Int, base: UnsafePointer<UInt32>?, addBits: UnsafePointer<UInt8>?) {
    entries[0] = ZstdFSEDecodeEntry(
      baseValue: base.map { $0[symbol] } ?? UInt32(symbol), newState: 0, nbBits: 0,
      nbAddBits: addBits.map { $0[symbol] } ?? 0)
    tableLog = 0
    isValid = true
    predefinedTag = -1
  }
}

enum ZstdFSEDescription {
  /// Parses an FSE table description (normalized counts) from the start of `bytes`.
  /// Returns the accuracy log, the number of symbols described, and the bytes consumed.
  static func read(
    _ bytes: UnsafeRawBufferPointer, maxSymbol: Int, maxLog: Int,
    into norm: UnsafeMutablePointer<Int16>, offset: Int
  ) throws(CodecError) -> (tableLog: Int, symbolCount: Int, size: Int) {
    guard bytes.count > 0 else { throw .zstd(.truncatedInput, "missing FSE table description", at: offset) }
    var reader = ZstdForwardBitReader(bytes)
    let tableLog = Int(reader.read(4)) + 5
    guard tableLog <= maxLog else {
      throw .zstd(.corruptInput, "FSE accuracy log \(tableLog) exceeds \(maxLog)", at: offset)
    }
    var remaining = (1 << tableLog) + 1
    var threshold = 1 << tableLog
    var nbBits = tableLog + 1
    var symbol = 0
    var previousZero = false
    while remaining > 1 && symbol <= maxSymbol {
      if previousZero {
        // Runs of zero counts: 2-bit repeat fields, a value of 3 means "3 more and continue".
        while true {
          let repeatCount = Int(reader.read(2))
          for _ in 0..<repeatCount {
            guard symbol <= maxSymbol else { throw .zstd(.corruptInput, "FSE description has too many symbols", at: offset) }
            norm[symbol] = 0
            symbol += 1
          }
          if repeatCount != 3 { break }
          guard reader.bitPosition <= bytes.count * 8 else { throw .zstd(.truncatedInput, "FSE description truncated", at: offset) }
        }
        guard symbol <= maxSymbol else { throw .zstd(.corruptInput, "FSE description has too many symbols", at: offset) }
      }
      let maxValue = (2 * threshold - 1) - remaining
      var count: Int
      let low = Int(reader.peek(nbBits - 1))
      if low < maxValue {
        count = low
        reader.bitPosition += nbBits - 1
      } else {
        count = Int(reader.peek(nbBits))
        if count >= threshold { count -= maxValue }
        reader.bitPosition += nbBits
      }
      count -= 1
      remaining -= count < 0 ? -count : count
      norm[symbol] = Int16(count)
      symbol += 1
      previousZero = count == 0
      guard remaining >= 1 else { throw .zstd(.corruptInput, "FSE description exceeds its table", at: offset) }
      while remaining < threshold {
        nbBits -= 1
        threshold >>= 1
      }
      guard reader.bitPosition <= bytes.count * 8 else { throw .zstd(.truncatedInput, "FSE description truncated", at: offset) }
    }
    guard remaining == 1 else { throw .zstd(.corruptInput, "FSE description does not fill its table", at: offset) }
    return (tableLog, symbol, reader.bytesConsumed)
  }
}
