/// A Kafka client error: what failed, and where (broker, topic, partition) when known.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
