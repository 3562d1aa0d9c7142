/// Decoder of BYTE_STREAM_SPLIT: K streams of N bytes, stream k holding byte k of every value.
/// The page length gives N, so batches read from the middle of each stream.
struct ByteStreamSplitDecoder {
  let bytes: UnsafeRawBufferPointer
  /// K, the value width in bytes.
  let width: Int
  /// N, the values in the page.
  let count: Int
  /// Values decoded (or skipped) so far.
  private(set) var index = 0

  init(_ bytes: UnsafeRawBufferPointer, width: Int) throws(ParquetError) {
    guard width > 0 else {
      throw ParquetError(.corrupt, "BYTE_STREAM_SPLIT: value width \(width) is not positive")
    }
    guard bytes.count % width == 0 else {
      throw ParquetError(
        .corrupt, "BYTE_STREAM_SPLIT: \(bytes.count) bytes are not a whole number of \(width)-byte values")
    }
    self.bytes = bytes
    self.width = width
    self.count = bytes.count / width
  }

  var remaining: Int { count &- index }

  mutating func decode(into out: UnsafeMutableBufferPointer<Float>) throws(ParquetError) {
    try decodeTyped(out, type: "FLOAT")
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Double>) throws(ParquetError) {
    try decodeTyped(out, type: "DOUBLE")
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
    try decodeTyped(out, type: "INT32")
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) {
    try decodeTyped(out, type: "INT64")
  }

  /// The next `out.count / width` values, each as its `width` little-endian bytes.
  mutating func decodeRaw(into out: UnsafeMutableRawBufferPointer) throws(ParquetError) {
    let n = out.count / width
    guard n <= remaining else {
      throw ParquetError(.truncated, "BYTE_STREAM_SPLIT: \(n) values wanted at value \(index), the page holds \(count)")
    }
    guard n > 0, let src = bytes.baseAddress, let dst = out.baseAddress else { return }
    let from = src + index
    switch width {
    case 4: Self.gather4(from, count, dst, n)
    case 8: Self.gather8(from, count, dst, n)
    default:
      let d = dst.assumingMemoryBound(to: UInt8.self)
      let s = from.assumingMemoryBound(to: UInt8.self)
      for k in 0..<width {
        let stream = s + k &* count
        for i in 0..<n { d[i &* width &+ k] = stream[i] }
      }
    }
    index &+= n
  }

  /// FIXED_LEN_BYTE_ARRAY values in offsets/bytes form (a leading 0 first if `offsets` is empty).
  mutating func decodeFixedLenByteArrays(count n: Int, offsets: inout [Int32], bytes out: inout [UInt8])
    throws(ParquetError)
  {
    if offsets.isEmpty { offsets.append(0) }
    guard n > 0 else { return }
    guard n <= remaining else {
      throw ParquetError(.truncated, "BYTE_STREAM_SPLIT: \(n) values wanted at value \(index), the page holds \(count)")
    }
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: out.count, adding: n &* width, encoding: "BYTE_STREAM_SPLIT")
    try EncodingBuffer.appendZeroed(&out, n &* width) { (buffer) throws(ParquetError) in
      try decodeRaw(into: UnsafeMutableRawBufferPointer(buffer))
    }
    ByteArrayOutput.appendFixedOffsets(&offsets, count: n, width: width, base: base)
  }

  mutating func skip(_ n: Int) throws(ParquetError) {
    guard n >= 0 && n <= remaining else {
      throw ParquetError(
        .truncated, "BYTE_STREAM_SPLIT: skipping \(n) values at value \(index), the page holds \(count)")
    }
    index &+= n
  }

  private mutating func decodeTyped<T: BitwiseCopyable>(_ out: UnsafeMutableBufferPointer<T>, type: StaticString)
    throws(ParquetError)
  {
    precondition(MemoryLayout<T>.size == width, "BYTE_STREAM_SPLIT: decoder width does not match \(type)")
    try decodeRaw(into: UnsafeMutableRawBufferPointer(out))
    #if _endian(big)
      let raw = UnsafeMutableRawBufferPointer(out)
      for i in 0..<out.count { raw[(i &* width)..<((i &+ 1) &* width)].reverse() }
    #endif
  }

  /// Interleaves 4 streams (stride `stride`) into `n` 4-byte values.
  @inline(__always)
  private static func gather4(_ src: UnsafeRawPointer, _ stride: Int, _ dst: UnsafeMutableRawPointer, _ n: Int) {
    let s0 = src.assumingMemoryBound(to: UInt8.self)
    let s1 = s0 + stride
    let s2 = s1 + stride
    let s3 = s2 + stride
    for i in 0..<n {
      let v = UInt32(s0[i]) | UInt32(s1[i]) &<< 8 | UInt32(s2[i]) &<< 16 | UInt32(s3[i]) &<< 24
      dst.storeBytes(of: v.littleEndian, toByteOffset: i &* 4, as: UInt32.self)
    }
  }

  /// Interleaves 8 streams into `n` 8-byte values: 8 values at a time as an 8×8 byte transpose
  /// in registers, the rest byte by byte.
  @inline(__always)
  private static func gather8(_ src: UnsafeRawPointer, _ stride: Int, _ dst: UnsafeMutableRawPointer, _ n: Int) {
    var i = 0
    while n &- i >= 8 {
      var rows = (
        src.loadLE64(i), src.loadLE64(stride &+ i), src.loadLE64(2 &* stride &+ i), src.loadLE64(3 &* stride &+ i),
        src.loadLE64(4 &* stride &+ i), src.loadLE64(5 &* stride &+ i), src.loadLE64(6 &* stride &+ i),
        src.loadLE64(7 &* stride &+ i)
      )
      transpose8x8(&rows)
      let out = dst + i &* 8
      out.storeLE64(rows.0, 0)
      out.storeLE64(rows.1, 8)
      out.storeLE64(rows.2, 16)
      out.storeLE64(rows.3, 24)
      out.storeLE64(rows.4, 32)
      out.storeLE64(rows.5, 40)
      out.storeLE64(rows.6, 48)
      out.storeLE64(rows.7, 56)
      i &+= 8
    }
    let s = src.assumingMemoryBound(to: UInt8.self)
    let d = dst.assumingMemoryBound(to: UInt8.self)
    while i < n {
      for k in 0..<8 { d[i &* 8 &+ k] = s[k &* stride &+ i] }
      i &+= 1
    }
  }
}

