/// How many pages of one type used one encoding in a column chunk.
public struct PageEncodingStats: ThriftStruct, Equatable {
  public var pageType: PageType
  public var encoding: Encoding
  public var count: Int32

  public init(pageType: PageType, encoding: Encoding, count: Int32) {
    self.pageType = pageType
    self.encoding = encoding
    self.count = count
  }

  static let descriptor = ThriftStructDescriptor("PageEncodingStats", fields: ["", "page_type", "encoding", "count"])

  public init(from reader: inout ThriftCompactReader) throws {
    var pageType: PageType?
    var encoding: Encoding?
    var count: Int32?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: pageType = try PageType(from: &reader, field)
      case 2: encoding = try Encoding(from: &reader, field)
      case 3: count = try reader.readI32(field)
      default: try reader.skip(field)
      }
    }
    guard let pageType else { throw missingField("PageEncodingStats", "page_type") }
    guard let encoding else { throw missingField("PageEncodingStats", "encoding") }
    guard let count else { throw missingField("PageEncodingStats", "count") }
    self.init(pageType: pageType, encoding: encoding, count: count)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: pageType.rawValue)
    writer.writeField(2, i32: encoding.rawValue)
    writer.writeField(3, i32: count)
    writer.writeStructEnd()
  }
}

/// The metadata of one column chunk: where its pages are, how they are encoded and
/// compressed, and its statistics.
public struct ColumnMetaData: ThriftStruct, Equatable {
  public var type: PhysicalType
  /// Every encoding used by the chunk's pages (values and levels).
  public var encodings: [Encoding]
  /// The names from the schema root (exclusive) down to this leaf.
  public var pathInSchema: [String]
  public var codec: CompressionCodec
  /// The number of values, nulls included.
  public var numValues: Int64
  /// Bytes of all pages uncompressed, headers included.
  public var totalUncompressedSize: Int64
  /// Bytes of all pages as stored, headers included.
  public var totalCompressedSize: Int64
  public var keyValueMetadata: [KeyValue]?
  /// File offset of the first data page.
  public var dataPageOffset: Int64
  public var indexPageOffset: Int64?
  /// File offset of the dictionary page, which precedes the data pages.
  public var dictionaryPageOffset: Int64?
  public var statistics: Statistics?
  public var encodingStats: [PageEncodingStats]?
  public var bloomFilterOffset: Int64?
  public var bloomFilterLength: Int32?
  public var sizeStatistics: SizeStatistics?
  public var geospatialStatistics: GeospatialStatistics?

  public init(
    type: PhysicalType, encodings: [Encoding] = [], pathInSchema: [String] = [],
    codec: CompressionCodec = .uncompressed, numValues: Int64 = 0, totalUncompressedSize: Int64 = 0,
    totalCompressedSize: Int64 = 0, keyValueMetadata: [KeyValue]? = nil, dataPageOffset: Int64 = 0,
    indexPageOffset: Int64? = nil, dictionaryPageOffset: Int64? = nil, statistics: Statistics? = nil,
    encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
    bloomFilterLength: Int32? = nil, sizeStatistics: SizeStatistics? = nil,
    geospatialStatistics: GeospatialStatistics? = nil
  ) {
    self.type = type
    self.encodings = encodings
    self.pathInSchema = pathInSchema
    self.codec = codec
    self.numValues = numValues
    self.totalUncompressedSize = totalUncompressedSize
    self.totalCompressedSize = totalCompressedSize
    self.keyValueMetadata = keyValueMetadata
    self.dataPageOffset = dataPageOffset
    self.indexPageOffset = indexPageOffset
    self.dictionaryPageOffset = dictionaryPageOffset
    self.statistics = statistics
    self.encodingStats = encodingStats
    self.bloomFilterOffset = bloomFilterOffset
    self.bloomFilterLength = bloomFilterLength
    self.sizeStatistics = sizeStatistics
    self.geospatialStatistics = geospatialStatistics
  }

