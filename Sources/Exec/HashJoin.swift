public import Columnar

/// Which rows a join keeps.
public enum JoinType: String, Sendable, CaseIterable {
  case inner, left, right, full
  /// Left rows with at least one match, once each (left columns only).
  case semi
  /// Left rows with no match, NULL keys included (left columns only).
  case anti
}

/// An equality hash join. Both inputs are buffered (charged to the budget); `finish` builds a
/// hash table on the smaller side and probes it with the other.
///
/// Keys are compared by their ``KeyEncoding`` bytes, so `int32` and `int64` keys join and a
/// dictionary-encoded string joins a plain one. A row with a NULL in any key column never
/// matches. The output is the left columns then the right columns (left only for semi and anti
/// joins); a side without a match is NULL.
public struct HashJoin: Sendable {
  public let type: JoinType
  public let leftKeys: [PhysicalExpression]
  public let rightKeys: [PhysicalExpression]
  let budget: MemoryBudget
  var left: [RecordBatch] = []
  var right: [RecordBatch] = []
  var leftSchema: Schema
  var rightSchema: Schema

  public init(
    _ type: JoinType, leftSchema: Schema, rightSchema: Schema, leftKeys: [PhysicalExpression],
    rightKeys: [PhysicalExpression], budget: MemoryBudget = .unlimited()
  ) throws(ExecError) {
    guard leftKeys.count == rightKeys.count, !leftKeys.isEmpty else {
      throw ExecError(.invalidPlan, "a hash join needs as many left keys as right keys, and at least one")
    }
    self.type = type
    self.leftSchema = leftSchema
    self.rightSchema = rightSchema
    self.leftKeys = leftKeys
    self.rightKeys = rightKeys
    self.budget = budget
  }

  public mutating func addLeft(_ batch: RecordBatch) throws(ExecError) {
    try budget.charge(batch.estimatedBytes, by: "HashJoin")
    left.append(batch)
  }

  public mutating func addRight(_ batch: RecordBatch) throws(ExecError) {
    try budget.charge(batch.estimatedBytes, by: "HashJoin")
    right.append(batch)
  }

  /// The schema of the result.
  public var outputSchema: Schema {
    switch type {
    case .semi, .anti: return leftSchema
    default: return Schema(leftSchema.fields + rightSchema.fields)
    }
  }

  public func finish() throws(ExecError) -> RecordBatch {
    let l = try RecordBatch.concatenate(left, schema: leftSchema)
    let r = try RecordBatch.concatenate(right, schema: rightSchema)
    return try Self.join(type, l, r, leftKeys: leftKeys, rightKeys: rightKeys, budget: budget)
  }

  /// Joins two whole inputs.
  public static func join(
    _ type: JoinType, _ l: RecordBatch, _ r: RecordBatch, leftKeys: [PhysicalExpression],
    rightKeys: [PhysicalExpression], budget: MemoryBudget = .unlimited()
  ) throws(ExecError) -> RecordBatch {
    let leftEncoded = try encodeKeys(leftKeys, l)
    let rightEncoded = try encodeKeys(rightKeys, r)
    // Build on the smaller side; the matches are the same either way.
    let buildLeft = l.rowCount < r.rowCount
    let build = buildLeft ? leftEncoded : rightEncoded
    let probe = buildLeft ? rightEncoded : leftEncoded
    let table = BuildTable(build)
    try budget.charge(table.memoryBytes, by: "HashJoin")
    defer { budget.release(table.memoryBytes) }
    let probeIDs = table.probe(probe)

    var leftRows: [Int32] = []
    var rightRows: [Int32] = []
    let buildCount = buildLeft ? l.rowCount : r.rowCount
    var buildMatched = [Bool](repeating: false, count: buildCount)
    var probeMatched = [Bool](repeating: false, count: probeIDs.count)
    let wantsPairs = type != .semi && type != .anti
    for p in 0..<probeIDs.count {
      let id = Int(probeIDs[p])
      guard id >= 0 else { continue }
      probeMatched[p] = true
      for k in Int(table.starts[id])..<Int(table.starts[id + 1]) {
        let b = table.rows[k]
        buildMatched[Int(b)] = true
        if wantsPairs {
          leftRows.append(buildLeft ? b : Int32(p))
          rightRows.append(buildLeft ? Int32(p) : b)
        }
      }
    }
    let leftMatched = buildLeft ? buildMatched : probeMatched
    let rightMatched = buildLeft ? probeMatched : buildMatched
    switch type {
    case .inner: break
    case .left, .full, .right:
      if type != .right {
        for i in 0..<l.rowCount where !leftMatched[i] {
          leftRows.append(Int32(i))
          rightRows.append(-1)
        }
      }
      if type != .left {
        for i in 0..<r.rowCount where !rightMatched[i] {
          leftRows.append(-1)
          rightRows.append(Int32(i))
        }
      }
    case .semi, .anti:
      let keep = type == .semi
      let rows = (0..<Int32(l.rowCount)).filter { leftMatched[Int($0)] == keep }
      return try l.gather(rows)
    }
    let leftOut = try l.gather(leftRows)
    let rightOut = try r.gather(rightRows)
    return try RecordBatch.make(
      schema: Schema(l.schema.fields + r.schema.fields), columns: leftOut.columns + rightOut.columns,
      rowCount: leftRows.count)
  }

