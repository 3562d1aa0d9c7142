import SQLParser
import Testing

@Suite("Expressions")
struct ExpressionTests {
  // MARK: - Precedence and associativity

  @Test(
    "precedence and associativity",
    arguments: [
      ("a OR b AND NOT c = d", "(a OR (b AND (NOT (c = d))))"),
      ("-x::int", "(-(x::INTEGER))"),
      ("a || b = c", "((a || b) = c)"),
      ("a - b - c", "((a - b) - c)"),
      ("a / b * c", "((a / b) * c)"),
      ("a AND b AND c OR d", "((a AND b AND c) OR d)"),
      ("a OR b OR c AND d", "(a OR b OR (c AND d))"),
      ("(a OR b) AND c", "((a OR b) AND c)"),
      ("NOT a AND b", "((NOT a) AND b)"),
      ("NOT NOT a", "(NOT (NOT a))"),
      ("a = b AND c <> d", "((a = b) AND (c <> d))"),
      ("a < b = c > d", "(((a < b) = c) > d)"),
      ("a + 1 BETWEEN b AND c + 2 AND d", "(((a + 1) BETWEEN b AND (c + 2)) AND d)"),
      ("a NOT BETWEEN 1 AND 2", "(a NOT BETWEEN 1 AND 2)"),
      ("a = b IS NULL", "((a = b) IS NULL)"),
      ("NOT a IS NOT NULL", "(NOT (a IS NOT NULL))"),
      ("a IS NOT DISTINCT FROM b + 1", "(a IS NOT DISTINCT FROM (b + 1))"),
      ("a || b LIKE c || d", "((a || b) LIKE (c || d))"),
      ("x = a NOT IN (1, 2)", "(x = (a NOT IN [1, 2]))"),
      ("-a * b", "((-a) * b)"),
      ("- - a", "(-(-a))"),
      ("a::int[]", "(a::INTEGER[])"),
      ("x[1]::text", "((x[1])::VARCHAR)"),
      ("-x[1]", "(-(x[1]))"),
      ("a ~ 'x' OR b !~ 'y'", "((a ~ 'x') OR (b !~ 'y'))"),
      ("a == b", "(a = b)"),
      ("a != b", "(a <> b)"),
    ])
  func precedence(sql: String, expected: String) throws {
    #expect(shape(try expression(sql)) == expected)
  }

  @Test func arithmeticIsLeftAssociativeByLevel() throws {
    // * / % // bind tighter than + -, and each level associates to the left.
    #expect(shape(try expression("a + b * c - d / e % f // g")) == "((a + (b * c)) - (((d / e) % f) // g))")
    #expect(shape(try expression("1 - 2 + 3")) == "((1 - 2) + 3)")
  }

