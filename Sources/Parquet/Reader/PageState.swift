import Columnar

/// What a column chunk reader has gathered so far: levels, the dictionary, and the values.
///
/// Byte-array chunks whose data pages are all dictionary-encoded stay dictionary-encoded (the
/// indices are kept and the dictionary becomes a vector of its own); the first plain page
/// materialises what came before, as writers fall back to plain when a dictionary grows too big.
struct PageState {
  let leaf: ColumnDescriptor
  let expectedValues: Int
  /// Levels (rows, for a flat column) decoded so far: with a row selection, only selected ones.
  var levelCount = 0
  /// Levels of the pages read so far, selected or not: where the next page starts.
  var rowsConsumed = 0
  var definition: [Int32] = []
  private var repetition: [Int32] = []
  var dictionary: DenseValues?
  private var values: DenseValues
  private var dictionaryIndices: [Int32]?
  /// Definition levels of leading pages whose values were all present, not stored: a flat column
  /// without nulls needs no levels at all. Materialised when a page with nulls arrives.
  var elidedLevels = 0
  /// The rows of the chunk to decode (ascending), for a flat column; nil for all of them.
  let selection: [Int32]?
  /// The first entry of `selection` not yet reached by a page.
  var selectionCursor = 0

  /// `chunkBytes` (compressed) and `uncompressedBytes` (from the chunk metadata) size the value
  /// buffers up front, so a 10-million-value chunk is not copied at every doubling; both come
  /// from the file, so the reservation is capped by what the chunk could really expand to.
  init(
    leaf: ColumnDescriptor, expectedValues: Int, chunkBytes: Int = 0, uncompressedBytes: Int = 0, selection: [Int32]? = nil
  ) {
    self.leaf = leaf
    self.expectedValues = expectedValues
    self.selection = selection
    var values = DenseValues.empty(leaf.physicalType)
    var valueReserve = min(expectedValues, 1 << 24)
    var byteReserve = min(max(uncompressedBytes, 0), chunkBytes * 64 + (1 << 16), 1 << 30)
    if let selection, expectedValues > 0 {
      valueReserve = min(valueReserve, selection.count)
      byteReserve = Int(Double(byteReserve) * Double(selection.count) / Double(expectedValues))
    }
    values.reserve(values: valueReserve, bytes: byteReserve)
    self.values = values
    let keepsDictionary = leaf.conversion == .bytes
    self.dictionaryIndices = keepsDictionary ? [] : nil
    // The count comes from the file: reserve no more than a sane amount up front.
    let reserve = min(expectedValues, 1 << 20)
    if leaf.maxDefinitionLevel > 0 { definition.reserveCapacity(reserve) }
    if leaf.maxRepetitionLevel > 0 { repetition.reserveCapacity(reserve) }
  }

