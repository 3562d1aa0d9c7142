import Columnar

// The string functions beyond the built-ins of ``ScalarFunction``, with DuckDB's semantics.
// Characters are Unicode scalars; NULL in any argument gives NULL.

/// `trim`, `ltrim`, `rtrim` (string[, characters]): without characters, removes Unicode space
/// separators (category Zs, as DuckDB does; tabs and newlines stay); with them, removes any of
/// the given characters.
struct TrimKernel: ScalarFunctionKernel {
  let name: String
  let left: Bool
  let right: Bool

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    guard arguments.count == 2 else {
      return try Kernels.mapEachString(name, arguments[0], others: [], rowCount: n) {
        (_, text, out) throws(ExecError) -> Bool in
        let (start, end) = bounds(text) { UTF8Text.isSpaceSeparator($0) }
        UTF8Text.append(text, from: start, to: end, into: &out)
        return true
      }
    }
    let characters = try Kernels.strings(arguments[1], name)
    return try characters.withRows { (set) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachString(name, arguments[0], others: [arguments[1]], rowCount: n) {
        (row, text, out) throws(ExecError) -> Bool in
        let chars = set[row]
        let (start, end) = bounds(text) { UTF8Text.contains($0, inSet: chars) }
        UTF8Text.append(text, from: start, to: end, into: &out)
        return true
      }
    }
  }

  @inline(__always) private func bounds(_ text: UnsafeBufferPointer<UInt8>, _ trimmed: (UInt32) -> Bool) -> (Int, Int) {
    var start = 0
    var end = text.count
    if left {
      while start < end {
        let (scalar, length) = UTF8Text.scalar(at: start, in: text)
        guard trimmed(scalar) else { break }
        start += length
      }
    }
    if right {
      while end > start {
        let previous = UTF8Text.previousStart(before: end, in: text, notBefore: start)
        let (scalar, length) = UTF8Text.scalar(at: previous, in: text)
        guard previous + length == end, trimmed(scalar) else { break }
        end = previous
      }
    }
    return (start, end)
  }
}

/// `split_part(string, delimiter, index)`: the index-th field (1-based; negative counts from
/// the end); '' when the index is 0 or out of range. An empty delimiter splits into characters.
struct SplitPartKernel: ScalarFunctionKernel {
  let name = "split_part"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let delimiters = try Kernels.strings(arguments[1], name)
    let indices = try Kernels.integers(arguments[2], name)
    return try delimiters.withRows { (delimiter) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachString(name, arguments[0], others: [arguments[1], arguments[2]], rowCount: n) {
        (row, text, out) throws(ExecError) -> Bool in
        let (start, end) = Self.field(text, delimiter[row], indices[row])
        UTF8Text.append(text, from: start, to: end, into: &out)
        return true
      }
    }
  }

  /// The byte range of the field, empty when it does not exist.
  static func field(_ text: UnsafeBufferPointer<UInt8>, _ delimiter: UnsafeBufferPointer<UInt8>, _ index: Int64) -> (
    Int, Int
  ) {
    if index == 0 { return (0, 0) }
    if delimiter.isEmpty {
      // Fields are the characters.
      let count = UTF8Text.characterCount(text)
      let k = index > 0 ? index - 1 : Int64(count) + index
      guard k >= 0, k < Int64(count) else { return (0, 0) }
      return (
        UTF8Text.byteOffset(ofCharacter: Int(k), in: text), UTF8Text.byteOffset(ofCharacter: Int(k) + 1, in: text)
      )
    }
    if index < 0, delimiter.count == 1 {
      // One-byte delimiters: scan back from the end.
      guard index >= -Int64(text.count) - 1 else { return (0, 0) }
      let byte = delimiter[0]
      var remaining = -index
      var fieldEnd = text.count
      var i = text.count - 1
      while i >= 0 {
        if text[i] == byte {
          remaining -= 1
          if remaining == 0 { return (i + 1, fieldEnd) }
          fieldEnd = i
        }
        i -= 1
      }
      return remaining == 1 ? (0, fieldEnd) : (0, 0)
    }
    var wanted = index
    if index < 0 {
      // Count the fields, then look the field up from the front.
      var fields: Int64 = 1
      var at = 0
      while let hit = UTF8Text.firstIndex(of: delimiter, in: text, from: at) {
        fields += 1
        at = hit + delimiter.count
      }
      wanted = fields + index + 1
      if wanted < 1 { return (0, 0) }
    }
    var start = 0
    var field: Int64 = 1
    while field < wanted {
      guard let hit = UTF8Text.firstIndex(of: delimiter, in: text, from: start) else { return (0, 0) }
      start = hit + delimiter.count
      field += 1
    }
    let end = UTF8Text.firstIndex(of: delimiter, in: text, from: start) ?? text.count
    return (start, end)
  }
}

