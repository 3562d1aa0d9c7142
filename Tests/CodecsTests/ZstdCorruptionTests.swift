import Codecs
import Testing

@Suite("Zstd rejects corrupt input without crashing")
struct ZstdCorruptionTests {
  typealias S = ZstdTestSupport

  /// Decoding must either succeed or throw a ZSTD CodecError; a trap fails the whole run.
  static func attempt(_ frame: [UInt8], size: Int) {
    do {
      _ = try S.decompress(frame, size: size)
    } catch {
      #expect(error.codec == "ZSTD")
    }
    do {
      _ = try S.decompress(frame, limit: size * 2 + 1024)
    } catch {
      #expect(error.codec == "ZSTD")
    }
  }

  @Test func truncationAtEveryPosition() throws {
    let input = S.logText(3000)
    for frame in [S.compress(input, level: 1), S.compress(input, level: 7), try S.fixture("small.zst")] {
      for cut in 0..<frame.count {
        let truncated = Array(frame[0..<cut])
        do {
          let out = try S.decompress(truncated, limit: 1 << 20)
          // Only a cut at a frame boundary may decode, and then to nothing.
          #expect(cut == 0 && out.isEmpty)
        } catch {
          #expect(error.codec == "ZSTD")
        }
      }
    }
  }

  @Test func randomByteFlips() throws {
    let sources = [
      S.compress(S.logText(4000), level: 1), S.compress(S.logText(4000), level: 9),
      try S.fixture("small.zst"), Array(try S.fixture("log.l19.zst")[0..<3000]),
    ]
    var rng = S.SplitMix64(state: 77)
    for iteration in 0..<3000 {
      var frame = sources[iteration % sources.count]
      let flips = 1 + Int(rng.next() % 4)
      for _ in 0..<flips {
        let at = Int(rng.next() % UInt64(frame.count))
        frame[at] ^= UInt8(truncatingIfNeeded: 1 + rng.next() % 255)
      }
      Self.attempt(frame, size: 5000)
    }
  }

  @Test func checksumMismatchIsDetected() {
    let input = S.logText(5000)
    var frame = S.compress(input, level: 3)
    frame[frame.count - 1] ^= 0x55
    #expect(throws: CodecError.self) { try S.decompress(frame, size: input.count) }
  }

  @Test func forgedContentSizeDoesNotAllocate() throws {
    // Frame header claiming 2^62 bytes, then a tiny raw block.
    let forged: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0] + [0, 0, 0, 0, 0, 0, 0, 0x40] + [0x19, 0, 0, 0x41, 0x42, 0x43]
    #expect(throws: CodecError.self) { try S.decompress(forged, limit: Int.max) }
    #expect(throws: CodecError.self) { try S.decompress(forged, size: 100) }
    let size = try forged.withUnsafeBytes { (p) throws(CodecError) -> Int? in try Zstd.frameContentSize(p) }
    #expect(size == 1 << 62)
  }

  @Test func oversizedBlocksAndBadHeaders() {
    let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
    let cases: [[UInt8]] = [
      magic + [0x08, 0x00],  // reserved descriptor bit
      magic + [0x00, 0x00] + [0x07, 0x00, 0x00],  // reserved block type
      magic + [0x20, 0x05] + [0xF9, 0xFF, 0xFF, 0x00],  // RLE block far bigger than the content
      magic + [0x00, 0x00] + [0x01, 0x00, 0x50],  // raw block larger than the window
      magic + [0x01, 0x05],  // dictionary ID present
      [0x50, 0x2A, 0x4D, 0x18, 0xFF, 0xFF, 0xFF, 0xFF],  // skippable frame longer than the input
      [0x00, 0x01, 0x02, 0x03],  // not a frame
      magic + [0x20, 0x10] + [0x05, 0x00, 0x00],  // compressed block with no content
    ]
    for frame in cases {
      #expect(throws: CodecError.self) { try S.decompress(frame, limit: 1 << 20) }
    }
    do {
      _ = try S.decompress(magic + [0x03, 0x00, 0x01, 0x02, 0x03, 0x04], limit: 100)
      Issue.record("dictionary frame decoded")
    } catch {
      #expect(error.code == .unsupported)
    }
  }

  @Test func forgedTableDescriptions() {
    // One compressed block of 64 bytes: literals header, then a sequences section whose FSE
    // descriptions and Huffman trees are random. Exercises accuracy-log, symbol-count and weight checks.
    var rng = S.SplitMix64(state: 5)
    let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x48]  // no content size, 1 MiB window
    for iteration in 0..<4000 {
      var body = (0..<64).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      switch iteration % 4 {
      case 0:
        body[0] = 0x00  // no literals
        body[1] = UInt8(1 + rng.next() % 100)  // sequence count
        body[2] = 0xA8  // FSE-compressed tables for all three fields
      case 1:
        // Huffman literals (4 streams, 3-byte header) with a random tree description.
        body[0] = 0x06 | UInt8(truncatingIfNeeded: rng.next() << 4)
      case 2:
        body[0] = 0x02 | UInt8(truncatingIfNeeded: rng.next() << 4)  // single stream
      default:
        body[0] = 0x03  // treeless literals with no previous tree
      }
      let header = 2 << 1 | 1 | body.count << 3
      let frame = magic + [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), 0] + body
      Self.attempt(frame, size: 4096)
    }
  }

  @Test func outputLimitIsEnforced() throws {
    let input = [UInt8](repeating: 1, count: 100_000)
    let frame = S.compress(input, level: 3)
    do {
      _ = try S.decompress(frame, limit: 99_999)
      Issue.record("limit not enforced")
    } catch {
      #expect(error.code == .outputTooLarge)
    }
    #expect(throws: CodecError.self) { try S.decompress(frame, size: 50_000) }
  }
}
