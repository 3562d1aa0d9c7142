/// A Kafka client error: what failed, and where (broker, topic, partition, offset) when known.
///
/// `code` says what kind of failure it was, so callers can react (retry after a timeout,
/// stop on an unknown topic) without parsing the message. `brokerErrorCode` holds the
/// numeric Kafka error code when a broker reported the error.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
  /// The kind of failure. Extensible: new codes can be added without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    let name: String
    public var description: String { name }

    /// Could not connect to a broker, or the connection dropped.
    public static let connection = Code(name: "connection")
    /// A request got no response in time.
    public static let timeout = Code(name: "timeout")
    /// The broker and this client share no version of an API.
    public static let unsupportedVersion = Code(name: "unsupported version")
    /// The broker rejected the SASL credentials, does not offer the mechanism, or could not
    /// prove that it knows them (a SCRAM server signature that does not match).
    public static let authentication = Code(name: "authentication")
    /// A topic (or partition) does not exist.
    public static let unknownTopic = Code(name: "unknown topic")
    /// A broker answered with an error code.
    public static let broker = Code(name: "broker error")
    /// A response or record batch is malformed (bad length, CRC mismatch, bad compression).
    public static let corruptData = Code(name: "corrupt data")
    /// The consumer group rebalanced; the operation belongs to an old generation.
    public static let rebalance = Code(name: "rebalance")
    /// The caller used the API wrongly (bad broker address, commit without a group).
    public static let invalidArgument = Code(name: "invalid argument")
    /// The consumer was closed.
    public static let closed = Code(name: "closed")
    /// Anything else.
    public static let other = Code(name: "other")
  }

  public var code: Code
  public var message: String
  /// The Kafka protocol error code when a broker reported the failure.
  public var brokerErrorCode: Int16?
  /// The lower-level error (a socket or codec error), if any.
  public var underlying: (any Error)?

  public init(_ message: String, code: Code = .other, brokerErrorCode: Int16? = nil, underlying: (any Error)? = nil) {
    self.message = message
    self.code = code
    self.brokerErrorCode = brokerErrorCode
    self.underlying = underlying
  }

  public var description: String { message }
}

extension KafkaError {
  static func corrupt(_ message: String) -> KafkaError { KafkaError(message, code: .corruptData) }
}
