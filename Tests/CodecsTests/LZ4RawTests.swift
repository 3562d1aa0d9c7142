import Codecs
import Testing

@Suite("LZ4_RAW")
struct LZ4RawTests {
  static func compress(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8]()
    data.withUnsafeBytes { LZ4Raw.compress($0, into: &out) }
    return out
  }

  static func decompress(_ data: [UInt8], capacity: Int) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: capacity)
    let written = try data.withUnsafeBytes { (input) throws -> Int in
      try out.withUnsafeMutableBytes { (output) throws -> Int in
        try LZ4Raw.decompress(input, into: output)
      }
    }
    return Array(out.prefix(written))
  }

  /// Walks a block's sequences and checks LZ4's end-of-block rules: the last match starts
  /// at least 12 bytes before the end and the last 5 bytes are literals.
  static func checkEndOfBlockRules(_ block: [UInt8], originalCount n: Int) {
    var ip = 0
    var op = 0
    func length(_ nibble: Int) -> Int {
      var value = nibble
      guard nibble == 15 else { return value }
      while true {
        let byte = Int(block[ip])
        ip += 1
        value += byte
        if byte != 255 { return value }
      }
    }
    while true {
      let token = Int(block[ip])
      ip += 1
      let literals = length(token >> 4)
      ip += literals
      op += literals
      if ip == block.count { break }
      ip += 2
      let match = length(token & 15) + 4
      #expect(op <= n - 12, "match starts \(n - op) bytes before the end")
      #expect(op + match <= n - 5, "match ends \(n - op - match) bytes before the end")
      op += match
    }
    #expect(op == n)
  }

  @Test("round trips at boundary sizes", arguments: LZTestData.sizes)
  func roundTrip(size: Int) throws {
    for (kind, data) in LZTestData.samples(size) {
      let compressed = Self.compress(data)
      #expect(compressed.count <= LZ4Raw.maxCompressedLength(data.count), "\(kind)")
      #expect(try Self.decompress(compressed, capacity: data.count) == data, "\(kind) \(size)")
      Self.checkEndOfBlockRules(compressed, originalCount: data.count)
    }
  }

  @Test func emptyBlockIsOneZeroToken() throws {
    #expect(Self.compress([]) == [0])
    #expect(try Self.decompress([0], capacity: 0) == [])
    #expect(try Self.decompress([], capacity: 10) == [])
  }

  @Test func compressesRedundantData() {
    #expect(Self.compress(LZTestData.repetitive(100_000)).count < 1000)
    #expect(Self.compress(LZTestData.text(100_000)).count < 50_000)
  }

  @Test func largeInput() throws {
    let data = LZTestData.text(3_000_000) + LZTestData.random(1_000_000) + LZTestData.repetitive(1_000_000)
    #expect(try Self.decompress(Self.compress(data), capacity: data.count) == data)
  }

  @Test("decodes reference output", arguments: ["text", "repeats"])
  func referenceFixtures(name: String) throws {
    let original = try LZTestData.fixture("\(name).bin")
    let compressed = try LZTestData.fixture("\(name).lz4raw")
    #expect(try Self.decompress(compressed, capacity: original.count) == original)
    #expect(try Self.decompress(Self.compress(original), capacity: original.count) == original)
  }

  @Test func longOverlappingMatch() throws {
    // "ab" then a 1000-byte match at offset 2, then 5 literals.
    var block: [UInt8] = [0x2F, UInt8(ascii: "a"), UInt8(ascii: "b"), 2, 0]
    block += [255, 255, 255, UInt8(1000 - 4 - 15 - 765)]
    block += [0x50] + Array("tail!".utf8)
    let expected = Array(repeating: Array("ab".utf8), count: 501).flatMap { $0 } + Array("tail!".utf8)
    #expect(try Self.decompress(block, capacity: 1007) == expected)
  }

  // MARK: corrupt input

  static func expectError(_ block: [UInt8], _ code: CodecError.Code, capacity: Int = 100) {
    do {
      _ = try Self.decompress(block, capacity: capacity)
      Issue.record("expected \(code) for \(block)")
    } catch let error as CodecError {
      #expect(error.code == code, "\(error)")
      #expect(error.codec == "LZ4_RAW")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func rejectsForgedBlocks() {
    // Match before the start of the output, and offset zero.
    Self.expectError([0x10, 1, 5, 0, 0x00], .corruptInput)
    Self.expectError([0x10, 1, 0, 0, 0x00], .corruptInput)
    // Literals past the end of the input.
    Self.expectError([0x50, 1, 2], .truncatedInput)
    Self.expectError([0xF0, 255, 255], .truncatedInput, capacity: 1000)
    // Offset cut off, and a block that ends after a match instead of literals.
    Self.expectError([0x10, 1, 1], .truncatedInput)
    Self.expectError([0x10, 1, 1, 0], .truncatedInput)
    // Output too small for literals or match.
    Self.expectError([0x50, 1, 2, 3, 4, 5], .outputTooLarge, capacity: 4)
    Self.expectError([0x1F, 1, 1, 0, 200, 0x00], .outputTooLarge)
    Self.expectError([0x10, 7], .outputTooLarge, capacity: 0)
    // A 255-run claiming a length far beyond the output.
    Self.expectError([0xF0] + [UInt8](repeating: 255, count: 1000) + [0], .corruptInput)
  }

  @Test func survivesEveryTruncation() throws {
    let original = try LZTestData.fixture("repeats.bin")
    let compressed = try LZTestData.fixture("repeats.lz4raw")
    for cut in 0..<compressed.count {
      // A cut right after some literals is a valid shorter block; anything else throws.
      if let out = try? Self.decompress(Array(compressed.prefix(cut)), capacity: original.count) {
        #expect(out.count < original.count)
      }
    }
  }

  @Test func survivesRandomMutations() throws {
    let originals = [try LZTestData.fixture("text.bin"), try LZTestData.fixture("repeats.bin")]
    var rng = LZTestData.RNG(seed: 43)
    for round in 0..<3000 {
      let original = originals[round % 2]
      let mutated = LZTestData.mutate(Self.compress(original), rng: &rng)
      for capacity in [original.count, original.count / 2, original.count + 100] {
        if let out = try? Self.decompress(mutated, capacity: capacity) {
          #expect(out.count <= capacity)
        }
      }
    }
  }
}
