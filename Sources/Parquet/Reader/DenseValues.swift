import Columnar

/// The non-null values of one column chunk in their physical form, accumulated page by page.
enum DenseValues: Sendable {
  case boolean([UInt8])
  case int32([Int32])
  case int64([Int64])
  /// INT96 timestamps already converted to nanoseconds since the epoch.
  case int96([Int64])
  case float([Float])
  case double([Double])
  /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values: Arrow-style offsets and bytes.
  case bytes(offsets: [Int32], data: [UInt8])

  static func empty(_ physical: PhysicalType) -> DenseValues {
    switch physical {
    case .boolean: .boolean([])
    case .int32: .int32([])
    case .int64: .int64([])
    case .int96: .int96([])
    case .float: .float([])
    case .double: .double([])
    case .byteArray, .fixedLenByteArray: .bytes(offsets: [0], data: [])
    }
  }

  var count: Int {
    switch self {
    case .boolean(let v): v.count
    case .int32(let v): v.count
    case .int64(let v), .int96(let v): v.count
    case .float(let v): v.count
    case .double(let v): v.count
    case .bytes(let offsets, _): offsets.count - 1
    }
  }
}
