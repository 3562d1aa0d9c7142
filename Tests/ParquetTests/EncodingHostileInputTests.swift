import Testing

@testable import Parquet

/// Random bytes and truncated valid pages through every decoder: each must return or throw a
/// ParquetError, never trap, hang or allocate wildly.
@Suite struct EncodingHostileInputTests {
  /// Tries every decoder on `bytes`, asking for `count` values.
  static func decodeEverything(_ bytes: [UInt8], count: Int, width: Int) {
    withExactBytes(bytes) { raw in
      tolerateParquetError {
        var d = try RLEHybridDecoder(raw, bitWidth: width % 33)
        var out = [Int32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try d.decode(into: $0) }
      }
      tolerateParquetError {
        var d = try RLEHybridDecoder.dictionaryIndices(raw)
        _ = try d.count(equalTo: 1, in: count)
        try d.skip(count)
      }
      tolerateParquetError {
        var (d, _) = try RLEHybridDecoder.levelsV1(raw, bitWidth: width % 33)
        try d.skip(count)
      }
      tolerateParquetError {
        var (d, _) = try RLEHybridDecoder.booleans(raw)
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try d.decodeBooleans(into: $0) }
      }
      tolerateParquetError {
        var d = try BitPackedLegacyDecoder(raw, bitWidth: width % 33)
        var out = [Int32](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try d.decode(into: $0) }
      }
      tolerateParquetError {
        var d = PlainDecoder(raw)
        var offsets: [Int32] = [0]
        var out: [UInt8] = []
        try d.decodeByteArrays(count: count, offsets: &offsets, bytes: &out)
      }
      tolerateParquetError {
        var d = PlainDecoder(raw)
        var out = [Int64](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try d.decodeInt96AsNanos(into: $0) }
      }
      tolerateParquetError {
        var d = PlainDecoder(raw)
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBufferPointer { try d.decodeBooleans(into: $0) }
      }
      for bits in [32, 64] {
        tolerateParquetError {
          var d = try DeltaBinaryPackedDecoder(raw, valueBits: bits, maxValues: count)
          _ = try d.endOffset()
          try d.skip(d.totalCount)
        }
      }
      tolerateParquetError {
        var d = try DeltaLengthByteArrayDecoder(raw, maxValues: count)
        var offsets: [Int32] = []
        var out: [UInt8] = []
        try d.decode(count: d.count, offsets: &offsets, bytes: &out)
      }
      tolerateParquetError {
        var d = try DeltaByteArrayDecoder(raw, maxValues: count, fixedWidth: width % 3 == 0 ? 4 : nil)
        var offsets: [Int32] = []
        var out: [UInt8] = []
        try d.decode(count: d.count, offsets: &offsets, bytes: &out)
      }
      tolerateParquetError {
        var d = try ByteStreamSplitDecoder(raw, width: width % 9 + 1)
        var offsets: [Int32] = []
        var out: [UInt8] = []
        try d.decodeFixedLenByteArrays(count: count, offsets: &offsets, bytes: &out)
      }
    }
  }

  @Test func randomBytes() {
    var rng = EncodingTestRandom(seed: 0xBAD)
    for round in 0..<3000 {
      let length = Int(rng.next() % 80)
      var bytes = rng.bytes(length)
      // Bias some inputs towards plausible delta headers so the fuzzing gets past them.
      if round % 3 == 0 && length > 4 {
        bytes[0] = 0x80
        bytes[1] = 0x01
        bytes[2] = 0x04
        bytes[3] &= 0x7F
      }
      Self.decodeEverything(bytes, count: Int(rng.next() % 300), width: round)
    }
  }

  /// Every prefix of valid pages of each encoding.
  @Test func truncations() {
    var pages: [[UInt8]] = []
    let ints = (0..<300).map { Int64($0 * $0) - 7000 }
    var page: [UInt8] = []
    ints.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int64>.encode($0, into: &page) }
    pages.append(page)
    let words = (0..<200).map { Array("value-\($0 / 3)-\($0 % 7)".utf8) }
    let (o, b) = joinValues(words)
    for encode in [DeltaLengthByteArrayEncoder.encode, DeltaByteArrayEncoder.encode, PlainEncoder.encodeByteArrays] {
      page = []
      o.withUnsafeBufferPointer { o in b.withUnsafeBytes { encode(o, $0, &page) } }
      pages.append(page)
    }
    var rle = RLEHybridEncoder(bitWidth: 5)
    rle.append(contentsOf: (0..<500).map { Int32($0 % 32 < 20 ? 3 : $0 % 32) })
    page = [5]
    rle.finish(into: &page)
    pages.append(page)
    var levels = RLEHybridEncoder(bitWidth: 1)
    levels.append(contentsOf: (0..<500).map { Int32($0 % 9 == 0 ? 0 : 1) })
    page = []
    levels.finish(into: &page, lengthPrefixed: true)
    pages.append(page)
    for full in pages {
      for cut in 0...full.count {
        Self.decodeEverything(Array(full.prefix(cut)), count: 500, width: cut)
      }
    }
    // And a truncated page must fail for its own decoder.
    withExactBytes(Array(pages[0].prefix(pages[0].count / 2))) { raw in
      expectParquetError {
        var d = try DeltaBinaryPackedDecoder(raw, valueBits: 64, maxValues: 300)
        try d.skip(300)
      }
    }
  }

  /// Headers that announce huge counts over tiny data.
  @Test func hugeClaims() {
    // 2^31 - 1 repeats: skipping that many works without touching memory per value...
    withExactBytes([0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]) { raw in
      tolerateParquetError {
        var d = try RLEHybridDecoder(raw, bitWidth: 1)
        try d.skip(Int(Int32.max))
        expectParquetError { try d.skip(1) }
      }
    }
    // A delta header claiming 2^62 values is refused against the caller's bound.
    withExactBytes([0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00]) { raw in
      expectParquetError { _ = try DeltaBinaryPackedDecoder(raw, valueBits: 64, maxValues: 1 << 20) }
    }
    // Width-0 miniblocks: 1000 values from a few bytes are fine, within the bound.
    withExactBytes([0x80, 0x01, 0x04, 0xE8, 0x07, 0x00] + [UInt8](repeating: 0, count: 40)) { raw in
      tolerateParquetError {
        var d = try DeltaBinaryPackedDecoder(raw, valueBits: 32, maxValues: 1000)
        try d.skip(1000)
      }
    }
  }
}
