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
  /// The open page's dictionary ids (dictionary mode), or its values for encodings other than
  /// PLAIN (PLAIN values go straight to the page buffer).
  private var pageIDs: [Int32] = []
  private var pageValues: [T] = []
  private var encoded: [UInt8] = []
  private var bounds = FixedWidthBounds<T>()

  init(plan: LeafColumn, settings: ColumnSettings) {
    self.plan = plan
    self.settings = settings
    usesDictionary = settings.dictionary
  }

  mutating func unload() {
    slice = []
    sliceStart = 0
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

  mutating func appendToPage(_ range: Range<Int>, page: PageBuffer) throws(ParquetError) {
    guard !range.isEmpty else { return }
    let slice = self.slice
    let range = (sliceStart + range.lowerBound)..<(sliceStart + range.upperBound)
    slice.withUnsafeBufferPointer { all in
      let part = UnsafeBufferPointer(rebasing: all[range])
      if usesDictionary {
        pageIDs.appendUninitialized(part.count) { out in
          part.withMemoryRebound(to: T.Bits.self) { dictionary.writeIDs(of: $0, to: out) }
        }
        return
      }
      appendValues(part, page)
      if settings.statistics {
        var bounds = self.bounds
        bounds.update(part, order: plan.order)
        self.bounds = bounds
      }
    }
    if usesDictionary && dictionary.byteSize > settings.dictionaryLimit { fallBack(page) }
  }

  /// Adds values to the open page in the fallback encoding.
  private mutating func appendValues(_ values: UnsafeBufferPointer<T>, _ page: PageBuffer) {
    if settings.encoding == .plain {
      #if _endian(little)
        page.append(UnsafeRawBufferPointer(values))
      #else
        encoded.removeAll(keepingCapacity: true)
        T.encode(values, .plain, into: &encoded)
        page.append(encoded)
      #endif
    } else {
      pageValues.append(contentsOf: values)
    }
  }

  var pageByteEstimate: Int {
    if usesDictionary {
      return (pageIDs.count &* RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count) &+ 7) &>> 3
    }
    return pageValues.count &* MemoryLayout<T>.size
  }

  var dictionaryByteSize: Int { dictionary.byteSize }

  mutating func flushPage(into page: PageBuffer) throws(ParquetError) -> Encoding {
    if usesDictionary {
      // parquet-mr's check on the first page: keep the dictionary only if it pays for itself.
      let plainSize = pageIDs.count &* MemoryLayout<T>.size
      if dictionaryPagesWritten == 0 && dictionary.byteSize &+ pageByteEstimate >= plainSize {
        fallBack(page)
      } else {
        let bitWidth = Swift.max(1, RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count))
        encoded.removeAll(keepingCapacity: true)
        pageIDs.withUnsafeBufferPointer {
          RLEHybridEncoder.encodeDictionaryIndices($0, bitWidth: bitWidth, into: &encoded)
        }
        page.append(encoded)
        pageIDs.removeAll(keepingCapacity: true)
        dictionaryPagesWritten += 1
        return .rleDictionary
      }
    }
    if settings.encoding != .plain {
      encoded.removeAll(keepingCapacity: true)
      pageValues.withUnsafeBufferPointer { T.encode($0, settings.encoding, into: &encoded) }
      page.append(encoded)
      pageValues.removeAll(keepingCapacity: true)
    }
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

  /// Leaves dictionary encoding for the rest of the chunk: the open page's ids become values;
  /// pages already written keep the dictionary (so it is still written), otherwise it is dropped.
  private mutating func fallBack(_ page: PageBuffer) {
    absorbDictionary()
    let ids = pageIDs
    var values: [T] = []
    values.reserveCapacity(ids.count)
    let entries = dictionary.values
    for id in ids { values.append(T(bits: entries[Int(id)])) }
    values.withUnsafeBufferPointer { appendValues($0, page) }
    pageIDs.removeAll(keepingCapacity: true)
    usesDictionary = false
    if dictionaryPagesWritten == 0 { dictionary.removeAll() }
  }

  /// Every dictionary entry occurs in the chunk: the bounds are those of the entries.
  private mutating func absorbDictionary() {
    guard settings.statistics else { return }
    var bounds = self.bounds
    dictionary.values.withUnsafeBufferPointer { bits in
      bits.withMemoryRebound(to: T.self) { bounds.update($0, order: plan.order) }
    }
    self.bounds = bounds
  }
}
