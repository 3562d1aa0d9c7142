import Columnar
import Exec
import Expr

extension PhysicalExpression {
  /// The direct children of this expression.
  var children: [PhysicalExpression] {
    switch self {
    case .column, .literal: []
    case .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b): [a, b]
    case .not(let a), .isNull(let a, _), .inList(let a, _, _), .like(let a, _, _), .negate(let a), .cast(let a, _, _): [a]
    case .caseWhen(let branches, let otherwise):
      branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
    case .coalesce(let args), .function(_, let args): args
    }
  }

  /// Whether any column of the input is read.
  var referencesColumns: Bool {
    if case .column = self { return true }
    return children.contains { $0.referencesColumns }
  }

  /// The input columns read, in no particular order.
  var columnIndices: Set<Int> {
    if case .column(let index) = self { return [index] }
    var result = Set<Int>()
    for child in children { result.formUnion(child.columnIndices) }
    return result
  }

  /// The expression with every column index passed through `transform`.
  func mapColumns(_ transform: (Int) -> Int) -> PhysicalExpression {
    switch self {
    case .column(let index): return .column(transform(index))
    case .literal: return self
    case .compare(let op, let a, let b): return .compare(op, a.mapColumns(transform), b.mapColumns(transform))
    case .and(let a, let b): return .and(a.mapColumns(transform), b.mapColumns(transform))
    case .or(let a, let b): return .or(a.mapColumns(transform), b.mapColumns(transform))
    case .arithmetic(let op, let a, let b): return .arithmetic(op, a.mapColumns(transform), b.mapColumns(transform))
    case .not(let a): return .not(a.mapColumns(transform))
    case .isNull(let a, let negated): return .isNull(a.mapColumns(transform), negated: negated)
    case .inList(let a, let list, let negated): return .inList(a.mapColumns(transform), list, negated: negated)
    case .like(let a, let pattern, let negated): return .like(a.mapColumns(transform), pattern, negated: negated)
    case .negate(let a): return .negate(a.mapColumns(transform))
    case .cast(let a, let type, let safe): return .cast(a.mapColumns(transform), to: type, safe: safe)
    case .caseWhen(let branches, let otherwise):
      return .caseWhen(
        branches.map { CaseBranch(when: $0.condition.mapColumns(transform), then: $0.result.mapColumns(transform)) },
        else: otherwise?.mapColumns(transform))
    case .coalesce(let args): return .coalesce(args.map { $0.mapColumns(transform) })
    case .function(let function, let args): return .function(function, args.map { $0.mapColumns(transform) })
    }
  }

  /// The AND-ed parts of a condition.
  var conjuncts: [PhysicalExpression] {
    if case .and(let a, let b) = self { return a.conjuncts + b.conjuncts }
    return [self]
  }

  /// The conjunction of `parts` (TRUE when empty).
  static func conjunction(_ parts: [PhysicalExpression]) -> PhysicalExpression {
    guard var result = parts.first else { return .literal(.boolean(true)) }
    for part in parts.dropFirst() { result = .and(result, part) }
    return result
  }

  /// The type the expression produces over rows of `schema`, found by evaluating it on no rows,
  /// so that it always agrees with the kernels.
  func resultType(over schema: Schema) throws(ExecError) -> DataType {
    try evaluate(RecordBatch.empty(schema)).type
  }
}
