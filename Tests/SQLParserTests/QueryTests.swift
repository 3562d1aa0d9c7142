import SQLParser
import Testing

@Suite("Queries")
struct QueryTests {
  @Test(
    "queries round-trip to their canonical form",
    arguments: [
      // Select list
      ("select * from t", "SELECT * FROM t"),
      ("SELECT t.*, s.x FROM t, s", "SELECT t.*, s.x FROM t, s"),
      ("SELECT main.t.* FROM main.t", "SELECT main.t.* FROM main.t"),
      ("SELECT * EXCLUDE (a, b) FROM t", "SELECT * EXCLUDE (a, b) FROM t"),
      ("SELECT * EXCLUDE a FROM t", "SELECT * EXCLUDE (a) FROM t"),
      ("SELECT t.* EXCLUDE (raw) FROM t", "SELECT t.* EXCLUDE (raw) FROM t"),
      ("SELECT a x, b AS y, c \"Z z\" FROM t", "SELECT a AS x, b AS y, c AS \"Z z\" FROM t"),
      ("SELECT ALL a FROM t", "SELECT a FROM t"),
      ("SELECT 1", "SELECT 1"),
      // Clauses
      ("SELECT a FROM t WHERE b GROUP BY ALL", "SELECT a FROM t WHERE b GROUP BY ALL"),
      (
        "SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > 10 ORDER BY 2 DESC",
        "SELECT a, count(*) FROM t GROUP BY 1 HAVING count(*) > 10 ORDER BY 2 DESC"
      ),
      (
        "SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts DESC) = 1",
        "SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY ts DESC) = 1"
      ),
      (
        "SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b), v AS (w ROWS 2 PRECEDING)",
        "SELECT sum(x) OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b), v AS (w ROWS 2 PRECEDING)"
      ),
      (
        "SELECT a FROM t WINDOW w AS (ORDER BY a) QUALIFY rank() OVER w < 3",
        "SELECT a FROM t QUALIFY rank() OVER w < 3 WINDOW w AS (ORDER BY a)"
      ),
      (
        "SELECT a FROM t ORDER BY a ASC NULLS FIRST, b DESC NULLS LAST, c NULLS LAST",
        "SELECT a FROM t ORDER BY a ASC NULLS FIRST, b DESC NULLS LAST, c NULLS LAST"
      ),
      ("SELECT a FROM t LIMIT 10 OFFSET 20", "SELECT a FROM t LIMIT 10 OFFSET 20"),
      ("SELECT a FROM t OFFSET 20 LIMIT 10", "SELECT a FROM t LIMIT 10 OFFSET 20"),
      ("SELECT a FROM t OFFSET 5", "SELECT a FROM t OFFSET 5"),
      // FROM
      ("SELECT * FROM logs.events", "SELECT * FROM logs.events"),
      ("SELECT * FROM \"my table\" AS \"T\"", "SELECT * FROM \"my table\" AS \"T\""),
      ("SELECT * FROM delta.`/data/events`", "SELECT * FROM delta.\"/data/events\""),
      (
        "SELECT * FROM delta.`s3://bucket/path/to/table` e WHERE e.x = 1",
        "SELECT * FROM delta.\"s3://bucket/path/to/table\" AS e WHERE e.x = 1"
      ),
      ("SELECT * FROM delta_scan('s3://b/t', version => 3)", "SELECT * FROM delta_scan('s3://b/t', version => 3)"),
      (
        "SELECT * FROM read_parquet('logs/*.parquet') AS p (a, b)",
        "SELECT * FROM read_parquet('logs/*.parquet') AS p (a, b)"
      ),
      (
        "SELECT * FROM read_parquet(['a.parquet', 'b.parquet'], hive_partitioning => true)",
        "SELECT * FROM read_parquet(['a.parquet', 'b.parquet'], hive_partitioning => TRUE)"
      ),
      ("SELECT * FROM range(10) r", "SELECT * FROM range(10) AS r"),
      ("SELECT * FROM events VERSION AS OF 3", "SELECT * FROM events VERSION AS OF 3"),
      ("SELECT * FROM events FOR VERSION AS OF 3 AS e", "SELECT * FROM events VERSION AS OF 3 AS e"),
      (
        "SELECT * FROM events TIMESTAMP AS OF '2024-05-01 00:00:00' e",
        "SELECT * FROM events TIMESTAMP AS OF '2024-05-01 00:00:00' AS e"
      ),
      (
        "SELECT * FROM events FOR TIMESTAMP AS OF TIMESTAMP '2024-05-01'",
        "SELECT * FROM events TIMESTAMP AS OF TIMESTAMP '2024-05-01'"
      ),
      ("SELECT * FROM delta.`/t` VERSION AS OF 0", "SELECT * FROM delta.\"/t\" VERSION AS OF 0"),
      ("SELECT * FROM delta_scan('/t') VERSION AS OF 2", "SELECT * FROM delta_scan('/t') VERSION AS OF 2"),
      ("SELECT * FROM t AS x (a, b)", "SELECT * FROM t AS x (a, b)"),
      ("SELECT * FROM t version", "SELECT * FROM t AS version"),
      ("SELECT * FROM (SELECT 1 AS a) sub", "SELECT * FROM (SELECT 1 AS a) AS sub"),
      ("SELECT * FROM (SELECT 1 AS a) AS sub (b)", "SELECT * FROM (SELECT 1 AS a) AS sub (b)"),
      ("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) u", "SELECT * FROM ((SELECT 1) UNION ALL (SELECT 2)) AS u"),
      // Joins
      ("SELECT * FROM a JOIN b ON a.id = b.id", "SELECT * FROM a JOIN b ON a.id = b.id"),
      ("SELECT * FROM a INNER JOIN b USING (id, ts)", "SELECT * FROM a JOIN b USING (id, ts)"),
      ("SELECT * FROM a LEFT OUTER JOIN b ON x", "SELECT * FROM a LEFT JOIN b ON x"),
      (
        "SELECT * FROM a LEFT JOIN b ON x RIGHT JOIN c ON y FULL OUTER JOIN d ON z",
        "SELECT * FROM a LEFT JOIN b ON x RIGHT JOIN c ON y FULL JOIN d ON z"
      ),
      ("SELECT * FROM a CROSS JOIN b", "SELECT * FROM a CROSS JOIN b"),
      ("SELECT * FROM a SEMI JOIN b ON a.ip = b.ip", "SELECT * FROM a SEMI JOIN b ON a.ip = b.ip"),
      ("SELECT * FROM a ANTI JOIN b USING (ip)", "SELECT * FROM a ANTI JOIN b USING (ip)"),
      ("SELECT * FROM a LEFT SEMI JOIN b USING (ip)", "SELECT * FROM a SEMI JOIN b USING (ip)"),
      ("SELECT * FROM a LEFT ANTI JOIN b USING (ip)", "SELECT * FROM a ANTI JOIN b USING (ip)"),
      ("SELECT * FROM a NATURAL JOIN b", "SELECT * FROM a NATURAL JOIN b"),
      ("SELECT * FROM a NATURAL LEFT JOIN b", "SELECT * FROM a NATURAL LEFT JOIN b"),
      ("SELECT * FROM a, b, c WHERE a.x = b.x", "SELECT * FROM a, b, c WHERE a.x = b.x"),
      (
        "SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y",
        "SELECT * FROM a JOIN (b JOIN c ON b.x = c.x) ON a.y = b.y"
      ),
      ("SELECT * FROM (a JOIN b ON p) JOIN c ON q", "SELECT * FROM a JOIN b ON p JOIN c ON q"),
      ("SELECT * FROM a l JOIN b r ON l.id = r.id", "SELECT * FROM a AS l JOIN b AS r ON l.id = r.id"),
      (
        "SELECT * FROM t1 JOIN (SELECT * FROM t2) s ON t1.a = s.a",
        "SELECT * FROM t1 JOIN (SELECT * FROM t2) AS s ON t1.a = s.a"
      ),
      // Set operations
      ("SELECT 1 UNION SELECT 2", "SELECT 1 UNION SELECT 2"),
      ("SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3", "SELECT 1 UNION ALL SELECT 2 UNION SELECT 3"),
      ("SELECT 1 EXCEPT SELECT 2 INTERSECT SELECT 3", "SELECT 1 EXCEPT SELECT 2 INTERSECT SELECT 3"),
      (
        "(SELECT 1 LIMIT 1) UNION ALL (SELECT 2 ORDER BY 1 LIMIT 1) ORDER BY 1",
        "(SELECT 1 LIMIT 1) UNION ALL (SELECT 2 ORDER BY 1 LIMIT 1) ORDER BY 1"
      ),
      (
        "SELECT a FROM x UNION (SELECT a FROM y UNION SELECT a FROM z)",
        "SELECT a FROM x UNION (SELECT a FROM y UNION SELECT a FROM z)"
      ),
      // WITH
      (
        "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b",
        "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a) SELECT * FROM b"
      ),
      (
        "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r",
        "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r"
      ),
      ("SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a)", "SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a)"),
      // Comments and case
      ("-- top hosts\nselect /* the ip */ client_ip\nFROM t -- the table\n", "SELECT client_ip FROM t"),
      ("SELECT /* nested /* comment */ still */ 1", "SELECT 1"),
    ])
  func query(sql: String, expected: String) throws {
    #expect(try canonical(sql) == expected)
  }

