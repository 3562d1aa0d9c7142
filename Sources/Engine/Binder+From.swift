import Columnar
import Delta
import Exec
import Expr
import SQLParser

extension Binder {
  /// Binds the comma-separated FROM entries (a cross join of them); `allColumns` makes scans
  /// read every column (the select list has a `*`).
  mutating func bindFrom(_ from: [TableReference], allColumns: Bool) throws(EngineError) -> Relation {
    guard let first = from.first else {
      let one = RecordBatch.emptyRow
      return Relation(node: PlanNode(.values(one), schema: one.schema), scope: Scope([]))
    }
    var relation = try bindTableReference(first, allColumns: allColumns)
    for reference in from.dropFirst() {
      let right = try bindTableReference(reference, allColumns: allColumns)
      relation = crossJoin(relation, right)
    }
    return relation
  }

  func crossJoin(_ left: Relation, _ right: Relation) -> Relation {
    let schema = Schema(left.node.schema.fields + right.node.schema.fields)
    let node = PlanNode(.nestedLoopJoin(.inner, condition: nil), [left.node, right.node], schema: schema)
    var scope = Scope(left.scope.columns + right.scope.columns)
    scope.unreadNames = left.scope.unreadNames + right.scope.unreadNames
    return Relation(node: node, scope: scope)
  }

  mutating func bindTableReference(_ reference: TableReference, allColumns: Bool) throws(EngineError) -> Relation {
    switch reference {
    case .table(let table): return try bindNamedTable(table, allColumns: allColumns)
    case .function(let function): return try bindTableFunction(function, allColumns: allColumns)
    case .subquery(let derived):
      var relation = try bindQuery(derived.query)
      relation.scope = try Binder.aliased(relation.scope, derived.alias, defaultName: nil)
      return relation
    case .join(let join): return try bindJoin(join, allColumns: allColumns)
    }
  }

  /// The scope renamed by `AS alias (a, b)`.
  static func aliased(_ scope: Scope, _ alias: TableAlias?, defaultName: String?) throws(EngineError) -> Scope {
    var scope = scope
    let qualifier = alias?.name.normalized ?? defaultName?.lowercased()
    for index in scope.columns.indices { scope.columns[index].qualifier = qualifier }
    if let alias {
      guard alias.columns.count <= scope.columns.count else {
        throw EngineError(
          .binding, "alias '\(alias.name.value)' names \(alias.columns.count) columns but the table has \(scope.columns.count)",
          at: alias.location)
      }
      for (index, name) in alias.columns.enumerated() { scope.columns[index].name = name.value }
    }
    return scope
  }

  mutating func bindNamedTable(_ table: NamedTable, allColumns: Bool) throws(EngineError) -> Relation {
    let parts = table.name.parts
    let (version, timestamp) = try timeTravel(table.timeTravel)
    // Spark's delta.`/path`.
    if parts.count == 2, parts[0].matches("delta") {
      let source = try Catalog.source(path: parts[1].value, version: version, timestamp: timestamp)
      return try scanRelation(source, alias: table.alias, defaultName: nil, allColumns: allColumns, at: table.location)
    }
    let name = table.name.name
    if parts.count == 1 {
      for frame in cteStack.reversed() {
        guard let cte = frame[name.normalized] else { continue }
        if table.timeTravel != nil {
          throw EngineError(.binding, "'\(name.value)' is a WITH query; it has no versions", at: table.location)
        }
        var relation = try bindQuery(cte.query)
        relation.scope = try Binder.aliased(relation.scope, TableAlias(name: cte.name, columns: cte.columns), defaultName: nil)
        relation.scope = try Binder.aliased(relation.scope, table.alias, defaultName: name.value)
        return relation
      }
    }
    if parts.count == 1, let entry = catalog.entry(name.value) {
      switch entry {
      case .path(let path):
        let source = try Catalog.source(path: path, version: version, timestamp: timestamp)
        return try scanRelation(source, alias: table.alias, defaultName: name.value, allColumns: allColumns, at: table.location)
      case .view(let query, let columns):
        if table.timeTravel != nil {
          throw EngineError(.binding, "'\(name.value)' is a view; it has no versions", at: table.location)
        }
        referencedNames.formUnion(NameCollector.names(in: query))
        var relation = try bindQuery(query)
        relation.scope = try Binder.aliased(relation.scope, TableAlias(name: name, columns: columns), defaultName: nil)
        relation.scope = try Binder.aliased(relation.scope, table.alias, defaultName: name.value)
        return relation
      }
    }
    // A quoted path used as a table name, as DuckDB allows: FROM 'logs/*.parquet'.
    if parts.count == 1, name.isQuoted, name.value.contains("/") || name.value.hasSuffix(".parquet") {
      let source = try Catalog.source(path: name.value, version: version, timestamp: timestamp)
      return try scanRelation(source, alias: table.alias, defaultName: nil, allColumns: allColumns, at: table.location)
    }
    var known = catalog.names
    for frame in cteStack { known += frame.values.map(\.name.value) }
    let hint = Suggestions.hint(Suggestions.closest(to: name.value, among: known))
    let registered = known.isEmpty ? "; register tables with --table name=path or use delta_scan('path')" : hint
    throw EngineError(.binding, "unknown table '\(table.name)'\(registered)", at: table.location)
  }

