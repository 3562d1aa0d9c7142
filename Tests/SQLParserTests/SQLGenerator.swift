/// Generates random SQL text from the grammar, for property tests: whatever it generates must
/// parse, and print back to SQL that parses to the same tree.
struct SQLGenerator<Random: RandomNumberGenerator> {
  var random: Random

  init(_ random: Random) {
    self.random = random
  }

  private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

  private mutating func pick(_ options: [String]) -> String { options.randomElement(using: &random)! }

  private mutating func list(_ count: ClosedRange<Int>, _ make: (inout Self) -> String) -> String {
    (0..<Int.random(in: count, using: &random)).map { _ in make(&self) }.joined(separator: ", ")
  }

  mutating func name() -> String {
    pick([
      "a", "b", "client_ip", "Year", "month", "day", "date", "action", "direction", "left", "version", "timestamp",
      "\"Event Time\"", "`x y`", "first", "offset", "filter", "range",
    ])
  }

  mutating func column() -> String {
    chance(30) ? "\(pick(["t", "s", "e"])).\(name())" : name()
  }

  mutating func literal() -> String {
    pick([
      "1", "42", "0", "9223372036854775808", "1.5", ".25", "1e3", "2.5E-2", "'x'", "'it''s'", "''", "TRUE", "false",
      "NULL", "DATE '2024-05-01'", "TIMESTAMP '2024-05-01 10:00'", "INTERVAL '1 day'", "INTERVAL 3 HOURS", "$1",
    ])
  }

  mutating func type() -> String {
    pick(["INT", "bigint", "VARCHAR", "DOUBLE", "DECIMAL(10, 2)", "DATE", "TIMESTAMPTZ", "STRING[]", "BOOLEAN"])
  }

  /// An expression in parentheses unless it is a name or literal: for operands that must bind
  /// tighter than anything the generator may produce (`x::T`, `BETWEEN` bounds, `LIKE` patterns).
  mutating func operand(_ depth: Int) -> String {
    if depth <= 0 || chance(30) { return chance(50) ? column() : literal() }
    return "(\(expression(depth)))"
  }

  mutating func expression(_ depth: Int) -> String {
    if depth <= 0 || chance(25) { return chance(50) ? column() : literal() }
    let d = depth - 1
    switch Int.random(in: 0..<22, using: &random) {
    case 0: return "\(expression(d)) \(pick(["+", "-", "*", "/", "%", "//", "||"])) \(expression(d))"
    case 1: return "\(expression(d)) \(pick(["=", "==", "<>", "!=", "<", "<=", ">", ">="])) \(expression(d))"
    case 2: return "\(expression(d)) \(pick(["AND", "or", "OR"])) \(expression(d))"
    case 3: return "\(pick(["NOT ", "- ", "+"]))\(expression(d))"
    case 4: return "(\(expression(d)))"
    case 5: return "\(expression(d)) IS \(pick(["", "NOT "]))\(pick(["NULL", "DISTINCT FROM \(operand(d))"]))"
    case 6: return "\(expression(d)) \(pick(["", "NOT "]))BETWEEN \(operand(d)) AND \(operand(d))"
    case 7: return "\(expression(d)) \(pick(["", "NOT "]))IN (\(list(1...3) { $0.expression(d) }))"
    case 8: return "\(expression(d)) \(pick(["", "NOT "]))IN (\(query(d)))"
    case 9: return "\(expression(d)) \(pick(["LIKE", "NOT ILIKE"])) \(operand(d))\(chance(20) ? " ESCAPE '!'" : "")"
    case 10:
      return chance(50) ? "\(operand(d))::\(type())" : "\(pick(["CAST", "TRY_CAST"]))(\(expression(d)) AS \(type()))"
    case 11:
      let operand = chance(40) ? " \(expression(d))" : ""
      let branches = (0..<Int.random(in: 1...2, using: &random)).map { _ in
        "WHEN \(expression(d)) THEN \(expression(d))"
      }
      return "CASE\(operand) \(branches.joined(separator: " "))\(chance(50) ? " ELSE \(expression(d))" : "") END"
    case 12: return "\(pick(["", "NOT "]))EXISTS (\(query(d)))"
    case 13: return "(\(query(d)))"
    case 14:
      let arguments =
        chance(20)
        ? "*" : chance(20) ? "DISTINCT \(list(1...3) { $0.expression(d) })" : list(0...3) { $0.expression(d) }
      var call = "\(pick(["count", "sum", "lower", "f", "s.g", "left", "date_trunc"]))(\(arguments))"
      if chance(20) { call += " FILTER (WHERE \(expression(d)))" }
      if chance(30) { call += " OVER \(chance(20) ? "w" : window(d))" }
      return call
    case 15: return "EXTRACT(\(pick(["year", "HOUR", "'day'"])) FROM \(expression(d)))"
    case 16: return "\(column())[\(expression(d))]"
    case 17: return "f(\(expression(d))).\(name())"
    case 18: return "[\(list(0...3) { $0.expression(d) })]"
    case 19: return "f(\(name()) => \(expression(d)))"
    case 20: return "\(expression(d)) \(pick(["~", "!~"])) \(expression(d))"
    default: return "(\(expression(d)))[1]"
    }
  }

