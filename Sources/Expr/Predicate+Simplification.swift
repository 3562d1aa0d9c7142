extension Predicate {
  /// The columns the predicate refers to.
  public var columns: Set<ColumnPath> {
    var found: Set<ColumnPath> = []
    collectColumns(into: &found)
    return found
  }

  private func collectColumns(into found: inout Set<ColumnPath>) {
    switch self {
    case .literal: break
    case .comparison(let column, _, _), .inList(let column, _, _), .isNull(let column, _): found.insert(column)
    case .and(let terms), .or(let terms):
      for term in terms { term.collectColumns(into: &found) }
    case .not(let inner): inner.collectColumns(into: &found)
    }
  }

  /// An equivalent, smaller predicate: nested `AND`s and `OR`s flattened, duplicate terms
  /// removed, `TRUE` conjuncts and `FALSE` disjuncts dropped, a `FALSE` conjunct or `TRUE`
  /// disjunct deciding the whole, `NOT` folded into literals, `IS NULL`, `IN`, `=` and `!=`,
  /// double negation removed, one-element `IN` lists turned into comparisons.
  ///
  /// Equivalent as a filter: the same rows make it TRUE. Where that allows, comparisons with
  /// a NULL literal (never TRUE) fold to a constant, so a predicate whose value was NULL for a row
  /// may become FALSE for it (or TRUE under `NOT`, keeping `NOT` of it not TRUE).
  public func simplified() -> Predicate { simplified(positive: true) }

  /// `positive` is false under an odd number of `NOT`s; there a NULL may become TRUE instead of
  /// FALSE, since `NOT` of either is not TRUE.
  private func simplified(positive: Bool) -> Predicate {
    switch self {
    case .literal, .isNull:
      return self
    case .comparison(_, _, let literal):
      return literal.isNull ? .literal(!positive) : self
    case .inList(let column, let values, let negated):
      return Self.simplifiedInList(column, values, negated: negated, positive: positive)
    case .not(let inner):
      switch inner.simplified(positive: !positive) {
      case .literal(let value): return .literal(!value)
      case .not(let twice): return twice
      case .isNull(let column, let negated): return .isNull(column, negated: !negated)
      case .inList(let column, let values, let negated):
        return Self.simplifiedInList(column, values, negated: !negated, positive: positive)
      case .comparison(let column, .equal, let literal): return .comparison(column, .notEqual, literal)
      case .comparison(let column, .notEqual, let literal): return .comparison(column, .equal, literal)
      case let other: return .not(other)
      }
    case .and(let terms):
      var kept: [Predicate] = []
      var seen: Set<Predicate> = []
      for term in terms {
        let simple = term.simplified(positive: positive)
        switch simple {
        case .literal(true): continue
        case .literal(false): return .literal(false)
        case .and(let inner):
          for part in inner where seen.insert(part).inserted { kept.append(part) }
        default:
          if seen.insert(simple).inserted { kept.append(simple) }
        }
      }
      if kept.isEmpty { return .literal(true) }
      return kept.count == 1 ? kept[0] : .and(kept)
    case .or(let terms):
      var kept: [Predicate] = []
      var seen: Set<Predicate> = []
      for term in terms {
        let simple = term.simplified(positive: positive)
        switch simple {
        case .literal(false): continue
        case .literal(true): return .literal(true)
        case .or(let inner):
          for part in inner where seen.insert(part).inserted { kept.append(part) }
        default:
          if seen.insert(simple).inserted { kept.append(simple) }
        }
      }
      if kept.isEmpty { return .literal(false) }
      return kept.count == 1 ? kept[0] : .or(kept)
    }
  }

  private static func simplifiedInList(
    _ column: ColumnPath, _ values: [ScalarValue], negated: Bool, positive: Bool
  ) -> Predicate {
    // `x IN ()` is FALSE and `x NOT IN ()` TRUE for every row.
    if values.isEmpty { return .literal(negated) }
    var distinct: [ScalarValue] = []
    var seen: Set<ScalarValue> = []
    var hasNull = false
    for value in values {
      if value.isNull {
        hasNull = true
      } else if seen.insert(value).inserted {
        distinct.append(value)
      }
    }
    // Only NULLs: the result is NULL for every row.
    if distinct.isEmpty { return .literal(!positive) }
    if hasNull {
      // `x NOT IN (…, NULL)` is never TRUE; `x IN (…, NULL)` is TRUE exactly where `x IN (…)` is.
      // Under NOT the NULL matters (it turns FALSE into NULL), so it stays.
      guard positive else { return .inList(column, distinct + [.null], negated: negated) }
      if negated { return .literal(false) }
    }
    if distinct.count == 1 { return .comparison(column, negated ? .notEqual : .equal, distinct[0]) }
    return .inList(column, distinct, negated: negated)
  }

  /// A predicate on `columns` only, TRUE for every row that makes `self` TRUE: each comparison,
  /// `IN` or `IS NULL` on another column is replaced by the constant that keeps the whole
  /// conservative (TRUE where it appears positively, FALSE under `NOT`), then the result is
  /// simplified. `a = 1 AND b = 2` restricted to `{a}` is `a = 1`; `a = 1 OR b = 2` is TRUE;
  /// `NOT (a = 1 AND b = 2)` is TRUE; `NOT (a = 1 OR b = 2)` is `a != 1`.
  ///
  /// Used for partition pruning: restrict a filter to the partition columns, then prune with
  /// ``PartitionValues``.
  public func restricted(to columns: Set<ColumnPath>) -> Predicate {
    restricted(to: columns, positive: true).simplified()
  }

  private func restricted(to columns: Set<ColumnPath>, positive: Bool) -> Predicate {
    switch self {
    case .literal: return self
    case .comparison(let column, _, _), .inList(let column, _, _), .isNull(let column, _):
      return columns.contains(column) ? self : .literal(positive)
    case .not(let inner): return .not(inner.restricted(to: columns, positive: !positive))
    case .and(let terms): return .and(terms.map { $0.restricted(to: columns, positive: positive) })
    case .or(let terms): return .or(terms.map { $0.restricted(to: columns, positive: positive) })
    }
  }
}

