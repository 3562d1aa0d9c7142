/// Reads JSON lines: one object per line, blank lines skipped. Values are kept as
/// ``InputCell``s; nested objects and arrays are kept as their JSON text.
struct JSONLinesDecoder: InputReader {
  let path: String
  private var source: ByteSource
  private var lineNumber = 0
  private var line: [UInt8] = []

  init(path: String) throws(InputError) {
    self.path = path
    source = try ByteSource(path: path)
  }

  mutating func next() throws(InputError) -> InputRecord? {
    while try source.nextLine(into: &line) {
      lineNumber += 1
      if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
      let number = lineNumber
      let path = self.path
      let cells = try line.withUnsafeBufferPointer { bytes throws(InputError) -> [(name: String, cell: InputCell)] in
        var parser = JSONObjectParser(bytes: bytes)
        do throws(JSONSyntax) {
          return try parser.record()
        } catch {
          throw InputError(file: path, line: number, "not a JSON object: \(error.message) at column \(parser.position + 1)")
        }
      }
      return InputRecord(line: number, cells: cells)
    }
    return nil
  }
}

struct JSONSyntax: Error { var message: String }

/// A small JSON parser for one line holding an object of scalar (or nested, kept as text) values.
struct JSONObjectParser {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func skipSpace() {
    while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 || bytes[position] == 13 || bytes[position] == 10 {
      position += 1
    }
  }

  mutating func expect(_ byte: UInt8) throws(JSONSyntax) {
    skipSpace()
    guard position < bytes.count, bytes[position] == byte else {
      throw JSONSyntax(message: "expected '\(Character(Unicode.Scalar(byte)))'")
    }
    position += 1
  }

  mutating func record() throws(JSONSyntax) -> [(name: String, cell: InputCell)] {
    try expect(UInt8(ascii: "{"))
    var cells: [(name: String, cell: InputCell)] = []
    skipSpace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
    } else {
      while true {
        skipSpace()
        let name = try string()
        try expect(UInt8(ascii: ":"))
        cells.append((name, try value()))
        skipSpace()
        guard position < bytes.count else { throw JSONSyntax(message: "unterminated object") }
        if bytes[position] == UInt8(ascii: ",") {
          position += 1
          continue
        }
        try expect(UInt8(ascii: "}"))
        break
      }
    }
    skipSpace()
    guard position == bytes.count else { throw JSONSyntax(message: "text after the object") }
    return cells
  }

  mutating func value() throws(JSONSyntax) -> InputCell {
    skipSpace()
    guard position < bytes.count else { throw JSONSyntax(message: "missing value") }
    switch bytes[position] {
    case UInt8(ascii: "\""): return .text(try string())
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let start = position
      try skipNested()
      return .nested(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    case UInt8(ascii: "t"): try literal("true"); return .boolean(true)
    case UInt8(ascii: "f"): try literal("false"); return .boolean(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    default:
      let start = position
      while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
      guard position > start else { throw JSONSyntax(message: "unexpected character") }
      return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }
  }

  static func isNumberByte(_ byte: UInt8) -> Bool {
    (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
      || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
  }

  mutating func literal(_ word: String) throws(JSONSyntax) {
    let letters = Array(word.utf8)
    let count = letters.count
    guard position + count <= bytes.count else { throw JSONSyntax(message: "unexpected end") }
    for index in 0..<count where bytes[position + index] != letters[index] {
      throw JSONSyntax(message: "unexpected character")
    }
    position += count
  }

  mutating func skipNested() throws(JSONSyntax) {
    var depth = 0
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        _ = try string()
        continue
      }
      position += 1
      if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
      if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
        depth -= 1
        if depth == 0 { return }
      }
    }
    throw JSONSyntax(message: "unterminated object or array")
  }

  mutating func string() throws(JSONSyntax) -> String {
    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
      throw JSONSyntax(message: "expected a string")
    }
    position += 1
    let start = position
    var plain = true
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        if plain {
          defer { position += 1 }
          return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }
        break
      }
      if byte == UInt8(ascii: "\\") {
        plain = false
        position += 2
      } else {
        position += 1
      }
    }
    guard position < bytes.count else { throw JSONSyntax(message: "unterminated string") }
    // Escapes: decode again.
    var out: [UInt8] = []
    var index = start
    while index < position {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "\\") else {
        out.append(byte)
        index += 1
        continue
      }
      index += 1
      guard index < position else { throw JSONSyntax(message: "bad escape") }
      switch bytes[index] {
      case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
      case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
      case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
      case UInt8(ascii: "b"): out.append(8)
      case UInt8(ascii: "f"): out.append(12)
      case UInt8(ascii: "n"): out.append(10)
      case UInt8(ascii: "r"): out.append(13)
      case UInt8(ascii: "t"): out.append(9)
      case UInt8(ascii: "u"):
        var scalar = try hex4(at: index + 1)
        index += 4
        if scalar >= 0xD800, scalar < 0xDC00, index + 6 < position, bytes[index + 1] == UInt8(ascii: "\\"),
          bytes[index + 2] == UInt8(ascii: "u")
        {
          let low = try hex4(at: index + 3)
          if low >= 0xDC00, low < 0xE000 {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            index += 6
          }
        }
        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(character)).utf8)
      default: throw JSONSyntax(message: "bad escape")
      }
      index += 1
    }
    position += 1
    return String(decoding: out, as: UTF8.self)
  }

  func hex4(at index: Int) throws(JSONSyntax) -> UInt32 {
    guard index + 4 <= position else { throw JSONSyntax(message: "bad \\u escape") }
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = bytes[index + offset]
      let digit: UInt32
      switch byte {
      case 48...57: digit = UInt32(byte - 48)
      case 65...70: digit = UInt32(byte - 55)
      case 97...102: digit = UInt32(byte - 87)
      default: throw JSONSyntax(message: "bad \\u escape")
      }
      value = value << 4 | digit
    }
    return value
  }
}
