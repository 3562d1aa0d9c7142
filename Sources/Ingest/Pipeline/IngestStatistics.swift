/// Running totals of an ingest, for progress lines and `/metrics`.
public struct IngestStatistics: Sendable {
  /// Records decoded from the input.
  public var recordsRead = 0
  /// Records committed to their tables.
  public var recordsWritten = 0
  /// Records and units committed to the dead-letter table.
  public var deadLetters = 0
  /// Records skipped because their table already held them (a replay after a restart).
  public var recordsSkipped = 0
  /// Input bytes consumed.
  public var bytesRead = 0
  /// Delta commits made.
  public var commits = 0
  /// Compactions of small files made.
  public var compactions = 0
  /// Flushes made.
  public var flushes = 0
  /// Seconds the last flush took.
  public var lastFlushSeconds = 0.0
  /// Seconds all flushes took.
  public var totalFlushSeconds = 0.0
  /// Event time (µs) of the newest record written, for lag.
  public var newestEventTime: Int64?

  public init() {}
}
