import Testing

@testable import Parquet

@Suite struct EncodingPlainTests {
  @Test func fixedWidthRoundTrips() throws {
    var rng = EncodingTestRandom(seed: 1)
    for count in edgeCounts {
      let ints32 = (0..<count).map { i -> Int32 in
        i % 3 == 0 ? (i % 2 == 0 ? .min : .max) : Int32(truncatingIfNeeded: rng.next())
      }
      let ints64 = (0..<count).map { i -> Int64 in
        i % 3 == 0 ? (i % 2 == 0 ? .min : .max) : Int64(bitPattern: rng.next())
      }
      let floats = (0..<count).map { i -> Float in [Float.nan, -0.0, .infinity, 1.5][i % 4] }
      let doubles = (0..<count).map { i -> Double in [Double.nan, -0.0, -.infinity, .pi][i % 4] }
      var bytes: [UInt8] = []
      ints32.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
      ints64.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
      floats.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
      doubles.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
      #expect(bytes.count == count * 24)
      try withExactBytes(bytes) { raw in
        var decoder = PlainDecoder(raw)
        var i32 = [Int32](repeating: 0, count: count)
        var i64 = [Int64](repeating: 0, count: count)
        var f = [Float](repeating: 0, count: count)
        var d = [Double](repeating: 0, count: count)
        try i32.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        try i64.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        try f.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        try d.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        #expect(i32 == ints32 && i64 == ints64)
        #expect(f.map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(d.map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(decoder.consumed == bytes.count)
        var one = [Int32](repeating: 0, count: 1)
        expectParquetError { try one.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) } }
      }
    }
    // Known little-endian layout.
    var bytes: [UInt8] = []
    [Int32(0x0102_0304), -2].withUnsafeBufferPointer { PlainEncoder.encode($0, into: &bytes) }
    #expect(bytes == [4, 3, 2, 1, 0xFE, 0xFF, 0xFF, 0xFF])
  }

  @Test func int96() throws {
    let nanos: [Int64] = [0, 1, -1, 86_399_999_999_999, 1_700_000_000_123_456_789, .min, .max]
    var bytes: [UInt8] = []
    nanos.withUnsafeBufferPointer { PlainEncoder.encodeInt96(nanos: $0, into: &bytes) }
    #expect(bytes.count == nanos.count * 12)
    // The epoch is Julian day 2440588 (0x253D8C) at nanosecond 0.
    #expect(Array(bytes[0..<12]) == [0, 0, 0, 0, 0, 0, 0, 0, 0x8C, 0x3D, 0x25, 0])
    try withExactBytes(bytes) { raw in
      var decoder = PlainDecoder(raw)
      var out = [Int64](repeating: 0, count: nanos.count)
      try out.withUnsafeMutableBufferPointer { try decoder.decodeInt96AsNanos(into: $0) }
      #expect(out == nanos)
      var structs = [Int96](repeating: Int96(nanosOfDay: 0, julianDay: 0), count: nanos.count)
      var again = PlainDecoder(raw)
      try structs.withUnsafeMutableBufferPointer { try again.decode(into: $0) }
      #expect(structs[2] == Int96(nanosOfDay: 86_400_000_000_000 - 1, julianDay: 2_440_587))
      var roundTrip: [UInt8] = []
      structs.withUnsafeBufferPointer { PlainEncoder.encode($0, into: &roundTrip) }
      #expect(roundTrip == bytes)
    }
    // Year 1 does not fit Int64 nanoseconds: it wraps as Arrow's reader does (the Julian day
    // read as unsigned), so both read the same value.
    var old: [UInt8] = []
    [Int96(nanosOfDay: 5, julianDay: 1_721_424)].withUnsafeBufferPointer { PlainEncoder.encode($0, into: &old) }
    try withExactBytes(old) { raw in
      var decoder = PlainDecoder(raw)
      var out = [Int64](repeating: 0, count: 1)
      try out.withUnsafeMutableBufferPointer { try decoder.decodeInt96AsNanos(into: $0) }
      #expect(out[0] == (Int64(1_721_424) &- 2_440_588) &* 86_400_000_000_000 &+ 5)
    }
  }

  @Test func booleans() throws {
    var rng = EncodingTestRandom(seed: 2)
    for count in edgeCounts {
      let values = (0..<count).map { _ in UInt8(rng.next() & 1) }
      var bytes: [UInt8] = []
      values.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &bytes) }
      #expect(bytes.count == (count + 7) / 8)
      try withExactBytes(bytes) { raw in
        // Odd batches start mid-byte.
        var decoder = PlainDecoder(raw)
        var out: [UInt8] = []
        var batch = 1
        while out.count < count {
          var chunk = [UInt8](repeating: 9, count: min(batch, count - out.count))
          try chunk.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
          out += chunk
          batch = batch * 3 + 1
        }
        #expect(out == values)
        #expect(decoder.consumed == bytes.count)
        var skipper = PlainDecoder(raw)
        try skipper.skipBooleans(count / 2)
        var rest = [UInt8](repeating: 9, count: count - count / 2)
        try rest.withUnsafeMutableBufferPointer { try skipper.decodeBooleans(into: $0) }
        #expect(rest == Array(values[(count / 2)...]))
      }
    }
    // Nothing to read from.
    withExactBytes([]) { raw in
      expectParquetError {
        var decoder = PlainDecoder(raw)
        var out = [UInt8](repeating: 0, count: 1)
        try out.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
      }
    }
    // LSB first.
    var bytes: [UInt8] = []
    [UInt8(1), 0, 0, 0, 0, 0, 0, 0, 0, 1].withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &bytes) }
    #expect(bytes == [0x01, 0x02])
  }

  static func byteArrayValues(count: Int, seed: UInt64) -> [[UInt8]] {
    var rng = EncodingTestRandom(seed: seed)
    return (0..<count).map { i in
      switch i % 5 {
      case 0: []
      case 1: rng.bytes(Int(rng.next() % 3000))
      default: rng.bytes(Int(rng.next() % 20))
      }
    }
  }

  @Test func byteArrays() throws {
    for count in edgeCounts {
      let values = Self.byteArrayValues(count: count, seed: UInt64(count))
      let (offsets, flat) = joinValues(values)
      var bytes: [UInt8] = []
      offsets.withUnsafeBufferPointer { o in
        flat.withUnsafeBytes { PlainEncoder.encodeByteArrays(offsets: o, bytes: $0, into: &bytes) }
      }
      #expect(bytes.count == count * 4 + flat.count)
      try withExactBytes(bytes) { raw in
        var decoder = PlainDecoder(raw)
        // Appending to output that already holds a value.
        var outOffsets: [Int32] = [0, 3]
        var outBytes: [UInt8] = [7, 7, 7]
        let half = count / 2
        try decoder.decodeByteArrays(count: half, offsets: &outOffsets, bytes: &outBytes)
        try decoder.decodeByteArrays(count: count - half, offsets: &outOffsets, bytes: &outBytes)
        #expect(splitValues(outOffsets, outBytes) == [[7, 7, 7]] + values)
        #expect(decoder.consumed == bytes.count)
        var skipper = PlainDecoder(raw)
        try skipper.skipByteArrays(count)
        #expect(skipper.consumed == bytes.count)
      }
    }
    // A leading 0 is added to empty offsets.
    try withExactBytes([2, 0, 0, 0, 0x61, 0x62]) { raw in
      var decoder = PlainDecoder(raw)
      var offsets: [Int32] = []
      var bytes: [UInt8] = []
      try decoder.decodeByteArrays(count: 1, offsets: &offsets, bytes: &bytes)
      #expect(offsets == [0, 2] && bytes == [0x61, 0x62])
    }
  }

  @Test func fixedLenByteArrays() throws {
    let width = 5
    var rng = EncodingTestRandom(seed: 3)
    for count in edgeCounts {
      let flat = rng.bytes(count * width)
      var bytes: [UInt8] = []
      flat.withUnsafeBytes { PlainEncoder.encodeFixedLenByteArrays($0, into: &bytes) }
      try withExactBytes(bytes) { raw in
        var decoder = PlainDecoder(raw)
        var offsets: [Int32] = [0]
        var out: [UInt8] = []
        try decoder.decodeFixedLenByteArrays(count: count, width: width, offsets: &offsets, bytes: &out)
        #expect(out == flat)
        #expect(offsets == (0...count).map { Int32($0 * width) })
      }
    }
  }

  @Test func hostileByteArrays() {
    func fails(_ bytes: [UInt8], count: Int, _ comment: Comment) {
      withExactBytes(bytes) { raw in
        expectParquetError(comment) {
          var decoder = PlainDecoder(raw)
          var offsets: [Int32] = [0]
          var out: [UInt8] = []
          try decoder.decodeByteArrays(count: count, offsets: &offsets, bytes: &out)
        }
      }
    }
    fails([1, 0, 0], count: 1, "short length")
    fails([5, 0, 0, 0, 1, 2], count: 1, "value past the end")
    fails([0xFF, 0xFF, 0xFF, 0xFF, 1], count: 1, "negative length")
    fails([0, 0, 0, 0], count: 2, "second value missing")
    withExactBytes([1, 2, 3]) { raw in
      expectParquetError("count overflow") {
        var decoder = PlainDecoder(raw)
        try decoder.skip(Int.max / 2, width: 8)
      }
      expectParquetError("negative width") {
        var decoder = PlainDecoder(raw)
        var offsets: [Int32] = [0]
        var out: [UInt8] = []
        try decoder.decodeFixedLenByteArrays(count: 1, width: -1, offsets: &offsets, bytes: &out)
      }
    }
  }
}
