/// Writes compact JSON straight into a buffer sized in advance: how file actions become text by
/// the hundred thousand (`avocet files --json`) without building a ``JSONValue`` tree per action.
/// The output is byte for byte what ``JSONValue/jsonText`` gives (same escaping).
struct JSONTextWriter {
  private let base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0

  private init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

  /// The bytes a string takes, quotes included (escapes counted exactly, so that a line's
  /// string is allocated at its size).
  static func bound(_ text: String) -> Int {
    var text = text
    return text.withUTF8 { bytes in
      var length = bytes.count + 2
      for value in bytes where value < 0x20 || value == UInt8(ascii: "\"") || value == UInt8(ascii: "\\") {
        switch value {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: length += 1
        default: length += 5
        }
      }
      return length
    }
  }

  /// A string of at most `capacity` UTF-8 bytes, written by `body`.
  static func text(capacity: Int, _ body: (inout JSONTextWriter) -> Void) -> String {
    String(unsafeUninitializedCapacity: capacity) { buffer in
      var writer = JSONTextWriter(buffer.baseAddress!)
      body(&writer)
      precondition(writer.count <= capacity, "JSONTextWriter overflow")
      return writer.count
    }
  }

  mutating func byte(_ value: UInt8) {
    base[count] = value
    count += 1
  }

  /// ASCII text written as it is (member names, punctuation).
  mutating func raw(_ text: StaticString) {
    let length = text.utf8CodeUnitCount
    (base + count).update(from: text.utf8Start, count: length)
    count += length
  }

  /// `"name":`.
  mutating func key(_ name: StaticString) {
    byte(UInt8(ascii: "\""))
    raw(name)
    raw("\":")
  }

  mutating func int(_ value: Int64) {
    if value == 0 {
      byte(UInt8(ascii: "0"))
      return
    }
    if value < 0 { byte(UInt8(ascii: "-")) }
    // Count the digits, then write them backwards in place.
    var digits = 0
    var rest = value.magnitude
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    var magnitude = value.magnitude
    var index = count + digits
    while magnitude > 0 {
      index -= 1
      base[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      magnitude /= 10
    }
    count += digits
  }

  mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

  /// A quoted, escaped string (`"`, `\` and control characters escaped as ``JSONValue`` does).
  mutating func string(_ text: String) {
    byte(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { bytes in
      for value in bytes {
        if value >= 0x20 && value != UInt8(ascii: "\"") && value != UInt8(ascii: "\\") {
          base[count] = value
          count += 1
          continue
        }
        byte(UInt8(ascii: "\\"))
        switch value {
        case UInt8(ascii: "\""): byte(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): byte(UInt8(ascii: "\\"))
        case 0x0A: byte(UInt8(ascii: "n"))
        case 0x0D: byte(UInt8(ascii: "r"))
        case 0x09: byte(UInt8(ascii: "t"))
        case 0x08: byte(UInt8(ascii: "b"))
        case 0x0C: byte(UInt8(ascii: "f"))
        default:
          raw("u00")
          byte(Self.hexDigit(value >> 4))
          byte(Self.hexDigit(value & 15))
        }
      }
    }
    byte(UInt8(ascii: "\""))
  }

  private static func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
  }

  /// A map of strings as an object, members sorted by key.
  mutating func stringMap(_ map: [String: String]) {
    byte(UInt8(ascii: "{"))
    var first = true
    for (key, value) in map.sorted(by: { $0.key < $1.key }) {
      if !first { byte(UInt8(ascii: ",")) }
      first = false
      string(key)
      byte(UInt8(ascii: ":"))
      string(value)
    }
    byte(UInt8(ascii: "}"))
  }

  static func bound(_ map: [String: String]?) -> Int {
    guard let map else { return 0 }
    return map.reduce(2) { $0 + bound($1.key) + bound($1.value) + 2 }
  }
}
