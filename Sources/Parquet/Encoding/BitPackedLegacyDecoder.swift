/// Decoder of the deprecated BIT_PACKED level encoding: values back to back, most significant
/// bit first, no header. A page's levels take `byteCount(values:bitWidth:)` bytes (rounded up).
struct BitPackedLegacyDecoder {
  let bytes: UnsafeRawBufferPointer
  let bitWidth: Int
  /// Bits consumed so far.
  private(set) var bitOffset = 0

  init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
    guard bitWidth >= 0 && bitWidth <= 32 else {
      throw ParquetError(.corrupt, "BIT_PACKED: bit width \(bitWidth) is outside 0...32")
    }
    self.bytes = bytes
    self.bitWidth = bitWidth
  }

  /// Bytes the values decoded so far occupy (the last one partly, possibly).
  var consumed: Int { (bitOffset &+ 7) &>> 3 }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
    guard let dst = out.baseAddress, let src = bytes.baseAddress else {
      if out.count > 0 && bitWidth > 0 {
        throw ParquetError(.truncated, "BIT_PACKED: \(out.count) values wanted, no data")
      }
      out.update(repeating: 0)
      return
    }
    let n = out.count
    let w = bitWidth
    let (bits, overflow) = n.multipliedReportingOverflow(by: w)
    guard !overflow, bits <= bytes.count &* 8 &- bitOffset else {
      throw ParquetError(
        .truncated, "BIT_PACKED: \(n) values of \(w) bits at bit \(bitOffset) run past the \(bytes.count) bytes")
    }
    guard w > 0 else {
      dst.update(repeating: 0, count: n)
      return
    }
    var bit = bitOffset
    var i = 0
    // A big-endian 64-bit window holds any value (at most 32 bits + 7 of offset).
    let fastEnd = bytes.count &- 8
    while i < n && (bit &>> 3) <= fastEnd {
      let window = UInt64(bigEndian: src.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
      dst[i] = Int32(truncatingIfNeeded: (window &<< UInt64(bit & 7)) &>> UInt64(64 &- w))
      bit &+= w
      i &+= 1
    }
    while i < n {
      var value: UInt32 = 0
      for _ in 0..<w {
        let b = (src.load(fromByteOffset: bit &>> 3, as: UInt8.self) &>> UInt8(7 &- (bit & 7))) & 1
        value = value &<< 1 | UInt32(b)
        bit &+= 1
      }
      dst[i] = Int32(bitPattern: value)
      i &+= 1
    }
    bitOffset = bit
  }
}
