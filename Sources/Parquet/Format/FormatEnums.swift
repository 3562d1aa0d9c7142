// Enums of parquet.thrift. The open ones are RawRepresentable structs so that values
// added by later format versions pass through instead of failing the whole footer.

/// The physical (storage) type of a leaf column.
public enum PhysicalType: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case boolean = 0
  case int32 = 1
  case int64 = 2
  case int96 = 3
  case float = 4
  case double = 5
  case byteArray = 6
  case fixedLenByteArray = 7

  public var description: String {
    switch self {
    case .boolean: "BOOLEAN"
    case .int32: "INT32"
    case .int64: "INT64"
    case .int96: "INT96"
    case .float: "FLOAT"
    case .double: "DOUBLE"
    case .byteArray: "BYTE_ARRAY"
    case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
    }
  }

  /// Reads the enum value; a value outside the spec is corrupt.
  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    let raw = try reader.readI32(field)
    guard let value = PhysicalType(rawValue: raw) else {
      throw ParquetError(.corrupt, "unknown physical type \(raw)")
    }
    self = value
  }
}

/// Whether a schema field is required, optional or repeated.
///
/// The spec's newer VECTOR (3) is not supported: decoding it throws `.unsupported`.
public enum FieldRepetitionType: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case required = 0
  case optional = 1
  case repeated = 2

  public var description: String {
    switch self {
    case .required: "REQUIRED"
    case .optional: "OPTIONAL"
    case .repeated: "REPEATED"
    }
  }

  /// Reads the enum value; a value this library does not know is unsupported.
  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    let raw = try reader.readI32(field)
    guard let value = FieldRepetitionType(rawValue: raw) else {
      let name = raw == 3 ? "VECTOR (3)" : "\(raw)"
      throw ParquetError(.unsupported, "repetition type \(name) is not supported")
    }
    self = value
  }
}

/// How the values or levels of a page are encoded. Unknown values survive decoding and re-encoding.
public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `PLAIN`
  public static let plain = Encoding(rawValue: 0)
  /// `PLAIN_DICTIONARY`
  public static let plainDictionary = Encoding(rawValue: 2)
  /// `RLE`
  public static let rle = Encoding(rawValue: 3)
  /// `BIT_PACKED`
  public static let bitPacked = Encoding(rawValue: 4)
  /// `DELTA_BINARY_PACKED`
  public static let deltaBinaryPacked = Encoding(rawValue: 5)
  /// `DELTA_LENGTH_BYTE_ARRAY`
  public static let deltaLengthByteArray = Encoding(rawValue: 6)
  /// `DELTA_BYTE_ARRAY`
  public static let deltaByteArray = Encoding(rawValue: 7)
  /// `RLE_DICTIONARY`
  public static let rleDictionary = Encoding(rawValue: 8)
  /// `BYTE_STREAM_SPLIT`
  public static let byteStreamSplit = Encoding(rawValue: 9)

  /// Every value the spec defines, in numeric order.
  public static let known: [Encoding] = [
    .plain, .plainDictionary, .rle, .bitPacked, .deltaBinaryPacked, .deltaLengthByteArray, .deltaByteArray,
    .rleDictionary, .byteStreamSplit,
  ]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "PLAIN"
    case 2: "PLAIN_DICTIONARY"
    case 3: "RLE"
    case 4: "BIT_PACKED"
    case 5: "DELTA_BINARY_PACKED"
    case 6: "DELTA_LENGTH_BYTE_ARRAY"
    case 7: "DELTA_BYTE_ARRAY"
    case 8: "RLE_DICTIONARY"
    case 9: "BYTE_STREAM_SPLIT"
    default: "Encoding(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}

/// The compression of a column chunk's pages. Unknown values survive decoding and re-encoding.
public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `UNCOMPRESSED`
  public static let uncompressed = CompressionCodec(rawValue: 0)
  /// `SNAPPY`
  public static let snappy = CompressionCodec(rawValue: 1)
  /// `GZIP`
  public static let gzip = CompressionCodec(rawValue: 2)
  /// `LZO`
  public static let lzo = CompressionCodec(rawValue: 3)
  /// `BROTLI`
  public static let brotli = CompressionCodec(rawValue: 4)
  /// `LZ4`
  public static let lz4 = CompressionCodec(rawValue: 5)
  /// `ZSTD`
  public static let zstd = CompressionCodec(rawValue: 6)
  /// `LZ4_RAW`
  public static let lz4Raw = CompressionCodec(rawValue: 7)

  /// Every value the spec defines, in numeric order.
  public static let known: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .lzo, .brotli, .lz4, .zstd, .lz4Raw]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "UNCOMPRESSED"
    case 1: "SNAPPY"
    case 2: "GZIP"
    case 3: "LZO"
    case 4: "BROTLI"
    case 5: "LZ4"
    case 6: "ZSTD"
    case 7: "LZ4_RAW"
    default: "CompressionCodec(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}

/// The kind of a page. Unknown values survive decoding and re-encoding.
public struct PageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `DATA_PAGE`
  public static let dataPage = PageType(rawValue: 0)
  /// `INDEX_PAGE`
  public static let indexPage = PageType(rawValue: 1)
  /// `DICTIONARY_PAGE`
  public static let dictionaryPage = PageType(rawValue: 2)
  /// `DATA_PAGE_V2`
  public static let dataPageV2 = PageType(rawValue: 3)

  /// Every value the spec defines, in numeric order.
  public static let known: [PageType] = [.dataPage, .indexPage, .dictionaryPage, .dataPageV2]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "DATA_PAGE"
    case 1: "INDEX_PAGE"
    case 2: "DICTIONARY_PAGE"
    case 3: "DATA_PAGE_V2"
    default: "PageType(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}

