/// A recursive-descent parser over the tokens of one text. Expressions are parsed by precedence
/// climbing; the other parts of the grammar by one function each.
///
/// Two limits keep hostile input from exhausting the stack: ``maxNesting`` bounds how deeply the
/// parser's own functions recurse (parentheses, subqueries, calls, prefix operators), and
/// ``maxDepth`` bounds the height of the tree it builds, counting left-nested operator chains
/// such as `a + b + c` too, so that whatever walks the tree recursively later is safe as well.
/// `AND`, `OR`, `IN` lists and comma lists are flat and cost nothing.
struct Parser {
  static let maxNesting = 100
  static let maxDepth = 500

  let tokens: [Token]
  private(set) var index = 0
  /// Recursion depth of the parse functions.
  private var nesting = 0
  /// Tree height accounting: `level` counts recursive entries; `peak` is the highest level or
  /// chain link reached since the innermost ``beginChain()``, so that `peak - level` bounds the
  /// height of the subtree being built.
  private var level = 0
  private var peak = 0

  init(_ text: String) throws(SQLError) {
    tokens = try Lexer.tokens(of: text)
  }

  // MARK: - Statements

  /// Exactly one statement, optionally followed by semicolons.
  @inline(never)
  mutating func parseSingleStatement() throws(SQLError) -> Statement {
    while consume(.semicolon) {}
    let statement = try parseStatement()
    while consume(.semicolon) {}
    guard current.kind == .end else {
      if startsStatement(current) {
        throw unexpected("end of input after the statement (use parseScript for several statements)")
      }
      throw unexpected("end of input after the statement")
    }
    return statement
  }

  /// Statements separated by semicolons; empty statements are skipped.
  @inline(never)
  mutating func parseStatements() throws(SQLError) -> [Statement] {
    var statements: [Statement] = []
    while true {
      while consume(.semicolon) {}
      if current.kind == .end { return statements }
      statements.append(try parseStatement())
      if current.kind != .end && !current.isSymbol(.semicolon) {
        throw unexpected("';' or end of input after the statement")
      }
    }
  }

  private func startsStatement(_ token: Token) -> Bool {
    switch token.keyword {
    case .select, .with, .explain, .create, .optimize, .vacuum, .restore, .describe, .desc, .show: true
    default: token.isSymbol(.leftParen)
    }
  }

  @inline(never)
  mutating func parseStatement() throws(SQLError) -> Statement {
    let start = current
    switch current.keyword {
    case .select, .with:
      return .query(try parseQuery())
    case .explain:
      advance()
      let analyze = consume(.analyze)
      let query = try parseQuery(after: analyze ? "EXPLAIN ANALYZE" : "EXPLAIN")
      return .explain(Explain(analyze: analyze, query: query, location: start.location))
    case .create:
      return .createView(try parseCreateView())
    case .optimize:
      return .optimize(try parseOptimize())
    case .vacuum:
      return .vacuum(try parseVacuum())
    case .restore:
      return .restore(try parseRestore())
    case .describe, .desc:
      advance()
      var kind = Describe.Kind.columns
      // `DESCRIBE history` describes a table named history; `DESCRIBE HISTORY t` its history.
      if current.isKeyword(.history) || current.isKeyword(.detail),
        peek().kind == .word || peek().kind == .quotedIdentifier
      {
        kind = advance().isKeyword(.history) ? .history : .detail
      }
      let table = try parseQualifiedName("a table name after \(start.value.uppercased())")
      return .describe(Describe(kind, table: table, location: start.location))
    case .show:
      advance()
      try expect(.tables, "TABLES after SHOW (SHOW TABLES is the only SHOW statement)")
      return .showTables(ShowTables(location: start.location))
    default:
      if start.isSymbol(.leftParen) { return .query(try parseQuery()) }
      throw unexpected(
        "a statement (SELECT, WITH, EXPLAIN, CREATE VIEW, OPTIMIZE, VACUUM, RESTORE, DESCRIBE or SHOW TABLES)")
    }
  }

