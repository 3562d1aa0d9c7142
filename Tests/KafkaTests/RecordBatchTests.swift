import Codecs
import Foundation
import Testing

@testable import Kafka

@Suite struct RecordBatchTests {
  static func record(_ i: Int) -> TestRecord {
    let key: [UInt8]? = i % 7 == 0 ? nil : Array("key-\(i)".utf8)
    let text = "value-\(i) " + String(repeating: "abc", count: i)
    let value: [UInt8]? = i % 11 == 0 ? nil : Array(text.utf8)
    var headers: [KafkaHeader] = []
    if i % 3 == 0 {
      headers = [KafkaHeader(key: "h", value: Array("\(i)".utf8)), KafkaHeader(key: "n", value: nil)]
    }
    return TestRecord(key: key, value: value, headers: headers, timestampDelta: Int64(i))
  }

  static let records: [TestRecord] = (0..<50).map(record)

  func decode(
    _ bytes: [UInt8], from offset: Int64 = 0, readCommitted: Bool = true,
    aborted: [FetchRequest.AbortedTransaction] = []
  ) throws -> (messages: [KafkaMessage], next: Int64?) {
    var messages: [KafkaMessage] = []
    let decoder = PartitionRecords(topic: "t", partition: 0, readCommitted: readCommitted, decompressionLimit: 1 << 24)
    let next = try decoder.decode(
      bytes, range: 0..<bytes.count, fetchOffset: offset, abortedTransactions: aborted, into: &messages)
    return (messages, next)
  }

  func check(_ messages: [KafkaMessage], baseOffset: Int64 = 0, from first: Int = 0) {
    #expect(messages.count == Self.records.count - first)
    for (message, index) in zip(messages, first...) {
      let record = Self.records[index]
      #expect(message.offset == baseOffset + Int64(index))
      #expect(message.key == record.key)
      #expect(message.value.map(Array.init) == record.value)
      #expect(message.headers == record.headers)
      #expect(message.timestamp == 1_700_000_000_000 + Int64(index))
      #expect(message.timestampType == .createTime)
    }
  }

  /// A fixed batch written out field by field, pinning the layout.
  @Test func decodesAHandWrittenBatch() throws {
    var tail = [UInt8](
      hex: """
        0000 00000000 0000018bcfe56800 0000018bcfe56800 ffffffffffffffff ffff ffffffff 00000001
        20 00 00 00 02 6b 0a 76616c7565 02 02 68 02 76
        """)
    // 16-byte record: attributes 0, timestamp delta 0, offset delta 0, key "k", value "value",
    // one header "h" = "v".
    let crc = CRC32C.checksum(tail, range: 0..<tail.count)
    var writer = KafkaWriter()
    writer.int64(42)
    writer.int32(Int32(9 + tail.count))
    writer.int32(0)
    writer.int8(2)
    writer.uint32(crc)
    writer.raw(tail)
    let (messages, next) = try decode(writer.bytes)
    #expect(next == 43)
    #expect(messages.count == 1)
    #expect(messages.first?.offset == 42)
    #expect(messages.first?.key == Array("k".utf8))
    #expect(messages.first?.value.map(Array.init) == Array("value".utf8))
    #expect(messages.first?.headers == [KafkaHeader(key: "h", value: Array("v".utf8))])
    #expect(messages.first?.timestamp == 1_700_000_000_000)
    tail[tail.count - 1] ^= 1
    #expect(tail != [])
  }

  @Test(arguments: [CompressionCodec.none, .gzip, .snappy, .lz4, .zstd])
  func decodesBatchesOfEveryCodec(codec: CompressionCodec) throws {
    let batch = TestRecordBatch.batch(baseOffset: 100, records: Self.records, codec: codec)
    let (messages, next) = try decode(batch, from: 100)
    check(messages, baseOffset: 100)
    #expect(next == 150)
  }

  @Test func skipsRecordsBeforeTheFetchOffsetInsideACompressedBatch() throws {
    let batch = TestRecordBatch.batch(baseOffset: 0, records: Self.records, codec: .zstd)
    let (messages, next) = try decode(batch, from: 20)
    check(messages, from: 20)
    #expect(next == 50)
  }

