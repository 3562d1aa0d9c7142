public import Columnar

/// Delta's schema serialization (PROTOCOL.md "Schema Serialization Format", Spark's JSON schema)
/// to and from Columnar schemas.
///
/// | Delta | Columnar |
/// |---|---|
/// | `string`, `binary`, `boolean` | `.string`, `.binary`, `.boolean` |
/// | `byte`, `short`, `integer`, `long` | `.int8`, `.int16`, `.int32`, `.int64` |
/// | `float`, `double` | `.float32`, `.float64` |
/// | `decimal(p,s)` | `.decimal(precision: p, scale: s)` |
/// | `date` | `.date` |
/// | `timestamp` / `timestamp_ntz` | `.timestamp(.microsecond, utc: true / false)` |
/// | `void` | `.null` |
/// | `struct`, `array`, `map` | `.structure`, `.list` (element `element`), `.map` (`key`, `value`) |
///
/// Column metadata becomes `Field.metadata`: string values as they are, other values as JSON text
/// (`delta.columnMapping.id` → `"5"`); the column mapping id also becomes `Field.fieldID`.
public enum DeltaSchema {
  /// Parses a `metaData.schemaString`.
  public static func parse(_ schemaString: String) throws(DeltaError) -> Schema {
    let json: JSONValue
    do {
      json = try JSONParser.parse(schemaString)
    } catch {
      throw DeltaError(.invalidSchema, "the schema string is not valid JSON: \(error)")
    }
    guard case .object(let root) = json, root.present("type")?.stringValue == "struct",
      let fields = root.present("fields")?.arrayValue
    else {
      throw DeltaError(.invalidSchema, "the schema must be a JSON struct type with 'fields'")
    }
    var parsed: [Field] = []
    for field in fields { parsed.append(try self.field(field, path: [])) }
    return Schema(parsed)
  }

  static func field(_ json: JSONValue, path: [String]) throws(DeltaError) -> Field {
    guard case .object(let object) = json, let name = object.present("name")?.stringValue,
      let typeJSON = object.present("type")
    else {
      throw DeltaError(.invalidSchema, "a field in '\(path.joined(separator: "."))' has no name or type")
    }
    let fieldPath = path + [name]
    let type = try dataType(typeJSON, path: fieldPath)
    var metadata: [String: String] = [:]
    if let entries = object.present("metadata")?.objectValue?.entries {
      for (key, value) in entries {
        switch value {
        case .null: continue
        case .string(let text): metadata[key] = text
        default: metadata[key] = value.jsonText
        }
      }
    }
    let id = metadata[ColumnMapping.idKey].flatMap { Int32($0) }
    return Field(name, type, nullable: object.present("nullable")?.boolValue ?? true, fieldID: id, metadata: metadata)
  }

  static func dataType(_ json: JSONValue, path: [String]) throws(DeltaError) -> DataType {
    let where_ = "column '\(path.joined(separator: "."))'"
    switch json {
    case .string(let name):
      if let type = primitive(name) { return type }
      if name == "variant" {
        throw DeltaError(.unsupportedFeature, "\(where_) has type 'variant', which Avocet does not read yet")
      }
      throw DeltaError(.invalidSchema, "\(where_) has unknown type '\(name)'")
    case .object(let object):
      switch object.present("type")?.stringValue {
      case "struct":
        guard let fields = object.present("fields")?.arrayValue else {
          throw DeltaError(.invalidSchema, "\(where_): struct type without 'fields'")
        }
        var children: [Field] = []
        for child in fields { children.append(try field(child, path: path)) }
        return .structure(children)
      case "array":
        guard let element = object.present("elementType") else {
          throw DeltaError(.invalidSchema, "\(where_): array type without 'elementType'")
        }
        let elementType = try dataType(element, path: path + ["element"])
        return .list(Field("element", elementType, nullable: object.present("containsNull")?.boolValue ?? true))
      case "map":
        guard let key = object.present("keyType"), let value = object.present("valueType") else {
          throw DeltaError(.invalidSchema, "\(where_): map type without 'keyType' or 'valueType'")
        }
        return .map(
          key: Field("key", try dataType(key, path: path + ["key"]), nullable: false),
          value: Field(
            "value", try dataType(value, path: path + ["value"]),
            nullable: object.present("valueContainsNull")?.boolValue ?? true))
      case let other?:
        if let type = primitive(other) { return type }
        throw DeltaError(.invalidSchema, "\(where_) has unknown type '\(other)'")
      case nil:
        throw DeltaError(.invalidSchema, "\(where_): type object without 'type'")
      }
    default:
      throw DeltaError(.invalidSchema, "\(where_): a type must be a name or an object")
    }
  }

  /// The Columnar type of a primitive Delta type name, or nil.
  public static func primitive(_ name: String) -> DataType? {
    switch name {
    case "string": return .string
    case "long", "bigint": return .int64
    case "integer", "int": return .int32
    case "short", "smallint": return .int16
    case "byte", "tinyint": return .int8
    case "float", "real": return .float32
    case "double": return .float64
    case "boolean": return .boolean
    case "binary": return .binary
    case "date": return .date
    case "timestamp": return .timestamp(.microsecond, utc: true)
    case "timestamp_ntz": return .timestamp(.microsecond, utc: false)
    case "void", "null": return .null
    case "decimal": return .decimal(precision: 10, scale: 0)
    default: break
    }
    guard name.hasPrefix("decimal("), name.hasSuffix(")") else { return nil }
    let inner = name.dropFirst("decimal(".count).dropLast()
    let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 2,
      let precision = Int(parts[0].trimmingSpaces), let scale = Int(parts[1].trimmingSpaces),
      precision >= 1, precision <= 38, scale >= 0, scale <= precision
    else { return nil }
    return .decimal(precision: precision, scale: scale)
  }

  /// The Delta name of a Columnar type (`decimal(10,2)`, `array<int>`…) for display. Types Delta has
  /// no name for use Columnar's nearest equivalent.
  public static func typeName(_ type: DataType) -> String {
    switch type {
    case .null: "void"
    case .boolean: "boolean"
    case .int8, .uint8: "byte"
    case .int16, .uint16: "short"
    case .int32, .uint32: "integer"
    case .int64, .uint64: "long"
    case .float16, .float32: "float"
    case .float64: "double"
    case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
    case .string: "string"
    case .binary, .fixedBinary, .uuid: "binary"
    case .date: "date"
    case .time: "long"
    case .timestamp(_, let utc): utc ? "timestamp" : "timestamp_ntz"
    case .structure(let fields):
      "struct<" + fields.map { "\($0.name): \(typeName($0.type))" }.joined(separator: ", ") + ">"
    case .list(let element): "array<\(typeName(element.type))>"
    case .map(let key, let value): "map<\(typeName(key.type)), \(typeName(value.type))>"
    }
  }

  /// The schema with `void` columns left out (PROTOCOL.md recommends dropping them on reads; Avocet
  /// keeps them, reading as nulls, so this is offered for callers that want Spark's behaviour).
  public static func withoutVoidColumns(_ schema: Schema) -> Schema {
    Schema(schema.fields.filter { $0.type != .null }, metadata: schema.metadata)
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var text = self
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return text
  }
}
