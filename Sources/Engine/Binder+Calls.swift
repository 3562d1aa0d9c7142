import Columnar
import Exec
import Expr
import SQLParser

extension Binder {
  /// Binds a scalar function call (aggregates and window functions are computed by their own
  /// operators and reach here only when used where they are not allowed).
  mutating func bindCall(_ call: FunctionCall, _ context: ExpressionContext, at location: SourceLocation) throws(EngineError) -> Bound {
    let name = call.name.name.value.lowercased()
    if call.window != nil {
      throw EngineError(.binding, "window function \(name) is not allowed in \(context.clause)", at: location)
    }
    if FunctionNames.isAggregate(call) {
      let reason = context.groupedColumns != nil ? "aggregate functions cannot be nested" : "aggregate function \(name) is not allowed in \(context.clause)"
      throw EngineError(.binding, reason, at: location)
    }
    if FunctionNames.windowOnly.contains(name) {
      throw EngineError(.binding, "\(name) is a window function and needs OVER (…)", at: location)
    }
    if call.filter != nil || call.isDistinct {
      throw EngineError(.binding, "FILTER and DISTINCT apply to aggregate functions, not to \(name)", at: location)
    }
    var arguments: [Bound] = []
    var constants: [ScalarValue?] = []
    for argument in call.arguments {
      var bound = try bindExpression(argument.value, context)
      if name == "date_trunc" || name == "datetrunc", bound.type == .date {
        // DuckDB truncates dates to timestamps.
        bound = Bound(expression: .cast(bound.expression, to: .timestamp(.microsecond, utc: false), safe: false), type: .timestamp(.microsecond, utc: false))
      }
      arguments.append(bound)
      if case .literal(let value) = bound.expression { constants.append(value) } else { constants.append(nil) }
    }
    switch name {
    case "coalesce", "ifnull":
      guard !arguments.isEmpty else { throw EngineError(.binding, "\(name) needs at least one argument", at: location) }
      return try make(.coalesce(arguments.map(\.expression)), context, at: location)
    case "now", "current_timestamp", "get_current_timestamp":
      return Bound(expression: .literal(.timestamp(now, utc: true)), type: .timestamp(.microsecond, utc: true))
    case "current_date", "today":
      return Bound(expression: .literal(.date(Int32(CalendarFormatting.floorDiv(now, 86_400_000_000)))), type: .date)
    default:
      return try make(try resolvedFunction(name, arguments, constants: constants, at: location), context, at: location)
    }
  }

  func resolvedFunction(_ name: String, _ arguments: [Bound], constants: [ScalarValue?], at location: SourceLocation) throws(EngineError) -> PhysicalExpression {
    let resolved: ResolvedFunction?
    do {
      resolved = try FunctionLibrary.resolve(name, argumentTypes: arguments.map(\.type), constantArguments: constants)
    } catch {
      throw EngineError(.binding, error.message, at: location)
    }
    guard let resolved else {
      let known = FunctionLibrary.names + ["coalesce", "now", "current_date"] + Array(FunctionNames.aggregates) + Array(FunctionNames.windowOnly)
      throw EngineError(
        .binding, "unknown function '\(name)'\(Suggestions.hint(Suggestions.closest(to: name, among: known)))", at: location)
    }
    return .function(resolved.function, arguments.map(\.expression))
  }

  /// `ts ± INTERVAL …`: calendar months first, then a fixed number of microseconds.
  mutating func bindIntervalArithmetic(
    _ value: Bound, _ text: String, _ unit: IntervalUnit?, negate: Bool, _ context: ExpressionContext,
    at location: SourceLocation
  ) throws(EngineError) -> Bound {
    guard let interval = Interval.parse(text, unit: unit) else {
      throw EngineError(.binding, "'\(text)' is not an interval (write '2 hours', '1 day 6 hours' or 3 DAY)", at: location)
    }
    var input = value.expression
    var utc = false
    switch value.type {
    case .timestamp(let unit, let u):
      utc = u
      if unit != .microsecond { input = .cast(input, to: .timestamp(.microsecond, utc: u), safe: false) }
    case .date, .string, .null:
      input = .cast(input, to: .timestamp(.microsecond, utc: false), safe: false)
    default:
      throw EngineError(.binding, "INTERVAL arithmetic needs a date or timestamp, not \(TypeMapping.sqlName(value.type))", at: location)
    }
    let kernel = IntervalAddition(interval: negate ? interval.negated : interval, utc: utc)
    return try make(.function(.custom(kernel), [input]), context, at: location)
  }
}

/// An aggregate call of a SELECT, bound to the FROM columns.
extension Binder {
  mutating func aggregateSpec(_ call: FunctionCall, _ context: ExpressionContext, name outputName: String, at location: SourceLocation) throws(EngineError) -> AggregateSpec {
    let name = call.name.name.value.lowercased()
    let filter = try call.filter.map { f throws(EngineError) -> PhysicalExpression in
      let bound = try bindExpression(f, context)
      try requireBoolean(bound, f, clause: "FILTER")
      return bound.expression
    }
    if call.isStar || (name == "count" && call.arguments.isEmpty) {
      guard name == "count" else { throw EngineError(.binding, "only count takes *", at: location) }
      return AggregateSpec(.countStar, filter: filter, as: outputName)
    }
    guard call.arguments.count == 1 else {
      throw EngineError(.binding, "\(name) takes one argument, got \(call.arguments.count)", at: location)
    }
    let argument = try bindExpression(call.arguments[0].value, context)
    let kind: AggregateKind
    switch name {
    case "count": kind = call.isDistinct ? .countDistinct : .count
    case "sum": kind = .sum
    case "avg", "mean": kind = .avg
    case "min": kind = .min
    case "max": kind = .max
    case "any_value", "arbitrary", "first": kind = .anyValue
    default: kind = .approxCountDistinct
    }
    if call.isDistinct, kind != .countDistinct, kind != .min, kind != .max {
      throw EngineError(.unsupported, "\(name)(DISTINCT …) is not supported; only count(DISTINCT …)", at: location)
    }
    if kind == .sum || kind == .avg {
      switch argument.type {
      case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64, .decimal, .null, .boolean: break
      default:
        throw EngineError(.binding, "\(name) needs a number, not \(TypeMapping.sqlName(argument.type))", at: call.arguments[0].value.location)
      }
    }
    return AggregateSpec(kind, argument.expression, filter: filter, as: outputName)
  }

  /// The type of an aggregate's result given its argument type.
  static func aggregateType(_ spec: AggregateSpec, argument: DataType?) -> DataType {
    switch spec.kind {
    case .countStar, .count, .countDistinct, .approxCountDistinct: return .int64
    case .avg: return .float64
    case .sum:
      switch argument {
      case .float16?, .float32?, .float64?: return .float64
      case .decimal(_, let scale)?: return .decimal(precision: 38, scale: scale)
      default: return .int64
      }
    case .min, .max, .anyValue: return argument ?? .null
    }
  }
}
