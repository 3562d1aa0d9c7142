extension Parser {
  /// `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET n]`.
  @inline(never)
  mutating func parseQuery(after context: String? = nil) throws(SQLError) -> Query {
    try enter()
    defer { leave() }
    let start = current.location
    var with: WithClause?
    if current.isKeyword(.with) { with = try parseWith() }
    guard current.isKeyword(.select) || current.isSymbol(.leftParen) || atValues else {
      throw unexpected(
        with == nil
          ? "SELECT, WITH or '('\(context.map { " after '\($0)'" } ?? "")" : "SELECT or '(' after the WITH clause")
    }
    let body = try parseSetExpression(minPrecedence: 0, first: nil)
    return try parseQueryTail(with: with, body: body, start: start)
  }

  /// The rest of a query whose first set operand has been parsed already, for
  /// `((SELECT 1) UNION (SELECT 2))` met where an expression was expected.
  @inline(never)
  mutating func parseQuery(continuing first: QueryBody) throws(SQLError) -> Query {
    try enter()
    defer { leave() }
    let body = try parseSetExpression(minPrecedence: 0, first: first)
    return try parseQueryTail(with: nil, body: body, start: first.location)
  }

  var atQueryContinuation: Bool {
    switch current.keyword {
    case .union, .except, .intersect, .order, .limit, .offset: true
    default: false
    }
  }

  @inline(never)
  private mutating func parseQueryTail(with: WithClause?, body: QueryBody, start: SourceLocation) throws(SQLError)
    -> Query
  {
    var query = Query(with: with, body: body, location: start)
    if current.isKeyword(.order) {
      advance()
      try expect(.by, "BY after ORDER")
      query.orderBy = try parseOrderByItems()
    }
    // LIMIT and OFFSET in either order, each at most once.
    for _ in 0..<2 {
      if query.limit == nil, consume(.limit) {
        query.limit = try parseExpression(after: "LIMIT")
      } else if query.offset == nil, consume(.offset) {
        query.offset = try parseExpression(after: "OFFSET")
      }
    }
    return query
  }

  @inline(never)
  private mutating func parseWith() throws(SQLError) -> WithClause {
    let start = advance()
    let recursive = consume(.recursive)
    var tables: [CommonTableExpression] = []
    repeat {
      let name = try parseIdentifier(
        tables.isEmpty
          ? "a name for the common table expression after WITH"
          : "a name for the next common table expression after ','")
      var columns: [Identifier] = []
      if current.isSymbol(.leftParen) { columns = try parseIdentifierList("column list of '\(name.value)'") }
      try expect(.as, "AS after the name '\(name.value)' in WITH")
      let open = try expect(.leftParen, "'(' before the query of '\(name.value)'")
      let query = try parseQuery(after: "(")
      try expectClosing(open, "query of '\(name.value)'")
      tables.append(CommonTableExpression(name: name, columns: columns, query: query, location: name.location))
    } while consume(.comma)
    return WithClause(isRecursive: recursive, tables: tables, location: start.location)
  }

  /// Set operations by precedence: `INTERSECT` (2) binds tighter than `UNION` and `EXCEPT` (1).
  @inline(never)
  private mutating func parseSetExpression(minPrecedence: Int, first: QueryBody?) throws(SQLError) -> QueryBody {
    // A first operand parsed by the caller was measured in the caller's chain; keep adding to it.
    let chain: Int? = first == nil ? beginChain() : nil
    defer { if let chain { endChain(chain) } }
    var left: QueryBody
    if let first { left = first } else { left = try parseSetOperand(after: nil) }
    while true {
      let op: SetOperation.Operator
      switch current.keyword {
      case .union: op = .union
      case .except: op = .except
      case .intersect: op = .intersect
      default: return left
      }
      let precedence = op == .intersect ? 2 : 1
      guard precedence >= minPrecedence else { return left }
      let opToken = advance()
      var all = false
      if consume(.all) { all = true } else { _ = consume(.distinct) }
      let operand = try parseSetOperand(after: opToken.value.uppercased() + (all ? " ALL" : ""))
      let right = try parseSetExpression(minPrecedence: precedence + 1, first: operand)
      try link()
      left = .setOperation(SetOperation(op, all: all, left: left, right: right, location: opToken.location))
    }
  }

  @inline(never)
  private mutating func parseSetOperand(after context: String?) throws(SQLError) -> QueryBody {
    if current.isKeyword(.select) { return .select(try parseSelect()) }
    if atValues { return .values(try parseValues()) }
    if current.isSymbol(.leftParen) {
      let open = advance()
      let query = try parseQuery(after: "(")
      try expectClosing(open, "parenthesised query")
      return .parenthesized(query)
    }
    throw unexpected("SELECT or '('\(context.map { " after '\($0)'" } ?? "")")
  }

  /// Whether a `VALUES` list starts here (`values` is not a reserved word, so it is followed by `(`).
  var atValues: Bool {
    current.kind == .word && current.value.lowercased() == "values" && peek().isSymbol(.leftParen)
  }

  /// `VALUES (a, b), (c, d)`.
  @inline(never)
  private mutating func parseValues() throws(SQLError) -> Values {
    let start = advance()
    var rows: [[Expression]] = []
    repeat {
      guard current.isSymbol(.leftParen) else { throw unexpected("'(' to start a row of VALUES") }
      let open = advance()
      var row: [Expression] = []
      repeat {
        row.append(try parseExpression(after: row.isEmpty ? "(" : ","))
      } while consume(.comma)
      try expectClosing(open, "row of VALUES")
      if let first = rows.first, first.count != row.count {
        throw SQLError(
          .unexpectedToken, "every row of VALUES needs \(first.count) values, this one has \(row.count)", at: open.location)
      }
      rows.append(row)
    } while consume(.comma)
    return Values(rows: rows, location: start.location)
  }

  @inline(never)
  private mutating func parseSelect() throws(SQLError) -> Select {
    let start = advance()
    var select = Select(items: [], location: start.location)
    if consume(.distinct) { select.isDistinct = true } else { _ = consume(.all) }
    repeat {
      select.items.append(try parseSelectItem(first: select.items.isEmpty))
    } while consume(.comma)

    if consume(.from) {
      repeat {
        select.from.append(try parseTableReference(after: select.from.isEmpty ? "FROM" : ","))
      } while consume(.comma)
    }
    if consume(.where) { select.whereClause = try parseExpression(after: "WHERE") }
    if current.isKeyword(.group) {
      advance()
      try expect(.by, "BY after GROUP")
      if consume(.all) {
        select.groupBy = .all
      } else {
        select.groupBy = .expressions(try parseExpressionList(after: "GROUP BY"))
      }
    }
    if consume(.having) { select.having = try parseExpression(after: "HAVING") }
    // QUALIFY and WINDOW in either order.
    for _ in 0..<2 {
      if select.qualify == nil, consume(.qualify) {
        select.qualify = try parseExpression(after: "QUALIFY")
      } else if select.windows.isEmpty, consume(.window) {
        repeat {
          let name = try parseIdentifier("a window name")
          try expect(.as, "AS after the window name '\(name.value)'")
          let specification = try parseWindowSpecification()
          select.windows.append(NamedWindow(name: name, specification: specification, location: name.location))
        } while consume(.comma)
      }
    }
    return select
  }

  @inline(never)
  private mutating func parseSelectItem(first: Bool) throws(SQLError) -> SelectItem {
    if current.isSymbol(.star) {
      let star = advance()
      return .wildcard(Wildcard(excluded: try parseExclude(), location: star.location))
    }
    // `t.*`, `s.t.*`: names and dots up to a star.
    var offset = 0
    while peek(offset).kind == .word || peek(offset).kind == .quotedIdentifier, peek(offset + 1).isSymbol(.dot) {
      if peek(offset + 2).isSymbol(.star) {
        let start = current.location
        var parts: [Identifier] = []
        while !current.isSymbol(.star) {
          parts.append(try parseIdentifier("a table name before '.*'"))
          advance()  // the dot
        }
        advance()  // the star
        return .wildcard(Wildcard(qualifier: QualifiedName(parts), excluded: try parseExclude(), location: start))
      }
      offset += 2
    }
    let expression = try parseExpression(after: first ? "SELECT" : ",", expecting: "an expression or '*'")
    return .expression(expression, alias: try parseAlias())
  }

  /// DuckDB's `EXCLUDE (a, b)` or `EXCLUDE a` after a star.
  @inline(never)
  private mutating func parseExclude() throws(SQLError) -> [Identifier] {
    guard consume(.exclude) else { return [] }
    if current.isSymbol(.leftParen) { return try parseIdentifierList("EXCLUDE list") }
    return [try parseIdentifier("a column name after EXCLUDE")]
  }

  /// `AS name`, or a bare name that cannot start the next clause.
  @inline(never)
  private mutating func parseAlias() throws(SQLError) -> Identifier? {
    if consume(.as) { return try parseIdentifier("an alias after AS") }
    if current.kind == .quotedIdentifier || (current.kind == .word && !(current.keyword?.endsImplicitAlias ?? false)) {
      return try parseIdentifier("an alias")
    }
    return nil
  }

  @inline(never)
  mutating func parseOrderByItems() throws(SQLError) -> [OrderByItem] {
    var items: [OrderByItem] = []
    repeat {
      let expression = try parseExpression(after: items.isEmpty ? "ORDER BY" : ",")
      var item = OrderByItem(expression)
      if consume(.asc) {
        item.direction = .ascending
      } else if consume(.desc) {
        item.direction = .descending
      }
      if consume(.nulls) {
        if consume(.first) {
          item.nulls = .first
        } else if consume(.last) {
          item.nulls = .last
        } else {
          throw unexpected("FIRST or LAST after NULLS")
        }
      }
      items.append(item)
    } while consume(.comma)
    return items
  }

  // MARK: - FROM

  /// A table primary followed by any joins, left-associative.
  @inline(never)
  private mutating func parseTableReference(after context: String) throws(SQLError) -> TableReference {
    try enter()
    defer { leave() }
    let chain = beginChain()
    defer { endChain(chain) }
    var left = try parseTablePrimary(after: context)
    while true {
      let startIndex = index
      let start = current
      var natural = false
      if current.isKeyword(.natural) {
        advance()
        natural = true
      }
      let kind: Join.Kind
      switch current.keyword {
      case .join:
        kind = .inner
      case .inner:
        advance()
        kind = .inner
      case .left:
        advance()
        if consume(.semi) {
          kind = .semi
        } else if consume(.anti) {
          kind = .anti
        } else {
          _ = consume(.outer)
          kind = .left
        }
      case .right:
        advance()
        _ = consume(.outer)
        kind = .right
      case .full:
        advance()
        _ = consume(.outer)
        kind = .full
      case .cross:
        advance()
        kind = .cross
      case .semi:
        advance()
        kind = .semi
      case .anti:
        advance()
        kind = .anti
      default:
        if natural { throw unexpected("JOIN after NATURAL") }
        return left
      }
      if !current.isKeyword(.join) { throw unexpected("JOIN after \(words(from: startIndex))") }
      advance()
      let joinWords = words(from: startIndex)
      let right = try parseTablePrimary(after: joinWords)
      var condition: JoinCondition?
      if natural {
        if kind == .cross { throw SQLError(.unexpectedToken, "a CROSS JOIN cannot be NATURAL", at: start.location) }
        condition = .natural
      } else if kind != .cross {
        if consume(.on) {
          condition = .on(try parseExpression(after: "ON"))
        } else if current.isKeyword(.using) {
          advance()
          condition = .using(try parseIdentifierList("USING column list"))
        } else {
          throw unexpected("ON or USING after the joined table of the \(joinWords)")
        }
      }
      try link()
      left = .join(Join(kind, left: left, right: right, condition: condition, location: start.location))
    }
  }

  /// The words from token `start` up to the current one, in upper case: "LEFT OUTER JOIN".
  private func words(from start: Int) -> String {
    tokens[start..<index].map { $0.value.uppercased() }.joined(separator: " ")
  }

  @inline(never)
  private mutating func parseTablePrimary(after context: String) throws(SQLError) -> TableReference {
    let start = current
    if start.isSymbol(.leftParen) {
      advance()
      if current.isKeyword(.select) || current.isKeyword(.with) || atValues {
        let query = try parseQuery(after: "(")
        try expectClosing(start, "subquery")
        return .subquery(DerivedTable(query: query, alias: try parseTableAlias(), location: start.location))
      }
      // A parenthesised join, or a query that starts with a parenthesis: `((SELECT …) x JOIN y
      // ON …)`, `((SELECT …) UNION (SELECT …)) u`, `((SELECT …)) u`.
      let inner = try parseTableReference(after: "(")
      guard case .subquery(let derived) = inner, derived.alias == nil else {
        try expectClosing(start, "parenthesised join")
        return inner
      }
      var query = derived.query
      if atQueryContinuation { query = try parseQuery(continuing: .parenthesized(query)) }
      try expectClosing(start, "subquery")
      return .subquery(DerivedTable(query: query, alias: try parseTableAlias(), location: start.location))
    }
    guard atName else { throw unexpected("a table name, table function or '(' after '\(context)'") }
    let name = try parseQualifiedName("a table name")
    if current.isSymbol(.leftParen) {
      let open = advance()
      var arguments: [FunctionArgument] = []
      if !current.isSymbol(.rightParen) {
        repeat {
          arguments.append(try parseFunctionArgument(after: arguments.isEmpty ? "(" : ","))
        } while consume(.comma)
      }
      try expectClosing(open, "argument list")
      let timeTravel = try parseTimeTravel(required: false, after: "")
      return .function(
        TableFunction(
          name: name, arguments: arguments, timeTravel: timeTravel, alias: try parseTableAlias(),
          location: start.location))
    }
    let timeTravel = try parseTimeTravel(required: false, after: "")
    return .table(
      NamedTable(name: name, timeTravel: timeTravel, alias: try parseTableAlias(), location: start.location))
  }

  /// `[FOR] VERSION AS OF expr` or `[FOR] TIMESTAMP AS OF expr`; nil when absent and not required.
  @inline(never)
  mutating func parseTimeTravel(required: Bool, after context: String) throws(SQLError) -> TimeTravel? {
    var offset = 0
    if current.isKeyword(.for), peek().isKeyword(.version) || peek().isKeyword(.timestamp) { offset = 1 }
    let kind = peek(offset)
    guard kind.isKeyword(.version) || kind.isKeyword(.timestamp) else {
      if required { throw unexpected("VERSION AS OF or TIMESTAMP AS OF after '\(context)'") }
      return nil
    }
    // Without FOR or AS OF, `t version` is the table t with the alias version.
    guard required || offset == 1 || (peek(offset + 1).isKeyword(.as) && peek(offset + 2).isKeyword(.of)) else {
      return nil
    }
    for _ in 0...offset { advance() }
    let word = kind.isKeyword(.version) ? "VERSION" : "TIMESTAMP"
    try expect(.as, "AS OF after \(word)")
    try expect(.of, "OF after \(word) AS")
    let value = try parseExpression(after: "\(word) AS OF")
    return kind.isKeyword(.version) ? .version(value) : .timestamp(value)
  }

  @inline(never)
  private mutating func parseTableAlias() throws(SQLError) -> TableAlias? {
    guard let name = try parseAlias() else { return nil }
    var columns: [Identifier] = []
    if current.isSymbol(.leftParen) { columns = try parseIdentifierList("column aliases of '\(name.value)'") }
    return TableAlias(name: name, columns: columns)
  }
}