  @inline(never)
  private mutating func parseCreateView() throws(SQLError) -> CreateView {
    let start = advance()
    var orReplace = false
    if consume(.or) {
      try expect(.replace, "REPLACE after CREATE OR")
      orReplace = true
    }
    try expect(.view, "VIEW after CREATE\(orReplace ? " OR REPLACE" : "") (CREATE VIEW is the only CREATE statement)")
    let name = try parseQualifiedName("a view name after VIEW")
    var columns: [Identifier] = []
    if current.isSymbol(.leftParen) { columns = try parseIdentifierList("view's column list") }
    try expect(.as, "AS before the view's query")
    let query = try parseQuery(after: "AS")
    return CreateView(orReplace: orReplace, name: name, columns: columns, query: query, location: start.location)
  }

  @inline(never)
  private mutating func parseOptimize() throws(SQLError) -> Optimize {
    let start = advance()
    let table = try parseQualifiedName("a table name after OPTIMIZE")
    var predicate: Expression?
    if consume(.where) { predicate = try parseExpression(after: "WHERE") }
    var zOrderBy: [QualifiedName] = []
    if consume(.zorder) {
      try expect(.by, "BY after ZORDER")
      if current.isSymbol(.leftParen) {
        let open = advance()
        repeat {
          zOrderBy.append(try parseQualifiedName("a column name in ZORDER BY"))
        } while consume(.comma)
        try expectClosing(open, "ZORDER BY column list")
      } else {
        repeat {
          zOrderBy.append(try parseQualifiedName("a column name in ZORDER BY"))
        } while consume(.comma)
      }
    }
    var curve: String?
    if !zOrderBy.isEmpty, consume(.using) {
      let word = current
      guard word.kind == .word, ["hilbert", "zorder"].contains(word.value.lowercased()) else {
        throw unexpected("HILBERT or ZORDER after USING")
      }
      advance()
      curve = word.value.lowercased()
    }
    return Optimize(table: table, predicate: predicate, zOrderBy: zOrderBy, curve: curve, location: start.location)
  }

  @inline(never)
  private mutating func parseVacuum() throws(SQLError) -> Vacuum {
    let start = advance()
    let table = try parseQualifiedName("a table name after VACUUM")
    var hours: Double?
    if consume(.retain) {
      let number = current
      switch number.kind {
      case .integer, .decimal, .double:
        advance()
        guard let value = Double(number.value) else {
          throw SQLError(.invalidLiteral, "invalid number of hours '\(number.value)'", at: number.location)
        }
        hours = value
      default:
        throw unexpected("a number of hours after RETAIN")
      }
      try expect(.hours, "HOURS after the retention period")
    }
    var dryRun = false
    if consume(.dry) {
      try expect(.run, "RUN after DRY")
      dryRun = true
    }
    return Vacuum(table: table, retentionHours: hours, dryRun: dryRun, location: start.location)
  }

  @inline(never)
  private mutating func parseRestore() throws(SQLError) -> Restore {
    let start = advance()
    // `RESTORE TABLE t` or `RESTORE t`, even for a table named `table` when quoted.
    if current.isKeyword(.table), peek().kind == .word || peek().kind == .quotedIdentifier { advance() }
    let table = try parseQualifiedName("a table name after RESTORE")
    let hasTo = consume(.to)
    guard let target = try parseTimeTravel(required: true, after: hasTo ? "TO" : table.description) else {
      throw unexpected("VERSION AS OF or TIMESTAMP AS OF")
    }
    return Restore(table: table, target: target, location: start.location)
  }

  // MARK: - Tokens

  var current: Token { tokens[index] }

  func peek(_ offset: Int = 1) -> Token {
    let position = index + offset
    return position < tokens.count ? tokens[position] : tokens[tokens.count - 1]
  }

  @discardableResult
  mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  mutating func consume(_ keyword: Keyword) -> Bool {
    guard current.isKeyword(keyword) else { return false }
    advance()
    return true
  }

  mutating func consume(_ symbol: Symbol) -> Bool {
    guard current.isSymbol(symbol) else { return false }
    advance()
    return true
  }

  /// Consumes `keyword` or throws "expected `expectation`, found …".
  @discardableResult
  mutating func expect(_ keyword: Keyword, _ expectation: @autoclosure () -> String) throws(SQLError) -> Token {
    guard current.isKeyword(keyword) else { throw unexpected(expectation()) }
    return advance()
  }

