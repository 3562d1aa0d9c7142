/// A compiled LIKE / ILIKE pattern: `%` matches any run of characters, `_` exactly one, and the
/// escape character (if any) makes the next character literal. Common shapes (`abc`, `abc%`,
/// `%abc`, `%abc%`) match with a single byte comparison; others with a backtracking matcher over
/// UTF-8 bytes. ILIKE folds ASCII letters only.
public struct LikePattern: Sendable {
  public let pattern: String
  public let caseInsensitive: Bool

  enum Token: Sendable, Equatable {
    case literal([UInt8])
    case any  // _
    case anyRun  // %
  }

  enum Shape: Sendable {
    case exact([UInt8]), prefix([UInt8]), suffix([UInt8]), contains([UInt8]), general
  }

  let tokens: [Token]
  let shape: Shape

  public init(_ pattern: String, caseInsensitive: Bool = false, escape: Character? = nil) throws(ExecError) {
    self.pattern = pattern
    self.caseInsensitive = caseInsensitive
    var tokens: [Token] = []
    var literal: [UInt8] = []
    let escapeBytes = escape.map { Array(String($0).utf8) }
    if let escapeBytes, escapeBytes.count != 1 {
      throw ExecError(.invalidPattern, "the LIKE escape must be one ASCII character")
    }
    let bytes = Array(pattern.utf8)
    var i = 0
    func flush() {
      if !literal.isEmpty {
        tokens.append(.literal(literal))
        literal = []
      }
    }
    while i < bytes.count {
      let byte = bytes[i]
      if let escapeBytes, byte == escapeBytes[0] {
        guard i + 1 < bytes.count else {
          throw ExecError(.invalidPattern, "LIKE pattern '\(pattern)' ends with its escape character")
        }
        literal.append(caseInsensitive ? Self.fold(bytes[i + 1]) : bytes[i + 1])
        i += 2
        continue
      }
      switch byte {
      case UInt8(ascii: "%"):
        flush()
        if tokens.last != .anyRun { tokens.append(.anyRun) }
      case UInt8(ascii: "_"):
        flush()
        tokens.append(.any)
      default: literal.append(caseInsensitive ? Self.fold(byte) : byte)
      }
      i += 1
    }
    flush()
    self.tokens = tokens
    switch tokens.count {
    case 0: shape = .exact([])
    case 1:
      if case .literal(let l) = tokens[0] { shape = .exact(l) } else { shape = .general }
    case 2:
      if case .literal(let l) = tokens[0], tokens[1] == .anyRun {
        shape = .prefix(l)
      } else if case .literal(let l) = tokens[1], tokens[0] == .anyRun {
        shape = .suffix(l)
      } else {
        shape = .general
      }
    case 3:
      if tokens[0] == .anyRun, tokens[2] == .anyRun, case .literal(let l) = tokens[1] {
        shape = .contains(l)
      } else {
        shape = .general
      }
    default: shape = .general
    }
  }

  @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
    byte >= 65 && byte <= 90 ? byte + 32 : byte
  }

  /// Whether `text` matches the whole pattern.
  public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    switch shape {
    case .exact(let l): return text.count == l.count && startsWith(text, l, at: 0)
    case .prefix(let l): return text.count >= l.count && startsWith(text, l, at: 0)
    case .suffix(let l): return text.count >= l.count && startsWith(text, l, at: text.count - l.count)
    case .contains(let l):
      if l.isEmpty { return true }
      if text.count < l.count { return false }
      for start in 0...(text.count - l.count) where startsWith(text, l, at: start) { return true }
      return false
    case .general: return matchGeneral(text)
    }
  }

  @inline(__always) private func byte(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8 {
    caseInsensitive ? Self.fold(text[i]) : text[i]
  }

  private func startsWith(_ text: UnsafeBufferPointer<UInt8>, _ literal: [UInt8], at start: Int) -> Bool {
    for (k, b) in literal.enumerated() where byte(text, start + k) != b { return false }
    return true
  }

  /// Backtracking matcher: on a mismatch, retry from the last `%` one character further.
  private func matchGeneral(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    var t = 0  // token index
    var p = 0  // text position
    var starToken = -1
    var starPosition = 0
    while true {
      if t < tokens.count {
        switch tokens[t] {
        case .anyRun:
          starToken = t
          starPosition = p
          t += 1
          continue
        case .any:
          if p < text.count {
            p += Self.characterLength(text[p])
            t += 1
            continue
          }
        case .literal(let l):
          if p + l.count <= text.count && startsWith(text, l, at: p) {
            p += l.count
            t += 1
            continue
          }
        }
      } else if p == text.count {
        return true
      }
      // Mismatch: backtrack to the last %.
      guard starToken >= 0, starPosition < text.count else { return false }
      starPosition += Self.characterLength(text[starPosition])
      p = starPosition
      t = starToken + 1
    }
  }

  @inline(__always) static func characterLength(_ lead: UInt8) -> Int {
    lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
  }
}
