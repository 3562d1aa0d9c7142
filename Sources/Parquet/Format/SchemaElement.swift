/// One node of the schema tree, which the footer stores flattened in depth-first order:
/// a group has ``numChildren`` and no ``type``; a leaf has a ``type``.
public struct SchemaElement: ThriftStruct, Equatable {
  /// The physical type of a leaf; nil for a group.
  public var type: PhysicalType?
  /// The byte length of FIXED_LEN_BYTE_ARRAY values.
  public var typeLength: Int32?
  /// nil only for the root.
  public var repetitionType: FieldRepetitionType?
  public var name: String
  /// The number of children of a group; nil for a leaf.
  public var numChildren: Int32?
  public var convertedType: ConvertedType?
  /// Decimal scale, kept alongside ``LogicalType/decimal(scale:precision:)`` for old readers.
  public var scale: Int32?
  /// Decimal precision, kept alongside ``LogicalType/decimal(scale:precision:)`` for old readers.
  public var precision: Int32?
  /// The field id of the originating schema (Iceberg, Delta column mapping…).
  public var fieldID: Int32?
  public var logicalType: LogicalType?
  /// The number of slots of a VECTOR field (kept for round trips; VECTOR repetition
  /// itself is not supported).
  public var vectorLength: Int32?

  public init(
    name: String, type: PhysicalType? = nil, typeLength: Int32? = nil,
    repetitionType: FieldRepetitionType? = nil, numChildren: Int32? = nil,
    convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
    fieldID: Int32? = nil, logicalType: LogicalType? = nil, vectorLength: Int32? = nil
  ) {
    self.type = type
    self.typeLength = typeLength
    self.repetitionType = repetitionType
    self.name = name
    self.numChildren = numChildren
    self.convertedType = convertedType
    self.scale = scale
    self.precision = precision
    self.fieldID = fieldID
    self.logicalType = logicalType
    self.vectorLength = vectorLength
  }

  static let descriptor = ThriftStructDescriptor(
    "SchemaElement",
    fields: [
      "", "type", "type_length", "repetition_type", "name", "num_children", "converted_type", "scale",
      "precision", "field_id", "logicalType", "vector_length",
    ])

  public init(from reader: inout ThriftCompactReader) throws {
    var name: String?
    self.init(name: "")
    try reader.readStruct(Self.descriptor) { reader, field in
      switch field.id {
      case 1: type = try PhysicalType(from: &reader, field)
      case 2: typeLength = try reader.readI32(field)
      case 3: repetitionType = try FieldRepetitionType(from: &reader, field)
      case 4: name = try reader.readString(field)
      case 5: numChildren = try reader.readI32(field)
      case 6: convertedType = try ConvertedType(from: &reader, field)
      case 7: scale = try reader.readI32(field)
      case 8: precision = try reader.readI32(field)
      case 9: fieldID = try reader.readI32(field)
      case 10:
        try reader.expect(field, .struct)
        logicalType = try LogicalType.read(from: &reader)
      case 11: vectorLength = try reader.readI32(field)
      default: try reader.skip(field)
      }
    }
    guard let name else { throw missingField("SchemaElement", "name") }
    self.name = name
  }

  public func write(to writer: inout ThriftCompactWriter) {
    writer.writeStructBegin()
    if let type { writer.writeField(1, i32: type.rawValue) }
    if let typeLength { writer.writeField(2, i32: typeLength) }
    if let repetitionType { writer.writeField(3, i32: repetitionType.rawValue) }
    writer.writeField(4, string: name)
    if let numChildren { writer.writeField(5, i32: numChildren) }
    if let convertedType { writer.writeField(6, i32: convertedType.rawValue) }
    if let scale { writer.writeField(7, i32: scale) }
    if let precision { writer.writeField(8, i32: precision) }
    if let fieldID { writer.writeField(9, i32: fieldID) }
    // An unrecognized member cannot be written back faithfully, so it is left out.
    if let logicalType, !logicalType.isUnrecognized { writer.writeField(10, struct: logicalType) }
    if let vectorLength { writer.writeField(11, i32: vectorLength) }
    writer.writeStructEnd()
  }
}

extension LogicalType {
  var isUnrecognized: Bool {
    if case .unrecognized = self { return true }
    return false
  }
}
