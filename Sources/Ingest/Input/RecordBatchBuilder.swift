public import Columnar
import Delta
import Expr

/// Turns input records into record batches of a schema, checking every value against its
/// column's type; a bad value is an ``InputError`` naming file and line.
public struct RecordBatchBuilder {
  public let schema: Schema
  private var columns: [ColumnBuilder]
  private let index: [String: Int]
  private var seen: [Bool]
  public private(set) var rowCount = 0

  public init(schema: Schema) throws(InputError) {
    self.schema = schema
    for field in schema.fields where !field.type.isPrimitive {
      throw InputError(
        file: "input", line: nil,
        "column '\(field.name)' has type \(DeltaSchema.typeName(field.type)); JSON lines and CSV input fill primitive columns only")
    }
    columns = schema.fields.map { ColumnBuilder(type: $0.type) }
    index = Dictionary(schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    seen = Array(repeating: false, count: schema.fields.count)
  }

  public mutating func append(_ record: InputRecord, file: String) throws(InputError) {
    for slot in seen.indices { seen[slot] = false }
    for (name, cell) in record.cells {
      guard let slot = index[name] else {
        throw InputError(
          file: file, line: record.line,
          "column '\(name)' is not in the schema (\(schema.fields.map(\.name).joined(separator: ", "))); use --merge-schema to add it")
      }
      if seen[slot] { throw InputError(file: file, line: record.line, "column '\(name)' appears twice") }
      seen[slot] = true
      let field = schema.fields[slot]
      if case .null = cell, !field.nullable {
        throw InputError(file: file, line: record.line, "'\(name)' is not nullable, got null")
      }
      do {
        try columns[slot].append(cell)
      } catch {
        throw InputError(
          file: file, line: record.line,
          "'\(name)' expects a\(Self.article(field.type)) \(DeltaSchema.typeName(field.type)), got \(Self.shown(cell))")
      }
    }
    for slot in seen.indices where !seen[slot] {
      guard schema.fields[slot].nullable else {
        throw InputError(file: file, line: record.line, "'\(schema.fields[slot].name)' is not nullable and missing")
      }
      try? columns[slot].append(.null)
    }
    rowCount += 1
  }

  static func article(_ type: DataType) -> String {
    let name = DeltaSchema.typeName(type)
    return "aeiou".contains(name.first ?? "x") ? "n" : ""
  }

  static func shown(_ cell: InputCell) -> String {
    switch cell {
    case .null: return "null"
    case .boolean(let value): return value ? "true" : "false"
    case .number(let text): return text
    case .text(let text), .nested(let text):
      let cut = text.count > 60 ? String(text.prefix(60)) + "…" : text
      return "\"" + cut + "\""
    }
  }

  /// The rows appended so far as a batch; the builder starts over.
  public mutating func flush() throws(InputError) -> RecordBatch {
    let vectors = columns.indices.map { columns[$0].finish() }
    let count = rowCount
    rowCount = 0
    do {
      return try RecordBatch(schema: schema, columns: vectors, rowCount: count)
    } catch {
      throw InputError(file: "input", line: nil, "\(error)")
    }
  }
}

/// The values of one primitive column.
struct ColumnBuilder {
  let type: DataType
  private var valid: [Bool] = []
  private var hasNull = false
  private var ints: [Int64] = []
  private var doubles: [Double] = []
  private var decimals: [Int128] = []
  private var bits: [Bool] = []
  private var offsets: [Int32] = [0]
  private var bytes: [UInt8] = []

  struct Mismatch: Error {}

  init(type: DataType) { self.type = type }

  mutating func append(_ cell: InputCell) throws(Mismatch) {
    let value: ScalarValue
    switch (cell, type) {
    case (.null, _): value = .null
    case (.text(let text), .string), (.number(let text), .string), (.nested(let text), .string):
      value = .string(text)
    case (.boolean(let flag), .string): value = .string(flag ? "true" : "false")
    case (.boolean(let flag), .boolean): value = .boolean(flag)
    case (.boolean, _), (.nested, _): throw Mismatch()
    case (.number, .boolean), (.number, .date), (.number, .timestamp), (.number, .binary):
      throw Mismatch()
    case (.text(let text), _), (.number(let text), _):
      if case .boolean = type {
        switch text.lowercased() {
        case "true": value = .boolean(true)
        case "false": value = .boolean(false)
        default: throw Mismatch()
        }
      } else {
        do {
          value = try ScalarValue.parse(text, as: type)
        } catch {
          throw Mismatch()
        }
        // The empty string parses as null for non-text types: keep it an error unless the cell is a CSV null.
        if case .null = value { throw Mismatch() }
      }
    }
    add(value)
  }