  @Test func ignoresAPartialTrailingBatch() throws {
    let first = TestRecordBatch.batch(baseOffset: 0, records: Array(Self.records[0..<5]))
    let second = TestRecordBatch.batch(baseOffset: 5, records: Array(Self.records[5..<10]))
    for cut in [1, 11, 30, second.count - 1] {
      let (messages, next) = try decode(first + second.prefix(cut))
      #expect(messages.map(\.offset) == [0, 1, 2, 3, 4])
      #expect(next == 5)
    }
    #expect(try decode(Array(second.prefix(40))).next == nil)
    #expect(try decode([]).next == nil)
  }

  @Test func crcMismatchNamesTopicPartitionAndOffset() {
    var batch = TestRecordBatch.batch(baseOffset: 7, records: Array(Self.records[0..<3]))
    batch[batch.count - 2] ^= 0xff
    #expect {
      _ = try decode(batch)
    } throws: { error in
      "\(error)".hasPrefix("t/0 offset 7: record batch CRC-32C mismatch (stored 0x")
        && (error as? KafkaError)?.code == .corruptData
    }
  }

  @Test func logAppendTimeUsesTheBatchMaxTimestamp() throws {
    let payload = TestRecordBatch.recordsSection(Array(Self.records[0..<2]))
    let batch = TestRecordBatch.batch(baseOffset: 0, recordCount: 2, payload: payload, logAppendTime: true)
    let (messages, _) = try decode(batch)
    #expect(messages.map(\.timestamp) == [1_700_000_000_010, 1_700_000_000_010])
    #expect(messages.allSatisfy { $0.timestampType == .logAppendTime })
  }

  /// Producer 7's transaction (offsets 0–1) is aborted (marker at 2); producer 8's (3–4) is
  /// committed (marker at 5); offset 6 is not transactional.
  func transactionalLog() -> [UInt8] {
    func data(_ range: Range<Int>, producer: Int64, base: Int64) -> [UInt8] {
      TestRecordBatch.batch(
        baseOffset: base, recordCount: range.count, payload: TestRecordBatch.recordsSection(Array(Self.records[range])),
        producerID: producer, transactional: true)
    }
    func marker(abort: Bool, producer: Int64, base: Int64) -> [UInt8] {
      let key = [UInt8](hex: abort ? "0000 0000" : "0000 0001")
      let payload = TestRecordBatch.recordsSection([TestRecord(key: key, value: [0, 0, 0, 0, 0, 0])])
      return TestRecordBatch.batch(
        baseOffset: base, recordCount: 1, payload: payload, producerID: producer, transactional: true, control: true)
    }
    let plain = TestRecordBatch.batch(
      baseOffset: 6, recordCount: 1, payload: TestRecordBatch.recordsSection([Self.records[6]]))
    return data(0..<2, producer: 7, base: 0) + marker(abort: true, producer: 7, base: 2)
      + data(3..<5, producer: 8, base: 3) + marker(abort: false, producer: 8, base: 5) + plain
  }

  @Test func readCommittedDropsAbortedTransactionsAndControlBatches() throws {
    let (messages, next) = try decode(transactionalLog(), aborted: [.init(producerID: 7, firstOffset: 0)])
    #expect(messages.map(\.offset) == [3, 4, 6])
    #expect(next == 7)
  }

  @Test func readUncommittedKeepsAbortedRecordsButNotMarkers() throws {
    let (messages, next) = try decode(transactionalLog(), readCommitted: false)
    #expect(messages.map(\.offset) == [0, 1, 3, 4, 6])
    #expect(next == 7)
  }

  @Test func aControlBatchAloneAdvancesThePosition() throws {
    let payload = TestRecordBatch.recordsSection([TestRecord(key: [0, 0, 0, 1], value: [])])
    let batch = TestRecordBatch.batch(
      baseOffset: 9, recordCount: 1, payload: payload, producerID: 3, transactional: true, control: true)
    let (messages, next) = try decode(batch, from: 9)
    #expect(messages.isEmpty)
    #expect(next == 10)
  }

  @Test func rejectsOldMessageFormats() {
    var batch = TestRecordBatch.batch(baseOffset: 0, records: Array(Self.records[0..<1]))
    batch[16] = 1
    #expect {
      _ = try decode(batch)
    } throws: { error in
      "\(error)" == "t/0 offset 0: message format v1 is not supported (only v2 record batches)"
    }
  }

  @Test func decompressionIsBounded() throws {
    let batch = TestRecordBatch.batch(baseOffset: 0, records: Self.records, codec: .gzip)
    var messages: [KafkaMessage] = []
    let decoder = PartitionRecords(topic: "t", partition: 0, readCommitted: true, decompressionLimit: 100)
    #expect(throws: KafkaError.self) {
      _ = try decoder.decode(batch, range: 0..<batch.count, fetchOffset: 0, abortedTransactions: [], into: &messages)
    }
  }
}

