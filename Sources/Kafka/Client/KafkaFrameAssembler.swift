import NIOCore

/// Splits the byte stream from a broker into response frames: each is a big-endian int32 size
/// followed by that many bytes. Emits each frame, without its size prefix, as a byte array.
///
/// A frame's array is allocated at its full size as soon as the size is read, and each socket
/// read is copied straight into it: one copy per byte. (A fetch response can be hundreds of
/// megabytes; buffering it first and copying it out afterwards would touch twice the memory.)
final class KafkaFrameAssembler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = [UInt8]

  /// Refuse frames above this size rather than buffering them (a hostile or confused peer).
  let maximumFrameSize: Int
  private var sizeBytes: [UInt8] = []
  private var frame: [UInt8] = []
  private var expected = -1
  private var filled = 0
  private var failed = false

  init(maximumFrameSize: Int) { self.maximumFrameSize = maximumFrameSize }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var buffer = Self.unwrapInboundIn(data)
    while buffer.readableBytes > 0, !failed {
      if expected < 0 {
        while sizeBytes.count < 4, let byte = buffer.readInteger(as: UInt8.self) { sizeBytes.append(byte) }
        guard sizeBytes.count == 4 else { return }
        let size = Int(Int32(bitPattern: sizeBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
        sizeBytes.removeAll(keepingCapacity: true)
        guard size >= 4, size <= maximumFrameSize else {
          failed = true
          context.fireErrorCaught(
            KafkaError("broker sent a frame of \(size) bytes (limit \(maximumFrameSize))", code: .corruptData))
          return
        }
        expected = size
        filled = 0
        // Uninitialized: every byte is written from the socket before the frame is emitted.
        frame = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
      }
      let take = min(buffer.readableBytes, expected - filled)
      let start = filled
      frame.withUnsafeMutableBytes { destination in
        buffer.withUnsafeReadableBytes { source in
          destination.baseAddress!.advanced(by: start).copyMemory(from: source.baseAddress!, byteCount: take)
        }
      }
      buffer.moveReaderIndex(forwardBy: take)
      filled += take
      if filled == expected {
        let complete = frame
        frame = []
        expected = -1
        context.fireChannelRead(Self.wrapInboundOut(complete))
      }
    }
  }
}
