import Testing

@testable import Parquet

@Suite struct EncodingDeltaBinaryPackedTests {
  static func encode<T: FixedWidthInteger & SignedInteger & Sendable>(_ values: [T]) -> [UInt8]
  where T.Magnitude: FixedWidthInteger & UnsignedInteger {
    var out: [UInt8] = []
    values.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<T>.encode($0, into: &out) }
    return out
  }

  static func decode32(_ bytes: [UInt8], count: Int, batches: [Int] = [Int.max]) throws -> (
    values: [Int32], consumed: Int
  ) {
    try withExactBytes(bytes) { raw in
      var decoder = try DeltaBinaryPackedDecoder(raw, valueBits: 32, maxValues: count)
      #expect(decoder.totalCount == count)
      let end = try decoder.endOffset()
      var out: [Int32] = []
      var b = 0
      while out.count < count {
        var chunk = [Int32](repeating: 0, count: min(batches[b % batches.count], count - out.count))
        try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        out += chunk
        b += 1
      }
      #expect(decoder.consumed == end)
      expectParquetError {
        var one = [Int32](repeating: 0, count: 1);
        try one.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      }
      return (out, decoder.consumed)
    }
  }

  static func decode64(_ bytes: [UInt8], count: Int, batches: [Int] = [Int.max]) throws -> (
    values: [Int64], consumed: Int
  ) {
    try withExactBytes(bytes) { raw in
      var decoder = try DeltaBinaryPackedDecoder(raw, valueBits: 64, maxValues: count)
      let end = try decoder.endOffset()
      var out: [Int64] = []
      var b = 0
      while out.count < count {
        var chunk = [Int64](repeating: 0, count: min(batches[b % batches.count], count - out.count))
        try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        out += chunk
        b += 1
      }
      #expect(decoder.consumed == end)
      return (out, decoder.consumed)
    }
  }

  /// The spec's examples, laid out with a valid block (128 values, 4 miniblocks).
  @Test func specExamples() throws {
    let example1: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
    #expect(try Self.decode32(example1, count: 5).values == [1, 2, 3, 4, 5])
    #expect(Self.encode([Int32]([1, 2, 3, 4, 5])) == example1)
    // Min delta -2 (zigzag 3), width 2, relative deltas 0,0,0,3,3,3,3 padded to 32 values.
    let example2: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0, 0, 0, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
    #expect(try Self.decode32(example2, count: 8) == ([7, 5, 3, 1, 2, 3, 4, 5], example2.count))
    #expect(Self.encode([Int32]([7, 5, 3, 1, 2, 3, 4, 5])) == example2)
    #expect(try Self.decode64(example2, count: 8).values == [7, 5, 3, 1, 2, 3, 4, 5])
  }

  static func int32Cases(count: Int, seed: UInt64) -> [[Int32]] {
    var rng = EncodingTestRandom(seed: seed)
    let extremes = (0..<count).map { i -> Int32 in [Int32.min, .max, 0, -1, .max, .min, 1][i % 7] }
    let random = (0..<count).map { _ in Int32(truncatingIfNeeded: rng.next()) }
    let sorted = (0..<count).map { Int32($0 * 3 + ($0 % 5)) }
    let constant = [Int32](repeating: -42, count: count)
    return [extremes, random, sorted, constant]
  }

  @Test func int32RoundTrips() throws {
    for count in edgeCounts {
      for (c, values) in Self.int32Cases(count: count, seed: UInt64(count)).enumerated() {
        let bytes = Self.encode(values)
        let decoded = try Self.decode32(bytes, count: count)
        #expect(decoded.values == values, "count \(count) case \(c)")
        #expect(decoded.consumed == bytes.count)
        #expect(try Self.decode32(bytes, count: count, batches: [1, 5, 31, 2, 64, 100]).values == values)
      }
    }
  }

  @Test func int64RoundTrips() throws {
    var rng = EncodingTestRandom(seed: 64)
    for count in edgeCounts {
      let extremes = (0..<count).map { i -> Int64 in [Int64.min, .max, 0, -1, .max, .min, 1][i % 7] }
      let random = (0..<count).map { _ in Int64(bitPattern: rng.next()) }
      let timestamps = (0..<count).map { 1_700_000_000_000_000 + Int64($0) * 1_000_003 }
      for values in [extremes, random, timestamps] {
        let bytes = Self.encode(values)
        let decoded = try Self.decode64(bytes, count: count)
        #expect(decoded.values == values && decoded.consumed == bytes.count)
        #expect(try Self.decode64(bytes, count: count, batches: [3, 7, 129]).values == values)
      }
    }
  }

  /// Every miniblock width: values whose deltas need exactly `width` bits.
  @Test(arguments: 0...64)
  func everyWidth(width: Int) throws {
    var rng = EncodingTestRandom(seed: UInt64(width))
    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
    var values: [Int64] = [0]
    for i in 1..<300 {
      let delta = i % 32 == 1 ? mask : rng.next() & mask
      values.append(values[i - 1] &+ Int64(bitPattern: delta))
    }
    let bytes = Self.encode(values)
    #expect(try Self.decode64(bytes, count: values.count, batches: [13, 250]).values == values)
    if width <= 32 {
      let narrow = values.map { Int32(truncatingIfNeeded: $0) }
      #expect(try Self.decode32(Self.encode(narrow), count: narrow.count).values == narrow)
    }
  }

  /// The streaming encoder (single values, buffers, reuse after finish) writes what the
  /// one-shot encoder writes.
  @Test func streamingEncoderMatchesOneShot() throws {
    var rng = EncodingTestRandom(seed: 77)
    var encoder = DeltaBinaryPackedEncoder<Int64>()
    for count in edgeCounts {
      let values = (0..<count).map { _ in Int64(bitPattern: rng.next() >> UInt64(rng.next() % 64)) }
      var split = 0
      for v in values.prefix(count / 3) { encoder.append(v); split += 1 }
      values[split...].withUnsafeBufferPointer { encoder.append(contentsOf: $0) }
      #expect(encoder.count == count)
      var streamed: [UInt8] = []
      encoder.finish(into: &streamed)
      #expect(streamed == Self.encode(values), "count \(count)")
      var wide: [UInt8] = []
      values.withUnsafeBufferPointer {
        DeltaBinaryPackedEncoder<Int64>.encode($0, blockSize: 512, miniblocksPerBlock: 8, into: &wide)
      }
      #expect(try Self.decode64(wide, count: count, batches: [100]).values == values)
    }
  }

  @Test func lenientLayouts() throws {
    // Last block uses 2 miniblocks; the widths of the unused two are garbage and ignored.
    let garbageWidths: [UInt8] = [0x80, 0x01, 0x04, 40, 0x00, 0x02, 0, 0, 0xFF, 0xFF]
    #expect(try Self.decode32(garbageWidths, count: 40).values == (0..<40).map { Int32($0) })
    // A last miniblock without its padding: only the bytes of the values present.
    let values: [Int32] = (0..<10).map { $0 * $0 }
    let full = Self.encode(values)
    let deltaBits = 9 * BitPacking.bitWidth(of: 18 - 1)
    let trimmed = Array(full.prefix(full.count - 32 * 5 / 8 + (deltaBits + 7) / 8))
    #expect(trimmed.count < full.count)
    #expect(try Self.decode32(trimmed, count: 10).values == values)
    // Block sizes other than 128 and more miniblocks (256 values in 8 miniblocks of 32).
    var custom: [UInt8] = [0x80, 0x02, 0x08, 0x64, 0x00, 0x02]  // 100 values from 0, min delta 1
    custom += [UInt8](repeating: 0, count: 8)
    #expect(try Self.decode32(custom, count: 100).values == (0..<100).map { Int32($0) })
  }

  @Test func hostileHeaders() {
    func fails(_ bytes: [UInt8], valueBits: Int = 32, count: Int = 1000, _ comment: Comment) {
      withExactBytes(bytes) { raw in
        expectParquetError(comment) {
          var decoder = try DeltaBinaryPackedDecoder(raw, valueBits: valueBits, maxValues: count)
          _ = try decoder.endOffset()
          if valueBits == 32 {
            var out = [Int32](repeating: 0, count: decoder.totalCount)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
          } else {
            var out = [Int64](repeating: 0, count: decoder.totalCount)
            try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
          }
        }
      }
    }
    fails([], "empty")
    fails([0x00, 0x04, 0x05, 0x00], "block size 0")
    fails([0x64, 0x04, 0x05, 0x00], "block size 100")
    fails([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x04, 0x05, 0x00], "absurd block size")
    fails([0x80, 0x01, 0x00, 0x05, 0x00], "no miniblocks")
    fails([0x80, 0x01, 0x03, 0x05, 0x00], "3 miniblocks do not divide 128")
    fails([0x80, 0x01, 0x08, 0x05, 0x00], "miniblocks of 16 values")
    fails([0x80, 0x01, 0x04, 0xE9, 0x07, 0x00], count: 1000, "1001 values, 1000 expected")
    fails([0x80, 0x01, 0x04, 0x05, 0x80, 0x80, 0x80, 0x80, 0x10], "first value past INT32")
    fails(
      [0x80, 0x01, 0x04, 0x05, 0x00, 0x02, 65, 0, 0, 0] + [UInt8](repeating: 0, count: 300), valueBits: 64, "width 65")
    fails([0x80, 0x01, 0x04, 0x05, 0x00, 0x02, 0, 0], "widths cut short")
    fails([0x80, 0x01, 0x04, 0x05, 0x00, 0x02, 8, 0, 0, 0, 1, 2], "miniblock cut short")
    fails([0x80, 0x01, 0x04, 0x05, 0x00], "no block")
    fails([0x80, 0x01, 0x04, 0x05, 0x00, 0x02, 1, 0, 0, 0], "needed miniblock absent")
    fails([0x80, 0x01, 0x04, 0x05] + [UInt8](repeating: 0xFF, count: 11), "varint over 64 bits")
  }
}

