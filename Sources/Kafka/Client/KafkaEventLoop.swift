import NIOCore
import NIOPosix

/// The event loops the Kafka connections run on: SwiftNIO's shared singleton group, so a
/// consumer never owns threads that must be shut down.
enum KafkaEventLoop {
  static func next() -> any EventLoop { MultiThreadedEventLoopGroup.singleton.next() }
}
