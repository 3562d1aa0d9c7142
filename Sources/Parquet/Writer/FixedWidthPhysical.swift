import Columnar

/// A fixed-width Parquet physical value type (INT32, INT64, FLOAT, DOUBLE) as the writer
/// handles it: hashed and compared through its bit pattern, gathered from any Columnar storage
/// that maps to it.
protocol FixedWidthPhysical: BitwiseCopyable, Comparable, Sendable {
  associatedtype Bits: FixedWidthInteger & UnsignedInteger & Sendable
  var bits: Bits { get }
  init(bits: Bits)
  /// True only for a floating-point NaN.
  var isNaNValue: Bool { get }
  static var physicalType: PhysicalType { get }
  /// The dense non-null values of `shredded`, converted from the leaf's storage.
  static func gather(_ shredded: ShreddedLeaf, plan: LeafColumn) throws(ParquetError) -> [Self]
  /// The storage's buffer when it already holds this type, so contiguous values need no copy.
  static func direct(_ storage: ColumnStorage) -> [Self]?
  /// Appends `values` in `encoding` (one that ``ColumnWriterFactory`` accepted for the type).
  static func encode(_ values: UnsafeBufferPointer<Self>, _ encoding: Encoding, into out: inout [UInt8])
}

extension Int32: FixedWidthPhysical {
  var bits: UInt32 { UInt32(bitPattern: self) }
  init(bits: UInt32) { self.init(bitPattern: bits) }
  var isNaNValue: Bool { false }
  static var physicalType: PhysicalType { .int32 }

  static func encode(_ values: UnsafeBufferPointer<Int32>, _ encoding: Encoding, into out: inout [UInt8]) {
    switch encoding {
    case .deltaBinaryPacked: DeltaBinaryPackedEncoder<Int32>.encode(values, into: &out)
    case .byteStreamSplit: ByteStreamSplitEncoder.encode(values, into: &out)
    default: PlainEncoder.encode(values, into: &out)
    }
  }

  static func direct(_ storage: ColumnStorage) -> [Int32]? {
    if case .int32(let values) = storage { return values }
    return nil
  }

  static func gather(_ shredded: ShreddedLeaf, plan: LeafColumn) throws(ParquetError) -> [Int32] {
    switch shredded.leaf.storage {
    case .int32(let values): try gatherDense(values, shredded, plan) { $0 }
    case .int8(let values): try gatherDense(values, shredded, plan) { Int32($0) }
    case .int16(let values): try gatherDense(values, shredded, plan) { Int32($0) }
    case .uint8(let values): try gatherDense(values, shredded, plan) { Int32($0) }
    case .uint16(let values): try gatherDense(values, shredded, plan) { Int32($0) }
    case .uint32(let values): try gatherDense(values, shredded, plan) { Int32(bitPattern: $0) }
    // time(millisecond) is stored as Int64 milliseconds of the day.
    case .int64(let values): try gatherDense(values, shredded, plan) { Int32(truncatingIfNeeded: $0) }
    // decimal(p ≤ 9): the unscaled value fits.
    case .int128(let values): try gatherDense(values, shredded, plan) { Int32(truncatingIfNeeded: $0) }
    case .none: []
    default: throw storageMismatch(plan, shredded.leaf)
    }
  }
}

extension Int64: FixedWidthPhysical {
  var bits: UInt64 { UInt64(bitPattern: self) }
  init(bits: UInt64) { self.init(bitPattern: bits) }
  var isNaNValue: Bool { false }
  static var physicalType: PhysicalType { .int64 }

  static func encode(_ values: UnsafeBufferPointer<Int64>, _ encoding: Encoding, into out: inout [UInt8]) {
    switch encoding {
    case .deltaBinaryPacked: DeltaBinaryPackedEncoder<Int64>.encode(values, into: &out)
    case .byteStreamSplit: ByteStreamSplitEncoder.encode(values, into: &out)
    default: PlainEncoder.encode(values, into: &out)
    }
  }

  static func direct(_ storage: ColumnStorage) -> [Int64]? {
    if case .int64(let values) = storage { return values }
    return nil
  }