  mutating func window(_ depth: Int) -> String {
    var parts: [String] = []
    if chance(50) { parts.append("PARTITION BY \(list(1...2) { $0.expression(depth) })") }
    if chance(60) { parts.append("ORDER BY \(orderItems(depth))") }
    if chance(40) {
      let bounds = ["UNBOUNDED PRECEDING", "1 PRECEDING", "CURRENT ROW", "2 FOLLOWING", "UNBOUNDED FOLLOWING"]
      let units = pick(["ROWS", "RANGE", "GROUPS"])
      parts.append(chance(50) ? "\(units) BETWEEN \(pick(bounds)) AND \(pick(bounds))" : "\(units) \(pick(bounds))")
    }
    return "(\(parts.joined(separator: " ")))"
  }

  mutating func orderItems(_ depth: Int) -> String {
    list(1...3) {
      "\($0.expression(depth))\($0.pick(["", " ASC", " DESC"]))\($0.pick(["", "", " NULLS FIRST", " NULLS LAST"]))"
    }
  }

  mutating func alias() -> String {
    chance(50) ? "" : " \(pick(["AS ", ""]))\(pick(["x", "y", "\"Z z\"", "year"]))"
  }

  mutating func table(_ depth: Int) -> String {
    tableReference(depth).text
  }

  /// A table reference, and whether it ends in a join (and so needs parentheses as a join's right side).
  mutating func tableReference(_ depth: Int) -> (text: String, isJoin: Bool) {
    var primary: String
    switch Int.random(in: 0..<6, using: &random) {
    case 0: primary = "logs.events"
    case 1: primary = "delta.`/data/t`\(chance(50) ? " VERSION AS OF 3" : "")"
    case 2: primary = "delta_scan('/t'\(chance(50) ? ", version => 2" : ""))"
    case 3 where depth > 0: primary = "(\(query(depth - 1)))"
    case 4: primary = "t\(chance(30) ? " FOR TIMESTAMP AS OF '2024-01-01'" : "")"
    default: primary = "read_parquet(['a', 'b'])"
    }
    primary += alias()
    if depth > 0 && chance(40) {
      let kind = pick([
        "JOIN", "INNER JOIN", "LEFT JOIN", "LEFT OUTER JOIN", "RIGHT JOIN", "FULL JOIN", "SEMI JOIN", "ANTI JOIN",
      ])
      let condition = chance(50) ? "ON \(expression(depth - 1))" : "USING (\(name()))"
      let (joined, isJoin) = tableReference(depth - 1)
      let right = isJoin ? "(\(joined))" : joined
      return (chance(15) ? "\(primary) CROSS JOIN \(right)" : "\(primary) \(kind) \(right) \(condition)", true)
    }
    return (primary, false)
  }

  mutating func select(_ depth: Int) -> String {
    var text = "SELECT \(pick(["", "DISTINCT ", "ALL "]))"
    text += list(1...3) { generator in
      switch Int.random(in: 0..<10, using: &generator.random) {
      case 0: return "*\(generator.chance(30) ? " EXCLUDE (a, b)" : "")"
      case 1: return "t.*"
      default: return generator.expression(depth) + generator.alias()
      }
    }
    if chance(80) { text += " FROM \(list(1...2) { $0.table(depth) })" }
    if chance(50) { text += " WHERE \(expression(depth))" }
    if chance(30) { text += " GROUP BY \(chance(20) ? "ALL" : list(1...2) { $0.expression(depth) })" }
    if chance(20) { text += " HAVING \(expression(depth))" }
    if chance(10) { text += " QUALIFY \(expression(depth))" }
    if chance(10) { text += " WINDOW w AS \(window(depth))" }
    return text
  }

  mutating func query(_ depth: Int) -> String {
    var text = ""
    if depth > 0 && chance(15) { text += "WITH c AS (\(query(depth - 1))) " }
    text += chance(15) && depth > 0 ? "(\(query(depth - 1)))" : select(depth)
    if depth > 0 && chance(20) {
      text += " \(pick(["UNION", "UNION ALL", "EXCEPT", "INTERSECT", "UNION DISTINCT"])) \(select(depth - 1))"
    }
    if chance(30) { text += " ORDER BY \(orderItems(depth))" }
    if chance(30) { text += " LIMIT \(Int.random(in: 1...100, using: &random))" }
    if chance(10) { text += " OFFSET 5" }
    return text
  }

  mutating func statement(_ depth: Int) -> String {
    switch Int.random(in: 0..<12, using: &random) {
    case 0: return "EXPLAIN \(pick(["", "ANALYZE "]))\(query(depth))"
    case 1: return "CREATE \(pick(["", "OR REPLACE "]))VIEW v AS \(query(depth))"
    case 2:
      return "OPTIMIZE t\(chance(50) ? " WHERE \(expression(depth))" : "")\(chance(50) ? " ZORDER BY (a, b)" : "")"
    case 3: return "VACUUM t\(chance(50) ? " RETAIN 168 HOURS" : "")\(chance(50) ? " DRY RUN" : "")"
    case 4: return "RESTORE TABLE t TO \(chance(50) ? "VERSION AS OF 3" : "TIMESTAMP AS OF '2024-01-01'")"
    case 5: return "DESCRIBE \(pick(["", "HISTORY ", "DETAIL "]))t"
    default: return query(depth)
    }
  }
}
