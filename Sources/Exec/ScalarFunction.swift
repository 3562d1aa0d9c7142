public import Columnar
import Expr

/// A function the engine does not build in: the registry hook. It receives its arguments
/// evaluated as whole vectors and returns one vector of `rowCount` rows.
public protocol ScalarFunctionKernel: Sendable {
  var name: String { get }
  func evaluate(_ arguments: [ColumnVector], rowCount: Int) throws(ExecError) -> ColumnVector
}

/// A regular expression compiled once per expression.
public struct CompiledRegex: @unchecked Sendable {
  // Regex values are immutable; matching does not mutate them.
  let regex: Regex<AnyRegexOutput>
  public let pattern: String

  public init(_ pattern: String) throws(ExecError) {
    self.pattern = pattern
    do { regex = try Regex(pattern) } catch {
      throw ExecError(.invalidPattern, "invalid regular expression '\(pattern)'", underlying: PatternError(description: String(describing: error)))
    }
  }
}

/// The text of a regular expression compile error.
struct PatternError: Error, CustomStringConvertible, Sendable {
  var description: String
}

/// A unit for `date_trunc`.
public enum TruncationUnit: String, Sendable {
  case year, quarter, month, week, day, hour, minute, second
}

/// The scalar functions: built-ins, each a typed vector loop, and `custom` for the registry.
public enum ScalarFunction: Sendable {
  case lower, upper, length, substr, concat, startsWith, contains, abs
  case regexpMatches(CompiledRegex)
  /// `regexp_extract(text, pattern, group)`: the group's text, or '' when there is no match.
  case regexpExtract(CompiledRegex, group: Int)
  case year, month, day, hour
  case dateTrunc(TruncationUnit)
  case custom(any ScalarFunctionKernel)

  /// The built-in named `name` (lowercase SQL name), for functions without compiled arguments.
  public static func named(_ name: String) -> ScalarFunction? {
    switch name {
    case "lower": .lower
    case "upper": .upper
    case "length", "char_length", "strlen": .length
    case "substr", "substring": .substr
    case "concat": .concat
    case "starts_with": .startsWith
    case "contains": .contains
    case "abs": .abs
    case "year": .year
    case "month": .month
    case "day", "dayofmonth": .day
    case "hour": .hour
    default: nil
    }
  }

  public var name: String {
    switch self {
    case .lower: "lower"
    case .upper: "upper"
    case .length: "length"
    case .substr: "substr"
    case .concat: "concat"
    case .startsWith: "starts_with"
    case .contains: "contains"
    case .abs: "abs"
    case .regexpMatches: "regexp_matches"
    case .regexpExtract: "regexp_extract"
    case .year: "year"
    case .month: "month"
    case .day: "day"
    case .hour: "hour"
    case .dateTrunc: "date_trunc"
    case .custom(let kernel): kernel.name
    }
  }

