import Columnar

/// The values of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY leaf: dictionary-encoded while the
/// dictionary pays and fits, then in the column's fallback encoding.
///
/// A slice's values are `bytes[offsets[p]..<offsets[p+1]]` for the slice's positions `p`:
/// a `.binary` vector's own buffers, a `.dictionary` vector's dictionary (whose entries are then
/// mapped to ids once each rather than hashed per value), or decimals converted to big-endian
/// bytes. Positions are consecutive (``contiguousBase``) or listed (``positions``).
struct ByteArrayValueEncoder: LeafValueEncoder {
  private let plan: LeafColumn
  private let settings: ColumnSettings
  /// FIXED_LEN_BYTE_ARRAY values carry no length prefix.
  private let isFixedWidth: Bool
  private var usesDictionary: Bool
  private var dictionary = ByteArrayDictionary()
  private var dictionaryPagesWritten = 0

  // The loaded slice.
  private var offsets: [Int32] = []
  private var bytes: [UInt8] = []
  private var contiguousBase: Int?
  private var positions: [Int32] = []
  private var valueCount = 0
  /// For a `.dictionary` vector: the id of each of its entries in our dictionary, -1 if unknown.
  private var sourceIDs: [Int32] = []
  private var mapsSourceDictionary = false

  // The open page.
  private var pageIDs: [Int32] = []
  /// The PLAIN size of the values in `pageIDs`, for the first page's does-it-pay check.
  private var pagePlainSize = 0
  /// Values for encodings other than PLAIN (PLAIN goes straight to the page buffer):
  /// `pageData[pageOffsets[i]..<pageOffsets[i+1]]`.
  private var pageOffsets: [Int32] = [0]
  private var pageData: [UInt8] = []
  private var encoded: [UInt8] = []
  private var bounds = ByteArrayBounds()

  init(plan: LeafColumn, settings: ColumnSettings) {
    self.plan = plan
    self.settings = settings
    isFixedWidth = plan.physicalType == .fixedLenByteArray
    usesDictionary = settings.dictionary
  }

  mutating func unload() {
    offsets = []
    bytes = []
    positions = []
    contiguousBase = nil
    mapsSourceDictionary = false
  }

  mutating func load(_ shredded: ShreddedLeaf) throws(ParquetError) {
    mapsSourceDictionary = false
    contiguousBase = nil
    valueCount = shredded.valueCount
    switch shredded.leaf.storage {
    case .binary(let vectorOffsets, let vectorBytes):
      offsets = vectorOffsets
      bytes = vectorBytes
      if let range = shredded.contiguousValues {
        contiguousBase = range.lowerBound
      } else {
        positions = shredded.valuePositions
      }
    case .dictionary(let indices, let entries):
      guard case .binary(let entryOffsets, let entryBytes) = entries.storage else {
        throw storageMismatch(plan, shredded.leaf)
      }
      offsets = entryOffsets
      bytes = entryBytes
      positions = try gatherDense(indices, shredded, plan) { $0 }
      // Map the vector's dictionary onto ours entry by entry, unless it is much larger than
      // the slice (then hashing each value is cheaper than a map of every entry).
      if usesDictionary && entries.count <= Swift.max(4096, valueCount &* 2) {
        sourceIDs.removeAll(keepingCapacity: true)
        sourceIDs.append(contentsOf: repeatElement(-1, count: entries.count))
        mapsSourceDictionary = true
      }
    case .uint16(let halves):
      // FLOAT16: each half's bit pattern, little-endian.
      let dense = try gatherDense(halves, shredded, plan) { $0 }
      bytes = dense.withUnsafeBytes { raw in
        #if _endian(little)
          Array(raw)
        #else
          dense.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        #endif
      }
      offsets = (0...dense.count).map { Int32(truncatingIfNeeded: $0 &* 2) }
      contiguousBase = 0
    case .int128(let decimals):
      let dense = try gatherDense(decimals, shredded, plan) { $0 }
      let width = plan.typeLength
      bytes = Self.bigEndianBytes(dense, width: width)
      offsets = (0...dense.count).map { Int32(truncatingIfNeeded: $0 &* width) }
      contiguousBase = 0
    case .none:
      contiguousBase = 0
      valueCount = 0
    default:
      throw storageMismatch(plan, shredded.leaf)
    }
    try validate()
  }

