/// PLAIN encoding of a page's values, appended to `out`.
enum PlainEncoder {
  static func encode(_ values: UnsafeBufferPointer<Int32>, into out: inout [UInt8]) {
    appendLittleEndian(values, into: &out)
  }

  static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
    appendLittleEndian(values, into: &out)
  }

  static func encode(_ values: UnsafeBufferPointer<Float>, into out: inout [UInt8]) {
    values.withMemoryRebound(to: UInt32.self) { appendLittleEndian($0, into: &out) }
  }

  static func encode(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
    values.withMemoryRebound(to: UInt64.self) { appendLittleEndian($0, into: &out) }
  }

  static func encode(_ values: UnsafeBufferPointer<Int96>, into out: inout [UInt8]) {
    out.reserveCapacity(out.count &+ values.count &* 12)
    for v in values {
      withUnsafeBytes(of: v.nanosOfDay.littleEndian) { out.append(contentsOf: $0) }
      withUnsafeBytes(of: v.julianDay.littleEndian) { out.append(contentsOf: $0) }
    }
  }

  /// INT96 from nanoseconds since the Unix epoch.
  static func encodeInt96(nanos values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
    out.reserveCapacity(out.count &+ values.count &* 12)
    for nanos in values {
      let v = Int96(nanosSinceEpoch: nanos)
      withUnsafeBytes(of: v.nanosOfDay.littleEndian) { out.append(contentsOf: $0) }
      withUnsafeBytes(of: v.julianDay.littleEndian) { out.append(contentsOf: $0) }
    }
  }

  /// Booleans (any nonzero byte is true), bit-packed LSB first, the last byte zero-padded.
  static func encodeBooleans(_ values: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    let n = values.count
    EncodingBuffer.appendZeroed(&out, (n &+ 7) &>> 3) { dst in
      for i in 0..<n where values[i] != 0 {
        dst[i &>> 3] |= 1 &<< UInt8(i & 7)
      }
    }
  }

  /// BYTE_ARRAY values given as `offsets` (count + 1 entries, non-decreasing) into `bytes`.
  static func encodeByteArrays(
    offsets: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer, into out: inout [UInt8]
  ) {
    let count = max(0, offsets.count &- 1)
    guard count > 0 else { return }
    let first = Int(offsets[0])
    let last = Int(offsets[count])
    precondition(first >= 0 && first <= last && last <= bytes.count, "byte array offsets out of range")
    EncodingBuffer.appendZeroed(&out, count &* 4 &+ (last &- first)) { dst in
      // No source bytes means every value is empty: the zeroed lengths are already right.
      guard let d = dst.baseAddress, let src = bytes.baseAddress else { return }
      var at = 0
      for i in 0..<count {
        let from = Int(offsets[i])
        let length = Int(offsets[i &+ 1]) &- from
        precondition(length >= 0, "byte array offsets decrease")
        UnsafeMutableRawPointer(d + at).storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, as: UInt32.self)
        (d + (at &+ 4)).update(from: (src + from).assumingMemoryBound(to: UInt8.self), count: length)
        at &+= 4 &+ length
      }
    }
  }

  /// FIXED_LEN_BYTE_ARRAY values: just their bytes, back to back.
  static func encodeFixedLenByteArrays(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
    out.append(contentsOf: bytes)
  }

  private static func appendLittleEndian<T: FixedWidthInteger>(
    _ values: UnsafeBufferPointer<T>, into out: inout [UInt8]
  ) {
    #if _endian(little)
      out.append(contentsOf: UnsafeRawBufferPointer(values))
    #else
      out.reserveCapacity(out.count &+ values.count &* MemoryLayout<T>.size)
      for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    #endif
  }
}
