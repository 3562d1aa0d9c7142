import Testing

@testable import Parquet

@Suite struct EncodingByteStreamSplitTests {
  @Test func specExample() throws {
    let raw: [UInt8] = [0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6]
    var encoded: [UInt8] = []
    raw.withUnsafeBytes { ByteStreamSplitEncoder.encodeRaw($0, width: 4, into: &encoded) }
    #expect(encoded == [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
    try withExactBytes(encoded) { bytes in
      var decoder = try ByteStreamSplitDecoder(bytes, width: 4)
      var out = [UInt32](repeating: 0, count: 3)
      try out.withUnsafeMutableBytes { try decoder.decodeRaw(into: $0) }
      #expect(out == [0xDDCC_BBAA, 0x3322_1100, 0xD6C5_B4A3])
    }
  }

  @Test func floatsAndDoubles() throws {
    var rng = EncodingTestRandom(seed: 11)
    let specials: [Double] = [
      .nan, -.nan, -0.0, 0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
    ]
    for count in edgeCounts {
      let doubles = (0..<count).map { i in i < specials.count ? specials[i] : Double(bitPattern: rng.next()) }
      let floats = (0..<count).map { i in
        i < specials.count ? Float(specials[i]) : Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
      }
      var d: [UInt8] = []
      var f: [UInt8] = []
      doubles.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &d) }
      floats.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &f) }
      try withExactBytes(d) { bytes in
        var decoder = try ByteStreamSplitDecoder(bytes, width: 8)
        #expect(decoder.count == count)
        var out = [Double](repeating: 1, count: count)
        // In two batches: the second reads from the middle of every stream.
        let half = count / 2
        try out.withUnsafeMutableBufferPointer { buffer in
          try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<half]))
          try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[half...]))
        }
        #expect(out.map(\.bitPattern) == doubles.map(\.bitPattern))
      }
      try withExactBytes(f) { bytes in
        var decoder = try ByteStreamSplitDecoder(bytes, width: 4)
        var out = [Float](repeating: 1, count: count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        #expect(out.map(\.bitPattern) == floats.map(\.bitPattern))
        var one = [Float](repeating: 0, count: 1)
        expectParquetError { try one.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } }
      }
    }
  }

  @Test func integers() throws {
    var rng = EncodingTestRandom(seed: 12)
    for count in edgeCounts {
      let i32 = (0..<count).map { i -> Int32 in i % 5 == 0 ? .min : Int32(truncatingIfNeeded: rng.next()) }
      let i64 = (0..<count).map { i -> Int64 in i % 5 == 0 ? .max : Int64(bitPattern: rng.next()) }
      var a: [UInt8] = []
      var b: [UInt8] = []
      i32.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &a) }
      i64.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, into: &b) }
      try withExactBytes(a) { bytes in
        var decoder = try ByteStreamSplitDecoder(bytes, width: 4)
        var out = [Int32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        #expect(out == i32)
      }
      try withExactBytes(b) { bytes in
        var decoder = try ByteStreamSplitDecoder(bytes, width: 8)
        try decoder.skip(count / 3)
        var out = [Int64](repeating: 0, count: count - count / 3)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        #expect(out == Array(i64[(count / 3)...]))
      }
    }
  }

  @Test(arguments: [1, 2, 3, 5, 16])
  func fixedLenByteArrays(width: Int) throws {
    var rng = EncodingTestRandom(seed: UInt64(width))
    for count in edgeCounts {
      let flat = rng.bytes(count * width)
      var encoded: [UInt8] = []
      flat.withUnsafeBytes { ByteStreamSplitEncoder.encodeRaw($0, width: width, into: &encoded) }
      try withExactBytes(encoded) { bytes in
        var decoder = try ByteStreamSplitDecoder(bytes, width: width)
        var offsets: [Int32] = []
        var out: [UInt8] = []
        try decoder.decodeFixedLenByteArrays(count: count / 2, offsets: &offsets, bytes: &out)
        try decoder.decodeFixedLenByteArrays(count: count - count / 2, offsets: &offsets, bytes: &out)
        #expect(out == flat)
        #expect(offsets == (0...count).map { Int32($0 * width) })
      }
    }
  }

  @Test func hostile() {
    withExactBytes([1, 2, 3, 4, 5]) { bytes in
      expectParquetError("not a multiple of the width") { _ = try ByteStreamSplitDecoder(bytes, width: 4) }
      expectParquetError("zero width") { _ = try ByteStreamSplitDecoder(bytes, width: 0) }
      expectParquetError("skip past the end") {
        var decoder = try ByteStreamSplitDecoder(bytes, width: 5)
        try decoder.skip(2)
      }
    }
  }
}
