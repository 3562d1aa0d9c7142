/// The header of a version 1 data page.
public struct DataPageHeader: ThriftStruct, Equatable {
  /// Values in the page, nulls included.
  public var numValues: Int32
  public var encoding: Encoding
  public var definitionLevelEncoding: Encoding
  public var repetitionLevelEncoding: Encoding
  public var statistics: Statistics?

  public init(
    numValues: Int32, encoding: Encoding = .plain, definitionLevelEncoding: Encoding = .rle,
    repetitionLevelEncoding: Encoding = .rle, statistics: Statistics? = nil
  ) {
    self.numValues = numValues
    self.encoding = encoding
    self.definitionLevelEncoding = definitionLevelEncoding
    self.repetitionLevelEncoding = repetitionLevelEncoding
    self.statistics = statistics
  }

  static let descriptor = ThriftStructDescriptor(
    "DataPageHeader",
    fields: ["", "num_values", "encoding", "definition_level_encoding", "repetition_level_encoding", "statistics"])

  public init(from reader: inout ThriftCompactReader) throws {
    var numValues: Int32?
    var encoding: Encoding?
    var definitionLevelEncoding: Encoding?
    var repetitionLevelEncoding: Encoding?
    var statistics: Statistics?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: numValues = try reader.readI32(field)
      case 2: encoding = try Encoding(from: &reader, field)
      case 3: definitionLevelEncoding = try Encoding(from: &reader, field)
      case 4: repetitionLevelEncoding = try Encoding(from: &reader, field)
      case 5: statistics = try reader.readStruct(field, as: Statistics.self)
      default: try reader.skip(field)
      }
    }
    let name = "DataPageHeader"
    guard let numValues else { throw missingField(name, "num_values") }
    guard let encoding else { throw missingField(name, "encoding") }
    guard let definitionLevelEncoding else { throw missingField(name, "definition_level_encoding") }
    guard let repetitionLevelEncoding else { throw missingField(name, "repetition_level_encoding") }
    self.init(
      numValues: numValues, encoding: encoding, definitionLevelEncoding: definitionLevelEncoding,
      repetitionLevelEncoding: repetitionLevelEncoding, statistics: statistics)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: numValues)
    writer.writeField(2, i32: encoding.rawValue)
    writer.writeField(3, i32: definitionLevelEncoding.rawValue)
    writer.writeField(4, i32: repetitionLevelEncoding.rawValue)
    if let statistics { writer.writeField(5, struct: statistics) }
    writer.writeStructEnd()
  }
}

/// The header of an index page; the spec defines no fields.
public struct IndexPageHeader: ThriftStruct, Equatable {
  public init() {}

  static let descriptor = ThriftStructDescriptor("IndexPageHeader", fields: [])

  public init(from reader: inout ThriftCompactReader) throws {
    try reader.readStruct(Self.descriptor) { reader, field in try reader.skip(field) }
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeStructEnd()
  }
}

/// The header of the dictionary page that precedes a chunk's data pages.
public struct DictionaryPageHeader: ThriftStruct, Equatable {
  /// Entries in the dictionary.
  public var numValues: Int32
  public var encoding: Encoding
  public var isSorted: Bool?

  public init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
    self.numValues = numValues
    self.encoding = encoding
    self.isSorted = isSorted
  }

  static let descriptor = ThriftStructDescriptor(
    "DictionaryPageHeader", fields: ["", "num_values", "encoding", "is_sorted"])

  public init(from reader: inout ThriftCompactReader) throws {
    var numValues: Int32?
    var encoding: Encoding?
    var isSorted: Bool?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: numValues = try reader.readI32(field)
      case 2: encoding = try Encoding(from: &reader, field)
      case 3: isSorted = try reader.readBool(field)
      default: try reader.skip(field)
      }
    }
    guard let numValues else { throw missingField("DictionaryPageHeader", "num_values") }
    guard let encoding else { throw missingField("DictionaryPageHeader", "encoding") }
    self.init(numValues: numValues, encoding: encoding, isSorted: isSorted)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: numValues)
    writer.writeField(2, i32: encoding.rawValue)
    if let isSorted { writer.writeField(3, bool: isSorted) }
    writer.writeStructEnd()
  }
}

