/// A failure to read or write bytes at a path, with the path and the operating system's reason.
public struct StorageError: Error, CustomStringConvertible, Sendable {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    public static let notFound = Code(name: "not found")
    public static let alreadyExists = Code(name: "already exists")
    public static let permissionDenied = Code(name: "permission denied")
    public static let io = Code(name: "I/O error")
    public static let outOfRange = Code(name: "read past the end")
    public var description: String { name }
  }

  public var code: Code
  public var path: String
  public var message: String

  public init(_ code: Code, path: String, _ message: String) {
    self.code = code
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(code): \(message)" }
}
