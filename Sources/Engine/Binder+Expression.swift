import Columnar
import Exec
import Expr
import SQLParser

/// What an expression may name, and over which columns it is evaluated.
struct ExpressionContext {
  /// Names of the FROM clause (before any grouping).
  var scope: Scope
  /// The columns the bound expression reads (after grouping: keys, then aggregates, then windows).
  var schema: Schema
  /// For error messages: "WHERE", "SELECT", "ON".
  var clause: String
  /// When grouped: FROM column index → output column, for the grouping keys that are plain columns.
  var groupedColumns: [Int: Int]? = nil
  /// Subtrees already computed below (group keys, aggregates, window functions) → their column.
  var substitutions: [Expression: Int] = [:]
  /// Select-list aliases that HAVING and QUALIFY may name, as DuckDB allows.
  var aliases: [String: Expression] = [:]
}

/// A bound expression and its type.
struct Bound {
  var expression: PhysicalExpression
  var type: DataType
}

enum FunctionNames {
  static let aggregates: Set<String> = [
    "count", "sum", "avg", "mean", "min", "max", "any_value", "arbitrary", "first", "approx_count_distinct",
  ]
  static let windowOnly: Set<String> = ["row_number", "rank", "dense_rank", "lag", "lead", "first_value", "last_value"]

  static func isAggregate(_ call: FunctionCall) -> Bool {
    call.window == nil && call.name.parts.count == 1 && aggregates.contains(call.name.name.value.lowercased())
  }
}