  func evaluate(_ args: [ColumnVector], rowCount n: Int, context: PhysicalExpression) throws(ExecError) -> ColumnVector {
    func arity(_ k: ClosedRange<Int>) throws(ExecError) {
      guard k.contains(args.count) else {
        throw ExecError(.invalidPlan, "\(name) takes \(k.lowerBound)...\(k.upperBound) arguments, got \(args.count)")
      }
    }
    switch self {
    case .custom(let kernel): return try kernel.evaluate(args, rowCount: n)
    case .lower, .upper:
      try arity(1...1)
      let upper = { if case .upper = self { true } else { false } }()
      return try Kernels.mapStrings(args[0], context: context) { text, out in
        for b in text {
          if upper { out.append(b >= 97 && b <= 122 ? b - 32 : b) } else { out.append(b >= 65 && b <= 90 ? b + 32 : b) }
        }
      }
    case .length:
      try arity(1...1)
      return try Kernels.mapStringsToInt64(args[0], context: context) { text in
        var count: Int64 = 0
        for b in text where b & 0xC0 != 0x80 { count += 1 }
        return count
      }
    case .substr:
      try arity(2...3)
      guard let starts = Kernels.int64Values(args[1]) else { throw ExecError(.typeMismatch, "substr start must be an integer") }
      let lengths = args.count == 3 ? Kernels.int64Values(args[2]) : nil
      let strings = args[0].decodedDictionary()
      guard case .binary(let offsets, let bytes) = strings.storage else {
        if case .none = strings.storage { return .nulls(.string, count: n) }
        throw ExecError(.typeMismatch, "substr needs a string in \(context)")
      }
      var outOffsets = [Int32](repeating: 0, count: n + 1)
      var out: [UInt8] = []
      for i in 0..<n {
        let chars = Kernels.characterStarts(bytes, Int(offsets[i]), Int(offsets[i + 1]))
        // SQL positions are 1-based; negative counts from the end.
        var start = starts[i] > 0 ? starts[i] - 1 : (starts[i] < 0 ? Int64(chars.count - 1) + starts[i] : -1)
        var end = lengths.map { start + $0[i] } ?? Int64(chars.count - 1)
        if start < 0 { start = 0 }
        end = min(end, Int64(chars.count - 1))
        if start < end { out.append(contentsOf: bytes[chars[Int(start)]..<chars[Int(end)]]) }
        outOffsets[i + 1] = Int32(out.count)
      }
      let validity = args.reduce(Bitmap?.none) { intersectValidity($0, $1.effectiveValidity) }
      return ColumnVector(type: .string, count: n, validity: validity, storage: .binary(offsets: outOffsets, bytes: out))
    case .concat:
      // NULL arguments are skipped, as in DuckDB's concat.
      let parts = args.map { Kernels.renderStrings($0.type.isBinaryLike ? $0.decodedDictionary() : $0).decodedDictionary() }
      var outOffsets = [Int32](repeating: 0, count: n + 1)
      var out: [UInt8] = []
      for i in 0..<n {
        for part in parts where !part.isNull(i) {
          if case .binary(let o, let b) = part.storage { out.append(contentsOf: b[Int(o[i])..<Int(o[i + 1])]) }
        }
        outOffsets[i + 1] = Int32(out.count)
      }
      return ColumnVector(type: .string, count: n, storage: .binary(offsets: outOffsets, bytes: out))
    case .startsWith, .contains:
      try arity(2...2)
      let isPrefix = { if case .startsWith = self { true } else { false } }()
      let needles = args[1].decodedDictionary()
      guard case .binary(let no, let nb) = needles.storage else { return Kernels.nullBooleans(n) }
      // The common case: one needle for every row.
      let first = Array(nb[Int(no[0])..<Int(no[min(1, n)])])
      let constantNeedle = (0..<n).allSatisfy { no[$0 + 1] - no[$0] == Int32(first.count) && nb[Int(no[$0])..<Int(no[$0 + 1])].elementsEqual(first) }
      if constantNeedle {
        var result = try Kernels.testStrings(args[0], context: context) { Kernels.find(first, in: $0, prefixOnly: isPrefix) }
        result.validity = intersectValidity(result.validity, needles.effectiveValidity)
        return result
      }
      let hay = args[0].decodedDictionary()
      guard case .binary(let ho, let hb) = hay.storage else { return Kernels.nullBooleans(n) }
      let bits = hb.withUnsafeBufferPointer { h in
        Bitmap.build(count: n) { i in
          Kernels.find(Array(nb[Int(no[i])..<Int(no[i + 1])]), in: UnsafeBufferPointer(rebasing: h[Int(ho[i])..<Int(ho[i + 1])]), prefixOnly: isPrefix)
        }
      }
      return .boolean(bits, validity: intersectValidity(hay.effectiveValidity, needles.effectiveValidity))
    case .regexpMatches(let compiled):
      try arity(1...2)
      return try Kernels.testStrings(args[0], context: context) { text in
        let s = String(decoding: text, as: UTF8.self)
        return (try? compiled.regex.firstMatch(in: s)) != nil
      }
    case .regexpExtract(let compiled, let group):
      try arity(1...3)
      return try Kernels.mapStrings(args[0], context: context) { text, out in
        let s = String(decoding: text, as: UTF8.self)
        guard let match = try? compiled.regex.firstMatch(in: s), group < match.output.count,
          let sub = match.output[group].substring
        else { return }
        out.append(contentsOf: sub.utf8)
      }
    case .abs:
      try arity(1...1)
      let v = args[0]
      switch v.storage {
      case .float64(let x): return ColumnVector(type: v.type, count: n, validity: v.validity, storage: .float64(x.map { Swift.abs($0) }))
      case .float32(let x): return ColumnVector(type: v.type, count: n, validity: v.validity, storage: .float32(x.map { Swift.abs($0) }))
      case .int128(let x): return ColumnVector(type: v.type, count: n, validity: v.validity, storage: .int128(x.map { $0 < 0 ? 0 - $0 : $0 }))
      case .none: return v
      default:
        guard let ints = Kernels.int64Values(v) else { throw ExecError(.typeMismatch, "abs needs a number, not \(v.type)") }
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n {
          if ints[i] == .min {
            if !v.isNull(i) { throw ExecError(.overflow, "integer overflow in \(context)") }
          } else {
            out[i] = Swift.abs(ints[i])
          }
        }
        return ColumnVector(type: .int64, count: n, validity: v.validity, storage: .int64(out))
      }
    case .year, .month, .day, .hour:
      try arity(1...1)
      let v = args[0]
      if case .none = v.storage { return .nulls(.int64, count: n) }
      guard let micros = Kernels.temporalValues(v, asMicros: true) else {
        throw ExecError(.typeMismatch, "\(name) needs a date or timestamp, not \(v.type)")
      }
      var out = [Int64](repeating: 0, count: n)
      var lastDay = Int64.min
      var civil = (year: Int64(0), month: 0, day: 0)
      for i in 0..<n {
        let day = CalendarFormatting.floorDiv(micros[i], 86_400_000_000)
        switch self {
        case .hour: out[i] = (micros[i] - day * 86_400_000_000) / 3_600_000_000
        default:
          if day != lastDay {
            civil = CalendarFormatting.civil(fromDays: day)
            lastDay = day
          }
          if case .year = self { out[i] = civil.year } else if case .month = self { out[i] = Int64(civil.month) } else { out[i] = Int64(civil.day) }
        }
      }
      return ColumnVector(type: .int64, count: n, validity: v.effectiveValidity, storage: .int64(out))
    case .dateTrunc(let unit):
      let v = args[args.count - 1]
      if case .none = v.storage { return v }
      guard let micros = Kernels.temporalValues(v, asMicros: true) else {
        throw ExecError(.typeMismatch, "date_trunc needs a date or timestamp, not \(v.type)")
      }
      let out = micros.map { Kernels.truncate($0, unit) }
      if v.type == .date {
        return ColumnVector(type: .date, count: n, validity: v.effectiveValidity, storage: .int32(out.map { Int32(truncatingIfNeeded: $0 / 86_400_000_000) }))
      }
      var utc = false
      if case .timestamp(_, let u) = v.type { utc = u }
      return ColumnVector(type: .timestamp(.microsecond, utc: utc), count: n, validity: v.effectiveValidity, storage: .int64(out))
    }
  }
}

