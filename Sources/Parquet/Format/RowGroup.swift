/// A column the rows of a row group are sorted by.
public struct SortingColumn: ThriftStruct, Equatable {
  /// The index of the leaf column in the row group.
  public var columnIdx: Int32
  public var descending: Bool
  /// Whether nulls come before non-null values.
  public var nullsFirst: Bool

  public init(columnIdx: Int32, descending: Bool = false, nullsFirst: Bool = false) {
    self.columnIdx = columnIdx
    self.descending = descending
    self.nullsFirst = nullsFirst
  }

  static let descriptor = ThriftStructDescriptor(
    "SortingColumn", fields: ["", "column_idx", "descending", "nulls_first"])

  public init(from reader: inout ThriftCompactReader) throws {
    var columnIdx: Int32?
    var descending: Bool?
    var nullsFirst: Bool?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: columnIdx = try reader.readI32(field)
      case 2: descending = try reader.readBool(field)
      case 3: nullsFirst = try reader.readBool(field)
      default: try reader.skip(field)
      }
    }
    guard let columnIdx else { throw missingField("SortingColumn", "column_idx") }
    guard let descending else { throw missingField("SortingColumn", "descending") }
    guard let nullsFirst else { throw missingField("SortingColumn", "nulls_first") }
    self.init(columnIdx: columnIdx, descending: descending, nullsFirst: nullsFirst)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i32: columnIdx)
    writer.writeField(2, bool: descending)
    writer.writeField(3, bool: nullsFirst)
    writer.writeStructEnd()
  }
}

/// A horizontal slice of the file: one column chunk per leaf column.
public struct RowGroup: ThriftStruct, Equatable {
  /// One chunk per leaf column, in schema order.
  public var columns: [ColumnChunk]
  /// Bytes of all the row group's column data uncompressed.
  public var totalByteSize: Int64
  public var numRows: Int64
  public var sortingColumns: [SortingColumn]?
  /// File offset of the row group's first page.
  public var fileOffset: Int64?
  /// Bytes of all the row group's column data as stored.
  public var totalCompressedSize: Int64?
  /// The row group's index in the file.
  public var ordinal: Int16?

  public init(
    columns: [ColumnChunk] = [], totalByteSize: Int64 = 0, numRows: Int64 = 0,
    sortingColumns: [SortingColumn]? = nil, fileOffset: Int64? = nil, totalCompressedSize: Int64? = nil,
    ordinal: Int16? = nil
  ) {
    self.columns = columns
    self.totalByteSize = totalByteSize
    self.numRows = numRows
    self.sortingColumns = sortingColumns
    self.fileOffset = fileOffset
    self.totalCompressedSize = totalCompressedSize
    self.ordinal = ordinal
  }

  static let descriptor = ThriftStructDescriptor(
    "RowGroup",
    fields: [
      "", "columns", "total_byte_size", "num_rows", "sorting_columns", "file_offset", "total_compressed_size",
      "ordinal",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var columns: [ColumnChunk]?
    var totalByteSize: Int64?
    var numRows: Int64?
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: columns = try reader.readStructList(field, of: ColumnChunk.self)
      case 2: totalByteSize = try reader.readI64(field)
      case 3: numRows = try reader.readI64(field)
      case 4: sortingColumns = try reader.readStructList(field, of: SortingColumn.self)
      case 5: fileOffset = try reader.readI64(field)
      case 6: totalCompressedSize = try reader.readI64(field)
      case 7: ordinal = try reader.readI16(field)
      default: try reader.skip(field)
      }
    }
    guard let columns else { throw missingField("RowGroup", "columns") }
    guard let totalByteSize else { throw missingField("RowGroup", "total_byte_size") }
    guard let numRows else { throw missingField("RowGroup", "num_rows") }
    self.columns = columns
    self.totalByteSize = totalByteSize
    self.numRows = numRows
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, structs: columns)
    writer.writeField(2, i64: totalByteSize)
    writer.writeField(3, i64: numRows)
    if let sortingColumns { writer.writeField(4, structs: sortingColumns) }
    if let fileOffset { writer.writeField(5, i64: fileOffset) }
    if let totalCompressedSize { writer.writeField(6, i64: totalCompressedSize) }
    if let ordinal { writer.writeField(7, i16: ordinal) }
    writer.writeStructEnd()
  }
}
