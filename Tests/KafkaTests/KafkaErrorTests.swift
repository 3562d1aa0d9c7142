import Testing

@testable import Kafka

@Suite struct KafkaErrorTests {
  @Test func describesItselfByItsMessage() {
    #expect("\(KafkaError("broker 127.0.0.1:9 is unreachable"))" == "broker 127.0.0.1:9 is unreachable")
  }
}
