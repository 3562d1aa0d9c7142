import Testing

@testable import Parquet

@Suite struct EncodingRLEHybridTests {
  static func encode(_ values: [Int32], bitWidth: Int) -> [UInt8] {
    var encoder = RLEHybridEncoder(bitWidth: bitWidth)
    encoder.append(contentsOf: values)
    return encoder.finish()
  }

  /// Decodes `count` values in batches of the given sizes (cycled).
  static func decode(_ bytes: [UInt8], bitWidth: Int, count: Int, batches: [Int] = [Int.max]) throws -> [Int32] {
    try withExactBytes(bytes) { raw in
      var decoder = try RLEHybridDecoder(raw, bitWidth: bitWidth)
      var out: [Int32] = []
      var b = 0
      while out.count < count {
        var chunk = [Int32](repeating: -1, count: min(max(1, batches[b % batches.count]), count - out.count))
        try chunk.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        out += chunk
        b += 1
      }
      return out
    }
  }

  /// Patterns that exercise both run kinds and their boundaries.
  static func patterns(count: Int, bitWidth: Int, seed: UInt64) -> [[Int32]] {
    var rng = EncodingTestRandom(seed: seed)
    let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
    let maxValue = Int32(truncatingIfNeeded: mask)
    let random = (0..<count).map { _ in Int32(truncatingIfNeeded: rng.next() & mask) }
    let constant = [Int32](repeating: maxValue, count: count)
    var runs: [Int32] = []
    while runs.count < count {
      let v = Int32(truncatingIfNeeded: rng.next() & mask)
      runs += [Int32](repeating: v, count: min(count - runs.count, Int(rng.next() % 20) + 1))
    }
    let alternating = (0..<count).map { $0 % 2 == 0 ? maxValue : 0 }
    return [random, constant, runs, alternating]
  }

