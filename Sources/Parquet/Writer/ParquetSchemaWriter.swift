public import Columnar

/// Converts a Columnar ``Schema`` to the flattened Parquet schema a footer stores, choosing for
/// each type the physical type, the logical type and the matching legacy converted type (so old
/// readers still understand the file).
///
/// | Columnar | Parquet |
/// |---|---|
/// | boolean | BOOLEAN |
/// | int8, int16, int32 | INT32 + INTEGER(bits, signed) / INT_8, INT_16, INT_32 |
/// | int64 | INT64 |
/// | uint8, uint16, uint32 | INT32 + INTEGER(bits, unsigned) / UINT_8, UINT_16, UINT_32 |
/// | uint64 | INT64 + INTEGER(64, unsigned) / UINT_64 |
/// | float16 | FIXED_LEN_BYTE_ARRAY(2) + FLOAT16 (little-endian half) |
/// | float32, float64 | FLOAT, DOUBLE |
/// | decimal(p, s) | INT32 (p ≤ 9), INT64 (p ≤ 18), else FIXED_LEN_BYTE_ARRAY of the fewest bytes, + DECIMAL |
/// | string | BYTE_ARRAY + STRING / UTF8 |
/// | binary | BYTE_ARRAY |
/// | fixedBinary(w) | FIXED_LEN_BYTE_ARRAY(w) |
/// | uuid | FIXED_LEN_BYTE_ARRAY(16) + UUID |
/// | date | INT32 + DATE |
/// | time(ms), time(µs, ns) | INT32, INT64 + TIME (+ TIME_MILLIS / TIME_MICROS) |
/// | timestamp(unit, utc) | INT64 + TIMESTAMP(utc, unit) (+ TIMESTAMP_MILLIS / _MICROS when utc) |
/// | structure | group |
/// | list | `group (LIST) { repeated group list { element } }` |
/// | map | `group (MAP) { repeated group key_value { required key; value } }` |
/// | null | optional INT32 + UNKNOWN |
public enum ParquetSchemaWriter {
  /// The flattened schema of `schema`: the root, then every node in depth-first order.
  public static func schemaElements(for schema: Schema) throws(ParquetError) -> [SchemaElement] {
    try WriterSchema(schema).elements
  }

  /// The byte width of a FIXED_LEN_BYTE_ARRAY decimal of `precision` digits: the fewest bytes
  /// whose two's complement range holds every value of that precision.
  public static func decimalByteWidth(precision: Int) -> Int {
    // The most digits n bytes always hold: floor(log10(2^(8n-1) - 1)).
    let digits = [2, 4, 6, 9, 11, 14, 16, 18, 21, 23, 26, 28, 31, 33, 35, 38]
    for (index, limit) in digits.enumerated() where precision <= limit { return index + 1 }
    return 16
  }
}

/// The Parquet schema of a Columnar schema together with the writer's plan for each leaf.
struct WriterSchema: Sendable {
  var elements: [SchemaElement] = []
  var leaves: [LeafColumn] = []

  init(_ schema: Schema) throws(ParquetError) {
    guard !schema.fields.isEmpty else {
      throw ParquetError(.invalidArgument, "a Parquet file needs at least one column")
    }
    elements.append(SchemaElement(name: "schema", numChildren: Int32(schema.fields.count)))
    for (index, field) in schema.fields.enumerated() {
      let step = ShredStep(
        kind: .leaf, name: field.name, nullable: Self.isNullable(field), nullLevel: 0,
        presentLevel: Self.isNullable(field) ? 1 : 0, repetitionLevel: 0)
      try addNode(field, name: field.name, step: step, path: [], steps: [], fieldIndex: index)
    }
  }

  /// A null-typed column only holds nulls, so it is always OPTIONAL.
  private static func isNullable(_ field: Field) -> Bool {
    if case .null = field.type { return true }
    return field.nullable
  }

