/// A key/value pair of application metadata.
public struct KeyValue: ThriftStruct, Equatable {
  public var key: String
  public var value: String?

  public init(key: String, value: String? = nil) {
    self.key = key
    self.value = value
  }

  static let descriptor = ThriftStructDescriptor("KeyValue", fields: ["", "key", "value"])

  public init(from reader: inout ThriftCompactReader) throws {
    var key: String?
    var value: String?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: key = try reader.readString(field)
      case 2: value = try reader.readString(field)
      default: try reader.skip(field)
      }
    }
    guard let key else { throw missingField("KeyValue", "key") }
    self.init(key: key, value: value)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, string: key)
    if let value { writer.writeField(2, string: value) }
    writer.writeStructEnd()
  }
}

/// The footer of a Parquet file: schema, row groups and file-level metadata.
///
/// The footer sits before the last 8 bytes of the file, which are its length (4 bytes,
/// little-endian) and the magic `PAR1`. The `encryption_algorithm` of files with a
/// plaintext footer is not modelled; that field is skipped.
public struct FileMetaData: ThriftStruct, Equatable {
  /// Format version; readers accept 1 and 2 alike.
  public var version: Int32
  /// The schema tree flattened depth-first; the first element is the root.
  public var schema: [SchemaElement]
  public var numRows: Int64
  public var rowGroups: [RowGroup]
  public var keyValueMetadata: [KeyValue]?
  /// The writing application, e.g. `parquet-cpp-arrow version 26.0.1`.
  public var createdBy: String?
  /// The sort order of each leaf column's statistics, in leaf order.
  public var columnOrders: [ColumnOrder]?
  /// Key metadata for verifying a signed plaintext footer.
  public var footerSigningKeyMetadata: [UInt8]?

  public init(
    version: Int32 = 1, schema: [SchemaElement] = [], numRows: Int64 = 0, rowGroups: [RowGroup] = [],
    keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
    footerSigningKeyMetadata: [UInt8]? = nil
  ) {
    self.version = version
    self.schema = schema
    self.numRows = numRows
    self.rowGroups = rowGroups
    self.keyValueMetadata = keyValueMetadata
    self.createdBy = createdBy
    self.columnOrders = columnOrders
    self.footerSigningKeyMetadata = footerSigningKeyMetadata
  }

  static let descriptor = ThriftStructDescriptor(
    "FileMetaData",
    fields: [
      "", "version", "schema", "num_rows", "row_groups", "key_value_metadata", "created_by", "column_orders",
      "encryption_algorithm", "footer_signing_key_metadata",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var version: Int32?
    var schema: [SchemaElement]?
    var numRows: Int64?
    var rowGroups: [RowGroup]?
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: version = try reader.readI32(field)
      case 2: schema = try reader.readStructList(field, of: SchemaElement.self)
      case 3: numRows = try reader.readI64(field)
      case 4: rowGroups = try reader.readStructList(field, of: RowGroup.self)
      case 5: keyValueMetadata = try reader.readStructList(field, of: KeyValue.self)
      case 6: createdBy = try reader.readString(field)
      case 7: columnOrders = try reader.readStructList(field, of: ColumnOrder.self)
      case 9: footerSigningKeyMetadata = try reader.readBinary(field)
      default: try reader.skip(field)
      }
    }
    guard let version else { throw missingField("FileMetaData", "version") }
    guard let schema else { throw missingField("FileMetaData", "schema") }
    guard let numRows else { throw missingField("FileMetaData", "num_rows") }
    guard let rowGroups else { throw missingField("FileMetaData", "row_groups") }
    self.version = version
    self.schema = schema
    self.numRows = numRows
    self.rowGroups = rowGroups
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: version)
    writer.writeField(2, structs: schema)
    writer.writeField(3, i64: numRows)
    writer.writeField(4, structs: rowGroups)
    if let keyValueMetadata { writer.writeField(5, structs: keyValueMetadata) }
    if let createdBy { writer.writeField(6, string: createdBy) }
    if let columnOrders { writer.writeField(7, structs: columnOrders) }
    if let footerSigningKeyMetadata { writer.writeField(9, binary: footerSigningKeyMetadata) }
    writer.writeStructEnd()
  }

  /// Decodes a footer: `bytes` holds exactly the serialized metadata (without the length
  /// and magic that follow it in a file).
  public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> FileMetaData {
    var reader = ThriftCompactReader(bytes)
    return try FileMetaData(from: &reader)
  }

  /// Decodes a footer held in an array.
  public static func decode(_ bytes: [UInt8]) throws -> FileMetaData {
    try bytes.withUnsafeBytes { try decode($0) }
  }

  /// The serialized footer (without the length and magic that follow it in a file).
  public func encoded() -> [UInt8] {
    var writer = ThriftCompactWriter(reservingCapacity: 1024)
    write(to: &writer)
    return writer.bytes
  }

  /// Decodes the footer at the end of a whole Parquet file: checks the trailing magic,
  /// reads the footer length and decodes the metadata before it.
  public static func decode(fileTail bytes: UnsafeRawBufferPointer) throws -> FileMetaData {
    let magic: [UInt8] = Array("PAR1".utf8)
    guard bytes.count >= 8 else {
      throw ParquetError(.truncated, "file of \(bytes.count) bytes is too short for a Parquet footer")
    }
    let end = bytes.count
    guard bytes[end - 4] == magic[0], bytes[end - 3] == magic[1], bytes[end - 2] == magic[2],
      bytes[end - 1] == magic[3]
    else {
      if Array(bytes[end - 4..<end]) == Array("PARE".utf8) {
        throw ParquetError(.unsupported, "the footer is encrypted (magic PARE)")
      }
      throw ParquetError(.corrupt, "the file does not end with the magic PAR1")
    }
    var length = 0
    for index in 0..<4 { length |= Int(bytes[end - 8 + index]) << (8 * index) }
    guard length <= end - 8 else {
      throw ParquetError(.corrupt, "footer length \(length) exceeds the \(end - 8) bytes before it")
    }
    return try decode(UnsafeRawBufferPointer(rebasing: bytes[(end - 8 - length)..<(end - 8)]))
  }
}
