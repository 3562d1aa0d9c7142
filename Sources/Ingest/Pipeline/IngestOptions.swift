public import Delta

/// Where and how an ingest writes.
public struct IngestOptions: Sendable {
  /// The table path; for decoders that route records to sub-tables (osquery queries), the folder
  /// that holds one table per sub-table.
  public var target: String
  /// Event-time partition columns of new tables.
  public var partitioning: Partitioning = .yearMonthDay
  /// The dead-letter table; `<target>_dead_letters` when nil.
  public var deadLetterTable: String?
  /// Flush when the oldest buffered record is this old (seconds)…
  public var maxLatency: Double = 10
  /// …or this many records are buffered…
  public var maxRows = 100_000
  /// …or this many input bytes are buffered.
  public var maxBytes = 32 << 20
  /// Data file size goal.
  public var targetFileSize = 128 << 20
  /// Compact a table's small files (OPTIMIZE, `dataChange=false`) after this many ingest commits
  /// to it, so a continuous ingest keeps files near the target size; 0 never compacts.
  public var compactEvery = 20
  /// A name for the kind of source in dead letters (`file`, `stdin`, `http`, `s3`).
  public var sourceKind = "file"
  public var storage: any TableStorage = DefaultTableStorage()

  public init(target: String) {
    var root = target
    while root.count > 1, root.hasSuffix("/") { root.removeLast() }
    self.target = root
  }

  public var deadLetterPath: String { deadLetterTable ?? target + "_dead_letters" }

  /// The table that records routed to `table` go to.
  public func tablePath(_ table: String?) -> String {
    guard let table else { return target }
    return target + "/" + table
  }
}
