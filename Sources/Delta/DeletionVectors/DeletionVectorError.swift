/// A deletion vector that cannot be read: a malformed descriptor, a missing or unreadable DV file,
/// a bad checksum, or a bitmap that does not follow the format.
///
/// The message names what is wrong and where (byte position inside the bitmap); `file`, `offset`
/// and `table` say which deletion vector it was, and `cause` keeps the underlying I/O error.
public struct DeletionVectorError: Error, CustomStringConvertible, Sendable {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    /// The bytes do not follow the format: bad magic, impossible count, unsorted values.
    public static let corrupt = Code(name: "corrupt deletion vector")
    /// The bytes ended before a structure they announced.
    public static let truncated = Code(name: "truncated deletion vector")
    /// The CRC-32 stored after the bitmap does not match it.
    public static let checksumMismatch = Code(name: "checksum mismatch")
    /// The bitmap holds a different number of rows than the descriptor's `cardinality`.
    public static let cardinalityMismatch = Code(name: "cardinality mismatch")
    /// The descriptor itself is malformed: unknown storage type, bad size or offset, bad Z85.
    public static let invalidDescriptor = Code(name: "invalid deletion vector descriptor")
    /// A well-formed deletion vector using something this reader does not implement.
    public static let unsupported = Code(name: "unsupported deletion vector")
    /// Reading the DV file failed.
    public static let io = Code(name: "I/O error")
    public var description: String { name }
  }

  public var code: Code
  public var message: String
  /// The table root the deletion vector belongs to, when known.
  public var table: String?
  /// The DV file, or nil for an inline deletion vector or a bare bitmap.
  public var file: String?
  /// The descriptor's byte offset in `file`.
  public var offset: Int?
  public var cause: (any Error & Sendable)?

  public init(
    _ code: Code, _ message: String, table: String? = nil, file: String? = nil, offset: Int? = nil,
    cause: (any Error & Sendable)? = nil
  ) {
    self.code = code
    self.message = message
    self.table = table
    self.file = file
    self.offset = offset
    self.cause = cause
  }

  public var description: String {
    var text = ""
    if let file {
      text += file
      if let offset { text += "@\(offset)" }
      text += ": "
    }
    if let table { text += "table \(table): " }
    text += "\(code): \(message)"
    if let cause { text += " (\(cause))" }
    return text
  }

  /// The same error, naming the table, file and offset unless it already does.
  func located(table: String?, file: String?, offset: Int?) -> DeletionVectorError {
    var copy = self
    if copy.table == nil { copy.table = table }
    if copy.file == nil {
      copy.file = file
      copy.offset = offset
    }
    return copy
  }
}