/// `replace(string, from, to)`: every occurrence of `from`, left to right; an empty `from`
/// leaves the string unchanged.
struct ReplaceKernel: ScalarFunctionKernel {
  let name = "replace"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let froms = try Kernels.strings(arguments[1], name)
    let tos = try Kernels.strings(arguments[2], name)
    return try froms.withRows { (from) throws(ExecError) -> ColumnVector in
      try tos.withRows { (to) throws(ExecError) -> ColumnVector in
        try Kernels.mapEachString(name, arguments[0], others: [arguments[1], arguments[2]], rowCount: n) {
          (row, text, out) throws(ExecError) -> Bool in
          let needle = from[row]
          let replacement = to[row]
          guard !needle.isEmpty else {
            out.append(contentsOf: text)
            return true
          }
          var at = 0
          while let hit = UTF8Text.firstIndex(of: needle, in: text, from: at) {
            UTF8Text.append(text, from: at, to: hit, into: &out)
            out.append(contentsOf: replacement)
            at = hit + needle.count
          }
          UTF8Text.append(text, from: at, to: text.count, into: &out)
          return true
        }
      }
    }
  }
}

/// `left(string, n)` / `right(string, n)`: the first / last n characters; a negative n drops
/// |n| characters from the other end.
struct LeftRightKernel: ScalarFunctionKernel {
  let name: String
  let fromRight: Bool

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let counts = try Kernels.integers(arguments[1], name)
    return try Kernels.mapEachString(name, arguments[0], others: [arguments[1]], rowCount: n) {
      (row, text, out) throws(ExecError) -> Bool in
      let k = counts[row]
      let total = Int64(UTF8Text.characterCount(text))
      // Characters [first, last) are kept.
      let first: Int64
      let last: Int64
      if fromRight {
        first = k >= 0 ? max(0, total - k) : min(total, k == .min ? total : -k)
        last = total
      } else {
        first = 0
        last = k >= 0 ? min(total, k) : max(0, total + max(k, -total))
      }
      guard first < last else { return true }
      let start = UTF8Text.byteOffset(ofCharacter: Int(first), in: text)
      let end = last == total ? text.count : UTF8Text.byteOffset(ofCharacter: Int(last), in: text)
      UTF8Text.append(text, from: start, to: end, into: &out)
      return true
    }
  }
}

/// `reverse(string)`: the characters (Unicode scalars) in reverse order.
struct ReverseKernel: ScalarFunctionKernel {
  let name = "reverse"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    try Kernels.mapEachString(name, arguments[0], others: [], rowCount: n) { (_, text, out) throws(ExecError) -> Bool in
      var end = text.count
      while end > 0 {
        let start = UTF8Text.previousStart(before: end, in: text, notBefore: 0)
        // A malformed tail (continuation bytes without a lead) goes byte by byte.
        let length = UTF8Text.scalar(at: start, in: text).length
        let stop = start + length == end ? start : end - 1
        UTF8Text.append(text, from: stop, to: end, into: &out)
        end = stop
      }
      return true
    }
  }
}

/// `repeat(string, n)`: the string n times ('' for n <= 0).
struct RepeatKernel: ScalarFunctionKernel {
  let name = "repeat"
  /// The largest result one row may have.
  static let maximumBytes = 1 << 30

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let counts = try Kernels.integers(arguments[1], name)
    return try Kernels.mapEachString(name, arguments[0], others: [arguments[1]], rowCount: n) {
      (row, text, out) throws(ExecError) -> Bool in
      let times = counts[row]
      guard times > 0, !text.isEmpty else { return true }
      let (total, overflow) = Int64(text.count).multipliedReportingOverflow(by: times)
      guard !overflow, total <= Int64(Self.maximumBytes) else {
        throw ExecError(.memoryLimit, "repeat result of \(text.count) bytes × \(times) is larger than 1 GiB")
      }
      out.reserveCapacity(out.count + Int(total))
      for _ in 0..<times { out.append(contentsOf: text) }
      return true
    }
  }
}

