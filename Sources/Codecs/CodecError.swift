/// An error from a compression codec: which codec, what went wrong, and where in the input.
public struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    public static let corruptInput = Code(name: "corrupt input")
    public static let truncatedInput = Code(name: "truncated input")
    public static let sizeMismatch = Code(name: "size mismatch")
    public static let unsupported = Code(name: "unsupported")
    public static let outputTooLarge = Code(name: "output too large")
    public var description: String { name }
  }

  public var code: Code
  /// The codec's name as users know it: "SNAPPY", "ZSTD", "GZIP", "LZ4_RAW".
  public var codec: String
  public var message: String
  /// Byte offset in the compressed input where the problem was found, when known.
  public var offset: Int?

  public init(_ code: Code, codec: String, _ message: String, offset: Int? = nil) {
    self.code = code
    self.codec = codec
    self.message = message
    self.offset = offset
  }

  public var description: String {
    var text = "\(codec): \(code): \(message)"
    if let offset { text += " (at input byte \(offset))" }
    return text
  }
}
