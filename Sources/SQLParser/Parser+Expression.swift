/// Binding strengths, loosest first, as in PostgreSQL: `a OR b AND NOT c = d` is
/// `a OR (b AND (NOT (c = d)))`, `a || b = c` is `(a || b) = c`, `-x::int` is `-(x::int)`.
enum Precedence {
  static let or = 1
  static let and = 2
  static let not = 3
  /// `IS [NOT] NULL`, `IS [NOT] DISTINCT FROM`.
  static let `is` = 4
  static let comparison = 5
  /// `[NOT] BETWEEN`, `[NOT] IN`, `[NOT] LIKE`, `[NOT] ILIKE`.
  static let predicate = 6
  /// `||`, `~`, `!~`.
  static let other = 7
  static let additive = 8
  static let multiplicative = 9
  /// Prefix `-` and `+`.
  static let unary = 10
  /// `::type`, `[index]`, `.field`.
  static let postfix = 11
  static let atom = 12
}

extension Parser {
  private enum Infix {
    case binary(BinaryOperator)
    case and
    case or
    case `is`
    case predicate

    var isAnd: Bool {
      if case .and = self { true } else { false }
    }
  }

  /// The infix or postfix operator at the current token, with its precedence.
  private var infix: (Infix, Int)? {
    switch current.kind {
    case .word:
      switch current.keyword {
      case .or: return (.or, Precedence.or)
      case .and: return (.and, Precedence.and)
      case .is: return (.is, Precedence.is)
      case .between, .in, .like, .ilike: return (.predicate, Precedence.predicate)
      case .not:
        switch peek().keyword {
        case .between, .in, .like, .ilike: return (.predicate, Precedence.predicate)
        default: return nil
        }
      default: return nil
      }
    case .symbol(let symbol):
      let op: BinaryOperator
      switch symbol {
      case .equal, .doubleEqual: op = .equal
      case .notEqual, .lessGreater: op = .notEqual
      case .less: op = .less
      case .lessEqual: op = .lessOrEqual
      case .greater: op = .greater
      case .greaterEqual: op = .greaterOrEqual
      case .concat: op = .concat
      case .tilde: op = .regexMatch
      case .bangTilde: op = .notRegexMatch
      case .plus: op = .add
      case .minus: op = .subtract
      case .star: op = .multiply
      case .slash: op = .divide
      case .doubleSlash: op = .integerDivide
      case .percent: op = .modulo
      default: return nil
      }
      return (.binary(op), op.precedence)
    default:
      return nil
    }
  }

  /// An expression whose operators all bind at least as tightly as `minPrecedence`.
  ///
  /// `context` names what came before, for errors: "expected an expression after 'AND'".
  @inline(never)
  mutating func parseExpression(
    minPrecedence: Int = 0, after context: String? = nil, expecting expectation: String = "an expression"
  ) throws(SQLError) -> Expression {
    try enter()
    defer { leave() }
    let chain = beginChain()
    defer { endChain(chain) }
    var left = try parsePrefix(after: context, expecting: expectation)
    while let (op, precedence) = infix, precedence >= minPrecedence {
      let opToken = current
      switch op {
      case .and, .or:
        // The whole chain `a AND b AND c` becomes one node.
        var operands = [left]
        while current.isKeyword(op.isAnd ? .and : .or) {
          let word = advance()
          operands.append(try parseExpression(minPrecedence: precedence + 1, after: word.value))
        }
        try link()
        left = Expression(op.isAnd ? .and(operands) : .or(operands), at: opToken.location)
      case .binary(let binary):
        advance()
        let right = try parseExpression(minPrecedence: precedence + 1, after: opToken.value)
        try link()
        left = Expression(.binary(binary, left, right), at: opToken.location)
      case .is:
        left = try parseIs(left)
      case .predicate:
        left = try parsePredicate(left)
      }
    }
    return left
  }

