import Columnar

/// The values of a BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY leaf: dictionary-encoded while the
/// dictionary pays and fits, then in the column's fallback encoding.
///
/// A slice's values are addressed as `bytes[offsets[p]..<offsets[p+1]]` for each position `p`
/// of `positions`: a `.binary` vector's own buffers, a `.dictionary` vector's dictionary (whose
/// entries are then mapped to ids once each rather than hashed per value), or decimals
/// converted to big-endian bytes.
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
  private var positions: [Int32] = []
  /// For a `.dictionary` vector: the id of each of its entries in our dictionary, -1 if unknown.
  private var sourceIDs: [Int32] = []
  private var mapsSourceDictionary = false

  // The open page.
  private var pageIDs: [Int32] = []
  /// The PLAIN sizes of the values in `pageIDs`, for the first page's does-it-pay check.
  private var pagePlainSize = 0
  /// PLAIN-encoded values (when the fallback encoding is PLAIN).
  private var pagePlain: [UInt8] = []
  /// Values for other encodings: `pageData[pageOffsets[i]..<pageOffsets[i+1]]`.
  private var pageOffsets: [Int32] = [0]
  private var pageData: [UInt8] = []
  private var bounds = ByteArrayBounds()

  init(plan: LeafColumn, settings: ColumnSettings) {
    self.plan = plan
    self.settings = settings
    isFixedWidth = plan.physicalType == .fixedLenByteArray
    usesDictionary = settings.dictionary
  }

  mutating func load(_ shredded: ShreddedLeaf) throws(ParquetError) {
    mapsSourceDictionary = false
    let count = shredded.valueCount
    switch shredded.leaf.storage {
    case .binary(let vectorOffsets, let vectorBytes):
      offsets = vectorOffsets
      bytes = vectorBytes
      if let range = shredded.contiguousValues {
        positions = (range.lowerBound..<range.upperBound).map { Int32(truncatingIfNeeded: $0) }
      } else {
        positions = shredded.valuePositions
      }
    case .dictionary(let indices, let entries):
      guard case .binary(let entryOffsets, let entryBytes) = entries.storage else {
        throw storageMismatch(plan, shredded.leaf)
      }
      offsets = entryOffsets
      bytes = entryBytes
      positions = try Self.dictionaryPositions(indices, shredded, entryCount: entries.count, plan: plan)
      // Map the vector's dictionary onto ours entry by entry, unless it is much larger than
      // the slice (then hashing each value is cheaper than a map of every entry).
      if usesDictionary && entries.count <= Swift.max(4096, count &* 2) {
        sourceIDs.removeAll(keepingCapacity: true)
        sourceIDs.append(contentsOf: repeatElement(-1, count: entries.count))
        mapsSourceDictionary = true
      }
    case .int128(let decimals):
      let dense = try gatherDense(decimals, shredded, plan) { $0 }
      let width = plan.typeLength
      bytes = Self.bigEndianBytes(dense, width: width)
      offsets = (0...dense.count).map { Int32(truncatingIfNeeded: $0 &* width) }
      positions = (0..<dense.count).map { Int32(truncatingIfNeeded: $0) }
    case .none:
      positions = []
    default:
      throw storageMismatch(plan, shredded.leaf)
    }
    guard positions.count == count else { throw storageMismatch(plan, shredded.leaf) }
    try validate()
  }

  /// Checks every value's range once, so the encoding loops can trust them.
  private func validate() throws(ParquetError) {
    let width = isFixedWidth ? plan.typeLength : -1
    var bad = -1
    offsets.withUnsafeBufferPointer { offsets in
      let entryLimit = offsets.count &- 1
      let byteLimit = bytes.count
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
    let p = Int(positions[bad])
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

  /// The dictionary entry of each non-null value of a `.dictionary` vector.
  private static func dictionaryPositions(
    _ indices: [Int32], _ shredded: ShreddedLeaf, entryCount: Int, plan: LeafColumn
  ) throws(ParquetError) -> [Int32] {
    let mapped: [Int32] = try gatherDense(indices, shredded, plan) { $0 }
    let limit = UInt32(truncatingIfNeeded: entryCount)
    for (index, entry) in mapped.enumerated() where UInt32(bitPattern: entry) >= limit {
      throw ParquetError(
        .invalidArgument,
        "column '\(plan.dottedPath)': value \(index) refers to dictionary entry \(entry) of \(entryCount)")
    }
    return mapped
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

  mutating func appendToPage(_ range: Range<Int>) throws(ParquetError) {
    guard !range.isEmpty else { return }
    let offsets = self.offsets
    let bytes = self.bytes
    let positions = self.positions
    offsets.withUnsafeBufferPointer { offsets in
      bytes.withUnsafeBytes { bytes in
        positions.withUnsafeBufferPointer { positions in
          if usesDictionary {
            appendIDs(range, offsets, bytes, positions)
          } else {
            appendValues(range, offsets, bytes, positions)
          }
        }
      }
    }
    if usesDictionary && dictionary.byteSize(lengthPrefixed: !isFixedWidth) > settings.dictionaryLimit {
      fallBack()
    }
  }

  private mutating func appendIDs(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer,
    _ positions: UnsafeBufferPointer<Int32>
  ) {
    var ids: [Int32] = []
    swap(&ids, &pageIDs)
    if ids.capacity < ids.count &+ range.count { ids.reserveCapacity(Swift.max(ids.count &+ range.count, ids.capacity &* 2)) }
    var plainSize = 0
    let prefix = isFixedWidth ? 0 : 4
    if mapsSourceDictionary {
      var map: [Int32] = []
      swap(&map, &sourceIDs)
      map.withUnsafeMutableBufferPointer { map in
        for index in range {
          let p = Int(positions[index])
          let start = Int(offsets[p])
          let end = Int(offsets[p &+ 1])
          plainSize &+= end &- start &+ prefix
          var id = map[p]
          if id < 0 {
            id = dictionary.id(of: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            map[p] = id
          }
          ids.append(id)
        }
      }
      swap(&map, &sourceIDs)
    } else {
      for index in range {
        let p = Int(positions[index])
        plainSize &+= Int(offsets[p &+ 1]) &- Int(offsets[p]) &+ prefix
      }
      dictionary.appendIDs(range, offsets: offsets, bytes: bytes, positions: positions, to: &ids)
    }
    pagePlainSize &+= plainSize
    swap(&ids, &pageIDs)
  }

  private mutating func appendValues(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer,
    _ positions: UnsafeBufferPointer<Int32>
  ) {
    if settings.encoding == .plain {
      appendPlain(range, offsets, bytes, positions)
    } else {
      for index in range {
        let p = Int(positions[index])
        pageData.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]))
        pageOffsets.append(Int32(truncatingIfNeeded: pageData.count))
      }
    }
    if settings.statistics {
      let order = plan.order
      var bounds = self.bounds
      for index in range {
        let p = Int(positions[index])
        bounds.update(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[p])..<Int(offsets[p &+ 1])]), order: order)
      }
      self.bounds = bounds
    }
  }

  /// PLAIN-encodes values `range` onto the open page: sizes them first, grows the page once,
  /// then copies each value (with its 4-byte length unless fixed-width) into place.
  private mutating func appendPlain(
    _ range: Range<Int>, _ offsets: UnsafeBufferPointer<Int32>, _ bytes: UnsafeRawBufferPointer,
    _ positions: UnsafeBufferPointer<Int32>
  ) {
    let prefix = isFixedWidth ? 0 : 4
    var total = 0
    for index in range {
      let p = Int(positions[index])
      total &+= Int(offsets[p &+ 1]) &- Int(offsets[p]) &+ prefix
    }
    var page: [UInt8] = []
    swap(&page, &pagePlain)
    var at = page.count
    if page.capacity < at &+ total { page.reserveCapacity(Swift.max(at &+ total, page.capacity &* 2)) }
    page.append(contentsOf: repeatElement(0, count: total))
    page.withUnsafeMutableBytes { out in
      guard let target = out.baseAddress, let source = bytes.baseAddress else { return }
      for index in range {
        let p = Int(positions[index])
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
    swap(&page, &pagePlain)
  }

  /// Adds one value to the open page in the fallback encoding's buffer.
  private mutating func appendValue(_ value: UnsafeRawBufferPointer) {
    if settings.encoding == .plain {
      if !isFixedWidth {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: value.count).littleEndian) { pagePlain.append(contentsOf: $0) }
      }
      pagePlain.append(contentsOf: value)
    } else {
      pageData.append(contentsOf: value)
      pageOffsets.append(Int32(truncatingIfNeeded: pageData.count))
    }
  }

  var pageByteEstimate: Int {
    if usesDictionary {
      return (pageIDs.count &* RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count) &+ 7) &>> 3
    }
    return pagePlain.count &+ pageData.count &+ (pageOffsets.count &- 1) &* 4
  }

  var dictionaryByteSize: Int { dictionary.byteSize(lengthPrefixed: !isFixedWidth) }

  mutating func flushPage(into out: inout [UInt8]) throws(ParquetError) -> Encoding {
    if usesDictionary {
      if dictionaryPagesWritten == 0 && dictionaryByteSize &+ pageByteEstimate >= pagePlainSize {
        fallBack()
      } else {
        let bitWidth = Swift.max(1, RLEHybridEncoder.bitWidth(forDictionaryCount: dictionary.count))
        pageIDs.withUnsafeBufferPointer {
          RLEHybridEncoder.encodeDictionaryIndices($0, bitWidth: bitWidth, into: &out)
        }
        pageIDs.removeAll(keepingCapacity: true)
        pagePlainSize = 0
        dictionaryPagesWritten += 1
        return .rleDictionary
      }
    }
    let encoding = settings.encoding
    if encoding == .plain {
      out.append(contentsOf: pagePlain)
      pagePlain.removeAll(keepingCapacity: true)
      return encoding
    }
    pageOffsets.withUnsafeBufferPointer { offsets in
      pageData.withUnsafeBytes { data in
        switch encoding {
        case .deltaLengthByteArray:
          DeltaLengthByteArrayEncoder.encode(offsets: offsets, bytes: data, into: &out)
        case .deltaByteArray:
          DeltaByteArrayEncoder.encode(offsets: offsets, bytes: data, into: &out)
        case .byteStreamSplit:
          ByteStreamSplitEncoder.encodeRaw(data, width: plan.typeLength, into: &out)
        default:
          PlainEncoder.encodeFixedLenByteArrays(data, into: &out)
        }
      }
    }
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
    pagePlain.removeAll(keepingCapacity: true)
    pageOffsets.removeAll(keepingCapacity: true)
    pageOffsets.append(0)
    pageData.removeAll(keepingCapacity: true)
    bounds.removeAll()
  }

  /// Leaves dictionary encoding for the rest of the chunk: the open page's ids become values;
  /// pages already written keep the dictionary (so it is still written), otherwise it is dropped.
  private mutating func fallBack() {
    absorbDictionary()
    let ids = pageIDs
    let entries = dictionary
    entries.offsets.withUnsafeBufferPointer { offsets in
      entries.bytes.withUnsafeBytes { bytes in
        for id in ids {
          let start = Int(offsets[Int(id)])
          let end = Int(offsets[Int(id) &+ 1])
          appendValue(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
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
    entries.offsets.withUnsafeBufferPointer { offsets in
      entries.bytes.withUnsafeBytes { bytes in
        for id in 0..<entries.count {
          bounds.update(UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[id])..<Int(offsets[id &+ 1])]), order: order)
        }
      }
    }
  }
}
