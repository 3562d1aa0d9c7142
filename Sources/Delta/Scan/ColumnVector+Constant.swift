import Columnar
import Expr

extension ColumnVector {
  /// A vector of `count` copies of `value` (a partition value) with type `type`; `value` has
  /// already been parsed for that type.
  static func constant(_ value: ScalarValue, type: DataType, count: Int) -> ColumnVector {
    if value.isNull {
      return type == .null ? ColumnVector(type: .null, count: count, storage: .none) : .nulls(type, count: count)
    }
    let storage: ColumnStorage
    switch (type, value) {
    case (.boolean, .boolean(let b)): storage = .boolean(Bitmap(repeating: b, count: count))
    case (.int8, .int64(let v)): storage = .int8(Array(repeating: Int8(truncatingIfNeeded: v), count: count))
    case (.int16, .int64(let v)): storage = .int16(Array(repeating: Int16(truncatingIfNeeded: v), count: count))
    case (.int32, .int64(let v)): storage = .int32(Array(repeating: Int32(truncatingIfNeeded: v), count: count))
    case (.int64, .int64(let v)): storage = .int64(Array(repeating: v, count: count))
    case (.float32, .float64(let v)): storage = .float32(Array(repeating: Float(v), count: count))
    case (.float64, .float64(let v)): storage = .float64(Array(repeating: v, count: count))
    case (.decimal, .decimal(let v, _, _)): storage = .int128(Array(repeating: v, count: count))
    case (.date, .date(let days)): storage = .int32(Array(repeating: days, count: count))
    case (.timestamp(let unit, _), .timestamp(let micros, _)):
      let value: Int64
      switch unit {
      case .millisecond: value = CalendarFormatting.floorDiv(micros, 1000)
      case .microsecond: value = micros
      case .nanosecond: value = micros &* 1000
      }
      storage = .int64(Array(repeating: value, count: count))
    case (.string, .string(let text)):
      let bytes = Array(text.utf8)
      storage = .dictionary(
        indices: Array(repeating: 0, count: count),
        dictionary: ColumnVector(
          type: .string, count: 1, storage: .binary(offsets: [0, Int32(bytes.count)], bytes: bytes)))
    case (.binary, .binary(let bytes)), (.fixedBinary, .binary(let bytes)):
      storage = .dictionary(
        indices: Array(repeating: 0, count: count),
        dictionary: ColumnVector(
          type: type, count: 1, storage: .binary(offsets: [0, Int32(bytes.count)], bytes: bytes)))
    default:
      return .nulls(type, count: count)
    }
    return ColumnVector(type: type, count: count, storage: storage)
  }
}
