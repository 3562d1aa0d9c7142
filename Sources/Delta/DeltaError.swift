/// A failure to read a Delta table: a malformed or incomplete log, a protocol Avocet does not
/// support, a data file that is missing or does not match the table schema.
///
/// The message names what went wrong and where (file, version, column); `path` is the file or
/// table it concerns and `cause` the underlying error, when there is one.
public struct DeltaError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is; extensible, compared by identity of its name.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The path is not a Delta table (no `_delta_log` directory, or an empty one).
    public static let notATable = Code(name: "not a Delta table")
    /// A log file cannot be parsed, or holds an action that breaks the protocol.
    public static let corruptLog = Code(name: "corrupt log")
    /// The requested version or timestamp is outside what the log can reconstruct.
    public static let versionNotFound = Code(name: "version not found")
    /// A commit between the first and the requested version is missing.
    public static let nonContiguousLog = Code(name: "versions not contiguous")
    /// The snapshot has no `protocol` or no `metaData` action.
    public static let missingProtocol = Code(name: "missing protocol")
    public static let missingMetadata = Code(name: "missing metadata")
    /// The table needs a protocol version or table feature that Avocet does not implement.
    public static let unsupportedFeature = Code(name: "unsupported feature")
    /// The schema string cannot be parsed.
    public static let invalidSchema = Code(name: "invalid schema")
    /// A data, deletion vector or checkpoint file named by the log does not exist.
    public static let missingFile = Code(name: "missing file")
    /// A data file's contents do not fit the table schema.
    public static let incompatibleData = Code(name: "incompatible data")
    /// Reading or listing failed.
    public static let io = Code(name: "I/O error")
    /// The caller asked for something impossible (an unknown column, a negative version).
    public static let invalidArgument = Code(name: "invalid argument")
    public var description: String { name }
  }

  public var code: Code
  public var message: String
  /// The file or table the error is about.
  public var path: String?
  public var cause: (any Error & Sendable)?

  public init(_ code: Code, _ message: String, path: String? = nil, cause: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.path = path
    self.cause = cause
  }

  public var description: String {
    if let path { return "\(path): \(message)" }
    return message
  }
}
