import Columnar

/// Writes a partition's rows in the order of a space-filling curve over rank-based bucket ids of
/// the clustering columns, so that each output file covers a compact region of their values.
enum Clustering {
  /// Rows go out in chunks of `chunkRows` (8,192 by default) consecutive curve positions; within a
  /// chunk they are grouped by source batch, which keeps gathers cheap. With a row limit per file
  /// equal to the chunk size, every file holds exactly one stretch of the curve.
  static func write(
    _ batches: [RecordBatch], columns: [String], curve: ClusteringCurve, chunkRows: Int?, into writer: DataFileWriter
  ) throws(DeltaError) {
    let total = batches.reduce(0) { $0 + $1.rowCount }
    guard total > 0 else { return }
    let bits = SpaceFillingCurve.bitsPerDimension(columns.count)
    var coordinates: [[UInt32]] = []
    for name in columns {
      var vectors: [ColumnVector] = []
      for batch in batches {
        guard let index = batch.schema.index(of: name) else {
          throw DeltaError(.invalidArgument, "ZORDER BY: no column '\(name)' in the data read")
        }
        vectors.append(batch.columns[index])
      }
      coordinates.append(try RankBuckets.buckets(vectors, bits: bits, name: name))
    }
    let keys = SpaceFillingCurve.keys(coordinates, rowCount: total, bits: bits, curve: curve)
    var order = [(key: UInt64, row: Int32)](unsafeUninitializedCapacity: total) { out, initialized in
      for i in 0..<total { out[i] = (keys[i], Int32(i)) }
      initialized = total
    }
    order.sort { $0.key < $1.key || ($0.key == $1.key && $0.row < $1.row) }

    // Global row number → (batch, row within it).
    var batchOf = [Int32](repeating: 0, count: total)
    var rowIn = [Int32](repeating: 0, count: total)
    var next = 0
    for (b, batch) in batches.enumerated() {
      for r in 0..<batch.rowCount {
        batchOf[next] = Int32(b)
        rowIn[next] = Int32(r)
        next += 1
      }
    }
    let chunk = max(1, chunkRows ?? 8192)
    var rowsByBatch = [[Int32]](repeating: [], count: batches.count)
    var start = 0
    while start < total {
      let end = min(total, start + chunk)
      var used: [Int] = []
      for position in start..<end {
        let row = Int(order[position].row)
        let b = Int(batchOf[row])
        if rowsByBatch[b].isEmpty { used.append(b) }
        rowsByBatch[b].append(rowIn[row])
      }
      for b in used {
        let source = batches[b]
        let rows = rowsByBatch[b]
        let part: RecordBatch
        do {
          part = try RecordBatch(schema: source.schema, columns: source.columns.map { $0.gathered(rows) }, rowCount: rows.count)
        } catch {
          throw DeltaError(.invalidArgument, "\(error)")
        }
        try writer.write(part)
        rowsByBatch[b].removeAll(keepingCapacity: true)
      }
      start = end
    }
  }
}