@Suite struct EncodingDeltaByteArrayTests {
  static func values(count: Int, seed: UInt64) -> [[UInt8]] {
    var rng = EncodingTestRandom(seed: seed)
    var previous: [UInt8] = []
    return (0..<count).map { i in
      let v: [UInt8]
      switch i % 6 {
      case 0: v = []
      case 1: v = rng.bytes(2000 + Int(rng.next() % 100))
      case 2: v = previous  // repeat: all prefix
      case 3: v = Array(previous.prefix(Int(rng.next() % 10))) + rng.bytes(Int(rng.next() % 12))
      default: v = rng.bytes(Int(rng.next() % 30))
      }
      previous = v
      return v
    }
  }

  @Test func deltaLengthRoundTrips() throws {
    for count in edgeCounts {
      let values = Self.values(count: count, seed: UInt64(count))
      let (offsets, flat) = joinValues(values)
      var encoded: [UInt8] = []
      offsets.withUnsafeBufferPointer { o in
        flat.withUnsafeBytes { DeltaLengthByteArrayEncoder.encode(offsets: o, bytes: $0, into: &encoded) }
      }
      try withExactBytes(encoded) { raw in
        var decoder = try DeltaLengthByteArrayDecoder(raw, maxValues: count)
        #expect(decoder.count == count)
        var outOffsets: [Int32] = []
        var outBytes: [UInt8] = []
        var done = 0
        for batch in [1, 2, 50, 1000, 1000] where done < count {
          let n = min(batch, count - done)
          try decoder.decode(count: n, offsets: &outOffsets, bytes: &outBytes)
          done += n
        }
        #expect(splitValues(outOffsets, outBytes) == values)
        #expect(decoder.consumed == encoded.count)
        var skipper = try DeltaLengthByteArrayDecoder(raw, maxValues: count)
        try skipper.skip(count / 2)
        var o: [Int32] = [0]
        var b: [UInt8] = []
        try skipper.decode(count: count - count / 2, offsets: &o, bytes: &b)
        #expect(splitValues(o, b) == Array(values[(count / 2)...]))
      }
    }
  }

