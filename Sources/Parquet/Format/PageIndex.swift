/// Where one data page of a column chunk is, for the offset index.
public struct PageLocation: ThriftStruct, Equatable {
  /// File offset of the page header.
  public var offset: Int64
  /// Bytes of the page including its header.
  public var compressedPageSize: Int32
  /// Index, within the row group, of the page's first row.
  public var firstRowIndex: Int64

  public init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
    self.offset = offset
    self.compressedPageSize = compressedPageSize
    self.firstRowIndex = firstRowIndex
  }

  static let descriptor = ThriftStructDescriptor(
    "PageLocation", fields: ["", "offset", "compressed_page_size", "first_row_index"])

  public init(from reader: inout ThriftCompactReader) throws {
    var offset: Int64?
    var compressedPageSize: Int32?
    var firstRowIndex: Int64?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: offset = try reader.readI64(field)
      case 2: compressedPageSize = try reader.readI32(field)
      case 3: firstRowIndex = try reader.readI64(field)
      default: try reader.skip(field)
      }
    }
    guard let offset else { throw missingField("PageLocation", "offset") }
    guard let compressedPageSize else { throw missingField("PageLocation", "compressed_page_size") }
    guard let firstRowIndex else { throw missingField("PageLocation", "first_row_index") }
    self.init(offset: offset, compressedPageSize: compressedPageSize, firstRowIndex: firstRowIndex)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, i64: offset)
    writer.writeField(2, i32: compressedPageSize)
    writer.writeField(3, i64: firstRowIndex)
    writer.writeStructEnd()
  }
}

/// The offset index of a column chunk: the location of each data page.
public struct OffsetIndex: ThriftStruct, Equatable {
  public var pageLocations: [PageLocation]
  /// Unencoded BYTE_ARRAY bytes per page.
  public var unencodedByteArrayDataBytes: [Int64]?

  public init(pageLocations: [PageLocation] = [], unencodedByteArrayDataBytes: [Int64]? = nil) {
    self.pageLocations = pageLocations
    self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
  }

  static let descriptor = ThriftStructDescriptor(
    "OffsetIndex", fields: ["", "page_locations", "unencoded_byte_array_data_bytes"])

  public init(from reader: inout ThriftCompactReader) throws {
    var pageLocations: [PageLocation]?
    var unencoded: [Int64]?
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: pageLocations = try reader.readStructList(field, of: PageLocation.self)
      case 2: unencoded = try reader.readI64List(field)
      default: try reader.skip(field)
      }
    }
    guard let pageLocations else { throw missingField("OffsetIndex", "page_locations") }
    self.init(pageLocations: pageLocations, unencodedByteArrayDataBytes: unencoded)
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, structs: pageLocations)
    if let unencodedByteArrayDataBytes { writer.writeField(2, i64List: unencodedByteArrayDataBytes) }
    writer.writeStructEnd()
  }
}

/// The column index of a column chunk: per-page bounds and null counts.
public struct ColumnIndex: ThriftStruct, Equatable {
  /// Whether each page holds only nulls (its bounds are then empty).
  public var nullPages: [Bool]
  public var minValues: [[UInt8]]
  public var maxValues: [[UInt8]]
  public var boundaryOrder: BoundaryOrder
  public var nullCounts: [Int64]?
  public var repetitionLevelHistograms: [Int64]?
  public var definitionLevelHistograms: [Int64]?
  public var nanCounts: [Int64]?

  public init(
    nullPages: [Bool] = [], minValues: [[UInt8]] = [], maxValues: [[UInt8]] = [],
    boundaryOrder: BoundaryOrder = .unordered, nullCounts: [Int64]? = nil,
    repetitionLevelHistograms: [Int64]? = nil, definitionLevelHistograms: [Int64]? = nil,
    nanCounts: [Int64]? = nil
  ) {
    self.nullPages = nullPages
    self.minValues = minValues
    self.maxValues = maxValues
    self.boundaryOrder = boundaryOrder
    self.nullCounts = nullCounts
    self.repetitionLevelHistograms = repetitionLevelHistograms
    self.definitionLevelHistograms = definitionLevelHistograms
    self.nanCounts = nanCounts
  }

  static let descriptor = ThriftStructDescriptor(
    "ColumnIndex",
    fields: [
      "", "null_pages", "min_values", "max_values", "boundary_order", "null_counts",
      "repetition_level_histograms", "definition_level_histograms", "nan_counts",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var nullPages: [Bool]?
    var minValues: [[UInt8]]?
    var maxValues: [[UInt8]]?
    var boundaryOrder: BoundaryOrder?
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: nullPages = try reader.readBoolList(field)
      case 2: minValues = try reader.readBinaryList(field)
      case 3: maxValues = try reader.readBinaryList(field)
      case 4: boundaryOrder = try BoundaryOrder(from: &reader, field)
      case 5: nullCounts = try reader.readI64List(field)
      case 6: repetitionLevelHistograms = try reader.readI64List(field)
      case 7: definitionLevelHistograms = try reader.readI64List(field)
      case 8: nanCounts = try reader.readI64List(field)
      default: try reader.skip(field)
      }
    }
    guard let nullPages else { throw missingField("ColumnIndex", "null_pages") }
    guard let minValues else { throw missingField("ColumnIndex", "min_values") }
    guard let maxValues else { throw missingField("ColumnIndex", "max_values") }
    guard let boundaryOrder else { throw missingField("ColumnIndex", "boundary_order") }
    self.nullPages = nullPages
    self.minValues = minValues
    self.maxValues = maxValues
    self.boundaryOrder = boundaryOrder
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, boolList: nullPages)
    writer.writeField(2, binaryList: minValues)
    writer.writeField(3, binaryList: maxValues)
    writer.writeField(4, i32: boundaryOrder.rawValue)
    if let nullCounts { writer.writeField(5, i64List: nullCounts) }
    if let repetitionLevelHistograms { writer.writeField(6, i64List: repetitionLevelHistograms) }
    if let definitionLevelHistograms { writer.writeField(7, i64List: definitionLevelHistograms) }
    if let nanCounts { writer.writeField(8, i64List: nanCounts) }
    writer.writeStructEnd()
  }
}
