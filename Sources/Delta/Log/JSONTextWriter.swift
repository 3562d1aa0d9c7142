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
      var at = 0
      if let start = bytes.baseAddress {
        // Eight bytes at a time: quotes and backslashes take one extra byte each; a word with a
        // control character is counted byte by byte below.
        while at + 8 <= bytes.count {
          let word = UnsafeRawPointer(start + at).loadUnaligned(as: UInt64.self)
          if SpecialBytes.controls(word) != 0 { break }
          length += SpecialBytes.quotesAndBackslashes(word).nonzeroBitCount
          at += 8
        }
      }
      while at < bytes.count {
        let value = bytes[at]
        at += 1
        guard value < 0x20 || value == UInt8(ascii: "\"") || value == UInt8(ascii: "\\") else { continue }
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

  /// Appends at most `capacity` bytes, written by `body`, to `bytes`.
  static func append(capacity: Int, to bytes: inout [UInt8], _ body: (inout JSONTextWriter) -> Void) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: capacity))
    let written = bytes.withUnsafeMutableBufferPointer { buffer in
      var writer = JSONTextWriter(buffer.baseAddress! + start)
      body(&writer)
      precondition(writer.count <= capacity, "JSONTextWriter overflow")
      return writer.count
    }
    bytes.removeLast(capacity - written)
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
      var at = 0
      if let start = bytes.baseAddress {
        // Eight bytes at a time up to the next byte that needs escaping. Storing a whole word
        // stays inside the buffer: each of the 8+ input bytes left writes at least one byte.
        while at + 8 <= bytes.count {
          let word = UnsafeRawPointer(start + at).loadUnaligned(as: UInt64.self)
          let special = SpecialBytes.controls(word) | SpecialBytes.quotesAndBackslashes(word)
          UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
          if special == 0 {
            count += 8
            at += 8
            continue
          }
          let plain = special.trailingZeroBitCount >> 3
          count += plain
          at += plain
          escape(bytes[at])
          at += 1
        }
      }
      while at < bytes.count {
        let value = bytes[at]
        at += 1
        if value >= 0x20 && value != UInt8(ascii: "\"") && value != UInt8(ascii: "\\") {
          base[count] = value
          count += 1
        } else {
          escape(value)
        }
      }
    }
    byte(UInt8(ascii: "\""))
  }

  /// The escape of a quote, backslash or control character.
  private mutating func escape(_ value: UInt8) {
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

/// Finds the bytes JSON strings escape in eight bytes at once. Each test is exact per byte (no
/// borrow crosses bytes), so the result's high bits mark exactly the matching bytes.
enum SpecialBytes {
  private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  private static let high: UInt64 = 0x8080_8080_8080_8080

  /// High bit set in each byte equal to zero.
  @inline(__always) static func zeros(_ word: UInt64) -> UInt64 {
    ~(((word & low7) &+ low7) | word | low7)
  }

  /// High bit set in each byte below 0x20.
  @inline(__always) static func controls(_ word: UInt64) -> UInt64 {
    ~(((word & low7) &+ 0x6060_6060_6060_6060) | word) & high
  }

  /// High bit set in each `"` and `\` byte.
  @inline(__always) static func quotesAndBackslashes(_ word: UInt64) -> UInt64 {
    zeros(word ^ 0x2222_2222_2222_2222) | zeros(word ^ 0x5C5C_5C5C_5C5C_5C5C)
  }
}
