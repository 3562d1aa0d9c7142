import Codecs
import Testing

@Suite("Zstd round trips through our compressor")
struct ZstdRoundTripTests {
  typealias S = ZstdTestSupport

  static let levels = [1, 2, 3, 5, 9]

  static func check(_ input: [UInt8], level: Int) throws {
    let frame = S.compress(input, level: level)
    let declared = try frame.withUnsafeBytes { (p) throws(CodecError) -> Int? in try Zstd.frameContentSize(p) }
    #expect(declared == input.count)
    #expect(try S.decompress(frame, size: input.count) == input)
    #expect(try S.decompress(frame, limit: input.count) == input)
  }

  @Test(arguments: levels)
  func emptyAndTiny(level: Int) throws {
    try Self.check([], level: level)
    try Self.check([42], level: level)
    try Self.check(Array("hello hello hello hello!".utf8), level: level)
    for n in [2, 3, 7, 15, 16, 17, 31, 64, 100, 255, 256, 257] {
      try Self.check(S.randomBytes(n, seed: UInt64(n)), level: level)
      try Self.check(S.logText(n), level: level)
    }
  }

  @Test(arguments: levels)
  func repetitive(level: Int) throws {
    try Self.check([UInt8](repeating: 7, count: 300_000), level: level)
    try Self.check(Array(String(repeating: "abcdefgh", count: 40_000).utf8), level: level)
    // Short periods exercise overlapping matches.
    var periodic: [UInt8] = []
    for period in 1...20 { periodic += (0..<5000).map { UInt8($0 % period) } }
    try Self.check(periodic, level: level)
  }

  @Test(arguments: levels)
  func randomData(level: Int) throws {
    let random = S.randomBytes(200_000, seed: 9)
    try Self.check(random, level: level)
    let frame = S.compress(random, level: level)
    // Incompressible data is stored: at most a few bytes per block of overhead.
    #expect(frame.count < random.count + 64)
  }

  @Test(arguments: levels)
  func textCompresses(level: Int) throws {
    let text = S.logText(400_000)
    try Self.check(text, level: level)
    let frame = S.compress(text, level: level)
    #expect(frame.count * 3 < text.count)
  }

  @Test func mixedContent() throws {
    // Text, then noise, then runs, then text again: blocks of every kind in one frame.
    let input = S.logText(150_000) + S.randomBytes(150_000, seed: 3) + [UInt8](repeating: 0, count: 140_000)
      + S.logText(100_000, seed: 8)
    for level in [1, 3, 7] { try Self.check(input, level: level) }
  }

  @Test func multiMegabyte() throws {
    let input = S.logText(3_000_000, seed: 4)
    for level in [1, 3] { try Self.check(input, level: level) }
  }

  @Test func skewedBytesUseTheWholeAlphabet() throws {
    // More than 128 distinct literals forces FSE-compressed Huffman weights.
    var rng = S.SplitMix64(state: 11)
    let input = (0..<100_000).map { _ -> UInt8 in
      let r = rng.next()
      return UInt8(truncatingIfNeeded: (r & 0xFF) * ((r >> 8) & 0xFF) >> 8)
    }
    for level in [1, 3] { try Self.check(input, level: level) }
  }

  @Test func levelsBehaveDifferently() {
    let text = S.logText(300_000)
    let fast = S.compress(text, level: 1)
    let strong = S.compress(text, level: 9)
    #expect(strong.count < fast.count)
  }

  @Test func appendsToExistingOutput() throws {
    var out: [UInt8] = [1, 2, 3]
    let input = S.logText(10_000)
    input.withUnsafeBytes { Zstd.compress($0, into: &out) }
    #expect(Array(out[0..<3]) == [1, 2, 3])
    #expect(try S.decompress(Array(out[3...]), size: input.count) == input)
  }

  @Test func concatenatedFramesOfOurOwn() throws {
    let a = S.logText(50_000, seed: 1)
    let b = S.randomBytes(1000, seed: 2)
    let frames = S.compress(a, level: 1) + S.compress([], level: 3) + S.compress(b, level: 5)
    #expect(try S.decompress(frames, limit: 1 << 20) == a + b)
  }
}
