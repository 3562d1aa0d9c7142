public import Columnar

/// The rows of one data file that a deletion vector removes: sorted, unique row indices, where
/// row `i` is the `i`-th row of the Parquet file counting across all its row groups from zero.
///
/// The rows are kept the way Roaring keeps them: in chunks of 2¹⁶ rows, each a sorted array, a
/// dense bitmap or a list of runs. Memory therefore stays proportional to the serialized deletion
/// vector, even when it deletes millions of consecutive rows. Iterating yields the rows in
/// ascending order.
public struct DeletedRows: Sendable {
  /// `row >> 16` of every chunk, strictly ascending.
  var chunkKeys: [UInt64]
  /// The low 16 bits of the rows of each chunk; never empty.
  var chunks: [RowChunk]
  /// The number of deleted rows.
  public private(set) var count: Int

  /// No deleted rows.
  public init() {
    chunkKeys = []
    chunks = []
    count = 0
  }

  /// The rows of `rows`, in any order, duplicates ignored.
  public init(_ rows: some Sequence<UInt64>) {
    let sorted = Array(rows).sorted()
    self.init()
    var index = 0
    while index < sorted.count {
      let key = sorted[index] >> 16
      var values: [UInt16] = []
      while index < sorted.count && sorted[index] >> 16 == key {
        let low = UInt16(truncatingIfNeeded: sorted[index])
        if values.last != low { values.append(low) }
        index += 1
      }
      append(key: key, chunk: RowChunk(sortedValues: values))
    }
  }

  /// Adds a chunk whose key is above every key so far.
  mutating func append(key: UInt64, chunk: RowChunk) {
    chunkKeys.append(key)
    chunks.append(chunk)
    count += chunk.cardinality
  }

  /// True when no row is deleted.
  public var isEmpty: Bool { count == 0 }

  /// The largest deleted row index; a scan can check it against the data file's row count.
  public var largestRow: UInt64? {
    guard let key = chunkKeys.last, let chunk = chunks.last else { return nil }
    return key << 16 | UInt64(chunk.largestValue)
  }

  /// True when `row` is deleted.
  public func contains(_ row: UInt64) -> Bool {
    let index = chunkIndex(atLeast: row >> 16)
    guard index < chunkKeys.count, chunkKeys[index] == row >> 16 else { return false }
    return chunks[index].contains(UInt16(truncatingIfNeeded: row))
  }

  /// Validity of rows [start, start+count): bit set = row kept. For applying to a batch read
  /// from row groups: pass the file row index of the batch's first row and its row count.
  public func keepMask(start: UInt64, count: Int) -> Bitmap {
    precondition(count >= 0, "keepMask needs a non-negative row count")
    var words = [UInt64](repeating: ~0, count: (count + 63) >> 6)
    let end = start > UInt64.max - UInt64(count) ? UInt64.max : start + UInt64(count)
    if count > 0 && self.count > 0 {
      var index = chunkIndex(atLeast: start >> 16)
      while index < chunkKeys.count && chunkKeys[index] <= (end - 1) >> 16 {
        chunks[index].clear(base: chunkKeys[index] << 16, in: start..<end, words: &words)
        index += 1
      }
    }
    return Bitmap(words: words, count: count)
  }

  /// The number of deleted rows in [start, start+count).
  public func count(start: UInt64, count: Int) -> Int {
    count - keepMask(start: start, count: count).setCount
  }

  /// The first chunk whose key is at least `key` (the chunk count when there is none).
  private func chunkIndex(atLeast key: UInt64) -> Int {
    var low = 0
    var high = chunkKeys.count
    while low < high {
      let middle = (low + high) / 2
      if chunkKeys[middle] < key { low = middle + 1 } else { high = middle }
    }
    return low
  }
}

extension DeletedRows: Equatable {
  /// Equal when they delete the same rows, however they are stored.
  public static func == (lhs: DeletedRows, rhs: DeletedRows) -> Bool {
    lhs.count == rhs.count && lhs.chunkKeys == rhs.chunkKeys && lhs.elementsEqual(rhs)
  }
}

