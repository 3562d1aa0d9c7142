/// The one error type of the Parquet module: a code, a message that names what and where
/// (file, column, row group, page, byte offset), and the underlying cause if any.
public struct ParquetError: Error, CustomStringConvertible, Sendable {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The bytes do not follow the format: bad magic, forged length, impossible value.
    public static let corrupt = Code(name: "corrupt file")
    /// The input ended before a structure it announced.
    public static let truncated = Code(name: "truncated")
    /// A valid file using something this reader does not implement.
    public static let unsupported = Code(name: "unsupported")
    /// The caller asked for something the file or schema does not have.
    public static let invalidArgument = Code(name: "invalid argument")
    /// Reading or writing the underlying file failed.
    public static let io = Code(name: "I/O error")
    public var description: String { name }
  }

  public var code: Code
  public var message: String
  /// The file the error is about, filled in by the layer that knows it.
  public var path: String?
  public var cause: (any Error & Sendable)?

  public init(_ code: Code, _ message: String, path: String? = nil, cause: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.path = path
    self.cause = cause
  }

  public var description: String {
    var text = ""
    if let path { text += "\(path): " }
    text += "\(code): \(message)"
    if let cause { text += " (\(cause))" }
    return text
  }

  /// The same error, naming `path` unless it already names a file.
  public func at(path: String) -> ParquetError {
    var copy = self
    if copy.path == nil { copy.path = path }
    return copy
  }
}
