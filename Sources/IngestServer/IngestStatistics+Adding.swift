import Ingest

extension IngestStatistics {
  /// Totals of two runs (the newest event time is the later one).
  func adding(_ other: IngestStatistics) -> IngestStatistics {
    var sum = self
    sum.recordsRead += other.recordsRead
    sum.recordsWritten += other.recordsWritten
    sum.deadLetters += other.deadLetters
    sum.recordsSkipped += other.recordsSkipped
    sum.bytesRead += other.bytesRead
    sum.commits += other.commits
    sum.flushes += other.flushes
    sum.lastFlushSeconds = other.flushes > 0 ? other.lastFlushSeconds : lastFlushSeconds
    sum.totalFlushSeconds += other.totalFlushSeconds
    if let newest = other.newestEventTime { sum.newestEventTime = max(newestEventTime ?? newest, newest) }
    return sum
  }
}
