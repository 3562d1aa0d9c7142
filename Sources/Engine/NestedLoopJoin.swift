import Columnar
import Exec
import Expr

/// Joins on any condition (or none): each row of the (materialized) right side is tried against
/// a whole left batch at once, so the condition is still evaluated a vector at a time. Used for
/// cross joins and for conditions without an equality, such as `cidr_contains(ioc.range, ip)`.
enum NestedLoopJoin {
  static func join(
    _ type: JoinType, _ left: RecordBatch, _ right: RecordBatch, condition: PhysicalExpression?, schema: Schema,
    budget: MemoryBudget
  ) throws(EngineError) -> RecordBatch {
    let n = left.rowCount
    var leftRows: [Int32] = []
    var rightRows: [Int32] = []
    var matched = [Bool](repeating: false, count: n)
    let combined = Schema(left.schema.fields + right.schema.fields)
    for r in 0..<right.rowCount {
      var selected: [Int32]
      if let condition {
        var columns = left.columns
        for column in right.columns {
          columns.append(try exec { () throws(ExecError) in try column.gather([Int32](repeating: Int32(r), count: n)) })
        }
        let batch = try exec { () throws(ExecError) in try RecordBatch.make(schema: combined, columns: columns, rowCount: n) }
        selected = try exec { () throws(ExecError) in try condition.selection(batch).setIndices() }
      } else {
        selected = (0..<Int32(n)).map { $0 }
      }
      for row in selected { matched[Int(row)] = true }
      if type == .inner || type == .left {
        leftRows.append(contentsOf: selected)
        rightRows.append(contentsOf: repeatElement(Int32(r), count: selected.count))
        try exec { () throws(ExecError) in try budget.charge(selected.count * 8, by: "NestedLoopJoin") }
      }
    }
    switch type {
    case .semi, .anti:
      let keep = (0..<n).filter { matched[$0] == (type == .semi) }.map { Int32($0) }
      return try exec { () throws(ExecError) in try left.gather(keep) }
    case .left:
      for row in 0..<n where !matched[row] {
        leftRows.append(Int32(row))
        rightRows.append(-1)
      }
    default: break
    }
    var columns: [ColumnVector] = []
    for column in left.columns { columns.append(try exec { () throws(ExecError) in try column.gather(leftRows) }) }
    for column in right.columns { columns.append(try exec { () throws(ExecError) in try column.gather(rightRows) }) }
    let fields = zip(schema.fields, columns).map { Field($0.name, $1.type) }
    return try exec { () throws(ExecError) in try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: leftRows.count) }
  }
}