  /// `x IS [NOT] NULL`, `x IS [NOT] DISTINCT FROM y`, `x IS [NOT] TRUE|FALSE` (read as
  /// `x IS [NOT] DISTINCT FROM TRUE|FALSE`, which has the same meaning).
  @inline(never)
  private mutating func parseIs(_ left: Expression) throws(SQLError) -> Expression {
    let isToken = advance()
    let negated = consume(.not)
    let words = negated ? "IS NOT" : "IS"
    if consume(.null) {
      try link()
      return Expression(.isNull(left, negated: negated), at: isToken.location)
    }
    if consume(.distinct) {
      try expect(.from, "FROM after \(words) DISTINCT")
      let right = try parseExpression(minPrecedence: Precedence.is + 1, after: "\(words) DISTINCT FROM")
      try link()
      return Expression(.binary(negated ? .isNotDistinctFrom : .isDistinctFrom, left, right), at: isToken.location)
    }
    if current.isKeyword(.true) || current.isKeyword(.false) {
      let token = advance()
      let value = Expression(.literal(.boolean(token.isKeyword(.true))), at: token.location)
      try link()
      return Expression(.binary(negated ? .isDistinctFrom : .isNotDistinctFrom, left, value), at: isToken.location)
    }
    throw unexpected("NULL, TRUE, FALSE or DISTINCT FROM after \(words)")
  }

  /// `[NOT] BETWEEN`, `[NOT] IN`, `[NOT] LIKE`, `[NOT] ILIKE`.
  @inline(never)
  private mutating func parsePredicate(_ left: Expression) throws(SQLError) -> Expression {
    let start = current
    let negated = consume(.not)
    let keyword = advance()
    let words = (negated ? "NOT " : "") + keyword.value.uppercased()
    let operandPrecedence = Precedence.predicate + 1
    let kind: Expression.Kind
    switch keyword.keyword {
    case .between:
      let low = try parseExpression(minPrecedence: operandPrecedence, after: words)
      try expect(.and, "AND after the lower bound of \(words)")
      let high = try parseExpression(minPrecedence: operandPrecedence, after: "AND")
      kind = .between(left, low: low, high: high, negated: negated)
    case .in:
      let open = try expect(.leftParen, "'(' after \(words)")
      if current.isKeyword(.select) || current.isKeyword(.with) {
        let query = try parseQuery()
        try expectClosing(open, "subquery of \(words)")
        kind = .inSubquery(left, query, negated: negated)
      } else {
        let values = try parseExpressionList(after: "(")
        if values.count == 1, case .subquery(let query) = values[0].kind, atQueryContinuation {
          // `x IN ((SELECT a FROM t) UNION (SELECT b FROM u))`
          let whole = try parseQuery(continuing: .parenthesized(query))
          try expectClosing(open, "subquery of \(words)")
          kind = .inSubquery(left, whole, negated: negated)
        } else {
          try expectClosing(open, "\(words) list")
          kind = .inList(left, values, negated: negated)
        }
      }
    default:
      let pattern = try parseExpression(minPrecedence: operandPrecedence, after: words)
      var escape: Expression?
      if consume(.escape) { escape = try parseExpression(minPrecedence: operandPrecedence, after: "ESCAPE") }
      kind = .like(left, pattern: pattern, escape: escape, caseInsensitive: keyword.isKeyword(.ilike), negated: negated)
    }
    try link()
    return Expression(kind, at: start.location)
  }

  /// One or more comma-separated expressions.
  @inline(never)
  mutating func parseExpressionList(after context: String) throws(SQLError) -> [Expression] {
    var expressions = [try parseExpression(after: context)]
    while consume(.comma) { expressions.append(try parseExpression(after: ",")) }
    return expressions
  }

  // MARK: - Prefix forms