/// Whether the page bounds of a column index are ordered. Unknown values survive decoding and re-encoding.
public struct BoundaryOrder: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `UNORDERED`
  public static let unordered = BoundaryOrder(rawValue: 0)
  /// `ASCENDING`
  public static let ascending = BoundaryOrder(rawValue: 1)
  /// `DESCENDING`
  public static let descending = BoundaryOrder(rawValue: 2)

  /// Every value the spec defines, in numeric order.
  public static let known: [BoundaryOrder] = [.unordered, .ascending, .descending]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "UNORDERED"
    case 1: "ASCENDING"
    case 2: "DESCENDING"
    default: "BoundaryOrder(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}

/// How the edges of a GEOGRAPHY value are interpolated. Unknown values survive decoding and re-encoding.
public struct EdgeInterpolationAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `SPHERICAL`
  public static let spherical = EdgeInterpolationAlgorithm(rawValue: 0)
  /// `VINCENTY`
  public static let vincenty = EdgeInterpolationAlgorithm(rawValue: 1)
  /// `THOMAS`
  public static let thomas = EdgeInterpolationAlgorithm(rawValue: 2)
  /// `ANDOYER`
  public static let andoyer = EdgeInterpolationAlgorithm(rawValue: 3)
  /// `KARNEY`
  public static let karney = EdgeInterpolationAlgorithm(rawValue: 4)

  /// Every value the spec defines, in numeric order.
  public static let known: [EdgeInterpolationAlgorithm] = [.spherical, .vincenty, .thomas, .andoyer, .karney]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "SPHERICAL"
    case 1: "VINCENTY"
    case 2: "THOMAS"
    case 3: "ANDOYER"
    case 4: "KARNEY"
    default: "EdgeInterpolationAlgorithm(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}

/// The deprecated logical annotation of a schema element, superseded by ``LogicalType``. Unknown values survive decoding and re-encoding.
public struct ConvertedType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public var rawValue: Int32
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// `UTF8`
  public static let utf8 = ConvertedType(rawValue: 0)
  /// `MAP`
  public static let map = ConvertedType(rawValue: 1)
  /// `MAP_KEY_VALUE`
  public static let mapKeyValue = ConvertedType(rawValue: 2)
  /// `LIST`
  public static let list = ConvertedType(rawValue: 3)
  /// `ENUM`
  public static let `enum` = ConvertedType(rawValue: 4)
  /// `DECIMAL`
  public static let decimal = ConvertedType(rawValue: 5)
  /// `DATE`
  public static let date = ConvertedType(rawValue: 6)
  /// `TIME_MILLIS`
  public static let timeMillis = ConvertedType(rawValue: 7)
  /// `TIME_MICROS`
  public static let timeMicros = ConvertedType(rawValue: 8)
  /// `TIMESTAMP_MILLIS`
  public static let timestampMillis = ConvertedType(rawValue: 9)
  /// `TIMESTAMP_MICROS`
  public static let timestampMicros = ConvertedType(rawValue: 10)
  /// `UINT_8`
  public static let uint8 = ConvertedType(rawValue: 11)
  /// `UINT_16`
  public static let uint16 = ConvertedType(rawValue: 12)
  /// `UINT_32`
  public static let uint32 = ConvertedType(rawValue: 13)
  /// `UINT_64`
  public static let uint64 = ConvertedType(rawValue: 14)
  /// `INT_8`
  public static let int8 = ConvertedType(rawValue: 15)
  /// `INT_16`
  public static let int16 = ConvertedType(rawValue: 16)
  /// `INT_32`
  public static let int32 = ConvertedType(rawValue: 17)
  /// `INT_64`
  public static let int64 = ConvertedType(rawValue: 18)
  /// `JSON`
  public static let json = ConvertedType(rawValue: 19)
  /// `BSON`
  public static let bson = ConvertedType(rawValue: 20)
  /// `INTERVAL`
  public static let interval = ConvertedType(rawValue: 21)

  /// Every value the spec defines, in numeric order.
  public static let known: [ConvertedType] = [
    .utf8, .map, .mapKeyValue, .list, .`enum`, .decimal, .date, .timeMillis, .timeMicros, .timestampMillis,
    .timestampMicros, .uint8, .uint16, .uint32, .uint64, .int8, .int16, .int32, .int64, .json, .bson, .interval,
  ]

  /// The spec's name, or the number for a value this library does not know.
  public var description: String {
    switch rawValue {
    case 0: "UTF8"
    case 1: "MAP"
    case 2: "MAP_KEY_VALUE"
    case 3: "LIST"
    case 4: "ENUM"
    case 5: "DECIMAL"
    case 6: "DATE"
    case 7: "TIME_MILLIS"
    case 8: "TIME_MICROS"
    case 9: "TIMESTAMP_MILLIS"
    case 10: "TIMESTAMP_MICROS"
    case 11: "UINT_8"
    case 12: "UINT_16"
    case 13: "UINT_32"
    case 14: "UINT_64"
    case 15: "INT_8"
    case 16: "INT_16"
    case 17: "INT_32"
    case 18: "INT_64"
    case 19: "JSON"
    case 20: "BSON"
    case 21: "INTERVAL"
    default: "ConvertedType(\(rawValue))"
    }
  }

  init(from reader: inout ThriftCompactReader, _ field: ThriftFieldHeader) throws {
    self.init(rawValue: try reader.readI32(field))
  }
}
