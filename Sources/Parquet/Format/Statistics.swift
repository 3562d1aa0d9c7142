/// Statistics of a column chunk or a page. Every field is optional.
///
/// Values are PLAIN encoded, except that BYTE_ARRAY values have no length prefix.
public struct Statistics: ThriftStruct, Equatable {
  /// Deprecated maximum, ordered by signed comparison; prefer ``maxValue``.
  public var max: [UInt8]?
  /// Deprecated minimum, ordered by signed comparison; prefer ``minValue``.
  public var min: [UInt8]?
  /// The number of nulls; absent is not the same as zero.
  public var nullCount: Int64?
  public var distinctCount: Int64?
  /// Upper bound in the column's ``ColumnOrder``.
  public var maxValue: [UInt8]?
  /// Lower bound in the column's ``ColumnOrder``.
  public var minValue: [UInt8]?
  public var isMaxValueExact: Bool?
  public var isMinValueExact: Bool?
  /// The number of NaNs (FLOAT, DOUBLE and FLOAT16 columns).
  public var nanCount: Int64?

  public init(
    max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
    maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil,
    isMinValueExact: Bool? = nil, nanCount: Int64? = nil
  ) {
    self.max = max
    self.min = min
    self.nullCount = nullCount
    self.distinctCount = distinctCount
    self.maxValue = maxValue
    self.minValue = minValue
    self.isMaxValueExact = isMaxValueExact
    self.isMinValueExact = isMinValueExact
    self.nanCount = nanCount
  }

  static let descriptor = ThriftStructDescriptor(
    "Statistics",
    fields: [
      "", "max", "min", "null_count", "distinct_count", "max_value", "min_value", "is_max_value_exact",
      "is_min_value_exact", "nan_count",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: max = try reader.readBinary(field)
      case 2: min = try reader.readBinary(field)
      case 3: nullCount = try reader.readI64(field)
      case 4: distinctCount = try reader.readI64(field)
      case 5: maxValue = try reader.readBinary(field)
      case 6: minValue = try reader.readBinary(field)
      case 7: isMaxValueExact = try reader.readBool(field)
      case 8: isMinValueExact = try reader.readBool(field)
      case 9: nanCount = try reader.readI64(field)
      default: try reader.skip(field)
      }
    }
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    if let max { writer.writeField(1, binary: max) }
    if let min { writer.writeField(2, binary: min) }
    if let nullCount { writer.writeField(3, i64: nullCount) }
    if let distinctCount { writer.writeField(4, i64: distinctCount) }
    if let maxValue { writer.writeField(5, binary: maxValue) }
    if let minValue { writer.writeField(6, binary: minValue) }
    if let isMaxValueExact { writer.writeField(7, bool: isMaxValueExact) }
    if let isMinValueExact { writer.writeField(8, bool: isMinValueExact) }
    if let nanCount { writer.writeField(9, i64: nanCount) }
    writer.writeStructEnd()
  }
}

/// Sizes and level histograms that help estimate memory and prune nested data.
public struct SizeStatistics: ThriftStruct, Equatable {
  /// Bytes of BYTE_ARRAY values without encoding or length prefixes.
  public var unencodedByteArrayDataBytes: Int64?
  /// How often each repetition level occurs (max repetition level + 1 entries).
  public var repetitionLevelHistogram: [Int64]?
  /// How often each definition level occurs (max definition level + 1 entries).
  public var definitionLevelHistogram: [Int64]?

  public init(
    unencodedByteArrayDataBytes: Int64? = nil, repetitionLevelHistogram: [Int64]? = nil,
    definitionLevelHistogram: [Int64]? = nil
  ) {
    self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    self.repetitionLevelHistogram = repetitionLevelHistogram
    self.definitionLevelHistogram = definitionLevelHistogram
  }

  static let descriptor = ThriftStructDescriptor(
    "SizeStatistics",
    fields: ["", "unencoded_byte_array_data_bytes", "repetition_level_histogram", "definition_level_histogram"])

