public import Columnar
import SQLParser

/// The columns a clause can name: the output of the FROM clause (or of a subquery), each with
/// the table alias that qualifies it.
struct Scope {
  struct Column {
    /// The alias or table name that qualifies the column, lowercased; nil for computed columns.
    var qualifier: String?
    var name: String
    var type: DataType
    /// Hidden columns are left out of `*` and of unqualified lookups (the right side of USING).
    var hidden = false
  }

  var columns: [Column]
  /// Names of table columns the scans do not read (the statement never names them), for hints.
  var unreadNames: [String] = []

  init(_ columns: [Column]) { self.columns = columns }

  init(schema: Schema, qualifier: String?) {
    columns = schema.fields.map { Column(qualifier: qualifier, name: $0.name, type: $0.type) }
  }

  var schema: Schema { Schema(columns.map { Field($0.name, $0.type) }) }

  /// Resolves `c` or `t.c` to a column index. Nil when nothing matches; throws when ambiguous.
  func resolve(_ name: QualifiedName) throws(EngineError) -> Int? {
    let parts = name.parts
    let column = parts[parts.count - 1]
    var matches: [Int] = []
    if parts.count == 1 {
      for (index, c) in columns.enumerated() where !c.hidden && column.matches(c.name) { matches.append(index) }
      if matches.count > 1 {
        // A name that exact-case matches one column (quoted identifiers) wins.
        let exact = matches.filter { columns[$0].name == column.value }
        if exact.count == 1 { return exact[0] }
        let tables = matches.compactMap { columns[$0].qualifier }.joined(separator: ", ")
        throw EngineError(
          .binding, "column reference '\(column.value)' is ambiguous: it exists in \(tables.isEmpty ? "several columns" : tables); qualify it",
          at: name.location)
      }
      return matches.first
    }
    guard parts.count == 2 else { return nil }
    let table = parts[0].value.lowercased()
    for (index, c) in columns.enumerated() where c.qualifier == table && column.matches(c.name) { matches.append(index) }
    if matches.count > 1 {
      throw EngineError(.binding, "column reference '\(name)' is ambiguous", at: name.location)
    }
    return matches.first
  }

  /// Whether any column has this qualifier.
  func hasQualifier(_ name: String) -> Bool {
    columns.contains { $0.qualifier == name.lowercased() }
  }

  /// The visible column closest in spelling to `name`, for "did you mean" hints.
  func suggestion(for name: String) -> String? {
    Suggestions.closest(to: name, among: columns.filter { !$0.hidden }.map(\.name) + unreadNames)
  }
}

/// "Did you mean" hints by edit distance.
enum Suggestions {
  static func closest(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)? = nil
    for candidate in candidates {
      let d = distance(target, Array(candidate.lowercased()))
      if d <= max(2, target.count / 3), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
    }
    return best?.0
  }

  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// " (did you mean 'x'?)" or "".
  static func hint(_ suggestion: String?) -> String {
    suggestion.map { " (did you mean '\($0)'?)" } ?? ""
  }
}