  /// Adds the element for `field` (named `name` in the file) and everything below it.
  /// `step` is the field's own step with levels filled in; its `kind` is set here.
  private mutating func addNode(
    _ field: Field, name: String, step: ShredStep, path: [String], steps: [ShredStep], fieldIndex: Int
  ) throws(ParquetError) {
    let path = path + [name]
    let repetition: FieldRepetitionType = step.nullable ? .optional : .required
    var step = step
    switch field.type {
    case .structure(let children):
      guard !children.isEmpty else {
        throw ParquetError(
          .unsupported, "struct column '\(path.joined(separator: "."))' has no fields; Parquet groups need one")
      }
      elements.append(
        SchemaElement(
          name: name, repetitionType: repetition, numChildren: Int32(children.count), fieldID: field.fieldID))
      for (childIndex, child) in children.enumerated() {
        step.kind = .structure(child: childIndex)
        let nullable = Self.isNullable(child)
        let childStep = ShredStep(
          kind: .leaf, name: child.name, nullable: nullable, nullLevel: step.presentLevel,
          presentLevel: step.presentLevel + (nullable ? 1 : 0), repetitionLevel: step.repetitionLevel)
        try addNode(child, name: child.name, step: childStep, path: path, steps: steps + [step], fieldIndex: fieldIndex)
      }
    case .list(let element):
      step.kind = .list
      elements.append(
        SchemaElement(
          name: name, repetitionType: repetition, numChildren: 1, convertedType: .list, fieldID: field.fieldID,
          logicalType: .list))
      elements.append(SchemaElement(name: "list", repetitionType: .repeated, numChildren: 1))
      let nullable = Self.isNullable(element)
      let elementStep = ShredStep(
        kind: .leaf, name: element.name, nullable: nullable, nullLevel: step.presentLevel + 1,
        presentLevel: step.presentLevel + 1 + (nullable ? 1 : 0), repetitionLevel: step.repetitionLevel + 1)
      try addNode(
        element, name: "element", step: elementStep, path: path + ["list"], steps: steps + [step],
        fieldIndex: fieldIndex)
    case .map(let key, let value):
      elements.append(
        SchemaElement(
          name: name, repetitionType: repetition, numChildren: 1, convertedType: .map, fieldID: field.fieldID,
          logicalType: .map))
      elements.append(SchemaElement(name: "key_value", repetitionType: .repeated, numChildren: 2))
      // Keys are always REQUIRED in Parquet; a null key is rejected when written.
      step.kind = .mapKeys
      let keyStep = ShredStep(
        kind: .leaf, name: key.name, nullable: false, nullLevel: step.presentLevel + 1,
        presentLevel: step.presentLevel + 1, repetitionLevel: step.repetitionLevel + 1)
      try addNode(
        key, name: "key", step: keyStep, path: path + ["key_value"], steps: steps + [step], fieldIndex: fieldIndex)
      step.kind = .mapValues
      let nullable = Self.isNullable(value)
      let valueStep = ShredStep(
        kind: .leaf, name: value.name, nullable: nullable, nullLevel: step.presentLevel + 1,
        presentLevel: step.presentLevel + 1 + (nullable ? 1 : 0), repetitionLevel: step.repetitionLevel + 1)
      try addNode(
        value, name: "value", step: valueStep, path: path + ["key_value"], steps: steps + [step],
        fieldIndex: fieldIndex)
    default:
      step.kind = .leaf
      var element = try Self.leafElement(field, name: name, path: path)
      element.repetitionType = repetition
      element.fieldID = field.fieldID
      elements.append(element)
      let physical = element.type ?? .int32
      leaves.append(
        LeafColumn(
          path: path, fieldIndex: fieldIndex, steps: steps + [step], type: field.type, physicalType: physical,
          typeLength: Int(element.typeLength ?? 0), maxDefinitionLevel: step.presentLevel,
          maxRepetitionLevel: step.repetitionLevel, order: Self.order(of: field.type, physical: physical),
          writesLegacyStatistics: Self.writesLegacyStatistics(field.type, physical: physical)))
    }
  }

