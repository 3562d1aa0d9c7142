/// Wraps a stored property so that it takes no part in `==` and `hash(into:)`.
///
/// Every syntax node carries the ``SourceLocation`` it was parsed from, yet two trees compare equal
/// (and hash alike) when they have the same shape and contents wherever they were written, as in
/// sqlparser-rs, whose attached tokens are ignored by equality. That is what a binder wants when it
/// matches `GROUP BY a + 1` against the select item `a + 1`, and what lets tests check
/// `parse(print(parse(sql))) == parse(sql)`.
@propertyWrapper
public struct IgnoredInEquality<Value: Sendable>: Sendable, Hashable {
  public var wrappedValue: Value

  public init(wrappedValue: Value) {
    self.wrappedValue = wrappedValue
  }

  public static func == (lhs: Self, rhs: Self) -> Bool { true }

  public func hash(into hasher: inout Hasher) {}
}

extension SourceLocation {
  /// The start of the text: the location given to nodes built by hand rather than parsed.
  public static let start = SourceLocation(line: 1, column: 1, offset: 0)
}
