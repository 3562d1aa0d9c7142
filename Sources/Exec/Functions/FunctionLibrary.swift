public import Columnar
public import Expr

/// A scalar function bound to its arguments: what to evaluate and the type it returns.
public struct ResolvedFunction: Sendable {
  public var function: ScalarFunction
  public var resultType: DataType

  public init(function: ScalarFunction, resultType: DataType) {
    self.function = function
    self.resultType = resultType
  }
}

/// Every scalar function the SQL binder can call, by name, with DuckDB's semantics.
///
/// Resolving checks the argument count and types, compiles constant arguments once (regular
/// expressions, `date_part` / `date_trunc` units, `strftime` / `strptime` formats, CIDR ranges)
/// and picks the result type. Unless a function says otherwise, a NULL argument gives NULL;
/// a call with the untyped NULL literal resolves to a function that is NULL on every row.
///
/// | group | functions |
/// |---|---|
/// | text | `lower` `upper` `length` (`char_length`, `strlen`) `substr` (`substring`) `concat` `starts_with` (`prefix`) `ends_with` (`suffix`) `contains` `strpos` (`instr`) `trim` `ltrim` `rtrim` `split_part` `replace` `left` `right` `reverse` `repeat` `lpad` `rpad` |
/// | regular expressions | `regexp_matches` `regexp_extract` `regexp_replace` |
/// | comparison | `nullif` `greatest` `least` `abs` |
/// | hashes | `md5` `sha256` `hash` |
/// | time | `year` `quarter` `month` `week` (`weekofyear`) `day` (`dayofmonth`) `dayofweek` `isodow` `dayofyear` `isoyear` `hour` `minute` `second` `millisecond` `microsecond` `decade` `century` `millennium` `date_part` (`datepart`) `date_trunc` (`datetrunc`) `date_diff` (`datediff`) `strftime` `strptime` `try_strptime` `epoch` `epoch_ms` `epoch_us` `epoch_ns` `to_timestamp` `make_date` |
/// | IP addresses | `is_valid_ip` `is_ipv4` `is_ipv6` `ip_version` `is_private_ip` `cidr_contains` `ip_to_int` `int_to_ip` `ip_network` |
public enum FunctionLibrary {
  /// The function `name` (lowercase SQL name) applied to arguments of `argumentTypes`;
  /// `constantArguments[i]` is argument i's value when the SQL wrote a constant there.
  ///
  /// Returns nil when no scalar function has this name. Throws ``ExecError`` with
  /// `.invalidPlan` for a wrong argument count or a non-constant argument that must be constant,
  /// `.typeMismatch` for wrong argument types and `.invalidPattern` for a constant that does
  /// not compile (a regular expression, a unit, a format, a CIDR range).
  public static func resolve(
    _ name: String, argumentTypes: [DataType], constantArguments: [ScalarValue?]
  ) throws(ExecError) -> ResolvedFunction? {
    let name = name.lowercased()
    guard let definition = definitions[name] else { return nil }
    let call = FunctionCall(
      name: name, signature: definition.signature, types: argumentTypes, constants: constantArguments)
    try call.checkArity()
    var resolved = try definition.bind(call)
    if definition.strict, call.hasNullArgument {
      resolved.function = .custom(NullResultKernel(name: name, type: resolved.resultType))
    }
    return resolved
  }

  /// Every name ``resolve(_:argumentTypes:constantArguments:)`` accepts, sorted.
  public static var names: [String] { sortedNames }

  // MARK: Registry

  struct Definition: Sendable {
    let signature: FunctionSignature
    /// NULL in any argument gives NULL (false for concat, nullif, greatest, least, hash).
    let strict: Bool
    let bind: @Sendable (FunctionCall) throws(ExecError) -> ResolvedFunction
  }

  static let definitions: [String: Definition] = makeDefinitions()
  private static let sortedNames: [String] = definitions.keys.sorted()

