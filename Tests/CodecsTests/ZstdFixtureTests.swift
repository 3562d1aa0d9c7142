import Codecs
import Foundation
import Testing

@Suite("Zstd decoding of reference-made fixtures")
struct ZstdFixtureTests {
  typealias S = ZstdTestSupport

  @Test("log text at levels 1, 3, 19 and 22", arguments: ["log.l1.zst", "log.l3.zst", "log.l19.zst", "log.l22.zst"])
  func logLevels(name: String) throws {
    let expected = try S.fixture("log.txt")
    let frame = try S.fixture(name)
    let declared = try frame.withUnsafeBytes { (p) throws(CodecError) -> Int? in try Zstd.frameContentSize(p) }
    #expect(declared == expected.count)
    #expect(try S.decompress(frame, size: expected.count) == expected)
    #expect(try S.decompress(frame, limit: 1 << 24) == expected)
  }

  @Test func withoutChecksumOrContentSize() throws {
    let expected = try S.fixture("log.txt")
    let frame = try S.fixture("log.l3.nochecksum.nosize.zst")
    let declared = try frame.withUnsafeBytes { (p) throws(CodecError) -> Int? in try Zstd.frameContentSize(p) }
    #expect(declared == nil)
    #expect(try S.decompress(frame, size: expected.count) == expected)
    #expect(try S.decompress(frame, limit: expected.count) == expected)
    // One byte short of the content: the limit must be enforced.
    #expect(throws: CodecError.self) { try S.decompress(frame, limit: expected.count - 1) }
  }

  @Test func multipleFramesWithSkippableFrame() throws {
    let expected = Array(try S.fixture("log.txt")[0..<60000])
    let frame = try S.fixture("multi.zst")
    #expect(try S.decompress(frame, size: expected.count) == expected)
    #expect(try S.decompress(frame, size: expected.count + 100) == expected)
    #expect(try S.decompress(frame, limit: 1 << 20) == expected)
  }

  @Test func emptyFrames() throws {
    for name in ["empty.zst", "empty.nosize.zst"] {
      let frame = try S.fixture(name)
      #expect(try S.decompress(frame, size: 0) == [])
      #expect(try S.decompress(frame, limit: 0) == [])
    }
    #expect(try S.decompress([], size: 0) == [])
  }

  @Test func rleHeavyData() throws {
    let expected = [UInt8](repeating: 0, count: 100_000) + Array(String(repeating: "abc", count: 10_000).utf8)
      + [UInt8](repeating: 0xFF, count: 50_000)
    let frame = try S.fixture("rle.zst")
    #expect(try S.decompress(frame, size: expected.count) == expected)
    #expect(try S.decompress(frame, limit: expected.count) == expected)
  }

  @Test func randomAndSkewedBytes() throws {
    #expect(try S.decompress(try S.fixture("random.zst"), limit: 1 << 20) == (try S.fixture("random.bin")))
    #expect(try S.decompress(try S.fixture("skewed.l19.zst"), limit: 1 << 20) == (try S.fixture("skewed.bin")))
  }

  @Test func smallFrame() throws {
    let expected = Array(try S.fixture("log.txt")[0..<200])
    #expect(try S.decompress(try S.fixture("small.zst"), size: 200) == expected)
  }

  @Test func outputTooSmallThrows() throws {
    let frame = try S.fixture("log.l3.zst")
    do {
      _ = try S.decompress(frame, size: 1000)
      Issue.record("expected an error")
    } catch {
      #expect(error.code == .outputTooLarge)
      #expect(error.codec == "ZSTD")
    }
  }
}
