import NIOCore
import NIOEmbedded
import Testing

@testable import Kafka

/// Frames come out whole however the stream is cut, also inside the size prefix.
@Suite struct KafkaFrameAssemblerTests {
  static func stream(_ frames: [[UInt8]]) -> [UInt8] {
    var bytes: [UInt8] = []
    for frame in frames {
      let size = UInt32(frame.count)
      bytes += [UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)] + frame
    }
    return bytes
  }

  @Test(arguments: [1, 2, 3, 5, 7, 64, 100_000])
  func framesSurviveAnyCut(chunk: Int) throws {
    let frames: [[UInt8]] = [
      [0, 0, 0, 1], Array(0..<200).map { UInt8($0 & 0xff) }, [9, 9, 9, 9, 1], (0..<70_000).map { UInt8($0 % 251) },
    ]
    let channel = EmbeddedChannel(handler: KafkaFrameAssembler(maximumFrameSize: 1 << 20))
    let bytes = Self.stream(frames)
    var start = 0
    while start < bytes.count {
      let end = min(bytes.count, start + chunk)
      try channel.writeInbound(channel.allocator.buffer(bytes: bytes[start..<end]))
      start = end
    }
    var received: [[UInt8]] = []
    while let frame = try channel.readInbound(as: [UInt8].self) { received.append(frame) }
    #expect(received == frames)
    _ = try channel.finish()
  }

  @Test func anOversizedFrameIsAnError() throws {
    let channel = EmbeddedChannel(handler: KafkaFrameAssembler(maximumFrameSize: 100))
    #expect(throws: KafkaError.self) {
      try channel.writeInbound(channel.allocator.buffer(bytes: [0, 0, 1, 0, 1, 2, 3]))
    }
    #expect(try channel.readInbound(as: [UInt8].self) == nil)
    _ = try? channel.finish()
  }
}
