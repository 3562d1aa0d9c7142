/// The resolution of a time or timestamp value.
public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
  case millisecond, microsecond, nanosecond

  /// How many of this unit make one second.
  public var perSecond: Int64 {
    switch self {
    case .millisecond: 1_000
    case .microsecond: 1_000_000
    case .nanosecond: 1_000_000_000
    }
  }
}

/// The logical type of a column, shared by every layer (Parquet, Delta, SQL).
///
/// Each type has one physical storage (see ``ColumnStorage``): dates are `Int32` days since
/// 1970-01-01, times and timestamps `Int64` counts of their unit, decimals `Int128` unscaled values,
/// strings and binaries offsets plus bytes (or a dictionary of them).
public indirect enum DataType: Sendable, Hashable {
  /// A column with no values but nulls (Delta's `void`, Parquet's UNKNOWN/null logical type).
  case null
  case boolean
  case int8, int16, int32, int64
  case uint8, uint16, uint32, uint64
  /// IEEE half precision, stored as its 16-bit pattern (`.uint16` storage).
  case float16
  case float32, float64
  /// A fixed-point number with `precision` significant digits (1...38), `scale` of them after the point.
  case decimal(precision: Int, scale: Int)
  /// UTF-8 text.
  case string
  case binary
  /// Binary values of exactly `width` bytes.
  case fixedBinary(width: Int)
  /// A 16-byte UUID, stored as fixed-width binary.
  case uuid
  /// Days since 1970-01-01.
  case date
  /// Time of day since midnight.
  case time(TimeUnit)
  /// An instant (`utc == true`, Delta `timestamp`) or a wall-clock time with no zone
  /// (`utc == false`, Delta `timestamp_ntz`), counted in `unit` since 1970-01-01T00:00:00.
  case timestamp(TimeUnit, utc: Bool)
  case structure([Field])
  /// A list whose elements are described by `element`.
  case list(Field)
  case map(key: Field, value: Field)

  /// True for types whose values are variable-length or fixed-width byte strings.
  public var isBinaryLike: Bool {
    switch self {
    case .string, .binary, .fixedBinary, .uuid: true
    default: false
    }
  }

  /// True for types without child fields.
  public var isPrimitive: Bool {
    switch self {
    case .structure, .list, .map: false
    default: true
    }
  }
}

/// A named, typed column of a schema or a struct.
public struct Field: Sendable, Hashable {
  public var name: String
  public var type: DataType
  public var nullable: Bool
  /// The Parquet field id, when the file declares one (Delta column mapping in id mode uses it).
  public var fieldID: Int32?
  /// Free-form annotations (Delta column metadata such as physical names lives here).
  public var metadata: [String: String]

  public init(
    _ name: String, _ type: DataType, nullable: Bool = true, fieldID: Int32? = nil,
    metadata: [String: String] = [:]
  ) {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.fieldID = fieldID
    self.metadata = metadata
  }
}

/// The ordered fields of a record batch or table.
public struct Schema: Sendable, Hashable {
  public var fields: [Field]
  public var metadata: [String: String]

  public init(_ fields: [Field], metadata: [String: String] = [:]) {
    self.fields = fields
    self.metadata = metadata
  }

  /// The index of the field named `name`, compared exactly.
  public func index(of name: String) -> Int? {
    fields.firstIndex { $0.name == name }
  }
}
