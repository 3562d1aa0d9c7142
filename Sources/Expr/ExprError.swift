/// An error of the `Expr` module: a value that does not parse as its type, a type that has no
/// scalar form.
public struct ExprError: Error, CustomStringConvertible, Sendable, Equatable {
  /// What kind of problem this is; new codes may be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    private init(_ name: String) { self.name = name }

    /// Text that is not a valid value of the requested type.
    public static let invalidValue = Code("invalidValue")
    /// A value that is well formed but does not fit the type (an `int8` of 300, a decimal with
    /// more digits than its precision, a date past the timestamp range).
    public static let outOfRange = Code("outOfRange")
    /// A type that has no scalar form (structs, lists, maps).
    public static let unsupportedType = Code("unsupportedType")

    public var description: String { name }
  }

  public var code: Code
  /// A sentence naming the offending text and the type it was read as.
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