  @inline(never)
  private mutating func parsePrefix(after context: String?, expecting expectation: String) throws(SQLError)
    -> Expression
  {
    let token = current
    let expression: Expression
    switch token.kind {
    case .integer:
      advance()
      expression = Expression(
        .literal(Int64(token.value).map { .integer($0) } ?? .decimal(token.value)), at: token.location)
    case .decimal:
      advance()
      expression = Expression(.literal(.decimal(token.value)), at: token.location)
    case .double:
      advance()
      guard let value = Double(token.value), value.isFinite else {
        throw SQLError(.invalidLiteral, "number '\(token.value)' is out of range", at: token.location)
      }
      expression = Expression(.literal(.double(value)), at: token.location)
    case .string:
      advance()
      expression = Expression(.literal(.string(token.value)), at: token.location)
    case .parameter:
      advance()
      expression = Expression(.parameter(Int(token.value) ?? 0), at: token.location)
    case .quotedIdentifier:
      expression = try parseName()
    case .symbol(.leftParen):
      expression = try parseParenthesized()
    case .symbol(.leftBracket):
      let open = advance()
      var elements: [Expression] = []
      if !current.isSymbol(.rightBracket) { elements = try parseExpressionList(after: "[") }
      try expectClosing(open, "list")
      expression = Expression(.list(elements), at: open.location)
    case .symbol(.minus), .symbol(.plus):
      advance()
      let operand = try parseExpression(minPrecedence: Precedence.unary, after: token.value)
      return Expression(.unary(token.isSymbol(.minus) ? .minus : .plus, operand), at: token.location)
    case .word:
      switch token.keyword {
      case .not:
        advance()
        let operand = try parseExpression(minPrecedence: Precedence.not + 1, after: token.value)
        return Expression(.unary(.not, operand), at: token.location)
      case .null:
        advance()
        expression = Expression(.literal(.null), at: token.location)
      case .true, .false:
        advance()
        expression = Expression(.literal(.boolean(token.isKeyword(.true))), at: token.location)
      case .case:
        expression = try parseCase()
      case .cast where peek().isSymbol(.leftParen), .tryCast where peek().isSymbol(.leftParen):
        expression = try parseCast()
      case .exists where peek().isSymbol(.leftParen):
        advance()
        let open = advance()
        let query = try parseQuery(after: "EXISTS (")
        try expectClosing(open, "subquery of EXISTS")
        expression = Expression(.exists(query), at: token.location)
      case .extract where peek().isSymbol(.leftParen):
        expression = try parseExtract()
      case .interval where startsIntervalLiteral:
        expression = try parseInterval()
      default:
        if peek().kind == .string, let type = TypeName.literalType(token.value) {
          advance()
          let text = advance().value
          expression = Expression(.literal(.typed(type, text)), at: token.location)
        } else if token.keyword?.isReserved ?? false {
          throw unexpected(expectation + (context.map { " after '\($0)'" } ?? ""))
        } else {
          expression = try parseName()
        }
      }
    default:
      throw unexpected(expectation + (context.map { " after '\($0)'" } ?? ""))
    }
    return try parsePostfix(expression)
  }

  /// `::type`, `[index]` and `.field` after a primary expression, left to right.
  @inline(never)
  private mutating func parsePostfix(_ base: Expression) throws(SQLError) -> Expression {
    var expression = base
    while true {
      let token = current
      if consume(.doubleColon) {
        let type = try parseTypeName(after: "::")
        try link()
        expression = Expression(.cast(expression, to: type, isTry: false), at: token.location)
      } else if current.isSymbol(.leftBracket) {
        advance()
        let index = try parseExpression(after: "[")
        try expectClosing(token, "subscript")
        try link()
        expression = Expression(.subscripted(expression, index: index), at: token.location)
      } else if current.isSymbol(.dot) {
        advance()
        let field = try parseIdentifier("a field name after '.'")
        try link()
        expression = Expression(.fieldAccess(expression, field: field), at: token.location)
      } else {
        return expression
      }
    }
  }

  /// `(expr)`, `(SELECT …)`, and `((SELECT …) UNION (SELECT …))`.
  @inline(never)
  private mutating func parseParenthesized() throws(SQLError) -> Expression {
    let open = advance()
    if current.isKeyword(.select) || current.isKeyword(.with) {
      let query = try parseQuery()
      try expectClosing(open, "subquery")
      return Expression(.subquery(query), at: open.location)
    }
    let inner = try parseExpression(after: "(")
    if case .subquery(let query) = inner.kind, atQueryContinuation {
      let whole = try parseQuery(continuing: .parenthesized(query))
      try expectClosing(open, "subquery")
      return Expression(.subquery(whole), at: open.location)
    }
    if current.isSymbol(.comma) {
      throw SQLError(
        .unexpectedToken,
        "expected ')' to close the parenthesised expression opened at \(open.location), found ','"
          + " (row values such as (a, b) are not supported)",
        at: current.location)
    }
    try expectClosing(open, "parenthesised expression")
    return inner
  }

