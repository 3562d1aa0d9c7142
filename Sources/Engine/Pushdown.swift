import Columnar
import Exec
import Expr

/// Places filters as close to the scans as they can go, and hands scans the part of the filter
/// that statistics can decide (partition pruning, file and row-group skipping).
enum Pushdown {
  /// `node` filtered by `condition`: conjuncts that read one side of an inner join move to that
  /// side; a filter right above a scan also becomes the scan's skipping predicate.
  static func filter(_ node: PlanNode, _ condition: PhysicalExpression) -> PlanNode {
    var remaining: [PhysicalExpression] = []
    switch node.op {
    case .hashJoin(let type, _, _), .nestedLoopJoin(let type, _):
      let leftCount = node.children[0].schema.fields.count
      var left: [PhysicalExpression] = []
      var right: [PhysicalExpression] = []
      for part in condition.conjuncts {
        let columns = part.columnIndices
        if !columns.isEmpty, columns.allSatisfy({ $0 < leftCount }), type != .right, type != .full {
          left.append(part)
        } else if !columns.isEmpty, columns.allSatisfy({ $0 >= leftCount }), type == .inner {
          right.append(part.mapColumns { $0 - leftCount })
        } else {
          remaining.append(part)
        }
      }
      if !left.isEmpty { node.children[0] = filter(node.children[0], .conjunction(left)) }
      if !right.isEmpty { node.children[1] = filter(node.children[1], .conjunction(right)) }
      if remaining.isEmpty { return node }
    case .scan(let source, let columns, let existing):
      if let predicate = predicate(condition, columns: columns, schema: node.schema) {
        let combined = existing.map { Predicate.and([$0, predicate]) } ?? predicate
        node.op = .scan(source, columns: columns, predicate: combined)
      }
      remaining = condition.conjuncts
    case .project(let expressions):
      // Conjuncts that read only passed-through columns go below the projection (views, subqueries).
      var below: [PhysicalExpression] = []
      for part in condition.conjuncts {
        var sources: [Int: Int] = [:]
        for index in part.columnIndices {
          guard index < expressions.count, case .column(let source) = expressions[index] else { break }
          sources[index] = source
        }
        if sources.count == part.columnIndices.count, !sources.isEmpty {
          below.append(part.mapColumns { sources[$0] ?? $0 })
        } else {
          remaining.append(part)
        }
      }
      if !below.isEmpty { node.children[0] = filter(node.children[0], .conjunction(below)) }
      if remaining.isEmpty { return node }
    case .filter:
      // Filters commute: this one joins the filters below.
      node.children[0] = filter(node.children[0], condition)
      return node
    default:
      remaining = condition.conjuncts
    }
    return PlanNode(.filter(.conjunction(remaining)), [node], schema: node.schema)
  }

  /// A predicate that holds wherever `condition` does (it may be weaker), or nil when nothing
  /// useful can be said.
  static func predicate(_ condition: PhysicalExpression, columns: [String], schema: Schema) -> Predicate? {
    convert(condition, columns, schema)?.predicate
  }

  /// A predicate equivalent to `condition`, or nil when part of it cannot be expressed as one.
  static func exactPredicate(_ condition: PhysicalExpression, columns: [String], schema: Schema) -> Predicate? {
    guard let converted = convert(condition, columns, schema), converted.exact else { return nil }
    return converted.predicate
  }

  /// The converted predicate and whether it is exact (needed under NOT).
  private static func convert(_ e: PhysicalExpression, _ columns: [String], _ schema: Schema) -> (predicate: Predicate, exact: Bool)? {
    func column(_ x: PhysicalExpression) -> (ColumnPath, DataType)? {
      guard case .column(let index) = x, index < columns.count else { return nil }
      return ([columns[index]], schema.fields[index].type)
    }
    switch e {
    case .compare(let op, let a, let b):
      if let (path, type) = column(a), case .literal(let value) = b, compatible(type, value) {
        return (.comparison(path, map(op), value), true)
      }
      if let (path, type) = column(b), case .literal(let value) = a, compatible(type, value) {
        return (.comparison(path, map(op.flipped), value), true)
      }
      return nil
    case .inList(let a, let list, let negated):
      guard let (path, type) = column(a), list.values.allSatisfy({ $0.isNull || compatible(type, $0) }) else { return nil }
      return (.inList(path, list.values, negated: negated), true)
    case .isNull(let a, let negated):
      guard let (path, _) = column(a) else { return nil }
      return (.isNull(path, negated: negated), true)
    case .and(let a, let b):
      let l = convert(a, columns, schema), r = convert(b, columns, schema)
      switch (l, r) {
      case (nil, nil): return nil
      case (let x?, nil), (nil, let x?): return (x.predicate, false)
      case (let x?, let y?): return (.and([x.predicate, y.predicate]), x.exact && y.exact)
      }
    case .or(let a, let b):
      guard let l = convert(a, columns, schema), let r = convert(b, columns, schema) else { return nil }
      return (.or([l.predicate, r.predicate]), l.exact && r.exact)
    case .not(let a):
      guard let inner = convert(a, columns, schema), inner.exact else { return nil }
      return (.not(inner.predicate), true)
    case .literal(.boolean(let b)):
      return (.literal(b), true)
    default:
      return nil
    }
  }

  private static func map(_ op: Exec.ComparisonOperator) -> Expr.ComparisonOperator {
    switch op {
    case .equal: .equal
    case .notEqual: .notEqual
    case .less: .less
    case .lessOrEqual: .lessOrEqual
    case .greater: .greater
    case .greaterOrEqual: .greaterOrEqual
    }
  }

  /// Whether statistics of a `type` column can be compared with `value` without conversion.
  private static func compatible(_ type: DataType, _ value: ScalarValue) -> Bool {
    switch (type, value) {
    case (.int8, .int64), (.int16, .int64), (.int32, .int64), (.int64, .int64),
      (.uint8, .int64), (.uint16, .int64), (.uint32, .int64):
      return true
    case (.float32, .float64), (.float64, .float64), (.float64, .int64), (.float32, .int64): return true
    case (.decimal, .decimal), (.decimal, .int64): return true
    case (.string, .string): return true
    case (.boolean, .boolean): return true
    case (.date, .date): return true
    case (.timestamp(_, let utc), .timestamp(_, let literalUTC)): return utc == literalUTC
    default: return false
    }
  }
}
