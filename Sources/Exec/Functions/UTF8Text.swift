/// Character-level operations on UTF-8 bytes, for the string functions. A character is a Unicode
/// scalar (a code point), as in DuckDB's `length`, `left` and `strpos`. Invalid sequences count
/// one character per stray byte and never read past the buffer.
enum UTF8Text {
  typealias Bytes = UnsafeBufferPointer<UInt8>

  @inline(__always) static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

  /// The byte length of the character starting with `lead`.
  @inline(__always) static func sequenceLength(_ lead: UInt8) -> Int {
    lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
  }

  /// The number of characters in `text`.
  static func characterCount(_ text: Bytes) -> Int {
    var count = 0
    for byte in text where !isContinuation(byte) { count += 1 }
    return count
  }

  /// The byte offset where character `n` (0-based) starts, or `text.count` past the end.
  static func byteOffset(ofCharacter n: Int, in text: Bytes) -> Int {
    guard n > 0 else { return 0 }
    var seen = 0
    var i = 0
    while i < text.count {
      if !isContinuation(text[i]) {
        if seen == n { return i }
        seen += 1
      }
      i += 1
    }
    return text.count
  }

  /// The scalar starting at `i` and its byte length (a stray byte decodes as itself).
  @inline(__always) static func scalar(at i: Int, in text: Bytes) -> (value: UInt32, length: Int) {
    let lead = text[i]
    if lead < 0x80 { return (UInt32(lead), 1) }
    let length = sequenceLength(lead)
    guard length > 1, i + length <= text.count else { return (UInt32(lead), 1) }
    var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for k in 1..<length {
      let byte = text[i + k]
      guard isContinuation(byte) else { return (UInt32(lead), 1) }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    return (value, length)
  }

  /// The start of the character that ends just before `end`.
  @inline(__always) static func previousStart(before end: Int, in text: Bytes, notBefore floor: Int) -> Int {
    var i = end - 1
    var steps = 0
    while i > floor, steps < 3, isContinuation(text[i]) {
      i -= 1
      steps += 1
    }
    return i
  }

  /// Unicode space separators (general category Zs), which DuckDB's one-argument `trim` removes.
  @inline(__always) static func isSpaceSeparator(_ scalar: UInt32) -> Bool {
    switch scalar {
    case 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: true
    default: false
    }
  }

  /// True when `set` (UTF-8 text) contains the scalar.
  @inline(__always) static func contains(_ scalar: UInt32, inSet set: Bytes) -> Bool {
    var i = 0
    while i < set.count {
      let (value, length) = self.scalar(at: i, in: set)
      if value == scalar { return true }
      i += length
    }
    return false
  }

  /// The first byte offset `>= from` where `needle` occurs in `hay`; `needle` must not be empty.
  @inline(__always) static func firstIndex(of needle: Bytes, in hay: Bytes, from: Int = 0) -> Int? {
    let n = needle.count
    guard n > 0, hay.count >= n, from <= hay.count - n, let h = hay.baseAddress, let p = needle.baseAddress else {
      return nil
    }
    let first = p[0]
    var i = from
    let last = hay.count - n
    while i <= last {
      if h[i] == first && (n == 1 || ByteHashing.equal(UnsafeRawPointer(h + i + 1), UnsafeRawPointer(p + 1), n - 1)) {
        return i
      }
      i += 1
    }
    return nil
  }

  @inline(__always) static func hasSuffix(_ text: Bytes, _ suffix: Bytes) -> Bool {
    guard suffix.count <= text.count else { return false }
    guard suffix.count > 0, let t = text.baseAddress, let s = suffix.baseAddress else { return true }
    return ByteHashing.equal(UnsafeRawPointer(t + text.count - suffix.count), UnsafeRawPointer(s), suffix.count)
  }

  @inline(__always) static func append(_ text: Bytes, from start: Int, to end: Int, into out: inout [UInt8]) {
    guard start < end else { return }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<end]))
  }
}