extension Binder {
  mutating func bindExpression(_ expression: Expression, _ context: ExpressionContext) throws(EngineError) -> Bound {
    if let index = context.substitutions[expression] {
      return Bound(expression: .column(index), type: context.schema.fields[index].type)
    }
    let at = expression.location
    switch expression.kind {
    case .literal(let literal):
      return try bindLiteral(literal, at: at)
    case .column(let name):
      return try bindColumn(name, context, at: at)
    case .parameter:
      throw EngineError(.unsupported, "query parameters ($1) are not supported", at: at)
    case .unary(let op, let operand):
      let value = try bindExpression(operand, context)
      switch op {
      case .not: return try make(.not(value.expression), context, at: at)
      case .minus: return try make(.negate(value.expression), context, at: at)
      case .plus: return value
      }
    case .binary(let op, let a, let b):
      return try bindBinary(op, a, b, context, at: at)
    case .and(let parts), .or(let parts):
      let isAnd = { if case .and = expression.kind { true } else { false } }()
      var result: PhysicalExpression? = nil
      for part in parts {
        let bound = try bindExpression(part, context)
        try requireBoolean(bound, part, clause: isAnd ? "AND" : "OR")
        result = result.map { isAnd ? .and($0, bound.expression) : .or($0, bound.expression) } ?? bound.expression
      }
      return try make(result!, context, at: at)
    case .isNull(let operand, let negated):
      return try make(.isNull(try bindExpression(operand, context).expression, negated: negated), context, at: at)
    case .between(let operand, let low, let high, let negated):
      let value = try bindExpression(operand, context)
      let lo = try coerce(try bindExpression(low, context), toMatch: value, at: low.location)
      let hi = try coerce(try bindExpression(high, context), toMatch: value, at: high.location)
      let inside = PhysicalExpression.and(
        .compare(.greaterOrEqual, value.expression, lo.expression), .compare(.lessOrEqual, value.expression, hi.expression))
      return try make(negated ? .not(inside) : inside, context, at: at)
    case .inList(let operand, let items, let negated):
      let value = try bindExpression(operand, context)
      var constants: [ScalarValue] = []
      var expressions: [PhysicalExpression] = []
      for item in items {
        let bound = try coerce(try bindExpression(item, context), toMatch: value, at: item.location)
        if case .literal(let constant) = bound.expression { constants.append(constant) }
        expressions.append(bound.expression)
      }
      if constants.count == items.count {
        return try make(.inList(value.expression, constants, negated: negated), context, at: at)
      }
      var any: PhysicalExpression = .compare(.equal, value.expression, expressions[0])
      for e in expressions.dropFirst() { any = .or(any, .compare(.equal, value.expression, e)) }
      return try make(negated ? .not(any) : any, context, at: at)
    case .inSubquery(let operand, let query, let negated):
      let value = try bindExpression(operand, context)
      let result = try runScalarQuery(query, at: at, clause: "IN")
      if result.rowCount == 0 {
        // x IN (empty) is false even for a NULL x; NOT IN is true.
        return Bound(expression: .literal(.boolean(negated)), type: .boolean)
      }
      var constants: [ScalarValue] = []
      constants.reserveCapacity(result.rowCount)
      for row in 0..<result.rowCount { constants.append(ScalarValue(from: result.columns[0], row: row)) }
      var coerced: [ScalarValue] = []
      for constant in constants {
        let bound = try coerce(Bound(expression: .literal(constant), type: result.columns[0].type), toMatch: value, at: at)
        if case .literal(let c) = bound.expression { coerced.append(c) } else { coerced.append(constant) }
      }
      return try make(.inList(value.expression, coerced, negated: negated), context, at: at)
    case .like(let operand, let pattern, let escape, let caseInsensitive, let negated):
      let value = try bindExpression(operand, context)
      let p = try bindExpression(pattern, context)
      var escapeCharacter: Character? = nil
      if let escape {
        guard case .literal(.string(let e)) = try bindExpression(escape, context).expression, e.count == 1 else {
          throw EngineError(.binding, "ESCAPE needs a single character", at: escape.location)
        }
        escapeCharacter = e.first
      }
      guard case .literal(let patternValue) = p.expression else {
        let kernel = DynamicLike(caseInsensitive: caseInsensitive, negated: negated, escape: escapeCharacter)
        return try make(.function(.custom(kernel), [value.expression, p.expression]), context, at: at)
      }
      guard case .string(let patternText) = patternValue else {
        if patternValue.isNull { return Bound(expression: .literal(.null), type: .boolean) }
        throw EngineError(.binding, "LIKE needs a string pattern", at: pattern.location)
      }
      let like: PhysicalExpression
      do {
        like = try PhysicalExpression.like(
          value.expression, patternText, caseInsensitive: caseInsensitive, negated: negated, escape: escapeCharacter)
      } catch {
        throw EngineError(.binding, error.message, at: pattern.location)
      }
      return try make(like, context, at: at)
    case .cast(let operand, let typeName, let isTry):
      let value = try bindExpression(operand, context)
      let type = try TypeMapping.dataType(typeName, at: at)
      if value.type == type { return value }
      return try make(.cast(value.expression, to: type, safe: isTry), context, at: at)
    case .caseWhen(let caseExpression):
      var branches: [CaseBranch] = []
      let operand = try caseExpression.operand.map { e throws(EngineError) in try bindExpression(e, context) }
      for branch in caseExpression.branches {
        var condition = try bindExpression(branch.condition, context)
        if let operand {
          condition = try coerce(condition, toMatch: operand, at: branch.condition.location)
          condition = Bound(expression: .compare(.equal, operand.expression, condition.expression), type: .boolean)
        } else {
          try requireBoolean(condition, branch.condition, clause: "CASE WHEN")
        }
        branches.append(CaseBranch(when: condition.expression, then: try bindExpression(branch.result, context).expression))
      }
      let otherwise = try caseExpression.elseResult.map { e throws(EngineError) in try bindExpression(e, context).expression }
      return try make(.caseWhen(branches, else: otherwise), context, at: at)
    case .exists(let query):
      var sub = self
      let relation = try sub.bindQuery(query)
      let limited = PlanNode(.limit(1, offset: 0), [relation.node], schema: relation.node.schema)
      let result = try runSubquery(limited)
      return Bound(expression: .literal(.boolean(result.rowCount > 0)), type: .boolean)
    case .subquery(let query):
      let result = try runScalarQuery(query, at: at, clause: "a scalar subquery")
      guard result.rowCount <= 1 else {
        throw EngineError(.execution, "a scalar subquery returned more than one row (\(result.rowCount))", at: at)
      }
      let value = result.rowCount == 0 ? ScalarValue.null : ScalarValue(from: result.columns[0], row: 0)
      return Bound(expression: .literal(value), type: result.columns[0].type)
    case .function(let call):
      return try bindCall(call, context, at: at)
    case .extract(let field, let from):
      let unit = Expression(.literal(.string(field.value.lowercased())), at: field.location)
      let call = FunctionCall(name: QualifiedName("date_part"), arguments: [FunctionArgument(unit), FunctionArgument(from)])
      return try bindCall(call, context, at: at)
    case .subscripted, .fieldAccess:
      throw EngineError(.unsupported, "subscripts and struct field access are not supported yet", at: at)
    case .list:
      throw EngineError(.unsupported, "list values are not supported here", at: at)
    }
  }

  /// Runs an uncorrelated subquery that must give one column.
  mutating func runScalarQuery(_ query: Query, at location: SourceLocation, clause: String) throws(EngineError) -> RecordBatch {
    var sub = self
    let relation = try sub.bindQuery(query)
    guard relation.node.schema.fields.count == 1 else {
      throw EngineError(
        .binding, "the subquery of \(clause) must return one column, not \(relation.node.schema.fields.count)", at: location)
    }
    return try runSubquery(relation.node)
  }