  private static func makeDefinitions() -> [String: Definition] {
    var table: [String: Definition] = [:]
    func define(
      _ names: [String], _ parameters: [String], required: Int? = nil, variadic: Bool = false, strict: Bool = true,
      _ bind: @escaping @Sendable (FunctionCall) throws(ExecError) -> ResolvedFunction
    ) {
      let definition = Definition(
        signature: FunctionSignature(parameters, required: required, variadic: variadic), strict: strict, bind: bind)
      for name in names { table[name] = definition }
    }

    // MARK: Text
    define(["lower"], ["string"]) { c throws(ExecError) in
      try c.requireString(0)
      return resolved(.lower, .string)
    }
    define(["upper"], ["string"]) { c throws(ExecError) in
      try c.requireString(0)
      return resolved(.upper, .string)
    }
    define(["length", "char_length", "strlen"], ["string"]) { c throws(ExecError) in
      try c.requireString(0)
      return resolved(.length, .int64)
    }
    define(["substr", "substring"], ["string", "start", "length"], required: 2) { c throws(ExecError) in
      try c.requireString(0)
      for i in 1..<c.count { try c.requireInteger(i) }
      return resolved(.substr, .string)
    }
    define(["concat"], ["value"], variadic: true, strict: false) { c throws(ExecError) in
      for i in 0..<c.count { try c.requirePrimitive(i) }
      return resolved(.concat, .string)
    }
    define(["starts_with", "prefix"], ["string", "prefix"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      return resolved(.startsWith, .boolean)
    }
    define(["ends_with", "suffix"], ["string", "suffix"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      return custom(EndsWithKernel(name: c.name), .boolean)
    }
    define(["contains"], ["string", "needle"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      return resolved(.contains, .boolean)
    }
    define(["strpos", "instr"], ["string", "needle"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      return custom(StrposKernel(name: c.name), .int64)
    }
    define(["trim", "ltrim", "rtrim"], ["string", "characters"], required: 1) { c throws(ExecError) in
      for i in 0..<c.count { try c.requireString(i) }
      return custom(TrimKernel(name: c.name, left: c.name != "rtrim", right: c.name != "ltrim"), .string)
    }
    define(["split_part"], ["string", "delimiter", "index"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      try c.requireInteger(2)
      return custom(SplitPartKernel(), .string)
    }
    define(["replace"], ["string", "from", "to"]) { c throws(ExecError) in
      for i in 0..<3 { try c.requireString(i) }
      return custom(ReplaceKernel(), .string)
    }
    define(["left", "right"], ["string", "count"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireInteger(1)
      return custom(LeftRightKernel(name: c.name, fromRight: c.name == "right"), .string)
    }
    define(["reverse"], ["string"]) { c throws(ExecError) in
      try c.requireString(0)
      return custom(ReverseKernel(), .string)
    }
    define(["repeat"], ["string", "count"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireInteger(1)
      return custom(RepeatKernel(), .string)
    }
    define(["lpad", "rpad"], ["string", "length", "fill"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireInteger(1)
      try c.requireString(2)
      return custom(PadKernel(name: c.name, padLeft: c.name == "lpad"), .string)
    }

    // MARK: Regular expressions
    define(["regexp_matches"], ["string", "pattern", "options"], required: 2) { c throws(ExecError) in
      for i in 0..<c.count { try c.requireString(i) }
      guard let pattern = try c.constantString(1), let options = try regexOptions(c, 2, allowGlobal: false) else {
        return c.nulls(.boolean)
      }
      let function = ScalarFunction.regexpMatches(try options.compile(pattern, function: c.name))
      return resolved(c.count == 2 ? function : .custom(LeadingArgumentsKernel(function: function, count: 2)), .boolean)
    }
    define(["regexp_extract"], ["string", "pattern", "group", "options"], required: 2) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      if c.count > 2 { try c.requireInteger(2) }
      if c.count > 3 { try c.requireString(3) }
      guard let pattern = try c.constantString(1), let options = try regexOptions(c, 3, allowGlobal: false) else {
        return c.nulls(.string)
      }
      var group: Int64 = 0
      if c.count > 2 {
        guard let g = try c.constantInteger(2) else { return c.nulls(.string) }
        guard g >= 0, g <= 1000 else { throw ExecError(.invalidPattern, "regexp_extract group \(g) is out of range") }
        group = g
      }
      let function = ScalarFunction.regexpExtract(try options.compile(pattern, function: c.name), group: Int(group))
      return resolved(c.count <= 3 ? function : .custom(LeadingArgumentsKernel(function: function, count: 3)), .string)
    }
    define(["regexp_replace"], ["string", "pattern", "replacement", "options"], required: 3) { c throws(ExecError) in
      for i in 0..<c.count { try c.requireString(i) }
      guard let pattern = try c.constantString(1), let options = try regexOptions(c, 3, allowGlobal: true) else {
        return c.nulls(.string)
      }
      let regex = try options.compile(pattern, function: c.name)
      var replacement: RegexReplacement? = nil
      if var text = c.optionalConstantString(2) { replacement = text.withUTF8 { RegexReplacement($0) } }
      return custom(RegexpReplaceKernel(regex: regex, global: options.global, replacement: replacement), .string)
    }

    // MARK: Comparison and numbers
    define(["nullif"], ["value", "value"], strict: false) { c throws(ExecError) in
      _ = try ExtremumKernel.commonType(c.types, name: c.name)
      return custom(NullIfKernel(), c.types[0])
    }
    define(["greatest", "least"], ["value"], variadic: true, strict: false) { c throws(ExecError) in
      for i in 0..<c.count { try c.requirePrimitive(i) }
      let type = try ExtremumKernel.commonType(c.types, name: c.name)
      return custom(ExtremumKernel(name: c.name, greatest: c.name == "greatest", resultType: type), type)
    }
    define(["abs"], ["number"]) { c throws(ExecError) in
      try c.requireNumeric(0)
      return custom(AbsKernel(), c.types[0])
    }

    define(["round"], ["number", "digits"], required: 1) { c throws(ExecError) in
      try c.requireNumeric(0)
      let digits = c.count > 1 ? Int(try c.constantInteger(1) ?? 0) : 0
      let integer = Kernels.isInteger(c.types[0]) && digits >= 0
      return custom(RoundingKernel(mode: .round, digits: digits), integer ? c.types[0] : .float64)
    }
    define(["floor"], ["number"]) { c throws(ExecError) in
      try c.requireNumeric(0)
      return custom(RoundingKernel(mode: .floor, digits: 0), Kernels.isInteger(c.types[0]) ? c.types[0] : .float64)
    }
    define(["ceil", "ceiling"], ["number"]) { c throws(ExecError) in
      try c.requireNumeric(0)
      return custom(RoundingKernel(mode: .ceil, digits: 0), Kernels.isInteger(c.types[0]) ? c.types[0] : .float64)
    }

    // MARK: Hashes
    define(["md5", "sha256"], ["string"]) { c throws(ExecError) in
      try c.requireBytes(0)
      return custom(DigestKernel(name: c.name, algorithm: c.name == "md5" ? .md5 : .sha256), .string)
    }
    define(["hash"], ["value"], variadic: true, strict: false) { c throws(ExecError) in
      for i in 0..<c.count { try c.requirePrimitive(i) }
      return custom(HashKernel(), .uint64)
    }

    // MARK: Time
    define(["year", "month", "day", "dayofmonth", "hour"], ["timestamp"]) { c throws(ExecError) in
      try c.requireDateOrTimestamp(0)
      guard let function = ScalarFunction.named(c.name) else { throw ExecError(.invalidPlan, "no built-in \(c.name)") }
      return resolved(function, .int64)
    }
    let unitFunctions = [
      "minute", "second", "millisecond", "microsecond", "quarter", "week", "weekofyear", "dayofweek", "isodow",
      "dayofyear",
      "isoyear", "decade", "century", "millennium",
    ]
    define(unitFunctions, ["timestamp"]) { c throws(ExecError) in
      try c.requireDateOrTimestamp(0)
      guard let unit = DatePartUnit(parsing: c.name) else { throw ExecError(.invalidPlan, "no date part \(c.name)") }
      return custom(DatePartKernel(name: c.name, unit: unit), .int64)
    }
    define(["date_part", "datepart"], ["unit", "timestamp"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireDateOrTimestamp(1)
      guard let unit = try dateUnit(c) else { return c.nulls(.int64) }
      let kernel = DatePartKernel(name: c.name, unit: unit)
      return custom(kernel, kernel.resultType)
    }
    define(["date_trunc", "datetrunc"], ["unit", "timestamp"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireDateOrTimestamp(1)
      var type = DataType.date
      if case .timestamp(_, let utc) = c.types[1] { type = .timestamp(.microsecond, utc: utc) }
      guard let unit = try dateUnit(c) else { return c.nulls(type) }
      switch unit {
      case .year: return resolved(.dateTrunc(.year), type)
      case .quarter: return resolved(.dateTrunc(.quarter), type)
      case .month: return resolved(.dateTrunc(.month), type)
      case .week: return resolved(.dateTrunc(.week), type)
      case .day: return resolved(.dateTrunc(.day), type)
      case .hour: return resolved(.dateTrunc(.hour), type)
      case .minute: return resolved(.dateTrunc(.minute), type)
      case .second: return resolved(.dateTrunc(.second), type)
      case .millisecond: return custom(SubsecondTruncKernel(step: 1000, resultType: type), type)
      case .microsecond: return custom(SubsecondTruncKernel(step: 1, resultType: type), type)
      default:
        throw ExecError(
          .invalidPattern,
          "date_trunc does not support unit '\(c.optionalConstantString(0) ?? "")' (use year, quarter, month, week, day, hour, minute, second, millisecond, microsecond)"
        )
      }
    }
    define(["date_diff", "datediff"], ["unit", "start", "end"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireDateOrTimestamp(1)
      try c.requireDateOrTimestamp(2)
      guard let unit = try dateUnit(c) else { return c.nulls(.int64) }
      return custom(DateDiffKernel(name: c.name, unit: unit), .int64)
    }
    define(["strftime"], ["timestamp", "format"]) { c throws(ExecError) in
      // DuckDB also accepts strftime(format, timestamp).
      let valueIndex = c.types[0] == .string ? 1 : 0
      try c.requireDateOrTimestamp(valueIndex)
      try c.requireString(1 - valueIndex)
      guard let text = try c.constantString(1 - valueIndex) else { return c.nulls(.string) }
      return custom(StrftimeKernel(format: try TimeFormat(text, function: c.name), valueIndex: valueIndex), .string)
    }
    define(["strptime", "try_strptime"], ["string", "format"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      guard let text = try c.constantString(1) else { return c.nulls(.timestamp(.microsecond, utc: false)) }
      let format = try TimeFormat(text, function: c.name)
      if format.tokens.contains(.field(.isoWeek, padded: true))
        || format.tokens.contains(.field(.isoYear, padded: true))
      {
        throw ExecError(.invalidPattern, "\(c.name) cannot parse %V or %G in '\(text)'")
      }
      let kernel = StrptimeKernel(name: c.name, format: format, safe: c.name == "try_strptime")
      return custom(kernel, kernel.resultType)
    }
    define(["epoch", "epoch_ms", "epoch_us", "epoch_ns"], ["timestamp"]) { c throws(ExecError) in
      let scale: EpochKernel.Scale =
        switch c.name {
        case "epoch_ms": .millis
        case "epoch_us": .micros
        case "epoch_ns": .nanos
        default: .seconds
        }
      let fromCount = scale != .seconds && Kernels.isInteger(c.types[0])
      if !fromCount {
        switch c.types[0] {
        case .date, .timestamp, .null: break
        default: throw c.mismatch(0, scale == .seconds ? "a date or timestamp" : "a date, timestamp or integer")
        }
      }
      let kernel = EpochKernel(name: c.name, scale: scale, fromCount: fromCount)
      return custom(kernel, kernel.resultType)
    }
    define(["to_timestamp"], ["seconds"]) { c throws(ExecError) in
      try c.requireNumeric(0)
      return custom(ToTimestampKernel(), .timestamp(.microsecond, utc: true))
    }
    define(["make_date"], ["year", "month", "day"]) { c throws(ExecError) in
      for i in 0..<3 { try c.requireInteger(i) }
      return custom(MakeDateKernel(), .date)
    }

    // MARK: IP addresses
    define(["is_valid_ip", "is_ipv4", "is_ipv6", "is_private_ip"], ["ip"]) { c throws(ExecError) in
      try c.requireString(0)
      let test: IPTestKernel.Test =
        switch c.name {
        case "is_ipv4": .v4
        case "is_ipv6": .v6
        case "is_private_ip": .isPrivate
        default: .valid
        }
      return custom(IPTestKernel(name: c.name, test: test), .boolean)
    }
    define(["ip_version"], ["ip"]) { c throws(ExecError) in
      try c.requireString(0)
      return custom(IPVersionKernel(), .int64)
    }
    define(["ip_to_int"], ["ip"]) { c throws(ExecError) in
      try c.requireString(0)
      return custom(IPToIntKernel(), .int64)
    }
    define(["int_to_ip"], ["integer"]) { c throws(ExecError) in
      try c.requireInteger(0)
      return custom(IntToIPKernel(), .string)
    }
    define(["cidr_contains"], ["cidr", "ip"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireString(1)
      var range: CIDRRange? = nil
      if var text = c.optionalConstantString(0) {
        range = text.withUTF8 { CIDRRange.parse($0) }
        guard range != nil else {
          throw ExecError(
            .invalidPattern, "cidr_contains: '\(text)' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32")
        }
      }
      return custom(CIDRContainsKernel(range: range), .boolean)
    }
    define(["ip_network"], ["ip", "prefix"]) { c throws(ExecError) in
      try c.requireString(0)
      try c.requireInteger(1)
      if case .int64(let prefix)? = c.constant(1), prefix < 0 || prefix > 128 {
        throw ExecError(.invalidPattern, "ip_network prefix \(prefix) is out of range (0-32 for IPv4, 0-128 for IPv6)")
      }
      return custom(IPNetworkKernel(), .string)
    }
    return table
  }

  private static func resolved(_ function: ScalarFunction, _ type: DataType) -> ResolvedFunction {
    ResolvedFunction(function: function, resultType: type)
  }

  private static func custom(_ kernel: any ScalarFunctionKernel, _ type: DataType) -> ResolvedFunction {
    ResolvedFunction(function: .custom(kernel), resultType: type)
  }

  /// The regular expression options at `index` ('' when absent); nil for a NULL constant.
  private static func regexOptions(_ c: FunctionCall, _ index: Int, allowGlobal: Bool) throws(ExecError)
    -> RegexOptions?
  {
    guard index < c.count else { return RegexOptions() }
    guard let text = try c.constantString(index) else { return nil }
    return try RegexOptions(text, function: c.name, allowGlobal: allowGlobal)
  }

  /// The constant unit in argument 1; nil for a NULL constant.
  private static func dateUnit(_ c: FunctionCall) throws(ExecError) -> DatePartUnit? {
    guard let text = try c.constantString(0) else { return nil }
    guard let unit = DatePartUnit(parsing: text) else {
      throw ExecError(.invalidPattern, "\(c.name) does not know the unit '\(text)' (use \(DatePartUnit.spellings))")
    }
    return unit
  }
}

/// A built-in evaluated on the leading arguments only (the rest were compiled into it, like a
/// regular expression's options).
struct LeadingArgumentsKernel: ScalarFunctionKernel {
  let function: ScalarFunction
  let count: Int

  var name: String { function.name }

  func evaluate(_ arguments: [ColumnVector], rowCount: Int) throws(ExecError) -> ColumnVector {
    let context = PhysicalExpression.function(function, (0..<count).map { .column($0) })
    return try function.evaluate(Array(arguments.prefix(count)), rowCount: rowCount, context: context)
  }
}
