import Codecs
import Testing

@Suite("GZIP")
struct GzipTests {
  static func compress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var out = [UInt8]()
    data.withUnsafeBytes { Gzip.compress($0, level: level, into: &out) }
    return out
  }

  static func decompress(_ data: [UInt8], capacity: Int) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: capacity)
    let written = try data.withUnsafeBytes { (input) throws -> Int in
      try out.withUnsafeMutableBytes { (output) throws -> Int in
        try Gzip.decompress(input, into: output)
      }
    }
    return Array(out.prefix(written))
  }

  static func decompress(_ data: [UInt8], limit: Int) throws -> [UInt8] {
    try data.withUnsafeBytes { (input) throws -> [UInt8] in try Gzip.decompress(input, limit: limit) }
  }

  @Test("round trips at boundary sizes", arguments: [0, 1, 2, 100, 65535, 65536, 65537, 200_000])
  func roundTrip(size: Int) throws {
    for (kind, data) in LZTestData.samples(size) {
      let compressed = Self.compress(data)
      #expect(compressed.prefix(2) == [0x1F, 0x8B], "gzip magic")
      #expect(try Self.decompress(compressed, capacity: data.count) == data, "\(kind) \(size)")
      #expect(try Self.decompress(compressed, limit: data.count) == data, "\(kind) \(size)")
    }
  }

  @Test("levels", arguments: [Int32(-1), 0, 1, 6, 9, 42])
  func levels(level: Int32) throws {
    let data = LZTestData.text(50_000)
    let compressed = Self.compress(data, level: level)
    #expect(try Self.decompress(compressed, capacity: data.count) == data)
    if level != 0 { #expect(compressed.count < data.count / 2) }
  }

  @Test func largeInput() throws {
    let data = LZTestData.text(3_000_000) + LZTestData.random(1_000_000) + LZTestData.repetitive(1_000_000)
    let compressed = Self.compress(data, level: 1)
    #expect(try Self.decompress(compressed, capacity: data.count) == data)
    #expect(try Self.decompress(compressed, limit: 10_000_000) == data)
  }

  @Test("decodes reference output", arguments: ["text", "repeats"])
  func referenceFixtures(name: String) throws {
    let original = try LZTestData.fixture("\(name).bin")
    let compressed = try LZTestData.fixture("\(name).gz")
    #expect(try Self.decompress(compressed, capacity: original.count) == original)
    #expect(try Self.decompress(compressed, limit: 1 << 20) == original)
  }

  @Test func concatenatedMembers() throws {
    let original = try LZTestData.fixture("text.bin") + LZTestData.fixture("repeats.bin")
    let compressed = try LZTestData.fixture("multi.gz")
    #expect(try Self.decompress(compressed, capacity: original.count) == original)
    #expect(try Self.decompress(compressed, limit: 1 << 20) == original)
    // Our own members, three of them, one empty.
    let parts = [LZTestData.text(1000), [], LZTestData.random(500)]
    let joined = parts.flatMap { Self.compress($0) }
    #expect(try Self.decompress(joined, limit: 10_000) == parts.flatMap { $0 })
  }

  @Test func zlibWrapperAndZeroPadding() throws {
    let zlibHello: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 7, 0, 6, 44, 2, 21]
    #expect(try Self.decompress(zlibHello, capacity: 5) == Array("hello".utf8))
    let padded = Self.compress(Array("hello".utf8)) + [0, 0, 0, 0]
    #expect(try Self.decompress(padded, capacity: 5) == Array("hello".utf8))
    let paddedTwice = padded + Self.compress(Array(" world".utf8)) + [0]
    #expect(try Self.decompress(paddedTwice, limit: 100) == Array("hello world".utf8))
  }

  // MARK: corrupt input

  static func expectError(_ block: [UInt8], _ code: CodecError.Code, capacity: Int = 1000) {
    do {
      _ = try Self.decompress(block, capacity: capacity)
      Issue.record("expected \(code)")
    } catch let error as CodecError {
      #expect(error.code == code, "\(error)")
      #expect(error.codec == "GZIP")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func rejectsBadStreams() {
    let good = Self.compress(LZTestData.text(500))
    Self.expectError([], .truncatedInput)
    Self.expectError(Array(good.dropLast(4)), .truncatedInput)
    Self.expectError(Array(good.prefix(good.count / 2)), .truncatedInput)
    Self.expectError(Array("not gzip at all".utf8), .corruptInput)
    // A wrong CRC in the trailer.
    var badCRC = good
    badCRC[badCRC.count - 6] ^= 0xFF
    Self.expectError(badCRC, .corruptInput)
    // Garbage after the member.
    Self.expectError(good + [1, 2, 3], .corruptInput)
    // Output buffer too small.
    Self.expectError(good, .outputTooLarge, capacity: 499)
    Self.expectError(good, .outputTooLarge, capacity: 0)
  }

  @Test func limitStopsZipBombs() throws {
    let bomb = Self.compress([UInt8](repeating: 0, count: 20_000_000), level: 9)
    #expect(bomb.count < 100_000)
    do {
      _ = try Self.decompress(bomb, limit: 1_000_000)
      Issue.record("expected outputTooLarge")
    } catch {
      #expect((error as? CodecError)?.code == .outputTooLarge)
    }
    #expect(try Self.decompress(bomb, limit: 20_000_000).count == 20_000_000)
  }

  @Test func rejectsEveryTruncation() throws {
    let compressed = try LZTestData.fixture("repeats.gz")
    for cut in 0..<compressed.count {
      #expect(throws: CodecError.self) { try Self.decompress(Array(compressed.prefix(cut)), limit: 1 << 20) }
    }
  }

  @Test func survivesRandomMutations() throws {
    let originals = [try LZTestData.fixture("text.bin"), try LZTestData.fixture("repeats.bin")]
    var rng = LZTestData.RNG(seed: 44)
    for round in 0..<2000 {
      let original = originals[round % 2]
      let mutated = LZTestData.mutate(Self.compress(original), rng: &rng)
      if let out = try? Self.decompress(mutated, capacity: original.count) {
        #expect(out.count <= original.count)
      }
      _ = try? Self.decompress(mutated, limit: 1 << 16)
    }
  }
}
