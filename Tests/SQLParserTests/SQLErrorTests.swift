import SQLParser
import Testing

@Suite("SQL errors")
struct SQLErrorTests {
  struct Case: Sendable, CustomStringConvertible {
    var sql: String
    var message: String
    var line: Int
    var column: Int
    var code: SQLError.Code = .unexpectedToken
    var description: String { sql }
  }

  static let cases: [Case] = [
    Case(
      sql: "SELECT ceil(x FROM t",
      message: "expected ')' to close the argument list opened at line 1, column 12, found 'FROM'", line: 1, column: 15),
    Case(sql: "SELECT 'abc", message: "unterminated string literal", line: 1, column: 8, code: .unterminated),
    Case(sql: "SELECT \"abc", message: "unterminated quoted identifier", line: 1, column: 8, code: .unterminated),
    Case(
      sql: "SELECT 1 /* never closed", message: "unterminated block comment: '/*' is never closed by '*/'", line: 1,
      column: 10, code: .unterminated),
    Case(
      sql: "SELECT a FROM t WHERE a = 1 AND",
      message: "unexpected end of input: expected an expression after 'AND'", line: 1, column: 32,
      code: .unexpectedEndOfInput),
    Case(
      sql: "SELECT a FROM t WHERE a = 1 AND FROM",
      message: "expected an expression after 'AND', found 'FROM'", line: 1, column: 33),
    Case(
      sql: "SELECT a,\n  FROM t", message: "expected an expression or '*' after ',', found 'FROM'", line: 2, column: 3),
    Case(
      sql: "SELECT *\nFROM t\nWHERE x IN (1, 2",
      message: "unexpected end of input: expected ')' to close the IN list opened at line 3, column 12", line: 3,
      column: 17, code: .unexpectedEndOfInput),
    Case(sql: "SELECT a FROM t GROUP year", message: "expected BY after GROUP, found 'year'", line: 1, column: 23),
    Case(
      sql: "SELECT * FROM select",
      message:
        "expected a table name, table function or '(' after 'FROM', found 'select' (a reserved word: write \"select\" to use it as a name)",
      line: 1, column: 15),
    Case(
      sql: "SELECT a AS from FROM t",
      message: "expected an alias after AS, found 'from' (a reserved word: write \"from\" to use it as a name)",
      line: 1,
      column: 13),
    Case(
      sql: "SELECT * FROM a LEFT JOIN b WHERE x",
      message: "expected ON or USING after the joined table of the LEFT JOIN, found 'WHERE'", line: 1, column: 29),
    Case(
      sql: "SELECT * FROM a LEFT OUTER b", message: "expected JOIN after LEFT OUTER, found 'b'", line: 1, column: 28),
    Case(
      sql: "SELECT CASE WHEN a THEN 1",
      message: "unexpected end of input: expected WHEN, ELSE or END to close the CASE opened at line 1, column 8",
      line: 1, column: 26, code: .unexpectedEndOfInput),
    Case(
      sql: "SELECT CASE END", message: "expected WHEN or an expression after 'CASE', found 'END'", line: 1, column: 13),
    Case(
      sql: "SELECT CAST(x AS foo)",
      message:
        "unknown type 'foo' (known types: BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL, VARCHAR, DATE, TIMESTAMP, TIMESTAMPTZ, BINARY, INTERVAL, and arrays such as INTEGER[])",
      line: 1, column: 18, code: .unknownType),
    Case(
      sql: "SELECT CAST(x AS DECIMAL(40, 2))", message: "DECIMAL precision must be between 1 and 38, not 40", line: 1,
      column: 18, code: .invalidLiteral),
    Case(sql: "SELECT 12abc", message: "invalid number '12abc'", line: 1, column: 8, code: .invalidLiteral),
    Case(sql: "SELECT a @ b", message: "unexpected character '@'", line: 1, column: 10, code: .invalidCharacter),
    Case(
      sql: "SELECT ‘x’",
      message: "unexpected character '‘' (a typographic quote: write strings in straight quotes, 'like this')",
      line: 1, column: 8, code: .invalidCharacter),
    Case(
      sql: "SELECT 1 SELECT 2",
      message: "expected end of input after the statement (use parseScript for several statements), found 'SELECT'",
      line: 1, column: 10),
    Case(
      sql: "",
      message:
        "unexpected end of input: expected a statement (SELECT, WITH, EXPLAIN, CREATE VIEW, OPTIMIZE, VACUUM, RESTORE, DESCRIBE or SHOW TABLES)",
      line: 1, column: 1, code: .unexpectedEndOfInput),
    Case(
      sql: "DELETE FROM t",
      message:
        "expected a statement (SELECT, WITH, EXPLAIN, CREATE VIEW, OPTIMIZE, VACUUM, RESTORE, DESCRIBE or SHOW TABLES), found 'DELETE'",
      line: 1, column: 1),
    Case(
      sql: "SELECT a FROM t LIMIT", message: "unexpected end of input: expected an expression after 'LIMIT'", line: 1,
      column: 22, code: .unexpectedEndOfInput),
    Case(sql: "SELECT x IS 5", message: "expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found '5'", line: 1, column: 13),
    Case(
      sql: "SELECT x BETWEEN 1 OR 2", message: "expected AND after the lower bound of BETWEEN, found 'OR'", line: 1,
      column: 20),
    Case(
      sql: "SELECT sum(x) OVER (ORDER BY y ROWS BETWEEN 1 PRECEDING 2 FOLLOWING)",
      message: "expected AND between the two frame bounds, found '2'", line: 1, column: 57),
    Case(
      sql: "SELECT (a, b)",
      message:
        "expected ')' to close the parenthesised expression opened at line 1, column 8, found ',' (row values such as (a, b) are not supported)",
      line: 1, column: 10),
    Case(sql: "SELECT 1 UNION 2", message: "expected SELECT or '(' after 'UNION', found '2'", line: 1, column: 16),
    Case(
      sql: "VACUUM t RETAIN 7 DAYS", message: "expected HOURS after the retention period, found 'DAYS'", line: 1,
      column: 19),
    Case(
      sql: "RESTORE t TO 5", message: "expected VERSION AS OF or TIMESTAMP AS OF after 'TO', found '5'", line: 1,
      column: 14),
    Case(sql: "OPTIMIZE t ZORDER (a)", message: "expected BY after ZORDER, found '('", line: 1, column: 19),
    Case(
      sql: "SHOW VIEWS", message: "expected TABLES after SHOW (SHOW TABLES is the only SHOW statement), found 'VIEWS'",
      line: 1, column: 6),
    Case(
      sql: "CREATE TABLE t AS SELECT 1",
      message: "expected VIEW after CREATE (CREATE VIEW is the only CREATE statement), found 'TABLE'", line: 1,
      column: 8),
    Case(sql: "SELECT \"\" FROM t", message: "empty quoted identifier", line: 1, column: 8, code: .invalidLiteral),
    Case(
      sql: "SELECT $ FROM t", message: "expected a parameter number such as $1 after '$'", line: 1, column: 8,
      code: .invalidCharacter),
    Case(sql: "SELECT 1e999", message: "number '1e999' is out of range", line: 1, column: 8, code: .invalidLiteral),
    Case(
      sql: "SELECT INTERVAL 3 EONS", message: "expected a unit such as DAY or HOUR after INTERVAL 3, found 'EONS'",
      line: 1, column: 19),
    Case(
      sql: "SELECT 1 ORDER BY a NULLS", message: "unexpected end of input: expected FIRST or LAST after NULLS", line: 1,
      column: 26, code: .unexpectedEndOfInput),
  ]

