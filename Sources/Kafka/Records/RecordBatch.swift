/// A record batch (message format v2, "magic 2") as it lies in a fetch response: its header
/// fields, and where its records section lies in the response bytes.
///
///     baseOffset: int64, batchLength: int32, partitionLeaderEpoch: int32, magic: int8,
///     crc: uint32 (CRC-32C of attributes … end), attributes: int16, lastOffsetDelta: int32,
///     baseTimestamp: int64, maxTimestamp: int64, producerId: int64, producerEpoch: int16,
///     baseSequence: int32, recordCount: int32, records…
struct RecordBatch {
  static let headerSize = 61
  /// baseOffset + batchLength: the part before `batchLength` counts.
  static let logOverhead = 12

  var baseOffset: Int64
  var partitionLeaderEpoch: Int32
  var attributes: Int16
  var lastOffsetDelta: Int32
  var baseTimestamp: Int64
  var maxTimestamp: Int64
  var producerID: Int64
  var recordCount: Int32
  /// The records section (possibly compressed) within the response bytes.
  var records: Range<Int>

  var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
  var isTransactional: Bool { attributes & 0x10 != 0 }
  var isControl: Bool { attributes & 0x20 != 0 }
  var timestampType: TimestampType { attributes & 0x08 != 0 ? .logAppendTime : .createTime }

  func compression() throws(KafkaError) -> CompressionCodec {
    guard let codec = CompressionCodec(rawValue: attributes & 0x07) else {
      throw KafkaError.corrupt("record batch at offset \(baseOffset): unknown compression codec \(attributes & 0x07)")
    }
    return codec
  }
}

/// Splits a record set (the records field of one partition in a fetch response) into batches.
///
/// A broker cuts the record set at the fetch's byte limit, so the last batch may be partial:
/// it is ignored, and the next fetch starts at its offset.
struct RecordBatchIterator {
  let bytes: [UInt8]
  private var position: Int
  let end: Int
  /// "topic/partition", for error messages.
  let source: String
  let verifyCRC: Bool

  init(bytes: [UInt8], range: Range<Int>, source: String, verifyCRC: Bool = true) {
    self.bytes = bytes
    self.position = range.lowerBound
    self.end = range.upperBound
    self.source = source
    self.verifyCRC = verifyCRC
  }

  /// The next complete batch, or nil at the end or before a partial trailing batch.
  mutating func next() throws(KafkaError) -> RecordBatch? {
    guard end - position >= RecordBatch.logOverhead + 5 else { return nil }
    var reader = KafkaReader(bytes, range: position..<end, context: "record batch in \(source)")
    let baseOffset = try reader.int64()
    let length = Int(try reader.int32())
    guard length >= RecordBatch.headerSize - RecordBatch.logOverhead else {
      throw KafkaError.corrupt("\(source) offset \(baseOffset): record batch length \(length) is too small")
    }
    let batchEnd = position + RecordBatch.logOverhead + length
    guard batchEnd <= end else { return nil }  // partial trailing batch
    let leaderEpoch = try reader.int32()
    let magic = try reader.int8()
    guard magic == 2 else {
      throw KafkaError(
        "\(source) offset \(baseOffset): message format v\(magic) is not supported (only v2 record batches)",
        code: .corruptData)
    }
    let storedCRC = try reader.uint32()
    if verifyCRC {
      let computed = CRC32C.checksum(bytes, range: reader.position..<batchEnd)
      guard computed == storedCRC else {
        throw KafkaError.corrupt(
          "\(source) offset \(baseOffset): record batch CRC-32C mismatch (stored 0x\(String(storedCRC, radix: 16)), "
            + "computed 0x\(String(computed, radix: 16)))")
      }
    }
    let attributes = try reader.int16()
    let lastOffsetDelta = try reader.int32()
    let baseTimestamp = try reader.int64()
    let maxTimestamp = try reader.int64()
    let producerID = try reader.int64()
    _ = try reader.int16()  // producer epoch
    _ = try reader.int32()  // base sequence
    let count = try reader.int32()
    position = batchEnd
    return RecordBatch(
      baseOffset: baseOffset, partitionLeaderEpoch: leaderEpoch, attributes: attributes,
      lastOffsetDelta: lastOffsetDelta, baseTimestamp: baseTimestamp, maxTimestamp: maxTimestamp,
      producerID: producerID, recordCount: count, records: reader.position..<batchEnd)
  }
}
