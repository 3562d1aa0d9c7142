import SQLParser
import Testing

/// A small deterministic generator (SplitMix64), so that a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Hostile and random input must only ever produce a parse or an `SQLError`: never a crash, a
/// hang or a stack overflow. Whatever parses must also print back to SQL that parses to the same
/// tree.
@Suite("Fuzzing")
struct FuzzTests {
  static let vocabulary = [
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "QUALIFY", "WINDOW", "LIMIT", "OFFSET", "AS", "ON",
    "USING", "JOIN", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "SEMI", "ANTI", "NATURAL", "UNION", "ALL", "EXCEPT",
    "INTERSECT", "DISTINCT", "WITH", "AND", "OR", "NOT", "IS", "NULL", "TRUE", "FALSE", "IN", "BETWEEN", "LIKE",
    "ILIKE", "ESCAPE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "TRY_CAST", "EXISTS", "EXTRACT", "INTERVAL",
    "DATE", "TIMESTAMP", "VERSION", "OF", "FOR", "OVER", "PARTITION", "ROWS", "RANGE", "UNBOUNDED", "PRECEDING",
    "FOLLOWING", "CURRENT", "ROW", "FILTER", "EXCLUDE", "ASC", "DESC", "NULLS", "FIRST", "LAST", "EXPLAIN", "ANALYZE",
    "CREATE", "OR", "REPLACE", "VIEW", "OPTIMIZE", "ZORDER", "VACUUM", "RETAIN", "HOURS", "DRY", "RUN", "RESTORE",
    "TABLE", "TO", "DESCRIBE", "HISTORY", "SHOW", "TABLES", "year", "day", "a", "b", "t", "delta", "count", "f",
    "\"q id\"", "`/p`", "'str'", "'it''s'", "1", "42", "3.5", "1e3", "99999999999999999999", "$1", "(", ")", "[", "]",
    ",", ";", ".", "*", "+", "-", "/", "//", "%", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "||", "::", "=>", "~",
    "!~", "INT", "VARCHAR", "DECIMAL", "--c\n", "/* c */",
  ]

  static let validQueries =
    SeedQueryTests.seeds + [
      SeedQueryTests.s3AccessLogQuery,
      "WITH a AS (SELECT x, y FROM t WHERE x > 1), b AS (SELECT * FROM a) SELECT * FROM b UNION ALL SELECT 1, 2 ORDER BY 1 LIMIT 3",
      "SELECT CASE WHEN a BETWEEN 1 AND 2 THEN 'x' ELSE CAST(b AS DECIMAL(10, 2)) END, -x::int, s.f[1].g FROM delta.`/t` VERSION AS OF 3 AS d LEFT JOIN u USING (id) WHERE a NOT LIKE 'x%' ESCAPE '!' QUALIFY rank() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING) = 1",
      "OPTIMIZE t WHERE day = DATE '2024-01-01' ZORDER BY (a, b)",
      "EXPLAIN ANALYZE SELECT count(DISTINCT a) FILTER (WHERE b IS NOT NULL) FROM read_parquet(['x', 'y'], hive => true) p (a, b)",
    ]

  /// Random statements from the grammar must all parse and round-trip.
  @Test func generatedStatementsRoundTrip() throws {
    var generator = SQLGenerator(SplitMix64(state: 0x5017))
    for _ in 0..<1_500 {
      let sql = generator.statement(3)
      let statement: Statement
      do {
        statement = try SQL.parse(sql)
      } catch {
        Issue.record("generated SQL does not parse: \(sql)\n\(error.rendered(sql: sql))")
        continue
      }
      let printed = statement.description
      #expect(try SQL.parse(printed) == statement, "\(sql)\nprinted: \(printed)")
    }
  }

  @Test func randomTokenSoup() {
    var random = SplitMix64(state: 0xA11CE)
    for _ in 0..<3_000 {
      let count = Int.random(in: 1...40, using: &random)
      let sql = (0..<count).map { _ in Self.vocabulary.randomElement(using: &random)! }.joined(separator: " ")
      check(sql)
    }
  }