  public init(from reader: inout ThriftCompactReader) throws {
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: unencodedByteArrayDataBytes = try reader.readI64(field)
      case 2: repetitionLevelHistogram = try reader.readI64List(field)
      case 3: definitionLevelHistogram = try reader.readI64List(field)
      default: try reader.skip(field)
      }
    }
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    if let unencodedByteArrayDataBytes { writer.writeField(1, i64: unencodedByteArrayDataBytes) }
    if let repetitionLevelHistogram { writer.writeField(2, i64List: repetitionLevelHistogram) }
    if let definitionLevelHistogram { writer.writeField(3, i64List: definitionLevelHistogram) }
    writer.writeStructEnd()
  }
}

/// The bounding box of GEOMETRY or GEOGRAPHY values.
public struct BoundingBox: ThriftStruct, Equatable {
  public var xmin: Double
  public var xmax: Double
  public var ymin: Double
  public var ymax: Double
  public var zmin: Double?
  public var zmax: Double?
  public var mmin: Double?
  public var mmax: Double?

  public init(
    xmin: Double, xmax: Double, ymin: Double, ymax: Double, zmin: Double? = nil, zmax: Double? = nil,
    mmin: Double? = nil, mmax: Double? = nil
  ) {
    self.xmin = xmin
    self.xmax = xmax
    self.ymin = ymin
    self.ymax = ymax
    self.zmin = zmin
    self.zmax = zmax
    self.mmin = mmin
    self.mmax = mmax
  }

  static let descriptor = ThriftStructDescriptor(
    "BoundingBox", fields: ["", "xmin", "xmax", "ymin", "ymax", "zmin", "zmax", "mmin", "mmax"])

  public init(from reader: inout ThriftCompactReader) throws {
    var values = [Double?](repeating: nil, count: 9)
    try reader.readStruct(Self.descriptor) { reader, field in
      if (1...8).contains(field.id) {
        values[Int(field.id)] = try reader.readDouble(field)
      } else {
        try reader.skip(field)
      }
    }
    guard let xmin = values[1] else { throw missingField("BoundingBox", "xmin") }
    guard let xmax = values[2] else { throw missingField("BoundingBox", "xmax") }
    guard let ymin = values[3] else { throw missingField("BoundingBox", "ymin") }
    guard let ymax = values[4] else { throw missingField("BoundingBox", "ymax") }
    self.init(
      xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax, zmin: values[5], zmax: values[6], mmin: values[7],
      mmax: values[8])
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    writer.writeField(1, double: xmin)
    writer.writeField(2, double: xmax)
    writer.writeField(3, double: ymin)
    writer.writeField(4, double: ymax)
    if let zmin { writer.writeField(5, double: zmin) }
    if let zmax { writer.writeField(6, double: zmax) }
    if let mmin { writer.writeField(7, double: mmin) }
    if let mmax { writer.writeField(8, double: mmax) }
    writer.writeStructEnd()
  }
}

/// Statistics of GEOMETRY and GEOGRAPHY columns.
public struct GeospatialStatistics: ThriftStruct, Equatable {
  public var bbox: BoundingBox?
  /// Geospatial type codes of all values; empty when unknown.
  public var geospatialTypes: [Int32]?

  public init(bbox: BoundingBox? = nil, geospatialTypes: [Int32]? = nil) {
    self.bbox = bbox
    self.geospatialTypes = geospatialTypes
  }

  static let descriptor = ThriftStructDescriptor("GeospatialStatistics", fields: ["", "bbox", "geospatial_types"])

  public init(from reader: inout ThriftCompactReader) throws {
    self.init()
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: bbox = try reader.readStruct(field, as: BoundingBox.self)
      case 2: geospatialTypes = try reader.readI32List(field)
      default: try reader.skip(field)
      }
    }
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    if let bbox { writer.writeField(1, struct: bbox) }
    if let geospatialTypes { writer.writeField(2, i32List: geospatialTypes) }
    writer.writeStructEnd()
  }
}
