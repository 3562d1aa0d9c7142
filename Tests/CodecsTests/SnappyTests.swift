import Codecs
import Testing

@Suite("Snappy")
struct SnappyTests {
  static func compress(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8]()
    data.withUnsafeBytes { Snappy.compress($0, into: &out) }
    return out
  }

  static func decompress(_ data: [UInt8], capacity: Int? = nil) throws -> [UInt8] {
    try data.withUnsafeBytes { (input) throws -> [UInt8] in
      let length = try Snappy.uncompressedLength(input)
      var out = [UInt8](repeating: 0, count: capacity ?? length)
      let written = try out.withUnsafeMutableBytes { (output) throws -> Int in
        try Snappy.decompress(input, into: output)
      }
      #expect(written == length)
      return Array(out.prefix(written))
    }
  }

  @Test("round trips at boundary sizes", arguments: LZTestData.sizes)
  func roundTrip(size: Int) throws {
    for (kind, data) in LZTestData.samples(size) {
      let compressed = Self.compress(data)
      #expect(compressed.count <= Snappy.maxCompressedLength(data.count), "\(kind)")
      #expect(try Self.decompress(compressed) == data, "\(kind) \(size)")
    }
  }

  @Test func compressesRedundantData() {
    #expect(Self.compress(LZTestData.repetitive(100_000)).count < 6000)
    #expect(Self.compress(LZTestData.text(100_000)).count < 50_000)
  }

  @Test func largeInput() throws {
    let data = LZTestData.text(3_000_000) + LZTestData.random(1_000_000) + LZTestData.repetitive(1_000_000)
    #expect(try Self.decompress(Self.compress(data)) == data)
  }

  @Test func appendsToExistingOutput() throws {
    var out: [UInt8] = [1, 2, 3]
    let data = LZTestData.text(1000)
    data.withUnsafeBytes { Snappy.compress($0, into: &out) }
    #expect(out.prefix(3) == [1, 2, 3])
    #expect(try Self.decompress(Array(out.dropFirst(3))) == data)
  }

  @Test("decodes reference output", arguments: ["text", "repeats"])
  func referenceFixtures(name: String) throws {
    let original = try LZTestData.fixture("\(name).bin")
    let compressed = try LZTestData.fixture("\(name).snappy")
    #expect(try Self.decompress(compressed) == original)
    #expect(try Self.decompress(Self.compress(original)) == original)
  }

  @Test func handWrittenElements() throws {
    // Literal "abcd" with a 1-byte extended length (tag 60), a copy-1 (offset 4, length 4),
    // a copy-4 (offset 2, length 6) and a 2-byte-length literal (tag 61).
    var block: [UInt8] = [15, 60 << 2, 3] + Array("abcd".utf8)
    block += [0b000_000_01, 4]
    block += [(5 << 2) | 3, 2, 0, 0, 0]
    block += [61 << 2, 0, 0, UInt8(ascii: "z")]
    #expect(try Self.decompress(block) == Array("abcdabcdcdcdcdz".utf8))
  }

  @Test func leavesBytesAfterDeclaredLengthAlone() throws {
    let data = LZTestData.text(5000)
    let out = try Self.decompress(Self.compress(data), capacity: 6000)
    #expect(out == data)
    var big = [UInt8](repeating: 0xAA, count: 6000)
    let compressed = Self.compress(data)
    _ = try compressed.withUnsafeBytes { (input) throws -> Int in
      try big.withUnsafeMutableBytes { (output) throws -> Int in
        try Snappy.decompress(input, into: output)
      }
    }
    #expect(big.suffix(1000).allSatisfy { $0 == 0xAA })
  }

  // MARK: corrupt input

  static func expectError(_ block: [UInt8], _ code: CodecError.Code, capacity: Int = 100) {
    var out = [UInt8](repeating: 0, count: capacity)
    do {
      _ = try block.withUnsafeBytes { (input) throws -> Int in
        try out.withUnsafeMutableBytes { (output) throws -> Int in
          try Snappy.decompress(input, into: output)
        }
      }
      Issue.record("expected \(code) for \(block)")
    } catch let error as CodecError {
      #expect(error.code == code, "\(error)")
      #expect(error.codec == "SNAPPY")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func rejectsForgedBlocks() {
    // Copy before the start of the output.
    Self.expectError([10, 0, UInt8(ascii: "a"), 0b000_001_01, 5], .corruptInput)
    // Offset zero.
    Self.expectError([10, 0, UInt8(ascii: "a"), (3 << 2) | 2, 0, 0], .corruptInput)
    // Literal longer than the input.
    Self.expectError([10, 9 << 2, 1, 2, 3], .truncatedInput)
    // Literal whose extended length runs off the input.
    Self.expectError([10, 62 << 2, 1], .truncatedInput)
    // Copy with its offset cut off.
    Self.expectError([10, 0, 1, 2], .truncatedInput)
    Self.expectError([10, 0, 1, 3, 0, 0], .truncatedInput)
    // Elements that write past the declared length.
    Self.expectError([2, 3 << 2, 1, 2, 3, 4], .corruptInput)
    Self.expectError([3, 0, 1, 0b000_011_01, 1], .corruptInput)
    // Fewer bytes than declared.
    Self.expectError([5, 0, 1], .sizeMismatch)
    // Declared length larger than the output buffer.
    Self.expectError([101, 0, 1], .sizeMismatch)
    // Preamble: truncated, too long, over 32 bits.
    Self.expectError([0x80], .truncatedInput)
    Self.expectError([], .truncatedInput)
    Self.expectError([0x80, 0x80, 0x80, 0x80, 0x80, 0], .corruptInput)
    Self.expectError([0xFF, 0xFF, 0xFF, 0xFF, 0x7F], .corruptInput)
    // Data after an empty block.
    Self.expectError([0, 0, 1], .corruptInput)
  }

  @Test func rejectsImpossibleDeclaredLength() {
    // 4 GiB - 1 declared by a 7-byte block: refuse before anyone allocates for it.
    let forged: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0]
    #expect(throws: CodecError.self) {
      try forged.withUnsafeBytes { (input) throws -> Int in try Snappy.uncompressedLength(input) }
    }
  }

  @Test func rejectsEveryTruncation() throws {
    let compressed = try LZTestData.fixture("repeats.snappy")
    for cut in 0..<compressed.count {
      #expect(throws: CodecError.self) { try Self.decompress(Array(compressed.prefix(cut))) }
    }
  }

  @Test func survivesRandomMutations() throws {
    let originals = [try LZTestData.fixture("text.bin"), try LZTestData.fixture("repeats.bin")]
    var rng = LZTestData.RNG(seed: 42)
    for round in 0..<3000 {
      let original = originals[round % 2]
      let mutated = LZTestData.mutate(Self.compress(original), rng: &rng)
      mutated.withUnsafeBytes { input in
        // Either the declared length is plausible and decoding succeeds or throws, or it
        // is rejected up front; both must come back without a crash.
        guard let length = try? Snappy.uncompressedLength(input), length < 1 << 20 else { return }
        var out = [UInt8](repeating: 0, count: length)
        out.withUnsafeMutableBytes { output in
          if let written = try? Snappy.decompress(input, into: output) {
            #expect(written == length)
          }
        }
      }
      // Decoding into a buffer of the original size, regardless of the preamble.
      var out = [UInt8](repeating: 0, count: original.count)
      _ = mutated.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { output in try? Snappy.decompress(input, into: output) }
      }
    }
  }
}