  static func gather(_ shredded: ShreddedLeaf, plan: LeafColumn) throws(ParquetError) -> [Int64] {
    switch shredded.leaf.storage {
    case .int64(let values): try gatherDense(values, shredded, plan) { $0 }
    case .uint64(let values): try gatherDense(values, shredded, plan) { Int64(bitPattern: $0) }
    case .int32(let values): try gatherDense(values, shredded, plan) { Int64($0) }
    // decimal(p ≤ 18): the unscaled value fits.
    case .int128(let values): try gatherDense(values, shredded, plan) { Int64(truncatingIfNeeded: $0) }
    case .none: []
    default: throw storageMismatch(plan, shredded.leaf)
    }
  }
}

extension Float: FixedWidthPhysical {
  var bits: UInt32 { bitPattern }
  init(bits: UInt32) { self.init(bitPattern: bits) }
  var isNaNValue: Bool { isNaN }
  static var physicalType: PhysicalType { .float }

  static func encode(_ values: UnsafeBufferPointer<Float>, _ encoding: Encoding, into out: inout [UInt8]) {
    switch encoding {
    case .byteStreamSplit: ByteStreamSplitEncoder.encode(values, into: &out)
    default: PlainEncoder.encode(values, into: &out)
    }
  }

  static func direct(_ storage: ColumnStorage) -> [Float]? {
    if case .float32(let values) = storage { return values }
    return nil
  }

  static func gather(_ shredded: ShreddedLeaf, plan: LeafColumn) throws(ParquetError) -> [Float] {
    switch shredded.leaf.storage {
    case .float32(let values): try gatherDense(values, shredded, plan) { $0 }
    case .none: []
    default: throw storageMismatch(plan, shredded.leaf)
    }
  }
}

extension Double: FixedWidthPhysical {
  var bits: UInt64 { bitPattern }
  init(bits: UInt64) { self.init(bitPattern: bits) }
  var isNaNValue: Bool { isNaN }
  static var physicalType: PhysicalType { .double }

  static func encode(_ values: UnsafeBufferPointer<Double>, _ encoding: Encoding, into out: inout [UInt8]) {
    switch encoding {
    case .byteStreamSplit: ByteStreamSplitEncoder.encode(values, into: &out)
    default: PlainEncoder.encode(values, into: &out)
    }
  }

  static func direct(_ storage: ColumnStorage) -> [Double]? {
    if case .float64(let values) = storage { return values }
    return nil
  }

  static func gather(_ shredded: ShreddedLeaf, plan: LeafColumn) throws(ParquetError) -> [Double] {
    switch shredded.leaf.storage {
    case .float64(let values): try gatherDense(values, shredded, plan) { $0 }
    case .none: []
    default: throw storageMismatch(plan, shredded.leaf)
    }
  }
}

/// The error for a leaf vector whose storage does not fit its type.
func storageMismatch(_ plan: LeafColumn, _ vector: ColumnVector) -> ParquetError {
  ParquetError(
    .invalidArgument, "column '\(plan.dottedPath)' of type \(plan.type) has storage that does not fit it")
}

/// Copies the non-null values of `shredded` out of `source`, converting each.
@inline(__always)
func gatherDense<S, T: BitwiseCopyable>(
  _ source: [S], _ shredded: ShreddedLeaf, _ plan: LeafColumn, _ convert: (S) -> T
) throws(ParquetError) -> [T] {
  let count = shredded.valueCount
  let tooShort = ParquetError(
    .invalidArgument, "column '\(plan.dottedPath)' has fewer values than rows (\(source.count))")
  if let range = shredded.contiguousValues {
    guard range.upperBound <= source.count else { throw tooShort }
    return source.withUnsafeBufferPointer { input in
      [T](unsafeUninitializedCapacity: count) { out, initialized in
        let base = range.lowerBound
        for index in 0..<count { out[index] = convert(input[base &+ index]) }
        initialized = count
      }
    }
  }
  var valid = true
  let result = source.withUnsafeBufferPointer { input in
    shredded.valuePositions.withUnsafeBufferPointer { positions in
      [T](unsafeUninitializedCapacity: count) { out, initialized in
        let limit = UInt32(truncatingIfNeeded: input.count)
        for index in 0..<count {
          let position = positions[index]
          // One unsigned compare rejects both negative and too-large positions.
          guard UInt32(bitPattern: position) < limit else {
            valid = false
            break
          }
          out[index] = convert(input[Int(position)])
        }
        // The values are trivial: a rejected batch can drop what it wrote.
        initialized = valid ? count : 0
      }
    }
  }
  guard valid else { throw tooShort }
  return result
}