  /// The element of a primitive field, without repetition or field id.
  private static func leafElement(_ field: Field, name: String, path: [String]) throws(ParquetError)
    -> SchemaElement
  {
    switch field.type {
    case .null: return SchemaElement(name: name, type: .int32, logicalType: .unknown)
    case .boolean: return SchemaElement(name: name, type: .boolean)
    case .int8: return integer(name, .int32, bits: 8, signed: true, .int8)
    case .int16: return integer(name, .int32, bits: 16, signed: true, .int16)
    case .int32: return integer(name, .int32, bits: 32, signed: true, .int32)
    case .int64: return SchemaElement(name: name, type: .int64)
    case .uint8: return integer(name, .int32, bits: 8, signed: false, .uint8)
    case .uint16: return integer(name, .int32, bits: 16, signed: false, .uint16)
    case .uint32: return integer(name, .int32, bits: 32, signed: false, .uint32)
    case .uint64: return integer(name, .int64, bits: 64, signed: false, .uint64)
    case .float16: return SchemaElement(name: name, type: .fixedLenByteArray, typeLength: 2, logicalType: .float16)
    case .float32: return SchemaElement(name: name, type: .float)
    case .float64: return SchemaElement(name: name, type: .double)
    case .decimal(let precision, let scale):
      guard (1...38).contains(precision), (0...precision).contains(scale) else {
        throw ParquetError(
          .invalidArgument,
          "column '\(path.joined(separator: "."))' has decimal(\(precision), \(scale)); precision must be 1...38 and scale 0...precision"
        )
      }
      let physical: PhysicalType
      var length: Int32?
      if precision <= 9 {
        physical = .int32
      } else if precision <= 18 {
        physical = .int64
      } else {
        physical = .fixedLenByteArray
        length = Int32(ParquetSchemaWriter.decimalByteWidth(precision: precision))
      }
      return SchemaElement(
        name: name, type: physical, typeLength: length, convertedType: .decimal, scale: Int32(scale),
        precision: Int32(precision), logicalType: .decimal(scale: Int32(scale), precision: Int32(precision)))
    case .string:
      return SchemaElement(name: name, type: .byteArray, convertedType: .utf8, logicalType: .string)
    case .binary: return SchemaElement(name: name, type: .byteArray)
    case .fixedBinary(let width):
      guard width > 0, width <= Int(Int32.max) else {
        throw ParquetError(
          .invalidArgument, "column '\(path.joined(separator: "."))' has fixed binary width \(width)")
      }
      return SchemaElement(name: name, type: .fixedLenByteArray, typeLength: Int32(width))
    case .uuid: return SchemaElement(name: name, type: .fixedLenByteArray, typeLength: 16, logicalType: .uuid)
    case .date: return SchemaElement(name: name, type: .int32, convertedType: .date, logicalType: .date)
    case .time(let unit):
      switch unit {
      case .millisecond:
        return SchemaElement(
          name: name, type: .int32, convertedType: .timeMillis, logicalType: .time(isAdjustedToUTC: true, unit: .millis)
        )
      case .microsecond:
        return SchemaElement(
          name: name, type: .int64, convertedType: .timeMicros, logicalType: .time(isAdjustedToUTC: true, unit: .micros)
        )
      case .nanosecond:
        return SchemaElement(name: name, type: .int64, logicalType: .time(isAdjustedToUTC: true, unit: .nanos))
      }
    case .timestamp(let unit, let utc):
      let parquetUnit: ParquetTimeUnit
      var converted: ConvertedType?
      switch unit {
      case .millisecond:
        parquetUnit = .millis
        if utc { converted = .timestampMillis }
      case .microsecond:
        parquetUnit = .micros
        if utc { converted = .timestampMicros }
      case .nanosecond: parquetUnit = .nanos
      }
      return SchemaElement(
        name: name, type: .int64, convertedType: converted,
        logicalType: .timestamp(isAdjustedToUTC: utc, unit: parquetUnit))
    case .structure, .list, .map:
      throw ParquetError(.invalidArgument, "'\(path.joined(separator: "."))' is not a primitive column")
    }
  }

  private static func integer(
    _ name: String, _ physical: PhysicalType, bits: Int8, signed: Bool, _ converted: ConvertedType
  ) -> SchemaElement {
    SchemaElement(
      name: name, type: physical, convertedType: converted, logicalType: .integer(bitWidth: bits, isSigned: signed))
  }

  private static func order(of type: DataType, physical: PhysicalType) -> ValueOrder {
    switch type {
    case .null: .none
    case .boolean: .boolean
    case .uint8, .uint16, .uint32, .uint64: .unsigned
    case .float32, .float64: .float
    case .float16: .float16
    case .decimal: physical == .fixedLenByteArray ? .signedBigEndian : .signed
    case .string, .binary, .fixedBinary, .uuid: .unsignedBytes
    default: .signed
    }
  }

  /// The deprecated statistics order every value signed (bytes as signed bytes): write them only
  /// where that order is the logical one.
  private static func writesLegacyStatistics(_ type: DataType, physical: PhysicalType) -> Bool {
    switch type {
    case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .date, .time, .timestamp: true
    case .decimal: physical != .fixedLenByteArray
    default: false
    }
  }
}
