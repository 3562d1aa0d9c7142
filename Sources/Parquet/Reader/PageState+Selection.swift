/// Data pages of a flat column read for a row selection (late materialization): a page holding
/// none of the selected rows is skipped without being decompressed, and of the others only the
/// selected rows' levels and values are kept.
extension PageState {
  mutating func readSelectedPage(_ header: PageHeader, body: UnsafeRawBufferPointer, codec: CompressionCodec)
    throws(ParquetError)
  {
    guard let selection else { return }
    let declared: Int32
    switch header.type {
    case .dataPage:
      guard let dataHeader = header.dataPageHeader else { throw ParquetError(.corrupt, "data page without its header") }
      declared = dataHeader.numValues
    default:
      guard let dataHeader = header.dataPageHeaderV2 else { throw ParquetError(.corrupt, "data page v2 without its header") }
      declared = dataHeader.numValues
    }
    let count = try pageValueCount(declared, pageSize: header.uncompressedPageSize)
    let pageStart = rowsConsumed
    rowsConsumed += count
    let first = selectionCursor
    var end = first
    while end < selection.count && Int(selection[end]) < pageStart + count { end += 1 }
    selectionCursor = end
    guard end > first else { return }
    var rows = [Int32](repeating: 0, count: end - first)
    for i in first..<end { rows[i - first] = selection[i] - Int32(truncatingIfNeeded: pageStart) }

    let maxLevel = leaf.maxDefinitionLevel
    let bitWidth = RLEHybridDecoder.bitWidth(forMaxLevel: maxLevel)
    if let dataHeader = header.dataPageHeader, header.type == .dataPage {
      let page = try PageCompression.decompress(body, codec: codec, uncompressedSize: Int(header.uncompressedPageSize))
      try page.withRawBytes { (bytes) throws(ParquetError) in
        var position = 0
        var levels: [Int32]? = nil
        if maxLevel > 0 {
          var allPresent = false
          if dataHeader.definitionLevelEncoding == .rle {
            let (decoder, consumed) = try RLEHybridDecoder.levelsV1(
              UnsafeRawBufferPointer(rebasing: bytes[position...]), bitWidth: bitWidth)
            var probe = decoder
            allPresent = try probe.count(equalTo: Int32(maxLevel), in: count) == count
            if allPresent { position += consumed }
          }
          if !allPresent {
            var decoded: [Int32] = []
            position += try LevelDecoding.decodeV1(
              bytes, from: position, encoding: dataHeader.definitionLevelEncoding, maxLevel: maxLevel, count: count,
              into: &decoded, what: "definition")
            levels = decoded
          }
        }
        try appendSelected(
          rows, count: count, levels: levels, encoding: dataHeader.encoding,
          bytes: UnsafeRawBufferPointer(rebasing: bytes[position...]))
      }
    } else if let dataHeader = header.dataPageHeaderV2 {
      let repetitionLength = Int(dataHeader.repetitionLevelsByteLength)
      let definitionLength = Int(dataHeader.definitionLevelsByteLength)
      guard repetitionLength >= 0, definitionLength >= 0, repetitionLength + definitionLength <= body.count else {
        throw ParquetError(
          .corrupt, "level lengths \(repetitionLength)+\(definitionLength) exceed the page's \(body.count) bytes")
      }
      var levels: [Int32]? = nil
      if maxLevel > 0 {
        let levelBytes = UnsafeRawBufferPointer(rebasing: body[repetitionLength..<(repetitionLength + definitionLength)])
        var probe = try RLEHybridDecoder.levelsV2(levelBytes, bitWidth: bitWidth)
        if try probe.count(equalTo: Int32(maxLevel), in: count) != count {
          var decoded: [Int32] = []
          try LevelDecoding.decodeRLE(levelBytes, maxLevel: maxLevel, count: count, into: &decoded, what: "definition")
          levels = decoded
        }
      }
      let valueBytes = UnsafeRawBufferPointer(rebasing: body[(repetitionLength + definitionLength)...])
      let uncompressedValues = Int(header.uncompressedPageSize) - repetitionLength - definitionLength
      if dataHeader.isCompressed ?? true, codec != .uncompressed {
        let page = try PageCompression.decompress(valueBytes, codec: codec, uncompressedSize: uncompressedValues)
        try page.withRawBytes { (bytes) throws(ParquetError) in
          try appendSelected(rows, count: count, levels: levels, encoding: dataHeader.encoding, bytes: bytes)
        }
      } else {
        try appendSelected(rows, count: count, levels: levels, encoding: dataHeader.encoding, bytes: valueBytes)
      }
    }
  }

  /// Keeps page rows `rows` (ascending, within the page's `count`); `levels` are the page's
  /// definition levels, nil when every value is present.
  private mutating func appendSelected(
    _ rows: [Int32], count: Int, levels: [Int32]?, encoding: Encoding, bytes: UnsafeRawBufferPointer
  ) throws(ParquetError) {
    let maxLevel = Int32(leaf.maxDefinitionLevel)
    // The value index of each selected row that has a value: values are stored for present rows only.
    var picks: [Int32]
    var present = count
    if let levels {
      materializeElidedLevels()
      picks = []
      picks.reserveCapacity(rows.count)
      present = 0
      var next = 0
      for r in 0..<count {
        let level = levels[r]
        if next < rows.count && Int(rows[next]) == r {
          definition.append(level)
          if level == maxLevel { picks.append(Int32(truncatingIfNeeded: present)) }
          next += 1
        }
        if level == maxLevel { present += 1 }
      }
    } else {
      picks = rows
      if maxLevel > 0 {
        if canElideLevels {
          elidedLevels += rows.count
        } else {
          definition.append(contentsOf: repeatElement(maxLevel, count: rows.count))
        }
      }
    }
    levelCount += rows.count
    if case .null = leaf.type { return }
    switch encoding {
    case .plainDictionary, .rleDictionary:
      guard let dictionary else { throw ParquetError(.corrupt, "dictionary-encoded page before any dictionary page") }
      let indices = try ValueDecoding.decodeDictionaryIndices(bytes, count: present, dictionaryCount: dictionary.count)
      try appendDictionaryIndices(picks.map { indices[Int($0)] }, of: dictionary)
    default:
      try leaveDictionaryEncoding()
      try appendSelectedValues(encoding: encoding, count: present, picks: picks, bytes: bytes)
    }
  }
}
