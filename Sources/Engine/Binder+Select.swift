import Columnar
import Exec
import Expr
import SQLParser

extension Binder {
  /// One entry of the select list after `*` expansion.
  struct SelectEntry {
    /// The expression, or nil for a column of a `*` (then `column` is set).
    var expression: Expression?
    var column: Int?
    var name: String
    var location: SourceLocation
  }

  mutating func bindSelect(
    _ select: Select, orderBy: [OrderByItem], limit: Expression?, offset: Expression?
  ) throws(EngineError) -> Relation {
    let hasWildcard = select.items.contains { if case .wildcard = $0 { true } else { false } }
    let from = try bindFrom(select.from, allColumns: hasWildcard)
    let fromScope = from.scope
    var node = from.node

    if let condition = select.whereClause {
      let bound = try bindExpression(condition, ExpressionContext(scope: fromScope, schema: node.schema, clause: "WHERE"))
      try requireBoolean(bound, condition, clause: "WHERE")
      node = Pushdown.filter(node, bound.expression)
    }

    let entries = try expand(select.items, scope: fromScope)
    var collector = CallCollector()
    for entry in entries { if let e = entry.expression { collector.collect(e) } }
    if let having = select.having { collector.collect(having) }
    if let qualify = select.qualify { collector.collect(qualify) }
    // HAVING and QUALIFY may name select aliases whose expressions hold aggregates or windows:
    // those are collected from the select list already.
    for item in orderBy { collector.collect(item.expression) }

    var context = ExpressionContext(scope: fromScope, schema: node.schema, clause: "SELECT")
    let grouped = select.groupBy != nil || !collector.aggregates.isEmpty || select.having != nil
    if grouped {
      (node, context) = try bindGrouping(select, entries, collector.aggregates, node, fromScope)
    }
    var aliases: [String: Expression] = [:]
    for entry in entries { if let e = entry.expression, aliases[entry.name.lowercased()] == nil { aliases[entry.name.lowercased()] = e } }
    if let having = select.having {
      var havingContext = context
      havingContext.clause = "HAVING"
      havingContext.aliases = aliases
      let bound = try bindExpression(having, havingContext)
      try requireBoolean(bound, having, clause: "HAVING")
      node = PlanNode(.filter(bound.expression), [node], schema: node.schema)
    }
    if !collector.windows.isEmpty {
      node = try bindWindows(collector.windows, select.windows, node, &context)
    }
    if let qualify = select.qualify {
      var qualifyContext = context
      qualifyContext.clause = "QUALIFY"
      qualifyContext.aliases = aliases
      let bound = try bindExpression(qualify, qualifyContext)
      try requireBoolean(bound, qualify, clause: "QUALIFY")
      node = PlanNode(.filter(bound.expression), [node], schema: node.schema)
    }

    // The select list, then ORDER BY expressions that are not in it (dropped after sorting).
    var expressions: [PhysicalExpression] = []
    var fields: [Field] = []
    for entry in entries {
      let bound = try bindEntry(entry, context)
      expressions.append(bound.expression)
      fields.append(Field(entry.name, bound.type))
    }
    let visible = expressions.count
    var keys: [SortKey] = []
    let outputScope = Scope(fields.map { Scope.Column(qualifier: nil, name: $0.name, type: $0.type) })
    for item in orderBy {
      if select.isDistinct {
        // After DISTINCT only the select list exists: sort on expressions of its columns.
        let key = try orderOnOutput(item, entries, outputScope, Schema(fields))
        keys.append(sortKey(key, item))
        continue
      }
      let index = try orderColumn(item, entries, &expressions, &fields, context)
      keys.append(sortKey(.column(index), item))
    }
    if select.isDistinct && expressions.count > visible {
      throw EngineError(
        .binding, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list", at: orderBy[0].location)
    }
    node = PlanNode(.project(expressions), [node], schema: Schema(fields))
    if select.isDistinct { node = Binder.distinct(node) }
    if !keys.isEmpty { node = PlanNode(.sort(keys, limit: nil), [node], schema: node.schema) }
    node = try applyLimit(node, limit: limit, offset: offset)
    if expressions.count > visible {
      let schema = Schema(Array(fields.prefix(visible)))
      node = PlanNode(.project((0..<visible).map { .column($0) }), [node], schema: schema)
    }
    let scope = Scope(fields.prefix(visible).map { Scope.Column(qualifier: nil, name: $0.name, type: $0.type) })
    return Relation(node: node, scope: scope)
  }

  /// The select list with `*` expanded.
  func expand(_ items: [SelectItem], scope: Scope) throws(EngineError) -> [SelectEntry] {
    var entries: [SelectEntry] = []
    for item in items {
      switch item {
      case .wildcard(let wildcard):
        let qualifier = wildcard.qualifier.map { $0.name.value.lowercased() }
        if let qualifier, !scope.hasQualifier(qualifier) {
          throw EngineError(.binding, "unknown table or alias '\(qualifier)' in \(qualifier).*", at: wildcard.location)
        }
        let excluded = Set(wildcard.excluded.map { $0.value.lowercased() })
        for name in excluded where !scope.columns.contains(where: { $0.name.lowercased() == name }) {
          throw EngineError(.binding, "EXCLUDE names unknown column '\(name)'", at: wildcard.location)
        }
        for (index, column) in scope.columns.enumerated() where !column.hidden {
          if let qualifier, column.qualifier != qualifier { continue }
          if excluded.contains(column.name.lowercased()) { continue }
          entries.append(SelectEntry(expression: nil, column: index, name: column.name, location: wildcard.location))
        }
      case .expression(let expression, let alias):
        entries.append(
          SelectEntry(expression: expression, column: nil, name: alias?.value ?? Binder.outputName(expression), location: expression.location))
      }
    }
    return entries
  }

  /// DuckDB's column names: a column's name, `count_star()`, or the expression's text.
  static func outputName(_ expression: Expression) -> String {
    switch expression.kind {
    case .column(let name): return name.name.value
    case .function(let call) where call.isStar && call.window == nil: return "count_star()"
    default: return expression.description
    }
  }

  mutating func bindEntry(_ entry: SelectEntry, _ context: ExpressionContext) throws(EngineError) -> Bound {
    if let expression = entry.expression { return try bindExpression(expression, context) }
    let index = entry.column!
    if let grouped = context.groupedColumns {
      guard let output = grouped[index] else {
        throw EngineError(
          .binding, "column '\(context.scope.columns[index].name)' must appear in the GROUP BY clause or be used in an aggregate function",
          at: entry.location)
      }
      return Bound(expression: .column(output), type: context.schema.fields[output].type)
    }
    return Bound(expression: .column(index), type: context.schema.fields[index].type)
  }

  /// An ORDER BY item of a SELECT DISTINCT: a position, an output name, or an expression of the
  /// output columns.
  mutating func orderOnOutput(_ item: OrderByItem, _ entries: [SelectEntry], _ scope: Scope, _ schema: Schema) throws(EngineError) -> PhysicalExpression {
    let expression = item.expression
    if case .literal(.integer(let ordinal)) = expression.kind {
      guard ordinal >= 1, ordinal <= entries.count else {
        throw EngineError(.binding, "ORDER BY position \(ordinal) is not in the select list (1...\(entries.count))", at: expression.location)
      }
      return .column(Int(ordinal - 1))
    }
    if let index = entries.firstIndex(where: { $0.expression == expression }) { return .column(index) }
    do {
      return try bindExpression(expression, ExpressionContext(scope: scope, schema: schema, clause: "ORDER BY")).expression
    } catch {
      throw EngineError(
        .binding, "for SELECT DISTINCT, ORDER BY expressions must be computed from the select list (\(error.message))",
        at: expression.location)
    }
  }

  /// The projected column an ORDER BY item sorts on, appending a hidden one when needed.
  mutating func orderColumn(
    _ item: OrderByItem, _ entries: [SelectEntry], _ expressions: inout [PhysicalExpression], _ fields: inout [Field],
    _ context: ExpressionContext
  ) throws(EngineError) -> Int {
    let expression = item.expression
    if case .literal(.integer(let ordinal)) = expression.kind {
      guard ordinal >= 1, ordinal <= entries.count else {
        throw EngineError(.binding, "ORDER BY position \(ordinal) is not in the select list (1...\(entries.count))", at: expression.location)
      }
      return Int(ordinal - 1)
    }
    if case .column(let name) = expression.kind, name.parts.count == 1,
      let index = entries.firstIndex(where: { name.name.matches($0.name) && $0.expression != nil })
    {
      return index
    }
    if let index = entries.firstIndex(where: { $0.expression == expression }) { return index }
    var orderContext = context
    orderContext.clause = "ORDER BY"
    let bound = try bindExpression(expression, orderContext)
    if case .column(let c) = bound.expression, let index = expressions.prefix(entries.count).firstIndex(where: {
      if case .column(c) = $0 { true } else { false }
    }) {
      return index
    }
    expressions.append(bound.expression)
    fields.append(Field("__order\(fields.count)", bound.type))
    return expressions.count - 1
  }

  /// GROUP BY and the aggregates: returns the aggregate node and the context that names its output.
  mutating func bindGrouping(
    _ select: Select, _ entries: [SelectEntry], _ aggregates: [Expression], _ input: PlanNode, _ scope: Scope
  ) throws(EngineError) -> (PlanNode, ExpressionContext) {
    var keyEntries: [SelectEntry] = []
    switch select.groupBy {
    case nil: break
    case .all:
      for entry in entries {
        guard let e = entry.expression else {
          keyEntries.append(entry)
          continue
        }
        var collector = CallCollector()
        collector.collect(e)
        if collector.aggregates.isEmpty && collector.windows.isEmpty { keyEntries.append(entry) }
      }
    case .expressions(let list):
      for e in list {
        if case .literal(.integer(let ordinal)) = e.kind {
          guard ordinal >= 1, ordinal <= entries.count else {
            throw EngineError(.binding, "GROUP BY position \(ordinal) is not in the select list (1...\(entries.count))", at: e.location)
          }
          keyEntries.append(entries[Int(ordinal - 1)])
          continue
        }
        if case .column(let name) = e.kind, name.parts.count == 1, try scope.resolve(name) == nil,
          let entry = entries.first(where: { name.name.matches($0.name) && $0.expression != nil })
        {
          keyEntries.append(entry)
          continue
        }
        keyEntries.append(SelectEntry(expression: e, column: nil, name: Binder.outputName(e), location: e.location))
      }
    }
    let before = ExpressionContext(scope: scope, schema: input.schema, clause: "GROUP BY")
    var keys: [PhysicalExpression] = []
    var fields: [Field] = []
    var groupedColumns: [Int: Int] = [:]
    var substitutions: [Expression: Int] = [:]
    for entry in keyEntries {
      let bound = try bindEntry(entry, before)
      if case .column(let c) = bound.expression {
        if let existing = groupedColumns[c] {
          if let e = entry.expression { substitutions[e] = existing }
          continue
        }
        groupedColumns[c] = keys.count
      }
      if let e = entry.expression {
        var collector = CallCollector()
        collector.collect(e)
        if !collector.aggregates.isEmpty {
          throw EngineError(.binding, "aggregate functions are not allowed in GROUP BY", at: e.location)
        }
        substitutions[e] = keys.count
      }
      keys.append(bound.expression)
      fields.append(Field(entry.name, bound.type))
    }
    var specs: [AggregateSpec] = []
    var aggregateContext = before
    aggregateContext.clause = "an aggregate"
    for call in aggregates {
      guard case .function(let function) = call.kind else { continue }
      let name = Binder.outputName(call)
      let spec = try aggregateSpec(function, aggregateContext, name: name, at: call.location)
      var argumentType: DataType? = nil
      if let argument = spec.argument {
        do { argumentType = try argument.resultType(over: input.schema) } catch {
          throw EngineError(.binding, error.message, at: call.location)
        }
      }
      substitutions[call] = keys.count + specs.count
      specs.append(spec)
      fields.append(Field(name, Binder.aggregateType(spec, argument: argumentType)))
    }
    let schema = Schema(fields)
    let node = PlanNode(.aggregate(groupBy: keys, aggregates: specs), [input], schema: schema)
    var after = ExpressionContext(scope: scope, schema: schema, clause: "SELECT")
    after.groupedColumns = groupedColumns
    after.substitutions = substitutions
    return (node, after)
  }
}

/// Finds the aggregate calls and window calls of expressions (not looking into subqueries).
struct CallCollector {
  var aggregates: [Expression] = []
  var windows: [Expression] = []

