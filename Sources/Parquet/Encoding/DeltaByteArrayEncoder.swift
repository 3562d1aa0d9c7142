/// Encoder of DELTA_BYTE_ARRAY: each value's longest common prefix with the previous one, as
/// parquet-mr does, then the suffixes as DELTA_LENGTH_BYTE_ARRAY.
enum DeltaByteArrayEncoder {
  /// Encodes the values given as `offsets` (count + 1 entries, non-decreasing) into `bytes`.
  static func encode(
    offsets: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer, into out: inout [UInt8]
  ) {
    let count = max(0, offsets.count &- 1)
    if count > 0 {
      precondition(
        offsets[0] >= 0 && offsets[0] <= offsets[count] && Int(offsets[count]) <= bytes.count,
        "byte array offsets out of range")
    }
    var prefixLengths = DeltaBinaryPackedEncoder<Int32>()
    var suffixLengths = DeltaBinaryPackedEncoder<Int32>()
    var suffixBytes: [UInt8] = []
    var previousStart = 0
    var previousLength = 0
    for i in 0..<count {
      let start = Int(offsets[i])
      let length = Int(offsets[i &+ 1]) &- start
      precondition(length >= 0, "byte array offsets decrease")
      let prefix = i == 0 ? 0 : commonPrefix(bytes, previousStart, start, min(previousLength, length))
      prefixLengths.append(Int32(truncatingIfNeeded: prefix))
      suffixLengths.append(Int32(truncatingIfNeeded: length &- prefix))
      suffixBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(start &+ prefix)..<(start &+ length)]))
      previousStart = start
      previousLength = length
    }
    prefixLengths.finish(into: &out)
    suffixLengths.finish(into: &out)
    out.append(contentsOf: suffixBytes)
  }

  /// FIXED_LEN_BYTE_ARRAY values of `width` bytes, back to back in `bytes`.
  static func encodeFixed(_ bytes: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) {
    precondition(width > 0 && bytes.count % width == 0, "fixed-width values must fill the buffer")
    let count = bytes.count / width
    let ends = (0...count).map { Int32(truncatingIfNeeded: $0 &* width) }
    ends.withUnsafeBufferPointer { encode(offsets: $0, bytes: bytes, into: &out) }
  }

  /// Length of the common prefix of the byte ranges at `a` and `b`, at most `limit`.
  @inline(__always)
  static func commonPrefix(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ b: Int, _ limit: Int) -> Int {
    var i = 0
    // Eight bytes at a time; the first differing bit locates the first differing byte.
    while limit &- i >= 8 {
      let x = bytes.loadUnaligned(fromByteOffset: a &+ i, as: UInt64.self)
      let y = bytes.loadUnaligned(fromByteOffset: b &+ i, as: UInt64.self)
      if x != y {
        let diff = UInt64(littleEndian: x ^ y)
        return i &+ diff.trailingZeroBitCount &>> 3
      }
      i &+= 8
    }
    while i < limit && bytes[a &+ i] == bytes[b &+ i] { i &+= 1 }
    return i
  }
}
