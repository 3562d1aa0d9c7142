public import Columnar
import Expr
import SQLParser

/// SQL type names to engine types, and SQL literals to values.
enum TypeMapping {
  static func dataType(_ name: TypeName, at location: SourceLocation) throws(EngineError) -> DataType {
    switch name {
    case .boolean: return .boolean
    case .tinyint: return .int8
    case .smallint: return .int16
    case .integer: return .int32
    case .bigint: return .int64
    case .float: return .float32
    case .double: return .float64
    case .decimal(let precision, let scale):
      let p = precision ?? 18, s = scale ?? (precision == nil ? 3 : 0)
      guard (1...38).contains(p), (0...p).contains(s) else {
        throw EngineError(.binding, "DECIMAL(\(p), \(s)) is not a valid decimal type", at: location)
      }
      return .decimal(precision: p, scale: s)
    case .varchar: return .string
    case .date: return .date
    case .timestamp: return .timestamp(.microsecond, utc: false)
    case .timestampWithTimeZone: return .timestamp(.microsecond, utc: true)
    case .binary: return .binary
    case .interval: throw EngineError(.unsupported, "INTERVAL values can only be added to or subtracted from dates and timestamps", at: location)
    case .array(let element): return .list(Field("element", try dataType(element, at: location)))
    }
  }

  /// The SQL name of a type, as DuckDB prints it.
  static func sqlName(_ type: DataType) -> String {
    switch type {
    case .null: "NULL"
    case .boolean: "BOOLEAN"
    case .int8: "TINYINT"
    case .int16: "SMALLINT"
    case .int32: "INTEGER"
    case .int64: "BIGINT"
    case .uint8: "UTINYINT"
    case .uint16: "USMALLINT"
    case .uint32: "UINTEGER"
    case .uint64: "UBIGINT"
    case .float16, .float32: "FLOAT"
    case .float64: "DOUBLE"
    case .decimal(let p, let s): "DECIMAL(\(p),\(s))"
    case .string: "VARCHAR"
    case .binary, .fixedBinary: "BLOB"
    case .uuid: "UUID"
    case .date: "DATE"
    case .time: "TIME"
    case .timestamp(_, let utc): utc ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP"
    case .structure(let fields): "STRUCT(\(fields.map { "\($0.name) \(sqlName($0.type))" }.joined(separator: ", ")))"
    case .list(let element): "\(sqlName(element.type))[]"
    case .map(let k, let v): "MAP(\(sqlName(k.type)), \(sqlName(v.type)))"
    }
  }

  /// The value of a literal that needs no conversion; typed literals and intervals are handled
  /// by the binder.
  static func value(_ literal: Literal, at location: SourceLocation) throws(EngineError) -> ScalarValue {
    switch literal {
    case .null: return .null
    case .boolean(let b): return .boolean(b)
    case .integer(let i): return .int64(i)
    case .double(let d): return .float64(d)
    case .string(let s): return .string(s)
    case .decimal(let text):
      let parts = text.split(separator: ".", omittingEmptySubsequences: false)
      let digits = parts.joined()
      let scale = parts.count > 1 ? parts[1].count : 0
      guard digits.count <= 38, let unscaled = Int128(digits) else {
        guard let d = Double(text) else { throw EngineError(.binding, "invalid number \(text)", at: location) }
        return .float64(d)
      }
      if scale == 0, let small = Int64(exactly: unscaled) { return .int64(small) }
      return .decimal(unscaled, precision: max(digits.count, scale + 1, 1), scale: scale)
    case .typed, .interval:
      throw EngineError(.binding, "internal: typed literal reached value()", at: location)
    }
  }
}