/// The header of a version 2 data page, whose levels are stored uncompressed before the
/// (possibly compressed) values.
public struct DataPageHeaderV2: ThriftStruct, Equatable {
  /// Values in the page, nulls included.
  public var numValues: Int32
  public var numNulls: Int32
  public var numRows: Int32
  public var encoding: Encoding
  public var definitionLevelsByteLength: Int32
  public var repetitionLevelsByteLength: Int32
  /// Whether the values section is compressed; nil means true, the spec's default.
  public var isCompressed: Bool?
  public var statistics: Statistics?

  public init(
    numValues: Int32, numNulls: Int32 = 0, numRows: Int32, encoding: Encoding = .plain,
    definitionLevelsByteLength: Int32 = 0, repetitionLevelsByteLength: Int32 = 0, isCompressed: Bool? = nil,
    statistics: Statistics? = nil
  ) {
    self.numValues = numValues
    self.numNulls = numNulls
    self.numRows = numRows
    self.encoding = encoding
    self.definitionLevelsByteLength = definitionLevelsByteLength
    self.repetitionLevelsByteLength = repetitionLevelsByteLength
    self.isCompressed = isCompressed
    self.statistics = statistics
  }

  static let descriptor = ThriftStructDescriptor(
    "DataPageHeaderV2",
    fields: [
      "", "num_values", "num_nulls", "num_rows", "encoding", "definition_levels_byte_length",
      "repetition_levels_byte_length", "is_compressed", "statistics",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var values = [Int32?](repeating: nil, count: 7)
    var encoding: Encoding?
    var isCompressed: Bool?
    var statistics: Statistics?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1, 2, 3, 5, 6: values[Int(field.id)] = try reader.readI32(field)
      case 4: encoding = try Encoding(from: &reader, field)
      case 7: isCompressed = try reader.readBool(field)
      case 8: statistics = try reader.readStruct(field, as: Statistics.self)
      default: try reader.skip(field)
      }
    }
    let name = "DataPageHeaderV2"
    guard let numValues = values[1] else { throw missingField(name, "num_values") }
    guard let numNulls = values[2] else { throw missingField(name, "num_nulls") }
    guard let numRows = values[3] else { throw missingField(name, "num_rows") }
    guard let encoding else { throw missingField(name, "encoding") }
    guard let definitionLength = values[5] else { throw missingField(name, "definition_levels_byte_length") }
    guard let repetitionLength = values[6] else { throw missingField(name, "repetition_levels_byte_length") }
    self.init(
      numValues: numValues, numNulls: numNulls, numRows: numRows, encoding: encoding,
      definitionLevelsByteLength: definitionLength, repetitionLevelsByteLength: repetitionLength,
      isCompressed: isCompressed, statistics: statistics)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: numValues)
    writer.writeField(2, i32: numNulls)
    writer.writeField(3, i32: numRows)
    writer.writeField(4, i32: encoding.rawValue)
    writer.writeField(5, i32: definitionLevelsByteLength)
    writer.writeField(6, i32: repetitionLevelsByteLength)
    if let isCompressed { writer.writeField(7, bool: isCompressed) }
    if let statistics { writer.writeField(8, struct: statistics) }
    writer.writeStructEnd()
  }
}

/// The header in front of every page of a column chunk.
public struct PageHeader: ThriftStruct, Equatable {
  public var type: PageType
  /// Bytes of the page after the header, uncompressed.
  public var uncompressedPageSize: Int32
  /// Bytes of the page after the header, as stored.
  public var compressedPageSize: Int32
  /// CRC-32 of the stored page bytes after the header.
  public var crc: Int32?
  public var dataPageHeader: DataPageHeader?
  public var indexPageHeader: IndexPageHeader?
  public var dictionaryPageHeader: DictionaryPageHeader?
  public var dataPageHeaderV2: DataPageHeaderV2?

