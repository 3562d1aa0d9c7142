import Codecs
import Foundation

/// Helpers shared by the zstd test suites.
enum ZstdTestSupport {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/zstd")

  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  /// Decompresses into an exactly sized buffer (when `size` is given) or with a limit.
  static func decompress(_ frame: [UInt8], size: Int) throws(CodecError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: size)
    let result = frame.withUnsafeBytes { src in
      out.withUnsafeMutableBytes { dst in
        Result { () throws(CodecError) -> Int in try Zstd.decompress(src, into: dst) }
      }
    }
    let written = try result.get()
    return Array(out[0..<written])
  }

  static func decompress(_ frame: [UInt8], limit: Int) throws(CodecError) -> [UInt8] {
    let result = frame.withUnsafeBytes { src in
      Result { () throws(CodecError) -> [UInt8] in try Zstd.decompress(src, limit: limit) }
    }
    return try result.get()
  }

  static func compress(_ input: [UInt8], level: Int = 3) -> [UInt8] {
    var out: [UInt8] = []
    input.withUnsafeBytes { Zstd.compress($0, level: level, into: &out) }
    return out
  }

  /// A deterministic generator so test inputs do not depend on the platform's random source.
  struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(state: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
  }

  /// Log-like lines with varying numbers: compressible but not trivially so.
  static func logText(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
    var rng = SplitMix64(state: seed)
    let levels = ["INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    let services = ["api", "db", "cache", "auth", "ingest"]
    var text: [UInt8] = []
    text.reserveCapacity(count + 200)
    var t = 1_700_000_000
    while text.count < count {
      t += Int(rng.next() % 3)
      let line =
        "2024-01-\(10 + t % 20)T\(t % 24):\(t % 60):\(t % 59).\(rng.next() % 1000)Z \(levels[Int(rng.next() % 5)]) "
        + "[\(services[Int(rng.next() % 5)])] request done status=\(200 + rng.next() % 3) bytes=\(rng.next() % 90000) "
        + "duration_ms=\(rng.next() % 400)\n"
      text += Array(line.utf8)
    }
    return Array(text[0..<count])
  }
}
