import Codecs

@testable import Kafka

/// Builds magic-v2 record batches for tests, following the format's field list (the decoder
/// is checked against this and against batches librdkafka wrote, in the integration tests).
struct TestRecord {
  var key: [UInt8]?
  var value: [UInt8]?
  var headers: [KafkaHeader] = []
  var timestampDelta: Int64 = 0
}

enum TestRecordBatch {
  /// The records section: each record length-prefixed.
  static func recordsSection(_ records: [TestRecord]) -> [UInt8] {
    var out = KafkaWriter()
    for (index, record) in records.enumerated() {
      var body = KafkaWriter()
      body.int8(0)
      body.varlong(record.timestampDelta)
      body.varint(Int32(index))
      writeVarBytes(&body, record.key)
      writeVarBytes(&body, record.value)
      body.varint(Int32(record.headers.count))
      for header in record.headers {
        writeVarBytes(&body, Array(header.key.utf8))
        writeVarBytes(&body, header.value)
      }
      out.varint(Int32(body.bytes.count))
      out.raw(body.bytes)
    }
    return out.bytes
  }

  static func writeVarBytes(_ writer: inout KafkaWriter, _ bytes: [UInt8]?) {
    guard let bytes else {
      writer.varint(-1)
      return
    }
    writer.varint(Int32(bytes.count))
    writer.raw(bytes)
  }

  /// A whole batch around an (already compressed, when `codec` says so) records section.
  static func batch(
    baseOffset: Int64, recordCount: Int, payload: [UInt8], codec: CompressionCodec = .none,
    baseTimestamp: Int64 = 1_700_000_000_000,
    producerID: Int64 = -1, transactional: Bool = false, control: Bool = false, logAppendTime: Bool = false
  ) -> [UInt8] {
    var attributes = codec.rawValue
    if logAppendTime { attributes |= 0x08 }
    if transactional { attributes |= 0x10 }
    if control { attributes |= 0x20 }
    var tail = KafkaWriter()  // attributes … records: what the CRC covers
    tail.int16(attributes)
    tail.int32(Int32(recordCount - 1))  // last offset delta
    tail.int64(baseTimestamp)
    tail.int64(baseTimestamp + 10)  // max timestamp
    tail.int64(producerID)
    tail.int16(0)  // producer epoch
    tail.int32(0)  // base sequence
    tail.int32(Int32(recordCount))
    tail.raw(payload)
    let crc = CRC32C.checksum(tail.bytes, range: 0..<tail.bytes.count)
    var out = KafkaWriter()
    out.int64(baseOffset)
    out.int32(Int32(4 + 1 + 4 + tail.bytes.count))  // leader epoch, magic, crc, rest
    out.int32(0)  // partition leader epoch
    out.int8(2)
    out.uint32(crc)
    out.raw(tail.bytes)
    return out.bytes
  }

  static func batch(baseOffset: Int64, records: [TestRecord], codec: CompressionCodec = .none) -> [UInt8] {
    let plain = recordsSection(records)
    return batch(baseOffset: baseOffset, recordCount: records.count, payload: compress(plain, codec), codec: codec)
  }

  /// Compresses with the Codecs encoders, framed as Kafka frames them.
  static func compress(_ plain: [UInt8], _ codec: CompressionCodec) -> [UInt8] {
    var out: [UInt8] = []
    plain.withUnsafeBytes { raw in
      switch codec {
      case .none: out = plain
      case .gzip: Gzip.compress(raw, into: &out)
      case .snappy: Snappy.compress(raw, into: &out)
      case .zstd: Zstd.compress(raw, into: &out)
      case .lz4: out = lz4Frame(plain, blockSize: 65536)
      }
    }
    return out
  }

  /// An LZ4 frame of independent blocks (what librdkafka and Java write), no checksums.
  static func lz4Frame(
    _ plain: [UInt8], blockSize: Int, contentSize: Bool = false, blockChecksums: Bool = false,
    contentChecksum: Bool = false
  ) -> [UInt8] {
    var out: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
    var flags: UInt8 = 0x60  // version 01, independent blocks
    if blockChecksums { flags |= 0x10 }
    if contentSize { flags |= 0x08 }
    if contentChecksum { flags |= 0x04 }
    out += [flags, 0x40]  // block max 64 KiB
    if contentSize { out += littleEndian(UInt64(plain.count), 8) }
    out.append(0xAB)  // header checksum (not verified)
    var start = 0
    while start < plain.count {
      let chunk = Array(plain[start..<min(start + blockSize, plain.count)])
      var block: [UInt8] = []
      chunk.withUnsafeBytes { LZ4Raw.compress($0, into: &block) }
      out += littleEndian(UInt64(block.count), 4) + block
      if blockChecksums { out += [1, 2, 3, 4] }
      start += blockSize
    }
    out += [0, 0, 0, 0]
    if contentChecksum { out += [5, 6, 7, 8] }
    return out
  }

  static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
  }
}

extension Array where Element == UInt8 {
  /// Bytes from hex, ignoring spaces and newlines: "00 0a ff".
  init(hex: String) {
    let digits = hex.filter { !$0.isWhitespace }.map { UInt8(String($0), radix: 16) ?? 0 }
    self = stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
  }

  var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