  @Test func deltaByteArrayRoundTrips() throws {
    for count in edgeCounts {
      let values = Self.values(count: count, seed: 1000 + UInt64(count))
      let (offsets, flat) = joinValues(values)
      var encoded: [UInt8] = []
      offsets.withUnsafeBufferPointer { o in
        flat.withUnsafeBytes { DeltaByteArrayEncoder.encode(offsets: o, bytes: $0, into: &encoded) }
      }
      try withExactBytes(encoded) { raw in
        var decoder = try DeltaByteArrayDecoder(raw, maxValues: count)
        var outOffsets: [Int32] = [0]
        var outBytes: [UInt8] = []
        var done = 0
        for batch in [1, 3, 300, 1000] where done < count {
          let n = min(batch, count - done)
          try decoder.decode(count: n, offsets: &outOffsets, bytes: &outBytes)
          done += n
        }
        #expect(splitValues(outOffsets, outBytes) == values, "count \(count)")
        #expect(decoder.consumed == encoded.count)
        var skipper = try DeltaByteArrayDecoder(raw, maxValues: count)
        try skipper.skip(count / 2)
        var o: [Int32] = [0]
        var b: [UInt8] = []
        try skipper.decode(count: count - count / 2, offsets: &o, bytes: &b)
        #expect(splitValues(o, b) == Array(values[(count / 2)...]))
      }
    }
  }