  @discardableResult
  mutating func expect(_ symbol: Symbol, _ expectation: @autoclosure () -> String) throws(SQLError) -> Token {
    guard current.isSymbol(symbol) else { throw unexpected(expectation()) }
    return advance()
  }

  /// Consumes the bracket that closes `opening`, or throws "expected ')' to close the `construct`
  /// opened at line 1, column 12, found …".
  mutating func expectClosing(_ opening: Token, _ construct: @autoclosure () -> String) throws(SQLError) {
    let closing: Symbol = opening.isSymbol(.leftBracket) ? .rightBracket : .rightParen
    guard current.isSymbol(closing) else {
      throw unexpected("'\(closing.rawValue)' to close the \(construct()) opened at \(opening.location)")
    }
    advance()
  }

  /// "expected `expectation`, found 'x'" at the current token, or "unexpected end of input:
  /// expected `expectation`" at the end of the text.
  @inline(never)
  func unexpected(_ expectation: String) -> SQLError {
    if current.kind == .end {
      return SQLError(.unexpectedEndOfInput, "unexpected end of input: expected \(expectation)", at: current.location)
    }
    var message = "expected \(expectation), found \(current.quoted)"
    if let keyword = current.keyword, keyword.isReserved, expectation.contains("name") || expectation.contains("alias")
    {
      message += " (a reserved word: write \"\(current.value)\" to use it as a name)"
    }
    return SQLError(.unexpectedToken, message, at: current.location)
  }

  // MARK: - Depth limits

  /// Enters one level of recursion; pair with ``leave()``.
  mutating func enter() throws(SQLError) {
    guard nesting < Parser.maxNesting else {
      throw SQLError(
        .nestingTooDeep,
        "the statement nests parentheses, subqueries or prefix operators more than \(Parser.maxNesting) levels deep",
        at: current.location)
    }
    nesting += 1
    level += 1
    peak = max(peak, level)
  }

  mutating func leave() {
    nesting -= 1
    level -= 1
  }

  /// Starts measuring the height of a left-nested chain (`a + b + c`, `x UNION y UNION z`,
  /// `a JOIN b JOIN c`); pass the result to ``endChain(_:)``.
  mutating func beginChain() -> Int {
    let saved = peak
    peak = level
    return saved
  }

  /// Puts one more node of a chain on top of everything measured since ``beginChain()``.
  mutating func link() throws(SQLError) {
    guard peak < Parser.maxDepth else {
      throw SQLError(
        .nestingTooDeep,
        "the statement nests expressions, joins or set operations more than \(Parser.maxDepth) levels deep",
        at: current.location)
    }
    peak += 1
  }

  mutating func endChain(_ saved: Int) {
    peak = max(peak, saved)
  }

  // MARK: - Names

  /// Whether the current token can be a name: a quoted identifier or a word that is not reserved.
  var atName: Bool {
    switch current.kind {
    case .quotedIdentifier: true
    case .word: !(current.keyword?.isReserved ?? false)
    default: false
    }
  }

  @inline(never)
  mutating func parseIdentifier(_ expectation: String) throws(SQLError) -> Identifier {
    guard atName else { throw unexpected(expectation) }
    let token = advance()
    return Identifier(token.value, isQuoted: token.kind == .quotedIdentifier, location: token.location)
  }

  @inline(never)
  mutating func parseQualifiedName(_ expectation: String) throws(SQLError) -> QualifiedName {
    var parts = [try parseIdentifier(expectation)]
    while current.isSymbol(.dot) {
      advance()
      parts.append(try parseIdentifier("a name after '.'"))
    }
    return QualifiedName(parts)
  }

  /// `(a, b, c)`: one or more names in parentheses.
  @inline(never)
  mutating func parseIdentifierList(_ construct: String) throws(SQLError) -> [Identifier] {
    let open = try expect(.leftParen, "'(' to open the \(construct)")
    var names: [Identifier] = []
    repeat {
      names.append(try parseIdentifier(names.isEmpty ? "a column name after '('" : "a column name after ','"))
    } while consume(.comma)
    try expectClosing(open, construct)
    return names
  }
}
