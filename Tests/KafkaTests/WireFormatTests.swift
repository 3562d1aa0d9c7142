import Testing

@testable import Kafka

@Suite struct KafkaWriterTests {
  @Test func unsignedVarints() {
    var writer = KafkaWriter()
    writer.unsignedVarint(0)
    writer.unsignedVarint(127)
    writer.unsignedVarint(128)
    writer.unsignedVarint(300)
    #expect(writer.bytes == [0x00, 0x7f, 0x80, 0x01, 0xac, 0x02])
  }

  static let zigzagCases: [(Int32, [UInt8])] = [
    (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (63, [0x7e]), (-64, [0x7f]), (64, [0x80, 0x01]),
    (Int32.max, [0xfe, 0xff, 0xff, 0xff, 0x0f]), (Int32.min, [0xff, 0xff, 0xff, 0xff, 0x0f]),
  ]

  @Test(arguments: zigzagCases)
  func zigzagVarints(value: Int32, encoded: [UInt8]) throws {
    var writer = KafkaWriter()
    writer.varint(value)
    #expect(writer.bytes == encoded)
    var reader = KafkaReader(encoded, context: "test")
    #expect(try reader.varint() == value)
    #expect(reader.isAtEnd)
  }

  @Test(arguments: [Int64(0), -1, 1, 1_700_000_000_000, -1_700_000_000_000, Int64.max, Int64.min])
  func zigzagVarlongsRoundTrip(value: Int64) throws {
    var writer = KafkaWriter()
    writer.varlong(value)
    var reader = KafkaReader(writer.bytes, context: "test")
    #expect(try reader.varlong() == value)
    #expect(reader.isAtEnd)
  }

  @Test func classicAndCompactStrings() {
    var writer = KafkaWriter()
    writer.string("ab", flexible: false)
    writer.string("ab", flexible: true)
    writer.nullableString(nil, flexible: false)
    writer.nullableString(nil, flexible: true)
    writer.bytes([9], flexible: false)
    writer.bytes([9], flexible: true)
    writer.nullableBytes(nil, flexible: false)
    writer.arrayCount(2, flexible: false)
    writer.arrayCount(2, flexible: true)
    writer.nullArray(flexible: true)
    #expect(
      writer.bytes
        == [UInt8](
          hex: "0002 6162  03 6162  ffff  00  00000001 09  02 09  ffffffff  00000002  03  00"))
  }

  @Test func bigEndianIntegers() {
    var writer = KafkaWriter()
    writer.int16(-2)
    writer.int32(0x0102_0304)
    writer.int64(-1)
    writer.int8(-1)
    #expect(writer.bytes == [UInt8](hex: "fffe 01020304 ffffffffffffffff ff"))
  }
}

@Suite struct KafkaReaderTests {
  @Test func readsWhatTheWriterWrote() throws {
    var writer = KafkaWriter()
    writer.int16(7)
    writer.int32(-5)
    writer.int64(1 << 40)
    writer.string("héllo", flexible: true)
    writer.nullableString(nil, flexible: false)
    writer.int32Array([1, 2, 3], flexible: true)
    writer.bool(true)
    var reader = KafkaReader(writer.bytes, context: "test")
    #expect(try reader.int16() == 7)
    #expect(try reader.int32() == -5)
    #expect(try reader.int64() == 1 << 40)
    #expect(try reader.string(flexible: true) == "héllo")
    #expect(try reader.nullableString(flexible: false) == nil)
    #expect(try reader.int32Array(flexible: true) == [1, 2, 3])
    #expect(try reader.bool())
    #expect(reader.isAtEnd)
  }

  @Test func skipsTaggedFields() throws {
    // Two tagged fields: tag 0 with 2 bytes, tag 5 with none; then 0x7f.
    var reader = KafkaReader([UInt8](hex: "02 00 02 aabb 05 00 7f"), context: "test")
    try reader.skipTaggedFields(flexible: true)
    #expect(try reader.int8() == 0x7f)
    var classic = KafkaReader([0x7f], context: "test")
    try classic.skipTaggedFields(flexible: false)
    #expect(try classic.int8() == 0x7f)
  }

  @Test func truncatedInputThrowsWithContext() {
    var reader = KafkaReader([0x00, 0x05, 0x61], context: "Metadata v4 response")
    #expect {
      _ = try reader.string(flexible: false)
    } throws: { error in
      "\(error)" == "Metadata v4 response: truncated string at byte 2"
    }
  }

  @Test func overlongVarintThrows() {
    var reader = KafkaReader([UInt8](repeating: 0xff, count: 11), context: "test")
    #expect(throws: KafkaError.self) { _ = try reader.unsignedVarint() }
  }

  @Test func forgedArrayCountThrowsBeforeAllocating() {
    var reader = KafkaReader([UInt8](hex: "7fffffff 00"), context: "test")
    #expect(throws: KafkaError.self) { _ = try reader.int32Array(flexible: false) }
  }
}

@Suite struct CRC32CTests {
  @Test func knownVectors() {
    #expect(CRC32C.checksum(Array("123456789".utf8), range: 0..<9) == 0xE306_9283)
    #expect(CRC32C.checksum([], range: 0..<0) == 0)
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xff, and ascending 0…31.
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32), range: 0..<32) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xff, count: 32), range: 0..<32) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }, range: 0..<32) == 0x46DD_794E)
  }

  @Test func slicingMatchesTheBytewiseDefinition() {
    var bytes: [UInt8] = []
    var state: UInt32 = 12345
    for _ in 0..<1000 {
      state = state &* 1_103_515_245 &+ 12345
      bytes.append(UInt8(truncatingIfNeeded: state >> 16))
    }
    func bytewise(_ data: ArraySlice<UInt8>) -> UInt32 {
      var crc: UInt32 = 0xffff_ffff
      for byte in data {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
      }
      return ~crc
    }
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000] {
      #expect(CRC32C.checksum(bytes, range: 0..<length) == bytewise(bytes[0..<length]))
      #expect(CRC32C.checksum(bytes, range: 3..<max(3, length)) == bytewise(bytes[3..<max(3, length)]))
    }
  }
}

@Suite struct BrokerAddressTests {
  @Test func parsesBootstrapLists() throws {
    #expect(
      try BrokerAddress.parseList("127.0.0.1:9092, kafka-2:19092,[::1]:9093,solo")
        == [
          BrokerAddress(host: "127.0.0.1", port: 9092), BrokerAddress(host: "kafka-2", port: 19092),
          BrokerAddress(host: "::1", port: 9093), BrokerAddress(host: "solo", port: 9092),
        ])
  }

  @Test(arguments: ["", "host:", "host:0", "host:99999", ":9092", "[::1"])
  func rejectsBadAddresses(text: String) {
    #expect(throws: KafkaError.self) { _ = try BrokerAddress.parseList(text) }
  }
}