@Suite struct CompressionFramingTests {
  let plain: [UInt8] = (0..<200_000).map { i in UInt8(truncatingIfNeeded: (i / 7) ^ (i % 13) * 31) }

  func lz4(_ frame: [UInt8]) throws -> [UInt8] {
    try frame.withUnsafeBytes { raw in
      try Result { () throws(KafkaError) in try LZ4Frame.decompress(raw, limit: 1 << 24) }.get()
    }
  }

  func snappy(_ data: [UInt8]) throws -> [UInt8] {
    try data.withUnsafeBytes { raw in
      try Result { () throws(KafkaError) in try SnappyFraming.decompress(raw, limit: 1 << 24) }.get()
    }
  }

  @Test func lz4FrameWithChecksumsAndContentSize() throws {
    let frame = TestRecordBatch.lz4Frame(
      plain, blockSize: 65536, contentSize: true, blockChecksums: true, contentChecksum: true)
    #expect(try lz4(frame) == plain)
  }

  @Test func lz4StoredBlocksSkippableAndConcatenatedFrames() throws {
    let stored: [UInt8] =
      [0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x00] + TestRecordBatch.littleEndian(0x8000_0005, 4)
      + Array("hello".utf8) + [0, 0, 0, 0]
    let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9]
    let second = TestRecordBatch.lz4Frame(Array(" world".utf8), blockSize: 64)
    #expect(try lz4(stored + skippable + second) == Array("hello world".utf8))
  }

  /// Linked blocks: the second block copies 8 bytes from the end of the first.
  @Test func lz4LinkedBlocksSeeThePreviousBlock() throws {
    var first: [UInt8] = []
    let text = Array("0123456789abcdef".utf8)
    text.withUnsafeBytes { LZ4Raw.compress($0, into: &first) }
    // token: no literals, match length 4 + 4; offset 8; then a last sequence of 3 literals.
    let second: [UInt8] = [0x04, 0x08, 0x00, 0x30] + Array("xyz".utf8)
    let frame: [UInt8] =
      [0x04, 0x22, 0x4D, 0x18, 0x40, 0x40, 0x00] + TestRecordBatch.littleEndian(UInt64(first.count), 4) + first
      + TestRecordBatch.littleEndian(UInt64(second.count), 4) + second + [0, 0, 0, 0]
    #expect(try lz4(frame) == text + Array("89abcdefxyz".utf8))
  }

  @Test func lz4RejectsGarbage() {
    #expect(throws: KafkaError.self) { _ = try lz4([1, 2, 3, 4, 5, 6, 7, 8]) }
    #expect(throws: KafkaError.self) {
      _ = try lz4(Array(TestRecordBatch.lz4Frame(plain, blockSize: 65536).dropLast(9)))
    }
  }

  @Test func snappyRawAndXerialFraming() throws {
    var raw: [UInt8] = []
    plain.withUnsafeBytes { Snappy.compress($0, into: &raw) }
    #expect(try snappy(raw) == plain)
    var xerial = SnappyFraming.xerialMagic + [0, 0, 0, 1, 0, 0, 0, 1]
    for chunk in [plain[0..<70_000], plain[70_000...]] {
      var block: [UInt8] = []
      Array(chunk).withUnsafeBytes { Snappy.compress($0, into: &block) }
      xerial += TestRecordBatch.littleEndian(UInt64(block.count), 4).reversed() + block
    }
    #expect(try snappy(xerial) == plain)
  }

  /// Compressed by a different implementation (Apache Arrow, through pyarrow in the oracle
  /// venv): its LZ4 frames use linked 64 KiB blocks, which Kafka producers never write.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: KafkaTestBroker.python)))
  func decodesRecordsCompressedByPyarrow() throws {
    let section = TestRecordBatch.recordsSection(
      (0..<3000).map {
        TestRecord(key: nil, value: Array("event \($0 % 97) host-\($0 % 13) user \($0 * 7919 % 1000)".utf8))
      })
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-kafka-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Data(section).write(to: dir.appendingPathComponent("plain"))
    try KafkaTestBroker.python(
      """
      import sys, pyarrow as pa
      d = sys.argv[1]
      data = open(d + '/plain', 'rb').read()
      for codec in ['gzip', 'snappy', 'lz4', 'zstd']:
          open(d + '/' + codec, 'wb').write(pa.compress(data, codec=codec, asbytes=True))
      """, [dir.path])
    for (name, codec) in [("gzip", CompressionCodec.gzip), ("snappy", .snappy), ("lz4", .lz4), ("zstd", .zstd)] {
      let compressed = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
      if codec == .lz4 { #expect(compressed[4] & 0x20 == 0, "expected linked blocks") }
      let batch = TestRecordBatch.batch(baseOffset: 0, recordCount: 3000, payload: compressed, codec: codec)
      var messages: [KafkaMessage] = []
      let next = try PartitionRecords(topic: "t", partition: 0, readCommitted: true, decompressionLimit: 1 << 24)
        .decode(batch, range: 0..<batch.count, fetchOffset: 0, abortedTransactions: [], into: &messages)
      #expect(next == 3000, "\(name)")
      #expect(messages.count == 3000, "\(name)")
      #expect(messages.last?.value.map(Array.init) == Array("event \(2999 % 97) host-\(2999 % 13) user \(2999 * 7919 % 1000)".utf8))
    }
  }
}

