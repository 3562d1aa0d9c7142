import Foundation
import Testing

@testable import Parquet

/// Page bytes written by pyarrow (Arrow C++), made by Fixtures/encoding/make_fixtures.py.
@Suite struct EncodingPyArrowFixtureTests {
  struct File: Decodable {
    let generator: String
    let cases: [Case]
  }

  struct Case: Decodable, CustomTestStringConvertible {
    let name: String
    let encoding: String
    let type: String
    let hex: String
    /// Integers (values, levels, indices, booleans as 0/1).
    let values: [Int64]?
    /// Hex of byte arrays, or of fixed-width values' little-endian bytes.
    let blobs: [String]?
    let width: Int?
    let bitWidth: Int?
    var testDescription: String { "\(encoding) \(type) \(name)" }
    var bytes: [UInt8] { hexBytes(hex) }
    var ints: [Int64] { values ?? [] }
    var blobBytes: [[UInt8]] { (blobs ?? []).map(hexBytes) }
  }

  static let cases: [Case] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/encoding/pyarrow_pages.json")
    guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
      return []
    }
    return file.cases
  }()

  @Test func fixturesLoad() {
    #expect(Self.cases.count >= 29)
  }

  @Test(arguments: cases.filter { $0.encoding == "DELTA_BINARY_PACKED" })
  func deltaBinaryPacked(_ c: Case) throws {
    let bytes = c.bytes
    var ours: [UInt8] = []
    if c.type == "INT32" {
      let expected = c.ints.map { Int32($0) }
      let decoded = try EncodingDeltaBinaryPackedTests.decode32(bytes, count: expected.count, batches: [7, 100])
      #expect(decoded.values == expected)
      #expect(decoded.consumed == bytes.count)
      expected.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int32>.encode($0, into: &ours) }
    } else {
      let decoded = try EncodingDeltaBinaryPackedTests.decode64(bytes, count: c.ints.count, batches: [7, 100])
      #expect(decoded.values == c.ints)
      #expect(decoded.consumed == bytes.count)
      // Arrow writes INT64 in blocks of 256 (parquet-mr: 128); the header says which.
      let blockSize = bytes.starts(with: [0x80, 0x02]) ? 256 : 128
      c.ints.withUnsafeBufferPointer { DeltaBinaryPackedEncoder<Int64>.encode($0, blockSize: blockSize, into: &ours) }
    }
    // Same bytes as Arrow's writer given the same block layout.
    #expect(ours == bytes)
  }

  @Test(
    arguments: cases.filter {
      ["DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY"].contains($0.encoding)
        || ($0.encoding == "PLAIN" && $0.type == "BYTE_ARRAY")
    })
  func byteArrays(_ c: Case) throws {
    let bytes = c.bytes
    let expected = c.blobBytes
    var offsets: [Int32] = [0]
    var out: [UInt8] = []
    var consumed = 0
    try withExactBytes(bytes) { raw in
      switch c.encoding {
      case "DELTA_LENGTH_BYTE_ARRAY":
        var decoder = try DeltaLengthByteArrayDecoder(raw, maxValues: expected.count)
        try decoder.decode(count: expected.count / 3, offsets: &offsets, bytes: &out)
        try decoder.decode(count: expected.count - expected.count / 3, offsets: &offsets, bytes: &out)
        consumed = decoder.consumed
      case "DELTA_BYTE_ARRAY":
        var decoder = try DeltaByteArrayDecoder(raw, maxValues: expected.count, fixedWidth: c.width)
        try decoder.decode(count: expected.count / 3, offsets: &offsets, bytes: &out)
        try decoder.decode(count: expected.count - expected.count / 3, offsets: &offsets, bytes: &out)
        consumed = decoder.consumed
      default:
        var decoder = PlainDecoder(raw)
        try decoder.decodeByteArrays(count: expected.count, offsets: &offsets, bytes: &out)
        consumed = decoder.consumed
      }
    }
    #expect(splitValues(offsets, out) == expected)
    #expect(consumed == bytes.count)
    var ours: [UInt8] = []
    let (o, b) = joinValues(expected)
    o.withUnsafeBufferPointer { o in
      b.withUnsafeBytes { b in
        switch c.encoding {
        case "DELTA_LENGTH_BYTE_ARRAY": DeltaLengthByteArrayEncoder.encode(offsets: o, bytes: b, into: &ours)
        case "DELTA_BYTE_ARRAY": DeltaByteArrayEncoder.encode(offsets: o, bytes: b, into: &ours)
        default: PlainEncoder.encodeByteArrays(offsets: o, bytes: b, into: &ours)
        }
      }
    }
    #expect(ours == bytes)
  }

  @Test(arguments: cases.filter { $0.encoding == "BYTE_STREAM_SPLIT" })
  func byteStreamSplit(_ c: Case) throws {
    let bytes = c.bytes
    let expected = c.blobBytes
    let width = expected.first?.count ?? 1
    var flat: [UInt8] = []
    try withExactBytes(bytes) { raw in
      var decoder = try ByteStreamSplitDecoder(raw, width: width)
      #expect(decoder.count == expected.count)
      switch c.type {
      case "FLOAT":
        var out = [Float](repeating: 0, count: expected.count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        flat = out.withUnsafeBytes { Array($0) }
      case "DOUBLE":
        var out = [Double](repeating: 0, count: expected.count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        flat = out.withUnsafeBytes { Array($0) }
      case "INT32":
        var out = [Int32](repeating: 0, count: expected.count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        flat = out.withUnsafeBytes { Array($0) }
      case "INT64":
        var out = [Int64](repeating: 0, count: expected.count)
        try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0) }
        flat = out.withUnsafeBytes { Array($0) }
      default:
        var offsets: [Int32] = [0]
        try decoder.decodeFixedLenByteArrays(count: expected.count, offsets: &offsets, bytes: &flat)
      }
    }
    #expect(flat == expected.flatMap { $0 })
    var ours: [UInt8] = []
    flat.withUnsafeBytes { ByteStreamSplitEncoder.encodeRaw($0, width: width, into: &ours) }
    #expect(ours == bytes)
  }

  @Test(arguments: cases.filter { ["RLE", "RLE_DICTIONARY"].contains($0.encoding) && $0.type != "BOOLEAN" })
  func rleHybrid(_ c: Case) throws {
    let expected = c.ints.map { Int32($0) }
    var out = [Int32](repeating: -1, count: expected.count)
    try withExactBytes(c.bytes) { raw in
      var decoder: RLEHybridDecoder
      switch c.type {
      case "INDICES":
        decoder = try RLEHybridDecoder.dictionaryIndices(raw)
        #expect(decoder.bitWidth == 10)
      case "LEVELS_V1":
        let framed = try RLEHybridDecoder.levelsV1(raw, bitWidth: c.bitWidth ?? 1)
        decoder = framed.decoder
        #expect(framed.consumed == raw.count - 8)
      default:
        decoder = try RLEHybridDecoder.levelsV2(raw, bitWidth: c.bitWidth ?? 1)
      }
      try out.withUnsafeMutableBufferPointer { buffer in
        // Batches of 100 split runs and groups.
        for start in stride(from: 0, to: buffer.count, by: 100) {
          try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start..<min(start + 100, buffer.count)]))
        }
      }
    }
    #expect(out == expected)
  }

  @Test(arguments: cases.filter { $0.type == "BOOLEAN" })
  func booleans(_ c: Case) throws {
    let expected = c.ints.map { UInt8($0) }
    var out = [UInt8](repeating: 9, count: expected.count)
    try withExactBytes(c.bytes) { raw in
      if c.encoding == "RLE" {
        var (decoder, consumed) = try RLEHybridDecoder.booleans(raw)
        #expect(consumed == raw.count)
        try out.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
      } else {
        var decoder = PlainDecoder(raw)
        try out.withUnsafeMutableBufferPointer { try decoder.decodeBooleans(into: $0) }
        #expect(decoder.consumed == raw.count)
      }
    }
    #expect(out == expected)
    if c.encoding == "PLAIN" {
      var ours: [UInt8] = []
      expected.withUnsafeBufferPointer { PlainEncoder.encodeBooleans($0, into: &ours) }
      #expect(ours == c.bytes)
    }
  }

  @Test(arguments: cases.filter { $0.type == "INT96" })
  func int96(_ c: Case) throws {
    var out = [Int64](repeating: 0, count: c.ints.count)
    try withExactBytes(c.bytes) { raw in
      var decoder = PlainDecoder(raw)
      try out.withUnsafeMutableBufferPointer { try decoder.decodeInt96AsNanos(into: $0) }
    }
    #expect(out == c.ints)
    var ours: [UInt8] = []
    c.ints.withUnsafeBufferPointer { PlainEncoder.encodeInt96(nanos: $0, into: &ours) }
    #expect(ours == c.bytes)
  }
}