  /// A column reference `a`, `t.a`, `t.a.b`, or a function call `f(…)`, `s.f(…)`.
  @inline(never)
  private mutating func parseName() throws(SQLError) -> Expression {
    var parts = [try parseIdentifier("a name")]
    while current.isSymbol(.dot),
      peek().kind == .quotedIdentifier || (peek().kind == .word && !(peek().keyword?.isReserved ?? false))
    {
      advance()
      parts.append(try parseIdentifier("a name after '.'"))
    }
    let name = QualifiedName(parts)
    if current.isSymbol(.leftParen) {
      return Expression(.function(try parseCall(name)), at: name.location)
    }
    return Expression(.column(name), at: name.location)
  }

  /// The parenthesised arguments and the `FILTER` and `OVER` clauses of a call.
  @inline(never)
  private mutating func parseCall(_ name: QualifiedName) throws(SQLError) -> FunctionCall {
    let open = advance()
    var call = FunctionCall(name: name)
    if consume(.star) {
      call.isStar = true
    } else if !current.isSymbol(.rightParen) {
      if consume(.distinct) { call.isDistinct = true } else { _ = consume(.all) }
      repeat {
        call.arguments.append(try parseFunctionArgument(after: call.arguments.isEmpty ? "(" : ","))
      } while consume(.comma)
      if current.isKeyword(.order) {
        advance()
        try expect(.by, "BY after ORDER")
        call.orderBy = try parseOrderByItems()
      }
    }
    try expectClosing(open, "argument list")
    try parseCallSuffix(&call)
    return call
  }

  /// `FILTER (WHERE …)` and `OVER …` after a call's arguments.
  @inline(never)
  private mutating func parseCallSuffix(_ call: inout FunctionCall) throws(SQLError) {
    if current.isKeyword(.filter), peek().isSymbol(.leftParen) {
      advance()
      let filterOpen = advance()
      try expect(.where, "WHERE after FILTER (")
      call.filter = try parseExpression(after: "WHERE")
      try expectClosing(filterOpen, "FILTER clause")
    }
    if current.isKeyword(.over) {
      let next = peek()
      if next.isSymbol(.leftParen) {
        advance()
        call.window = .specification(try parseWindowSpecification())
      } else if next.kind == .quotedIdentifier || (next.kind == .word && !(next.keyword?.isReserved ?? false)) {
        advance()
        call.window = .named(try parseIdentifier("a window name after OVER"))
      }
    }
  }

  /// `expr` or `name => expr`.
  @inline(never)
  mutating func parseFunctionArgument(after context: String) throws(SQLError) -> FunctionArgument {
    if peek().isSymbol(.arrow), atName {
      let name = try parseIdentifier("an argument name")
      let arrow = advance()
      return FunctionArgument(name: name, try parseExpression(after: arrow.value))
    }
    return FunctionArgument(try parseExpression(after: context))
  }

  /// `(… [PARTITION BY …] [ORDER BY …] [frame])`.
  @inline(never)
  mutating func parseWindowSpecification() throws(SQLError) -> WindowSpecification {
    let open = try expect(.leftParen, "'(' to open the window specification")
    var specification = WindowSpecification(location: open.location)
    if atName, ![.partition, .rows, .range, .groups].contains(current.keyword) {
      specification.baseName = try parseIdentifier("a window name")
    }
    if current.isKeyword(.partition) {
      advance()
      try expect(.by, "BY after PARTITION")
      specification.partitionBy = try parseExpressionList(after: "PARTITION BY")
    }
    if current.isKeyword(.order) {
      advance()
      try expect(.by, "BY after ORDER")
      specification.orderBy = try parseOrderByItems()
    }
    let unitsToken = current
    let units: WindowFrame.Units? =
      switch current.keyword {
      case .rows: .rows
      case .range: .range
      case .groups: .groups
      default: nil
      }
    if let units {
      advance()
      var frame = WindowFrame(units: units, start: .currentRow, location: unitsToken.location)
      if consume(.between) {
        frame.start = try parseFrameBound(after: "BETWEEN")
        try expect(.and, "AND between the two frame bounds")
        frame.end = try parseFrameBound(after: "AND")
      } else {
        frame.start = try parseFrameBound(after: units.rawValue)
      }
      specification.frame = frame
    }
    try expectClosing(open, "window specification")
    return specification
  }