  /// Checks every value's range once, so the encoding loops can trust them.
  private func validate() throws(ParquetError) {
    let width = isFixedWidth ? plan.typeLength : -1
    var bad = -1
    offsets.withUnsafeBufferPointer { offsets in
      let entryLimit = offsets.count &- 1
      let byteLimit = bytes.count
      if let base = contiguousBase {
        guard valueCount > 0 else { return }
        guard base >= 0, base &+ valueCount <= entryLimit else {
          bad = 0
          return
        }
        var previous = Int(offsets[base])
        guard previous >= 0 else {
          bad = 0
          return
        }
        for k in 0..<valueCount {
          let next = Int(offsets[base &+ k &+ 1])
          if next < previous || (width >= 0 && next &- previous != width) {
            bad = k
            return
          }
          previous = next
        }
        if previous > byteLimit { bad = valueCount &- 1 }
        return
      }
      for (index, position) in positions.enumerated() {
        let p = Int(position)
        guard p >= 0, p < entryLimit else {
          bad = index
          return
        }
        let start = Int(offsets[p])
        let end = Int(offsets[p &+ 1])
        guard start >= 0, start <= end, end <= byteLimit, width < 0 || end &- start == width else {
          bad = index
          return
        }
      }
    }
    guard bad >= 0 else { return }
    let p = contiguousBase.map { $0 + bad } ?? Int(positions[bad])
    if isFixedWidth, p >= 0, p + 1 < offsets.count {
      let length = Int(offsets[p + 1]) - Int(offsets[p])
      if length != plan.typeLength {
        throw ParquetError(
          .invalidArgument,
          "column '\(plan.dottedPath)' holds \(plan.typeLength)-byte values but value \(bad) has \(length) bytes")
      }
    }
    throw ParquetError(.invalidArgument, "column '\(plan.dottedPath)': value \(bad) has offsets outside its buffer")
  }