  static let descriptor = ThriftStructDescriptor(
    "ColumnMetaData",
    fields: [
      "", "type", "encodings", "path_in_schema", "codec", "num_values", "total_uncompressed_size",
      "total_compressed_size", "key_value_metadata", "data_page_offset", "index_page_offset",
      "dictionary_page_offset", "statistics", "encoding_stats", "bloom_filter_offset", "bloom_filter_length",
      "size_statistics", "geospatial_statistics",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var type: PhysicalType?
    var encodings: [Encoding]?
    var pathInSchema: [String]?
    var codec: CompressionCodec?
    var numValues: Int64?
    var totalUncompressedSize: Int64?
    var totalCompressedSize: Int64?
    var dataPageOffset: Int64?
    self.init(type: .boolean)
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: type = try PhysicalType(from: &reader, field)
      case 2: encodings = try reader.readI32List(field).map(Encoding.init(rawValue:))
      case 3: pathInSchema = try reader.readStringList(field)
      case 4: codec = try CompressionCodec(from: &reader, field)
      case 5: numValues = try reader.readI64(field)
      case 6: totalUncompressedSize = try reader.readI64(field)
      case 7: totalCompressedSize = try reader.readI64(field)
      case 8: keyValueMetadata = try reader.readStructList(field, of: KeyValue.self)
      case 9: dataPageOffset = try reader.readI64(field)
      case 10: indexPageOffset = try reader.readI64(field)
      case 11: dictionaryPageOffset = try reader.readI64(field)
      case 12: statistics = try reader.readStruct(field, as: Statistics.self)
      case 13: encodingStats = try reader.readStructList(field, of: PageEncodingStats.self)
      case 14: bloomFilterOffset = try reader.readI64(field)
      case 15: bloomFilterLength = try reader.readI32(field)
      case 16: sizeStatistics = try reader.readStruct(field, as: SizeStatistics.self)
      case 17: geospatialStatistics = try reader.readStruct(field, as: GeospatialStatistics.self)
      default: try reader.skip(field)
      }
    }
    let name = "ColumnMetaData"
    guard let type else { throw missingField(name, "type") }
    guard let encodings else { throw missingField(name, "encodings") }
    guard let pathInSchema else { throw missingField(name, "path_in_schema") }
    guard let codec else { throw missingField(name, "codec") }
    guard let numValues else { throw missingField(name, "num_values") }
    guard let totalUncompressedSize else { throw missingField(name, "total_uncompressed_size") }
    guard let totalCompressedSize else { throw missingField(name, "total_compressed_size") }
    guard let dataPageOffset else { throw missingField(name, "data_page_offset") }
    self.type = type
    self.encodings = encodings
    self.pathInSchema = pathInSchema
    self.codec = codec
    self.numValues = numValues
    self.totalUncompressedSize = totalUncompressedSize
    self.totalCompressedSize = totalCompressedSize
    self.dataPageOffset = dataPageOffset
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: type.rawValue)
    writer.writeField(2, i32List: encodings.map(\.rawValue))
    writer.writeField(3, stringList: pathInSchema)
    writer.writeField(4, i32: codec.rawValue)
    writer.writeField(5, i64: numValues)
    writer.writeField(6, i64: totalUncompressedSize)
    writer.writeField(7, i64: totalCompressedSize)
    if let keyValueMetadata { writer.writeField(8, structs: keyValueMetadata) }
    writer.writeField(9, i64: dataPageOffset)
    if let indexPageOffset { writer.writeField(10, i64: indexPageOffset) }
    if let dictionaryPageOffset { writer.writeField(11, i64: dictionaryPageOffset) }
    if let statistics { writer.writeField(12, struct: statistics) }
    if let encodingStats { writer.writeField(13, structs: encodingStats) }
    if let bloomFilterOffset { writer.writeField(14, i64: bloomFilterOffset) }
    if let bloomFilterLength { writer.writeField(15, i32: bloomFilterLength) }
    if let sizeStatistics { writer.writeField(16, struct: sizeStatistics) }
    if let geospatialStatistics { writer.writeField(17, struct: geospatialStatistics) }
    writer.writeStructEnd()
  }
}

/// One column of one row group: its metadata and the location of its page index.
///
/// Encrypted columns (`crypto_metadata`) are not modelled; that field is skipped.
public struct ColumnChunk: ThriftStruct, Equatable {
  /// The file holding the data, relative to this one; nil means this file.
  public var filePath: String?
  /// Deprecated offset of a copy of the metadata; writers set 0.
  public var fileOffset: Int64
  /// Required in practice although the spec marks it optional.
  public var metaData: ColumnMetaData?
  public var offsetIndexOffset: Int64?
  public var offsetIndexLength: Int32?
  public var columnIndexOffset: Int64?
  public var columnIndexLength: Int32?
  /// The encrypted ``ColumnMetaData`` of an encrypted column.
  public var encryptedColumnMetadata: [UInt8]?

  public init(
    filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData? = nil,
    offsetIndexOffset: Int64? = nil, offsetIndexLength: Int32? = nil, columnIndexOffset: Int64? = nil,
    columnIndexLength: Int32? = nil, encryptedColumnMetadata: [UInt8]? = nil
  ) {
    self.filePath = filePath
    self.fileOffset = fileOffset
    self.metaData = metaData
    self.offsetIndexOffset = offsetIndexOffset
    self.offsetIndexLength = offsetIndexLength
    self.columnIndexOffset = columnIndexOffset
    self.columnIndexLength = columnIndexLength
    self.encryptedColumnMetadata = encryptedColumnMetadata
  }

  static let descriptor = ThriftStructDescriptor(
    "ColumnChunk",
    fields: [
      "", "file_path", "file_offset", "meta_data", "offset_index_offset", "offset_index_length",
      "column_index_offset", "column_index_length", "crypto_metadata", "encrypted_column_metadata",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var fileOffset: Int64?
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: filePath = try reader.readString(field)
      case 2: fileOffset = try reader.readI64(field)
      case 3: metaData = try reader.readStruct(field, as: ColumnMetaData.self)
      case 4: offsetIndexOffset = try reader.readI64(field)
      case 5: offsetIndexLength = try reader.readI32(field)
      case 6: columnIndexOffset = try reader.readI64(field)
      case 7: columnIndexLength = try reader.readI32(field)
      case 9: encryptedColumnMetadata = try reader.readBinary(field)
      default: try reader.skip(field)
      }
    }
    guard let fileOffset else { throw missingField("ColumnChunk", "file_offset") }
    self.fileOffset = fileOffset
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    if let filePath { writer.writeField(1, string: filePath) }
    writer.writeField(2, i64: fileOffset)
    if let metaData { writer.writeField(3, struct: metaData) }
    if let offsetIndexOffset { writer.writeField(4, i64: offsetIndexOffset) }
    if let offsetIndexLength { writer.writeField(5, i32: offsetIndexLength) }
    if let columnIndexOffset { writer.writeField(6, i64: columnIndexOffset) }
    if let columnIndexLength { writer.writeField(7, i32: columnIndexLength) }
    if let encryptedColumnMetadata { writer.writeField(9, binary: encryptedColumnMetadata) }
    writer.writeStructEnd()
  }
}