extension DeletedRows: Sequence {
  public struct Iterator: IteratorProtocol {
    let rows: DeletedRows
    var chunk = 0
    var position = 0
    /// For dense chunks: the not yet returned bits of word `position`.
    var word: UInt64 = 0
    /// For run chunks: the next value of run `position`, -1 before the run starts.
    var runValue: Int = -1

    init(_ rows: DeletedRows) {
      self.rows = rows
      start()
    }

    private mutating func start() {
      position = 0
      runValue = -1
      guard chunk < rows.chunks.count else { return }
      if case .dense(let words) = rows.chunks[chunk] { word = words[0] }
    }

    public mutating func next() -> UInt64? {
      while chunk < rows.chunks.count {
        let base = rows.chunkKeys[chunk] << 16
        switch rows.chunks[chunk] {
        case .sorted(let values):
          if position < values.count {
            position += 1
            return base | UInt64(values[position - 1])
          }
        case .dense(let words):
          while word == 0 && position + 1 < words.count {
            position += 1
            word = words[position]
          }
          if word != 0 {
            let bit = word.trailingZeroBitCount
            word &= word - 1
            return base | UInt64(position << 6 + bit)
          }
        case .runs(let runs):
          if position < runs.count {
            if runValue < 0 { runValue = Int(runs[position].first) }
            let value = runValue
            if value == Int(runs[position].last) {
              position += 1
              runValue = -1
            } else {
              runValue += 1
            }
            return base | UInt64(value)
          }
        }
        chunk += 1
        start()
      }
      return nil
    }
  }

  public func makeIterator() -> Iterator { Iterator(self) }

  public var underestimatedCount: Int { count }
}

/// An inclusive range of the low 16 bits of deleted rows.
struct RowRun: Sendable, Equatable {
  var first: UInt16
  var last: UInt16
}

/// The deleted rows of one chunk of 2¹⁶ rows, as Roaring stores them.
enum RowChunk: Sendable, Equatable {
  /// Ascending values; at most 4096 of them when decoded.
  case sorted([UInt16])
  /// 1024 words, bit `v` set when value `v` is deleted.
  case dense([UInt64])
  /// Ascending, disjoint runs.
  case runs([RowRun])

  static let denseWordCount = 1024
  /// Roaring's limit between array and bitmap containers.
  static let maxSortedCount = 4096

  /// A sorted chunk, or a dense one when there are more than 4096 values.
  init(sortedValues values: [UInt16]) {
    if values.count <= Self.maxSortedCount {
      self = .sorted(values)
    } else {
      var words = [UInt64](repeating: 0, count: Self.denseWordCount)
      for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
      self = .dense(words)
    }
  }

  var cardinality: Int {
    switch self {
    case .sorted(let values): values.count
    case .dense(let words): words.reduce(0) { $0 + $1.nonzeroBitCount }
    case .runs(let runs): runs.reduce(0) { $0 + Int($1.last) - Int($1.first) + 1 }
    }
  }

  /// The largest value (a chunk is never empty).
  var largestValue: UInt16 {
    switch self {
    case .sorted(let values):
      return values.last ?? 0
    case .dense(let words):
      guard let index = words.lastIndex(where: { $0 != 0 }) else { return 0 }
      return UInt16(index << 6 + 63 - words[index].leadingZeroBitCount)
    case .runs(let runs):
      return runs.last?.last ?? 0
    }
  }

