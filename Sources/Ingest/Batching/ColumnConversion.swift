import Columnar

/// Builds a column of a given Delta type from decoded values. A value that does not fit the type
/// (text that is not a number in a long column, a fractional number in an int column, a value
/// beyond the type's range) is reported with its row and left null; the caller drops such rows.
struct ColumnConversion {
  let name: String
  let type: DataType
  /// Rows whose value did not fit, with why.
  private(set) var rejects: [(row: Int, message: String)] = []

  init(name: String, type: DataType) {
    self.name = name
    self.type = type
  }

  mutating func convert(_ values: [FieldValue]) -> ColumnVector {
    var validity = Bitmap(repeating: true, count: values.count)
    var nulls = 0
    let storage: ColumnStorage
    switch type {
    case .boolean:
      var bits = Bitmap(repeating: false, count: values.count)
      for (row, value) in values.enumerated() {
        guard let flag = boolean(value, row: row) else {
          validity[row] = false
          nulls += 1
          continue
        }
        if flag { bits[row] = true }
      }
      storage = .boolean(bits)
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
      let range = Self.range(of: type)
      var numbers = [Int64](repeating: 0, count: values.count)
      for (row, value) in values.enumerated() {
        guard let number = integer(value, row: row, range: range) else {
          validity[row] = false
          nulls += 1
          continue
        }
        numbers[row] = number
      }
      storage = Self.integerStorage(numbers, type)
    case .float32, .float64:
      var numbers = [Double](repeating: 0, count: values.count)
      for (row, value) in values.enumerated() {
        guard let number = double(value, row: row) else {
          validity[row] = false
          nulls += 1
          continue
        }
        numbers[row] = number
      }
      storage = type == .float32 ? .float32(numbers.map { Float($0) }) : .float64(numbers)
    case .timestamp(let unit, _):
      var numbers = [Int64](repeating: 0, count: values.count)
      for (row, value) in values.enumerated() {
        guard let micros = timestamp(value, row: row) else {
          validity[row] = false
          nulls += 1
          continue
        }
        numbers[row] = unit == .microsecond ? micros : unit == .millisecond ? micros / 1000 : micros &* 1000
      }
      storage = .int64(numbers)
    case .date:
      var days = [Int32](repeating: 0, count: values.count)
      for (row, value) in values.enumerated() {
        guard let micros = timestamp(value, row: row) else {
          validity[row] = false
          nulls += 1
          continue
        }
        days[row] = Int32(CalendarFormatting.floorDiv(micros, 86_400_000_000))
      }
      storage = .int32(days)
    case .string:
      var offsets = [Int32](repeating: 0, count: values.count + 1)
      var bytes: [UInt8] = []
      for (row, value) in values.enumerated() {
        if var text = value.text {
          // The contiguous bytes at once (appending the UTF-8 view goes byte by byte).
          text.withUTF8 { bytes.append(contentsOf: $0) }
        } else {
          validity[row] = false
          nulls += 1
        }
        offsets[row + 1] = Int32(bytes.count)
      }
      storage = .binary(offsets: offsets, bytes: bytes)
    case .list(let element):
      var offsets = [Int32](repeating: 0, count: values.count + 1)
      var flat: [FieldValue] = []
      var flatRows: [Int] = []
      for (row, value) in values.enumerated() {
        switch value {
        case .null, .typedNull:
          validity[row] = false
          nulls += 1
        case .list(_, let items):
          flat.append(contentsOf: items)
          flatRows.append(contentsOf: repeatElement(row, count: items.count))
        default:
          reject(row, value)
          validity[row] = false
          nulls += 1
        }
        offsets[row + 1] = Int32(flat.count)
      }
      var inner = ColumnConversion(name: name + ".element", type: element.type)
      let elements = inner.convert(flat)
      for failure in inner.rejects { rejects.append((flatRows[failure.row], failure.message)) }
      storage = .list(offsets: offsets, values: elements)
    case .map(let keyField, let valueField) where keyField.type == .string && valueField.type == .string:
      var offsets = [Int32](repeating: 0, count: values.count + 1)
      var keys: [FieldValue] = []
      var items: [FieldValue] = []
      for (row, value) in values.enumerated() {
        switch value {
        case .null, .typedNull:
          validity[row] = false
          nulls += 1
        case .map(let entries):
          for entry in entries {
            keys.append(.string(entry.key))
            items.append(entry.value.map { .string($0) } ?? .null)
          }
        default:
          reject(row, value)
          validity[row] = false
          nulls += 1
        }
        offsets[row + 1] = Int32(keys.count)
      }
      var keyConversion = ColumnConversion(name: name + ".key", type: .string)
      var valueConversion = ColumnConversion(name: name + ".value", type: .string)
      storage = .map(offsets: offsets, keys: keyConversion.convert(keys), values: valueConversion.convert(items))
    default:
      for (row, value) in values.enumerated() {
        if !isNull(value) { rejects.append((row, "column '\(name)' has type \(type), which ingestion cannot fill")) }
      }
      return ColumnVector.nulls(type, count: values.count)
    }
    return ColumnVector(type: type, count: values.count, validity: nulls > 0 ? validity : nil, storage: storage)
  }

