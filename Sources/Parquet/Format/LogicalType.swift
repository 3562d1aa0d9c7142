/// The unit of a TIME or TIMESTAMP logical type (the spec's `TimeUnit` union; renamed
/// because `Columnar` has a `TimeUnit` of its own).
public enum ParquetTimeUnit: Sendable, Hashable, CaseIterable {
  case millis
  case micros
  case nanos

  static let descriptor = ThriftStructDescriptor("TimeUnit", fields: ["", "MILLIS", "MICROS", "NANOS"])

  /// Reads the union; nil when its member is one this library does not know.
  static func read(from reader: inout ThriftCompactReader) throws -> ParquetTimeUnit? {
    try reader.readUnion(descriptor) { reader, field -> ParquetTimeUnit? in
      let unit: ParquetTimeUnit
      switch field.id {
      case 1: unit = .millis
      case 2: unit = .micros
      case 3: unit = .nanos
      default:
        try reader.skip(field)
        return nil
      }
      try reader.expect(field, .struct)
      try reader.skip(field)
      return unit
    } ?? nil
  }

  func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    switch self {
    case .millis: writer.writeEmptyStructField(1)
    case .micros: writer.writeEmptyStructField(2)
    case .nanos: writer.writeEmptyStructField(3)
    }
    writer.writeStructEnd()
  }
}

/// The logical type annotation of a schema element (the `LogicalType` union).
///
/// A union member added by a later format version decodes as
/// ``unrecognized(fieldID:)`` instead of failing, so readers can fall back to the
/// physical type.
public enum LogicalType: Sendable, Hashable {
  case string
  case map
  case list
  case `enum`
  /// A decimal number: the unscaled value times 10^-scale.
  case decimal(scale: Int32, precision: Int32)
  case date
  case time(isAdjustedToUTC: Bool, unit: ParquetTimeUnit)
  case timestamp(isAdjustedToUTC: Bool, unit: ParquetTimeUnit)
  /// An integer of 8, 16, 32 or 64 bits.
  case integer(bitWidth: Int8, isSigned: Bool)
  /// The column only holds nulls (`NullType`, called UNKNOWN in the spec).
  case unknown
  case json
  case bson
  case uuid
  case float16
  case variant(specificationVersion: Int8?)
  case geometry(crs: String?)
  case geography(crs: String?, algorithm: EdgeInterpolationAlgorithm?)
  case vector
  /// A union member this library does not know (or a known one with a member, such as a
  /// time unit, that it does not know). It is not written back.
  case unrecognized(fieldID: Int16)

  static let descriptor = ThriftStructDescriptor(
    "LogicalType",
    fields: [
      "", "STRING", "MAP", "LIST", "ENUM", "DECIMAL", "DATE", "TIME", "TIMESTAMP", "", "INTEGER", "UNKNOWN",
      "JSON", "BSON", "UUID", "FLOAT16", "VARIANT", "GEOMETRY", "GEOGRAPHY", "VECTOR",
    ])
  private static let decimalDescriptor = ThriftStructDescriptor("DecimalType", fields: ["", "scale", "precision"])
  private static let timeDescriptor = ThriftStructDescriptor("TimeType", fields: ["", "isAdjustedToUTC", "unit"])
  private static let timestampDescriptor = ThriftStructDescriptor(
    "TimestampType", fields: ["", "isAdjustedToUTC", "unit"])
  private static let intDescriptor = ThriftStructDescriptor("IntType", fields: ["", "bitWidth", "isSigned"])
  private static let variantDescriptor = ThriftStructDescriptor(
    "VariantType", fields: ["", "specification_version"])
  private static let geometryDescriptor = ThriftStructDescriptor("GeometryType", fields: ["", "crs"])
  private static let geographyDescriptor = ThriftStructDescriptor("GeographyType", fields: ["", "crs", "algorithm"])

  /// Decodes the union.
  public init(from reader: inout ThriftCompactReader) throws {
    guard let value = try Self.read(from: &reader) else {
      throw ParquetError(.corrupt, "LogicalType union has no member")
    }
    self = value
  }