  func requireBoolean(_ bound: Bound, _ expression: Expression, clause: String) throws(EngineError) {
    guard bound.type == .boolean || bound.type == .null else {
      throw EngineError(
        .binding, "\(clause) needs a boolean condition, but '\(expression)' is \(TypeMapping.sqlName(bound.type))",
        at: expression.location)
    }
  }

  mutating func bindLiteral(_ literal: Literal, at location: SourceLocation) throws(EngineError) -> Bound {
    switch literal {
    case .typed(let typeName, let text):
      let type = try TypeMapping.dataType(typeName, at: location)
      let cast = PhysicalExpression.cast(.literal(.string(text)), to: type, safe: false)
      do {
        return Bound(expression: try Binder.fold(cast), type: type)
      } catch {
        throw EngineError(.binding, "'\(text)' is not a valid \(TypeMapping.sqlName(type))", at: location)
      }
    case .interval:
      throw EngineError(.binding, "an INTERVAL can only be added to or subtracted from a date or timestamp", at: location)
    default:
      let value = try TypeMapping.value(literal, at: location)
      let type: DataType
      switch value {
      case .null: type = .null
      case .boolean: type = .boolean
      case .int64: type = .int64
      case .float64: type = .float64
      case .decimal(_, let p, let s): type = .decimal(precision: p, scale: s)
      default: type = .string
      }
      return Bound(expression: .literal(value), type: type)
    }
  }

  mutating func bindColumn(_ name: QualifiedName, _ context: ExpressionContext, at location: SourceLocation) throws(EngineError) -> Bound {
    if let index = try context.scope.resolve(name) {
      if let grouped = context.groupedColumns {
        guard let output = grouped[index] else {
          throw EngineError(
            .binding,
            "column '\(name)' must appear in the GROUP BY clause or be used in an aggregate function",
            at: location)
        }
        return Bound(expression: .column(output), type: context.schema.fields[output].type)
      }
      return Bound(expression: .column(index), type: context.schema.fields[index].type)
    }
    if name.parts.count == 1, let aliased = context.aliases[name.name.value.lowercased()] {
      var inner = context
      inner.aliases = [:]
      return try bindExpression(aliased, inner)
    }
    if name.parts.count == 1 {
      switch name.name.value.lowercased() {
      case "current_timestamp", "now": return Bound(expression: .literal(.timestamp(now, utc: true)), type: .timestamp(.microsecond, utc: true))
      case "current_date":
        return Bound(expression: .literal(.date(Int32(CalendarFormatting.floorDiv(now, 86_400_000_000)))), type: .date)
      default: break
      }
    }
    if name.parts.count >= 2, !context.scope.hasQualifier(name.parts[0].value), name.parts.count == 2 {
      throw EngineError(.binding, "unknown table or alias '\(name.parts[0].value)' in '\(name)'", at: location)
    }
    throw EngineError(
      .binding, "unknown column '\(name)'\(Suggestions.hint(context.scope.suggestion(for: name.name.value)))", at: location)
  }

