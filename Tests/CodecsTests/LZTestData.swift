import Foundation

/// Deterministic inputs and fixture loading for the Snappy, LZ4 and GZIP tests.
enum LZTestData {
  /// SplitMix64: a tiny seeded generator, so failures reproduce.
  struct RNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func random(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var rng = RNG(seed: seed)
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
      var word = rng.next()
      for _ in 0..<min(8, count - index) {
        bytes[index] = UInt8(truncatingIfNeeded: word)
        word >>= 8
        index += 1
      }
    }
    return bytes
  }

  static func repetitive(_ count: Int) -> [UInt8] {
    let pattern = Array("abcabcabd".utf8)
    return (0..<count).map { pattern[$0 % pattern.count] }
  }

  static let words = Array(
    ("delta lake parquet column page row group schema field value null integer string "
      + "binary dictionary encoding snappy gzip avocet wader shore estuary tide flock "
      + "transaction log checkpoint version commit reader writer table").split(separator: " "))

  /// Log-like lines of words and numbers: compresses about 2-4x, like real column data.
  static func text(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
    var rng = RNG(seed: seed)
    var out = [UInt8]()
    out.reserveCapacity(count + 200)
    var line = 0
    while out.count < count {
      out += Array("\(line)\t\(rng.next() % 100_000)\t".utf8)
      for _ in 0..<(4 + rng.next() % 10) {
        out += Array(words[Int(rng.next() % UInt64(words.count))].utf8)
        out.append(0x20)
      }
      out.append(0x0A)
      line += 1
    }
    return Array(out.prefix(count))
  }

  /// Every kind of input at one size.
  static func samples(_ count: Int) -> [(String, [UInt8])] {
    [
      ("random", random(count, seed: UInt64(count) &+ 3)),
      ("text", text(count)),
      ("repetitive", repetitive(count)),
      ("zeros", [UInt8](repeating: 0, count: count)),
    ]
  }

  /// Sizes around the edges that matter: tiny blocks, LZ4's 12/13-byte minimum, Snappy's
  /// 15-byte margin and its 64 KiB fragments.
  static let sizes = [
    0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 14, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000,
    65535, 65536, 65537, 131_071, 131_072, 131_073, 200_000,
  ]

  static func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
    return [UInt8](try Data(contentsOf: url))
  }

  /// A copy of `bytes` with 1...4 random bytes changed, or cut short, or with bytes added.
  static func mutate(_ bytes: [UInt8], rng: inout RNG) -> [UInt8] {
    var copy = bytes
    switch rng.next() % 6 {
    case 0:
      copy.removeLast(Int(rng.next() % UInt64(copy.count)))
    case 1:
      copy.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(copy.count + 1)))
    case 2:
      let index = Int(rng.next() % UInt64(copy.count))
      copy[index] ^= UInt8(1 << (rng.next() % 8))
    default:
      for _ in 0..<(1 + rng.next() % 4) {
        copy[Int(rng.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: rng.next())
      }
    }
    return copy
  }
}
