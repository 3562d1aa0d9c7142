/// The type of a Zeek log column, from its `#types` header entry, reduced to what decoding needs.
enum ZeekType: Sendable, Equatable {
  /// `time`: epoch seconds with a fraction.
  case time
  /// `interval`, `double`.
  case double
  /// `count`, `int`, `port`.
  case int
  /// `bool`: `T` or `F`.
  case bool
  /// `string`, `addr`, `subnet`, `enum`, `pattern`, and any type not listed here: kept as text.
  case string
  /// `set[T]`, `vector[T]` (and `table[T]`, as Bro 2.0 wrote sets): elements split on the set
  /// separator.
  indirect case list(ZeekType)

  /// The type named `name` (`count`, `set[string]`); an unknown name reads as text.
  init(_ name: some StringProtocol) {
    switch name {
    case "time": self = .time
    case "interval", "double": self = .double
    case "count", "int", "port": self = .int
    case "bool": self = .bool
    default:
      for prefix in ["set[", "vector[", "table["] where name.hasPrefix(prefix) && name.hasSuffix("]") {
        let element = ZeekType(name.dropFirst(prefix.count).dropLast())
        // Zeek logs have no nested containers; a nested one is kept as text.
        if case .list = element { break }
        self = .list(element)
        return
      }
      self = .string
    }
  }

  /// The kind of the values this type decodes to.
  var kind: FieldKind {
    switch self {
    case .time: .timestamp
    case .double: .double
    case .int: .int
    case .bool: .bool
    case .string: .string
    case .list(let element): .list(element.kind)
    }
  }
}
