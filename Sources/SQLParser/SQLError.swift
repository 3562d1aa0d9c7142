/// The one error type of the SQL parser: a code, a message that says what was expected and what
/// was found, and the location of the offending token.
public struct SQLError: Error, CustomStringConvertible, Sendable, Equatable {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// A token that cannot stand where it was found.
    public static let unexpectedToken = Code(name: "unexpected token")
    /// The text ended in the middle of a statement.
    public static let unexpectedEndOfInput = Code(name: "unexpected end of input")
    /// A string, quoted identifier or block comment that is never closed.
    public static let unterminated = Code(name: "unterminated token")
    /// A character that starts no token, such as `@` or a typographic quote.
    public static let invalidCharacter = Code(name: "invalid character")
    /// A literal or type with an impossible value: `12abc`, `1e999`, `DECIMAL(50, 2)`, `""`.
    public static let invalidLiteral = Code(name: "invalid literal")
    /// A type name the dialect does not know: `CAST(x AS MONEY)`.
    public static let unknownType = Code(name: "unknown type")
    /// Parentheses, subqueries or operator chains nested deeper than the parser allows.
    public static let nestingTooDeep = Code(name: "nesting too deep")
    public var description: String { name }
  }

  public var code: Code
  /// What went wrong, e.g. "expected ')' to close the argument list opened at line 1, column 12,
  /// found 'FROM'".
  public var message: String
  /// Where the offending token starts; for an unexpected end of input, where the text ends.
  public var location: SourceLocation

  public init(_ code: Code, _ message: String, at location: SourceLocation) {
    self.code = code
    self.message = message
    self.location = location
  }

  /// "line 1, column 20: expected …".
  public var description: String { "\(location): \(message)" }

  /// The message, the offending line of `sql` and a caret under the column, ready for a terminal:
  ///
  ///     line 1, column 16: expected ')' to close the argument list opened at line 1, column 13, found 'FROM'
  ///       1 | SELECT count(x FROM t
  ///         |                ^
  ///
  /// Tabs before the column are kept so that the caret lines up; a very long line is cut to a
  /// window around the column.
  public func rendered(sql: String) -> String {
    let bytes = Array(sql.utf8)
    let offset = min(max(location.offset, 0), bytes.count)
    var lineStart = offset
    while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
    var lineEnd = offset
    while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
    if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
    let caretIndex = String(decoding: bytes[lineStart..<min(offset, lineEnd)], as: UTF8.self)
      .unicodeScalars.count
    var scalars = Array(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self).unicodeScalars)
    var caret = caretIndex

    // Keep at most `window` scalars either side of the caret.
    let window = 60
    var prefix = "", suffix = ""
    if caret > window {
      scalars.removeFirst(caret - window)
      caret = window
      prefix = "…"
    }
    if scalars.count > caret + window {
      scalars.removeLast(scalars.count - caret - window)
      suffix = "…"
    }
    var lineText = prefix
    lineText.unicodeScalars.append(contentsOf: scalars)
    lineText += suffix

    var padding = prefix.isEmpty ? "" : " "
    for scalar in scalars.prefix(caret) { padding += scalar == "\t" ? "\t" : " " }

    let number = String(location.line)
    let gutter = String(repeating: " ", count: number.count)
    return """
      \(description)
        \(number) | \(lineText)
        \(gutter) | \(padding)^
      """
  }
}