  @inline(never)
  private mutating func parseFrameBound(after context: String) throws(SQLError) -> WindowFrame.Bound {
    if consume(.unbounded) {
      if consume(.preceding) { return .unboundedPreceding }
      if consume(.following) { return .unboundedFollowing }
      throw unexpected("PRECEDING or FOLLOWING after UNBOUNDED")
    }
    if current.isKeyword(.current) {
      advance()
      try expect(.row, "ROW after CURRENT")
      return .currentRow
    }
    let offset = try parseExpression(
      minPrecedence: Precedence.and + 1, after: context,
      expecting: "a frame bound (UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING)")
    if consume(.preceding) { return .preceding(offset) }
    if consume(.following) { return .following(offset) }
    throw unexpected("PRECEDING or FOLLOWING after the frame offset")
  }

  /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
  @inline(never)
  private mutating func parseCase() throws(SQLError) -> Expression {
    let start = advance()
    var caseExpression = CaseExpression(branches: [])
    if !current.isKeyword(.when) {
      caseExpression.operand = try parseExpression(after: "CASE", expecting: "WHEN or an expression")
    }
    while current.isKeyword(.when) {
      let when = advance()
      let condition = try parseExpression(after: "WHEN")
      try expect(.then, "THEN after the WHEN condition")
      let result = try parseExpression(after: "THEN")
      caseExpression.branches.append(WhenClause(condition: condition, result: result, location: when.location))
    }
    if caseExpression.branches.isEmpty { throw unexpected("WHEN after CASE") }
    if consume(.else) { caseExpression.elseResult = try parseExpression(after: "ELSE") }
    guard current.isKeyword(.end) else {
      throw unexpected("WHEN, ELSE or END to close the CASE opened at \(start.location)")
    }
    advance()
    return Expression(.caseWhen(caseExpression), at: start.location)
  }

  /// `CAST(x AS type)`, `TRY_CAST(x AS type)`.
  @inline(never)
  private mutating func parseCast() throws(SQLError) -> Expression {
    let start = advance()
    let name = start.value.uppercased()
    let open = advance()
    let value = try parseExpression(after: "\(name)(")
    try expect(.as, "AS after the value in \(name)")
    let type = try parseTypeName(after: "AS")
    try expectClosing(open, name)
    return Expression(.cast(value, to: type, isTry: start.isKeyword(.tryCast)), at: start.location)
  }

  /// `EXTRACT(field FROM x)`; the field is a word such as `year` or a string such as `'year'`.
  @inline(never)
  private mutating func parseExtract() throws(SQLError) -> Expression {
    let start = advance()
    let open = advance()
    let fieldToken = current
    guard fieldToken.kind == .word || fieldToken.kind == .quotedIdentifier || fieldToken.kind == .string else {
      throw unexpected("a field such as year or hour after EXTRACT(")
    }
    advance()
    let field = Identifier(
      fieldToken.value, isQuoted: fieldToken.kind == .quotedIdentifier, location: fieldToken.location)
    try expect(.from, "FROM after the field of EXTRACT")
    let value = try parseExpression(after: "FROM")
    try expectClosing(open, "EXTRACT")
    return Expression(.extract(field: field, from: value), at: start.location)
  }

  /// Whether `INTERVAL` at the current token starts a literal rather than naming a column.
  private var startsIntervalLiteral: Bool {
    switch peek().kind {
    case .string, .integer, .decimal: true
    case .symbol(.minus):
      [.integer, .decimal].contains(peek(2).kind) && peek(3).kind == .word && IntervalUnit(word: peek(3).value) != nil
    default: false
    }
  }

  /// `INTERVAL '1 day'`, `INTERVAL '3' DAY`, `INTERVAL 3 DAYS`, `INTERVAL -3 DAY`.
  @inline(never)
  private mutating func parseInterval() throws(SQLError) -> Expression {
    let start = advance()
    let sign = consume(.minus) ? "-" : ""
    let valueToken = current
    guard [.string, .integer, .decimal].contains(valueToken.kind) else { throw unexpected("a number after INTERVAL -") }
    advance()
    let value = sign + valueToken.value
    var unit: IntervalUnit?
    if current.kind == .word, let parsed = IntervalUnit(word: current.value) {
      advance()
      unit = parsed
    } else if valueToken.kind != .string || !sign.isEmpty {
      throw unexpected("a unit such as DAY or HOUR after INTERVAL \(value)")
    }
    return Expression(.literal(.interval(value, unit: unit)), at: start.location)
  }

