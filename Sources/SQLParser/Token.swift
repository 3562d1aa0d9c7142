/// One token of SQL text.
struct Token: Sendable {
  enum Kind: Sendable, Equatable {
    /// A bare word: a keyword or an unquoted identifier.
    case word
    /// `"name"` or `` `name` ``.
    case quotedIdentifier
    /// `'text'`.
    case string
    /// Digits only.
    case integer
    /// Digits with a point, no exponent.
    case decimal
    /// A number with an exponent.
    case double
    /// `$1`.
    case parameter
    case symbol(Symbol)
    /// The end of the text; always the last token.
    case end
  }

  var kind: Kind
  /// Words as written; quoted identifiers and strings without quotes, doubled quotes undoubled;
  /// numbers as written; parameters as their digits.
  var value: String
  /// The keyword a word spells, if any.
  var keyword: Keyword?
  var location: SourceLocation

  func isKeyword(_ keyword: Keyword) -> Bool { self.keyword == keyword }

  func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }

  /// The token as an error message names it: `'FROM'`, `')'`, `string 'abc'`, `end of input`.
  var quoted: String {
    switch kind {
    case .word, .integer, .decimal, .double: "'\(Token.shortened(value))'"
    case .quotedIdentifier: "'\"\(Token.shortened(value))\"'"
    case .string: "string '\(Token.shortened(value))'"
    case .parameter: "'$\(value)'"
    case .symbol(let symbol): "'\(symbol.rawValue)'"
    case .end: "end of input"
    }
  }

  private static func shortened(_ text: String) -> String {
    text.count > 40 ? text.prefix(37) + "..." : text
  }
}

enum Symbol: String, Sendable {
  case leftParen = "("
  case rightParen = ")"
  case leftBracket = "["
  case rightBracket = "]"
  case comma = ","
  case semicolon = ";"
  case dot = "."
  case star = "*"
  case plus = "+"
  case minus = "-"
  case slash = "/"
  case doubleSlash = "//"
  case percent = "%"
  case equal = "="
  case doubleEqual = "=="
  case notEqual = "!="
  case lessGreater = "<>"
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case concat = "||"
  case doubleColon = "::"
  case arrow = "=>"
  case tilde = "~"
  case bangTilde = "!~"
}

/// Words with a meaning in the grammar. Only the ``isReserved`` ones cannot be used as names
/// without quotes; the others (`YEAR`, `LEFT`, `VERSION`, `FILTER`, …) are names wherever the
/// grammar does not expect the keyword.
enum Keyword: String, Sendable, CaseIterable {
  case all = "ALL"
  case analyze = "ANALYZE"
  case and = "AND"
  case anti = "ANTI"
  case `as` = "AS"
  case asc = "ASC"
  case between = "BETWEEN"
  case by = "BY"
  case `case` = "CASE"
  case cast = "CAST"
  case create = "CREATE"
  case cross = "CROSS"
  case current = "CURRENT"
  case desc = "DESC"
  case describe = "DESCRIBE"
  case detail = "DETAIL"
  case distinct = "DISTINCT"
  case dry = "DRY"
  case `else` = "ELSE"
  case end = "END"
  case escape = "ESCAPE"
  case except = "EXCEPT"
  case exclude = "EXCLUDE"
  case exists = "EXISTS"
  case explain = "EXPLAIN"
  case extract = "EXTRACT"
  case `false` = "FALSE"
  case filter = "FILTER"
  case first = "FIRST"
  case following = "FOLLOWING"
  case `for` = "FOR"
  case from = "FROM"
  case full = "FULL"
  case group = "GROUP"
  case groups = "GROUPS"
  case having = "HAVING"
  case history = "HISTORY"
  case hours = "HOURS"
  case ilike = "ILIKE"
  case `in` = "IN"
  case inner = "INNER"
  case intersect = "INTERSECT"
  case interval = "INTERVAL"
  case `is` = "IS"
  case join = "JOIN"
  case last = "LAST"
  case left = "LEFT"
  case like = "LIKE"
  case limit = "LIMIT"
  case natural = "NATURAL"
  case not = "NOT"
  case null = "NULL"
  case nulls = "NULLS"
  case of = "OF"
  case offset = "OFFSET"
  case on = "ON"
  case optimize = "OPTIMIZE"
  case or = "OR"
  case order = "ORDER"
  case outer = "OUTER"
  case over = "OVER"
  case partition = "PARTITION"
  case preceding = "PRECEDING"
  case qualify = "QUALIFY"
  case range = "RANGE"
  case recursive = "RECURSIVE"
  case replace = "REPLACE"
  case restore = "RESTORE"
  case retain = "RETAIN"
  case right = "RIGHT"
  case row = "ROW"
  case rows = "ROWS"
  case run = "RUN"
  case select = "SELECT"
  case semi = "SEMI"
  case show = "SHOW"
  case table = "TABLE"
  case tables = "TABLES"
  case then = "THEN"
  case timestamp = "TIMESTAMP"
  case to = "TO"
  case `true` = "TRUE"
  case tryCast = "TRY_CAST"
  case unbounded = "UNBOUNDED"
  case union = "UNION"
  case using = "USING"
  case vacuum = "VACUUM"
  case version = "VERSION"
  case view = "VIEW"
  case when = "WHEN"
  case `where` = "WHERE"
  case window = "WINDOW"
  case with = "WITH"
  case zorder = "ZORDER"

  private static let byWord: [String: Keyword] = Dictionary(
    uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

  /// The keyword `word` spells, in any case.
  init?(word: String) {
    guard word.utf8.count <= 12, let keyword = Keyword.byWord[word.uppercased()] else { return nil }
    self = keyword
  }

  /// Words that are never names unless quoted: they start or separate clauses, or are operators.
  var isReserved: Bool {
    switch self {
    case .all, .and, .as, .between, .case, .distinct, .else, .end, .except, .false, .from, .group, .having,
      .ilike, .in, .intersect, .is, .like, .not, .null, .on, .or, .order, .select, .then, .true, .union,
      .using, .when, .where, .with:
      true
    default:
      false
    }
  }

  /// Words that may name a column but never stand as an alias without `AS`, because after a
  /// select item or a table they start the next clause or join.
  var endsImplicitAlias: Bool {
    if isReserved { return true }
    switch self {
    case .limit, .offset, .qualify, .window, .join, .inner, .left, .right, .full, .outer, .cross, .semi, .anti,
      .natural, .for:
      return true
    default:
      return false
    }
  }
}