  @Test func printerAddsOnlyNeededParentheses() throws {
    #expect(
      try canonical("SELECT (a + b) * c, a + (b * c), (a - b) - c, a - (b - c)")
        == "SELECT (a + b) * c, a + b * c, a - b - c, a - (b - c)")
    #expect(
      try canonical("SELECT (a AND b) AND c, a AND (b AND c), (a OR b) AND c, NOT (a = b)")
        == "SELECT (a AND b) AND c, a AND (b AND c), (a OR b) AND c, NOT a = b")
    #expect(
      try canonical("SELECT (-x)::int, -(x::int), (a = b) IS NULL, (NOT a) IS NULL")
        == "SELECT (-x)::INTEGER, -x::INTEGER, a = b IS NULL, (NOT a) IS NULL")
    #expect(
      try canonical("SELECT (a + b)[1], (s).f, (s.t).f, f(x).y, x[1].y")
        == "SELECT (a + b)[1], (s).f, (s.t).f, f(x).y, x[1].y")
  }

  @Test func andOrChainsAreFlat() throws {
    let parsed = try expression("a = 1 OR a = 2 OR a = 3 OR a = 4")
    guard case .or(let operands) = parsed.kind else {
      Issue.record("not an OR")
      return
    }
    #expect(operands.count == 4)
    // A parenthesised AND stays a nested node.
    guard case .and(let outer) = try expression("(a AND b) AND c").kind, case .and(let inner) = outer[0].kind else {
      Issue.record("not a nested AND")
      return
    }
    #expect(outer.count == 2 && inner.count == 2)
  }

  @Test func longOrChainsOfIndicatorsParse() throws {
    let terms = (0..<5_000).map { "client_ip = '10.0.\($0 / 256).\($0 % 256)'" }
    let statement = try SQL.parse("SELECT * FROM t WHERE " + terms.joined(separator: " OR "))
    #expect(try SQL.parse(statement.description) == statement)
  }

  // MARK: - Forms

  @Test(
    "expressions round-trip to their canonical form",
    arguments: [
      ("x IS NULL", "x IS NULL"),
      ("x is not null", "x IS NOT NULL"),
      ("x IS DISTINCT FROM y", "x IS DISTINCT FROM y"),
      ("x BETWEEN 1 AND 10", "x BETWEEN 1 AND 10"),
      ("x NOT BETWEEN a AND b", "x NOT BETWEEN a AND b"),
      ("x IN (1, 2, 3)", "x IN (1, 2, 3)"),
      ("x NOT IN ('a')", "x NOT IN ('a')"),
      ("x IN (SELECT y FROM t)", "x IN (SELECT y FROM t)"),
      ("x NOT IN (SELECT y FROM t WHERE z > 1)", "x NOT IN (SELECT y FROM t WHERE z > 1)"),
      ("name LIKE 'adm%'", "name LIKE 'adm%'"),
      ("name NOT ILIKE '%ROOT%' ESCAPE '!'", "name NOT ILIKE '%ROOT%' ESCAPE '!'"),
      ("path ~ '^/etc/'", "path ~ '^/etc/'"),
      ("path !~ '^/tmp/'", "path !~ '^/tmp/'"),
      ("a || '-' || b", "a || '-' || b"),
      ("a % 7 + b // 2", "a % 7 + b // 2"),
      ("+x", "+x"),
      ("x::BIGINT", "x::BIGINT"),
      ("CAST(x AS DECIMAL(10, 2))", "x::DECIMAL(10, 2)"),
      ("CAST(a + b AS INT)", "(a + b)::INTEGER"),
      ("CAST(CAST(x AS INT) AS TEXT)", "x::INTEGER::VARCHAR"),
      ("TRY_CAST(port AS INT)", "TRY_CAST(port AS INTEGER)"),
      ("CAST(x AS VARCHAR(20))", "x::VARCHAR"),
      ("CAST(x AS double precision)", "x::DOUBLE"),
      ("CAST(ts AS TIMESTAMP WITH TIME ZONE)", "ts::TIMESTAMPTZ"),
      ("CAST(ts AS timestamp_ntz)", "ts::TIMESTAMP"),
      ("CAST(tags AS STRING[][])", "tags::VARCHAR[][]"),
      ("CAST(tags AS INT[])[1]", "tags::INTEGER[][1]"),
      ("'42'::INT", "'42'::INTEGER"),
      ("DATE '2024-05-01'::VARCHAR", "DATE '2024-05-01'::VARCHAR"),
      ("- - x", "- -x"),
      ("-(-x)", "- -x"),
      ("NOT NOT x", "NOT NOT x"),
      (
        "CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END",
        "CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END"
      ),
      ("CASE action WHEN 'block' THEN 1 ELSE 0 END", "CASE action WHEN 'block' THEN 1 ELSE 0 END"),
      ("EXISTS (SELECT 1 FROM t WHERE t.a = b)", "EXISTS (SELECT 1 FROM t WHERE t.a = b)"),
      ("NOT EXISTS (SELECT 1)", "NOT EXISTS (SELECT 1)"),
      ("(SELECT max(x) FROM t)", "(SELECT max(x) FROM t)"),
      ("((SELECT 1) UNION (SELECT 2))", "((SELECT 1) UNION (SELECT 2))"),
      ("lower(name)", "lower(name)"),
      ("count(DISTINCT client_ip)", "count(DISTINCT client_ip)"),
      ("count(*) FILTER (WHERE action = 'block')", "count(*) FILTER (WHERE action = 'block')"),
      ("string_agg(x, ',' ORDER BY y DESC)", "string_agg(x, ',' ORDER BY y DESC)"),
      ("now()", "now()"),
      ("main.my_func(1)", "main.my_func(1)"),
      ("left(s, 3) || right(s, 2)", "left(s, 3) || right(s, 2)"),
      ("date_trunc('hour', event_time)", "date_trunc('hour', event_time)"),
      ("f(a, named => 2, other => 'x')", "f(a, named => 2, other => 'x')"),
      (
        "sum(x) OVER (PARTITION BY a, b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
        "sum(x) OVER (PARTITION BY a, b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
      ),
      (
        "avg(x) OVER (ORDER BY t RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING)",
        "avg(x) OVER (ORDER BY t RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING)"
      ),
      (
        "avg(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)",
        "avg(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)"
      ),
      ("sum(x) OVER (ORDER BY t ROWS UNBOUNDED PRECEDING)", "sum(x) OVER (ORDER BY t ROWS UNBOUNDED PRECEDING)"),
      (
        "sum(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW)",
        "sum(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)"
      ),
      ("rank() OVER w", "rank() OVER w"),
      ("rank() OVER (w ORDER BY x)", "rank() OVER (w ORDER BY x)"),
      ("lag(x, 1) OVER ()", "lag(x, 1) OVER ()"),
      ("EXTRACT(year FROM event_time)", "EXTRACT(year FROM event_time)"),
      ("EXTRACT('hour' FROM event_time)", "EXTRACT(hour FROM event_time)"),
      ("INTERVAL '1 day'", "INTERVAL '1 day'"),
      ("INTERVAL 3 DAY", "INTERVAL '3' DAY"),
      ("INTERVAL 90 minutes", "INTERVAL '90' MINUTE"),
      ("INTERVAL '2' HOUR", "INTERVAL '2' HOUR"),
      ("now() - INTERVAL -3 DAYS", "now() - INTERVAL '-3' DAY"),
      ("DATE '2024-05-01'", "DATE '2024-05-01'"),
      ("TIMESTAMP '2024-05-01 10:00:00'", "TIMESTAMP '2024-05-01 10:00:00'"),
      ("timestamptz '2024-05-01 10:00:00+02'", "TIMESTAMPTZ '2024-05-01 10:00:00+02'"),
      ("t.c", "t.c"),
      ("s.t.c", "s.t.c"),
      ("payload.src.ip", "payload.src.ip"),
      ("x[1]", "x[1]"),
      ("m['key']", "m['key']"),
      ("x[1][2]", "x[1][2]"),
      ("[1, 2, 3]", "[1, 2, 3]"),
      ("[]", "[]"),
      ("$1 + $2", "$1 + $2"),
      ("\"Event Time\"", "\"Event Time\""),
      ("\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""),
      ("`client ip`", "\"client ip\""),
      ("\"select\"", "\"select\""),
    ])
  func form(sql: String, expected: String) throws {
    #expect(try expression(sql).description == expected)
  }

  // MARK: - Literals

  @Test func literals() throws {
    #expect(try expression("42").kind == .literal(.integer(42)))
    #expect(try expression("9223372036854775807").kind == .literal(.integer(.max)))
    // Too large for Int64: kept exactly as a decimal.
    #expect(try expression("9223372036854775808").kind == .literal(.decimal("9223372036854775808")))
    #expect(
      try expression("123456789012345678901234567890").kind == .literal(.decimal("123456789012345678901234567890")))
    #expect(try expression("1.50").kind == .literal(.decimal("1.50")))
    #expect(try expression(".5").kind == .literal(.decimal(".5")))
    #expect(try expression("1e3").kind == .literal(.double(1000)))
    #expect(try expression("2.5E-3").kind == .literal(.double(0.0025)))
    #expect(try expression("1e+2").kind == .literal(.double(100)))
    #expect(try expression("'it''s'").kind == .literal(.string("it's")))
    #expect(try expression("''").kind == .literal(.string("")))
    #expect(try expression("TRUE").kind == .literal(.boolean(true)))
    #expect(try expression("false").kind == .literal(.boolean(false)))
    #expect(try expression("NULL").kind == .literal(.null))
    #expect(try expression("-1").kind == .unary(.minus, integer(1)))
    #expect(try expression("'multi\nline'").kind == .literal(.string("multi\nline")))
    #expect(try canonical("SELECT 1e3, 2.5E-3, 'it''s'") == "SELECT 1000e0, 0.0025e0, 'it''s'")
  }

  @Test func typeNames() throws {
    let cases: [(String, TypeName)] = [
      ("INT", .integer), ("INTEGER", .integer), ("BIGINT", .bigint), ("SMALLINT", .smallint),
      ("TINYINT", .tinyint), ("BOOLEAN", .boolean), ("DOUBLE", .double), ("FLOAT", .float), ("REAL", .float),
      ("VARCHAR", .varchar), ("STRING", .varchar), ("TEXT", .varchar), ("DATE", .date), ("TIMESTAMP", .timestamp),
      ("TIMESTAMPTZ", .timestampWithTimeZone), ("TIMESTAMP_NTZ", .timestamp),
      ("DECIMAL(38, 10)", .decimal(precision: 38, scale: 10)),
      ("DECIMAL(5)", .decimal(precision: 5, scale: nil)), ("DECIMAL", .decimal(precision: nil, scale: nil)),
      ("BINARY", .binary), ("BLOB", .binary), ("INT[]", .array(.integer)), ("interval", .interval),
    ]
    for (text, type) in cases {
      #expect(try expression("CAST(x AS \(text))").kind == .cast(column("x"), to: type, isTry: false), "\(text)")
      #expect(try expression("TRY_CAST(x AS \(text))").kind == .cast(column("x"), to: type, isTry: true), "\(text)")
      #expect(try expression("x::\(text)").kind == .cast(column("x"), to: type, isTry: false), "\(text)")
    }
  }

  // MARK: - Names

  @Test func keywordsServeAsColumnNames() throws {
    let select = try select(
      "SELECT year, month, day, date, action, direction, left, right, version, timestamp, interval, filter, over, "
        + "first, last, rows, range, partition, replace, view, tables, history, offset, limit, window, qualify FROM t GROUP BY year"
    )
    #expect(select.items.count == 26)
    for item in select.items {
      guard case .expression(let expression, nil) = item, case .column = expression.kind else {
        Issue.record("not a plain column: \(item)")
        continue
      }
    }
    #expect(
      try canonical("SELECT date FROM t WHERE date > DATE '2024-01-01' ORDER BY date")
        == "SELECT date FROM t WHERE date > DATE '2024-01-01' ORDER BY date")
    #expect(
      try canonical("SELECT interval - 1, left(x, 1), timestamp FROM t")
        == "SELECT interval - 1, left(x, 1), timestamp FROM t")
  }

  @Test func identifiersKeepTheirSpellingAndQuoting() throws {
    guard case .column(let name) = try expression("Client_IP").kind else { return }
    #expect(name.name.value == "Client_IP" && !name.name.isQuoted)
    #expect(name.name.normalized == "client_ip")
    #expect(name.name.matches("CLIENT_ip"))
    guard case .column(let quoted) = try expression("\"Client IP\"").kind else { return }
    #expect(quoted.name.value == "Client IP" && quoted.name.isQuoted)
    #expect(quoted.name.normalized == "Client IP")
  }

  @Test func locationsPointAtTheDefiningToken() throws {
    let parsed = try SQL.parseExpression("a +\n  b * c")
    #expect(parsed.location == SQLParser.SourceLocation(line: 1, column: 3, offset: 2))
    guard case .binary(.add, let left, let right) = parsed.kind else { return }
    #expect(left.location == SQLParser.SourceLocation(line: 1, column: 1, offset: 0))
    #expect(right.location == SQLParser.SourceLocation(line: 2, column: 5, offset: 8))
    // Columns count Unicode scalars; offsets count UTF-8 bytes.
    let unicode = try SQL.parseExpression("'héllo' || x")
    #expect(unicode.location == SQLParser.SourceLocation(line: 1, column: 9, offset: 9))
  }

  @Test func equalityIgnoresLocations() throws {
    let a = try SQL.parseExpression("x + 1")
    let b = try SQL.parseExpression("  x   +    1")
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(a.location != b.location)
    #expect(Set([a, b]).count == 1)
  }

  @Test func parseExpressionEntryPoint() throws {
    #expect(try SQL.parseExpression("action = 'block'").description == "action = 'block'")
    #expect(throws: SQLError.self) { try SQL.parseExpression("a b") }
  }
}
