import Columnar

/// The Columnar type of a Parquet primitive, from its logical type (or, in older files, its
/// converted type) and physical type.
enum LeafTyping {
  static func type(of element: SchemaElement, path: [String]) throws(ParquetError) -> (DataType, LeafConversion) {
    guard let physical = element.type else {
      throw ParquetError(.corrupt, "leaf '\(path.joined(separator: "."))' has no physical type")
    }
    let where_ = "column '\(path.joined(separator: "."))'"
    if case .unknown = element.logicalType { return (.null, conversion(forPlain: physical)) }

    switch physical {
    case .boolean:
      return (.boolean, .boolean)
    case .int32:
      if let (signed, width) = integer(element) {
        switch (signed, width) {
        case (true, 8): return (.int8, .int32Narrow)
        case (true, 16): return (.int16, .int32Narrow)
        case (false, 8): return (.uint8, .int32Narrow)
        case (false, 16): return (.uint16, .int32Narrow)
        case (false, 32): return (.uint32, .int32Unsigned)
        case (true, 32): return (.int32, .int32)
        default: throw ParquetError(.corrupt, "\(where_): INT32 cannot hold a \(width)-bit integer")
        }
      }
      if let decimal = try decimal(element, maxPrecision: 9, where_: where_) { return (decimal, .decimalInt32) }
      if case .date = element.logicalType { return (.date, .int32) }
      if element.convertedType == .date { return (.date, .int32) }
      if case .time(_, let unit) = element.logicalType {
        guard unit == .millis else { throw ParquetError(.corrupt, "\(where_): INT32 time must be in milliseconds") }
        return (.time(.millisecond), .int32ToInt64)
      }
      if element.convertedType == .timeMillis { return (.time(.millisecond), .int32ToInt64) }
      return (.int32, .int32)
    case .int64:
      if let (signed, width) = integer(element) {
        guard width == 64 else { throw ParquetError(.corrupt, "\(where_): INT64 with a \(width)-bit integer type") }
        return signed ? (.int64, .int64) : (.uint64, .int64Unsigned)
      }
      if let decimal = try decimal(element, maxPrecision: 18, where_: where_) { return (decimal, .decimalInt64) }
      if case .timestamp(let utc, let unit) = element.logicalType {
        return (.timestamp(timeUnit(unit), utc: utc), .int64)
      }
      if case .time(_, let unit) = element.logicalType {
        guard unit != .millis else { throw ParquetError(.corrupt, "\(where_): INT64 time cannot be in milliseconds") }
        return (.time(timeUnit(unit)), .int64)
      }
      switch element.convertedType {
      case .timestampMillis?: return (.timestamp(.millisecond, utc: true), .int64)
      case .timestampMicros?: return (.timestamp(.microsecond, utc: true), .int64)
      case .timeMicros?: return (.time(.microsecond), .int64)
      default: return (.int64, .int64)
      }
    case .int96:
      // pyarrow and Spark read INT96 as a nanosecond timestamp with no zone annotation.
      return (.timestamp(.nanosecond, utc: false), .int96Timestamp)
    case .float:
      return (.float32, .float)
    case .double:
      return (.float64, .double)
    case .byteArray:
      if let decimal = try decimal(element, maxPrecision: 38, where_: where_) { return (decimal, .decimalBytes) }
      switch element.logicalType {
      case .string?, .enum?, .json?: return (.string, .bytes)
      case .bson?: return (.binary, .bytes)
      default: break
      }
      switch element.convertedType {
      case .utf8?, .enum?, .json?: return (.string, .bytes)
      default: return (.binary, .bytes)
      }
    case .fixedLenByteArray:
      let width = Int(element.typeLength ?? -1)
      guard width >= 0 else { throw ParquetError(.corrupt, "\(where_): FIXED_LEN_BYTE_ARRAY without type_length") }
      if let decimal = try decimal(element, maxPrecision: 38, where_: where_) {
        guard width >= 1, width <= 16 else {
          throw ParquetError(.unsupported, "\(where_): decimals wider than 16 bytes are not supported")
        }
        return (decimal, .decimalBytes)
      }
      if case .uuid = element.logicalType {
        guard width == 16 else { throw ParquetError(.corrupt, "\(where_): UUID must be 16 bytes, not \(width)") }
        return (.uuid, .bytes)
      }
      if case .float16 = element.logicalType, width == 2 { return (.float16, .float16Bits) }
      return (.fixedBinary(width: width), .bytes)
    }
  }

  private static func conversion(forPlain physical: PhysicalType) -> LeafConversion {
    switch physical {
    case .boolean: .boolean
    case .int32: .int32
    case .int64: .int64
    case .int96: .int96Timestamp
    case .float: .float
    case .double: .double
    case .byteArray, .fixedLenByteArray: .bytes
    }
  }

  private static func integer(_ element: SchemaElement) -> (signed: Bool, width: Int)? {
    if case .integer(let width, let signed) = element.logicalType { return (signed, Int(width)) }
    switch element.convertedType {
    case .int8?: return (true, 8)
    case .int16?: return (true, 16)
    case .int32?: return (true, 32)
    case .int64?: return (true, 64)
    case .uint8?: return (false, 8)
    case .uint16?: return (false, 16)
    case .uint32?: return (false, 32)
    case .uint64?: return (false, 64)
    default: return nil
    }
  }

  private static func decimal(_ element: SchemaElement, maxPrecision: Int, where_: String) throws(ParquetError)
    -> DataType?
  {
    let precision: Int
    let scale: Int
    if case .decimal(let s, let p) = element.logicalType {
      precision = Int(p)
      scale = Int(s)
    } else if element.convertedType == .decimal {
      precision = Int(element.precision ?? 0)
      scale = Int(element.scale ?? 0)
    } else {
      return nil
    }
    guard precision >= 1, precision <= maxPrecision, scale >= 0, scale <= precision else {
      throw ParquetError(
        .unsupported, "\(where_): decimal(\(precision), \(scale)) is outside what this physical type holds (precision 1...\(maxPrecision))")
    }
    return .decimal(precision: precision, scale: scale)
  }

  private static func timeUnit(_ unit: ParquetTimeUnit) -> TimeUnit {
    switch unit {
    case .millis: .millisecond
    case .micros: .microsecond
    case .nanos: .nanosecond
    }
  }
}
