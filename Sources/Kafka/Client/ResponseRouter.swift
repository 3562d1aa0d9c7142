import NIOCore

/// Matches responses to requests on one broker connection by correlation id, and fails
/// requests that time out or whose connection closes. Lives on the channel's event loop.
final class ResponseRouter: ChannelInboundHandler {
  typealias InboundIn = [UInt8]
  typealias OutboundOut = ByteBuffer

  private struct Pending {
    var promise: EventLoopPromise<[UInt8]>
    var timeout: Scheduled<Void>?
    var api: String
  }

  /// "127.0.0.1:9092", for error messages.
  let brokerName: String
  private var pending: [Int32: Pending] = [:]
  private var nextCorrelationID: Int32 = 1
  private var context: ChannelHandlerContext?
  private var closedError: KafkaError?

  init(brokerName: String) { self.brokerName = brokerName }

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }

  func handlerRemoved(context: ChannelHandlerContext) {
    self.context = nil
    failAll(KafkaError("connection to broker \(brokerName) closed", code: .connection))
  }

  /// Sends a request frame (its correlation id is patched in here) and completes `promise`
  /// with the response frame, which starts with the correlation id.
  func send(_ frame: ByteBuffer, api: String, timeout: TimeAmount, promise: EventLoopPromise<[UInt8]>) {
    guard let context, closedError == nil else {
      promise.fail(closedError ?? KafkaError("connection to broker \(brokerName) is closed", code: .connection))
      return
    }
    let id = nextCorrelationID
    nextCorrelationID = nextCorrelationID == Int32.max ? 1 : nextCorrelationID + 1
    var frame = frame
    frame.setInteger(id, at: frame.readerIndex + correlationIDOffsetInFrame)
    let loop = context.eventLoop.assumeIsolated()
    let scheduled = loop.scheduleTask(in: timeout) { [self] in
      guard let entry = pending.removeValue(forKey: id) else { return }
      let seconds = Double(timeout.nanoseconds) / 1e9
      entry.promise.fail(
        KafkaError(
          "\(api) request to broker \(brokerName) timed out after \(seconds.formatted2) s", code: .timeout))
      // Responses arrive in order; after a timeout the stream is no longer trustworthy.
      close(KafkaError("connection to broker \(brokerName) closed after a request timed out", code: .timeout))
    }
    pending[id] = Pending(promise: promise, timeout: scheduled, api: api)
    let written = context.eventLoop.makePromise(of: Void.self)
    context.writeAndFlush(Self.wrapOutboundOut(frame), promise: written)
    written.futureResult.assumeIsolated().whenFailure { [self] error in
      guard let entry = pending.removeValue(forKey: id) else { return }
      entry.timeout?.cancel()
      entry.promise.fail(
        KafkaError("cannot send \(api) request to broker \(brokerName): \(error)", code: .connection, underlying: error)
      )
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = Self.unwrapInboundIn(data)
    guard frame.count >= 4 else { return }
    let id = Int32(bitPattern: UInt32(frame[0]) << 24 | UInt32(frame[1]) << 16 | UInt32(frame[2]) << 8 | UInt32(frame[3]))
    guard let entry = pending.removeValue(forKey: id) else { return }  // a response to a request we gave up on
    entry.timeout?.cancel()
    entry.promise.succeed(frame)
  }

  func channelInactive(context: ChannelHandlerContext) {
    let error = closedError ?? KafkaError("connection to broker \(brokerName) closed", code: .connection)
    closedError = error
    failAll(error)
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let kafkaError =
      (error as? KafkaError)
      ?? KafkaError("connection to broker \(brokerName) failed: \(error)", code: .connection, underlying: error)
    close(kafkaError)
  }

  private func close(_ error: KafkaError) {
    if closedError == nil { closedError = error }
    failAll(error)
    context?.close(promise: nil)
  }

  private func failAll(_ error: KafkaError) {
    let entries = pending
    pending = [:]
    for entry in entries.values {
      entry.timeout?.cancel()
      entry.promise.fail(error)
    }
  }
}

extension Double {
  /// Two decimals at most, without Foundation: 1.5, 30, 0.25.
  var formatted2: String {
    let hundredths = (self * 100).rounded()
    let whole = Int(hundredths / 100)
    let fraction = Int(hundredths) - whole * 100
    if fraction == 0 { return "\(whole)" }
    return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}
