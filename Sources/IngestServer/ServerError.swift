/// A problem with the server's configuration or its spool, said plainly (what and where).
public struct ServerError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
