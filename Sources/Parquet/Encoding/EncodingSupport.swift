// Small pieces shared by the encoders and decoders: ULEB128 / zigzag varints, little-endian
// loads, growing arrays without per-element appends.

enum ULEB128 {
  /// Reads a ULEB128 integer of at most 64 bits at `offset`, advancing it.
  /// `encoding` names the caller in errors.
  @inline(__always)
  static func read(
    _ bytes: UnsafeRawBufferPointer, at offset: inout Int, encoding: StaticString
  ) throws(ParquetError) -> UInt64 {
    let start = offset
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < bytes.count else {
        throw ParquetError(.truncated, "\(encoding): varint at byte \(start) runs past the end (\(bytes.count) bytes)")
      }
      let byte = bytes[offset]
      offset &+= 1
      // The tenth byte may only hold bit 63.
      if shift == 63 && byte > 1 {
        throw ParquetError(.corrupt, "\(encoding): varint at byte \(start) does not fit in 64 bits")
      }
      result |= UInt64(byte & 0x7F) &<< shift
      if byte & 0x80 == 0 { return result }
      shift &+= 7
    }
  }

  /// Reads a ULEB128 integer that must fit in 32 bits.
  @inline(__always)
  static func read32(
    _ bytes: UnsafeRawBufferPointer, at offset: inout Int, encoding: StaticString
  ) throws(ParquetError) -> UInt32 {
    let start = offset
    let value = try read(bytes, at: &offset, encoding: encoding)
    guard let narrow = UInt32(exactly: value) else {
      throw ParquetError(.corrupt, "\(encoding): varint \(value) at byte \(start) does not fit in 32 bits")
    }
    return narrow
  }

  static func append(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v &>>= 7
    }
    out.append(UInt8(truncatingIfNeeded: v))
  }

  @inline(__always)
  static func zigzagDecode(_ n: UInt64) -> Int64 {
    Int64(bitPattern: (n &>> 1) ^ (0 &- (n & 1)))
  }

  @inline(__always)
  static func zigzagEncode(_ n: Int64) -> UInt64 {
    UInt64(bitPattern: (n &<< 1) ^ (n &>> 63))
  }
}

/// Buffer helpers of the encodings, in a namespace so they cannot clash with others' extensions.
enum EncodingBuffer {
  /// A little-endian UInt32 at `offset` of `bytes`; the caller has checked the bounds.
  @inline(__always)
  static func loadUInt32LE(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
    UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  /// Appends `count` zeroed elements to `array` and hands their storage to `body`, so bulk
  /// decoders grow an array once instead of appending value by value.
  @inline(__always)
  static func appendZeroed<T: FixedWidthInteger, R, E: Error>(
    _ array: inout [T], _ count: Int, _ body: (UnsafeMutableBufferPointer<T>) throws(E) -> R
  ) throws(E) -> R {
    let start = array.count
    array.append(contentsOf: repeatElement(.zero, count: count))
    return try array.withUnsafeMutableBufferPointer { (buffer) throws(E) -> R in
      try body(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
    }
  }
}