  mutating func collect(_ expression: Expression) {
    if case .function(let call) = expression.kind {
      if call.window != nil {
        if !windows.contains(expression) { windows.append(expression) }
        for argument in call.arguments { collect(argument.value) }
        if case .specification(let spec)? = call.window {
          for e in spec.partitionBy { collect(e) }
          for item in spec.orderBy { collect(item.expression) }
        }
        return
      }
      if FunctionNames.isAggregate(call) {
        if !aggregates.contains(expression) { aggregates.append(expression) }
        return
      }
    }
    for child in ExpressionChildren.of(expression) { collect(child) }
  }
}

/// The sub-expressions of an expression (subqueries excluded: they are bound on their own).
enum ExpressionChildren {
  static func of(_ expression: Expression) -> [Expression] {
    switch expression.kind {
    case .literal, .column, .parameter, .exists, .subquery: return []
    case .unary(_, let a), .isNull(let a, _), .cast(let a, _, _), .extract(_, let a), .fieldAccess(let a, _), .inSubquery(let a, _, _):
      return [a]
    case .binary(_, let a, let b), .subscripted(let a, let b): return [a, b]
    case .and(let parts), .or(let parts), .list(let parts): return parts
    case .between(let a, let low, let high, _): return [a, low, high]
    case .inList(let a, let items, _): return [a] + items
    case .like(let a, let pattern, let escape, _, _): return [a, pattern] + (escape.map { [$0] } ?? [])
    case .caseWhen(let c):
      return (c.operand.map { [$0] } ?? []) + c.branches.flatMap { [$0.condition, $0.result] } + (c.elseResult.map { [$0] } ?? [])
    case .function(let call):
      var result = call.arguments.map(\.value)
      if let filter = call.filter { result.append(filter) }
      result += call.orderBy.map(\.expression)
      return result
    }
  }
}
