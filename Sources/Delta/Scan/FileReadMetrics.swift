/// What reading data files cost: row groups considered and skipped, rows decoded and bytes
/// fetched. One value per file read, so threads reading files concurrently share nothing; add
/// them up with `+=`.
public struct FileReadMetrics: Sendable, Hashable {
  /// Row groups in the files read (skipped ones included).
  public var rowGroups = 0
  /// Row groups skipped because their Parquet statistics show no row can satisfy the scan's
  /// predicate.
  public var rowGroupsSkipped = 0
  /// Rows decoded: those of the row groups read, before deletion vectors drop any.
  public var rowsRead = 0
  /// Stored (compressed) bytes of the column chunks read, footers excluded.
  public var bytesRead: Int64 = 0
  /// Rows of row groups read under a ``RowFilter`` (late materialization), and those it kept:
  /// only the kept rows of the columns it does not read were decoded.
  public var rowsFiltered = 0
  public var rowsKept = 0

  public init() {}

  public static func += (a: inout FileReadMetrics, b: FileReadMetrics) {
    a.rowGroups += b.rowGroups
    a.rowGroupsSkipped += b.rowGroupsSkipped
    a.rowsRead += b.rowsRead
    a.bytesRead += b.bytesRead
    a.rowsFiltered += b.rowsFiltered
    a.rowsKept += b.rowsKept
  }
}
