public import SQLParser

/// An error from planning or running a statement: what went wrong and, for errors in the SQL
/// text, where (so the CLI can print the line with a caret under the spot).
public struct EngineError: Error, CustomStringConvertible, Sendable {
  public enum Kind: String, Sendable {
    /// The SQL does not parse.
    case syntax
    /// A name, type or clause the binder cannot resolve: unknown column, ambiguous name, type mismatch.
    case binding
    /// A table that cannot be opened or read.
    case table
    /// A failure while running: overflow, bad cast, memory limit.
    case execution
    /// A statement or form the engine does not implement.
    case unsupported
  }

  public var kind: Kind
  public var message: String
  /// Where in the SQL text, when the error is about a spot in it.
  public var location: SourceLocation?

  public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
    self.kind = kind
    self.message = message
    self.location = location
  }

  init(_ error: SQLError) {
    self.init(.syntax, error.message, at: error.location)
  }

  public var description: String {
    if let location { return "\(location): \(message)" }
    return message
  }

  /// The message with the offending line of `sql` and a caret under the spot, when located.
  public func rendered(sql: String) -> String {
    guard let location else { return message }
    return SQLError(.unexpectedToken, message, at: location).rendered(sql: sql)
  }
}