  mutating func bindBinary(
    _ op: BinaryOperator, _ a: Expression, _ b: Expression, _ context: ExpressionContext, at location: SourceLocation
  ) throws(EngineError) -> Bound {
    // Date and timestamp arithmetic with INTERVAL literals.
    if op == .add || op == .subtract {
      if case .literal(.interval(let text, let unit)) = b.kind {
        return try bindIntervalArithmetic(try bindExpression(a, context), text, unit, negate: op == .subtract, context, at: location)
      }
      if op == .add, case .literal(.interval(let text, let unit)) = a.kind {
        return try bindIntervalArithmetic(try bindExpression(b, context), text, unit, negate: false, context, at: location)
      }
    }
    var left = try bindExpression(a, context)
    var right = try bindExpression(b, context)
    let comparison: Exec.ComparisonOperator?
    switch op {
    case .equal: comparison = .equal
    case .notEqual: comparison = .notEqual
    case .less: comparison = .less
    case .lessOrEqual: comparison = .lessOrEqual
    case .greater: comparison = .greater
    case .greaterOrEqual: comparison = .greaterOrEqual
    default: comparison = nil
    }
    if let comparison {
      right = try coerce(right, toMatch: left, at: b.location)
      left = try coerce(left, toMatch: right, at: a.location)
      (left, right) = Binder.alignTimeZones(left, right)
      return try make(.compare(comparison, left.expression, right.expression), context, at: location)
    }
    switch op {
    case .isDistinctFrom, .isNotDistinctFrom:
      right = try coerce(right, toMatch: left, at: b.location)
      left = try coerce(left, toMatch: right, at: a.location)
      let x = left.expression, y = right.expression
      // NULL-safe equality: both NULL, or neither NULL and equal.
      let same = PhysicalExpression.caseWhen(
        [
          CaseBranch(when: .isNull(x, negated: false), then: .isNull(y, negated: false)),
          CaseBranch(when: .isNull(y, negated: false), then: .literal(.boolean(false))),
        ], else: .compare(.equal, x, y))
      return try make(op == .isNotDistinctFrom ? same : .not(same), context, at: location)
    case .concat:
      // `||` is NULL when either side is (unlike concat(), which skips NULLs).
      let anyNull = PhysicalExpression.or(.isNull(left.expression, negated: false), .isNull(right.expression, negated: false))
      let joined = try resolvedFunction("concat", [left, right], constants: [nil, nil], at: location)
      return try make(.caseWhen([CaseBranch(when: anyNull, then: .literal(.null))], else: joined), context, at: location)
    case .regexMatch, .notRegexMatch:
      let constant: ScalarValue? = { if case .literal(let v) = right.expression { v } else { nil } }()
      let matches = try resolvedFunction("regexp_matches", [left, right], constants: [nil, constant], at: location)
      return try make(op == .regexMatch ? matches : .not(matches), context, at: location)
    case .add, .subtract, .multiply, .divide, .integerDivide, .modulo:
      let arithmetic: ArithmeticOperator
      switch op {
      case .add: arithmetic = .add
      case .subtract: arithmetic = .subtract
      case .multiply: arithmetic = .multiply
      case .divide: arithmetic = .divide
      case .integerDivide: arithmetic = .integerDivide
      default: arithmetic = .modulo
      }
      right = try coerce(right, toMatch: left, at: b.location)
      left = try coerce(left, toMatch: right, at: a.location)
      if arithmetic == .subtract, left.type == .date, right.type == .date {
        // date - date is a number of days.
        let days = PhysicalExpression.arithmetic(
          .subtract, .cast(left.expression, to: .int64, safe: false), .cast(right.expression, to: .int64, safe: false))
        return try make(days, context, at: location)
      }
      return try make(.arithmetic(arithmetic, left.expression, right.expression), context, at: location)
    default:
      throw EngineError(.unsupported, "operator \(op.rawValue) is not supported", at: location)
    }
  }

  /// A timestamp without time zone compared with one with a zone is read as UTC (the session
  /// zone), as DuckDB does with `TimeZone = 'UTC'`.
  static func alignTimeZones(_ a: Bound, _ b: Bound) -> (Bound, Bound) {
    guard case .timestamp(_, let ua) = a.type, case .timestamp(_, let ub) = b.type, ua != ub else { return (a, b) }
    let instant = DataType.timestamp(.microsecond, utc: true)
    func widen(_ x: Bound) -> Bound {
      let cast = PhysicalExpression.cast(x.expression, to: instant, safe: false)
      return Bound(expression: (try? Binder.fold(cast)) ?? cast, type: instant)
    }
    return ua ? (a, widen(b)) : (widen(a), b)
  }

  /// A string constant compared with (or combined with) a typed value is read as that type, as
  /// in `event_time >= '2024-05-01'` or `port = '443'`.
  func coerce(_ value: Bound, toMatch other: Bound, at location: SourceLocation) throws(EngineError) -> Bound {
    guard case .literal(.string(let text)) = value.expression, !other.type.isBinaryLike, other.type != .null else {
      return value
    }
    var target = other.type
    if case .timestamp(_, let utc) = target { target = .timestamp(.microsecond, utc: utc) }
    switch target {
    case .structure, .list, .map: return value
    default: break
    }
    do {
      return Bound(expression: try Binder.fold(.cast(.literal(.string(text)), to: target, safe: false)), type: target)
    } catch {
      throw EngineError(.binding, "cannot compare \(TypeMapping.sqlName(other.type)) with '\(text)': \(error.message)", at: location)
    }
  }

  /// Builds a node: checks it against the input types and folds it when it reads no column.
  func make(_ expression: PhysicalExpression, _ context: ExpressionContext, at location: SourceLocation) throws(EngineError) -> Bound {
    let type: DataType
    do {
      type = try expression.resultType(over: context.schema)
    } catch {
      throw EngineError(.binding, error.message, at: location)
    }
    if expression.referencesColumns { return Bound(expression: expression, type: type) }
    do {
      return Bound(expression: try Binder.fold(expression), type: type)
    } catch {
      // Left for run time, where the error is reported (e.g. an overflow in a constant).
      return Bound(expression: expression, type: type)
    }
  }

  /// The value of an expression without column references.
  static func fold(_ expression: PhysicalExpression) throws(ExecError) -> PhysicalExpression {
    if case .literal = expression { return expression }
    let vector = try expression.evaluate(RecordBatch.emptyRow)
    return .literal(ScalarValue(from: vector, row: 0))
  }
}