extension Kernels {
  static func truncate(_ micros: Int64, _ unit: TruncationUnit) -> Int64 {
    let perDay: Int64 = 86_400_000_000
    switch unit {
    case .second: return CalendarFormatting.floorDiv(micros, 1_000_000) * 1_000_000
    case .minute: return CalendarFormatting.floorDiv(micros, 60_000_000) * 60_000_000
    case .hour: return CalendarFormatting.floorDiv(micros, 3_600_000_000) * 3_600_000_000
    case .day: return CalendarFormatting.floorDiv(micros, perDay) * perDay
    case .week:
      // ISO weeks start on Monday; 1970-01-01 was a Thursday.
      let day = CalendarFormatting.floorDiv(micros, perDay)
      let monday = day - ((day + 3) % 7 + 7) % 7
      return monday * perDay
    case .month, .quarter, .year:
      let civil = CalendarFormatting.civil(fromDays: CalendarFormatting.floorDiv(micros, perDay))
      let month = unit == .year ? 1 : (unit == .quarter ? (civil.month - 1) / 3 * 3 + 1 : civil.month)
      return CalendarFormatting.days(year: civil.year, month: month, day: 1) * perDay
    }
  }

  /// Byte offsets of each character start in `bytes[start..<end]`, plus `end`.
  static func characterStarts(_ bytes: [UInt8], _ start: Int, _ end: Int) -> [Int] {
    var out: [Int] = []
    var i = start
    while i < end {
      out.append(i)
      i += LikePattern.characterLength(bytes[i])
    }
    out.append(min(i, end))
    return out
  }

