public import Columnar

/// A filter a scan applies as it reads (late materialization): per row group the columns the
/// filter reads are decoded first, and the other columns only for the rows it keeps, so their
/// values for dropped rows are never copied and their pages holding no kept row are never
/// decompressed.
public struct RowFilter: Sendable {
  /// Positions, in the scan's fields, of the columns `select` reads.
  public let fields: [Int]
  /// The rows to keep of a batch of the scan's fields in which only `fields` are real (the
  /// others are all NULL), or nil to stop the scan (the caller keeps its own error).
  public let select: @Sendable (RecordBatch) -> Bitmap?

  public init(fields: [Int], select: @escaping @Sendable (RecordBatch) -> Bitmap?) {
    self.fields = fields
    self.select = select
  }
}
