import NIOCore

/// Splits the byte stream from a broker into response frames: each is a big-endian int32
/// size followed by that many bytes. Emits the frame without its size prefix.
struct KafkaFrameDecoder: ByteToMessageDecoder {
  typealias InboundOut = ByteBuffer

  /// Refuse frames above this size rather than buffering them (a hostile or confused peer).
  let maximumFrameSize: Int

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
    guard size >= 4, Int(size) <= maximumFrameSize else {
      throw KafkaError("broker sent a frame of \(size) bytes (limit \(maximumFrameSize))", code: .corruptData)
    }
    guard buffer.readableBytes >= 4 + Int(size) else {
      // Room for the whole frame at once: a large fetch response would otherwise be copied
      // each time the buffer doubles on its way there.
      if size >= 1 << 20 { buffer.reserveCapacity(minimumWritableBytes: 4 + Int(size) - buffer.readableBytes) }
      return .needMoreData
    }
    buffer.moveReaderIndex(forwardBy: 4)
    guard let frame = buffer.readSlice(length: Int(size)) else { return .needMoreData }
    context.fireChannelRead(Self.wrapInboundOut(frame))
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
    -> DecodingState
  {
    try decode(context: context, buffer: &buffer)
  }
}