  /// Decimals as `width`-byte big-endian two's complement values, back to back.
  private static func bigEndianBytes(_ values: [Int128], width: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: values.count &* width) { out, initialized in
      for (index, value) in values.enumerated() {
        let base = index &* width
        var shifted = value
        for byte in stride(from: width - 1, through: 0, by: -1) {
          out[base &+ byte] = UInt8(truncatingIfNeeded: shifted)
          shifted >>= 8
        }
      }
      initialized = values.count &* width
    }
  }

  mutating func appendToPage(_ range: Range<Int>, page: PageBuffer) throws(ParquetError) {
    guard !range.isEmpty else { return }
    let offsets = self.offsets
    let bytes = self.bytes
    offsets.withUnsafeBufferPointer { offsets in
      bytes.withUnsafeBytes { bytes in
        if let base = contiguousBase {
          append(range, offsets, bytes, ContiguousPositions(base: base), page)
        } else {
          let positions = self.positions
          positions.withUnsafeBufferPointer { append(range, offsets, bytes, ListedPositions(list: $0), page) }
        }
      }
    }
    if usesDictionary && dictionaryByteSize > settings.dictionaryLimit { fallBack(page) }
  }

  private mutating func append<P: ValuePositions>(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer, _ positions: P,
    _ page: PageBuffer
  ) {
    if usesDictionary {
      appendIDs(range, offsets, bytes, positions)
      return
    }
    if settings.encoding == .plain {
      appendPlain(range, offsets, bytes, positions, page)
    } else {
      for index in range {
        let p = positions.position(index)
        pageData.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]))
        pageOffsets.append(Int32(truncatingIfNeeded: pageData.count))
      }
    }
    if settings.statistics {
      let order = plan.order
      var bounds = self.bounds
      for index in range {
        let p = positions.position(index)
        bounds.update(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]), order: order)
      }
      self.bounds = bounds
    }
  }

  private mutating func appendIDs<P: ValuePositions>(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer, _ positions: P
  ) {
    let prefix = isFixedWidth ? 0 : 4
    var plainSize = 0
    for index in range {
      let p = positions.position(index)
      plainSize &+= Int(offsets[p &+ 1]) &- Int(offsets[p]) &+ prefix
    }
    pagePlainSize &+= plainSize
    var ids: [Int32] = []
    swap(&ids, &pageIDs)
    if mapsSourceDictionary {
      var map: [Int32] = []
      swap(&map, &sourceIDs)
      ids.appendUninitialized(range.count) { out in
        map.withUnsafeMutableBufferPointer { map in
          for index in range {
            let p = positions.position(index)
            var id = map[p]
            if id < 0 {
              id = dictionary.id(of: UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]))
              map[p] = id
            }
            out[index &- range.lowerBound] = id
          }
        }
      }
      swap(&map, &sourceIDs)
    } else {
      ids.appendUninitialized(range.count) { out in
        dictionary.writeIDs(range, offsets: offsets, bytes: bytes, positions: positions, to: out)
      }
    }
    swap(&ids, &pageIDs)
  }

  /// PLAIN-encodes values `range` onto the page: sizes them first, grows the page once, then
  /// copies each value (after its 4-byte length unless fixed-width) into place.
  private func appendPlain<P: ValuePositions>(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer, _ positions: P,
    _ page: PageBuffer
  ) {
    let prefix = isFixedWidth ? 0 : 4
    var total = 0
    for index in range {
      let p = positions.position(index)
      total &+= Int(offsets[p &+ 1]) &- Int(offsets[p]) &+ prefix
    }
    guard let source = bytes.baseAddress else {
      // Every value is empty: only the lengths.
      page.append(count: total) { target in target.initializeMemory(as: UInt8.self, repeating: 0, count: total) }
      return
    }
    page.append(count: total) { target in
      var at = 0
      for index in range {
        let p = positions.position(index)
        let start = Int(offsets[p])
        let length = Int(offsets[p &+ 1]) &- start
        if prefix != 0 {
          target.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: at, as: UInt32.self)
          at &+= 4
        }
        (target + at).copyMemory(from: source + start, byteCount: length)
        at &+= length
      }
    }
  }

  /// Adds one value to the open page in the fallback encoding.
  private mutating func appendValue(_ value: UnsafeRawBufferPointer, _ page: PageBuffer) {
    if settings.encoding == .plain {
      if !isFixedWidth {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: value.count).littleEndian) { page.append($0) }
      }
      page.append(value)
    } else {
      pageData.append(contentsOf: value)
      pageOffsets.append(Int32(truncatingIfNeeded: pageData.count))
    }
  }

  var pageByteEstimate: Int {
    if usesDictionary {
      return (pageIDs.count &* RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count) &+ 7) &>> 3
    }
    return pageData.count &+ (pageOffsets.count &- 1) &* 4
  }

  var dictionaryByteSize: Int { dictionary.byteSize(lengthPrefixed: !isFixedWidth) }

  mutating func flushPage(into page: PageBuffer) throws(ParquetError) -> Encoding {
    if usesDictionary {
      if dictionaryPagesWritten == 0 && dictionaryByteSize &+ pageByteEstimate >= pagePlainSize {
        fallBack(page)
      } else {
        let bitWidth = Swift.max(1, RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count))
        encoded.removeAll(keepingCapacity: true)
        pageIDs.withUnsafeBufferPointer {
          RLEHybridEncoder.encodeDictionaryIndices($0, bitWidth: bitWidth, into: &encoded)
        }
        page.append(encoded)
        pageIDs.removeAll(keepingCapacity: true)
        pagePlainSize = 0
        dictionaryPagesWritten += 1
        return .rleDictionary
      }
    }
    let encoding = settings.encoding
    if encoding == .plain { return encoding }
    encoded.removeAll(keepingCapacity: true)
    pageOffsets.withUnsafeBufferPointer { offsets in
      pageData.withUnsafeBytes { data in
        switch encoding {
        case .deltaLengthByteArray:
          DeltaLengthByteArrayEncoder.encode(offsets: offsets, bytes: data, into: &encoded)
        case .deltaByteArray:
          DeltaByteArrayEncoder.encode(offsets: offsets, bytes: data, into: &encoded)
        case .byteStreamSplit:
          ByteStreamSplitEncoder.encodeRaw(data, width: plan.typeLength, into: &encoded)
        default:
          PlainEncoder.encodeFixedLenByteArrays(data, into: &encoded)
        }
      }
    }
    page.append(encoded)
    pageOffsets.removeAll(keepingCapacity: true)
    pageOffsets.append(0)
    pageData.removeAll(keepingCapacity: true)
    return encoding
  }

  func dictionaryPage() -> (body: [UInt8], count: Int)? {
    guard dictionaryPagesWritten > 0 else { return nil }
    if isFixedWidth { return (dictionary.bytes, dictionary.count) }
    var body: [UInt8] = []
    dictionary.offsets.withUnsafeBufferPointer { offsets in
      dictionary.bytes.withUnsafeBytes { PlainEncoder.encodeByteArrays(offsets: offsets, bytes: $0, into: &body) }
    }
    return (body, dictionary.count)
  }

  mutating func statistics(nullCount: Int) -> Statistics {
    if usesDictionary { absorbDictionary() }
    return bounds.statistics(nullCount: nullCount, order: plan.order, isUTF8: plan.type == .string)
  }

  mutating func resetChunk() {
    usesDictionary = settings.dictionary
    dictionary.removeAll()
    dictionaryPagesWritten = 0
    mapsSourceDictionary = false
    pageIDs.removeAll(keepingCapacity: true)
    pagePlainSize = 0
    pageOffsets.removeAll(keepingCapacity: true)
    pageOffsets.append(0)
    pageData.removeAll(keepingCapacity: true)
    bounds.removeAll()
  }

  /// Leaves dictionary encoding for the rest of the chunk: the open page's ids become values;
  /// pages already written keep the dictionary (so it is still written), otherwise it is dropped.
  private mutating func fallBack(_ page: PageBuffer) {
    absorbDictionary()
    let ids = pageIDs
    let entries = dictionary
    entries.offsets.withUnsafeBufferPointer { offsets in
      entries.bytes.withUnsafeBytes { bytes in
        for id in ids {
          appendValue(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[Int(id)])..<Int(offsets[Int(id) &+ 1])]), page)
        }
      }
    }
    pageIDs.removeAll(keepingCapacity: true)
    pagePlainSize = 0
    usesDictionary = false
    mapsSourceDictionary = false
    if dictionaryPagesWritten == 0 { dictionary.removeAll() }
  }

  /// Every dictionary entry occurs in the chunk: the bounds are those of the entries.
  private mutating func absorbDictionary() {
    guard settings.statistics else { return }
    let entries = dictionary
    let order = plan.order
    var bounds = self.bounds
    entries.offsets.withUnsafeBufferPointer { offsets in
      entries.bytes.withUnsafeBytes { bytes in
        for id in 0..<entries.count {
          bounds.update(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[id])..<Int(offsets[id &+ 1])]), order: order)
        }
      }
    }
    self.bounds = bounds
  }
}
