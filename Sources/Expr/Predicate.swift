/// A column of a table or file, by its path of field names (`["a", "b"]` for `a.b`).
public typealias ColumnPath = [String]

/// A comparison operator.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
}

/// A filter on columns and literals, in the form that partition pruning, file skipping and
/// row-group skipping understand. Engines lower richer SQL predicates into it conservatively.
public indirect enum Predicate: Sendable, Hashable {
  case literal(Bool)
  case comparison(ColumnPath, ComparisonOperator, ScalarValue)
  case inList(ColumnPath, [ScalarValue], negated: Bool)
  case isNull(ColumnPath, negated: Bool)
  case and([Predicate])
  case or([Predicate])
  case not(Predicate)
}