  static func encodeKeys(_ expressions: [PhysicalExpression], _ batch: RecordBatch) throws(ExecError) -> KeyEncoding.Keys {
    var columns: [ColumnVector] = []
    for e in expressions { columns.append(try e.evaluate(batch)) }
    return try KeyEncoding.encode(columns, rowCount: batch.rowCount)
  }
}

/// The build side of a hash join: distinct keys in a ``ByteKeyTable`` and, for each key id, its
/// rows as one contiguous run of `rows` (`starts[id]..<starts[id + 1]`).
struct BuildTable {
  var table = ByteKeyTable(capacity: 1024)
  var starts: [Int32] = [0]
  var rows: [Int32] = []

  init(_ keys: KeyEncoding.Keys) {
    let n = keys.offsets.count - 1
    let nonNull = (0..<Int32(n)).filter { !(keys.anyNull?[Int($0)] ?? false) }
    var ids = [Int32](repeating: 0, count: nonNull.count)
    table = ByteKeyTable(capacity: Swift.max(1024, nonNull.count))
    keys.bytes.withUnsafeBytes { raw in
      keys.offsets.withUnsafeBufferPointer { off in
        nonNull.withUnsafeBufferPointer { listed in
          ids.withUnsafeMutableBufferPointer { out in
            table.findOrInsert(OffsetKeys(base: raw.baseAddress, offsets: off, rows: listed), into: out)
          }
        }
      }
    }
    // A counting sort of the rows by key id.
    var counts = [Int32](repeating: 0, count: table.count + 1)
    for id in ids { counts[Int(id) + 1] += 1 }
    for i in 0..<table.count { counts[i + 1] += counts[i] }
    starts = counts
    var next = counts
    rows = [Int32](repeating: 0, count: ids.count)
    for (k, id) in ids.enumerated() {
      rows[Int(next[Int(id)])] = nonNull[k]
      next[Int(id)] += 1
    }
  }

  var memoryBytes: Int { table.memoryBytes + starts.count * 4 + rows.count * 4 }

  /// The key id of each probe row, or -1 when it has no match (or a NULL key).
  func probe(_ keys: KeyEncoding.Keys) -> [Int32] {
    let n = keys.offsets.count - 1
    var ids = [Int32](repeating: -1, count: n)
    var table = self.table
    keys.bytes.withUnsafeBytes { raw in
      keys.offsets.withUnsafeBufferPointer { off in
        ids.withUnsafeMutableBufferPointer { out in
          table.find(DenseOffsetKeys(base: raw.baseAddress, offsets: off, count: n), into: out)
        }
      }
    }
    if let anyNull = keys.anyNull {
      for i in 0..<n where anyNull[i] { ids[i] = -1 }
    }
    return ids
  }
}