  func contains(_ value: UInt16) -> Bool {
    switch self {
    case .sorted(let values):
      var low = 0
      var high = values.count
      while low < high {
        let middle = (low + high) / 2
        if values[middle] < value { low = middle + 1 } else { high = middle }
      }
      return low < values.count && values[low] == value
    case .dense(let words):
      return words[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    case .runs(let runs):
      // The last run starting at or before `value`.
      var low = 0
      var high = runs.count
      while low < high {
        let middle = (low + high) / 2
        if runs[middle].first <= value { low = middle + 1 } else { high = middle }
      }
      return low > 0 && runs[low - 1].last >= value
    }
  }

  /// The values as ascending runs.
  var runList: [RowRun] {
    switch self {
    case .runs(let runs):
      return runs
    case .sorted, .dense:
      var runs: [RowRun] = []
      for value in valueList {
        if let last = runs.last, last.last &+ 1 == value, last.last != UInt16.max {
          runs[runs.count - 1].last = value
        } else {
          runs.append(RowRun(first: value, last: value))
        }
      }
      return runs
    }
  }

  /// The values in ascending order.
  var valueList: [UInt16] {
    switch self {
    case .sorted(let values):
      return values
    case .dense(let words):
      var values: [UInt16] = []
      for (index, word) in words.enumerated() {
        var bits = word
        while bits != 0 {
          values.append(UInt16(index << 6 + bits.trailingZeroBitCount))
          bits &= bits - 1
        }
      }
      return values
    case .runs(let runs):
      var values: [UInt16] = []
      for run in runs { values.append(contentsOf: run.first...run.last) }
      return values
    }
  }

  /// The chunk as 1024 dense words.
  var denseWords: [UInt64] {
    if case .dense(let words) = self { return words }
    var words = [UInt64](repeating: 0, count: Self.denseWordCount)
    switch self {
    case .sorted(let values):
      for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
    case .runs(let runs):
      for run in runs { Self.setBits(&words, from: Int(run.first), through: Int(run.last)) }
    case .dense:
      break
    }
    return words
  }

  private static func setBits(_ words: inout [UInt64], from first: Int, through last: Int) {
    var index = first
    while index <= last {
      if index & 63 == 0 && index + 63 <= last {
        words[index >> 6] = ~0
        index += 64
      } else {
        words[index >> 6] |= 1 << UInt64(index & 63)
        index += 1
      }
    }
  }

  /// Clears, in `words` (bit `i` = row `range.lowerBound + i`), the bits of this chunk's rows
  /// that fall in `range`; the chunk's rows start at `base`.
  func clear(base: UInt64, in range: Range<UInt64>, words: inout [UInt64]) {
    switch self {
    case .sorted(let values):
      for value in values {
        let row = base | UInt64(value)
        if row >= range.upperBound { break }
        if row >= range.lowerBound {
          let bit = Int(row - range.lowerBound)
          words[bit >> 6] &= ~(1 << UInt64(bit & 63))
        }
      }
    case .runs(let runs):
      for run in runs {
        let first = max(base | UInt64(run.first), range.lowerBound)
        let end = min((base | UInt64(run.last)) + 1, range.upperBound)
        if first < end {
          Self.clearBits(&words, from: Int(first - range.lowerBound), to: Int(end - range.lowerBound))
        }
      }
    case .dense(let dense):
      for (index, mask) in dense.enumerated() where mask != 0 {
        let wordStart = base + UInt64(index << 6)
        if wordStart >= range.upperBound { break }
        if wordStart + 64 <= range.lowerBound { continue }
        // Bit 0 of `mask` is row `wordStart`; bits past the range's end land beyond `words`
        // or in the unused tail of its last word, which `Bitmap` clears.
        if wordStart >= range.lowerBound {
          let target = Int(wordStart - range.lowerBound)
          let shift = UInt64(target & 63)
          words[target >> 6] &= ~(mask << shift)
          if shift != 0 && (target >> 6) + 1 < words.count {
            words[(target >> 6) + 1] &= ~(mask >> (64 - shift))
          }
        } else {
          words[0] &= ~(mask >> (range.lowerBound - wordStart))
        }
      }
    }
  }

  /// Clears bits [from, to) of `words`.
  private static func clearBits(_ words: inout [UInt64], from: Int, to: Int) {
    var index = from
    while index < to {
      if index & 63 == 0 && index + 64 <= to {
        words[index >> 6] = 0
        index += 64
      } else {
        words[index >> 6] &= ~(1 << UInt64(index & 63))
        index += 1
      }
    }
  }
}