  /// Decodes the union; nil when no member is set, which readers treat as no annotation.
  static func read(from reader: inout ThriftCompactReader) throws -> LogicalType? {
    try reader.readUnion(descriptor) { reader, field -> LogicalType in
      guard (1...19).contains(field.id), field.id != 9 else {
        try reader.skip(field)
        return .unrecognized(fieldID: field.id)
      }
      try reader.expect(field, .struct)
      switch field.id {
      case 1: try reader.skip(field); return .string
      case 2: try reader.skip(field); return .map
      case 3: try reader.skip(field); return .list
      case 4: try reader.skip(field); return .enum
      case 5: return try readDecimal(&reader)
      case 6: try reader.skip(field); return .date
      case 7, 8: return try readTime(&reader, isTimestamp: field.id == 8)
      case 10: return try readInteger(&reader)
      case 11: try reader.skip(field); return .unknown
      case 12: try reader.skip(field); return .json
      case 13: try reader.skip(field); return .bson
      case 14: try reader.skip(field); return .uuid
      case 15: try reader.skip(field); return .float16
      case 16: return try readVariant(&reader)
      case 17: return try readGeometry(&reader)
      case 18: return try readGeography(&reader)
      default: try reader.skip(field); return .vector
      }
    }
  }

  private static func readDecimal(_ reader: inout ThriftCompactReader) throws -> LogicalType {
    var scale: Int32?
    var precision: Int32?
    try reader.readStruct(decimalDescriptor) { reader, field in
      switch field.id {
      case 1: scale = try reader.readI32(field)
      case 2: precision = try reader.readI32(field)
      default: try reader.skip(field)
      }
    }
    guard let scale else { throw missingField("DecimalType", "scale") }
    guard let precision else { throw missingField("DecimalType", "precision") }
    return .decimal(scale: scale, precision: precision)
  }

  private static func readTime(_ reader: inout ThriftCompactReader, isTimestamp: Bool) throws -> LogicalType {
    var isAdjustedToUTC: Bool?
    var unit: ParquetTimeUnit?
    var sawUnit = false
    try reader.readStruct(isTimestamp ? timestampDescriptor : timeDescriptor) { reader, field in
      switch field.id {
      case 1: isAdjustedToUTC = try reader.readBool(field)
      case 2:
        try reader.expect(field, .struct)
        unit = try ParquetTimeUnit.read(from: &reader)
        sawUnit = true
      default: try reader.skip(field)
      }
    }
    let name = isTimestamp ? "TimestampType" : "TimeType"
    guard let isAdjustedToUTC else { throw missingField(name, "isAdjustedToUTC") }
    guard sawUnit else { throw missingField(name, "unit") }
    guard let unit else { return .unrecognized(fieldID: isTimestamp ? 8 : 7) }
    return isTimestamp
      ? .timestamp(isAdjustedToUTC: isAdjustedToUTC, unit: unit)
      : .time(isAdjustedToUTC: isAdjustedToUTC, unit: unit)
  }

  private static func readInteger(_ reader: inout ThriftCompactReader) throws -> LogicalType {
    var bitWidth: Int8?
    var isSigned: Bool?
    try reader.readStruct(intDescriptor) { reader, field in
      switch field.id {
      case 1: bitWidth = try reader.readI8(field)
      case 2: isSigned = try reader.readBool(field)
      default: try reader.skip(field)
      }
    }
    guard let bitWidth else { throw missingField("IntType", "bitWidth") }
    guard let isSigned else { throw missingField("IntType", "isSigned") }
    return .integer(bitWidth: bitWidth, isSigned: isSigned)
  }

  private static func readVariant(_ reader: inout ThriftCompactReader) throws -> LogicalType {
    var version: Int8?
    try reader.readStruct(variantDescriptor) { reader, field in
      switch field.id {
      case 1: version = try reader.readI8(field)
      default: try reader.skip(field)
      }
    }
    return .variant(specificationVersion: version)
  }

  private static func readGeometry(_ reader: inout ThriftCompactReader) throws -> LogicalType {
    var crs: String?
    try reader.readStruct(geometryDescriptor) { reader, field in
      switch field.id {
      case 1: crs = try reader.readString(field)
      default: try reader.skip(field)
      }
    }
    return .geometry(crs: crs)
  }

  private static func readGeography(_ reader: inout ThriftCompactReader) throws -> LogicalType {
    var crs: String?
    var algorithm: EdgeInterpolationAlgorithm?
    try reader.readStruct(geographyDescriptor) { reader, field in
      switch field.id {
      case 1: crs = try reader.readString(field)
      case 2: algorithm = try EdgeInterpolationAlgorithm(from: &reader, field)
      default: try reader.skip(field)
      }
    }
    return .geography(crs: crs, algorithm: algorithm)
  }

