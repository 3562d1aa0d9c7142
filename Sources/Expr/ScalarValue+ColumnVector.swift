public import Columnar

extension ScalarValue {
  /// Row `row` of `vector` as a scalar.
  ///
  /// Integers of every width become `int64` (a `uint64` past `Int64.max` becomes
  /// `decimal(20, 0)`), `float16`/`float32` become `float64`, dates stay days, timestamps
  /// of any unit become microseconds (nanoseconds rounded down), times become `int64`
  /// microseconds since midnight, decimals keep their precision and scale, strings decode as
  /// UTF-8 (invalid sequences become U+FFFD) and other byte types become `binary`; dictionary
  /// vectors read through their dictionary. Structs, lists and maps have no scalar form and read
  /// as `null`, as does a null row. `row` must be within `0..<vector.count`.
  public init(from vector: ColumnVector, row: Int) {
    if vector.isNull(row) {
      self = .null
      return
    }
    switch vector.storage {
    case .none: self = .null
    case .boolean(let bits): self = .boolean(bits[row])
    case .int8(let values): self = .int64(Int64(values[row]))
    case .int16(let values): self = .int64(Int64(values[row]))
    case .int32(let values):
      if case .date = vector.type {
        self = .date(values[row])
      } else {
        self = .int64(Int64(values[row]))
      }
    case .int64(let values):
      switch vector.type {
      case .timestamp(let unit, let utc): self = .timestamp(Self.micros(values[row], unit), utc: utc)
      case .time(let unit): self = .int64(Self.micros(values[row], unit))
      default: self = .int64(values[row])
      }
    case .uint8(let values): self = .int64(Int64(values[row]))
    case .uint16(let values):
      if case .float16 = vector.type {
        #if arch(arm64) || arch(x86_64)
          self = .float64(Double(Float16(bitPattern: values[row])))
        #else
          self = .float64(Self.halfToDouble(values[row]))
        #endif
      } else {
        self = .int64(Int64(values[row]))
      }
    case .uint32(let values): self = .int64(Int64(values[row]))
    case .uint64(let values):
      let value = values[row]
      if let narrow = Int64(exactly: value) {
        self = .int64(narrow)
      } else {
        self = .decimal(Int128(value), precision: 20, scale: 0)
      }
    case .float32(let values): self = .float64(Double(values[row]))
    case .float64(let values): self = .float64(values[row])
    case .int128(let values):
      if case .decimal(let precision, let scale) = vector.type {
        self = .decimal(values[row], precision: precision, scale: scale)
      } else {
        self = .decimal(values[row], precision: 38, scale: 0)
      }
    case .binary(let offsets, let bytes):
      self = Self.bytesValue(bytes, Int(offsets[row]), Int(offsets[row + 1]), type: vector.type)
    case .dictionary(let indices, let dictionary):
      let entry = Int(indices[row])
      if case .binary(let offsets, let bytes) = dictionary.storage {
        self = Self.bytesValue(bytes, Int(offsets[entry]), Int(offsets[entry + 1]), type: vector.type)
      } else {
        self = ScalarValue(from: dictionary, row: entry)
      }
    case .structure, .list, .map: self = .null
    }
  }

  /// A count of `unit` as microseconds (rounded down; saturating at the ends of `Int64`).
  static func micros(_ value: Int64, _ unit: TimeUnit) -> Int64 {
    switch unit {
    case .microsecond: return value
    case .millisecond:
      let (product, overflow) = value.multipliedReportingOverflow(by: 1000)
      return overflow ? (value < 0 ? .min : .max) : product
    case .nanosecond: return CalendarFormatting.floorDiv(value, 1000)
    }
  }

  private static func bytesValue(_ bytes: [UInt8], _ start: Int, _ end: Int, type: DataType) -> ScalarValue {
    if case .string = type { return .string(String(decoding: bytes[start..<end], as: UTF8.self)) }
    return .binary(Array(bytes[start..<end]))
  }

  /// IEEE half precision to double, for platforms without `Float16`.
  static func halfToDouble(_ bits: UInt16) -> Double {
    let sign: Double = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Double(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}
