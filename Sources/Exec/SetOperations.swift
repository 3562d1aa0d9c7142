public import Columnar

/// EXCEPT and INTERSECT over whole rows. Unlike joins, set operations treat NULLs as equal, so
/// rows are compared by their ``KeyEncoding`` bytes (which encode NULL as a marker).
public enum SetOperations {
  /// The distinct rows of `left` that appear (`keep == true`, INTERSECT) or do not appear
  /// (`keep == false`, EXCEPT) in `right`, in order of first appearance in `left`.
  public static func filterDistinct(_ left: RecordBatch, against right: RecordBatch, keep: Bool) throws(ExecError) -> RecordBatch {
    let rightKeys = try KeyEncoding.encode(right.columns, rowCount: right.rowCount)
    var present = Set<ArraySlice<UInt8>>()
    present.reserveCapacity(right.rowCount)
    for row in 0..<right.rowCount { present.insert(rightKeys.key(row)) }
    let leftKeys = try KeyEncoding.encode(left.columns, rowCount: left.rowCount)
    var seen = Set<ArraySlice<UInt8>>()
    var rows: [Int32] = []
    for row in 0..<left.rowCount {
      let key = leftKeys.key(row)
      guard present.contains(key) == keep, seen.insert(key).inserted else { continue }
      rows.append(Int32(row))
    }
    return try left.gather(rows)
  }

  /// The common type of `types` under the engine's coercion rules (integers widen to int64,
  /// integers and floats to float64, strings absorb binaries), or an error naming `context`.
  public static func commonType(_ types: [DataType], context: String) throws(ExecError) -> DataType {
    do {
      return try Kernels.commonType(types, context: .literal(.string(context)))
    } catch {
      throw ExecError(.typeMismatch, "\(types.map { "\($0)" }.joined(separator: " and ")) have no common type in \(context)")
    }
  }
}