/// `lpad` / `rpad(string, length, fill)`: pads with `fill` (cycled) to `length` characters, or
/// truncates to the first `length` characters. An empty fill that would be needed is an error, as
/// in DuckDB.
struct PadKernel: ScalarFunctionKernel {
  let name: String
  let padLeft: Bool

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let lengths = try Kernels.integers(arguments[1], name)
    let fills = try Kernels.strings(arguments[2], name)
    return try fills.withRows { (fill) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachString(name, arguments[0], others: [arguments[1], arguments[2]], rowCount: n) {
        (row, text, out) throws(ExecError) -> Bool in
        let target = lengths[row]
        guard target > 0 else { return true }
        guard target <= Int64(RepeatKernel.maximumBytes) else {
          throw ExecError(.memoryLimit, "\(name) length \(target) is larger than 1 GiB")
        }
        let width = Int(target)
        let count = UTF8Text.characterCount(text)
        if count >= width {
          UTF8Text.append(text, from: 0, to: UTF8Text.byteOffset(ofCharacter: width, in: text), into: &out)
          return true
        }
        let padding = fill[row]
        guard !padding.isEmpty else {
          throw ExecError(.invalidPattern, "insufficient padding in \(name): the fill string is empty")
        }
        if !padLeft { out.append(contentsOf: text) }
        var needed = width - count
        var at = 0
        while needed > 0 {
          if at >= padding.count { at = 0 }
          let length = min(UTF8Text.sequenceLength(padding[at]), padding.count - at)
          UTF8Text.append(padding, from: at, to: at + length, into: &out)
          at += length
          needed -= 1
        }
        if padLeft { out.append(contentsOf: text) }
        return true
      }
    }
  }
}

/// `strpos` / `instr(string, needle)`: the 1-based character position of the first occurrence,
/// 0 when absent, 1 for an empty needle.
struct StrposKernel: ScalarFunctionKernel {
  let name: String

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let needles = try Kernels.strings(arguments[1], name)
    return try needles.withRows { (needle) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachStringToInt64(name, arguments[0], others: [arguments[1]], rowCount: n) {
        (row, text) throws(ExecError) -> Int64? in
        let pattern = needle[row]
        if pattern.isEmpty { return 1 }
        guard let hit = UTF8Text.firstIndex(of: pattern, in: text) else { return 0 }
        return Int64(UTF8Text.characterCount(UnsafeBufferPointer(rebasing: text[0..<hit]))) + 1
      }
    }
  }
}

/// `ends_with` / `suffix(string, suffix)`.
struct EndsWithKernel: ScalarFunctionKernel {
  let name: String

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let suffixes = try Kernels.strings(arguments[1], name)
    return try suffixes.withRows { (suffix) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachStringToBoolean(name, arguments[0], others: [arguments[1]], rowCount: n) {
        (row, text) throws(ExecError) -> Bool? in
        UTF8Text.hasSuffix(text, suffix[row])
      }
    }
  }
}

// MARK: Regular expressions

/// DuckDB's regular expression options: `c` case-sensitive, `i` case-insensitive, `l` literal
/// pattern, `s` dot matches newline, `m`/`n`/`p` dot stops at newlines, `g` every match
/// (`regexp_replace` only); spaces are ignored.
struct RegexOptions: Sendable {
  var caseInsensitive = false
  var literal = false
  var dotMatchesNewline = false
  var global = false

