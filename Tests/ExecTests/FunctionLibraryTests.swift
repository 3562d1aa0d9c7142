import Columnar
import Expr
import Testing

@testable import Exec

/// One argument of a test call: a column of values, a dictionary-encoded column, or a constant.
private enum Argument {
  case column(DataType, [ScalarValue])
  case vector(ColumnVector)
  case constant(ScalarValue)

  static func strings(_ values: [String?]) -> Argument {
    .column(.string, values.map { $0.map(ScalarValue.string) ?? .null })
  }

  static func ints(_ values: [Int64?]) -> Argument {
    .column(.int64, values.map { $0.map(ScalarValue.int64) ?? .null })
  }

  /// Strings stored as a dictionary: `nil` entries are NULL rows.
  static func dictionary(_ values: [String?]) -> Argument {
    var entries: [String] = []
    var indices: [Int32] = []
    for value in values {
      guard let text = value else {
        // A NULL row points at entry 0, whatever it is.
        indices.append(0)
        continue
      }
      if let k = entries.firstIndex(of: text) {
        indices.append(Int32(k))
      } else {
        indices.append(Int32(entries.count))
        entries.append(text)
      }
    }
    if entries.isEmpty { entries.append("") }
    var offsets: [Int32] = [0]
    var bytes: [UInt8] = []
    for entry in entries {
      bytes += Array(entry.utf8)
      offsets.append(Int32(bytes.count))
    }
    let dictionary = ColumnVector(type: .string, count: entries.count, storage: .binary(offsets: offsets, bytes: bytes))
    let validity = values.contains(where: { $0 == nil }) ? Bitmap.build(count: values.count) { values[$0] != nil } : nil
    return .vector(
      ColumnVector(
        type: .string, count: values.count, validity: validity,
        storage: .dictionary(indices: indices, dictionary: dictionary)))
  }

  var type: DataType {
    switch self {
    case .column(let type, _): type
    case .vector(let v): v.type
    case .constant(let value):
      switch value {
      case .null: .null
      case .boolean: .boolean
      case .int64: .int64
      case .float64: .float64
      case .decimal(_, let p, let s): .decimal(precision: p, scale: s)
      case .string: .string
      case .binary: .binary
      case .date: .date
      case .timestamp(_, let utc): .timestamp(.microsecond, utc: utc)
      }
    }
  }
}

/// Resolves `name` for `arguments` and evaluates it over one batch.
private func resolve(_ name: String, _ arguments: [Argument]) throws -> ResolvedFunction {
  let constants = arguments.map { argument -> ScalarValue? in if case .constant(let v) = argument { v } else { nil } }
  guard
    let resolved = try FunctionLibrary.resolve(name, argumentTypes: arguments.map(\.type), constantArguments: constants)
  else {
    throw ExecError(.invalidPlan, "no function \(name)")
  }
  return resolved
}

private func evaluateVector(_ name: String, _ arguments: [Argument]) throws -> (ColumnVector, ResolvedFunction) {
  let resolved = try resolve(name, arguments)
  var fields: [Field] = []
  var columns: [ColumnVector] = []
  var expressions: [PhysicalExpression] = []
  for argument in arguments {
    switch argument {
    case .column(let type, let values):
      expressions.append(.column(columns.count))
      columns.append(try ColumnVector.from(values, type: type))
      fields.append(Field("c\(fields.count)", type))
    case .vector(let v):
      expressions.append(.column(columns.count))
      columns.append(v)
      fields.append(Field("c\(fields.count)", v.type))
    case .constant(let value):
      expressions.append(.literal(value))
    }
  }
  let rows = columns.first?.count ?? 1
  let input = try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: rows)
  let result = try PhysicalExpression.function(resolved.function, expressions).evaluate(input)
  #expect(result.count == rows)
  if !columns.isEmpty {
    #expect(result.type == resolved.resultType, "\(name) returned \(result.type), resolved \(resolved.resultType)")
  }
  return (result, resolved)
}

private func evaluate(_ name: String, _ arguments: [Argument]) throws -> [ScalarValue] {
  let (v, _) = try evaluateVector(name, arguments)
  return (0..<v.count).map { ScalarValue(from: v, row: $0) }
}

private func strings(_ values: [String?]) -> [ScalarValue] { values.map { $0.map(ScalarValue.string) ?? .null } }
private func ints(_ values: [Int64?]) -> [ScalarValue] { values.map { $0.map(ScalarValue.int64) ?? .null } }
private func bools(_ values: [Bool?]) -> [ScalarValue] { values.map { $0.map(ScalarValue.boolean) ?? .null } }

/// Microseconds since the epoch of a wall-clock time.
private func micros(_ y: Int64, _ m: Int, _ d: Int, _ h: Int64 = 0, _ mi: Int64 = 0, _ s: Int64 = 0, _ us: Int64 = 0)
  -> Int64
{
  CalendarFormatting.days(year: y, month: m, day: d) * 86_400_000_000 + h * 3_600_000_000 + mi * 60_000_000 + s
    * 1_000_000 + us
}

private func timestamps(_ values: [Int64?], utc: Bool = false) -> Argument {
  .column(.timestamp(.microsecond, utc: utc), values.map { $0.map { ScalarValue.timestamp($0, utc: utc) } ?? .null })
}

private func dates(_ values: [(Int64, Int, Int)?]) -> Argument {
  .column(
    .date,
    values.map {
      $0.map { ScalarValue.date(Int32(CalendarFormatting.days(year: $0.0, month: $0.1, day: $0.2))) } ?? .null
    })
}

/// The error `body` throws, as an `ExecError`.
private func execError(_ body: () throws -> Void) -> ExecError? {
  do {
    try body()
    return nil
  } catch let error as ExecError {
    return error
  } catch {
    return nil
  }
}

@Suite struct FunctionLibraryTests {
  // MARK: Registry and errors

  @Test func namesCoverTheLibrary() {
    let names = Set(FunctionLibrary.names)
    let expected = [
      "lower", "upper", "length", "char_length", "strlen", "substr", "substring", "concat", "starts_with", "prefix",
      "contains",
      "abs", "regexp_matches", "regexp_extract", "regexp_replace", "year", "month", "day", "dayofmonth", "hour",
      "date_trunc",
      "trim", "ltrim", "rtrim", "split_part", "replace", "left", "right", "reverse", "repeat", "lpad", "rpad", "strpos",
      "instr",
      "ends_with", "suffix", "nullif", "greatest", "least", "md5", "sha256", "hash", "date_part", "minute", "second",
      "dayofweek", "quarter", "strftime", "epoch", "epoch_ms", "epoch_us", "to_timestamp", "make_date", "date_diff",
      "datediff",
      "strptime", "is_valid_ip", "is_ipv4", "is_ipv6", "ip_version", "cidr_contains", "is_private_ip", "ip_to_int",
      "int_to_ip",
      "ip_network",
    ]
    for name in expected { #expect(names.contains(name), "missing \(name)") }
    #expect(FunctionLibrary.names == FunctionLibrary.names.sorted())
  }

  @Test func unknownNameIsNil() throws {
    #expect(try FunctionLibrary.resolve("no_such_function", argumentTypes: [.string], constantArguments: [nil]) == nil)
    #expect(
      try FunctionLibrary.resolve("LOWER", argumentTypes: [.string], constantArguments: [nil])?.resultType == .string)
  }

