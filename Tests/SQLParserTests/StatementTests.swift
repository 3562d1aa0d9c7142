import SQLParser
import Testing

@Suite("Statements")
struct StatementTests {
  @Test(
    "statements round-trip to their canonical form",
    arguments: [
      ("EXPLAIN SELECT * FROM t", "EXPLAIN SELECT * FROM t"),
      ("explain analyze SELECT count(*) FROM t WHERE x = 1", "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE x = 1"),
      ("EXPLAIN WITH a AS (SELECT 1) SELECT * FROM a", "EXPLAIN WITH a AS (SELECT 1) SELECT * FROM a"),
      (
        "CREATE VIEW blocked AS SELECT * FROM fw WHERE action = 'block'",
        "CREATE VIEW blocked AS SELECT * FROM fw WHERE action = 'block'"
      ),
      ("CREATE OR REPLACE VIEW logs.v (a, b) AS SELECT 1, 2", "CREATE OR REPLACE VIEW logs.v (a, b) AS SELECT 1, 2"),
      ("OPTIMIZE events", "OPTIMIZE events"),
      ("OPTIMIZE events WHERE date >= '2024-01-01'", "OPTIMIZE events WHERE date >= '2024-01-01'"),
      (
        "OPTIMIZE delta.`/data/events` ZORDER BY (client_ip, event_time)",
        "OPTIMIZE delta.\"/data/events\" ZORDER BY (client_ip, event_time)"
      ),
      (
        "OPTIMIZE events WHERE year = 2024 ZORDER BY client_ip, payload.src",
        "OPTIMIZE events WHERE year = 2024 ZORDER BY (client_ip, payload.src)"
      ),
      ("VACUUM events", "VACUUM events"),
      ("VACUUM events RETAIN 168 HOURS", "VACUUM events RETAIN 168 HOURS"),
      ("VACUUM events RETAIN 0.5 HOURS DRY RUN", "VACUUM events RETAIN 0.5 HOURS DRY RUN"),
      ("VACUUM delta.`/t` DRY RUN", "VACUUM delta.\"/t\" DRY RUN"),
      ("RESTORE TABLE events TO VERSION AS OF 5", "RESTORE TABLE events TO VERSION AS OF 5"),
      ("RESTORE events TO TIMESTAMP AS OF '2024-05-01'", "RESTORE TABLE events TO TIMESTAMP AS OF '2024-05-01'"),
      ("RESTORE TABLE delta.`/t` VERSION AS OF 1", "RESTORE TABLE delta.\"/t\" TO VERSION AS OF 1"),
      ("DESCRIBE events", "DESCRIBE events"),
      ("DESC logs.events", "DESCRIBE logs.events"),
      ("DESCRIBE HISTORY events", "DESCRIBE HISTORY events"),
      ("DESCRIBE DETAIL delta.`/t`", "DESCRIBE DETAIL delta.\"/t\""),
      ("DESCRIBE history", "DESCRIBE history"),
      ("SHOW TABLES", "SHOW TABLES"),
      ("show tables;", "SHOW TABLES"),
    ])
  func statement(sql: String, expected: String) throws {
    #expect(try canonical(sql) == expected)
  }

  @Test func maintenanceTrees() throws {
    #expect(
      try SQL.parse("OPTIMIZE logs.flows WHERE day = '2024-05-01' ZORDER BY (src, dst)")
        == .optimize(
          Optimize(
            table: QualifiedName("logs", "flows"),
            predicate: Expression(.binary(.equal, column("day"), string("2024-05-01"))),
            zOrderBy: [QualifiedName("src"), QualifiedName("dst")])))
    #expect(
      try SQL.parse("VACUUM flows RETAIN 24 HOURS DRY RUN")
        == .vacuum(Vacuum(table: QualifiedName("flows"), retentionHours: 24, dryRun: true)))
    #expect(
      try SQL.parse("RESTORE flows TO VERSION AS OF 7")
        == .restore(Restore(table: QualifiedName("flows"), target: .version(integer(7)))))
    #expect(try SQL.parse("DESCRIBE HISTORY flows") == .describe(Describe(.history, table: QualifiedName("flows"))))
    #expect(try SQL.parse("SHOW TABLES") == .showTables(ShowTables()))
    guard case .explain(let explain) = try SQL.parse("EXPLAIN ANALYZE SELECT 1") else {
      Issue.record("not an EXPLAIN")
      return
    }
    #expect(explain.analyze)
  }

  @Test func scripts() throws {
    let statements = try SQL.parseScript(
      """
      -- nightly maintenance
      OPTIMIZE flows ZORDER BY (src);
      VACUUM flows RETAIN 168 HOURS;;
      SELECT count(*) FROM flows;
      """)
    #expect(statements.count == 3)
    guard case .optimize = statements[0], case .vacuum = statements[1], case .query = statements[2] else {
      Issue.record("wrong statements: \(statements)")
      return
    }
    #expect(try SQL.parseScript("").isEmpty)
    #expect(try SQL.parseScript(" ; ; -- nothing\n").isEmpty)
    #expect(try SQL.parseScript("SELECT 1").count == 1)
  }

  @Test func scriptErrorsNameTheStatementBoundary() {
    do {
      _ = try SQL.parseScript("SELECT 1;\nSELECT 2 3;")
      Issue.record("expected an error")
    } catch {
      #expect(error.message == "expected ';' or end of input after the statement, found '3'")
      #expect(error.location.line == 2 && error.location.column == 10)
    }
  }

  @Test func singleStatementAllowsTrailingSemicolons() throws {
    #expect(try SQL.parse("SELECT 1;") == SQL.parse("SELECT 1"))
    #expect(try SQL.parse("SELECT 1 ; ; ") == SQL.parse("SELECT 1"))
  }
}
