import Columnar
import Exec
import Expr
import SQLParser

/// A bound relation: a plan and the names its output columns answer to.
struct Relation {
  var node: PlanNode
  var scope: Scope
}

/// Turns a syntax tree into a plan: resolves names against the catalog and the FROM clause,
/// checks types, folds constants and pushes projections and filters into scans.
///
/// Uncorrelated subqueries (`IN (SELECT …)`, `EXISTS`, scalar subqueries) are planned and run
/// while binding, and their results become constants of the outer plan.
struct Binder {
  var catalog: Catalog
  /// The statement's `now()`, in microseconds since the epoch (UTC).
  let now: Int64
  /// Runs a subquery's plan to completion.
  let runSubquery: (PlanNode) throws(EngineError) -> RecordBatch
  /// CTEs in scope, innermost last.
  var cteStack: [[String: CommonTableExpression]] = []
  /// Lowercased identifiers the statement uses anywhere: scans read only columns named here.
  var referencedNames: Set<String> = []

  init(catalog: Catalog, now: Int64, runSubquery: @escaping (PlanNode) throws(EngineError) -> RecordBatch) {
    self.catalog = catalog
    self.now = now
    self.runSubquery = runSubquery
  }

  /// Binds a whole query statement.
  mutating func bindStatement(_ query: Query) throws(EngineError) -> Relation {
    referencedNames.formUnion(NameCollector.names(in: query))
    return try bindQuery(query)
  }

  mutating func bindQuery(_ query: Query) throws(EngineError) -> Relation {
    if let with = query.with {
      if with.isRecursive { throw EngineError(.unsupported, "WITH RECURSIVE is not supported", at: with.location) }
      var frame: [String: CommonTableExpression] = [:]
      cteStack.append(frame)
      for cte in with.tables {
        frame[cte.name.normalized] = cte
        cteStack[cteStack.count - 1] = frame
      }
    }
    defer { if query.with != nil { cteStack.removeLast() } }

    if case .select(let select) = query.body {
      return try bindSelect(select, orderBy: query.orderBy, limit: query.limit, offset: query.offset)
    }
    var relation = try bindBody(query.body)
    if !query.orderBy.isEmpty {
      var keys: [SortKey] = []
      for item in query.orderBy {
        let index = try outputColumn(item.expression, of: relation, clause: "ORDER BY")
        keys.append(sortKey(.column(index), item))
      }
      relation.node = PlanNode(.sort(keys, limit: nil), [relation.node], schema: relation.node.schema)
    }
    relation.node = try applyLimit(relation.node, limit: query.limit, offset: query.offset)
    return relation
  }

  /// The output column an ORDER BY item of a set operation names: an ordinal or a column name.
  func outputColumn(_ expression: Expression, of relation: Relation, clause: String) throws(EngineError) -> Int {
    if case .literal(.integer(let ordinal)) = expression.kind {
      guard ordinal >= 1, ordinal <= relation.scope.columns.count else {
        throw EngineError(.binding, "\(clause) position \(ordinal) is not in the select list (1...\(relation.scope.columns.count))", at: expression.location)
      }
      return Int(ordinal - 1)
    }
    if case .column(let name) = expression.kind, let index = try relation.scope.resolve(name) { return index }
    throw EngineError(
      .binding, "\(clause) of a set operation must name an output column or position; '\(expression)' is neither",
      at: expression.location)
  }

  func sortKey(_ expression: PhysicalExpression, _ item: OrderByItem) -> SortKey {
    let descending = item.direction == .descending
    // DuckDB's default: NULLs last in both directions.
    let nullsFirst = item.nulls == .first
    return SortKey(expression, descending: descending, nullsFirst: nullsFirst)
  }

  mutating func applyLimit(_ node: PlanNode, limit: Expression?, offset: Expression?) throws(EngineError) -> PlanNode {
    let count = try limit.map { e throws(EngineError) in try constantInteger(e, clause: "LIMIT") }
    let skip = try offset.map { e throws(EngineError) in try constantInteger(e, clause: "OFFSET") } ?? 0
    guard count != nil || skip > 0 else { return node }
    // ORDER BY … LIMIT: the sort keeps only what the limit needs.
    if let count, case .sort(let keys, nil) = node.op {
      node.op = .sort(keys, limit: count + skip)
    }
    return PlanNode(.limit(count, offset: skip), [node], schema: node.schema)
  }

  mutating func constantInteger(_ expression: Expression, clause: String) throws(EngineError) -> Int {
    let bound = try bindExpression(expression, ExpressionContext(scope: Scope([]), schema: Schema([]), clause: clause))
    guard case .literal(let value) = bound.expression, let number = value.int64Value, number >= 0 else {
      throw EngineError(.binding, "\(clause) must be a non-negative integer constant", at: expression.location)
    }
    return Int(number)
  }

