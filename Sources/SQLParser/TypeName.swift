/// A type named in `CAST(x AS type)`, `x::type` or a typed literal.
///
/// Spellings fold to one case each: `INT`, `INTEGER`, `INT4` are all ``integer``; `VARCHAR`,
/// `STRING`, `TEXT` are ``varchar``; `BINARY`, `BLOB`, `BYTEA` are ``binary``; `TIMESTAMP` and
/// Spark's `TIMESTAMP_NTZ` are ``timestamp`` (no time zone, as in DuckDB); `TIMESTAMPTZ`,
/// `TIMESTAMP WITH TIME ZONE` and Spark's `TIMESTAMP_LTZ` are ``timestampWithTimeZone``.
public indirect enum TypeName: Sendable, Hashable, CustomStringConvertible {
  case boolean
  case tinyint
  case smallint
  case integer
  case bigint
  /// 32-bit floating point: `FLOAT`, `REAL`, `FLOAT4`.
  case float
  /// 64-bit floating point: `DOUBLE`, `DOUBLE PRECISION`, `FLOAT8`.
  case double
  /// `DECIMAL`, `DECIMAL(p)`, `DECIMAL(p, s)` (also `NUMERIC`); absent values are left for the
  /// binder to default.
  case decimal(precision: Int?, scale: Int?)
  /// Variable-length text; a length such as `VARCHAR(20)` is accepted and ignored, as DuckDB does.
  case varchar
  case date
  case timestamp
  case timestampWithTimeZone
  case binary
  case interval
  /// `T[]`.
  case array(TypeName)

  public var description: String {
    switch self {
    case .boolean: "BOOLEAN"
    case .tinyint: "TINYINT"
    case .smallint: "SMALLINT"
    case .integer: "INTEGER"
    case .bigint: "BIGINT"
    case .float: "FLOAT"
    case .double: "DOUBLE"
    case .decimal(let precision?, let scale?): "DECIMAL(\(precision), \(scale))"
    case .decimal(let precision?, nil): "DECIMAL(\(precision))"
    case .decimal: "DECIMAL"
    case .varchar: "VARCHAR"
    case .date: "DATE"
    case .timestamp: "TIMESTAMP"
    case .timestampWithTimeZone: "TIMESTAMPTZ"
    case .binary: "BINARY"
    case .interval: "INTERVAL"
    case .array(let element): "\(element)[]"
    }
  }

  /// The type a single word names, if any: `int`, `VARCHAR`, `timestamp_ntz`.
  static func simple(_ word: String) -> TypeName? {
    switch word.uppercased() {
    case "BOOLEAN", "BOOL": .boolean
    case "TINYINT", "INT1", "BYTE": .tinyint
    case "SMALLINT", "INT2", "SHORT": .smallint
    case "INT", "INTEGER", "INT4", "SIGNED": .integer
    case "BIGINT", "INT8", "LONG": .bigint
    case "FLOAT", "REAL", "FLOAT4": .float
    case "DOUBLE", "FLOAT8": .double
    case "DECIMAL", "NUMERIC", "DEC": .decimal(precision: nil, scale: nil)
    case "VARCHAR", "STRING", "TEXT", "CHAR", "BPCHAR", "CHARACTER": .varchar
    case "DATE": .date
    case "TIMESTAMP", "TIMESTAMP_NTZ", "DATETIME": .timestamp
    case "TIMESTAMPTZ", "TIMESTAMP_LTZ": .timestampWithTimeZone
    case "BINARY", "BLOB", "BYTEA", "VARBINARY": .binary
    case "INTERVAL": .interval
    default: nil
    }
  }
}
