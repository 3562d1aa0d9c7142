/// Entry points of the SQL parser: text in, syntax tree (or a precise ``SQLError``) out.
///
///     let statement = try SQL.parse("SELECT client_ip, count(*) FROM events GROUP BY ALL")
///     print(statement)  // canonical SQL; parsing it again gives an equal tree
///
/// The dialect follows DuckDB, with the Spark and Delta Lake forms that lakehouse users type:
///
/// - Statements: queries; `EXPLAIN [ANALYZE]`; `CREATE [OR REPLACE] VIEW`; `OPTIMIZE t [WHERE …]
///   [ZORDER BY (…)]`; `VACUUM t [RETAIN n HOURS] [DRY RUN]`; `RESTORE [TABLE] t TO VERSION AS OF n`
///   (or `TIMESTAMP AS OF 'ts'`); `DESCRIBE [HISTORY | DETAIL] t`; `SHOW TABLES`.
/// - Queries: `WITH`, `UNION [ALL]`, `EXCEPT`, `INTERSECT` (tighter), parenthesised queries,
///   `SELECT [DISTINCT]` with `*`, `t.*`, `* EXCLUDE (…)`, `FROM` tables, ``delta.`/path` ``,
///   table functions with named arguments, `VERSION AS OF` / `TIMESTAMP AS OF`, subqueries, all
///   joins including `SEMI` and `ANTI`, `WHERE`, `GROUP BY [ALL]`, `HAVING`, `QUALIFY`, `WINDOW`,
///   `ORDER BY … NULLS FIRST|LAST`, `LIMIT`, `OFFSET`.
/// - Expressions with PostgreSQL's precedence: `OR` < `AND` < `NOT` < `IS` < comparisons <
///   `BETWEEN`/`IN`/`LIKE` < `||`, `~` < `+ -` < `* / % //` < unary `-` < `::`, `[ ]`, `.`.
///
/// Keywords are case-insensitive, and only the reserved ones (`SELECT`, `FROM`, `WHERE`, `AND`,
/// …; see the error message when one is misused) need quotes to serve as names: `year`, `date`,
/// `action`, `left` or `version` are ordinary column names.
///
/// Nesting is limited to 100 levels of parentheses, subqueries, calls and prefix operators, and
/// trees to a height of 500 (so chains such as `a + b + …`, `UNION ALL` and joins to about 500
/// links); `AND`, `OR`, `IN` lists and select lists are flat and unlimited. Within these limits
/// parsing, printing, comparing and hashing a tree need under 512 KB of stack in release builds.
public enum SQL {
  /// Parses exactly one statement; a trailing semicolon is allowed.
  public static func parse(_ text: String) throws(SQLError) -> Statement {
    var parser = try Parser(text)
    return try parser.parseSingleStatement()
  }

  /// Parses statements separated by semicolons; empty statements are skipped, so an empty text
  /// gives no statements.
  public static func parseScript(_ text: String) throws(SQLError) -> [Statement] {
    var parser = try Parser(text)
    return try parser.parseStatements()
  }

  /// Parses one expression, such as a filter given on a command line: `action = 'block'`.
  public static func parseExpression(_ text: String) throws(SQLError) -> Expression {
    var parser = try Parser(text)
    let expression = try parser.parseExpression()
    guard parser.current.kind == .end else { throw parser.unexpected("end of input after the expression") }
    return expression
  }
}
