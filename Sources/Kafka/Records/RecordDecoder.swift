/// Decodes the records of a batch into messages.
///
///     length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
///     keyLength: varint (-1 null), key, valueLength: varint (-1 null), value,
///     headerCount: varint, headers: [keyLength: varint, key, valueLength: varint, value]
///
/// Each message owns copies of its key, value and headers; nothing else is allocated per
/// record.
struct RecordDecoder {
  var topic: String
  var partition: Int32
  /// The most bytes one batch may decompress to.
  var decompressionLimit: Int

  /// Appends the batch's records at or after `minimumOffset` to `messages`.
  func decode(
    _ batch: RecordBatch, in bytes: [UInt8], from minimumOffset: Int64, into messages: inout [KafkaMessage]
  ) throws(KafkaError) {
    let codec = try batch.compression()
    var reader: KafkaReader
    let context = "\(topic)/\(partition) offset \(batch.baseOffset)"
    if codec == .none {
      reader = KafkaReader(bytes, range: batch.records, context: context)
    } else {
      let result = bytes.withUnsafeBytes { raw in
        Result { () throws(KafkaError) in
          try codec.decompress(UnsafeRawBufferPointer(rebasing: raw[batch.records]), limit: decompressionLimit)
        }
      }
      let plain: [UInt8]
      switch result {
      case .success(let value): plain = value
      case .failure(let error):
        throw KafkaError(
          "\(context): cannot decompress \(codec) record batch: \(error.message)", code: .corruptData, underlying: error
        )
      }
      reader = KafkaReader(plain, context: context)
    }
    let type = batch.timestampType
    for _ in 0..<max(batch.recordCount, 0) {
      let length = Int(try reader.varint())
      guard length >= 0, length <= reader.remaining else { throw reader.malformed("record length \(length)") }
      let recordEnd = reader.position + length
      _ = try reader.int8()  // attributes (unused)
      let timestampDelta = try reader.varlong()
      let offsetDelta = try reader.varint()
      let offset = batch.baseOffset + Int64(offsetDelta)
      if offset < minimumOffset {
        try reader.skip(recordEnd - reader.position)
        continue
      }
      let key = try recordBytes(&reader)
      let value = try recordSlice(&reader)
      let headerCount = Int(try reader.varint())
      guard headerCount >= 0, headerCount <= reader.remaining else {
        throw reader.malformed("header count \(headerCount)")
      }
      var headers: [KafkaHeader] = []
      if headerCount > 0 {
        headers.reserveCapacity(headerCount)
        for _ in 0..<headerCount {
          let keyBytes = try recordBytes(&reader) ?? []
          let headerValue = try recordBytes(&reader)
          headers.append(KafkaHeader(key: String(decoding: keyBytes, as: UTF8.self), value: headerValue))
        }
      }
      guard reader.position == recordEnd else {
        throw reader.malformed(
          "record at offset \(offset) is \(length) bytes but its fields take \(reader.position - recordEnd + length)")
      }
      let timestamp = type == .logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta
      messages.append(
        KafkaMessage(
          topic: topic, partition: partition, offset: offset, key: key, value: value, timestamp: timestamp,
          timestampType: type, headers: headers))
    }
  }

  private func recordSlice(_ reader: inout KafkaReader) throws(KafkaError) -> ArraySlice<UInt8>? {
    let count = Int(try reader.varint())
    if count < 0 { return nil }
    return try reader.rawSlice(count)
  }

  private func recordBytes(_ reader: inout KafkaReader) throws(KafkaError) -> [UInt8]? {
    let count = Int(try reader.varint())
    if count < 0 { return nil }
    return try reader.rawBytes(count)
  }

  /// For a control batch: true when its marker is ABORT (type 0), false for COMMIT.
  static func isAbortMarker(_ batch: RecordBatch, in bytes: [UInt8]) -> Bool {
    guard batch.isControl else { return false }
    var reader = KafkaReader(bytes, range: batch.records, context: "control batch")
    do {
      _ = try reader.varint()  // length
      _ = try reader.int8()
      _ = try reader.varlong()
      _ = try reader.varint()
      let keyLength = try reader.varint()
      guard keyLength >= 4 else { return false }
      _ = try reader.int16()  // version
      return try reader.int16() == 0
    } catch {
      return false
    }
  }
}
