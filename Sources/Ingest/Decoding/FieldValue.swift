/// One decoded value, before its column's type is settled.
///
/// Decoders say what they know: a Zeek `count` is an `.int`, an osquery column value is `.text`
/// (a number only if every value of the column is one), an unset Zeek field of type `count` is
/// `.typedNull(.int)` so that the column gets its type even when every value is unset.
public enum FieldValue: Sendable, Equatable {
  case null
  /// A null whose column type is known.
  case typedNull(FieldKind)
  case bool(Bool)
  case int(Int64)
  case double(Double)
  /// Text that stays a string.
  case string(String)
  /// Text whose column becomes a long, double, boolean or timestamp when every value of the
  /// column parses as one (osquery columns without `numerics`, CSV cells), and a string otherwise.
  case text(String)
  /// Microseconds since 1970-01-01T00:00:00Z.
  case timestamp(Int64)
  /// A list whose elements are all of `element` kind (Zeek sets and vectors).
  case list(element: FieldKind, [FieldValue])
  /// String keys to string values (osquery decorations), in order.
  case map([MapEntry])

  /// The kind of the value, or nil for an untyped null.
  public var kind: FieldKind? {
    switch self {
    case .null: nil
    case .typedNull(let kind): kind
    case .bool: .bool
    case .int: .int
    case .double: .double
    case .string: .string
    case .text: .text
    case .timestamp: .timestamp
    case .list(let element, _): .list(element)
    case .map: .map
    }
  }
}

/// The type family of a ``FieldValue``.
public indirect enum FieldKind: Sendable, Hashable {
  case bool, int, double, string, text, timestamp, map
  case list(FieldKind)
}

/// One entry of a ``FieldValue/map(_:)``.
public struct MapEntry: Sendable, Equatable {
  public var key: String
  public var value: String?

  public init(_ key: String, _ value: String?) {
    self.key = key
    self.value = value
  }
}
