/// Bounds-checked reads of little- and big-endian integers from a serialized deletion vector;
/// running out of bytes throws a `truncated` error naming the position and what was being read.
struct DeletionVectorBytes {
  let bytes: [UInt8]
  private(set) var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var remaining: Int { bytes.count - position }

  /// Throws unless `count` more bytes remain.
  func require(_ count: Int, for what: @autoclosure () -> String) throws(DeletionVectorError) {
    guard count >= 0, count <= remaining else {
      throw DeletionVectorError(
        .truncated, "\(what()) needs \(count) bytes at byte \(position), but only \(remaining) remain")
    }
  }

  mutating func skip(_ count: Int, for what: @autoclosure () -> String) throws(DeletionVectorError) -> ArraySlice<UInt8>
  {
    try require(count, for: what())
    defer { position += count }
    return bytes[position..<position + count]
  }

  mutating func uint16LE(_ what: @autoclosure () -> String) throws(DeletionVectorError) -> UInt16 {
    try require(2, for: what())
    defer { position += 2 }
    return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
  }

  mutating func uint32LE(_ what: @autoclosure () -> String) throws(DeletionVectorError) -> UInt32 {
    try require(4, for: what())
    defer { position += 4 }
    return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
      | UInt32(bytes[position + 3]) << 24
  }

  mutating func uint32BE(_ what: @autoclosure () -> String) throws(DeletionVectorError) -> UInt32 {
    try require(4, for: what())
    defer { position += 4 }
    return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
      | UInt32(bytes[position + 3])
  }

  mutating func uint64LE(_ what: @autoclosure () -> String) throws(DeletionVectorError) -> UInt64 {
    let low = try uint32LE(what())
    let high = try uint32LE(what())
    return UInt64(high) << 32 | UInt64(low)
  }
}

/// Appends little- and big-endian integers, for serializing deletion vectors.
struct DeletionVectorByteWriter {
  var bytes: [UInt8] = []

  mutating func uint16LE(_ value: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: value))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
  }

  mutating func uint32LE(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }

  mutating func uint64LE(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  mutating func uint32BE(_ value: UInt32) {
    for shift in stride(from: 24, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }
}