  mutating func bindBody(_ body: QueryBody) throws(EngineError) -> Relation {
    switch body {
    case .select(let select): return try bindSelect(select, orderBy: [], limit: nil, offset: nil)
    case .parenthesized(let query): return try bindQuery(query)
    case .setOperation(let operation): return try bindSetOperation(operation)
    case .values(let values): return try bindValues(values)
    }
  }

  /// `VALUES (…), (…)`: constant rows; each column takes the common type of its values.
  mutating func bindValues(_ values: Values) throws(EngineError) -> Relation {
    let empty = ExpressionContext(scope: Scope([]), schema: Schema([]), clause: "VALUES")
    var rows: [[Bound]] = []
    for row in values.rows {
      var bound: [Bound] = []
      for e in row {
        let b = try bindExpression(e, empty)
        guard case .literal = b.expression else {
          throw EngineError(.binding, "VALUES needs constants", at: e.location)
        }
        bound.append(b)
      }
      rows.append(bound)
    }
    let width = rows[0].count
    var fields: [Field] = []
    var columns: [ColumnVector] = []
    for c in 0..<width {
      let type: DataType
      do {
        type = try SetOperations.commonType(rows.map { $0[c].type }, context: "column \(c + 1) of VALUES")
      } catch {
        throw EngineError(.binding, error.message, at: values.location)
      }
      var items: [ScalarValue] = []
      for row in rows {
        var e = row[c].expression
        if row[c].type != type, type != .null { e = .cast(e, to: type, safe: false) }
        do {
          guard case .literal(let v) = try Binder.fold(e) else { continue }
          items.append(v)
        } catch {
          throw EngineError(.binding, error.message, at: values.location)
        }
      }
      columns.append(try exec { () throws(ExecError) in try ColumnVector.from(items, type: type) })
      fields.append(Field("col\(c)", type))
    }
    let schema = Schema(fields)
    let batch = try exec { () throws(ExecError) in try RecordBatch.make(schema: schema, columns: columns, rowCount: rows.count) }
    let node = PlanNode(.values(batch), schema: schema)
    return Relation(node: node, scope: Scope(schema: schema, qualifier: nil))
  }

  mutating func bindSetOperation(_ operation: SetOperation) throws(EngineError) -> Relation {
    let left = try bindBody(operation.left)
    let right = try bindBody(operation.right)
    let l = left.node.schema.fields, r = right.node.schema.fields
    guard l.count == r.count else {
      throw EngineError(
        .binding, "\(operation.op.rawValue) needs the same number of columns on both sides (\(l.count) and \(r.count))",
        at: operation.location)
    }
    var types: [DataType] = []
    for (a, b) in zip(l, r) {
      do {
        types.append(try SetOperations.commonType([a.type, b.type], context: "column '\(a.name)' of \(operation.op.rawValue)"))
      } catch {
        throw EngineError(.binding, error.message, at: operation.location)
      }
    }
    let leftNode = Binder.coerce(left.node, to: types)
    let rightNode = Binder.coerce(right.node, to: types)
    let schema = Schema(zip(l, types).map { Field($0.name, $1) })
    let node: PlanNode
    switch (operation.op, operation.all) {
    case (.union, true):
      node = PlanNode(.unionAll, [leftNode, rightNode], schema: schema)
    case (.union, false):
      let all = PlanNode(.unionAll, [leftNode, rightNode], schema: schema)
      node = Binder.distinct(all)
    case (.except, false):
      node = PlanNode(.except, [leftNode, rightNode], schema: schema)
    case (.intersect, false):
      node = PlanNode(.intersect, [leftNode, rightNode], schema: schema)
    case (_, true):
      throw EngineError(.unsupported, "\(operation.op.rawValue) ALL is not supported; use \(operation.op.rawValue)", at: operation.location)
    }
    let scope = Scope(left.scope.columns.enumerated().map { index, column in
      Scope.Column(qualifier: nil, name: column.name, type: types[index])
    })
    return Relation(node: node, scope: scope)
  }

  /// `node` with its columns cast to `types` where they differ.
  static func coerce(_ node: PlanNode, to types: [DataType]) -> PlanNode {
    let fields = node.schema.fields
    guard zip(fields, types).contains(where: { $0.type != $1 }) else { return node }
    let expressions = zip(fields.indices, types).map { index, type -> PhysicalExpression in
      fields[index].type == type ? .column(index) : .cast(.column(index), to: type, safe: false)
    }
    let schema = Schema(zip(fields, types).map { Field($0.name, $1) })
    return PlanNode(.project(expressions), [node], schema: schema)
  }

  /// DISTINCT rows of `node`: a grouping on every column with no aggregates.
  static func distinct(_ node: PlanNode) -> PlanNode {
    let keys = node.schema.fields.indices.map { PhysicalExpression.column($0) }
    return PlanNode(.aggregate(groupBy: keys, aggregates: []), [node], schema: node.schema)
  }
}

extension ScalarValue {
  var int64Value: Int64? {
    switch self {
    case .int64(let v): v
    case .decimal(let v, _, let scale) where scale == 0: Int64(exactly: v)
    default: nil
    }
  }
}