  @Test func securityLogColumnNames() throws {
    let select = try select("SELECT year, month, day FROM t GROUP BY year")
    #expect(select.items == ["year", "month", "day"].map { .expression(column($0), alias: nil) })
    #expect(select.groupBy == .expressions([column("year")]))
    #expect(
      try canonical("SELECT * FROM year JOIN day ON year.d = day.d") == "SELECT * FROM year JOIN day ON year.d = day.d")
  }

  @Test func groupByMatchesSelectItemsStructurally() throws {
    // What a binder needs: the same expression written twice compares and hashes equal.
    let select = try select(
      "SELECT lower(action) || '/' || direction, count(*) FROM t GROUP BY lower(action) || '/' || direction")
    guard case .expression(let item, _) = select.items[0], case .expressions(let keys) = select.groupBy else {
      Issue.record("unexpected shape")
      return
    }
    #expect(item == keys[0])
    #expect(item.location != keys[0].location)
    #expect(Set([item, keys[0]]).count == 1)
  }

  @Test func intersectBindsTighterThanUnionAndExcept() throws {
    guard case .query(let query) = try roundTrip("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4"),
      case .setOperation(let except) = query.body,
      case .setOperation(let union) = except.left,
      case .setOperation(let intersect) = union.right
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(except.op == .except)
    #expect(union.op == .union)
    #expect(intersect.op == .intersect)
    guard case .select = union.left, case .select = except.right else {
      Issue.record("unexpected operands")
      return
    }
  }

  @Test func orderByAndLimitApplyToTheWholeUnion() throws {
    guard case .query(let query) = try roundTrip("SELECT a FROM x UNION ALL SELECT a FROM y ORDER BY a LIMIT 5"),
      case .setOperation(let union) = query.body
    else {
      Issue.record("not a union")
      return
    }
    #expect(union.all)
    #expect(query.orderBy.count == 1)
    #expect(query.limit == integer(5))
  }

  @Test func joinsAssociateToTheLeft() throws {
    let select = try select("SELECT * FROM a JOIN b ON p LEFT JOIN c ON q, d")
    #expect(select.from.count == 2)
    guard case .join(let outer) = select.from[0], case .join(let inner) = outer.left else {
      Issue.record("not nested joins")
      return
    }
    #expect(outer.kind == .left)
    #expect(outer.condition == .on(column("q")))
    #expect(inner.kind == .inner)
    guard case .table(let a) = inner.left, case .table(let c) = outer.right else { return }
    #expect(a.name == QualifiedName("a"))
    #expect(c.name == QualifiedName("c"))
  }

  @Test func deltaPathTable() throws {
    let select = try select("SELECT * FROM delta.`/data/security/flows` VERSION AS OF 12 AS f")
    guard case .table(let table) = select.from[0] else { return }
    #expect(table.name.parts.map(\.value) == ["delta", "/data/security/flows"])
    #expect(table.name.parts.map(\.isQuoted) == [false, true])
    #expect(table.timeTravel == .version(integer(12)))
    #expect(table.alias == TableAlias(name: Identifier("f")))
  }

  @Test func tableFunctionArguments() throws {
    let select = try select("SELECT * FROM delta_scan('/t', version => 3)")
    guard case .function(let function) = select.from[0] else { return }
    #expect(
      function.arguments == [FunctionArgument(string("/t")), FunctionArgument(name: Identifier("version"), integer(3))])
  }

  @Test func commonTableExpressions() throws {
    guard case .query(let query) = try roundTrip("WITH a AS (SELECT 1), b (x) AS (SELECT 2) SELECT * FROM a, b") else {
      return
    }
    #expect(query.with?.tables.map(\.name.value) == ["a", "b"])
    #expect(query.with?.tables[1].columns == [Identifier("x")])
  }

  @Test func locations() throws {
    guard case .query(let query) = try SQL.parse("  SELECT a\nFROM t JOIN u ON x"),
      case .select(let select) = query.body
    else { return }
    #expect(query.location == SQLParser.SourceLocation(line: 1, column: 3, offset: 2))
    #expect(select.location == query.location)
    #expect(select.from[0].location == SQLParser.SourceLocation(line: 2, column: 8, offset: 18))
  }
}
