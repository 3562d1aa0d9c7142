import Testing

@testable import Delta

/// Z85 (ZeroMQ RFC 32, with the two tail conventions found in Delta tables) and CRC-32.
@Suite struct DeletionVectorCodecTests {
  // MARK: Z85

  @Test func z85MatchesTheRFCExample() throws {
    let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
    #expect(Z85.encode(bytes) == "HelloWorld")
    #expect(try Z85.decode("HelloWorld") == bytes)
  }

  @Test func z85DecodesTheProtocolUUIDExample() throws {
    // PROTOCOL.md, "JSON Example 1": prefix "ab", then the UUID d2c639aa-8816-431a-aaf6-d3fe2512ff61.
    let uuid = try Z85.decode("^-aqEH.-t@S}K{vb[*k^")
    #expect(DeletionVectorDescriptor.uuidText(uuid) == "d2c639aa-8816-431a-aaf6-d3fe2512ff61")
    #expect(Z85.encode(uuid) == "^-aqEH.-t@S}K{vb[*k^")
  }

  @Test func z85DecodesTheProtocolInlineExample() throws {
    // PROTOCOL.md, "JSON Example 3": 40 bytes in the native RoaringBitmapArray layout.
    let bytes = try Z85.decode("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L")
    #expect(bytes.count == 40)
    #expect(Array(bytes.prefix(4)) == [0x64, 0x39, 0xD3, 0xD0])
    #expect(Z85.encode(bytes) == "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L")
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5, 7, 8, 16, 33, 100, 1000])
  func z85RoundTripsPaddedToAMultipleOfFour(length: Int) throws {
    var random = DeletionVectorTestRandom(seed: UInt64(length))
    let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    let text = Z85.encode(bytes)
    #expect(text.utf8.count == (length + 3) / 4 * 5)
    let decoded = try Z85.decode(text)
    #expect(Array(decoded.prefix(length)) == bytes)
    #expect(decoded.dropFirst(length).allSatisfy { $0 == 0 })
  }

  @Test func z85ExtremeGroups() throws {
    #expect(Z85.encode([0, 0, 0, 0]) == "00000")
    #expect(Z85.encode([0xFF, 0xFF, 0xFF, 0xFF]) == "%nSc0")
    #expect(try Z85.decode("%nSc0") == [0xFF, 0xFF, 0xFF, 0xFF])
    #expect(try Z85.decode("") == [])
  }

  @Test func z85ReadsTheRustCrateShortTail() throws {
    // krs-cdf-table-with-dv: 34 bytes, the last group "##093" holds the two bytes 03 00.
    #expect(try Z85.decode("##093") == [0x03, 0x00])
    #expect(try Z85.decode("#0000") == [0, 0, 0])
    #expect(try Z85.decode("###00") == [0])
    #expect(try Z85.decode("HelloWorld##093") == [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B, 0x03, 0x00])
  }

  @Test(arguments: [
    "Hell",  // not a multiple of 5
    "Hello World",  // space is not a digit
    "Hell\u{7F}",  // DEL
    "Hellé",  // non-ASCII
    "%nSc1",  // 2^32, one past the largest group
    "#####",  // all padding
    "####0",  // four padding characters leave no byte
    "##093HelloWorld",  // a short tail only ends the text
    "###zz",  // tail value 35*85+35 does not fit one byte
  ])
  func z85RejectsMalformedText(text: String) {
    #expect(throws: DeletionVectorError.self) { try Z85.decode(text) }
  }

  // MARK: CRC-32

  @Test func crc32KnownVectors() {
    #expect(CRC32.checksum([UInt8]()) == 0)
    #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
    #expect(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
  }

  @Test func crc32Continues() {
    let text = Array("The quick brown fox jumps over the lazy dog".utf8)
    let first = CRC32.checksum(text[..<10])
    #expect(CRC32.checksum(text[10...], continuing: first) == CRC32.checksum(text))
  }

  @Test func crc32OfARealDeletionVectorFile() {
    // drs-table-with-dv-small: the bitmap of rows {0, 9} and the CRC stored after it.
    let bitmap: [UInt8] = [
      0xD1, 0xD3, 0x39, 0x64, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3A, 0x30, 0, 0, 0x01, 0, 0, 0,
      0, 0, 0x01, 0, 0x10, 0, 0, 0, 0, 0, 0x09, 0,
    ]
    #expect(CRC32.checksum(bitmap) == 0x2A67_1846)
  }
}

/// A small deterministic random generator for property tests.
struct DeletionVectorTestRandom: RandomNumberGenerator {
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