  @Test("messages and locations", arguments: cases)
  func message(_ expected: Case) throws {
    guard let error = parseError(expected.sql) else { return }
    #expect(error.message == expected.message)
    #expect(error.location.line == expected.line)
    #expect(error.location.column == expected.column)
    #expect(error.code == expected.code)
  }

  @Test func offsetsCountBytes() {
    guard let error = parseError("SELECT 'é', @") else { return }
    #expect(error.location == SQLParser.SourceLocation(line: 1, column: 13, offset: 13))
  }

  @Test func renderedShowsTheLineAndACaret() {
    let sql = "SELECT client_ip,\n       ceil(x FROM t\nWHERE a = 1"
    guard let error = parseError(sql) else { return }
    #expect(
      error.rendered(sql: sql) == """
        line 2, column 15: expected ')' to close the argument list opened at line 2, column 12, found 'FROM'
          2 |        ceil(x FROM t
            |               ^
        """)
    #expect(
      error.description
        == "line 2, column 15: expected ')' to close the argument list opened at line 2, column 12, found 'FROM'")
  }

  @Test func renderedKeepsTabsAndMarksTheEndOfInput() {
    let sql = "SELECT\ta,\n\tb AND"
    guard let error = parseError(sql) else { return }
    #expect(
      error.rendered(sql: sql) == """
        line 2, column 7: unexpected end of input: expected an expression after 'AND'
          2 | \tb AND
            | \t     ^
        """)
  }

  @Test func renderedCutsLongLines() {
    let sql = "SELECT " + (0..<100).map { "column_\($0)" }.joined(separator: ", ") + " FROM FROM"
    guard let error = parseError(sql) else { return }
    let lines = error.rendered(sql: sql).split(separator: "\n")
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("  1 | …"))
    #expect(lines[1].count < 140)
    // The caret sits under the second FROM.
    let caret = Array(lines[2]).firstIndex(of: "^")
    let text = Array(lines[1])
    let from = (0..<text.count).first { String(text[$0...].prefix(9)) == "FROM FROM" }
    #expect(caret != nil && caret == from.map { $0 + 5 })
  }

  @Test func deepNestingIsAClearError() {
    for depth in [500, 5_000] {
      let sql = "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
      guard let error = parseError(sql) else { continue }
      #expect(error.code == .nestingTooDeep)
      #expect(error.message.contains("more than"))
    }
    let subqueries = String(repeating: "SELECT * FROM (", count: 400) + "SELECT 1" + String(repeating: ")", count: 400)
    #expect(parseError(subqueries)?.code == .nestingTooDeep)
    let negations = "SELECT " + String(repeating: "NOT ", count: 1_000) + "TRUE"
    #expect(parseError(negations)?.code == .nestingTooDeep)
    let casts = "SELECT x" + String(repeating: "::int", count: 2_000)
    #expect(parseError(casts)?.code == .nestingTooDeep)
    let sums = "SELECT " + Array(repeating: "x", count: 2_000).joined(separator: " + ")
    #expect(parseError(sums)?.code == .nestingTooDeep)
    let unions = Array(repeating: "SELECT 1", count: 2_000).joined(separator: " UNION ALL ")
    #expect(parseError(unions)?.code == .nestingTooDeep)
    let joins = "SELECT * FROM t0" + (1..<2_000).map { " JOIN t\($0) USING (id)" }.joined()
    #expect(parseError(joins)?.code == .nestingTooDeep)
    // Chains of chains cannot add up past the limit either.
    let nestedSums =
      "SELECT " + String(repeating: "(", count: 40)
      + String(repeating: Array(repeating: "x", count: 50).joined(separator: " + ") + ") + ", count: 40) + "x"
    let error = parseError(nestedSums)
    #expect(error?.code == .nestingTooDeep)
    #expect(error?.message == "the statement nests expressions, joins or set operations more than 500 levels deep")
  }

  @Test func nestingLimitMessage() {
    let sql = "SELECT " + String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
    guard let error = parseError(sql) else { return }
    #expect(
      error.message == "the statement nests parentheses, subqueries or prefix operators more than 100 levels deep")
    // The query and its select item take two levels; the error points at the 100th parenthesis,
    // which would open level 101.
    #expect(error.location == SQLParser.SourceLocation(line: 1, column: 7 + 100, offset: 6 + 100))
  }

  /// Statements just inside the limits parse, print, compare and hash without exhausting the
  /// stack (these also run in debug builds, whose frames are many times larger).
  @Test(
    "statements just inside the limits round-trip",
    arguments: [
      "SELECT " + String(repeating: "(", count: 97) + "1" + String(repeating: ")", count: 97),
      "SELECT " + String(repeating: "f(", count: 97) + "1" + String(repeating: ")", count: 97),
      "SELECT " + String(repeating: "- ", count: 97) + "1",
      "SELECT " + String(repeating: "NOT ", count: 97) + "TRUE",
      "SELECT " + Array(repeating: "x", count: 495).joined(separator: " + "),
      "SELECT x" + String(repeating: "::int", count: 495),
      "SELECT CAST(" + String(repeating: "CAST(", count: 96) + "x" + String(repeating: " AS INT)", count: 97),
      Array(repeating: "SELECT 1", count: 495).joined(separator: " UNION ALL "),
      "SELECT * FROM t0" + (1..<495).map { " JOIN t\($0) USING (id)" }.joined(),
      String(repeating: "SELECT * FROM (", count: 48) + "SELECT 1" + String(repeating: ")", count: 48),
      "SELECT " + String(repeating: "(SELECT ", count: 48) + "1" + String(repeating: ")", count: 48),
      "SELECT " + String(repeating: "CASE WHEN ", count: 97) + "1" + String(repeating: " THEN 1 END", count: 97),
      "SELECT " + String(repeating: "f(", count: 96) + Array(repeating: "x", count: 395).joined(separator: " + ")
        + String(repeating: ")", count: 96),
      "SELECT " + String(repeating: "(", count: 90) + "x" + String(repeating: " + x) * 2", count: 90),
    ])
  func justInsideTheLimits(sql: String) throws {
    let statement = try roundTrip(sql)
    #expect(Set([statement, try SQL.parse(sql)]).count == 1)
  }
}
