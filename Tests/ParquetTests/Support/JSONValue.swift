/// A small JSON parser for comparing rendered rows: objects keep key order, numbers keep their
/// text so integers beyond 2^53 compare exactly.
enum JSONValue: Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)):
      if a == b { return true }
      if let x = Double(a), let y = Double(b) { return x == y || (x.isNaN && y.isNaN) }
      return false
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  var description: String {
    switch self {
    case .null: "null"
    case .bool(let b): "\(b)"
    case .number(let n): n
    case .string(let s): "\"\(s)\""
    case .array(let a): "[" + a.map(\.description).joined(separator: ",") + "]"
    case .object(let o): "{" + o.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
  }

  struct ParseError: Error, CustomStringConvertible {
    var description: String
  }

  static func parse(_ text: String) throws -> JSONValue {
    var parser = Parser(bytes: Array(text.utf8))
    let value = try parser.value()
    parser.skipSpace()
    guard parser.position == parser.bytes.count else { throw ParseError(description: "trailing text in \(text)") }
    return value
  }

  private struct Parser {
    let bytes: [UInt8]
    var position = 0

    mutating func skipSpace() {
      while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func value() throws -> JSONValue {
      skipSpace()
      guard position < bytes.count else { throw ParseError(description: "unexpected end") }
      switch bytes[position] {
      case UInt8(ascii: "{"):
        position += 1
        var members: [(String, JSONValue)] = []
        skipSpace()
        if bytes[position] == UInt8(ascii: "}") {
          position += 1
          return .object(members)
        }
        while true {
          skipSpace()
          guard case .string(let key) = try value() else { throw ParseError(description: "object key") }
          skipSpace()
          position += 1  // ':'
          members.append((key, try value()))
          skipSpace()
          let c = bytes[position]
          position += 1
          if c == UInt8(ascii: "}") { return .object(members) }
        }
      case UInt8(ascii: "["):
        position += 1
        var items: [JSONValue] = []
        skipSpace()
        if bytes[position] == UInt8(ascii: "]") {
          position += 1
          return .array(items)
        }
        while true {
          items.append(try value())
          skipSpace()
          let c = bytes[position]
          position += 1
          if c == UInt8(ascii: "]") { return .array(items) }
        }
      case UInt8(ascii: "\""):
        position += 1
        var scalars: [UInt8] = []
        while bytes[position] != UInt8(ascii: "\"") {
          if bytes[position] == UInt8(ascii: "\\") {
            position += 1
            let e = bytes[position]
            switch e {
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "u"):
              let hex = String(decoding: bytes[(position + 1)...(position + 4)], as: UTF8.self)
              position += 4
              var code = UInt32(hex, radix: 16) ?? 0xFFFD
              if code >= 0xD800 && code < 0xDC00, bytes[position + 1] == UInt8(ascii: "\\") {
                let low = UInt32(String(decoding: bytes[(position + 3)...(position + 6)], as: UTF8.self), radix: 16) ?? 0
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                position += 6
              }
              scalars.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
            default: scalars.append(e)
            }
            position += 1
          } else {
            scalars.append(bytes[position])
            position += 1
          }
        }
        position += 1
        return .string(String(decoding: scalars, as: UTF8.self))
      case UInt8(ascii: "t"):
        position += 4
        return .bool(true)
      case UInt8(ascii: "f"):
        position += 5
        return .bool(false)
      case UInt8(ascii: "n"):
        position += 4
        return .null
      default:
        let start = position
        while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
        guard position > start else { throw ParseError(description: "unexpected byte \(bytes[position])") }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
      }
    }
  }
}
