/// Fetch (key 1): record batches from partitions this broker leads, from given offsets.
struct FetchRequest: KafkaRequest {
  static let api = APIKey.fetch

  struct PartitionQuery: Sendable, Equatable {
    var partition: Int32
    var offset: Int64
    var maxBytes: Int32
  }

  var maxWaitMs: Int32
  var minBytes: Int32
  var maxBytes: Int32
  var isolationLevel: Int8
  var topics: [(name: String, partitions: [PartitionQuery])]

  struct AbortedTransaction: Sendable, Equatable {
    var producerID: Int64
    var firstOffset: Int64
  }

  struct PartitionData: Sendable {
    var partition: Int32
    var errorCode: Int16
    var highWatermark: Int64
    var lastStableOffset: Int64
    var logStartOffset: Int64
    var abortedTransactions: [AbortedTransaction]
    /// Where the record set lies in `Response.bytes` (empty when there are no records).
    var records: Range<Int>
  }

  struct TopicData: Sendable {
    var name: String
    var partitions: [PartitionData]
  }

  struct Response: Sendable {
    var errorCode: Int16
    var topics: [TopicData]
    /// The response frame; record sets are ranges of it, parsed without copying.
    var bytes: [UInt8]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    let flexible = Self.api.isFlexible(version)
    writer.int32(-1)  // replica id: a consumer
    writer.int32(maxWaitMs)
    writer.int32(minBytes)
    writer.int32(maxBytes)
    writer.int8(isolationLevel)
    if version >= 7 {
      writer.int32(0)  // session id: no incremental fetch session
      writer.int32(-1)  // session epoch: full fetch, no session
    }
    writer.array(topics, flexible: flexible) { w, topic in
      w.string(topic.name, flexible: flexible)
      w.array(topic.partitions, flexible: flexible) { w, p in
        w.int32(p.partition)
        if version >= 9 { w.int32(-1) }  // current leader epoch
        w.int64(p.offset)
        if version >= 12 { w.int32(-1) }  // last fetched epoch
        if version >= 5 { w.int64(-1) }  // log start offset (followers only)
        w.int32(p.maxBytes)
        w.emptyTaggedFields(flexible: flexible)
      }
      w.emptyTaggedFields(flexible: flexible)
    }
    if version >= 7 { writer.arrayCount(0, flexible: flexible) }  // forgotten topics
    if version >= 11 { writer.string("", flexible: flexible) }  // rack id
    writer.emptyTaggedFields(flexible: flexible)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    _ = try reader.int32()  // throttle time
    var errorCode: Int16 = 0
    if version >= 7 {
      errorCode = try reader.int16()
      _ = try reader.int32()  // session id
    }
    let topics = try reader.array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in
      let name = try r.string(flexible: flexible)
      let partitions = try r.array(flexible: flexible) { (p: inout KafkaReader) throws(KafkaError) in
        let partition = try p.int32()
        let error = try p.int16()
        let highWatermark = try p.int64()
        let lastStable = try p.int64()
        let logStart = version >= 5 ? try p.int64() : -1
        var aborted: [AbortedTransaction] = []
        if let count = try p.nullableArrayCount(flexible: flexible) {
          for _ in 0..<count {
            let producer = try p.int64()
            let first = try p.int64()
            try p.skipTaggedFields(flexible: flexible)
            aborted.append(AbortedTransaction(producerID: producer, firstOffset: first))
          }
        }
        if version >= 11 { _ = try p.int32() }  // preferred read replica
        let records = try p.nullableBytesRange(flexible: flexible) ?? p.position..<p.position
        try p.skipTaggedFields(flexible: flexible)
        return PartitionData(
          partition: partition, errorCode: error, highWatermark: highWatermark, lastStableOffset: lastStable,
          logStartOffset: logStart, abortedTransactions: aborted, records: records)
      }
      try r.skipTaggedFields(flexible: flexible)
      return TopicData(name: name, partitions: partitions)
    }
    try reader.skipTaggedFields(flexible: flexible)
    return Response(errorCode: errorCode, topics: topics, bytes: reader.bytes)
  }
}