  /// Writes the union. ``unrecognized(fieldID:)`` has nothing to write and produces an
  /// empty union, which decodes as no annotation; ``SchemaElement`` omits it instead.
  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    switch self {
    case .string: writer.writeEmptyStructField(1)
    case .map: writer.writeEmptyStructField(2)
    case .list: writer.writeEmptyStructField(3)
    case .enum: writer.writeEmptyStructField(4)
    case .decimal(let scale, let precision):
      writer.writeFieldBegin(5, .struct)
      writer.writeStructBegin()
      writer.writeField(1, i32: scale)
      writer.writeField(2, i32: precision)
      writer.writeStructEnd()
    case .date: writer.writeEmptyStructField(6)
    case .time(let isAdjustedToUTC, let unit), .timestamp(let isAdjustedToUTC, let unit):
      if case .time = self { writer.writeFieldBegin(7, .struct) } else { writer.writeFieldBegin(8, .struct) }
      writer.writeStructBegin()
      writer.writeField(1, bool: isAdjustedToUTC)
      writer.writeFieldBegin(2, .struct)
      unit.write(to: &writer)
      writer.writeStructEnd()
    case .integer(let bitWidth, let isSigned):
      writer.writeFieldBegin(10, .struct)
      writer.writeStructBegin()
      writer.writeField(1, i8: bitWidth)
      writer.writeField(2, bool: isSigned)
      writer.writeStructEnd()
    case .unknown: writer.writeEmptyStructField(11)
    case .json: writer.writeEmptyStructField(12)
    case .bson: writer.writeEmptyStructField(13)
    case .uuid: writer.writeEmptyStructField(14)
    case .float16: writer.writeEmptyStructField(15)
    case .variant(let version):
      writer.writeFieldBegin(16, .struct)
      writer.writeStructBegin()
      if let version { writer.writeField(1, i8: version) }
      writer.writeStructEnd()
    case .geometry(let crs):
      writer.writeFieldBegin(17, .struct)
      writer.writeStructBegin()
      if let crs { writer.writeField(1, string: crs) }
      writer.writeStructEnd()
    case .geography(let crs, let algorithm):
      writer.writeFieldBegin(18, .struct)
      writer.writeStructBegin()
      if let crs { writer.writeField(1, string: crs) }
      if let algorithm { writer.writeField(2, i32: algorithm.rawValue) }
      writer.writeStructEnd()
    case .vector: writer.writeEmptyStructField(19)
    case .unrecognized: break
    }
    writer.writeStructEnd()
  }
}

extension LogicalType: ThriftStruct {}

/// The sort order of a column's min/max statistics (the `ColumnOrder` union).
public enum ColumnOrder: ThriftStruct, Hashable {
  /// The order of the logical type, or of the physical type if there is none.
  case typeDefinedOrder
  /// IEEE 754 totalOrder for floating point columns.
  case ieee754TotalOrder
  /// Chronological order of INT96 timestamps.
  case int96TimestampOrder
  /// A member this library does not know: readers should ignore the column's min/max.
  case unrecognized(fieldID: Int16)

  static let descriptor = ThriftStructDescriptor(
    "ColumnOrder", fields: ["", "TYPE_ORDER", "IEEE_754_TOTAL_ORDER", "INT96_TIMESTAMP_ORDER"])

  /// Decodes the union; an empty union is `.unrecognized(fieldID: 0)`.
  public init(from reader: inout ThriftCompactReader) throws {
    let value = try reader.readUnion(Self.descriptor) { reader, field -> ColumnOrder in
      let order: ColumnOrder
      switch field.id {
      case 1: order = .typeDefinedOrder
      case 2: order = .ieee754TotalOrder
      case 3: order = .int96TimestampOrder
      default:
        try reader.skip(field)
        return .unrecognized(fieldID: field.id)
      }
      try reader.expect(field, .struct)
      try reader.skip(field)
      return order
    }
    self = value ?? .unrecognized(fieldID: 0)
  }

  /// Writes the union; ``unrecognized(fieldID:)`` writes an empty struct at that id.
  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    switch self {
    case .typeDefinedOrder: writer.writeEmptyStructField(1)
    case .ieee754TotalOrder: writer.writeEmptyStructField(2)
    case .int96TimestampOrder: writer.writeEmptyStructField(3)
    case .unrecognized(let id): if id != 0 { writer.writeEmptyStructField(id) }
    }
    writer.writeStructEnd()
  }
}
