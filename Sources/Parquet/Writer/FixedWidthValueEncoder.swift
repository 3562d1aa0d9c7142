/// The values of an INT32, INT64, FLOAT or DOUBLE leaf: dictionary-encoded while the dictionary
/// pays and fits, then in the column's fallback encoding (parquet-mr's behaviour).
struct FixedWidthValueEncoder<T: FixedWidthPhysical>: LeafValueEncoder {
  private let plan: LeafColumn
  private let settings: ColumnSettings
  /// Whether the chunk in progress still dictionary-encodes.
  private var usesDictionary: Bool
  private var dictionary = FixedWidthDictionary<T.Bits>()
  private var dictionaryPagesWritten = 0
  /// The dense values of the loaded slice are `slice[sliceStart...]`.
  private var slice: [T] = []
  private var sliceStart = 0
  /// The open page's dictionary ids (dictionary mode) or values (otherwise).
  private var pageIDs: [Int32] = []
  private var pageValues: [T] = []
  private var bounds = FixedWidthBounds<T>()

  init(plan: LeafColumn, settings: ColumnSettings) {
    self.plan = plan
    self.settings = settings
    usesDictionary = settings.dictionary
  }

  mutating func load(_ shredded: ShreddedLeaf) throws(ParquetError) {
    if let range = shredded.contiguousValues, let values = T.direct(shredded.leaf.storage),
      range.upperBound <= values.count
    {
      slice = values
      sliceStart = range.lowerBound
    } else {
      slice = try T.gather(shredded, plan: plan)
      sliceStart = 0
    }
  }

  mutating func appendToPage(_ range: Range<Int>) throws(ParquetError) {
    guard !range.isEmpty else { return }
    let slice = self.slice
    let range = (sliceStart + range.lowerBound)..<(sliceStart + range.upperBound)
    slice.withUnsafeBufferPointer { all in
      let part = UnsafeBufferPointer(rebasing: all[range])
      if usesDictionary {
        var ids = takePageIDs()
        part.withMemoryRebound(to: T.Bits.self) { dictionary.appendIDs(of: $0, to: &ids) }
        pageIDs = ids
      } else {
        pageValues.append(contentsOf: part)
        if settings.statistics {
          var bounds = self.bounds
          bounds.update(part, order: plan.order)
          self.bounds = bounds
        }
      }
    }
    if usesDictionary && dictionary.byteSize > settings.dictionaryLimit { fallBack() }
  }

  var pageByteEstimate: Int {
    if usesDictionary {
      return (pageIDs.count &* RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count) &+ 7) &>> 3
    }
    return pageValues.count &* MemoryLayout<T>.size
  }

  var dictionaryByteSize: Int { dictionary.byteSize }

  mutating func flushPage(into out: inout [UInt8]) throws(ParquetError) -> Encoding {
    if usesDictionary {
      // parquet-mr's check on the first page: keep the dictionary only if it pays for itself.
      let plainSize = pageIDs.count &* MemoryLayout<T>.size
      if dictionaryPagesWritten == 0 && dictionary.byteSize &+ pageByteEstimate >= plainSize {
        fallBack()
      } else {
        let bitWidth = Swift.max(1, RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count))
        pageIDs.withUnsafeBufferPointer {
          RLEHybridEncoder.encodeDictionaryIndices($0, bitWidth: bitWidth, into: &out)
        }
        pageIDs.removeAll(keepingCapacity: true)
        dictionaryPagesWritten += 1
        return .rleDictionary
      }
    }
    pageValues.withUnsafeBufferPointer { T.encode($0, settings.encoding, into: &out) }
    pageValues.removeAll(keepingCapacity: true)
    return settings.encoding
  }

  func dictionaryPage() -> (body: [UInt8], count: Int)? {
    guard dictionaryPagesWritten > 0 else { return nil }
    var body: [UInt8] = []
    body.reserveCapacity(dictionary.byteSize)
    dictionary.values.withUnsafeBufferPointer { bits in
      bits.withMemoryRebound(to: T.self) { T.encode($0, .plain, into: &body) }
    }
    return (body, dictionary.count)
  }

  mutating func statistics(nullCount: Int) -> Statistics {
    if usesDictionary { absorbDictionary() }
    return bounds.statistics(nullCount: nullCount, order: plan.order, legacy: plan.writesLegacyStatistics)
  }

  mutating func resetChunk() {
    usesDictionary = settings.dictionary
    dictionary.removeAll()
    dictionaryPagesWritten = 0
    pageIDs.removeAll(keepingCapacity: true)
    pageValues.removeAll(keepingCapacity: true)
    bounds = FixedWidthBounds<T>()
  }

  /// Moves the open page's ids out, leaving an empty array, so they can be appended to while
  /// the dictionary changes.
  private mutating func takePageIDs() -> [Int32] {
    var ids: [Int32] = []
    swap(&ids, &pageIDs)
    return ids
  }

  /// Leaves dictionary encoding for the rest of the chunk: the open page's ids become values;
  /// pages already written keep the dictionary (so it is still written), otherwise it is dropped.
  private mutating func fallBack() {
    absorbDictionary()
    let values = dictionary.values
    pageValues.reserveCapacity(pageValues.count + pageIDs.count)
    for id in pageIDs { pageValues.append(T(bits: values[Int(id)])) }
    pageIDs.removeAll(keepingCapacity: true)
    usesDictionary = false
    if dictionaryPagesWritten == 0 { dictionary.removeAll() }
  }

  /// Every dictionary entry occurs in the chunk: the bounds are those of the entries.
  private mutating func absorbDictionary() {
    guard settings.statistics else { return }
    dictionary.values.withUnsafeBufferPointer { bits in
      bits.withMemoryRebound(to: T.self) { bounds.update($0, order: plan.order) }
    }
  }
}
