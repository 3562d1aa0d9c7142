/// Prints syntax trees as canonical SQL: upper-case keywords, single spaces, names quoted only
/// when they must be, `CAST(x AS T)` for every cast, and only the parentheses that precedence
/// needs. Parsing the output gives back an equal tree.
struct SQLWriter {
  private(set) var text = ""

  private mutating func write(_ string: String) {
    text += string
  }

  /// Writes `items` separated by ", ".
  private mutating func list<T>(_ items: [T], _ writeItem: (inout SQLWriter, T) -> Void) {
    for (position, item) in items.enumerated() {
      if position > 0 { write(", ") }
      writeItem(&self, item)
    }
  }

  private mutating func names(_ names: [Identifier]) {
    write("(")
    list(names) { $0.write($1.description) }
    write(")")
  }

  // MARK: - Statements

  mutating func statement(_ statement: Statement) {
    switch statement {
    case .query(let query):
      self.query(query)
    case .explain(let explain):
      write(explain.analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ")
      query(explain.query)
    case .createView(let view):
      write(view.orReplace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ")
      write(view.name.description)
      if !view.columns.isEmpty {
        write(" ")
        names(view.columns)
      }
      write(" AS ")
      query(view.query)
    case .optimize(let optimize):
      write("OPTIMIZE \(optimize.table)")
      if let predicate = optimize.predicate {
        write(" WHERE ")
        expression(predicate)
      }
      if !optimize.zOrderBy.isEmpty {
        write(" ZORDER BY (")
        list(optimize.zOrderBy) { $0.write($1.description) }
        write(")")
        if let curve = optimize.curve { write(" USING \(curve.uppercased())") }
      }
    case .vacuum(let vacuum):
      write("VACUUM \(vacuum.table)")
      if let hours = vacuum.retentionHours {
        let number = SQLWriter.integerText(hours) ?? "\(hours)"
        write(" RETAIN \(number) HOURS")
      }
      if vacuum.dryRun { write(" DRY RUN") }
    case .restore(let restore):
      write("RESTORE TABLE \(restore.table) TO ")
      timeTravel(restore.target)
    case .describe(let describe):
      switch describe.kind {
      case .columns: write("DESCRIBE ")
      case .history: write("DESCRIBE HISTORY ")
      case .detail: write("DESCRIBE DETAIL ")
      }
      write(describe.table.description)
    case .showTables:
      write("SHOW TABLES")
    }
  }

  // MARK: - Queries

  mutating func query(_ query: Query) {
    if let with = query.with {
      write(with.isRecursive ? "WITH RECURSIVE " : "WITH ")
      list(with.tables) { writer, table in
        writer.write(table.name.description)
        if !table.columns.isEmpty {
          writer.write(" ")
          writer.names(table.columns)
        }
        writer.write(" AS (")
        writer.query(table.query)
        writer.write(")")
      }
      write(" ")
    }
    body(query.body, minPrecedence: 0)
    if !query.orderBy.isEmpty {
      write(" ORDER BY ")
      orderBy(query.orderBy)
    }
    if let limit = query.limit {
      write(" LIMIT ")
      expression(limit)
    }
    if let offset = query.offset {
      write(" OFFSET ")
      expression(offset)
    }
  }

  private mutating func body(_ body: QueryBody, minPrecedence: Int) {
    switch body {
    case .select(let select):
      self.select(select)
    case .parenthesized(let query):
      write("(")
      self.query(query)
      write(")")
    case .values(let values):
      write("VALUES ")
      list(values.rows) { writer, row in
        writer.write("(")
        writer.list(row) { $0.expression($1) }
        writer.write(")")
      }
    case .setOperation(let operation):
      let precedence = operation.op == .intersect ? 2 : 1
      if precedence < minPrecedence { write("(") }
      self.body(operation.left, minPrecedence: precedence)
      write(" \(operation.op.rawValue)\(operation.all ? " ALL" : "") ")
      self.body(operation.right, minPrecedence: precedence + 1)
      if precedence < minPrecedence { write(")") }
    }
  }

  private mutating func select(_ select: Select) {
    write(select.isDistinct ? "SELECT DISTINCT " : "SELECT ")
    list(select.items) { writer, item in
      switch item {
      case .wildcard(let wildcard):
        if let qualifier = wildcard.qualifier { writer.write("\(qualifier).") }
        writer.write("*")
        if !wildcard.excluded.isEmpty {
          writer.write(" EXCLUDE ")
          writer.names(wildcard.excluded)
        }
      case .expression(let expression, let alias):
        writer.expression(expression)
        if let alias { writer.write(" AS \(alias)") }
      }
    }
    if !select.from.isEmpty {
      write(" FROM ")
      list(select.from) { $0.tableReference($1) }
    }
    if let condition = select.whereClause {
      write(" WHERE ")
      expression(condition)
    }
    switch select.groupBy {
    case nil: break
    case .all: write(" GROUP BY ALL")
    case .expressions(let expressions):
      write(" GROUP BY ")
      list(expressions) { $0.expression($1) }
    }
    if let having = select.having {
      write(" HAVING ")
      expression(having)
    }
    if let qualify = select.qualify {
      write(" QUALIFY ")
      expression(qualify)
    }
    if !select.windows.isEmpty {
      write(" WINDOW ")
      list(select.windows) { writer, window in
        writer.write("\(window.name) AS ")
        writer.windowSpecification(window.specification)
      }
    }
  }

  private mutating func orderBy(_ items: [OrderByItem]) {
    list(items) { writer, item in
      writer.expression(item.expression)
      if let direction = item.direction { writer.write(" \(direction.rawValue)") }
      if let nulls = item.nulls { writer.write(" \(nulls.rawValue)") }
    }
  }

  // MARK: - FROM

  mutating func tableReference(_ reference: TableReference) {
    switch reference {
    case .table(let table):
      write(table.name.description)
      if let timeTravel = table.timeTravel {
        write(" ")
        self.timeTravel(timeTravel)
      }
      alias(table.alias)
    case .function(let function):
      write(function.name.description)
      arguments(function.arguments)
      if let timeTravel = function.timeTravel {
        write(" ")
        self.timeTravel(timeTravel)
      }
      alias(function.alias)
    case .subquery(let derived):
      write("(")
      query(derived.query)
      write(")")
      alias(derived.alias)
    case .join(let join):
      tableReference(join.left)
      var words = join.condition == .natural ? " NATURAL " : " "
      if join.kind != .inner { words += "\(join.kind.rawValue) " }
      write(words + "JOIN ")
      if case .join = join.right {
        write("(")
        tableReference(join.right)
        write(")")
      } else {
        tableReference(join.right)
      }
      switch join.condition {
      case .on(let condition):
        write(" ON ")
        expression(condition)
      case .using(let columns):
        write(" USING ")
        names(columns)
      case .natural, nil:
        break
      }
    }
  }

  private mutating func timeTravel(_ timeTravel: TimeTravel) {
    switch timeTravel {
    case .version(let version):
      write("VERSION AS OF ")
      expression(version)
    case .timestamp(let timestamp):
      write("TIMESTAMP AS OF ")
      expression(timestamp)
    }
  }

  private mutating func alias(_ alias: TableAlias?) {
    guard let alias else { return }
    write(" AS \(alias.name)")
    if !alias.columns.isEmpty {
      write(" ")
      names(alias.columns)
    }
  }

  private mutating func arguments(_ arguments: [FunctionArgument]) {
    write("(")
    list(arguments) { $0.argument($1) }
    write(")")
  }

  private mutating func argument(_ argument: FunctionArgument) {
    if let name = argument.name { write("\(name) => ") }
    expression(argument.value)
  }

  // MARK: - Expressions

  /// Writes `expression`, in parentheses if it binds more loosely than `minPrecedence`.
  mutating func expression(_ expression: Expression, minPrecedence: Int = 0) {
    let needsParentheses = expression.precedence < minPrecedence
    if needsParentheses { write("(") }
    unparenthesized(expression)
    if needsParentheses { write(")") }
  }

  private mutating func unparenthesized(_ node: Expression) {
    switch node.kind {
    case .literal(let literal):
      write(SQLWriter.literalText(literal))
    case .column(let name):
      write(name.description)
    case .parameter(let number):
      write("$\(number)")
    case .unary(.not, let operand):
      // `NOT NOT x` reads back as it was written: NOT takes a NOT as its operand unparenthesised.
      write("NOT ")
      expression(operand, minPrecedence: Precedence.not)
    case .unary(let op, let operand):
      write(op.rawValue)
      // `- -x`, never `--x`, which would start a comment.
      if case .unary(.minus, _) = operand.kind { write(" ") }
      if case .unary(.plus, _) = operand.kind { write(" ") }
      expression(operand, minPrecedence: Precedence.unary)
    case .binary(let op, let left, let right):
      expression(left, minPrecedence: op.precedence)
      write(" \(op.rawValue) ")
      expression(right, minPrecedence: op.precedence + 1)
    case .and(let operands):
      for (position, operand) in operands.enumerated() {
        if position > 0 { write(" AND ") }
        expression(operand, minPrecedence: Precedence.and + 1)
      }
    case .or(let operands):
      for (position, operand) in operands.enumerated() {
        if position > 0 { write(" OR ") }
        expression(operand, minPrecedence: Precedence.or + 1)
      }
    case .isNull(let operand, let negated):
      expression(operand, minPrecedence: Precedence.is)
      write(negated ? " IS NOT NULL" : " IS NULL")
    case .between(let operand, let low, let high, let negated):
      expression(operand, minPrecedence: Precedence.predicate + 1)
      write(negated ? " NOT BETWEEN " : " BETWEEN ")
      expression(low, minPrecedence: Precedence.predicate + 1)
      write(" AND ")
      expression(high, minPrecedence: Precedence.predicate + 1)
    case .inList(let operand, let values, let negated):
      expression(operand, minPrecedence: Precedence.predicate + 1)
      write(negated ? " NOT IN (" : " IN (")
      list(values) { $0.expression($1) }
      write(")")
    case .inSubquery(let operand, let subquery, let negated):
      expression(operand, minPrecedence: Precedence.predicate + 1)
      write(negated ? " NOT IN (" : " IN (")
      query(subquery)
      write(")")
    case .like(let operand, let pattern, let escape, let caseInsensitive, let negated):
      expression(operand, minPrecedence: Precedence.predicate + 1)
      write(negated ? " NOT " : " ")
      write(caseInsensitive ? "ILIKE " : "LIKE ")
      expression(pattern, minPrecedence: Precedence.predicate + 1)
      if let escape {
        write(" ESCAPE ")
        expression(escape, minPrecedence: Precedence.predicate + 1)
      }
    case .cast(let operand, let type, true):
      write("TRY_CAST(")
      expression(operand)
      write(" AS \(type))")
    case .cast(let operand, let type, false):
      // `x::T` rather than `CAST(x AS T)`: a chain of casts stays a chain, not a nest.
      expression(operand, minPrecedence: Precedence.postfix)
      write("::\(type)")
    case .caseWhen(let caseExpression):
      write("CASE")
      if let operand = caseExpression.operand {
        write(" ")
        expression(operand)
      }
      for branch in caseExpression.branches {
        write(" WHEN ")
        expression(branch.condition)
        write(" THEN ")
        expression(branch.result)
      }
      if let elseResult = caseExpression.elseResult {
        write(" ELSE ")
        expression(elseResult)
      }
      write(" END")
    case .exists(let subquery):
      write("EXISTS (")
      query(subquery)
      write(")")
    case .subquery(let subquery):
      write("(")
      query(subquery)
      write(")")
    case .function(let call):
      functionCall(call)
    case .extract(let field, let operand):
      write("EXTRACT(")
      write(field.isQuoted || !SQLWriter.isWord(field.value) ? field.description : field.value)
      write(" FROM ")
      expression(operand)
      write(")")
    case .subscripted(let base, let index):
      expression(base, minPrecedence: Precedence.postfix)
      write("[")
      expression(index)
      write("]")
    case .fieldAccess(let base, let field):
      // `(a).b`, not `a.b`, which would read back as the column a.b.
      switch base.kind {
      case .function, .subscripted, .fieldAccess, .cast(_, _, true), .caseWhen, .extract, .subquery:
        expression(base)
      default:
        write("(")
        expression(base)
        write(")")
      }
      write(".\(field)")
    case .list(let elements):
      write("[")
      list(elements) { $0.expression($1) }
      write("]")
    }
  }

  private mutating func functionCall(_ call: FunctionCall) {
    write("\(call.name)(")
    if call.isStar {
      write("*")
    } else {
      if call.isDistinct { write("DISTINCT ") }
      list(call.arguments) { $0.argument($1) }
      if !call.orderBy.isEmpty {
        write(" ORDER BY ")
        orderBy(call.orderBy)
      }
    }
    write(")")
    if let filter = call.filter {
      write(" FILTER (WHERE ")
      expression(filter)
      write(")")
    }
    switch call.window {
    case nil: break
    case .named(let name): write(" OVER \(name)")
    case .specification(let specification):
      write(" OVER ")
      windowSpecification(specification)
    }
  }

  mutating func windowSpecification(_ specification: WindowSpecification) {
    var parts: [String] = []
    if let base = specification.baseName { parts.append(base.description) }
    if !specification.partitionBy.isEmpty {
      var writer = SQLWriter()
      writer.list(specification.partitionBy) { $0.expression($1) }
      parts.append("PARTITION BY " + writer.text)
    }
    if !specification.orderBy.isEmpty {
      var writer = SQLWriter()
      writer.orderBy(specification.orderBy)
      parts.append("ORDER BY " + writer.text)
    }
    if let frame = specification.frame {
      var writer = SQLWriter()
      writer.write(frame.units.rawValue + " ")
      if let end = frame.end {
        writer.write("BETWEEN ")
        writer.frameBound(frame.start)
        writer.write(" AND ")
        writer.frameBound(end)
      } else {
        writer.frameBound(frame.start)
      }
      parts.append(writer.text)
    }
    write("(" + parts.joined(separator: " ") + ")")
  }

  private mutating func frameBound(_ bound: WindowFrame.Bound) {
    switch bound {
    case .unboundedPreceding: write("UNBOUNDED PRECEDING")
    case .unboundedFollowing: write("UNBOUNDED FOLLOWING")
    case .currentRow: write("CURRENT ROW")
    case .preceding(let offset):
      expression(offset, minPrecedence: Precedence.and + 1)
      write(" PRECEDING")
    case .following(let offset):
      expression(offset, minPrecedence: Precedence.and + 1)
      write(" FOLLOWING")
    }
  }

  // MARK: - Literals

  static func literalText(_ literal: Literal) -> String {
    switch literal {
    case .null: "NULL"
    case .boolean(let value): value ? "TRUE" : "FALSE"
    case .integer(let value): value < 0 ? "(\(value))" : String(value)
    case .decimal(let text): text
    case .double(let value): value < 0 ? "(\(doubleText(value)))" : doubleText(value)
    case .string(let text): quoted(text)
    case .typed(let type, let text): "\(type) \(quoted(text))"
    case .interval(let text, let unit): "INTERVAL \(quoted(text))" + (unit.map { " \($0.rawValue)" } ?? "")
    }
  }

  /// `value` without a fraction ("168" rather than "168.0") when it is a whole number that fits
  /// in Int64. Works on the bits, so that the module needs no libm.
  static func integerText(_ value: Double) -> String? {
    guard value.isFinite, value.magnitude < 9.0e18 else { return nil }
    guard value == 0 || Int(value.exponent) >= value.significandWidth else { return nil }
    return String(Int64(value))
  }

  /// A double with an exponent, so that it reads back as a double rather than a decimal.
  static func doubleText(_ value: Double) -> String {
    var text = "\(value)"
    if text.contains("e") { return text }
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text + "e0"
  }

  /// `text` between `quote` characters, with any `quote` in it doubled.
  static func quoted(_ text: String, with quote: Character = "'") -> String {
    var result = String(quote)
    for character in text {
      if character == quote { result.append(quote) }
      result.append(character)
    }
    result.append(quote)
    return result
  }

  /// Whether `text` is a bare word, reserved or not.
  static func isWord(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, !Lexer.isDigit(first) else { return false }
    return text.unicodeScalars.allSatisfy(Lexer.isWordScalar)
  }
}

extension Expression {
  /// How tightly the printed form of this node binds (see ``Precedence``).
  var precedence: Int {
    switch kind {
    case .or: Precedence.or
    case .and: Precedence.and
    case .unary(.not, _): Precedence.not
    case .isNull: Precedence.is
    case .binary(let op, _, _): op.precedence
    case .between, .inList, .inSubquery, .like: Precedence.predicate
    case .unary: Precedence.unary
    case .subscripted, .fieldAccess, .cast(_, _, false): Precedence.postfix
    default: Precedence.atom
    }
  }

  /// The expression as canonical SQL.
  public var description: String {
    var writer = SQLWriter()
    writer.expression(self)
    return writer.text
  }
}

extension Statement {
  /// The statement as canonical SQL, without a trailing semicolon.
  public var description: String {
    var writer = SQLWriter()
    writer.statement(self)
    return writer.text
  }
}

extension Query {
  public var description: String {
    var writer = SQLWriter()
    writer.query(self)
    return writer.text
  }
}

extension TableReference {
  public var description: String {
    var writer = SQLWriter()
    writer.tableReference(self)
    return writer.text
  }
}

extension Literal: CustomStringConvertible {
  public var description: String { SQLWriter.literalText(self) }
}