  @Test(arguments: 0...32)
  func roundTrip(bitWidth: Int) throws {
    for count in edgeCounts {
      for (p, values) in Self.patterns(count: count, bitWidth: bitWidth, seed: UInt64(bitWidth * 1000 + count))
        .enumerated()
      {
        let bytes = Self.encode(values, bitWidth: bitWidth)
        #expect(
          try Self.decode(bytes, bitWidth: bitWidth, count: count) == values,
          "width \(bitWidth) count \(count) pattern \(p)")
        // Odd batch sizes split groups and runs.
        #expect(try Self.decode(bytes, bitWidth: bitWidth, count: count, batches: [1, 3, 7, 13, 64, 5]) == values)
      }
    }
  }

  /// parquet-mr's choices: 8+ repeats become an RLE run; other values bit-packed groups of 8
  /// (zero-padded), at most 63 groups per run.
  @Test func encoderMatchesParquetMRLayout() throws {
    // 100 zeros, width 1: one RLE run, header 200 = varint c8 01, value byte 00.
    #expect(Self.encode([Int32](repeating: 0, count: 100), bitWidth: 1) == [0xC8, 0x01, 0x00])
    // Width 0: runs with no value bytes.
    #expect(Self.encode([Int32](repeating: 0, count: 10), bitWidth: 0) == [0x14])
    // 0...7 at width 3: one bit-packed group, header (1 << 1) | 1, then the spec example bytes.
    #expect(Self.encode(Array(0...7), bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    // 3 values: padded to a group.
    #expect(Self.encode([1, 0, 1], bitWidth: 1) == [0x03, 0b0000_0101])
    // 504 alternating values = 63 groups in one run; 512 need a second run.
    let alternating = (0..<512).map { Int32($0 % 2) }
    let bytes = Self.encode(alternating, bitWidth: 1)
    #expect(bytes.count == 1 + 63 + 1 + 1)
    #expect(bytes[0] == 63 << 1 | 1 && bytes[64] == 1 << 1 | 1)
    // A run of 8 after bit-packed values: the pending group closes the packed run first.
    let mixed: [Int32] = [1, 2, 3, 4, 5, 6, 7, 0] + [Int32](repeating: 5, count: 20) + [1]
    #expect(try Self.decode(Self.encode(mixed, bitWidth: 3), bitWidth: 3, count: mixed.count) == mixed)
    // Wide values: RLE value is 4 bytes at width 32.
    #expect(Self.encode([Int32](repeating: -1, count: 9), bitWidth: 32) == [0x12, 0xFF, 0xFF, 0xFF, 0xFF])
  }

  @Test func spec8ValueRLEThenPacked() throws {
    // Hand-built: RLE run of 5 × value 3 (width 2), then a packed group of 0,1,2,3,0,1,2,3.
    let bytes: [UInt8] = [0x0A, 0x03, 0x03, 0b1110_0100, 0b1110_0100]
    #expect(try Self.decode(bytes, bitWidth: 2, count: 13) == [3, 3, 3, 3, 3, 0, 1, 2, 3, 0, 1, 2, 3])
  }

  @Test func skipAndCount() throws {
    var rng = EncodingTestRandom(seed: 99)
    var levels: [Int32] = []
    while levels.count < 5000 {
      let v = Int32(rng.next() % 3)
      levels += [Int32](repeating: v, count: Int(rng.next() % 30) + 1)
    }
    levels = Array(levels.prefix(5000))
    let bytes = Self.encode(levels, bitWidth: 2)
    try withExactBytes(bytes) { raw in
      var decoder = try RLEHybridDecoder(raw, bitWidth: 2)
      var position = 0
      for step in [3, 100, 1, 17, 999, 8, 1872] {
        let n = min(step, 5000 - position)
        let expected = levels[position..<(position + n)].filter { $0 == 2 }.count
        #expect(try decoder.count(equalTo: 2, in: n) == expected)
        position += n
        let s = min(11, 5000 - position)
        try decoder.skip(s)
        position += s
      }
      var rest = [Int32](repeating: 0, count: 5000 - position)
      try rest.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      #expect(rest == Array(levels[position...]))
    }
  }

  @Test func framingHelpers() throws {
    let levels: [Int32] = (0..<300).map { $0 % 7 == 0 ? 0 : 1 }
    var encoder = RLEHybridEncoder(bitWidth: 1)
    encoder.append(contentsOf: levels)
    var page: [UInt8] = []
    encoder.finish(into: &page, lengthPrefixed: true)
    let runsLength = page.count - 4
    page += [9, 9, 9]  // the values section
    try withExactBytes(page) { raw in
      var (decoder, consumed) = try RLEHybridDecoder.levelsV1(raw, bitWidth: 1)
      #expect(consumed == 4 + runsLength)
      var out = [Int32](repeating: 0, count: 300)
      try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      #expect(out == levels)
    }
    // Booleans share the framing.
    let bools: [UInt8] = (0..<77).map { UInt8($0 % 3 == 0 ? 1 : 0) }
    var boolEncoder = RLEHybridEncoder(bitWidth: 1)
    boolEncoder.append(contentsOf: bools.map { Int32($0) })
    var boolPage: [UInt8] = []
    boolEncoder.finish(into: &boolPage, lengthPrefixed: true)
    try withExactBytes(boolPage) { raw in
      var (decoder, consumed) = try RLEHybridDecoder.booleans(raw)
      #expect(consumed == boolPage.count)
      var out = [UInt8](repeating: 7, count: 77)
      try out.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
      #expect(out == bools)
    }
    // Dictionary indices: width byte first.
    let indices: [Int32] = (0..<1000).map { Int32(($0 * 37) % 600) }
    var indexPage: [UInt8] = []
    indices.withUnsafeBufferPointer {
      RLEHybridEncoder.encodeDictionaryIndices(
        $0, bitWidth: RLEHybridEncoder.bitWidth(forDictionaryCount: 600), into: &indexPage)
    }
    #expect(indexPage[0] == 10)
    try withExactBytes(indexPage) { raw in
      var decoder = try RLEHybridDecoder.dictionaryIndices(raw)
      var out = [Int32](repeating: 0, count: 1000)
      try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
      #expect(out == indices)
    }
    #expect(RLEHybridDecoder.bitWidth(forMaxLevel: 0) == 0)
    #expect(RLEHybridDecoder.bitWidth(forMaxLevel: 1) == 1)
    #expect(RLEHybridDecoder.bitWidth(forMaxLevel: 4) == 3)
    #expect(RLEHybridEncoder.bitWidth(forDictionaryCount: 1) == 0)
    #expect(RLEHybridEncoder.bitWidth(forDictionaryCount: 1024) == 10)
  }

  @Test func malformedRuns() throws {
    func fails(_ bytes: [UInt8], bitWidth: Int, count: Int, _ comment: Comment) {
      withExactBytes(bytes) { raw in
        expectParquetError(comment) {
          var decoder = try RLEHybridDecoder(raw, bitWidth: bitWidth)
          var out = [Int32](repeating: 0, count: count)
          try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        }
      }
    }
    fails([], bitWidth: 1, count: 1, "empty")
    fails([0x10], bitWidth: 8, count: 8, "RLE run without its value")
    fails([0x10, 0x05], bitWidth: 2, count: 8, "value wider than the bit width")
    fails([0x03, 0xFF], bitWidth: 3, count: 8, "bit-packed group cut short")
    fails([0xFF, 0xFF, 0xFF, 0xFF, 0x7F], bitWidth: 1, count: 1, "varint past 32 bits")
    fails([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], bitWidth: 1, count: 8, "bit-packed run over 2^31 values")
    fails([0x80, 0x80], bitWidth: 1, count: 1, "varint runs off the end")
    fails([0x04, 0x01], bitWidth: 1, count: 3, "more values than runs")
    #expect(throws: ParquetError.self) {
      try RLEHybridDecoder(UnsafeRawBufferPointer(start: nil, count: 0), bitWidth: 33)
    }
    withExactBytes([0x21]) { raw in
      expectParquetError { _ = try RLEHybridDecoder.dictionaryIndices(raw) }
    }
    withExactBytes([0x10, 0, 0, 0, 1]) { raw in
      expectParquetError { _ = try RLEHybridDecoder.levelsV1(raw, bitWidth: 1) }
    }
    // A bit-packed run whose data is cut short still yields the values wholly present.
    #expect(try Self.decode([0x05, 0xFF, 0x0F], bitWidth: 4, count: 4) == [15, 15, 15, 0])
  }
}