  @Test func specExample() throws {
    let words = ["axis", "axle", "babble", "babyhood"].map { Array($0.utf8) }
    let (offsets, flat) = joinValues(words)
    var encoded: [UInt8] = []
    offsets.withUnsafeBufferPointer { o in
      flat.withUnsafeBytes { DeltaByteArrayEncoder.encode(offsets: o, bytes: $0, into: &encoded) }
    }
    var expected: [UInt8] = []
    [Int32(0), 2, 0, 3].withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int32>.encode($0, into: &expected) }
    [Int32(4), 2, 6, 5].withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int32>.encode($0, into: &expected) }
    expected += Array("axislebabbleyhood".utf8)
    #expect(encoded == expected)
    try withExactBytes(encoded) { raw in
      var decoder = try DeltaByteArrayDecoder(raw, maxValues: 4)
      var o: [Int32] = [0]
      var b: [UInt8] = []
      try decoder.decode(count: 4, offsets: &o, bytes: &b)
      #expect(splitValues(o, b) == words)
    }
    // DELTA_LENGTH_BYTE_ARRAY example: lengths 5 5 6 6, then the bytes.
    let hello = ["Hello", "World", "Foobar", "ABCDEF"].map { Array($0.utf8) }
    let (ho, hb) = joinValues(hello)
    var dlba: [UInt8] = []
    ho.withUnsafeBufferPointer { o in
      hb.withUnsafeBytes { DeltaLengthByteArrayEncoder.encode(offsets: o, bytes: $0, into: &dlba) }
    }
    #expect(dlba.suffix(22) == ArraySlice("HelloWorldFoobarABCDEF".utf8))
  }

  @Test func fixedLenByteArrays() throws {
    var rng = EncodingTestRandom(seed: 5)
    for count in edgeCounts {
      var flat: [UInt8] = []
      for i in 0..<count { flat += i % 3 == 0 ? rng.bytes(4) : Array(flat.suffix(4).prefix(2)) + rng.bytes(2) }
      if count == 0 { flat = [] }
      var encoded: [UInt8] = []
      flat.withUnsafeBytes { DeltaByteArrayEncoder.encodeFixed($0, width: 4, into: &encoded) }
      try withExactBytes(encoded) { raw in
        var decoder = try DeltaByteArrayDecoder(raw, maxValues: count, fixedWidth: 4)
        var o: [Int32] = [0]
        var b: [UInt8] = []
        try decoder.decode(count: count, offsets: &o, bytes: &b)
        #expect(b == flat)
        // The same bytes read with the wrong width fail.
        if count > 0 {
          var wrong = try DeltaByteArrayDecoder(raw, maxValues: count, fixedWidth: 5)
          expectParquetError { try wrong.decode(count: count, offsets: &o, bytes: &b) }
        }
      }
    }
  }

  @Test func hostile() {
    func streams(_ a: [Int32], _ b: [Int32]) -> [UInt8] {
      var out: [UInt8] = []
      a.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int32>.encode($0, into: &out) }
      b.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int32>.encode($0, into: &out) }
      return out
    }
    func fails(_ bytes: [UInt8], count: Int, _ comment: Comment) {
      withExactBytes(bytes) { raw in
        expectParquetError(comment) {
          var decoder = try DeltaByteArrayDecoder(raw, maxValues: 10)
          var o: [Int32] = [0]
          var b: [UInt8] = []
          try decoder.decode(count: count, offsets: &o, bytes: &b)
        }
      }
    }
    fails(streams([0, 5], [2, 0]) + [1, 2], count: 2, "prefix longer than the previous value")
    fails(streams([1], [1]) + [1], count: 1, "first value with a prefix")
    fails(streams([0, 0], [2, -1]) + [1, 2], count: 2, "negative suffix length")
    fails(streams([0, 0], [2, 5]) + [1, 2, 3], count: 2, "suffix bytes missing")
    fails(streams([0, 0, 0], [1, 1]) + [1, 2], count: 2, "3 prefixes, 2 suffixes")
    fails(streams([0], [1]) + [1], count: 2, "more values than the page")
    withExactBytes(streams([3, 4], []) + [9]) { raw in
      expectParquetError("DLBA lengths then missing data") {
        var decoder = try DeltaLengthByteArrayDecoder(raw, maxValues: 10)
        var o: [Int32] = [0]
        var b: [UInt8] = []
        try decoder.decode(count: 2, offsets: &o, bytes: &b)
      }
    }
  }
}
