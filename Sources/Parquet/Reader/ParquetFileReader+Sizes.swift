extension ParquetFileReader {
  /// The bytes ``readRowGroup(_:columns:)`` reads from storage for row group `rowGroup` and the
  /// top-level columns `columns` (all when nil): the stored (compressed) size of their column
  /// chunks, page headers included and the footer excluded. Zero for an index out of range.
  public func compressedSize(rowGroup: Int, columns: [Int]? = nil) -> Int64 {
    guard rowGroup >= 0, rowGroup < metadata.rowGroups.count else { return 0 }
    let chunks = metadata.rowGroups[rowGroup].columns
    var total: Int64 = 0
    for column in columns ?? Array(schema.columns.indices) where column >= 0 && column < schema.columns.count {
      for leaf in schema.columns[column].leaves where leaf < chunks.count {
        // Chunks without values are not read (see `readLeaf`).
        guard let meta = chunks[leaf].metaData, meta.numValues > 0 else { continue }
        total += max(0, meta.totalCompressedSize)
      }
    }
    return total
  }
}