  init(_ text: String, function: String, allowGlobal: Bool) throws(ExecError) {
    for c in text {
      switch c {
      case "c": caseInsensitive = false
      case "i": caseInsensitive = true
      case "l": literal = true
      case "m", "n", "p": dotMatchesNewline = false
      case "s": dotMatchesNewline = true
      case "g" where allowGlobal: global = true
      case "g":
        throw ExecError(
          .invalidPattern, "option 'g' (global replace) is only valid for regexp_replace, not \(function)")
      case " ", "\t", "\n": continue
      default:
        throw ExecError(
          .invalidPattern, "unrecognized \(function) option '\(c)' (use c, i, l, m, n, p, s\(allowGlobal ? ", g" : ""))"
        )
      }
    }
  }

  init() {}

  /// `pattern` rewritten so that the options are part of it.
  func apply(to pattern: String) -> String {
    var body = pattern
    if literal {
      body = ""
      for c in pattern {
        if "\\^$.|?*+()[]{}".contains(c) { body.append("\\") }
        body.append(c)
      }
    }
    var flags = ""
    if caseInsensitive { flags += "i" }
    if dotMatchesNewline { flags += "s" }
    return flags.isEmpty ? body : "(?\(flags))" + body
  }

  /// The compiled pattern, or an `.invalidPattern` error naming the function.
  func compile(_ pattern: String, function: String) throws(ExecError) -> CompiledRegex {
    do {
      return try CompiledRegex(apply(to: pattern))
    } catch {
      throw ExecError(
        .invalidPattern, "\(function): invalid regular expression '\(pattern)'", underlying: error.underlying)
    }
  }
}

/// A `regexp_replace` replacement: literal text and `\0`…`\9` group references (`\\` is a
/// backslash), parsed once.
struct RegexReplacement: Sendable {
  enum Piece: Sendable {
    case literal([UInt8])
    case group(Int)
  }

  let pieces: [Piece]

  init(_ text: UnsafeBufferPointer<UInt8>) {
    var pieces: [Piece] = []
    var literal: [UInt8] = []
    var i = 0
    while i < text.count {
      let byte = text[i]
      if byte == UInt8(ascii: "\\"), i + 1 < text.count {
        let next = text[i + 1]
        if next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") {
          if !literal.isEmpty { pieces.append(.literal(literal)) }
          literal = []
          pieces.append(.group(Int(next - UInt8(ascii: "0"))))
          i += 2
          continue
        }
        if next == UInt8(ascii: "\\") {
          literal.append(next)
          i += 2
          continue
        }
      }
      literal.append(byte)
      i += 1
    }
    if !literal.isEmpty { pieces.append(.literal(literal)) }
    self.pieces = pieces
  }
}

/// `regexp_replace(string, pattern, replacement[, options])`: replaces the first match, or
/// every match with option `g`. The pattern and options are compiled once; a constant
/// replacement is parsed once.
struct RegexpReplaceKernel: ScalarFunctionKernel {
  let name = "regexp_replace"
  let regex: CompiledRegex
  let global: Bool
  /// The parsed replacement when it is a constant.
  let replacement: RegexReplacement?

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let replacements = try Kernels.strings(arguments[2], name)
    let others = [arguments[1], arguments[2]] + arguments.dropFirst(3)
    return try replacements.withRows { (rewrite) throws(ExecError) -> ColumnVector in
      try Kernels.mapEachString(name, arguments[0], others: others, rowCount: n) {
        (row, text, out) throws(ExecError) -> Bool in
        let template = replacement ?? RegexReplacement(rewrite[row])
        replace(text, template, into: &out)
        return true
      }
    }
  }

  private func replace(_ text: UnsafeBufferPointer<UInt8>, _ template: RegexReplacement, into out: inout [UInt8]) {
    let s = String(decoding: text, as: UTF8.self)
    var copied = s.startIndex
    func substitute(_ match: Regex<AnyRegexOutput>.Match) {
      out.append(contentsOf: s.utf8[copied..<match.range.lowerBound])
      for piece in template.pieces {
        switch piece {
        case .literal(let bytes): out.append(contentsOf: bytes)
        case .group(let k):
          if k < match.output.count, let sub = match.output[k].substring { out.append(contentsOf: sub.utf8) }
        }
      }
      copied = match.range.upperBound
    }
    if global {
      for match in s.matches(of: regex.regex) { substitute(match) }
    } else if let match = try? regex.regex.firstMatch(in: s) {
      substitute(match)
    }
    out.append(contentsOf: s.utf8[copied...])
  }
}
