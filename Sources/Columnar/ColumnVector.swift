/// The physical buffers of a column. Which case a vector uses follows from its ``DataType``:
///
/// | type | storage |
/// |---|---|
/// | null | `.none` |
/// | boolean | `.boolean` |
/// | int8 … uint64, float32, float64 | the case of the same width |
/// | float16 | `.uint16` (bit pattern) |
/// | date | `.int32` (days) |
/// | time, timestamp | `.int64` (count of the unit) |
/// | decimal | `.int128` (unscaled value) |
/// | string, binary, fixedBinary, uuid | `.binary` or `.dictionary` |
/// | structure | `.structure` (one child vector per field) |
/// | list | `.list` |
/// | map | `.map` |
///
/// Fixed-width buffers hold a slot for every row, null or not (the slot of a null is zero), so
/// value `i` is always at index `i`.
public indirect enum ColumnStorage: Sendable {
  case none
  case boolean(Bitmap)
  case int8([Int8])
  case int16([Int16])
  case int32([Int32])
  case int64([Int64])
  case uint8([UInt8])
  case uint16([UInt16])
  case uint32([UInt32])
  case uint64([UInt64])
  case float32([Float])
  case float64([Double])
  case int128([Int128])
  /// Value `i` is `bytes[offsets[i]..<offsets[i+1]]`; `offsets` has `count + 1` entries.
  case binary(offsets: [Int32], bytes: [UInt8])
  /// Value `i` is `dictionary[indices[i]]`; the dictionary is a `.binary` vector without nulls.
  case dictionary(indices: [Int32], dictionary: ColumnVector)
  case structure([ColumnVector])
  /// The elements of row `i` are `values[offsets[i]..<offsets[i+1]]`.
  case list(offsets: [Int32], values: ColumnVector)
  /// The entries of row `i` are `keys/values[offsets[i]..<offsets[i+1]]`.
  case map(offsets: [Int32], keys: ColumnVector, values: ColumnVector)
}

/// One column of a record batch: a type, a row count, a validity bitmap and the buffers.
public struct ColumnVector: Sendable {
  public var type: DataType
  public var count: Int
  /// Bit `i` is set when row `i` is not null; `nil` when no row is null.
  public var validity: Bitmap?
  public var storage: ColumnStorage

  public init(type: DataType, count: Int, validity: Bitmap? = nil, storage: ColumnStorage) {
    self.type = type
    self.count = count
    self.validity = validity
    self.storage = storage
  }

  /// True when row `index` is null.
  @inlinable public func isNull(_ index: Int) -> Bool {
    if case .none = storage { return true }
    guard let validity else { return false }
    return !validity[index]
  }

  /// The number of null rows.
  public var nullCount: Int {
    if case .none = storage { return count }
    guard let validity else { return 0 }
    return count - validity.setCount
  }

  /// A vector of `count` nulls of `type`.
  public static func nulls(_ type: DataType, count: Int) -> ColumnVector {
    let validity = Bitmap(repeating: false, count: count)
    let storage: ColumnStorage
    switch type {
    case .null: return ColumnVector(type: type, count: count, storage: .none)
    case .boolean: storage = .boolean(Bitmap(repeating: false, count: count))
    case .int8: storage = .int8(Array(repeating: 0, count: count))
    case .int16: storage = .int16(Array(repeating: 0, count: count))
    case .int32, .date: storage = .int32(Array(repeating: 0, count: count))
    case .int64, .time, .timestamp: storage = .int64(Array(repeating: 0, count: count))
    case .uint8: storage = .uint8(Array(repeating: 0, count: count))
    case .uint16, .float16: storage = .uint16(Array(repeating: 0, count: count))
    case .uint32: storage = .uint32(Array(repeating: 0, count: count))
    case .uint64: storage = .uint64(Array(repeating: 0, count: count))
    case .float32: storage = .float32(Array(repeating: 0, count: count))
    case .float64: storage = .float64(Array(repeating: 0, count: count))
    case .decimal: storage = .int128(Array(repeating: 0, count: count))
    case .string, .binary, .fixedBinary, .uuid:
      storage = .binary(offsets: Array(repeating: 0, count: count + 1), bytes: [])
    case .structure(let fields):
      storage = .structure(fields.map { ColumnVector.nulls($0.type, count: count) })
    case .list(let element):
      storage = .list(offsets: Array(repeating: 0, count: count + 1), values: .nulls(element.type, count: 0))
    case .map(let key, let value):
      storage = .map(
        offsets: Array(repeating: 0, count: count + 1), keys: .nulls(key.type, count: 0),
        values: .nulls(value.type, count: 0))
    }
    return ColumnVector(type: type, count: count, validity: validity, storage: storage)
  }
}
