import SQLParser
import Testing

/// Parses `sql`, prints the tree, parses the print and expects the same tree; returns the tree.
@discardableResult
func roundTrip(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Statement {
  let statement = try SQL.parse(sql)
  let printed = statement.description
  let reparsed: Statement
  do {
    reparsed = try SQL.parse(printed)
  } catch {
    Issue.record(
      "the printed form does not parse: \(printed)\n\(error.rendered(sql: printed))", sourceLocation: sourceLocation)
    return statement
  }
  #expect(reparsed == statement, "printed as: \(printed)", sourceLocation: sourceLocation)
  #expect(reparsed.description == printed, "printing is not stable", sourceLocation: sourceLocation)
  return statement
}

/// The canonical print of `sql`, after checking that it round-trips.
func canonical(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
  try roundTrip(sql, sourceLocation: sourceLocation).description
}

/// The select of a plain `SELECT …` statement.
func select(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Select {
  let statement = try roundTrip(sql, sourceLocation: sourceLocation)
  guard case .query(let query) = statement, case .select(let select) = query.body else {
    Issue.record("not a simple SELECT: \(statement)", sourceLocation: sourceLocation)
    throw SQLError(.unexpectedToken, "not a simple SELECT", at: .start)
  }
  return select
}

/// The one expression of `SELECT <expr>`, after a round trip.
func expression(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Expression {
  let select = try select("SELECT \(text)", sourceLocation: sourceLocation)
  guard select.items.count == 1, case .expression(let expression, nil) = select.items[0] else {
    Issue.record("not a single unaliased select item: \(select.items)", sourceLocation: sourceLocation)
    throw SQLError(.unexpectedToken, "not a single expression", at: .start)
  }
  return expression
}

/// The error that parsing `sql` throws, or nil (recorded as a failure) when it parses.
func parseError(_ sql: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SQLError? {
  do {
    let statement = try SQL.parse(sql)
    Issue.record("expected an error, parsed: \(statement)", sourceLocation: sourceLocation)
    return nil
  } catch {
    return error
  }
}

/// A fully parenthesised rendering of an expression's shape, for precedence tests:
/// `a OR b AND c` is `(a OR (b AND c))`.
func shape(_ expression: Expression) -> String {
  switch expression.kind {
  case .binary(let op, let left, let right): "(\(shape(left)) \(op.rawValue) \(shape(right)))"
  case .and(let operands): "(" + operands.map(shape).joined(separator: " AND ") + ")"
  case .or(let operands): "(" + operands.map(shape).joined(separator: " OR ") + ")"
  case .unary(.not, let operand): "(NOT \(shape(operand)))"
  case .unary(let op, let operand): "(\(op.rawValue)\(shape(operand)))"
  case .cast(let operand, let type, false): "(\(shape(operand))::\(type))"
  case .isNull(let operand, let negated): "(\(shape(operand)) IS \(negated ? "NOT " : "")NULL)"
  case .between(let operand, let low, let high, let negated):
    "(\(shape(operand)) \(negated ? "NOT " : "")BETWEEN \(shape(low)) AND \(shape(high)))"
  case .inList(let operand, let values, let negated):
    "(\(shape(operand)) \(negated ? "NOT " : "")IN [" + values.map(shape).joined(separator: ", ") + "])"
  case .like(let operand, let pattern, _, let caseInsensitive, let negated):
    "(\(shape(operand)) \(negated ? "NOT " : "")\(caseInsensitive ? "ILIKE" : "LIKE") \(shape(pattern)))"
  case .subscripted(let base, let index): "(\(shape(base))[\(shape(index))])"
  case .fieldAccess(let base, let field): "(\(shape(base)).\(field))"
  default: expression.description
  }
}

/// A column reference expression, for building expected trees.
func column(_ parts: String...) -> Expression {
  Expression(.column(QualifiedName(parts.map { Identifier($0) })))
}

func integer(_ value: Int64) -> Expression {
  Expression(.literal(.integer(value)))
}

func string(_ value: String) -> Expression {
  Expression(.literal(.string(value)))
}
