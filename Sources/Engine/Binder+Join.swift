import Columnar
import Exec
import Expr
import SQLParser

extension Binder {
  mutating func bindJoin(_ join: Join, allColumns: Bool) throws(EngineError) -> Relation {
    let left = try bindTableReference(join.left, allColumns: allColumns)
    let right = try bindTableReference(join.right, allColumns: allColumns)
    let type: JoinType
    switch join.kind {
    case .inner: type = .inner
    case .left: type = .left
    case .right: type = .right
    case .full: type = .full
    case .cross: return crossJoin(left, right)
    case .semi: type = .semi
    case .anti: type = .anti
    }
    let leftCount = left.scope.columns.count
    var scope = Scope(left.scope.columns + right.scope.columns)
    scope.unreadNames = left.scope.unreadNames + right.scope.unreadNames
    let combined = Schema(left.node.schema.fields + right.node.schema.fields)
    var leftKeys: [PhysicalExpression] = []
    var rightKeys: [PhysicalExpression] = []
    var residual: [PhysicalExpression] = []
    var merged: [(Int, Int)] = []

    switch join.condition {
    case nil:
      throw EngineError(.binding, "\(join.kind.rawValue) JOIN needs ON or USING", at: join.location)
    case .on(let condition):
      let bound = try bindExpression(condition, ExpressionContext(scope: scope, schema: combined, clause: "ON"))
      try requireBoolean(bound, condition, clause: "ON")
      for part in bound.expression.conjuncts {
        if case .compare(.equal, let a, let b) = part {
          let ca = a.columnIndices, cb = b.columnIndices
          let aLeft = !ca.isEmpty && ca.allSatisfy { $0 < leftCount }, aRight = !ca.isEmpty && ca.allSatisfy { $0 >= leftCount }
          let bLeft = !cb.isEmpty && cb.allSatisfy { $0 < leftCount }, bRight = !cb.isEmpty && cb.allSatisfy { $0 >= leftCount }
          if aLeft && bRight {
            leftKeys.append(a)
            rightKeys.append(b.mapColumns { $0 - leftCount })
            continue
          }
          if aRight && bLeft {
            leftKeys.append(b)
            rightKeys.append(a.mapColumns { $0 - leftCount })
            continue
          }
        }
        residual.append(part)
      }
    case .using(let names):
      for name in names {
        let (l, r) = try usingPair(name.value, left: left.scope, right: right.scope, at: name.location)
        merged.append((l, leftCount + r))
      }
    case .natural:
      for (l, column) in left.scope.columns.enumerated() where !column.hidden {
        if let r = right.scope.columns.firstIndex(where: { !$0.hidden && $0.name.lowercased() == column.name.lowercased() }) {
          merged.append((l, leftCount + r))
        }
      }
      if merged.isEmpty { return crossJoin(left, right) }
    }
    for (l, r) in merged {
      leftKeys.append(.column(l))
      rightKeys.append(.column(r - leftCount))
    }

    let outputSchema: Schema
    switch type {
    case .semi, .anti:
      outputSchema = left.node.schema
      scope = left.scope
    default:
      outputSchema = combined
    }
    var node: PlanNode
    if !leftKeys.isEmpty && (residual.isEmpty || type == .inner) {
      node = PlanNode(.hashJoin(type, leftKeys: leftKeys, rightKeys: rightKeys), [left.node, right.node], schema: outputSchema)
      if !residual.isEmpty {
        node = PlanNode(.filter(.conjunction(residual)), [node], schema: outputSchema)
      }
    } else {
      let keyConditions = zip(leftKeys, rightKeys).map { l, r in
        PhysicalExpression.compare(.equal, l, r.mapColumns { $0 + leftCount })
      }
      let condition = PhysicalExpression.conjunction(keyConditions + residual)
      switch type {
      case .inner, .left, .semi, .anti: break
      default:
        throw EngineError(
          .unsupported, "\(join.kind.rawValue) JOIN needs at least one equality between the two sides", at: join.location)
      }
      node = PlanNode(.nestedLoopJoin(type, condition: condition), [left.node, right.node], schema: outputSchema)
    }

    // USING and NATURAL: the shared column appears once, from the side that always has it.
    if !merged.isEmpty, type != .semi, type != .anti {
      if type == .full {
        var expressions = (0..<combined.fields.count).map { PhysicalExpression.column($0) }
        var fields = combined.fields
        for (l, r) in merged {
          scope.columns[l].hidden = true
          scope.columns[r].hidden = true
          expressions.append(.coalesce([.column(l), .column(r)]))
          fields.append(Field(combined.fields[l].name, combined.fields[l].type))
          scope.columns.append(Scope.Column(qualifier: nil, name: combined.fields[l].name, type: combined.fields[l].type))
        }
        node = PlanNode(.project(expressions), [node], schema: Schema(fields))
      } else {
        for (l, r) in merged { scope.columns[type == .right ? l : r].hidden = true }
      }
    }
    return Relation(node: node, scope: scope)
  }

  func usingPair(_ name: String, left: Scope, right: Scope, at location: SourceLocation) throws(EngineError) -> (Int, Int) {
    let l = left.columns.indices.filter { !left.columns[$0].hidden && left.columns[$0].name.lowercased() == name.lowercased() }
    let r = right.columns.indices.filter { !right.columns[$0].hidden && right.columns[$0].name.lowercased() == name.lowercased() }
    guard l.count == 1, r.count == 1 else {
      let side = l.count != 1 ? "left" : "right"
      let count = l.count != 1 ? l.count : r.count
      throw EngineError(
        .binding, count == 0 ? "USING column '\(name)' is not on the \(side) side of the join" : "USING column '\(name)' is ambiguous on the \(side) side",
        at: location)
    }
    return (l[0], r[0])
  }
}