  @Test func argumentCountErrors() {
    let splitPart = execError { _ = try resolve("split_part", [.strings(["a"]), .constant(.string(","))]) }
    #expect(splitPart?.code == .invalidPlan)
    #expect(splitPart?.message == "split_part takes 3 arguments (string, delimiter, index), got 2")
    let trim = execError {
      _ = try resolve("trim", [.strings(["a"]), .constant(.string("x")), .constant(.string("y"))])
    }
    #expect(trim?.message == "trim takes 1 or 2 arguments (string[, characters]), got 3")
    let regexp = execError { _ = try resolve("regexp_extract", [.strings(["a"])]) }
    #expect(regexp?.message == "regexp_extract takes 2 to 4 arguments (string, pattern[, group[, options]]), got 1")
    let greatest = execError { _ = try resolve("greatest", []) }
    #expect(greatest?.message == "greatest takes at least 1 argument (value, ...), got 0")
  }

  @Test func argumentTypeErrors() {
    let lower = execError { _ = try resolve("lower", [.ints([1])]) }
    #expect(lower?.code == .typeMismatch)
    #expect(lower?.message == "lower argument 1 (string) must be a string, not int64")
    let index = execError {
      _ = try resolve("split_part", [.strings(["a"]), .constant(.string(",")), .strings(["1"])])
    }
    #expect(index?.message == "split_part argument 3 (index) must be an integer, not string")
    #expect(execError { _ = try resolve("year", [.strings(["2024"])]) }?.code == .typeMismatch)
    #expect(execError { _ = try resolve("greatest", [.ints([1]), .strings(["a"])]) }?.code == .typeMismatch)
    #expect(execError { _ = try resolve("nullif", [.ints([1]), .strings(["a"])]) }?.code == .typeMismatch)
    #expect(execError { _ = try resolve("abs", [.strings(["-1"])]) }?.code == .typeMismatch)
    #expect(execError { _ = try resolve("epoch", [.ints([1])]) }?.code == .typeMismatch)
  }

