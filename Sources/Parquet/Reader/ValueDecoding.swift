/// Dispatches a page's values to the decoder of its encoding and physical type, appending to the
/// chunk's dense values.
enum ValueDecoding {
  /// Decodes `count` values encoded with `encoding` from `bytes`; returns the bytes consumed.
  @discardableResult
  static func decode(
    encoding: Encoding, physical: PhysicalType, typeLength: Int, count: Int, bytes: UnsafeRawBufferPointer,
    into values: inout DenseValues
  ) throws(ParquetError) -> Int {
    guard count > 0 else { return 0 }
    switch (encoding, physical) {
    case (.plain, _):
      var decoder = PlainDecoder(bytes)
      switch physical {
      case .boolean: try values.appendBooleans(count) { (out) throws(ParquetError) in try decoder.decodeBooleans(into: out) }
      case .int32: try values.appendInt32(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .int64: try values.appendInt64(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .int96: try values.appendInt64(count) { (out) throws(ParquetError) in try decoder.decodeInt96AsNanos(into: out) }
      case .float: try values.appendFloat(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .double: try values.appendDouble(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .byteArray:
        try values.appendBytes { (offsets, data) throws(ParquetError) in
          try decoder.decodeByteArrays(count: count, offsets: &offsets, bytes: &data)
        }
      case .fixedLenByteArray:
        try values.appendBytes { (offsets, data) throws(ParquetError) in
          try decoder.decodeFixedLenByteArrays(count: count, width: typeLength, offsets: &offsets, bytes: &data)
        }
      }
      return decoder.consumed
    case (.rle, .boolean):
      var (decoder, consumed) = try RLEHybridDecoder.booleans(bytes)
      try values.appendBooleans(count) { (out) throws(ParquetError) in try decoder.decodeBooleans(into: out) }
      return consumed
    case (.deltaBinaryPacked, .int32):
      var decoder = try DeltaBinaryPackedDecoder(bytes, valueBits: 32, maxValues: count)
      try values.appendInt32(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      return try decoder.endOffset()
    case (.deltaBinaryPacked, .int64):
      var decoder = try DeltaBinaryPackedDecoder(bytes, valueBits: 64, maxValues: count)
      try values.appendInt64(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      return try decoder.endOffset()
    case (.deltaLengthByteArray, .byteArray):
      var decoder = try DeltaLengthByteArrayDecoder(bytes, maxValues: count)
      try values.appendBytes { (offsets, data) throws(ParquetError) in
        try decoder.decode(count: count, offsets: &offsets, bytes: &data)
      }
      return decoder.consumed
    case (.deltaByteArray, .byteArray), (.deltaByteArray, .fixedLenByteArray):
      var decoder = try DeltaByteArrayDecoder(
        bytes, maxValues: count, fixedWidth: physical == .fixedLenByteArray ? typeLength : nil)
      try values.appendBytes { (offsets, data) throws(ParquetError) in
        try decoder.decode(count: count, offsets: &offsets, bytes: &data)
      }
      return bytes.count
    case (.byteStreamSplit, _):
      let width: Int
      switch physical {
      case .int32, .float: width = 4
      case .int64, .double: width = 8
      case .fixedLenByteArray: width = typeLength
      default: throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT is not defined for \(physical)")
      }
      guard width > 0, bytes.count >= count * width else {
        throw ParquetError(.truncated, "BYTE_STREAM_SPLIT: \(bytes.count) bytes hold fewer than \(count) values")
      }
      var decoder = try ByteStreamSplitDecoder(UnsafeRawBufferPointer(rebasing: bytes[0..<(count * width)]), width: width)
      switch physical {
      case .int32: try values.appendInt32(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .int64: try values.appendInt64(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .float: try values.appendFloat(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      case .double: try values.appendDouble(count) { (out) throws(ParquetError) in try decoder.decode(into: out) }
      default:
        try values.appendBytes { (offsets, data) throws(ParquetError) in
          try decoder.decodeFixedLenByteArrays(count: count, offsets: &offsets, bytes: &data)
        }
      }
      return count * width
    default:
      throw ParquetError(.unsupported, "encoding \(encoding) is not supported for \(physical) values")
    }
  }

  /// `count` dictionary indices of an RLE_DICTIONARY (or PLAIN_DICTIONARY) page, validated.
  static func decodeDictionaryIndices(_ bytes: UnsafeRawBufferPointer, count: Int, dictionaryCount: Int)
    throws(ParquetError) -> [Int32]
  {
    guard count > 0 else { return [] }
    var decoder = try RLEHybridDecoder.dictionaryIndices(bytes)
    let indices = try [Int32](unsafeUninitializedCapacity: count) { (buffer, initialized) throws(ParquetError) in
      try decoder.decode(into: buffer)
      initialized = count
    }
    try indices.withUnsafeBufferPointer { (buffer) throws(ParquetError) in
      try DictionaryGather.validateIndices(buffer, dictionaryCount: dictionaryCount)
    }
    return indices
  }

  /// Appends `dictionary[index]` for every index (already validated) to `values`.
  static func gather(_ indices: [Int32], from dictionary: DenseValues, into values: inout DenseValues)
    throws(ParquetError)
  {
    let count = indices.count
    try indices.withUnsafeBufferPointer { (indices) throws(ParquetError) in
      switch dictionary {
      case .boolean(let dict):
        try values.appendBooleans(count) { (out) throws(ParquetError) in
          try dict.withUnsafeBufferPointer { (d) throws(ParquetError) in
            try DictionaryGather.gather(d, indices: indices, into: out.baseAddress!)
          }
        }
      case .int32(let dict):
        try values.appendInt32(count) { (out) throws(ParquetError) in
          try dict.withUnsafeBufferPointer { (d) throws(ParquetError) in
            try DictionaryGather.gather(d, indices: indices, into: out.baseAddress!)
          }
        }
      case .int64(let dict), .int96(let dict):
        try values.appendInt64(count) { (out) throws(ParquetError) in
          try dict.withUnsafeBufferPointer { (d) throws(ParquetError) in
            try DictionaryGather.gather(d, indices: indices, into: out.baseAddress!)
          }
        }
      case .float(let dict):
        try values.appendFloat(count) { (out) throws(ParquetError) in
          try dict.withUnsafeBufferPointer { (d) throws(ParquetError) in
            try DictionaryGather.gather(d, indices: indices, into: out.baseAddress!)
          }
        }
      case .double(let dict):
        try values.appendDouble(count) { (out) throws(ParquetError) in
          try dict.withUnsafeBufferPointer { (d) throws(ParquetError) in
            try DictionaryGather.gather(d, indices: indices, into: out.baseAddress!)
          }
        }
      case .bytes(let dictOffsets, let dictBytes):
        try values.appendBytes { (offsets, data) throws(ParquetError) in
          try dictOffsets.withUnsafeBufferPointer { (o) throws(ParquetError) in
            try dictBytes.withRawBytes { (b) throws(ParquetError) in
              try DictionaryGather.gatherByteArrays(
                dictionaryOffsets: o, dictionaryBytes: b, indices: indices, offsets: &offsets, bytes: &data)
            }
          }
        }
      }
    }
  }
}

/// Definition and repetition levels of data pages.
enum LevelDecoding {
  /// Levels of a v1 page starting at `from`: RLE with a 4-byte length, or the deprecated
  /// BIT_PACKED. Appends `count` levels and returns the bytes used.
  static func decodeV1(
    _ bytes: UnsafeRawBufferPointer, from position: Int, encoding: Encoding, maxLevel: Int, count: Int,
    into levels: inout [Int32], what: String
  ) throws(ParquetError) -> Int {
    let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
    let bitWidth = RLEHybridDecoder.bitWidth(forMaxLevel: maxLevel)
    switch encoding {
    case .rle:
      var (decoder, consumed) = try RLEHybridDecoder.levelsV1(rest, bitWidth: bitWidth)
      try append(count, to: &levels, maxLevel: maxLevel, what: what) { (out) throws(ParquetError) in
        try decoder.decode(into: out)
      }
      return consumed
    case .bitPacked:
      var decoder = try BitPackedLegacyDecoder(rest, bitWidth: bitWidth)
      try append(count, to: &levels, maxLevel: maxLevel, what: what) { (out) throws(ParquetError) in
        try decoder.decode(into: out)
      }
      return decoder.consumed
    default:
      throw ParquetError(.unsupported, "\(what) levels encoded as \(encoding)")
    }
  }

  /// Levels of a v2 page: RLE without a length prefix, `bytes` sized by the page header.
  static func decodeRLE(
    _ bytes: UnsafeRawBufferPointer, maxLevel: Int, count: Int, into levels: inout [Int32], what: String
  ) throws(ParquetError) {
    var decoder = try RLEHybridDecoder.levelsV2(bytes, bitWidth: RLEHybridDecoder.bitWidth(forMaxLevel: maxLevel))
    try append(count, to: &levels, maxLevel: maxLevel, what: what) { (out) throws(ParquetError) in
      try decoder.decode(into: out)
    }
  }

  /// Appends `count` levels decoded by `body`, then checks none exceeds `maxLevel`.
  private static func append(
    _ count: Int, to levels: inout [Int32], maxLevel: Int, what: String,
    _ body: (UnsafeMutableBufferPointer<Int32>) throws(ParquetError) -> Void
  ) throws(ParquetError) {
    let start = levels.count
    try EncodingBuffer.appendZeroed(&levels, count, body)
    var largest: Int32 = 0
    for index in start..<levels.count { largest = max(largest, levels[index]) }
    guard largest <= Int32(maxLevel) else {
      throw ParquetError(.corrupt, "\(what) level \(largest) exceeds the column's maximum \(maxLevel)")
    }
  }
}