  /// A type name: `INT`, `DOUBLE PRECISION`, `DECIMAL(10, 2)`, `VARCHAR(20)`,
  /// `TIMESTAMP WITH TIME ZONE`, `INT[]`.
  @inline(never)
  mutating func parseTypeName(after context: String) throws(SQLError) -> TypeName {
    let token = current
    guard token.kind == .word, var type = TypeName.simple(token.value) else {
      if token.kind == .word || token.kind == .quotedIdentifier {
        throw SQLError(
          .unknownType,
          "unknown type '\(token.value)' (known types: BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, "
            + "DECIMAL, VARCHAR, DATE, TIMESTAMP, TIMESTAMPTZ, BINARY, INTERVAL, and arrays such as INTEGER[])",
          at: token.location)
      }
      throw unexpected("a type name after '\(context)'")
    }
    advance()
    if type == .double, current.kind == .word, current.value.uppercased() == "PRECISION" { advance() }
    if type == .timestamp,
      current.isKeyword(.with) || (current.kind == .word && current.value.uppercased() == "WITHOUT")
    {
      let with = advance().isKeyword(.with)
      for word in ["TIME", "ZONE"] {
        guard current.kind == .word, current.value.uppercased() == word else {
          throw unexpected("\(word) in TIMESTAMP \(with ? "WITH" : "WITHOUT") TIME ZONE")
        }
        advance()
      }
      if with { type = .timestampWithTimeZone }
    }
    if current.isSymbol(.leftParen) {
      let open = advance()
      var numbers: [Int] = []
      repeat {
        let number = current
        guard number.kind == .integer, let value = Int(number.value) else {
          throw unexpected(numbers.isEmpty ? "a number after '\(token.value)('" : "a number after ','")
        }
        advance()
        numbers.append(value)
      } while consume(.comma)
      try expectClosing(open, "parameters of \(token.value.uppercased())")
      type = try TypeName.parameterized(type, numbers, name: token.value.uppercased(), at: token.location)
    }
    while current.isSymbol(.leftBracket), peek().isSymbol(.rightBracket) {
      advance()
      advance()
      type = .array(type)
    }
    return type
  }
}

extension TypeName {
  /// The type of a literal `type 'text'`: `DATE '2024-05-01'`, `TIMESTAMP '2024-05-01 10:00'`.
  static func literalType(_ word: String) -> TypeName? {
    switch word.uppercased() {
    case "DATE": .date
    case "TIMESTAMP", "TIMESTAMP_NTZ": .timestamp
    case "TIMESTAMPTZ", "TIMESTAMP_LTZ": .timestampWithTimeZone
    default: nil
    }
  }

  /// `type(numbers)`: DECIMAL's precision and scale, or a VARCHAR length (ignored).
  static func parameterized(_ type: TypeName, _ numbers: [Int], name: String, at location: SourceLocation)
    throws(SQLError) -> TypeName
  {
    switch type {
    case .decimal:
      guard numbers.count <= 2 else {
        throw SQLError(
          .invalidLiteral, "\(name) takes a precision and an optional scale, not \(numbers.count) numbers", at: location
        )
      }
      let precision = numbers[0]
      let scale = numbers.count == 2 ? numbers[1] : 0
      guard (1...38).contains(precision) else {
        throw SQLError(.invalidLiteral, "\(name) precision must be between 1 and 38, not \(precision)", at: location)
      }
      guard scale <= precision else {
        throw SQLError(
          .invalidLiteral, "\(name) scale \(scale) is larger than its precision \(precision)", at: location)
      }
      return .decimal(precision: precision, scale: numbers.count == 2 ? scale : nil)
    case .varchar where numbers.count == 1:
      return .varchar
    default:
      throw SQLError(.invalidLiteral, "type \(name) takes no parameters", at: location)
    }
  }
}

extension BinaryOperator {
  var precedence: Int {
    switch self {
    case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: Precedence.comparison
    case .isDistinctFrom, .isNotDistinctFrom: Precedence.is
    case .concat, .regexMatch, .notRegexMatch: Precedence.other
    case .add, .subtract: Precedence.additive
    case .multiply, .divide, .integerDivide, .modulo: Precedence.multiplicative
    }
  }
}
