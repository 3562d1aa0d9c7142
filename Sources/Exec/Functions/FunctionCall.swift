import Columnar
import Expr

/// The parameters of a scalar function as error messages show them: "(string, delimiter, index)",
/// "(string[, characters])", "(value, ...)".
struct FunctionSignature: Sendable {
  /// Parameter names in order; the ones past `required` are optional.
  let parameters: [String]
  let required: Int
  /// The last parameter repeats any number of times.
  let variadic: Bool

  init(_ parameters: [String], required: Int? = nil, variadic: Bool = false) {
    self.parameters = parameters
    self.required = required ?? parameters.count
    self.variadic = variadic
  }

  var arity: ClosedRange<Int> { required...(variadic ? Int.max : parameters.count) }

  /// "(string[, characters])".
  var text: String {
    var out = "("
    for (index, parameter) in parameters.enumerated() {
      let separator = index == 0 ? "" : ", "
      out += index < required ? separator + parameter : "[" + separator + parameter
    }
    out += String(repeating: "]", count: parameters.count - required)
    if variadic { out += ", ..." }
    return out + ")"
  }

  /// "3 arguments", "1 or 2 arguments", "2 to 4 arguments", "at least 1 argument".
  var countText: String {
    func plural(_ n: Int) -> String { n == 1 ? "\(n) argument" : "\(n) arguments" }
    if variadic { return "at least " + plural(required) }
    if required == parameters.count { return plural(required) }
    if required + 1 == parameters.count { return "\(required) or \(plural(parameters.count))" }
    return "\(required) to \(plural(parameters.count))"
  }
}

/// One call being bound: the name as written, its argument types and constant values, with the
/// checks every binder needs. Every check throws a message that names the function, the
/// argument's position and role, and what was found.
struct FunctionCall {
  let name: String
  let signature: FunctionSignature
  let types: [DataType]
  let constants: [ScalarValue?]

  var count: Int { types.count }

  func checkArity() throws(ExecError) {
    guard signature.arity.contains(types.count) else {
      throw ExecError(.invalidPlan, "\(name) takes \(signature.countText) \(signature.text), got \(types.count)")
    }
  }

  /// "argument 3 (index)".
  func argument(_ index: Int) -> String {
    let parameter =
      index < signature.parameters.count ? signature.parameters[index] : signature.parameters.last ?? "value"
    return "argument \(index + 1) (\(parameter))"
  }

  func mismatch(_ index: Int, _ expected: String) -> ExecError {
    ExecError(.typeMismatch, "\(name) \(argument(index)) must be \(expected), not \(Self.typeName(types[index]))")
  }

  /// True when some argument is the untyped NULL literal.
  var hasNullArgument: Bool { types.contains(.null) }

  // MARK: Type checks (the NULL literal passes all of them)

  func requireString(_ index: Int) throws(ExecError) {
    guard types[index] == .string || types[index] == .null else { throw mismatch(index, "a string") }
  }

  func requireBytes(_ index: Int) throws(ExecError) {
    guard types[index].isBinaryLike || types[index] == .null else { throw mismatch(index, "a string or binary") }
  }

  func requireInteger(_ index: Int) throws(ExecError) {
    guard Kernels.isInteger(types[index]) || types[index] == .null else { throw mismatch(index, "an integer") }
  }

  func requireNumeric(_ index: Int) throws(ExecError) {
    guard Kernels.isNumeric(types[index]) || types[index] == .null else { throw mismatch(index, "a number") }
  }

  /// A date or a timestamp of any unit.
  func requireDateOrTimestamp(_ index: Int) throws(ExecError) {
    switch types[index] {
    case .date, .timestamp, .null: return
    default: throw mismatch(index, "a date or timestamp")
    }
  }

  func requirePrimitive(_ index: Int) throws(ExecError) {
    guard types[index].isPrimitive else { throw mismatch(index, "a primitive value") }
  }

  // MARK: Constants

  /// The constant string at `index`; nil when it is the NULL constant. Throws when the argument is
  /// not a constant, naming `role` ("the pattern must be a constant").
  func constantString(_ index: Int) throws(ExecError) -> String? {
    guard let value = constant(index) else {
      throw ExecError(.invalidPlan, "\(name) \(argument(index)) must be a constant string")
    }
    switch value {
    case .null: return nil
    case .string(let s): return s
    default: throw ExecError(.typeMismatch, "\(name) \(argument(index)) must be a string, not \(value)")
    }
  }

  /// The constant integer at `index`; nil when it is the NULL constant.
  func constantInteger(_ index: Int) throws(ExecError) -> Int64? {
    guard let value = constant(index) else {
      throw ExecError(.invalidPlan, "\(name) \(argument(index)) must be a constant integer")
    }
    switch value {
    case .null: return nil
    case .int64(let v): return v
    default: throw ExecError(.typeMismatch, "\(name) \(argument(index)) must be an integer, not \(value)")
    }
  }

  /// The constant value at `index`, if the SQL wrote one there.
  func constant(_ index: Int) -> ScalarValue? {
    index < constants.count ? constants[index] : nil
  }

  /// The constant string at `index` when there is one (NULL and non-constants give nil).
  func optionalConstantString(_ index: Int) -> String? {
    if case .string(let s)? = constant(index) { return s }
    return nil
  }

  /// A function that returns NULL on every row, for calls that are NULL whatever the input.
  func nulls(_ type: DataType) -> ResolvedFunction {
    ResolvedFunction(function: .custom(NullResultKernel(name: name, type: type)), resultType: type)
  }

  /// A short SQL-ish name of a type for messages.
  static func typeName(_ type: DataType) -> String {
    switch type {
    case .null: "NULL"
    case .boolean: "boolean"
    case .int8: "int8"
    case .int16: "int16"
    case .int32: "int32"
    case .int64: "int64"
    case .uint8: "uint8"
    case .uint16: "uint16"
    case .uint32: "uint32"
    case .uint64: "uint64"
    case .float16: "float16"
    case .float32: "float32"
    case .float64: "float64"
    case .decimal(let p, let s): "decimal(\(p), \(s))"
    case .string: "string"
    case .binary: "binary"
    case .fixedBinary(let width): "fixed_binary(\(width))"
    case .uuid: "uuid"
    case .date: "date"
    case .time(let unit): "time(\(unit.rawValue))"
    case .timestamp(let unit, let utc): utc ? "timestamp(\(unit.rawValue), utc)" : "timestamp_ntz(\(unit.rawValue))"
    case .structure: "struct"
    case .list: "list"
    case .map: "map"
    }
  }
}

/// A function that is NULL on every row (a NULL argument to a strict function).
struct NullResultKernel: ScalarFunctionKernel {
  let name: String
  let type: DataType

  func evaluate(_ arguments: [ColumnVector], rowCount: Int) throws(ExecError) -> ColumnVector {
    .nulls(type, count: rowCount)
  }
}