  private mutating func add(_ value: ScalarValue) {
    let isNull = value.isNull
    valid.append(!isNull)
    if isNull { hasNull = true }
    switch type {
    case .boolean:
      if case .boolean(let flag) = value { bits.append(flag) } else { bits.append(false) }
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .date, .timestamp, .time:
      switch value {
      case .int64(let number): ints.append(number)
      case .date(let days): ints.append(Int64(days))
      case .timestamp(let micros, _):
        if case .timestamp(let unit, _) = type {
          ints.append(unit == .millisecond ? micros / 1000 : unit == .nanosecond ? micros &* 1000 : micros)
        } else {
          ints.append(micros)
        }
      default: ints.append(0)
      }
    case .float16, .float32, .float64:
      if case .float64(let number) = value { doubles.append(number) } else { doubles.append(0) }
    case .decimal:
      if case .decimal(let unscaled, _, _) = value { decimals.append(unscaled) } else { decimals.append(0) }
    default:
      switch value {
      case .string(let text): bytes.append(contentsOf: text.utf8)
      case .binary(let data): bytes.append(contentsOf: data)
      default: break
      }
      offsets.append(Int32(bytes.count))
    }
  }

  /// The values as a vector; the builder starts over.
  mutating func finish() -> ColumnVector {
    let count = valid.count
    var validity: Bitmap?
    if hasNull {
      var bitmap = Bitmap()
      for flag in valid { bitmap.append(flag) }
      validity = bitmap
    }
    let storage: ColumnStorage
    switch type {
    case .null: storage = .none
    case .boolean:
      var bitmap = Bitmap()
      for flag in bits { bitmap.append(flag) }
      storage = .boolean(bitmap)
    case .int8: storage = .int8(ints.map { Int8(truncatingIfNeeded: $0) })
    case .int16: storage = .int16(ints.map { Int16(truncatingIfNeeded: $0) })
    case .int32, .date: storage = .int32(ints.map { Int32(truncatingIfNeeded: $0) })
    case .uint8: storage = .uint8(ints.map { UInt8(truncatingIfNeeded: $0) })
    case .uint16: storage = .uint16(ints.map { UInt16(truncatingIfNeeded: $0) })
    case .uint32: storage = .uint32(ints.map { UInt32(truncatingIfNeeded: $0) })
    case .uint64: storage = .uint64(ints.map { UInt64(truncatingIfNeeded: $0) })
    case .int64, .timestamp, .time: storage = .int64(ints)
    case .float16: storage = .float32(doubles.map { Float($0) })
    case .float32: storage = .float32(doubles.map { Float($0) })
    case .float64: storage = .float64(doubles)
    case .decimal: storage = .int128(decimals)
    default: storage = .binary(offsets: offsets, bytes: bytes)
    }
    self = ColumnBuilder(type: type)
    return ColumnVector(type: type, count: count, validity: validity, storage: storage)
  }
}

/// Infers a schema from records: integers → long, other numbers → double, true/false →
/// boolean, ISO timestamps → timestamp, anything else (or a mix) → string. Columns keep the order
/// in which they first appear.
public struct SchemaInference {
  public enum Kind: Int { case unknown, long, double, boolean, timestamp, string }
  private var order: [String] = []
  private var kinds: [String: Kind] = [:]

  public init() {}

  public mutating func add(_ record: InputRecord) {
    for (name, cell) in record.cells {
      if kinds[name] == nil {
        order.append(name)
        kinds[name] = .unknown
      }
      let kind = Self.kind(of: cell)
      guard kind != .unknown, let current = kinds[name] else { continue }
      kinds[name] = Self.merge(current, kind)
    }
  }

  public static func merge(_ a: Kind, _ b: Kind) -> Kind {
    if a == b || b == .unknown { return a }
    if a == .unknown { return b }
    if (a == .long && b == .double) || (a == .double && b == .long) { return .double }
    return .string
  }

  public static func kind(of cell: InputCell) -> Kind {
    switch cell {
    case .null: return .unknown
    case .boolean: return .boolean
    case .nested: return .string
    case .number(let text): return Int64(text) != nil ? .long : (Double(text) != nil ? .double : .string)
    case .text(let text):
      if text == "true" || text == "false" { return .boolean }
      if Int64(text) != nil { return .long }
      if Double(text) != nil, text.first != "+", !text.lowercased().contains("n") && !text.lowercased().contains("i") {
        return .double
      }
      if isTimestamp(text) { return .timestamp }
      return .string
    }
  }

  /// `YYYY-MM-DD(T| )HH:MM…` that parses as a timestamp.
  public static func isTimestamp(_ text: String) -> Bool {
    let bytes = Array(text.utf8.prefix(16))
    guard bytes.count >= 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":")
    else { return false }
    return (try? ScalarValue.parse(text, as: .timestamp(.microsecond, utc: true))) != nil
  }

  /// Fields for the columns seen (all nullable); a column with only nulls is a string.
  public var fields: [Field] {
    order.map { name in
      let type: DataType
      switch kinds[name] ?? .unknown {
      case .long: type = .int64
      case .double: type = .float64
      case .boolean: type = .boolean
      case .timestamp: type = .timestamp(.microsecond, utc: true)
      case .unknown, .string: type = .string
      }
      return Field(name, type)
    }
  }
}