extension Predicate: CustomStringConvertible {
  /// The predicate in SQL syntax, e.g. `a.b = 5 AND (c IS NULL OR d IN ('x', 'y'))`.
  public var description: String {
    switch self {
    case .literal(let value): return value ? "TRUE" : "FALSE"
    case .comparison(let column, let op, let literal):
      return "\(Self.columnText(column)) \(op.rawValue) \(literal)"
    case .inList(let column, let values, let negated):
      let list = values.map(\.description).joined(separator: ", ")
      return "\(Self.columnText(column)) \(negated ? "NOT IN" : "IN") (\(list))"
    case .isNull(let column, let negated):
      return "\(Self.columnText(column)) \(negated ? "IS NOT NULL" : "IS NULL")"
    case .not(let inner): return "NOT (\(inner))"
    case .and(let terms):
      if terms.isEmpty { return "TRUE" }
      return terms.map { term in
        if case .or(let parts) = term, parts.count > 1 { return "(\(term))" }
        return term.description
      }.joined(separator: " AND ")
    case .or(let terms):
      if terms.isEmpty { return "FALSE" }
      return terms.map { term in
        if case .and(let parts) = term, parts.count > 1 { return "(\(term))" }
        return term.description
      }.joined(separator: " OR ")
    }
  }

  /// `a.b`, with components that are not plain identifiers double-quoted.
  static func columnText(_ column: ColumnPath) -> String {
    column.map { name in
      var plain = !name.isEmpty
      for (index, byte) in name.utf8.enumerated() where plain {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): break
        case UInt8(ascii: "0")...UInt8(ascii: "9"): plain = index > 0
        default: plain = false
        }
      }
      if plain { return name }
      var quoted = "\""
      for character in name.unicodeScalars {
        if character == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(character) }
      }
      return quoted + "\""
    }.joined(separator: ".")
  }
}
