import Foundation
import Parquet
import Storage
import Testing

/// Damaged files get a thrown error naming the file, never a crash, a hang or a huge allocation.
@Suite struct ReaderCorruptionTests {
  static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/format")

  static func fixtures() throws -> [(String, [UInt8])] {
    let names = try FileManager.default.contentsOfDirectory(atPath: fixtureDirectory.path)
      .filter { $0.hasSuffix(".parquet") }.sorted()
    return try names.map { ($0, Array(try Data(contentsOf: fixtureDirectory.appendingPathComponent($0)))) }
  }

  /// Reads every row group; returns the error, if any.
  static func readAll(_ bytes: [UInt8], name: String) -> (any Error)? {
    do {
      let reader = try ParquetFileReader(file: MemoryFile(path: name, bytes: bytes))
      _ = try reader.readAll()
      for group in 0..<reader.rowGroupCount {
        for leaf in 0..<reader.metadata.rowGroups[group].columns.count { _ = reader.statistics(rowGroup: group, leaf: leaf) }
      }
      return nil
    } catch {
      return error
    }
  }

  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  @Test func pristineFixturesRead() throws {
    for (name, bytes) in try Self.fixtures() {
      #expect(Self.readAll(bytes, name: name) == nil, "\(name) should read")
    }
  }

  @Test func truncationsThrowNamingTheFile() throws {
    for (name, bytes) in try Self.fixtures() {
      for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
        let error = Self.readAll(Array(bytes[0..<length]), name: name)
        let parquetError = try #require(error as? ParquetError, "\(name) cut at \(length): \(String(describing: error))")
        #expect(parquetError.path == name)
      }
    }
  }

  @Test func byteFlipsNeverCrash() throws {
    var random = SplitMix(state: 42)
    var failures = 0
    for (name, bytes) in try Self.fixtures() {
      for _ in 0..<400 {
        var damaged = bytes
        for _ in 0..<(1 + random.below(4)) {
          damaged[random.below(damaged.count)] ^= UInt8(1 << random.below(8))
        }
        if let error = Self.readAll(damaged, name: name) {
          #expect(error is ParquetError, "\(name): \(error) is not a ParquetError")
          failures += 1
        }
      }
    }
    #expect(failures > 0)
  }

  /// Overwrites 1 to 8 bytes with extreme values (0xFF…, 0x7F…, 0x80…): forged lengths, counts
  /// and offsets, in the footer and in page headers alike.
  @Test func forgedLengthsAndOffsets() throws {
    var random = SplitMix(state: 7)
    let patterns: [[UInt8]] = [
      [0xFF, 0xFF, 0xFF, 0x7F], [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x80, 0x80, 0x80, 0x80, 0x08], [0xFE, 0xFF, 0xFF, 0xFF, 0x0F],
      [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
    ]
    for (name, bytes) in try Self.fixtures() {
      for _ in 0..<400 {
        var damaged = bytes
        let pattern = patterns[random.below(patterns.count)]
        let at = random.below(damaged.count)
        for (index, byte) in pattern.enumerated() where at + index < damaged.count { damaged[at + index] = byte }
        if let error = Self.readAll(damaged, name: name) {
          #expect(error is ParquetError, "\(name): \(error) is not a ParquetError")
        }
      }
    }
  }

  @Test func notParquetAtAll() {
    let error = Self.readAll(Array("hello, this is not a parquet file at all".utf8), name: "x.txt")
    #expect("\(String(describing: error))".contains("x.txt"))
    #expect("\(String(describing: error))".contains("not a Parquet file"))
  }
}
