import Columnar

/// Row access to a string or binary vector in any of its storages (offsets and bytes, a
/// dictionary, the one-entry dictionary of a constant, all NULL) without copying or decoding it.
///
/// Read rows inside ``withRows(_:)``, which pins the buffers once for a whole loop.
struct StringColumn {
  let count: Int
  private let offsets: [Int32]
  private let bytes: [UInt8]
  /// Dictionary indices, when the vector is dictionary-encoded.
  private let indices: [Int32]?
  /// Valid rows; nil when no row is null.
  let validity: Bitmap?

  /// Nil when `v` is not stored as bytes.
  init?(_ v: ColumnVector) {
    count = v.count
    switch v.storage {
    case .none:
      offsets = [0, 0]
      bytes = []
      indices = [Int32](repeating: 0, count: v.count)
      validity = Bitmap(repeating: false, count: v.count)
    case .binary(let o, let b):
      offsets = o
      bytes = b
      indices = nil
      validity = v.effectiveValidity
    case .dictionary(let i, let dictionary):
      guard case .binary(let o, let b) = dictionary.storage else { return nil }
      offsets = o
      bytes = b
      indices = i
      validity = v.effectiveValidity
    default: return nil
    }
  }

  /// The bytes of all rows together, roughly: a capacity hint for results of similar size.
  var estimatedByteCount: Int {
    guard indices != nil, offsets.count > 1 else { return bytes.count }
    return bytes.count / (offsets.count - 1) * count
  }

  /// True when every row holds the same bytes and none is NULL (a constant argument).
  var isUniform: Bool {
    guard validity == nil else { return false }
    return indices != nil ? offsets.count <= 2 : count <= 1
  }

  func withRows<R, E: Error>(_ body: (StringRows) throws(E) -> R) throws(E) -> R {
    try bytes.withUnsafeBufferPointer { (b) throws(E) -> R in
      try offsets.withUnsafeBufferPointer { (o) throws(E) -> R in
        guard let indices else {
          return try body(
            StringRows(bytes: b, offsets: o, indices: UnsafeBufferPointer(start: nil, count: 0), mapped: false))
        }
        return try indices.withUnsafeBufferPointer { (k) throws(E) -> R in
          try body(StringRows(bytes: b, offsets: o, indices: k, mapped: true))
        }
      }
    }
  }
}

/// The pinned buffers of a ``StringColumn``: `rows[i]` is the bytes of row `i` (empty for a
/// NULL row or an out-of-range index or offset, so hostile buffers cannot read out of bounds).
struct StringRows {
  let bytes: UnsafeBufferPointer<UInt8>
  let offsets: UnsafeBufferPointer<Int32>
  let indices: UnsafeBufferPointer<Int32>
  let mapped: Bool

  @inline(__always) subscript(row: Int) -> UnsafeBufferPointer<UInt8> {
    var entry = row
    if mapped {
      guard row < indices.count else { return UnsafeBufferPointer(start: nil, count: 0) }
      entry = Int(indices[row])
    }
    guard entry >= 0, entry + 1 < offsets.count else { return UnsafeBufferPointer(start: nil, count: 0) }
    let start = Int(offsets[entry])
    let end = Int(offsets[entry + 1])
    guard start >= 0, start <= end, end <= bytes.count else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
  }
}

/// Builds a string vector row by row: append bytes to `bytes`, then ``endRow()`` or
/// ``endNullRow()``.
struct StringBuilder {
  var bytes: [UInt8] = []
  private var offsets: [Int32]
  private var validity: Bitmap?
  private let rows: Int

  /// `validity` is the rows already known to be NULL (nil when none is).
  init(rows: Int, validity: Bitmap?, byteCapacity: Int = 0) {
    self.rows = rows
    self.validity = validity
    offsets = [0]
    offsets.reserveCapacity(rows + 1)
    bytes.reserveCapacity(byteCapacity)
  }

  @inline(__always) mutating func endRow() {
    offsets.append(Int32(truncatingIfNeeded: bytes.count))
  }

  /// Ends the current row as NULL, dropping whatever bytes it appended.
  mutating func endNullRow(start: Int) {
    let row = offsets.count - 1
    bytes.removeSubrange(start...)
    if validity == nil { validity = Bitmap(repeating: true, count: rows) }
    validity?[row] = false
    endRow()
  }

  func finish(_ type: DataType = .string, function: String) throws(ExecError) -> ColumnVector {
    guard bytes.count <= Int(Int32.max) else {
      throw ExecError(.memoryLimit, "\(function) produced more than 2 GiB of text in one batch")
    }
    var valid = validity
    if let v = valid, v.allSet { valid = nil }
    return ColumnVector(type: type, count: rows, validity: valid, storage: .binary(offsets: offsets, bytes: bytes))
  }
}
