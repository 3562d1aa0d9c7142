/// Turns one partition's record set from a fetch response into messages, and says where the
/// next fetch should start.
///
/// Batches wholly before the fetch offset (a compressed batch is returned whole) are skipped,
/// control batches (transaction markers) are consumed but yield no messages, and under
/// read-committed isolation the batches of aborted transactions are dropped using the
/// response's aborted-transaction list (as the Java consumer does).
struct PartitionRecords {
  var topic: String
  var partition: Int32
  var readCommitted: Bool
  var decompressionLimit: Int
  var verifyCRC = true

  /// Appends messages at or after `fetchOffset`; returns the offset after the last complete
  /// batch, or nil when the record set held no complete batch.
  func decode(
    _ bytes: [UInt8], range: Range<Int>, fetchOffset: Int64, abortedTransactions: [FetchRequest.AbortedTransaction],
    into messages: inout [KafkaMessage]
  ) throws(KafkaError) -> Int64? {
    var batches = RecordBatchIterator(
      bytes: bytes, range: range, source: "\(topic)/\(partition)", verifyCRC: verifyCRC)
    let decoder = RecordDecoder(topic: topic, partition: partition, decompressionLimit: decompressionLimit)
    var pendingAborts = abortedTransactions.sorted { $0.firstOffset < $1.firstOffset }[...]
    var abortedProducers: Set<Int64> = []
    var next: Int64?
    while let batch = try batches.next() {
      next = batch.lastOffset + 1
      if batch.lastOffset < fetchOffset { continue }
      if readCommitted && batch.isTransactional {
        while let first = pendingAborts.first, first.firstOffset <= batch.lastOffset {
          abortedProducers.insert(first.producerID)
          pendingAborts.removeFirst()
        }
        if batch.isControl {
          if RecordDecoder.isAbortMarker(batch, in: bytes) { abortedProducers.remove(batch.producerID) }
          continue
        }
        if abortedProducers.contains(batch.producerID) { continue }
      }
      if batch.isControl { continue }
      try decoder.decode(batch, in: bytes, from: fetchOffset, into: &messages)
    }
    return next
  }
}
