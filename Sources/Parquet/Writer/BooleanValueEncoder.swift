import Columnar

/// The values of a BOOLEAN leaf: PLAIN (bit-packed) or, when the column's encoding is RLE (the
/// default for data page v2), the RLE hybrid with a 4-byte length.
struct BooleanValueEncoder: LeafValueEncoder {
  private let plan: LeafColumn
  private let settings: ColumnSettings
  /// The loaded slice and the open page, one 0/1 byte per value.
  private var slice: [UInt8] = []
  private var page: [UInt8] = []
  private var bounds = BooleanBounds()

  init(plan: LeafColumn, settings: ColumnSettings) {
    self.plan = plan
    self.settings = settings
  }

  mutating func unload() { slice = [] }

  mutating func load(_ shredded: ShreddedLeaf) throws(ParquetError) {
    switch shredded.leaf.storage {
    case .boolean(let bitmap):
      let words = bitmap.words
      guard (shredded.contiguousValues?.upperBound ?? 0) <= bitmap.count else {
        throw storageMismatch(plan, shredded.leaf)
      }
      let count = shredded.valueCount
      var valid = true
      slice = words.withUnsafeBufferPointer { words in
        [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
          if let range = shredded.contiguousValues {
            for index in 0..<count {
              let bit = range.lowerBound &+ index
              out[index] = UInt8(truncatingIfNeeded: words[bit &>> 6] &>> UInt64(bit & 63)) & 1
            }
          } else {
            shredded.valuePositions.withUnsafeBufferPointer { positions in
              let limit = UInt32(truncatingIfNeeded: bitmap.count)
              for index in 0..<count {
                let bit = positions[index]
                guard UInt32(bitPattern: bit) < limit else {
                  valid = false
                  break
                }
                out[index] = UInt8(truncatingIfNeeded: words[Int(bit) &>> 6] &>> UInt64(bit & 63)) & 1
              }
            }
          }
          initialized = valid ? count : 0
        }
      }
      guard valid else { throw storageMismatch(plan, shredded.leaf) }
    case .none:
      slice = []
    default:
      throw storageMismatch(plan, shredded.leaf)
    }
  }

  mutating func appendToPage(_ range: Range<Int>, page _: PageBuffer) throws(ParquetError) {
    page.append(contentsOf: slice[range])
    if settings.statistics {
      slice.withUnsafeBufferPointer { bounds.update(UnsafeBufferPointer(rebasing: $0[range])) }
    }
  }

  var pageByteEstimate: Int { (page.count &+ 7) &>> 3 }
  var dictionaryByteSize: Int { 0 }

  mutating func flushPage(into buffer: PageBuffer) throws(ParquetError) -> Encoding {
    defer { page.removeAll(keepingCapacity: true) }
    var out: [UInt8] = []
    let encoding: Encoding
    if settings.encoding == .rle {
      var encoder = RLEHybridEncoder(bitWidth: 1)
      for value in page { encoder.append(Int32(value)) }
      encoder.finish(into: &out, lengthPrefixed: true)
      encoding = .rle
    } else {
      page.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &out) }
      encoding = .plain
    }
    buffer.append(out)
    return encoding
  }

  func dictionaryPage() -> (body: [UInt8], count: Int)? { nil }

  mutating func statistics(nullCount: Int) -> Statistics {
    bounds.statistics(nullCount: nullCount)
  }

  mutating func resetChunk() {
    page.removeAll(keepingCapacity: true)
    bounds = BooleanBounds()
  }
}
