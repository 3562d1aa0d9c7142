/// A position in SQL text, for error messages with a caret under the spot.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line and column (in Unicode scalars), and the 0-based UTF-8 offset.
  public var line: Int
  public var column: Int
  public var offset: Int

  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  public var description: String { "line \(line), column \(column)" }
}
