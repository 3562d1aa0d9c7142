import Columnar

/// Turns a chunk's physical values into its Columnar type: narrowing, unsigned reinterpretation,
/// decimal widening, INT96 and big-endian decimal decoding. One loop per conversion.
enum LeafConversionKernels {
  static func convert(_ values: DenseValues, leaf: ColumnDescriptor) throws(ParquetError) -> ColumnVector {
    let count = values.count
    if case .null = leaf.type { return .nulls(.null, count: count) }
    let storage: ColumnStorage
    switch (values, leaf.conversion) {
    case (.boolean(let bytes), .boolean):
      storage = .boolean(bytes.withUnsafeBufferPointer { Bitmap(bytes: $0) })
    case (.int32(let v), .int32):
      storage = .int32(v)
    case (.int32(let v), .int32Narrow):
      switch leaf.type {
      case .int8: storage = .int8(v.map { Int8(truncatingIfNeeded: $0) })
      case .int16: storage = .int16(v.map { Int16(truncatingIfNeeded: $0) })
      case .uint8: storage = .uint8(v.map { UInt8(truncatingIfNeeded: $0) })
      default: storage = .uint16(v.map { UInt16(truncatingIfNeeded: $0) })
      }
    case (.int32(let v), .int32Unsigned):
      storage = .uint32(v.map { UInt32(bitPattern: $0) })
    case (.int32(let v), .int32ToInt64):
      storage = .int64(v.map { Int64($0) })
    case (.int32(let v), .decimalInt32):
      storage = .int128(v.map { Int128($0) })
    case (.int64(let v), .int64):
      storage = .int64(v)
    case (.int64(let v), .int64Unsigned):
      storage = .uint64(v.map { UInt64(bitPattern: $0) })
    case (.int64(let v), .decimalInt64):
      storage = .int128(v.map { Int128($0) })
    case (.int96(let v), .int96Timestamp):
      storage = .int64(v)
    case (.float(let v), .float):
      storage = .float32(v)
    case (.double(let v), .double):
      storage = .float64(v)
    case (.bytes(let offsets, let data), .bytes):
      if case .fixedBinary(let width) = leaf.type { try checkWidth(offsets, width, leaf) }
      if case .uuid = leaf.type { try checkWidth(offsets, 16, leaf) }
      storage = .binary(offsets: offsets, bytes: data)
    case (.bytes(let offsets, let data), .float16Bits):
      try checkWidth(offsets, 2, leaf)
      let base = Int(offsets.first ?? 0)
      storage = .uint16((0..<count).map { UInt16(data[base + 2 * $0]) | UInt16(data[base + 2 * $0 + 1]) << 8 })
    case (.bytes(let offsets, let data), .decimalBytes):
      storage = .int128(try bigEndianDecimals(offsets, data, leaf))
    default:
      throw ParquetError(.corrupt, "column '\(leaf.path.joined(separator: "."))' values do not match its type")
    }
    return ColumnVector(type: leaf.type, count: count, storage: storage)
  }

  private static func checkWidth(_ offsets: [Int32], _ width: Int, _ leaf: ColumnDescriptor) throws(ParquetError) {
    guard let first = offsets.first, let last = offsets.last,
      Int(last - first) == width * (offsets.count - 1)
    else {
      throw ParquetError(.corrupt, "column '\(leaf.path.joined(separator: "."))' values are not all \(width) bytes")
    }
  }

  /// Big-endian two's complement integers of up to 16 bytes, sign-extended to Int128.
  private static func bigEndianDecimals(_ offsets: [Int32], _ data: [UInt8], _ leaf: ColumnDescriptor)
    throws(ParquetError) -> [Int128]
  {
    let count = offsets.count - 1
    var result = [Int128](repeating: 0, count: count)
    for index in 0..<count {
      let start = Int(offsets[index])
      let end = Int(offsets[index + 1])
      guard end - start <= 16 else {
        throw ParquetError(
          .unsupported, "column '\(leaf.path.joined(separator: "."))' has a \(end - start)-byte decimal (16 at most)")
      }
      guard start < end else { continue }
      var value: Int128 = data[start] & 0x80 != 0 ? -1 : 0
      for byte in data[start..<end] { value = value << 8 | Int128(byte) }
      result[index] = value
    }
    return result
  }
}