  @Test func constantsAreRequiredAndCompiled() {
    // Patterns, units and formats must be constants.
    let pattern = execError { _ = try resolve("regexp_matches", [.strings(["a"]), .strings(["a+"])]) }
    #expect(pattern?.code == .invalidPlan)
    #expect(pattern?.message == "regexp_matches argument 2 (pattern) must be a constant string")
    #expect(execError { _ = try resolve("date_part", [.strings(["year"]), timestamps([0])]) }?.code == .invalidPlan)
    #expect(execError { _ = try resolve("strftime", [timestamps([0]), .strings(["%Y"])]) }?.code == .invalidPlan)
    // Constants that do not compile.
    #expect(
      execError { _ = try resolve("regexp_matches", [.strings(["a"]), .constant(.string("a("))]) }?.code
        == .invalidPattern)
    #expect(
      execError {
        _ = try resolve("regexp_matches", [.strings(["a"]), .constant(.string("a")), .constant(.string("g"))])
      }?.code == .invalidPattern)
    #expect(
      execError {
        _ = try resolve(
          "regexp_replace",
          [.strings(["a"]), .constant(.string("a")), .constant(.string("b")), .constant(.string("q"))])
      }?.code == .invalidPattern)
    let unit = execError { _ = try resolve("date_part", [.constant(.string("fortnight")), timestamps([0])]) }
    #expect(unit?.code == .invalidPattern)
    #expect(unit?.message.contains("fortnight") == true)
    #expect(
      execError { _ = try resolve("date_trunc", [.constant(.string("dow")), timestamps([0])]) }?.code == .invalidPattern
    )
    #expect(
      execError { _ = try resolve("strftime", [timestamps([0]), .constant(.string("%Q"))]) }?.code == .invalidPattern)
    #expect(
      execError { _ = try resolve("strftime", [timestamps([0]), .constant(.string("%Y %"))]) }?.code == .invalidPattern)
    #expect(
      execError { _ = try resolve("cidr_contains", [.constant(.string("10.0.0.0/33")), .strings(["10.0.0.1"])]) }?.code
        == .invalidPattern)
    #expect(
      execError { _ = try resolve("cidr_contains", [.constant(.string("10.0.0/8")), .strings(["10.0.0.1"])]) }?.code
        == .invalidPattern)
    #expect(
      execError { _ = try resolve("ip_network", [.strings(["10.0.0.1"]), .constant(.int64(129))]) }?.code
        == .invalidPattern)
  }

  @Test func nullLiteralGivesTypedNulls() throws {
    let (v, resolved) = try evaluateVector(
      "split_part", [.strings(["a,b", "c"]), .constant(.null), .constant(.int64(1))])
    #expect(resolved.resultType == .string)
    #expect(v.nullCount == 2)
    #expect(try evaluate("date_part", [.constant(.null), timestamps([0])]) == [.null])
    #expect(try evaluate("regexp_matches", [.strings(["a"]), .constant(.null)]) == [.null])
    #expect(try evaluate("is_valid_ip", [.constant(.null)]) == [.null])
    #expect(try evaluate("upper", [.constant(.null)]) == [.null])
  }

  // MARK: Built-ins

  @Test func builtinStringFunctions() throws {
    let words: Argument = .strings(["Hello", nil, "ÄbC"])
    #expect(try evaluate("lower", [words]) == strings(["hello", nil, "Äbc"]))
    #expect(try evaluate("upper", [words]) == strings(["HELLO", nil, "ÄBC"]))
    for name in ["length", "char_length", "strlen"] {
      #expect(try evaluate(name, [words]) == ints([5, nil, 3]))
    }
    #expect(try evaluate("substr", [words, .constant(.int64(2)), .constant(.int64(2))]) == strings(["el", nil, "bC"]))
    #expect(try evaluate("substring", [words, .constant(.int64(-2))]) == strings(["lo", nil, "bC"]))
    #expect(
      try evaluate("concat", [words, .constant(.string("-")), .ints([1, 2, nil])])
        == strings(["Hello-1", "-2", "ÄbC-"]))
    #expect(try evaluate("starts_with", [words, .constant(.string("He"))]) == bools([true, nil, false]))
    #expect(try evaluate("prefix", [words, .constant(.string("Äb"))]) == bools([false, nil, true]))
    #expect(try evaluate("contains", [words, .constant(.string("ll"))]) == bools([true, nil, false]))
    #expect(try evaluate("regexp_matches", [words, .constant(.string("^h"))]) == bools([false, nil, false]))
    #expect(
      try evaluate("regexp_matches", [words, .constant(.string("^h")), .constant(.string("i"))])
        == bools([true, nil, false]))
    #expect(
      try evaluate("regexp_extract", [.strings(["k=v1", "x"]), .constant(.string("=(\\w+)")), .constant(.int64(1))])
        == strings(["v1", ""]))
    #expect(
      try evaluate(
        "regexp_extract",
        [.strings(["k=v1", "x"]), .constant(.string("K=")), .constant(.int64(0)), .constant(.string("i"))])
        == strings(["k=", ""]))
  }

  @Test func absKeepsTheType() throws {
    let (small, resolved) = try evaluateVector("abs", [.column(.int8, ints([-3, nil, 4]))])
    #expect(resolved.resultType == .int8)
    if case .int8(let values) = small.storage {
      #expect(values[0] == 3 && values[2] == 4)
    } else {
      Issue.record("abs(int8) is not int8")
    }
    #expect(try evaluate("abs", [.column(.float64, [.float64(-2.5), .null])]) == [.float64(2.5), .null])
    #expect(try evaluate("abs", [.column(.uint32, ints([7]))]) == ints([7]))
    #expect(
      try evaluate("abs", [.column(.decimal(precision: 10, scale: 2), [.decimal(-150, precision: 10, scale: 2)])]) == [
        .decimal(150, precision: 10, scale: 2)
      ])
    #expect(execError { _ = try evaluate("abs", [.column(.int16, ints([Int64(Int16.min)]))]) }?.code == .overflow)
    // A NULL in the minimum's slot is not an overflow.
    #expect(try evaluate("abs", [.ints([nil, -1])]) == ints([nil, 1]))
  }

  // MARK: Strings

  @Test func trimFamily() throws {
    let input: Argument = .strings(["  a b  ", "\u{3000}x\u{00A0}", "\tkeep\n", nil, ""])
    #expect(try evaluate("trim", [input]) == strings(["a b", "x", "\tkeep\n", nil, ""]))
    #expect(try evaluate("ltrim", [input]) == strings(["a b  ", "x\u{00A0}", "\tkeep\n", nil, ""]))
    #expect(try evaluate("rtrim", [input]) == strings(["  a b", "\u{3000}x", "\tkeep\n", nil, ""]))
    let chars: Argument = .strings(["xxhixx", "éaé", "yyy"])
    #expect(try evaluate("trim", [chars, .constant(.string("xy"))]) == strings(["hi", "éaé", ""]))
    #expect(try evaluate("trim", [chars, .strings(["x", "é", "z"])]) == strings(["hi", "a", "yyy"]))
    #expect(try evaluate("ltrim", [chars, .constant(.string("x"))]) == strings(["hixx", "éaé", "yyy"]))
    #expect(try evaluate("rtrim", [chars, .constant(.string("é"))]) == strings(["xxhixx", "éa", "yyy"]))
  }

  @Test func splitPart() throws {
    let input: Argument = .strings(["a,b,,c", "single", "", nil, "x::y::z"])
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(2))])
        == strings(["b", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(3))])
        == strings(["", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(-1))])
        == strings(["c", "single", "", nil, "x::y::z"]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(-4))])
        == strings(["a", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(-5))])
        == strings(["", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(0))])
        == strings(["", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string(",")), .constant(.int64(9))])
        == strings(["", "", "", nil, ""]))
    #expect(
      try evaluate("split_part", [input, .constant(.string("::")), .constant(.int64(-2))])
        == strings(["", "", "", nil, "y"]))
    // An empty delimiter splits into characters.
    #expect(
      try evaluate("split_part", [.strings(["héllo"]), .constant(.string("")), .constant(.int64(2))]) == strings(["é"]))
    #expect(
      try evaluate("split_part", [.strings(["héllo"]), .constant(.string("")), .constant(.int64(-1))]) == strings(["o"])
    )
    // Per-row delimiters and indices.
    #expect(
      try evaluate("split_part", [.strings(["a-b", "c.d", "e/f"]), .strings(["-", ".", nil]), .ints([2, 1, 1])])
        == strings(["b", "c", nil]))
    // Paths by dictionary: the dictionary is transformed, not each row.
    let paths: Argument = .dictionary(["/var/log/a.log", "/etc/hosts", nil, "/var/log/a.log"])
    let (v, _) = try evaluateVector("split_part", [paths, .constant(.string("/")), .constant(.int64(-1))])
    if case .dictionary = v.storage {} else { Issue.record("dictionary input should give a dictionary result") }
    #expect((0..<v.count).map { ScalarValue(from: v, row: $0) } == strings(["a.log", "hosts", nil, "a.log"]))
  }

  @Test func replaceAndRegexpReplace() throws {
    let input: Argument = .strings(["aaa", "banana", nil, ""])
    #expect(
      try evaluate("replace", [input, .constant(.string("a")), .constant(.string("xy"))])
        == strings(["xyxyxy", "bxynxynxy", nil, ""]))
    #expect(
      try evaluate("replace", [input, .constant(.string("aa")), .constant(.string(""))])
        == strings(["a", "banana", nil, ""]))
    #expect(
      try evaluate("replace", [input, .constant(.string("")), .constant(.string("z"))])
        == strings(["aaa", "banana", nil, ""]))
    // DuckDB replaces only the first match unless the options hold 'g'.
    #expect(
      try evaluate("regexp_replace", [input, .constant(.string("a")), .constant(.string("o"))])
        == strings(["oaa", "bonana", nil, ""]))
    #expect(
      try evaluate(
        "regexp_replace", [input, .constant(.string("a")), .constant(.string("o")), .constant(.string("g"))])
        == strings(["ooo", "bonono", nil, ""]))
    #expect(
      try evaluate(
        "regexp_replace",
        [.strings(["2024-02-29"]), .constant(.string("(\\d+)-(\\d+)-(\\d+)")), .constant(.string("\\3/\\2/\\1"))])
        == strings(["29/02/2024"]))
    #expect(
      try evaluate(
        "regexp_replace",
        [.strings(["Hello HELLO"]), .constant(.string("hello")), .constant(.string("<\\0>")), .constant(.string("gi"))])
        == strings(["<Hello> <HELLO>"]))
    #expect(
      try evaluate(
        "regexp_replace",
        [.strings(["a.c abc"]), .constant(.string(".")), .constant(.string("!")), .constant(.string("lg"))])
        == strings(["a!c abc"]))
    #expect(
      try evaluate("regexp_replace", [.strings(["x1", "y2"]), .constant(.string("\\d")), .strings(["#", "[\\0]"])])
        == strings(["x#", "y[2]"]))
    #expect(
      try evaluate(
        "regexp_replace", [.dictionary(["ab", nil, "ab"]), .constant(.string("b")), .constant(.string("\\\\"))])
        == strings(["a\\", nil, "a\\"]))
  }

  @Test func leftRightReverseRepeat() throws {
    let input: Argument = .strings(["héllo", nil, ""])
    #expect(try evaluate("left", [input, .constant(.int64(2))]) == strings(["hé", nil, ""]))
    #expect(try evaluate("left", [input, .constant(.int64(-2))]) == strings(["hél", nil, ""]))
    #expect(try evaluate("left", [input, .constant(.int64(99))]) == strings(["héllo", nil, ""]))
    #expect(try evaluate("left", [input, .constant(.int64(-99))]) == strings(["", nil, ""]))
    #expect(try evaluate("right", [input, .constant(.int64(4))]) == strings(["éllo", nil, ""]))
    #expect(try evaluate("right", [input, .constant(.int64(-1))]) == strings(["éllo", nil, ""]))
    #expect(try evaluate("right", [input, .constant(.int64(Int64.min))]) == strings(["", nil, ""]))
    #expect(try evaluate("reverse", [.strings(["héllo", "🦆ab", nil])]) == strings(["olléh", "ba🦆", nil]))
    #expect(try evaluate("repeat", [.strings(["ab", "x", nil]), .ints([3, 0, 2])]) == strings(["ababab", "", nil]))
    #expect(try evaluate("repeat", [.strings(["ab"]), .constant(.int64(-1))]) == strings([""]))
    #expect(
      execError { _ = try evaluate("repeat", [.strings(["ab"]), .constant(.int64(Int64.max))]) }?.code == .memoryLimit)
  }

  @Test func padding() throws {
    let input: Argument = .strings(["7", "héllo", nil])
    #expect(
      try evaluate("lpad", [input, .constant(.int64(3)), .constant(.string("0"))]) == strings(["007", "hél", nil]))
    #expect(
      try evaluate("rpad", [input, .constant(.int64(4)), .constant(.string("ab"))]) == strings(["7aba", "héll", nil]))
    #expect(
      try evaluate("lpad", [.strings(["x"]), .constant(.int64(4)), .constant(.string("é"))]) == strings(["éééx"]))
    #expect(try evaluate("lpad", [.strings(["x"]), .constant(.int64(-1)), .constant(.string("0"))]) == strings([""]))
    #expect(try evaluate("lpad", [.strings(["abc"]), .constant(.int64(2)), .constant(.string(""))]) == strings(["ab"]))
    #expect(
      execError { _ = try evaluate("rpad", [.strings(["a"]), .constant(.int64(3)), .constant(.string(""))]) }?.code
        == .invalidPattern)
  }

  @Test func searching() throws {
    let input: Argument = .strings(["héllo", "world", nil, ""])
    for name in ["strpos", "instr"] {
      #expect(try evaluate(name, [input, .constant(.string("l"))]) == ints([3, 4, nil, 0]))
    }
    #expect(try evaluate("strpos", [input, .constant(.string(""))]) == ints([1, 1, nil, 1]))
    #expect(try evaluate("strpos", [input, .strings(["llo", "z", "a", "a"])]) == ints([3, 0, nil, 0]))
    for name in ["ends_with", "suffix"] {
      #expect(try evaluate(name, [input, .constant(.string("lo"))]) == bools([true, false, nil, false]))
    }
    #expect(try evaluate("ends_with", [input, .constant(.string(""))]) == bools([true, true, nil, true]))
    #expect(
      try evaluate("ends_with", [.dictionary(["a.log", "b.txt", nil, "a.log"]), .constant(.string(".log"))])
        == bools([true, false, nil, true]))
  }

  @Test func dictionaryInputsKeepTheirEncoding() throws {
    let input: Argument = .dictionary(["Alpha", "beta", nil, "Alpha"])
    let (upper, _) = try evaluateVector("upper", [input])
    if case .dictionary(_, let dictionary) = upper.storage {
      #expect(dictionary.count == 2)
    } else {
      Issue.record("upper lost the dictionary")
    }
    #expect((0..<4).map { ScalarValue(from: upper, row: $0) } == strings(["ALPHA", "BETA", nil, "ALPHA"]))
    #expect(try evaluate("trim", [input, .constant(.string("A"))]) == strings(["lpha", "beta", nil, "lpha"]))
    #expect(try evaluate("length", [input]) == ints([5, 4, nil, 5]))
    let alpha = try md5("Alpha")
    let beta = try md5("beta")
    #expect(try evaluate("md5", [input]) == strings([alpha, beta, nil, alpha]))
    // Per-row other arguments: the dictionary is decoded row by row.
    #expect(try evaluate("left", [input, .ints([1, 2, 3, 4])]) == strings(["A", "be", nil, "Alph"]))
  }

  private func md5(_ text: String) throws -> String? {
    if case .string(let s) = try evaluate("md5", [.constant(.string(text))])[0] { return s }
    return nil
  }

  // MARK: Comparison

  @Test func nullif() throws {
    #expect(try evaluate("nullif", [.ints([1, 2, nil, 4]), .constant(.int64(2))]) == ints([1, nil, nil, 4]))
    #expect(try evaluate("nullif", [.strings(["", "x", nil]), .constant(.string(""))]) == strings([nil, "x", nil]))
    #expect(try evaluate("nullif", [.ints([1, 2, 3]), .ints([1, nil, 4])]) == ints([nil, 2, 3]))
    #expect(try evaluate("nullif", [.ints([1, 2]), .constant(.null)]) == ints([1, 2]))
    let (v, resolved) = try evaluateVector("nullif", [.column(.int32, ints([5, 6])), .constant(.int64(6))])
    #expect(resolved.resultType == .int32)
    #expect(v.isNull(1) && !v.isNull(0))
  }

  @Test func greatestAndLeast() throws {
    let a: Argument = .column(.int32, ints([1, nil, 5, nil]))
    let b: Argument = .column(.int8, ints([3, 2, 4, nil]))
    let (g, resolved) = try evaluateVector("greatest", [a, b])
    #expect(resolved.resultType == .int64)
    #expect((0..<4).map { ScalarValue(from: g, row: $0) } == ints([3, 2, 5, nil]))
    #expect(try evaluate("least", [a, b, .constant(.int64(0))]) == ints([0, 0, 0, 0]))
    // Mixed integers and floats widen to float64; NaN is the largest.
    let mixed = try evaluateVector(
      "greatest", [a, .column(.float64, [.float64(1.5), .float64(.nan), .float64(2), .null])])
    #expect(mixed.1.resultType == .float64)
    #expect(ScalarValue(from: mixed.0, row: 0) == .float64(1.5))
    #expect(ScalarValue(from: mixed.0, row: 1).isNaN)
    #expect(ScalarValue(from: mixed.0, row: 2) == .float64(5))
    #expect(try evaluate("least", [.column(.float64, [.float64(.nan)]), .constant(.float64(3))]) == [.float64(3)])
    // Strings compare by bytes.
    #expect(
      try evaluate("greatest", [.strings(["apple", "b", nil]), .dictionary(["apricot", "B", nil])])
        == strings(["apricot", "b", nil]))
    #expect(
      try evaluate("least", [.strings(["apple", "b", nil]), .constant(.string("az"))])
        == strings(["apple", "az", "az"]))
    // Dates and timestamps compare as instants.
    let day = dates([(2024, 1, 2), nil])
    let time = timestamps([micros(2024, 1, 1, 12), micros(2023, 5, 5)])
    let (t, tr) = try evaluateVector("greatest", [day, time])
    #expect(tr.resultType == .timestamp(.microsecond, utc: false))
    #expect(
      (0..<2).map { ScalarValue(from: t, row: $0) } == [
        .timestamp(micros(2024, 1, 2), utc: false), .timestamp(micros(2023, 5, 5), utc: false),
      ])
    #expect(
      try evaluate("least", [day, dates([(2025, 1, 1), (2020, 1, 1)])]) == [
        .date(Int32(CalendarFormatting.days(year: 2024, month: 1, day: 2))),
        .date(Int32(CalendarFormatting.days(year: 2020, month: 1, day: 1))),
      ])
    #expect(try evaluate("greatest", [.constant(.int64(3)), .constant(.null), .constant(.int64(9))]) == ints([9]))
  }

  // MARK: Hashes

  @Test func md5RFC1321Vectors() throws {
    let vectors: [(String, String)] = [
      ("", "d41d8cd98f00b204e9800998ecf8427e"),
      ("a", "0cc175b9c0f1b6a831c399e269772661"),
      ("abc", "900150983cd24fb0d6963f7d28e17f72"),
      ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
      ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
      ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
      (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
      // Padding boundaries: 55 bytes fit one block, 56 need two, 64 is a whole block.
      (String(repeating: "x", count: 55), "04364420e25c512fd958a70738aa8f72"),
      (String(repeating: "x", count: 56), "668a72d5ba17f08e62dabcafad6db14b"),
      (String(repeating: "x", count: 64), "c1bb4f81d892b2d57947682aeb252456"),
      ("é", "66ddcd97cfdeabb2f6fb8a999b4bc76f"),
    ]
    let result = try evaluate("md5", [.strings(vectors.map(\.0) + [nil])])
    #expect(result == strings(vectors.map(\.1) + [nil]))
    #expect(
      try evaluate("md5", [.column(.binary, [.binary([0x61, 0x62, 0x63])])])
        == strings(["900150983cd24fb0d6963f7d28e17f72"]))
  }

  @Test func sha256Hex() throws {
    #expect(
      try evaluate("sha256", [.strings(["abc", nil])])
        == strings(["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", nil]))
  }

  @Test func hashIsStableAndTypeAware() throws {
    let (v, resolved) = try evaluateVector("hash", [.strings(["abc", "abc", "abd", nil])])
    #expect(resolved.resultType == .uint64)
    guard case .uint64(let h) = v.storage else {
      Issue.record("hash is not uint64")
      return
    }
    #expect(v.nullCount == 0)
    #expect(h[0] == h[1] && h[0] != h[2] && h[3] != h[0])
    let small = try evaluateVector("hash", [.column(.int8, ints([1]))]).0
    let wide = try evaluateVector("hash", [.ints([1])]).0
    if case .uint64(let x) = small.storage, case .uint64(let y) = wide.storage { #expect(x == y) }
    let dictionary = try evaluateVector("hash", [.dictionary(["abc", nil])]).0
    if case .uint64(let d) = dictionary.storage { #expect(d[0] == h[0] && d[1] == h[3]) }
    let pair = try evaluateVector("hash", [.ints([1, 1]), .strings(["a", "b"])]).0
    if case .uint64(let p) = pair.storage { #expect(p[0] != p[1]) }
    let unsigned = try evaluateVector("hash", [.column(.uint64, ints([1]))]).0
    if case .uint64(let x) = unsigned.storage, case .uint64(let y) = wide.storage { #expect(x == y) }
    // Equal instants hash alike whatever the unit.
    let millis = ColumnVector(type: .timestamp(.millisecond, utc: false), count: 1, storage: .int64([1_500]))
    let instant = try evaluateVector("hash", [.vector(millis)]).0
    let sameInstant = try evaluateVector("hash", [timestamps([1_500_000])]).0
    if case .uint64(let x) = instant.storage, case .uint64(let y) = sameInstant.storage { #expect(x == y) }
    let zeros = try evaluateVector("hash", [.column(.float64, [.float64(0), .float64(-0.0)])]).0
    if case .uint64(let z) = zeros.storage { #expect(z[0] == z[1]) }
  }

  @Test func stableHashGoldenValues() throws {
    // Pinned: the value is part of the contract (the same on every run, machine and version).
    let (v, _) = try evaluateVector("hash", [.strings(["abc", "the quick brown fox", ""])])
    let (i, _) = try evaluateVector("hash", [.ints([42, -1]), .constant(.string("x"))])
    guard case .uint64(let text) = v.storage, case .uint64(let numbers) = i.storage else {
      Issue.record("hash is not uint64")
      return
    }
    #expect(text == [14_172_705_857_850_538_600, 15_875_621_104_146_010_588, 11_286_133_854_226_296_554])
    #expect(numbers == [17_510_059_420_959_119_474, 772_422_780_918_336_448])
  }

  // MARK: Time

  static let leapDay = micros(2024, 2, 29, 13, 45, 30, 123_456)

  @Test func datePartUnits() throws {
    let ts = timestamps([Self.leapDay, nil])
    let expected: [(String, Int64)] = [
      ("year", 2024), ("quarter", 1), ("month", 2), ("week", 9), ("day", 29), ("dayofweek", 4), ("dow", 4),
      ("isodow", 4),
      ("dayofyear", 60), ("doy", 60), ("hour", 13), ("minute", 45), ("second", 30), ("millisecond", 30_123),
      ("microsecond", 30_123_456), ("isoyear", 2024), ("decade", 202), ("century", 21), ("millennium", 3),
      ("YEARS", 2024),
    ]
    for (unit, value) in expected {
      #expect(try evaluate("date_part", [.constant(.string(unit)), ts]) == ints([value, nil]), "\(unit)")
    }
    let (epoch, resolved) = try evaluateVector("date_part", [.constant(.string("epoch")), ts])
    #expect(resolved.resultType == .float64)
    #expect(ScalarValue(from: epoch, row: 0) == .float64(1_709_214_330.123456))
    // Before 1970: the fields floor, they do not truncate toward zero.
    let early = timestamps([micros(1969, 12, 31, 23, 59, 59, 500_000)])
    #expect(try evaluate("date_part", [.constant(.string("year")), early]) == ints([1969]))
    #expect(try evaluate("date_part", [.constant(.string("second")), early]) == ints([59]))
    #expect(try evaluate("date_part", [.constant(.string("dow")), early]) == ints([3]))
    #expect(try evaluate("date_part", [.constant(.string("epoch")), early]) == [.float64(-0.5)])
    // ISO weeks at a year boundary: 2021-01-01 is in week 53 of 2020.
    let newYear = dates([(2021, 1, 1)])
    #expect(try evaluate("datepart", [.constant(.string("week")), newYear]) == ints([53]))
    #expect(try evaluate("date_part", [.constant(.string("isoyear")), newYear]) == ints([2020]))
    #expect(try evaluate("date_part", [.constant(.string("hour")), newYear]) == ints([0]))
  }

  @Test func oneUnitFunctionsAndUnits() throws {
    let ts = timestamps([Self.leapDay, micros(2023, 12, 31, 0, 0, 1), nil])
    #expect(try evaluate("year", [ts]) == ints([2024, 2023, nil]))
    #expect(try evaluate("month", [ts]) == ints([2, 12, nil]))
    #expect(try evaluate("day", [ts]) == ints([29, 31, nil]))
    #expect(try evaluate("dayofmonth", [ts]) == ints([29, 31, nil]))
    #expect(try evaluate("hour", [ts]) == ints([13, 0, nil]))
    #expect(try evaluate("minute", [ts]) == ints([45, 0, nil]))
    #expect(try evaluate("second", [ts]) == ints([30, 1, nil]))
    #expect(try evaluate("dayofweek", [ts]) == ints([4, 0, nil]))
    #expect(try evaluate("quarter", [ts]) == ints([1, 4, nil]))
    #expect(try evaluate("dayofyear", [ts]) == ints([60, 365, nil]))
    // Millisecond and nanosecond timestamps read in their own unit.
    let ms = ColumnVector(type: .timestamp(.millisecond, utc: true), count: 1, storage: .int64([Self.leapDay / 1000]))
    #expect(try evaluate("minute", [.vector(ms)]) == ints([45]))
    #expect(try evaluate("date_part", [.constant(.string("ms")), .vector(ms)]) == ints([30_123]))
    let ns = ColumnVector(
      type: .timestamp(.nanosecond, utc: false), count: 1, storage: .int64([Self.leapDay * 1000 + 999]))
    #expect(try evaluate("date_part", [.constant(.string("us")), .vector(ns)]) == ints([30_123_456]))
    #expect(try evaluate("epoch_ns", [.vector(ns)]) == ints([Self.leapDay * 1000 + 999]))
  }

  @Test func dateTrunc() throws {
    let ts = timestamps([Self.leapDay, nil])
    let (month, resolved) = try evaluateVector("date_trunc", [.constant(.string("month")), ts])
    #expect(resolved.resultType == .timestamp(.microsecond, utc: false))
    #expect(ScalarValue(from: month, row: 0) == .timestamp(micros(2024, 2, 1), utc: false))
    #expect(
      try evaluate("date_trunc", [.constant(.string("week")), ts])[0] == .timestamp(micros(2024, 2, 26), utc: false))
    #expect(
      try evaluate("datetrunc", [.constant(.string("ms")), ts])[0]
        == .timestamp(micros(2024, 2, 29, 13, 45, 30, 123_000), utc: false))
    let (day, dayResolved) = try evaluateVector("date_trunc", [.constant(.string("year")), dates([(2024, 2, 29)])])
    #expect(dayResolved.resultType == .date)
    #expect(ScalarValue(from: day, row: 0) == .date(Int32(CalendarFormatting.days(year: 2024, month: 1, day: 1))))
    let utc = try evaluateVector("date_trunc", [.constant(.string("hour")), timestamps([Self.leapDay], utc: true)])
    #expect(utc.1.resultType == .timestamp(.microsecond, utc: true))
  }

  @Test func dateDiff() throws {
    let start = dates([(2023, 1, 31), (2024, 12, 31), (2024, 3, 1), nil])
    let end = dates([(2023, 2, 1), (2025, 1, 1), (2024, 2, 28), (2024, 1, 1)])
    #expect(try evaluate("date_diff", [.constant(.string("month")), start, end]) == ints([1, 1, -1, nil]))
    #expect(try evaluate("datediff", [.constant(.string("year")), start, end]) == ints([0, 1, 0, nil]))
    #expect(try evaluate("date_diff", [.constant(.string("day")), start, end]) == ints([1, 1, -2, nil]))
    #expect(try evaluate("date_diff", [.constant(.string("quarter")), start, end]) == ints([0, 1, 0, nil]))
    let a = timestamps([micros(2024, 1, 1, 23, 59, 59), micros(2024, 1, 1)])
    let b = timestamps([micros(2024, 1, 2, 0, 0, 1), micros(2024, 1, 1, 0, 0, 0, 1500)])
    #expect(try evaluate("date_diff", [.constant(.string("hour")), a, b]) == ints([1, 0]))
    #expect(try evaluate("date_diff", [.constant(.string("second")), a, b]) == ints([2, 0]))
    #expect(try evaluate("date_diff", [.constant(.string("millisecond")), a, b]) == ints([2000, 1]))
    #expect(try evaluate("date_diff", [.constant(.string("microsecond")), a, b]) == ints([2_000_000, 1500]))
    #expect(try evaluate("date_diff", [.constant(.string("day")), a, b]) == ints([1, 0]))
    // A date against a timestamp.
    #expect(
      try evaluate(
        "date_diff", [.constant(.string("hour")), dates([(2024, 1, 1)]), timestamps([micros(2024, 1, 2, 6)])])
        == ints([30]))
  }

  @Test func strftimeFormats() throws {
    let ts = timestamps([Self.leapDay, micros(1969, 12, 31, 23, 59, 59, 500_000), micros(2023, 1, 1, 0, 5), nil])
    #expect(
      try evaluate("strftime", [ts, .constant(.string("%Y-%m-%d %H:%M:%S.%f"))])
        == strings([
          "2024-02-29 13:45:30.123456", "1969-12-31 23:59:59.500000", "2023-01-01 00:05:00.000000", nil,
        ]))
    #expect(
      try evaluate("strftime", [ts, .constant(.string("%j %a %A %b %B %p %I %y %%"))])
        == strings([
          "060 Thu Thursday Feb February PM 01 24 %", "365 Wed Wednesday Dec December PM 11 69 %",
          "001 Sun Sunday Jan January AM 12 23 %", nil,
        ]))
    #expect(
      try evaluate("strftime", [ts, .constant(.string("%-d/%-m %g %w %u %V %G"))])
        == strings([
          "29/2 123 4 4 09 2024", "31/12 500 3 3 01 1970", "1/1 000 0 7 52 2022", nil,
        ]))
    #expect(try evaluate("strftime", [ts, .constant(.string("[%Z][%z]"))])[0] == .string("[][+00]"))
    #expect(
      try evaluate("strftime", [timestamps([0], utc: true), .constant(.string("%c %Z"))])
        == strings(["1970-01-01 00:00:00 UTC"]))
    // A date, and DuckDB's (format, value) order.
    #expect(
      try evaluate("strftime", [.constant(.string("%d.%m.%Y")), dates([(2024, 2, 29)])]) == strings(["29.02.2024"]))
    #expect(try evaluate("strftime", [dates([(1, 1, 1)]), .constant(.string("%x"))]) == strings(["0001-01-01"]))
  }

  @Test func strptimeParses() throws {
    let input: Argument = .strings(["2024-02-29 13:45:30.123456", "1969-12-31 23:59:59.5", nil])
    let (v, resolved) = try evaluateVector("strptime", [input, .constant(.string("%Y-%m-%d %H:%M:%S.%f"))])
    #expect(resolved.resultType == .timestamp(.microsecond, utc: false))
    #expect(
      (0..<3).map { ScalarValue(from: v, row: $0) } == [
        .timestamp(Self.leapDay, utc: false), .timestamp(micros(1969, 12, 31, 23, 59, 59, 500_000), utc: false), .null,
      ])
    #expect(
      try evaluate("strptime", [.strings(["29/Feb/2024:01:02:03 PM"]), .constant(.string("%d/%b/%Y:%I:%M:%S %p"))]) == [
        .timestamp(micros(2024, 2, 29, 13, 2, 3), utc: false)
      ])
    #expect(
      try evaluate("strptime", [.strings(["12 am", "12 PM"]), .constant(.string("%I %p"))]) == [
        .timestamp(micros(1900, 1, 1, 0), utc: false), .timestamp(micros(1900, 1, 1, 12), utc: false),
      ])
    let (zoned, zonedType) = try evaluateVector(
      "strptime",
      [.strings(["2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00Z"]), .constant(.string("%Y-%m-%dT%H:%M:%S%z"))])
    #expect(zonedType.resultType == .timestamp(.microsecond, utc: true))
    #expect(ScalarValue(from: zoned, row: 0) == .timestamp(micros(2024, 1, 1, 8), utc: true))
    #expect(ScalarValue(from: zoned, row: 1) == .timestamp(micros(2024, 1, 1, 10), utc: true))
    #expect(
      try evaluate("strptime", [.strings(["2024 060"]), .constant(.string("%Y %j"))]) == [
        .timestamp(micros(2024, 2, 29), utc: false)
      ])
    // Leap years: February 29 exists in 2024 and 2000, not in 2023 or 1900.
    let leap = try evaluate(
      "try_strptime",
      [
        .strings(["2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "2024-13-01", "junk", "2024-02-29x"]),
        .constant(.string("%Y-%m-%d")),
      ])
    #expect(
      leap == [
        .timestamp(micros(2024, 2, 29), utc: false), .null, .timestamp(micros(2000, 2, 29), utc: false), .null, .null,
        .null, .null,
      ])
    let failure = execError {
      _ = try evaluate("strptime", [.strings(["2023-02-29"]), .constant(.string("%Y-%m-%d"))])
    }
    #expect(failure?.code == .invalidCast)
    #expect(failure?.message.contains("2023-02-29") == true)
  }

  @Test func epochConversions() throws {
    let ts = timestamps([Self.leapDay, micros(1969, 12, 31, 23, 59, 59, 999_500), nil])
    #expect(try evaluate("epoch", [ts]) == [.float64(1_709_214_330.123456), .float64(-0.0005), .null])
    #expect(try evaluate("epoch_ms", [ts]) == ints([1_709_214_330_123, -1, nil]))
    #expect(try evaluate("epoch_us", [ts]) == ints([Self.leapDay, -500, nil]))
    #expect(try evaluate("epoch_ns", [ts]) == ints([Self.leapDay * 1000, -500_000, nil]))
    let (fromMillis, resolved) = try evaluateVector("epoch_ms", [.ints([1_709_214_330_123, nil])])
    #expect(resolved.resultType == .timestamp(.microsecond, utc: true))
    #expect(ScalarValue(from: fromMillis, row: 0) == .timestamp(1_709_214_330_123_000, utc: true))
    #expect(try evaluate("epoch_us", [.ints([5])]) == [.timestamp(5, utc: true)])
    #expect(execError { _ = try evaluate("epoch_ms", [.ints([Int64.max])]) }?.code == .overflow)
    #expect(try evaluate("epoch", [dates([(1970, 1, 2)])]) == [.float64(86_400)])
  }

  @Test func toTimestampAndMakeDate() throws {
    #expect(
      try evaluate("to_timestamp", [.column(.float64, [.float64(1.5), .float64(-0.25), .null])]) == [
        .timestamp(1_500_000, utc: true), .timestamp(-250_000, utc: true), .null,
      ])
    #expect(try evaluate("to_timestamp", [.ints([1_709_214_330])]) == [.timestamp(1_709_214_330_000_000, utc: true)])
    #expect(
      execError { _ = try evaluate("to_timestamp", [.column(.float64, [.float64(.infinity)])]) }?.code == .overflow)
    let made = try evaluate(
      "make_date", [.ints([2024, 1969, nil]), .column(.int32, ints([2, 12, 1])), .ints([29, 31, 1])])
    #expect(made == [.date(19782), .date(-1), .null])
    #expect(
      execError { _ = try evaluate("make_date", [.ints([2023]), .ints([2]), .ints([29])]) }?.code == .invalidCast)
    #expect(
      execError { _ = try evaluate("make_date", [.ints([2023]), .ints([13]), .ints([1])]) }?.code == .invalidCast)
  }

  // MARK: IP addresses

  static let validV4 = ["0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.1.1", "1.2.3.4"]
  static let validV6 = [
    "::", "::1", "1::", "2001:db8::8a2e:370:7334", "2001:0DB8:0000:0000:0000:0000:0000:0001", "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:10.0.0.1", "1:2:3:4:5:6:1.2.3.4", "fe80::1:2",
  ]
  static let invalid = [
    "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ",
    "1.2.3.4/24",
    "1..2.3", "1.2.3.", "a.b.c.d", "1:2:3:4:5:6:7:8:9", ":::", "1:::2", "1::2::3", ":1::", "1:", ":1", "12345::",
    "fe80::1%eth0", "[::1]", "::ffff:1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::1.2.3.4:1", "g::1",
    "1:2:3:4:5:6:7:8::", "::ffff:256.0.0.1", "1.2.3.4::",
  ]

  @Test func ipValidation() throws {
    let all = Self.validV4 + Self.validV6 + Self.invalid
    let input: Argument = .strings(all.map { Optional($0) } + [nil])
    let v4 = Set(Self.validV4)
    let v6 = Set(Self.validV6)
    #expect(try evaluate("is_valid_ip", [input]) == bools(all.map { v4.contains($0) || v6.contains($0) } + [nil]))
    #expect(try evaluate("is_ipv4", [input]) == bools(all.map { v4.contains($0) } + [nil]))
    #expect(try evaluate("is_ipv6", [input]) == bools(all.map { v6.contains($0) } + [nil]))
    #expect(
      try evaluate("ip_version", [input]) == ints(all.map { v4.contains($0) ? 4 : (v6.contains($0) ? 6 : nil) } + [nil])
    )
    #expect(
      try evaluate("is_valid_ip", [.dictionary(["10.0.0.1", "nope", nil, "10.0.0.1"])])
        == bools([true, false, nil, true]))
  }

  @Test func ipv6Parsing() {
    func parse(_ text: String) -> IPAddress? {
      Array(text.utf8).withUnsafeBufferPointer { IPAddress.parse($0) }
    }
    #expect(parse("::")?.value == 0)
    #expect(parse("::1")?.value == 1)
    #expect(parse("1::")?.value == UInt128(1) << 112)
    #expect(parse("1::2")?.value == UInt128(1) << 112 | 2)
    #expect(parse("::ffff:10.0.0.1")?.value == UInt128(0xFFFF_0A00_0001))
    #expect(parse("2001:db8::1") == parse("2001:0db8:0:0:0:0:0:1"))
    #expect(parse("1:2:3:4:5:6:7::")?.value == parse("1:2:3:4:5:6:7:0")?.value)
    func text(_ s: String) -> String? {
      guard let address = parse(s) else { return nil }
      var out: [UInt8] = []
      address.append(to: &out)
      return String(decoding: out, as: UTF8.self)
    }
    #expect(text("2001:0DB8:0000:0000:0001:0000:0000:0001") == "2001:db8::1:0:0:1")
    #expect(text("0:0:0:0:0:0:0:0") == "::")
    #expect(text("1:0:2:3:4:5:6:7") == "1:0:2:3:4:5:6:7")
    #expect(text("::ffff:0a00:0001") == "::ffff:10.0.0.1")
    #expect(text("10.20.30.40") == "10.20.30.40")
  }

  @Test func ipIntegers() throws {
    #expect(
      try evaluate("ip_to_int", [.strings(["10.0.0.1", "255.255.255.255", "0.0.0.0", "::1", "junk", nil])])
        == ints([167_772_161, 4_294_967_295, 0, nil, nil, nil]))
    #expect(
      try evaluate("int_to_ip", [.ints([167_772_161, 0, 4_294_967_295, -1, 4_294_967_296, nil])])
        == strings(["10.0.0.1", "0.0.0.0", "255.255.255.255", nil, nil, nil]))
    #expect(try evaluate("int_to_ip", [.column(.uint32, ints([3_232_235_777]))]) == strings(["192.168.1.1"]))
  }

  @Test func cidrContains() throws {
    let ips: Argument = .strings([
      "10.0.0.0", "10.255.255.255", "11.0.0.0", "9.255.255.255", "::ffff:10.0.0.1", "junk", nil,
    ])
    #expect(
      try evaluate("cidr_contains", [.constant(.string("10.0.0.0/8")), ips])
        == bools([true, true, false, false, false, nil, nil]))
    // Host bits in the range are ignored.
    #expect(
      try evaluate("cidr_contains", [.constant(.string("10.1.2.3/8")), ips])
        == bools([true, true, false, false, false, nil, nil]))
    #expect(
      try evaluate("cidr_contains", [.constant(.string("0.0.0.0/0")), ips])
        == bools([true, true, true, true, false, nil, nil]))
    #expect(
      try evaluate("cidr_contains", [.constant(.string("10.255.255.255/32")), ips])
        == bools([false, true, false, false, false, nil, nil]))
    #expect(
      try evaluate("cidr_contains", [.constant(.string("11.0.0.0")), ips])
        == bools([false, false, true, false, false, nil, nil]))
    let v6: Argument = .strings(["2001:db8::1", "2001:db9::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "10.0.0.1"])
    #expect(
      try evaluate("cidr_contains", [.constant(.string("2001:db8::/32")), v6]) == bools([true, false, true, false]))
    #expect(try evaluate("cidr_contains", [.constant(.string("::/0")), v6]) == bools([true, true, true, false]))
    #expect(
      try evaluate("cidr_contains", [.constant(.string("2001:db8::1/128")), v6]) == bools([true, false, false, false]))
    // Ranges per row: one that does not parse gives NULL.
    let ranges: Argument = .strings(["192.168.0.0/16", "192.168.0.0/33", "fc00::/7", nil])
    #expect(
      try evaluate("cidr_contains", [ranges, .strings(["192.168.4.5", "192.168.4.5", "fd12::1", "1.1.1.1"])])
        == bools([true, nil, true, nil]))
    #expect(
      try evaluate(
        "cidr_contains", [.constant(.string("10.0.0.0/8")), .dictionary(["10.1.1.1", nil, "8.8.8.8", "10.1.1.1"])])
        == bools([true, nil, false, true]))
  }

  @Test func privateAddresses() throws {
    let cases: [(String?, Bool?)] = [
      ("10.1.2.3", true), ("172.16.0.1", true), ("172.31.255.255", true), ("172.32.0.1", false),
      ("172.15.255.255", false),
      ("192.168.0.1", true), ("192.169.0.1", false), ("127.0.0.1", true), ("169.254.10.10", true), ("100.64.0.1", true),
      ("100.127.255.255", true), ("100.128.0.0", false), ("8.8.8.8", false), ("fc00::1", true), ("fdff::1", true),
      ("fe80::1", true), ("febf::1", true), ("fec0::1", false), ("::1", true), ("2001:db8::1", false),
      ("::ffff:192.168.1.1", true),
      ("::ffff:8.8.8.8", false), ("junk", nil), (nil, nil),
    ]
    #expect(try evaluate("is_private_ip", [.strings(cases.map(\.0))]) == bools(cases.map(\.1)))
  }

  @Test func ipNetwork() throws {
    #expect(
      try evaluate(
        "ip_network", [.strings(["10.1.2.3", "2001:db8:1:2::1", "10.1.2.3", "junk", nil]), .ints([24, 32, 0, 8, 8])])
        == strings([
          "10.1.2.0/24", "2001:db8::/32", "0.0.0.0/0", nil, nil,
        ]))
    #expect(
      try evaluate("ip_network", [.strings(["10.1.2.3", "::1"]), .constant(.int64(33))]) == strings([nil, "::/33"]))
    #expect(
      try evaluate("ip_network", [.strings(["192.168.1.77"]), .constant(.int64(32))]) == strings(["192.168.1.77/32"]))
  }

  @Test func allConstantArgumentsEvaluateOnce() throws {
    #expect(
      try evaluate("split_part", [.constant(.string("a.b.c")), .constant(.string(".")), .constant(.int64(-1))])
        == strings(["c"]))
    #expect(
      try evaluate("cidr_contains", [.constant(.string("10.0.0.0/8")), .constant(.string("10.9.9.9"))]) == bools([true])
    )
    #expect(try evaluate("md5", [.constant(.string("abc"))]) == strings(["900150983cd24fb0d6963f7d28e17f72"]))
  }
}