  public init(
    type: PageType, uncompressedPageSize: Int32 = 0, compressedPageSize: Int32 = 0, crc: Int32? = nil,
    dataPageHeader: DataPageHeader? = nil, indexPageHeader: IndexPageHeader? = nil,
    dictionaryPageHeader: DictionaryPageHeader? = nil, dataPageHeaderV2: DataPageHeaderV2? = nil
  ) {
    self.type = type
    self.uncompressedPageSize = uncompressedPageSize
    self.compressedPageSize = compressedPageSize
    self.crc = crc
    self.dataPageHeader = dataPageHeader
    self.indexPageHeader = indexPageHeader
    self.dictionaryPageHeader = dictionaryPageHeader
    self.dataPageHeaderV2 = dataPageHeaderV2
  }

  static let descriptor = ThriftStructDescriptor(
    "PageHeader",
    fields: [
      "", "type", "uncompressed_page_size", "compressed_page_size", "crc", "data_page_header",
      "index_page_header", "dictionary_page_header", "data_page_header_v2",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var type: PageType?
    var uncompressedPageSize: Int32?
    var compressedPageSize: Int32?
    self.init(type: .dataPage)
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: type = try PageType(from: &reader, field)
      case 2: uncompressedPageSize = try reader.readI32(field)
      case 3: compressedPageSize = try reader.readI32(field)
      case 4: crc = try reader.readI32(field)
      case 5: dataPageHeader = try reader.readStruct(field, as: DataPageHeader.self)
      case 6: indexPageHeader = try reader.readStruct(field, as: IndexPageHeader.self)
      case 7: dictionaryPageHeader = try reader.readStruct(field, as: DictionaryPageHeader.self)
      case 8: dataPageHeaderV2 = try reader.readStruct(field, as: DataPageHeaderV2.self)
      default: try reader.skip(field)
      }
    }
    guard let type else { throw missingField("PageHeader", "type") }
    guard let uncompressedPageSize else { throw missingField("PageHeader", "uncompressed_page_size") }
    guard let compressedPageSize else { throw missingField("PageHeader", "compressed_page_size") }
    self.type = type
    self.uncompressedPageSize = uncompressedPageSize
    self.compressedPageSize = compressedPageSize
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: type.rawValue)
    writer.writeField(2, i32: uncompressedPageSize)
    writer.writeField(3, i32: compressedPageSize)
    if let crc { writer.writeField(4, i32: crc) }
    if let dataPageHeader { writer.writeField(5, struct: dataPageHeader) }
    if let indexPageHeader { writer.writeField(6, struct: indexPageHeader) }
    if let dictionaryPageHeader { writer.writeField(7, struct: dictionaryPageHeader) }
    if let dataPageHeaderV2 { writer.writeField(8, struct: dataPageHeaderV2) }
    writer.writeStructEnd()
  }

  /// Decodes the page header at the start of `bytes` (page data may follow) and returns
  /// it with the number of bytes it took, i.e. the offset of the page data.
  public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (header: PageHeader, length: Int) {
    var reader = ThriftCompactReader(bytes)
    let header = try PageHeader(from: &reader)
    return (header, reader.position)
  }

  /// Decodes the page header at the start of `bytes`, returning it and its length.
  public static func decode(_ bytes: [UInt8]) throws -> (header: PageHeader, length: Int) {
    try bytes.withUnsafeBytes { try decode($0) }
  }

  /// The serialized header.
  public func encoded() -> [UInt8] {
    var writer = ThriftCompactWriter(reservingCapacity: 64)
    write(to: &writer)
    return writer.bytes
  }

  /// Appends the serialized header to `bytes`.
  public func encode(into bytes: inout [UInt8]) {
    bytes.append(contentsOf: encoded())
  }
}