/// Transposes an 8×8 byte matrix held as 8 little-endian rows (row r, byte c ↔ row c, byte r):
/// swaps of 1-, 2- then 4-byte blocks. Its own inverse, so it both splits and joins streams.
@inline(__always)
fileprivate func transpose8x8(_ r: inout (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)) {
  @inline(__always)
  func swap(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
    let t = ((a &>> shift) ^ b) & mask
    b ^= t
    a ^= t &<< shift
  }
  let m1: UInt64 = 0x00FF_00FF_00FF_00FF
  let m2: UInt64 = 0x0000_FFFF_0000_FFFF
  let m4: UInt64 = 0x0000_0000_FFFF_FFFF
  swap(&r.0, &r.1, 8, m1)
  swap(&r.2, &r.3, 8, m1)
  swap(&r.4, &r.5, 8, m1)
  swap(&r.6, &r.7, 8, m1)
  swap(&r.0, &r.2, 16, m2)
  swap(&r.1, &r.3, 16, m2)
  swap(&r.4, &r.6, 16, m2)
  swap(&r.5, &r.7, 16, m2)
  swap(&r.0, &r.4, 32, m4)
  swap(&r.1, &r.5, 32, m4)
  swap(&r.2, &r.6, 32, m4)
  swap(&r.3, &r.7, 32, m4)
}

extension UnsafeRawPointer {
  @inline(__always)
  fileprivate func loadLE64(_ offset: Int) -> UInt64 {
    UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}

extension UnsafeMutableRawPointer {
  @inline(__always)
  fileprivate func storeLE64(_ value: UInt64, _ offset: Int) {
    storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
  }
}

/// Encoder of BYTE_STREAM_SPLIT.
enum ByteStreamSplitEncoder {
  static func encode(_ values: UnsafeBufferPointer<Float>, into out: inout [UInt8]) {
    encodeTyped(values, into: &out)
  }

  static func encode(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
    encodeTyped(values, into: &out)
  }

  static func encode(_ values: UnsafeBufferPointer<Int32>, into out: inout [UInt8]) {
    encodeTyped(values, into: &out)
  }

  static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout [UInt8]) {
    encodeTyped(values, into: &out)
  }

  /// Values of `width` little-endian bytes each, back to back in `raw` (FIXED_LEN_BYTE_ARRAY).
  static func encodeRaw(_ raw: UnsafeRawBufferPointer, width: Int, into out: inout [UInt8]) {
    precondition(width > 0 && raw.count % width == 0, "fixed-width values must fill the buffer")
    let n = raw.count / width
    guard n > 0 else { return }
    EncodingBuffer.appendZeroed(&out, raw.count) { dst in
      guard let d = dst.baseAddress, let s = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
      if width == 8 {
        scatter8(UnsafeRawPointer(s), n, UnsafeMutableRawPointer(d))
        return
      }
      for k in 0..<width {
        let stream = d + k &* n
        for i in 0..<n { stream[i] = s[i &* width &+ k] }
      }
    }
  }

  /// Splits `n` 8-byte values into 8 streams, 8 values at a time by transposing.
  private static func scatter8(_ src: UnsafeRawPointer, _ n: Int, _ dst: UnsafeMutableRawPointer) {
    var i = 0
    while n &- i >= 8 {
      let at = i &* 8
      var rows = (
        src.loadLE64(at), src.loadLE64(at &+ 8), src.loadLE64(at &+ 16), src.loadLE64(at &+ 24),
        src.loadLE64(at &+ 32), src.loadLE64(at &+ 40), src.loadLE64(at &+ 48), src.loadLE64(at &+ 56)
      )
      transpose8x8(&rows)
      dst.storeLE64(rows.0, i)
      dst.storeLE64(rows.1, n &+ i)
      dst.storeLE64(rows.2, 2 &* n &+ i)
      dst.storeLE64(rows.3, 3 &* n &+ i)
      dst.storeLE64(rows.4, 4 &* n &+ i)
      dst.storeLE64(rows.5, 5 &* n &+ i)
      dst.storeLE64(rows.6, 6 &* n &+ i)
      dst.storeLE64(rows.7, 7 &* n &+ i)
      i &+= 8
    }
    let s = src.assumingMemoryBound(to: UInt8.self)
    let d = dst.assumingMemoryBound(to: UInt8.self)
    while i < n {
      for k in 0..<8 { d[k &* n &+ i] = s[i &* 8 &+ k] }
      i &+= 1
    }
  }

  private static func encodeTyped<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
    #if _endian(little)
      encodeRaw(UnsafeRawBufferPointer(values), width: MemoryLayout<T>.size, into: &out)
    #else
      var le: [UInt8] = []
      for v in values { withUnsafeBytes(of: v) { le.append(contentsOf: $0.reversed()) } }
      le.withUnsafeBytes { encodeRaw($0, width: MemoryLayout<T>.size, into: &out) }
    #endif
  }
}
