import Columnar

/// Picks the Delta type of a column that the table does not have yet, from the values a batch
/// holds for it: numbers stay numbers (long, or double when any is fractional), `.text` becomes a
/// long, double, boolean or timestamp when every value parses as one, and any mix that has no
/// common type becomes a string. Nil when every value is an untyped null (the column is left
/// out until a value arrives).
enum ColumnTyping {
  static func inferType(_ values: [FieldValue]) -> DataType? {
    var kinds = KindSet()
    for value in values { kinds.add(value) }
    return kinds.resolved
  }

  /// The kinds seen in a column, and what `.text` values could be.
  struct KindSet {
    var bool = false, int = false, double = false, string = false, timestamp = false, map = false
    var list: FieldKind?
    var mixedLists = false
    var text = TextShape()

    mutating func add(_ value: FieldValue) {
      guard let kind = value.kind else { return }
      add(kind)
      switch value {
      case .text(let text): self.text.add(text)
      case .list(let element, let values):
        if case .text = element { for case .text(let text) in values { self.text.add(text) } }
      default: break
      }
    }

    mutating func add(_ kind: FieldKind) {
      switch kind {
      case .bool: bool = true
      case .int: int = true
      case .double: double = true
      case .string: string = true
      case .timestamp: timestamp = true
      case .map: map = true
      case .text: text.seen = true
      case .list(let element):
        if let list, list != element { mixedLists = true }
        list = element
      }
    }

    var resolved: DataType? {
      let scalars = [bool, int || double, string, timestamp].filter { $0 }.count
      if let list {
        if mixedLists || scalars > 0 || map || text.seen { return .string }
        return .list(Field("element", Self.elementType(list, text: text)))
      }
      if map { return scalars > 0 || text.seen ? .string : .map(key: Field("key", .string, nullable: false), value: Field("value", .string)) }
      if scalars == 0 {
        return text.seen ? text.type : nil
      }
      if scalars > 1 || string { return .string }
      if int || double {
        guard !text.seen || text.isNumeric else { return .string }
        return double || text.isFractional ? .float64 : .int64
      }
      if bool { return !text.seen || text.isBoolean ? .boolean : .string }
      return !text.seen || text.isTimestamp ? .timestamp(.microsecond, utc: true) : .string
    }

    static func elementType(_ kind: FieldKind, text: TextShape) -> DataType {
      switch kind {
      case .bool: .boolean
      case .int: .int64
      case .double: .float64
      case .string, .map, .list: .string
      case .timestamp: .timestamp(.microsecond, utc: true)
      case .text: text.type ?? .string
      }
    }
  }

  /// Which types every `.text` value of a column parses as.
  struct TextShape {
    var seen = false
    var isInteger = true, isNumeric = true, isFractional = false, isBoolean = true, isTimestamp = true

    mutating func add(_ text: String) {
      seen = true
      guard isInteger || isNumeric || isBoolean || isTimestamp else { return }
      if isInteger, Int64(text) == nil { isInteger = false }
      if isNumeric, !isInteger {
        if Self.isPlainNumber(text) { isFractional = true } else { isNumeric = false }
      }
      if isBoolean, !Self.isBooleanWord(text) { isBoolean = false }
      if isTimestamp, !Self.looksLikeTimestamp(text) { isTimestamp = false }
    }

    var type: DataType? {
      guard seen else { return nil }
      if isInteger { return .int64 }
      if isNumeric { return .float64 }
      if isBoolean { return .boolean }
      if isTimestamp { return .timestamp(.microsecond, utc: true) }
      return .string
    }

    /// A decimal number as people write it (no `nan`, `inf` or hex floats, which Double accepts).
    static func isPlainNumber(_ text: String) -> Bool {
      guard !text.isEmpty, Double(text) != nil else { return false }
      return text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 }
    }

    static func isBooleanWord(_ text: String) -> Bool {
      text.count <= 5 && ["true", "false"].contains(text.lowercased())
    }

    /// `YYYY-MM-DD(T| )HH:MM…` that parses as a time (a bare number is never a timestamp).
    static func looksLikeTimestamp(_ text: String) -> Bool {
      let utf8 = text.utf8
      guard utf8.count >= 16 else { return false }
      return TimeText.micros(iso8601: text) != nil
    }
  }
}