  mutating func readPage(_ header: PageHeader, body: UnsafeRawBufferPointer, codec: CompressionCodec)
    throws(ParquetError)
  {
    switch header.type {
    case .dictionaryPage:
      guard let dictionaryHeader = header.dictionaryPageHeader else {
        throw ParquetError(.corrupt, "dictionary page without its header")
      }
      guard dictionary == nil else { throw ParquetError(.corrupt, "a second dictionary page") }
      let count = Int(dictionaryHeader.numValues)
      guard count >= 0, count <= max(Int(header.uncompressedPageSize), 0) * 8 + 8 else {
        throw ParquetError(.corrupt, "dictionary page of \(header.uncompressedPageSize) bytes claims \(count) values")
      }
      let page = try PageCompression.decompress(
        body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize))
      var decoded = DenseValues.empty(leaf.physicalType)
      try page.withRawBytes { (bytes) throws(ParquetError) in
        _ = try ValueDecoding.decode(
          encoding: .plain, physical: leaf.physicalType, typeLength: leaf.typeLength, count: count, bytes: bytes,
          into: &decoded)
      }
      dictionary = decoded
    case .dataPage where selection != nil, .dataPageV2 where selection != nil:
      try readSelectedPage(header, body: body, codec: codec)
    case .dataPage:
      guard let dataHeader = header.dataPageHeader else { throw ParquetError(.corrupt, "data page without its header") }
      let count = try pageValueCount(dataHeader.numValues, pageSize: header.uncompressedPageSize)
      let page = try PageCompression.decompress(
        body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize))
      try page.withRawBytes { (bytes) throws(ParquetError) in
        var position = 0
        if leaf.maxRepetitionLevel > 0 {
          position += try LevelDecoding.decodeV1(
            bytes, from: position, encoding: dataHeader.repetitionLevelEncoding, maxLevel: leaf.maxRepetitionLevel,
            count: count, into: &repetition, what: "repetition")
        }
        var allPresent = leaf.maxDefinitionLevel == 0
        if leaf.maxDefinitionLevel > 0 {
          if dataHeader.definitionLevelEncoding == .rle, canElideLevels {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
            let (decoder, consumed) = try RLEHybridDecoder.levelsV1(
              rest, bitWidth: RLEHybridDecoder.bitWidth(forMaxLevel: leaf.maxDefinitionLevel))
            allPresent = try elideIfAllPresent(decoder, count: count)
            if allPresent { position += consumed }
          }
          if !allPresent {
            materializeElidedLevels()
            position += try LevelDecoding.decodeV1(
              bytes, from: position, encoding: dataHeader.definitionLevelEncoding, maxLevel: leaf.maxDefinitionLevel,
              count: count, into: &definition, what: "definition")
          }
        }
        try readValues(
          encoding: dataHeader.encoding, count: count, bytes: UnsafeRawBufferPointer(rebasing: bytes[position...]),
          allPresent: allPresent)
      }
    case .dataPageV2:
      guard let dataHeader = header.dataPageHeaderV2 else {
        throw ParquetError(.corrupt, "data page v2 without its header")
      }
      let count = try pageValueCount(dataHeader.numValues, pageSize: header.uncompressedPageSize)
      let repetitionLength = Int(dataHeader.repetitionLevelsByteLength)
      let definitionLength = Int(dataHeader.definitionLevelsByteLength)
      guard repetitionLength >= 0, definitionLength >= 0, repetitionLength + definitionLength <= body.count else {
        throw ParquetError(
          .corrupt, "level lengths \(repetitionLength)+\(definitionLength) exceed the page's \(body.count) bytes")
      }
      if leaf.maxRepetitionLevel > 0 {
        try LevelDecoding.decodeRLE(
          UnsafeRawBufferPointer(rebasing: body[0..<repetitionLength]), maxLevel: leaf.maxRepetitionLevel,
          count: count, into: &repetition, what: "repetition")
      }
      var allPresent = leaf.maxDefinitionLevel == 0
      if leaf.maxDefinitionLevel > 0 {
        let levelBytes = UnsafeRawBufferPointer(rebasing: body[repetitionLength..<(repetitionLength + definitionLength)])
        if canElideLevels {
          let decoder = try RLEHybridDecoder.levelsV2(
            levelBytes, bitWidth: RLEHybridDecoder.bitWidth(forMaxLevel: leaf.maxDefinitionLevel))
          allPresent = try elideIfAllPresent(decoder, count: count)
        }
        if !allPresent {
          materializeElidedLevels()
          try LevelDecoding.decodeRLE(
            levelBytes, maxLevel: leaf.maxDefinitionLevel, count: count, into: &definition, what: "definition")
        }
      }
      let valueBytes = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
      let uncompressedValues = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
      if dataHeader.isCompressed ?? true, codec != .uncompressed {
        let page = try PageCompression.decompress(valueBytes, codec: codec, uncompressedSize: uncompressedValues)
        try page.withRawBytes { (bytes) throws(ParquetError) in
          try readValues(encoding: dataHeader.encoding, count: count, bytes: bytes, allPresent: allPresent)
        }
      } else {
        try readValues(encoding: dataHeader.encoding, count: count, bytes: valueBytes, allPresent: allPresent)
      }
    default:
      break  // index pages and page types from later format versions carry no values we need
    }
  }

  /// The page's value count, checked against what the chunk has left and against the page's
  /// size: runs of levels compress well, but not past about 8,000 values a byte, and a forged
  /// count must not make the reader allocate gigabytes.
  func pageValueCount(_ declared: Int32, pageSize: Int32) throws(ParquetError) -> Int {
    let count = Int(declared)
    guard count >= 0, count <= expectedValues - rowsConsumed else {
      throw ParquetError(
        .corrupt, "page holds \(count) values but only \(expectedValues - rowsConsumed) of the chunk's remain")
    }
    guard count <= max(Int(pageSize), 1) * 8192 + (1 << 20) else {
      throw ParquetError(.corrupt, "page of \(pageSize) bytes claims \(count) values")
    }
    return count
  }

  /// Decodes the values of a data page whose levels (if any) were just appended.
  private mutating func readValues(encoding: Encoding, count: Int, bytes: UnsafeRawBufferPointer, allPresent: Bool)
    throws(ParquetError)
  {
    var present = count
    if !allPresent {
      let maxLevel = Int32(leaf.maxDefinitionLevel)
      present = 0
      for level in definition[(definition.count - count)...] where level == maxLevel { present += 1 }
    }
    levelCount += count
    rowsConsumed += count
    if case .null = leaf.type { return }
    switch encoding {
    case .plainDictionary, .rleDictionary:
      guard let dictionary else { throw ParquetError(.corrupt, "dictionary-encoded page before any dictionary page") }
      let indices = try ValueDecoding.decodeDictionaryIndices(bytes, count: present, dictionaryCount: dictionary.count)
      try appendDictionaryIndices(indices, of: dictionary)
    default:
      try leaveDictionaryEncoding()
      _ = try ValueDecoding.decode(
        encoding: encoding, physical: leaf.physicalType, typeLength: leaf.typeLength, count: present, bytes: bytes,
        into: &values)
    }
  }

  /// Appends the values of a dictionary-encoded page: its indices, while the chunk stays
  /// dictionary-encoded, else the entries they pick.
  mutating func appendDictionaryIndices(_ indices: [Int32], of dictionary: DenseValues) throws(ParquetError) {
    if dictionaryIndices != nil {
      dictionaryIndices!.append(contentsOf: indices)
    } else {
      try ValueDecoding.gather(indices, from: dictionary, into: &values)
    }
  }

  /// Before a plain page after dictionary pages: the chunk cannot stay dictionary-encoded, so
  /// the indices so far become values.
  mutating func leaveDictionaryEncoding() throws(ParquetError) {
    guard let pending = dictionaryIndices else { return }
    if let dictionary, !pending.isEmpty { try ValueDecoding.gather(pending, from: dictionary, into: &values) }
    dictionaryIndices = nil
  }

  /// Appends the values `picks` (ascending) of a page's `count` values.
  mutating func appendSelectedValues(encoding: Encoding, count: Int, picks: [Int32], bytes: UnsafeRawBufferPointer)
    throws(ParquetError)
  {
    try SelectedValueDecoding.decode(
      encoding: encoding, physical: leaf.physicalType, typeLength: leaf.typeLength, count: count, picks: picks,
      bytes: bytes, into: &values)
  }

  /// Levels may be elided only for a flat path (no repetition) while none are stored yet.
  var canElideLevels: Bool { leaf.maxRepetitionLevel == 0 && definition.isEmpty }

  /// Counts the page's levels without expanding RLE runs; when all are the maximum the page's
  /// levels are elided and true is returned.
  private mutating func elideIfAllPresent(_ decoder: RLEHybridDecoder, count: Int) throws(ParquetError) -> Bool {
    var probe = decoder
    guard try probe.count(equalTo: Int32(leaf.maxDefinitionLevel), in: count) == count else { return false }
    elidedLevels += count
    return true
  }

  /// Stores the elided levels, before the first page that has nulls.
  mutating func materializeElidedLevels() {
    guard elidedLevels > 0 else { return }
    definition.append(contentsOf: repeatElement(Int32(leaf.maxDefinitionLevel), count: elidedLevels))
    elidedLevels = 0
  }

  /// The chunk's levels and its values converted to the leaf's type.
  func finish() throws(ParquetError) -> LeafData {
    let dense: ColumnVector
    if let indices = dictionaryIndices, let dictionary, !indices.isEmpty {
      let dictionaryVector = try LeafConversionKernels.convert(dictionary, leaf: leaf)
      dense = ColumnVector(
        type: leaf.type, count: indices.count, storage: .dictionary(indices: indices, dictionary: dictionaryVector))
    } else {
      dense = try LeafConversionKernels.convert(values, leaf: leaf)
    }
    return LeafData(
      levelCount: levelCount,
      // No stored levels with every level elided: all values present, no validity needed.
      definitionLevels: leaf.maxDefinitionLevel > 0 && !(canElideLevels && elidedLevels == levelCount)
        ? definition : nil,
      repetitionLevels: leaf.maxRepetitionLevel > 0 ? repetition : nil,
      values: dense)
  }
}