  mutating func bindTableFunction(_ function: TableFunction, allColumns: Bool) throws(EngineError) -> Relation {
    let name = function.name.name.value.lowercased()
    var positional: [Expression] = []
    var named: [String: Expression] = [:]
    for argument in function.arguments {
      if let key = argument.name { named[key.value.lowercased()] = argument.value } else { positional.append(argument.value) }
    }
    switch name {
    case "delta_scan":
      guard positional.count == 1 else {
        throw EngineError(.binding, "delta_scan takes one path: delta_scan('path' [, version => n])", at: function.location)
      }
      let path = try constantString(positional[0], clause: "delta_scan")
      var (version, timestamp) = try timeTravel(function.timeTravel)
      for (key, value) in named {
        switch key {
        case "version": version = Int64(try constantInteger(value, clause: "delta_scan version"))
        case "timestamp": timestamp = try timestampMillis(value)
        default:
          throw EngineError(.binding, "delta_scan has no argument '\(key)' (it takes version => n or timestamp => '…')", at: value.location)
        }
      }
      let source = try Catalog.source(path: path, version: version, timestamp: timestamp)
      guard case .delta = source else {
        throw EngineError(.table, "'\(path)' is not a Delta table (no _delta_log directory)", at: function.location)
      }
      return try scanRelation(source, alias: function.alias, defaultName: "delta_scan", allColumns: allColumns, at: function.location)
    case "read_parquet", "parquet_scan":
      guard positional.count == 1 else {
        throw EngineError(.binding, "\(name) takes one path or glob", at: function.location)
      }
      var patterns: [String] = []
      if case .list(let items) = positional[0].kind {
        for item in items { patterns.append(try constantString(item, clause: name)) }
      } else {
        patterns.append(try constantString(positional[0], clause: name))
      }
      guard patterns.count == 1 else {
        throw EngineError(.unsupported, "\(name) of a list of paths is not supported; use a glob", at: function.location)
      }
      let source = ScanSource.parquet(try ParquetFiles(pattern: patterns[0]))
      return try scanRelation(source, alias: function.alias, defaultName: name, allColumns: allColumns, at: function.location)
    default:
      throw EngineError(
        .binding, "unknown table function '\(function.name)' (known: delta_scan, read_parquet)", at: function.location)
    }
  }

  mutating func constantString(_ expression: Expression, clause: String) throws(EngineError) -> String {
    let bound = try bindExpression(expression, ExpressionContext(scope: Scope([]), schema: Schema([]), clause: clause))
    guard case .literal(.string(let text)) = bound.expression else {
      throw EngineError(.binding, "\(clause) needs a constant string here", at: expression.location)
    }
    return text
  }

  mutating func timestampMillis(_ expression: Expression) throws(EngineError) -> Int64 {
    let bound = try bindExpression(expression, ExpressionContext(scope: Scope([]), schema: Schema([]), clause: "TIMESTAMP AS OF"))
    switch bound.expression {
    case .literal(.string(let text)):
      guard let millis = Timestamps.parse(text) else {
        throw EngineError(.binding, "'\(text)' is not a timestamp (use '2024-05-01 10:00:00' or an ISO 8601 time)", at: expression.location)
      }
      return millis
    case .literal(.timestamp(let micros, _)): return CalendarFormatting.floorDiv(micros, 1000)
    case .literal(.date(let days)): return Int64(days) * 86_400_000
    default: throw EngineError(.binding, "TIMESTAMP AS OF needs a constant timestamp", at: expression.location)
    }
  }

  mutating func timeTravel(_ travel: TimeTravel?) throws(EngineError) -> (Int64?, Int64?) {
    switch travel {
    case nil: return (nil, nil)
    case .version(let e): return (Int64(try constantInteger(e, clause: "VERSION AS OF")), nil)
    case .timestamp(let e): return (nil, try timestampMillis(e))
    }
  }

  /// A scan of `source` reading the columns the statement names (all with `allColumns`).
  func scanRelation(
    _ source: ScanSource, alias: TableAlias?, defaultName: String?, allColumns: Bool, at location: SourceLocation
  ) throws(EngineError) -> Relation {
    let fields = source.schema.fields
    let everything = allColumns || !(alias?.columns.isEmpty ?? true)
    var columns = everything ? fields : fields.filter { referencedNames.contains($0.name.lowercased()) || referencedNames.contains($0.name) }
    if columns.isEmpty, let first = fields.first(where: { source.partitionColumns.contains($0.name) }) ?? fields.first {
      // COUNT(*) still needs row counts: read the cheapest column.
      columns = [first]
    }
    let schema = Schema(columns)
    let node = PlanNode(.scan(source, columns: columns.map(\.name), predicate: nil), schema: schema)
    var scope = try Binder.aliased(Scope(schema: schema, qualifier: nil), alias, defaultName: defaultName)
    scope.unreadNames = fields.map(\.name).filter { name in !columns.contains { $0.name == name } }
    return Relation(node: node, scope: scope)
  }
}

extension RecordBatch {
  /// One row with no columns: the input of `SELECT 1`.
  static var emptyRow: RecordBatch {
    // Zero columns and one row is always consistent.
    (try? RecordBatch(schema: Schema([]), columns: [], rowCount: 1))!
  }
}