  private func isNull(_ value: FieldValue) -> Bool {
    switch value {
    case .null, .typedNull: true
    default: false
    }
  }

  private mutating func reject(_ row: Int, _ value: FieldValue) {
    let shown = value.text.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 } ?? "null"
    rejects.append((row, "column '\(name)' is \(Self.typeName(type)) in the table; got \"\(shown)\""))
  }

  private mutating func boolean(_ value: FieldValue, row: Int) -> Bool? {
    switch value {
    case .null, .typedNull: return nil
    case .bool(let flag): return flag
    case .text(let text), .string(let text):
      switch text.lowercased() {
      case "true", "t": return true
      case "false", "f": return false
      default: break
      }
    case .int(let number) where number == 0 || number == 1: return number == 1
    default: break
    }
    reject(row, value)
    return nil
  }

  private mutating func integer(_ value: FieldValue, row: Int, range: ClosedRange<Int64>) -> Int64? {
    var number: Int64?
    switch value {
    case .null, .typedNull: return nil
    case .int(let int): number = int
    case .double(let double):
      if double.rounded() == double, double.magnitude < 9.2e18 { number = Int64(double) }
    case .text(let text), .string(let text): number = Int64(text)
    default: break
    }
    guard let number, range.contains(number) else {
      reject(row, value)
      return nil
    }
    return number
  }

  private mutating func double(_ value: FieldValue, row: Int) -> Double? {
    switch value {
    case .null, .typedNull: return nil
    case .int(let int): return Double(int)
    case .double(let double): return double
    case .text(let text), .string(let text):
      if let double = Double(text) { return double }
    default: break
    }
    reject(row, value)
    return nil
  }

  private mutating func timestamp(_ value: FieldValue, row: Int) -> Int64? {
    switch value {
    case .null, .typedNull: return nil
    case .timestamp(let micros): return micros
    case .text(let text), .string(let text):
      if let micros = TimeText.micros(iso8601: text) { return micros }
    default: break
    }
    reject(row, value)
    return nil
  }

  static func range(of type: DataType) -> ClosedRange<Int64> {
    switch type {
    case .int8: Int64(Int8.min)...Int64(Int8.max)
    case .int16: Int64(Int16.min)...Int64(Int16.max)
    case .int32: Int64(Int32.min)...Int64(Int32.max)
    case .uint8: 0...Int64(UInt8.max)
    case .uint16: 0...Int64(UInt16.max)
    case .uint32: 0...Int64(UInt32.max)
    case .uint64: 0...Int64.max
    default: Int64.min...Int64.max
    }
  }

  static func integerStorage(_ numbers: [Int64], _ type: DataType) -> ColumnStorage {
    switch type {
    case .int8: .int8(numbers.map { Int8(truncatingIfNeeded: $0) })
    case .int16: .int16(numbers.map { Int16(truncatingIfNeeded: $0) })
    case .int32: .int32(numbers.map { Int32(truncatingIfNeeded: $0) })
    case .uint8: .uint8(numbers.map { UInt8(truncatingIfNeeded: $0) })
    case .uint16: .uint16(numbers.map { UInt16(truncatingIfNeeded: $0) })
    case .uint32: .uint32(numbers.map { UInt32(truncatingIfNeeded: $0) })
    case .uint64: .uint64(numbers.map { UInt64(truncatingIfNeeded: $0) })
    default: .int64(numbers)
    }
  }

  static func typeName(_ type: DataType) -> String {
    switch type {
    case .boolean: "boolean"
    case .int8: "byte"
    case .int16: "short"
    case .int32: "int"
    case .int64: "long"
    case .float32: "float"
    case .float64: "double"
    case .string: "string"
    case .timestamp(_, let utc): utc ? "timestamp" : "timestamp_ntz"
    case .date: "date"
    case .list(let element): "array<\(typeName(element.type))>"
    case .map(let key, let value): "map<\(typeName(key.type)),\(typeName(value.type))>"
    default: "\(type)"
    }
  }
}