@Suite struct ConsumerGroupProtocolTests {
  @Test func assignmentRoundTrips() throws {
    let partitions = [TopicPartition("a", 0), TopicPartition("a", 2), TopicPartition("b", 1)]
    let bytes = ConsumerProtocol.encodeAssignment(partitions)
    #expect(
      bytes == [UInt8](hex: "0000 00000002 0001 61 00000002 00000000 00000002 0001 62 00000001 00000001 ffffffff"))
    #expect(try ConsumerProtocol.decodeAssignment(bytes) == partitions)
    #expect(try ConsumerProtocol.decodeAssignment([]) == [])
  }

  @Test func subscriptionsOfLaterVersionsDecode() throws {
    // v1: topics, user data, owned partitions.
    let bytes = [UInt8](hex: "0001 00000001 0001 74 ffffffff 00000000")
    #expect(try ConsumerProtocol.decodeSubscription(bytes, member: "m") == ["t"])
  }

  @Test func rangeAssignsConsecutiveRanges() {
    let plan = PartitionAssignor.range.assign(
      subscriptions: ["m2": ["t"], "m1": ["t", "u"], "m3": ["t"]],
      partitions: ["t": [0, 1, 2, 3, 4, 5, 6], "u": [0, 1]])
    #expect(
      plan["m1"] == [
        TopicPartition("t", 0), TopicPartition("t", 1), TopicPartition("t", 2), TopicPartition("u", 0),
        TopicPartition("u", 1),
      ])
    #expect(plan["m2"] == [TopicPartition("t", 3), TopicPartition("t", 4)])
    #expect(plan["m3"] == [TopicPartition("t", 5), TopicPartition("t", 6)])
  }

  @Test func roundRobinDealsInTurn() {
    let plan = PartitionAssignor.roundRobin.assign(
      subscriptions: ["a": ["t"], "b": ["t"]], partitions: ["t": [0, 1, 2]])
    #expect(plan["a"] == [TopicPartition("t", 0), TopicPartition("t", 2)])
    #expect(plan["b"] == [TopicPartition("t", 1)])
  }

  @Test func moreMembersThanPartitionsLeavesSomeIdle() {
    let plan = PartitionAssignor.range.assign(
      subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"]], partitions: ["t": [0]])
    #expect(plan["a"] == [TopicPartition("t", 0)])
    #expect(plan["b"] == [])
    #expect(plan["c"] == [])
  }
}
