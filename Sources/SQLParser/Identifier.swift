/// A name as written in SQL: a bare word such as `client_ip`, matched without regard to case, or a
/// quoted name (`"Event Time"`, `` `/data/events` ``) whose spelling is kept exactly.
///
/// Equality is structural: `Year`, `year` and `"year"` are three different identifiers. Binders
/// resolve names with ``normalized`` or ``matches(_:)``.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
  /// The name as written, without quotes; doubled quote characters are already undoubled.
  public var value: String
  /// Whether the name was written in double quotes or backquotes.
  public var isQuoted: Bool
  @IgnoredInEquality public var location: SourceLocation

  public init(_ value: String, isQuoted: Bool = false, location: SourceLocation = .start) {
    self.value = value
    self.isQuoted = isQuoted
    self.location = location
  }

  /// The name folded to lower case unless quoted: the form to use as a key in case-insensitive
  /// lookups.
  public var normalized: String { isQuoted ? value : value.lowercased() }

  /// Whether this identifier names `name`, comparing without regard to case as DuckDB and Spark do.
  public func matches(_ name: String) -> Bool {
    value.lowercased() == name.lowercased()
  }

  /// The name as canonical SQL: bare when it was written bare, in double quotes otherwise.
  public var description: String {
    if !isQuoted && Identifier.canStandBare(value) { return value }
    return SQLWriter.quoted(value, with: "\"")
  }

  /// Whether `name` can be written without quotes: a word that is not a reserved keyword.
  static func canStandBare(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !Lexer.isDigit(first) else { return false }
    for scalar in name.unicodeScalars where !Lexer.isWordScalar(scalar) { return false }
    if let keyword = Keyword(word: name), keyword.isReserved { return false }
    return true
  }
}

/// A dotted name: `events`, `logs.events`, ``delta.`/data/events` ``, `t.payload.src`. Never empty.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
  public var parts: [Identifier]

  public init(_ parts: [Identifier]) {
    precondition(!parts.isEmpty, "a qualified name has at least one part")
    self.parts = parts
  }

  /// A name from plain words, for trees built by hand: `QualifiedName("logs", "events")`.
  public init(_ parts: String...) {
    self.init(parts.map { Identifier($0) })
  }

  /// The last part: the table, column or function itself.
  public var name: Identifier { parts[parts.count - 1] }
  /// The parts before the last one: schema, catalog or table qualifiers.
  public var qualifier: [Identifier] { Array(parts.dropLast()) }
  /// Where the first part starts.
  public var location: SourceLocation { parts[0].location }

  public var description: String { parts.map(\.description).joined(separator: ".") }
}