  static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, prefixOnly: Bool) -> Bool {
    if needle.isEmpty { return true }
    if hay.count < needle.count { return false }
    let last = prefixOnly ? 0 : hay.count - needle.count
    return needle.withUnsafeBytes { nb in
      for s in 0...last where hay[s] == nb[0] {
        if ByteHashing.equal(UnsafeRawPointer(hay.baseAddress! + s), nb.baseAddress, needle.count) { return true }
      }
      return false
    }
  }

  /// Applies a string-to-string function; dictionary vectors transform their dictionary only.
  static func mapStrings(
    _ v: ColumnVector, context: PhysicalExpression, _ transform: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void
  ) throws(ExecError) -> ColumnVector {
    switch v.storage {
    case .none: return .nulls(.string, count: v.count)
    case .dictionary(let indices, let dictionary):
      let mapped = try mapStrings(dictionary, context: context, transform)
      return ColumnVector(type: .string, count: v.count, validity: v.validity, storage: .dictionary(indices: indices, dictionary: mapped))
    case .binary(let offsets, let bytes):
      var outOffsets = [Int32](repeating: 0, count: v.count + 1)
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      bytes.withUnsafeBufferPointer { b in
        for i in 0..<v.count {
          if !v.isNull(i) { transform(UnsafeBufferPointer(rebasing: b[Int(offsets[i])..<Int(offsets[i + 1])]), &out) }
          outOffsets[i + 1] = Int32(out.count)
        }
      }
      return ColumnVector(type: .string, count: v.count, validity: v.effectiveValidity, storage: .binary(offsets: outOffsets, bytes: out))
    default: throw ExecError(.typeMismatch, "\(context) needs a string, not \(v.type)")
    }
  }

  static func mapStringsToInt64(
    _ v: ColumnVector, context: PhysicalExpression, _ f: (UnsafeBufferPointer<UInt8>) -> Int64
  ) throws(ExecError) -> ColumnVector {
    switch v.storage {
    case .none: return .nulls(.int64, count: v.count)
    case .dictionary(let indices, let dictionary):
      let entries = try mapStringsToInt64(dictionary, context: context, f)
      guard case .int64(let e) = entries.storage else { return .nulls(.int64, count: v.count) }
      let out = indices.map { $0 >= 0 && Int($0) < e.count ? e[Int($0)] : 0 }
      return ColumnVector(type: .int64, count: v.count, validity: v.effectiveValidity, storage: .int64(out))
    case .binary(let offsets, let bytes):
      let out = bytes.withUnsafeBufferPointer { b in
        (0..<v.count).map { i in f(UnsafeBufferPointer(rebasing: b[Int(offsets[i])..<Int(offsets[i + 1])])) }
      }
      return ColumnVector(type: .int64, count: v.count, validity: v.effectiveValidity, storage: .int64(out))
    default: throw ExecError(.typeMismatch, "\(context) needs a string, not \(v.type)")
    }
  }
}
