/// Splits SQL text into tokens, skipping whitespace, `-- line` and `/* block */` comments (block
/// comments nest, as in PostgreSQL). Works on the UTF-8 bytes; columns count Unicode scalars.
struct Lexer {
  private let bytes: [UInt8]
  private var position = 0
  private var line = 1
  private var column = 1

  init(_ text: String) {
    bytes = Array(text.utf8)
  }

  /// All tokens of `text`, ending with an ``Token/Kind/end`` token.
  static func tokens(of text: String) throws(SQLError) -> [Token] {
    var lexer = Lexer(text)
    var tokens: [Token] = []
    while true {
      let token = try lexer.next()
      tokens.append(token)
      if token.kind == .end { return tokens }
    }
  }

  private var location: SourceLocation { SourceLocation(line: line, column: column, offset: position) }

  private func byte(at offset: Int) -> UInt8? {
    position + offset < bytes.count ? bytes[position + offset] : nil
  }

  private mutating func advance(_ count: Int = 1) {
    for _ in 0..<count where position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      position += 1
    }
  }

  private func text(from start: Int) -> String {
    String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func next() throws(SQLError) -> Token {
    try skipTrivia()
    let start = location
    guard let byte = byte(at: 0) else { return Token(kind: .end, value: "", location: start) }
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try number(start)
    case UInt8(ascii: "."):
      if let next = self.byte(at: 1), Lexer.isDigit(next) { return try number(start) }
      advance()
      return Token(kind: .symbol(.dot), value: ".", location: start)
    case UInt8(ascii: "'"):
      let value = try quoted(closingWith: byte, start, what: "string literal")
      return Token(kind: .string, value: value, location: start)
    case UInt8(ascii: "\""), UInt8(ascii: "`"):
      let value = try quoted(closingWith: byte, start, what: "quoted identifier")
      if value.isEmpty {
        throw SQLError(.invalidLiteral, "empty quoted identifier", at: start)
      }
      return Token(kind: .quotedIdentifier, value: value, location: start)
    case UInt8(ascii: "$"):
      advance()
      let digitsStart = position
      while let next = self.byte(at: 0), Lexer.isDigit(next) { advance() }
      let digits = text(from: digitsStart)
      guard let number = Int(digits), number >= 1 else {
        throw SQLError(.invalidCharacter, "expected a parameter number such as $1 after '$'", at: start)
      }
      return Token(kind: .parameter, value: String(number), location: start)
    default:
      if Lexer.isWordStart(byte) || (byte >= 0x80 && scalarIsWordScalar()) {
        return word(start)
      }
      return try symbol(start)
    }
  }

  private mutating func skipTrivia() throws(SQLError) {
    while let byte = byte(at: 0) {
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        advance()
      case UInt8(ascii: "-") where self.byte(at: 1) == UInt8(ascii: "-"):
        while let next = self.byte(at: 0), next != UInt8(ascii: "\n") { advance() }
      case UInt8(ascii: "/") where self.byte(at: 1) == UInt8(ascii: "*"):
        let start = location
        advance(2)
        var depth = 1
        while depth > 0 {
          guard let next = self.byte(at: 0) else {
            throw SQLError(.unterminated, "unterminated block comment: '/*' is never closed by '*/'", at: start)
          }
          if next == UInt8(ascii: "*"), self.byte(at: 1) == UInt8(ascii: "/") {
            depth -= 1
            advance(2)
          } else if next == UInt8(ascii: "/"), self.byte(at: 1) == UInt8(ascii: "*") {
            depth += 1
            advance(2)
          } else {
            advance()
          }
        }
      default:
        return
      }
    }
  }

  private mutating func word(_ start: SourceLocation) -> Token {
    let startOffset = position
    while let byte = byte(at: 0) {
      if Lexer.isWordStart(byte) || Lexer.isDigit(byte) {
        advance()
      } else if byte >= 0x80, scalarIsWordScalar() {
        advance(Lexer.scalarLength(byte))
      } else {
        break
      }
    }
    let value = text(from: startOffset)
    return Token(kind: .word, value: value, keyword: Keyword(word: value), location: start)
  }

  private mutating func number(_ start: SourceLocation) throws(SQLError) -> Token {
    let startOffset = position
    var kind = Token.Kind.integer
    while let byte = byte(at: 0), Lexer.isDigit(byte) { advance() }
    if byte(at: 0) == UInt8(ascii: ".") {
      kind = .decimal
      advance()
      while let byte = byte(at: 0), Lexer.isDigit(byte) { advance() }
    }
    if let e = byte(at: 0), e | 0x20 == UInt8(ascii: "e") {
      let signed = byte(at: 1) == UInt8(ascii: "+") || byte(at: 1) == UInt8(ascii: "-")
      if let digit = byte(at: signed ? 2 : 1), Lexer.isDigit(digit) {
        kind = .double
        advance(signed ? 2 : 1)
        while let byte = byte(at: 0), Lexer.isDigit(byte) { advance() }
      }
    }
    // `12abc` is a mistake, not the number 12 with the alias abc.
    if let byte = byte(at: 0),
      Lexer.isWordStart(byte) || Lexer.isDigit(byte) || byte >= 0x80 || byte == UInt8(ascii: ".")
    {
      while let next = self.byte(at: 0),
        Lexer.isWordStart(next) || Lexer.isDigit(next) || next >= 0x80 || next == UInt8(ascii: ".")
      {
        advance()
      }
      throw SQLError(.invalidLiteral, "invalid number '\(text(from: startOffset))'", at: start)
    }
    return Token(kind: kind, value: text(from: startOffset), location: start)
  }

  /// The contents of a string or quoted identifier opened by `quote` at the current position,
  /// with doubled quotes undoubled.
  private mutating func quoted(closingWith quote: UInt8, _ start: SourceLocation, what: String) throws(SQLError)
    -> String
  {
    advance()
    var contents: [UInt8] = []
    while true {
      guard let byte = byte(at: 0) else {
        throw SQLError(.unterminated, "unterminated \(what)", at: start)
      }
      if byte == quote {
        if self.byte(at: 1) == quote {
          contents.append(quote)
          advance(2)
          continue
        }
        advance()
        return String(decoding: contents, as: UTF8.self)
      }
      contents.append(byte)
      advance()
    }
  }

  private mutating func symbol(_ start: SourceLocation) throws(SQLError) -> Token {
    let first = bytes[position]
    let second = byte(at: 1)
    let symbol: Symbol?
    switch first {
    case UInt8(ascii: "("): symbol = .leftParen
    case UInt8(ascii: ")"): symbol = .rightParen
    case UInt8(ascii: "["): symbol = .leftBracket
    case UInt8(ascii: "]"): symbol = .rightBracket
    case UInt8(ascii: ","): symbol = .comma
    case UInt8(ascii: ";"): symbol = .semicolon
    case UInt8(ascii: "*"): symbol = .star
    case UInt8(ascii: "+"): symbol = .plus
    case UInt8(ascii: "-"): symbol = .minus
    case UInt8(ascii: "%"): symbol = .percent
    case UInt8(ascii: "~"): symbol = .tilde
    case UInt8(ascii: "/"): symbol = second == UInt8(ascii: "/") ? .doubleSlash : .slash
    case UInt8(ascii: "="):
      symbol = second == UInt8(ascii: "=") ? .doubleEqual : second == UInt8(ascii: ">") ? .arrow : .equal
    case UInt8(ascii: "!"):
      symbol = second == UInt8(ascii: "=") ? .notEqual : second == UInt8(ascii: "~") ? .bangTilde : nil
    case UInt8(ascii: "<"):
      symbol = second == UInt8(ascii: "=") ? .lessEqual : second == UInt8(ascii: ">") ? .lessGreater : .less
    case UInt8(ascii: ">"): symbol = second == UInt8(ascii: "=") ? .greaterEqual : .greater
    case UInt8(ascii: "|"): symbol = second == UInt8(ascii: "|") ? .concat : nil
    case UInt8(ascii: ":"): symbol = second == UInt8(ascii: ":") ? .doubleColon : nil
    default: symbol = nil
    }
    guard let symbol else { throw invalidCharacter(at: start) }
    advance(symbol.rawValue.utf8.count)
    return Token(kind: .symbol(symbol), value: symbol.rawValue, location: start)
  }

  private func invalidCharacter(at start: SourceLocation) -> SQLError {
    let scalar = currentScalar()
    var message: String
    if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      message = "unexpected character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)"
    } else {
      message = "unexpected character '\(Character(scalar))'"
    }
    switch scalar {
    case "\u{2018}", "\u{2019}", "\u{201A}":
      message += " (a typographic quote: write strings in straight quotes, 'like this')"
    case "\u{201C}", "\u{201D}", "\u{201E}":
      message += " (a typographic quote: write quoted names in straight quotes, \"like this\")"
    case ":", "!", "|":
      message += " (did you mean '::', '!=' or '||'?)"
    default:
      break
    }
    return SQLError(.invalidCharacter, message, at: start)
  }

  // MARK: - Characters

  static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && isDigit(UInt8(scalar.value)) }

  static func isWordStart(_ byte: UInt8) -> Bool {
    (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
  }

  /// Whether `scalar` may appear in a bare word: ASCII letters, digits and `_`, and letters of
  /// other scripts.
  static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII {
      let byte = UInt8(scalar.value)
      return isWordStart(byte) || isDigit(byte)
    }
    return scalar.properties.isAlphabetic
  }

  private static func scalarLength(_ lead: UInt8) -> Int {
    lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
  }

  private func currentScalar() -> Unicode.Scalar {
    let lead = bytes[position]
    let length = Lexer.scalarLength(lead)
    let end = min(position + length, bytes.count)
    return String(decoding: bytes[position..<end], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
  }

  private func scalarIsWordScalar() -> Bool {
    Lexer.isWordScalar(currentScalar())
  }
}
