public import Columnar

extension DeltaSchema {
  /// The `schemaString` of a schema: Spark's JSON struct type (the inverse of ``parse(_:)``).
  public static func jsonString(_ schema: Schema) throws(DeltaError) -> String {
    var fields: [JSONValue] = []
    for field in schema.fields { fields.append(try json(field)) }
    return JSONValue.object(JSONObject([("type", .string("struct")), ("fields", .array(fields))])).jsonText
  }

  static func json(_ field: Field) throws(DeltaError) -> JSONValue {
    var metadata: [(key: String, value: JSONValue)] = []
    for key in field.metadata.keys.sorted() {
      let text = field.metadata[key] ?? ""
      // Values that were JSON numbers, booleans, objects or arrays were kept as their JSON text.
      if let first = text.first, "-0123456789{[tf".contains(first), let parsed = try? JSONParser.parse(text),
        parsed.stringValue == nil
      {
        metadata.append((key, parsed))
      } else {
        metadata.append((key, .string(text)))
      }
    }
    return .object(
      JSONObject([
        ("name", .string(field.name)), ("type", try json(field.type, path: field.name)),
        ("nullable", .bool(field.nullable)), ("metadata", .object(JSONObject(metadata))),
      ]))
  }

  static func json(_ type: DataType, path: String) throws(DeltaError) -> JSONValue {
    switch type {
    case .null: return .string("void")
    case .boolean: return .string("boolean")
    case .int8: return .string("byte")
    case .int16: return .string("short")
    case .int32: return .string("integer")
    case .int64: return .string("long")
    case .float32: return .string("float")
    case .float64: return .string("double")
    case .decimal(let precision, let scale): return .string("decimal(\(precision),\(scale))")
    case .string: return .string("string")
    case .binary: return .string("binary")
    case .date: return .string("date")
    case .timestamp(.microsecond, let utc): return .string(utc ? "timestamp" : "timestamp_ntz")
    case .structure(let fields):
      var children: [JSONValue] = []
      for child in fields { children.append(try json(child)) }
      return .object(JSONObject([("type", .string("struct")), ("fields", .array(children))]))
    case .list(let element):
      return .object(
        JSONObject([
          ("type", .string("array")), ("elementType", try json(element.type, path: path + ".element")),
          ("containsNull", .bool(element.nullable)),
        ]))
    case .map(let key, let value):
      return .object(
        JSONObject([
          ("type", .string("map")), ("keyType", try json(key.type, path: path + ".key")),
          ("valueType", try json(value.type, path: path + ".value")), ("valueContainsNull", .bool(value.nullable)),
        ]))
    default:
      throw DeltaError(
        .invalidSchema, "column '\(path)' has type \(type), which Delta cannot store (convert it first)")
    }
  }
}
