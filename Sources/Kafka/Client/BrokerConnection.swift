import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One TCP connection to a broker, with the API versions negotiated on it.
///
/// Thread-safe: requests may be sent from any thread; the channel's event loop does the
/// I/O and matches responses to requests.
struct BrokerConnection: Sendable {
  let address: BrokerAddress
  /// The broker's node id, or -1 for a bootstrap connection made before metadata.
  let nodeID: Int32
  let channel: any Channel
  private let router: NIOLoopBound<ResponseRouter>
  let versions: NegotiatedVersions
  let clientID: String

  var isActive: Bool { channel.isActive }
  var name: String { address.description }

  /// Sends `request` at the negotiated version; the response is decoded on the event loop.
  func send<R: KafkaRequest>(_ request: R, timeout: TimeAmount) -> EventLoopFuture<R.Response> {
    let version: Int16
    do { version = try versions.version(of: R.api, brokerName: name) } catch {
      return channel.eventLoop.makeFailedFuture(error)
    }
    return Self.send(request, version: version, channel: channel, router: router, clientID: clientID, timeout: timeout)
  }

  /// Sends `request` and waits for the response. Call from outside the event loop.
  func request<R: KafkaRequest>(_ request: R, timeout: TimeAmount) throws -> R.Response {
    try send(request, timeout: timeout).wait()
  }

  func close() {
    channel.close(promise: nil)
  }

  private static func send<R: KafkaRequest>(
    _ request: R, version: Int16, channel: any Channel, router: NIOLoopBound<ResponseRouter>, clientID: String,
    timeout: TimeAmount
  ) -> EventLoopFuture<R.Response> {
    let frameBytes = request.encodeFrame(version: version, correlationID: 0, clientID: clientID)
    let buffer = channel.allocator.buffer(bytes: frameBytes)
    let promise = channel.eventLoop.makePromise(of: [UInt8].self)
    let api = R.api.name
    if channel.eventLoop.inEventLoop {
      router.value.send(buffer, api: api, timeout: timeout, promise: promise)
    } else {
      channel.eventLoop.execute { router.value.send(buffer, api: api, timeout: timeout, promise: promise) }
    }
    return promise.futureResult.flatMapThrowing { frame in
      try R.decodeResponseFrame(frame, version: version)
    }
  }

  /// Connects and negotiates API versions (ApiVersions v3, falling back to the version the
  /// broker names when it does not support v3). Blocks; call from outside the event loop.
  static func connect(
    to address: BrokerAddress, nodeID: Int32, eventLoop: any EventLoop, clientID: String, connectTimeout: TimeAmount,
    requestTimeout: TimeAmount, versionCaps: [Int16: Int16]
  ) throws -> BrokerConnection {
    let name = address.description
    let channel: any Channel
    do {
      channel = try ClientBootstrap(group: eventLoop)
        .connectTimeout(connectTimeout)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
              ByteToMessageHandler(KafkaFrameDecoder(maximumFrameSize: 1 << 30)))
            try channel.pipeline.syncOperations.addHandler(ResponseRouter(brokerName: name))
          }
        }
        .connect(host: address.host, port: address.port).wait()
    } catch {
      throw KafkaError(
        "cannot connect to \(name) (\(describeConnectError(error)))", code: .connection, underlying: error)
    }
    do {
      let router = try channel.eventLoop.submit {
        NIOLoopBound(
          try channel.pipeline.syncOperations.handler(type: ResponseRouter.self), eventLoop: channel.eventLoop)
      }.wait()
      var response = try send(
        ApiVersionsRequest(), version: 3, channel: channel, router: router, clientID: clientID, timeout: requestTimeout
      ).wait()
      if response.errorCode == KafkaErrorCode.unsupportedVersion {
        let theirs = response.versions[APIKey.apiVersions.rawValue]?.upperBound ?? 0
        response = try send(
          ApiVersionsRequest(), version: min(theirs, 2), channel: channel, router: router, clientID: clientID,
          timeout: requestTimeout
        ).wait()
      }
      guard response.errorCode == KafkaErrorCode.none else {
        throw KafkaError.broker(response.errorCode, "ApiVersions on \(name)")
      }
      let versions = NegotiatedVersions(broker: response.versions, caps: versionCaps)
      return BrokerConnection(
        address: address, nodeID: nodeID, channel: channel, router: router, versions: versions, clientID: clientID)
    } catch {
      channel.close(promise: nil)
      if let error = error as? KafkaError { throw error }
      throw KafkaError("cannot talk to broker \(name): \(error)", code: .connection, underlying: error)
    }
  }

  /// "connection refused", "timed out after 10 s", "cannot resolve host".
  static func describeConnectError(_ error: any Error) -> String {
    if let error = error as? NIOConnectionError {
      if error.dnsAError != nil && error.dnsAAAAError != nil && error.connectionErrors.isEmpty {
        return "cannot resolve host \(error.host)"
      }
      if let first = error.connectionErrors.first { return describeConnectError(first.error) }
      return "\(error)"
    }
    if let error = error as? IOError { return describe(errno: error.errnoCode) }
    if let error = error as? ChannelError, case .connectTimeout(let amount) = error {
      return "timed out after \((Double(amount.nanoseconds) / 1e9).formatted2) s"
    }
    return "\(error)"
  }

  static func describe(errno code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    let message = String(cString: text)
    guard let first = message.first else { return "errno \(code)" }
    return first.lowercased() + message.dropFirst()
  }
}
