import Testing

@testable import Parquet

@Suite struct EncodingBitPackingTests {
  @Test func specExampleLSBFirst() {
    let values: [UInt32] = [0, 1, 2, 3, 4, 5, 6, 7]
    var packed: [UInt8] = []
    values.withUnsafeBufferPointer { BitPacking.pack($0.baseAddress!, count: 8, bitWidth: 3, into: &packed) }
    #expect(packed == [0b1000_1000, 0b1100_0110, 0b1111_1010])
    var out = [UInt32](repeating: 99, count: 8)
    withExactBytes(packed) { raw in
      out.withUnsafeMutableBufferPointer {
        BitPacking.unpack32(raw.baseAddress!, readable: raw.count, bitWidth: 3, count: 8, into: $0.baseAddress!)
      }
    }
    #expect(out == values)
  }

  @Test func specExampleLegacyMSBFirst() throws {
    var out = [Int32](repeating: 99, count: 8)
    try withExactBytes([0b0000_0101, 0b0011_1001, 0b0111_0111]) { raw in
      var decoder = try BitPackedLegacyDecoder(raw, bitWidth: 3)
      try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      #expect(decoder.consumed == 3)
    }
    #expect(out == [0, 1, 2, 3, 4, 5, 6, 7])
  }

  @Test(arguments: 0...32)
  func roundTrip32(width: Int) {
    var rng = EncodingTestRandom(seed: UInt64(width))
    let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 << UInt64(width)) - 1
    for count in edgeCounts {
      let values = (0..<count).map { i -> UInt32 in
        // Mix extremes with random values.
        switch i % 4 {
        case 0: UInt32(mask)
        case 1: 0
        default: UInt32(truncatingIfNeeded: rng.next() & mask)
        }
      }
      var packed: [UInt8] = [0xAB]  // packing appends
      values.withUnsafeBufferPointer {
        BitPacking.pack($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, bitWidth: width, into: &packed)
      }
      #expect(packed.count == 1 + (count * width + 7) / 8)
      // Exact input (tail path) and input with slack (fast path), from offset 1.
      for slack in [0, 16] {
        let input = Array(packed.dropFirst()) + [UInt8](repeating: 0xFF, count: slack)
        var out = [UInt32](repeating: 0xDEAD, count: count + 1)
        withExactBytes(input) { raw in
          out.withUnsafeMutableBufferPointer {
            BitPacking.unpack32(
              raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, readable: raw.count, bitWidth: width, count: count,
              into: $0.baseAddress!)
          }
        }
        #expect(Array(out.prefix(count)) == values, "width \(width) count \(count) slack \(slack)")
        #expect(out[count] == 0xDEAD, "wrote past count")
      }
    }
  }

  @Test(arguments: 0...64)
  func roundTrip64(width: Int) {
    var rng = EncodingTestRandom(seed: 64 + UInt64(width))
    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
    for count in edgeCounts {
      let values = (0..<count).map { i -> UInt64 in i % 3 == 0 ? mask : rng.next() & mask }
      var packed: [UInt8] = []
      values.withUnsafeBufferPointer {
        BitPacking.pack($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, bitWidth: width, into: &packed)
      }
      #expect(packed.count == (count * width + 7) / 8)
      for slack in [0, 16] {
        let input = packed + [UInt8](repeating: 0xFF, count: slack)
        var out = [UInt64](repeating: 0xDEAD, count: count + 1)
        withExactBytes(input) { raw in
          out.withUnsafeMutableBufferPointer {
            BitPacking.unpack64(
              raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, readable: raw.count, bitWidth: width, count: count,
              into: $0.baseAddress!)
          }
        }
        #expect(Array(out.prefix(count)) == values, "width \(width) count \(count) slack \(slack)")
        #expect(out[count] == 0xDEAD)
      }
    }
  }

  /// The deprecated MSB-first encoding against a bit-by-bit reference, in odd batches.
  @Test(arguments: [1, 2, 3, 5, 8, 13, 16, 31, 32])
  func legacyBitPacked(width: Int) throws {
    var rng = EncodingTestRandom(seed: 7 + UInt64(width))
    let count = 1000
    let values = (0..<count).map { _ in Int32(truncatingIfNeeded: rng.next() & ((1 << UInt64(width)) - 1)) }
    // Reference packer: MSB first.
    var bits: [Bool] = []
    for v in values {
      for b in stride(from: width - 1, through: 0, by: -1) {
        bits.append((UInt32(bitPattern: v) >> UInt32(b)) & 1 == 1)
      }
    }
    var packed = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
    for (i, bit) in bits.enumerated() where bit { packed[i / 8] |= 0x80 >> UInt8(i % 8) }
    var out: [Int32] = []
    try withExactBytes(packed) { raw in
      var decoder = try BitPackedLegacyDecoder(raw, bitWidth: width)
      var done = 0
      for batch in [1, 7, 100, 3, 500, 389] where done < count {
        var chunk = [Int32](repeating: 0, count: min(batch, count - done))
        try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        out += chunk
        done += chunk.count
      }
      #expect(decoder.consumed == packed.count)
      var more = [Int32](repeating: 0, count: 1)
      if width > 0 && (count * width) % 8 == 0 {
        expectParquetError { try more.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } }
      }
    }
    #expect(out == values)
  }

  @Test func legacyRejectsBadInput() {
    #expect(throws: ParquetError.self) {
      try BitPackedLegacyDecoder(UnsafeRawBufferPointer(start: nil, count: 0), bitWidth: 33)
    }
    withExactBytes([1, 2, 3]) { raw in
      expectParquetError {
        var decoder = try BitPackedLegacyDecoder(raw, bitWidth: 7)
        var out = [Int32](repeating: 0, count: 4)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      }
    }
  }
}
