/// An error raised while executing a physical plan: an overflow, a bad cast, a memory limit.
///
/// The message names the operator or expression where it happened, as in
/// "integer overflow in total_bytes * 1000 (HashAggregate SUM)".
public struct ExecError: Error, CustomStringConvertible, Sendable {
  /// What kind of problem this is; new codes may be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    private init(_ name: String) { self.name = name }

    /// An integer result that does not fit its type.
    public static let overflow = Code("overflow")
    /// A value that cannot be converted to the requested type.
    public static let invalidCast = Code("invalidCast")
    /// Operand types that the operator does not support.
    public static let typeMismatch = Code("typeMismatch")
    /// A column index or argument count that does not fit the input.
    public static let invalidPlan = Code("invalidPlan")
    /// The query needs more memory than the budget allows.
    public static let memoryLimit = Code("memoryLimit")
    /// A pattern (LIKE, regular expression) that does not compile.
    public static let invalidPattern = Code("invalidPattern")
    /// A feature this engine does not implement yet.
    public static let unsupported = Code("unsupported")

    public var description: String { name }
  }

  public var code: Code
  /// A sentence naming the operator or expression and what went wrong.
  public var message: String
  /// The error this one wraps, if any (a columnar or parse error).
  public var underlying: (any Error & Sendable)?

  public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
    self.code = code
    self.message = message
    self.underlying = underlying
  }

  public var description: String {
    if let underlying { return "\(message): \(underlying)" }
    return message
  }
}
