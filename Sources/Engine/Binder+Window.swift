import Columnar
import Exec
import Expr
import SQLParser

extension Binder {
  /// Computes the window calls over `input`; the context learns their output columns.
  mutating func bindWindows(
    _ calls: [Expression], _ named: [NamedWindow], _ input: PlanNode, _ context: inout ExpressionContext
  ) throws(EngineError) -> PlanNode {
    var functions: [WindowFunction] = []
    var fields = input.schema.fields
    var windowContext = context
    windowContext.clause = "a window function"
    for call in calls {
      guard case .function(let function) = call.kind, let reference = function.window else { continue }
      let spec = try resolveWindow(reference, named, at: call.location)
      let bound = try windowFunction(function, spec, windowContext, name: Binder.outputName(call), at: call.location)
      context.substitutions[call] = fields.count
      fields.append(Field(bound.name, try windowType(bound, input.schema, at: call.location)))
      functions.append(bound)
    }
    context.schema = Schema(fields)
    return PlanNode(.window(functions), [input], schema: context.schema)
  }

  func resolveWindow(_ reference: WindowReference, _ named: [NamedWindow], at location: SourceLocation) throws(EngineError) -> WindowSpecification {
    func lookup(_ name: Identifier) throws(EngineError) -> WindowSpecification {
      guard let window = named.first(where: { $0.name.normalized == name.normalized }) else {
        throw EngineError(.binding, "unknown window '\(name.value)'", at: name.location)
      }
      return window.specification
    }
    switch reference {
    case .named(let name): return try lookup(name)
    case .specification(var spec):
      if let base = spec.baseName {
        let parent = try lookup(base)
        if spec.partitionBy.isEmpty { spec.partitionBy = parent.partitionBy }
        if spec.orderBy.isEmpty { spec.orderBy = parent.orderBy }
        if spec.frame == nil { spec.frame = parent.frame }
      }
      return spec
    }
  }

  mutating func windowFunction(
    _ call: FunctionCall, _ spec: WindowSpecification, _ context: ExpressionContext, name outputName: String,
    at location: SourceLocation
  ) throws(EngineError) -> WindowFunction {
    let name = call.name.name.value.lowercased()
    let kind: WindowFunction.Kind
    switch name {
    case "row_number": kind = .rowNumber
    case "rank": kind = .rank
    case "dense_rank": kind = .denseRank
    case "lag": kind = .lag
    case "lead": kind = .lead
    case "first_value": kind = .firstValue
    case "last_value": kind = .lastValue
    case "count": kind = call.isStar || call.arguments.isEmpty ? .countStar : .count
    case "sum": kind = .sum
    case "avg", "mean": kind = .avg
    case "min": kind = .min
    case "max": kind = .max
    default:
      throw EngineError(.binding, "\(name) cannot be used as a window function", at: location)
    }
    if call.isDistinct || call.filter != nil {
      throw EngineError(.unsupported, "DISTINCT and FILTER are not supported in window functions", at: location)
    }
    var argument: PhysicalExpression? = nil
    var offset = 1
    var defaultValue = ScalarValue.null
    let arguments = call.arguments.map(\.value)
    switch kind {
    case .rowNumber, .rank, .denseRank, .countStar:
      guard arguments.isEmpty else { throw EngineError(.binding, "\(name)() takes no arguments", at: location) }
    case .lag, .lead:
      guard (1...3).contains(arguments.count) else {
        throw EngineError(.binding, "\(name) takes (value [, offset [, default]])", at: location)
      }
      argument = try bindExpression(arguments[0], context).expression
      if arguments.count > 1 { offset = try constantInteger(arguments[1], clause: "\(name) offset") }
      if arguments.count > 2 {
        guard case .literal(let value) = try bindExpression(arguments[2], context).expression else {
          throw EngineError(.unsupported, "\(name) needs a constant default", at: arguments[2].location)
        }
        defaultValue = value
      }
    default:
      guard arguments.count == 1 else { throw EngineError(.binding, "\(name) takes one argument", at: location) }
      argument = try bindExpression(arguments[0], context).expression
    }
    var partitionBy: [PhysicalExpression] = []
    for e in spec.partitionBy { partitionBy.append(try bindExpression(e, context).expression) }
    var orderBy: [SortKey] = []
    for item in spec.orderBy { orderBy.append(sortKey(try bindExpression(item.expression, context).expression, item)) }
    var frame = Exec.WindowFrame.default
    if let written = spec.frame {
      frame = try windowFrame(written)
    } else if spec.orderBy.isEmpty {
      frame = Exec.WindowFrame(.rows, from: .unboundedPreceding, to: .unboundedFollowing)
    }
    return WindowFunction(
      kind, argument, offset: offset, default: defaultValue, partitionBy: partitionBy, orderBy: orderBy, frame: frame,
      as: outputName)
  }

  mutating func windowFrame(_ frame: SQLParser.WindowFrame) throws(EngineError) -> Exec.WindowFrame {
    let unit: Exec.WindowFrame.Unit
    switch frame.units {
    case .rows: unit = .rows
    case .range: unit = .range
    default: throw EngineError(.unsupported, "only ROWS and RANGE frames are supported", at: frame.location)
    }
    func bound(_ b: SQLParser.WindowFrame.Bound) throws(EngineError) -> Exec.WindowFrame.Bound {
      switch b {
      case .unboundedPreceding: return .unboundedPreceding
      case .unboundedFollowing: return .unboundedFollowing
      case .currentRow: return .currentRow
      case .preceding(let e): return .preceding(try constantInteger(e, clause: "PRECEDING"))
      case .following(let e): return .following(try constantInteger(e, clause: "FOLLOWING"))
      }
    }
    if unit == .range {
      for b in [frame.start] + (frame.end.map { [$0] } ?? []) {
        if case .preceding = b { throw EngineError(.unsupported, "RANGE frames with offsets are not supported; use ROWS", at: frame.location) }
        if case .following = b { throw EngineError(.unsupported, "RANGE frames with offsets are not supported; use ROWS", at: frame.location) }
      }
    }
    return Exec.WindowFrame(unit, from: try bound(frame.start), to: try bound(frame.end ?? .currentRow))
  }

  func windowType(_ function: WindowFunction, _ schema: Schema, at location: SourceLocation) throws(EngineError) -> DataType {
    var argumentType: DataType? = nil
    if let argument = function.argument {
      do { argumentType = try argument.resultType(over: schema) } catch {
        throw EngineError(.binding, error.message, at: location)
      }
    }
    switch function.kind {
    case .rowNumber, .rank, .denseRank, .countStar, .count: return .int64
    case .avg: return .float64
    case .sum:
      switch argumentType {
      case .float16?, .float32?, .float64?: return .float64
      case .decimal(_, let scale)?: return .decimal(precision: 38, scale: scale)
      default: return .int64
      }
    default: return argumentType ?? .null
    }
  }
}