  @Test func soupStartingWithSelect() {
    var random = SplitMix64(state: 0xBEEF)
    for _ in 0..<3_000 {
      let count = Int.random(in: 1...30, using: &random)
      let sql =
        "SELECT " + (0..<count).map { _ in Self.vocabulary.randomElement(using: &random)! }.joined(separator: " ")
      check(sql)
    }
  }

  @Test func truncationsOfValidQueries() {
    for query in Self.validQueries {
      check(query)
      let characters = Array(query)
      for end in 0...characters.count {
        check(String(characters[..<end]))
      }
    }
  }

  @Test func mutationsOfValidQueries() {
    var random = SplitMix64(state: 0x5EED)
    let characters = Array("()[],;.*+-/%=<>|:!~'\"` \n$eE0123456789abcXYZé")
    for _ in 0..<3_000 {
      var text = Array(Self.validQueries.randomElement(using: &random)!)
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = Int.random(in: 0..<text.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: text.remove(at: position)
        case 1: text.insert(characters.randomElement(using: &random)!, at: position)
        default: text[position] = characters.randomElement(using: &random)!
        }
        if text.isEmpty { break }
      }
      check(String(text))
    }
  }

  @Test func randomBytes() {
    var random = SplitMix64(state: 0xB17E5)
    for _ in 0..<2_000 {
      let bytes = (0..<Int.random(in: 0...60, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
      check(String(decoding: bytes, as: UTF8.self))
    }
  }

  @Test func pathologicalShapes() {
    let shapes = [
      String(repeating: "(", count: 100_000),
      String(repeating: ")", count: 10_000),
      "SELECT " + String(repeating: "-", count: 10_000) + "1",
      "SELECT " + String(repeating: "NOT ", count: 10_000) + "1",
      "SELECT " + String(repeating: "[", count: 10_000),
      "SELECT x" + String(repeating: "[1]", count: 10_000),
      "SELECT x" + String(repeating: ".y", count: 10_000),
      "SELECT " + String(repeating: "f(", count: 10_000),
      "SELECT " + String(repeating: "CASE WHEN ", count: 10_000),
      "SELECT " + String(repeating: "a BETWEEN ", count: 10_000),
      "SELECT " + String(repeating: "EXISTS (SELECT ", count: 10_000),
      "SELECT * FROM " + String(repeating: "(", count: 10_000) + "t",
      String(repeating: "SELECT 1 UNION ", count: 10_000),
      String(repeating: "WITH a AS (", count: 10_000),
      "SELECT " + Array(repeating: "a", count: 10_000).joined(separator: " IS NULL IS NULL "),
      "SELECT " + Array(repeating: "a", count: 10_000).joined(separator: " || "),
      "SELECT " + Array(repeating: "1", count: 100_000).joined(separator: ", "),
      String(repeating: "/*", count: 10_000),
      String(repeating: "'", count: 10_001),
    ]
    for sql in shapes { check(sql) }
  }

  /// Parses `sql` (which must not crash) and, when it parses, checks the printed form.
  private func check(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let statements: [Statement]
    do {
      statements = try SQL.parseScript(sql)
    } catch {
      // Typed throws: SQLError is the only error there can be. Its location is inside the text.
      #expect(error.location.offset <= sql.utf8.count, "\(sql)", sourceLocation: sourceLocation)
      _ = error.rendered(sql: sql)
      return
    }
    for statement in statements {
      let printed = statement.description
      do {
        let reparsed = try SQL.parse(printed)
        #expect(reparsed == statement, "\(sql)\nprinted: \(printed)", sourceLocation: sourceLocation)
      } catch {
        Issue.record(
          "printed form does not parse: \(sql)\nprinted: \(printed)\n\(error)", sourceLocation: sourceLocation)
      }
    }
  }
}
