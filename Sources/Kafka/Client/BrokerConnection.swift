import NIOCore
import NIOPosix
import NIOSSL

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

  static func send<R: KafkaRequest>(
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

  /// Connects, completes the TLS handshake (with `tls`), negotiates API versions (ApiVersions
  /// v3, falling back to the version the broker names when it does not support v3) and
  /// authenticates (with `sasl`). Blocks; call from outside the event loop.
  static func connect(
    to address: BrokerAddress, nodeID: Int32, eventLoop: any EventLoop, clientID: String, connectTimeout: TimeAmount,
    requestTimeout: TimeAmount, versionCaps: [Int16: Int16], tls: KafkaTLS? = nil, sasl: KafkaSASL? = nil
  ) throws -> BrokerConnection {
    let name = address.description
    let tlsContext = try tls?.makeContext()
    let sniName = tls?.sniName(host: address.host)
    let trustDescription = tls?.trustDescription ?? ""
    let handshake = tlsContext.map { _ in eventLoop.makePromise(of: Void.self) }
    // The router, handed out by the initializer: asking the pipeline for it later fails if
    // the broker already closed the connection (a TLS alert right after the handshake).
    let routerPromise = eventLoop.makePromise(of: NIOLoopBound<ResponseRouter>.self)
    let channel: any Channel
    do {
      channel = try ClientBootstrap(group: eventLoop)
        .connectTimeout(connectTimeout)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let tlsContext, let handshake {
              try pipeline.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: sniName))
              try pipeline.addHandler(
                TLSHandshakeHandler(
                  brokerName: name, trustDescription: trustDescription, expectedName: sniName ?? address.host,
                  handshake: handshake))
            } else {
              try pipeline.addHandler(TLSAnswerDetector(brokerName: name))
            }
            try pipeline.addHandler(KafkaFrameAssembler(maximumFrameSize: 1 << 30))
            let router = ResponseRouter(brokerName: name)
            try pipeline.addHandler(router)
            routerPromise.succeed(NIOLoopBound(router, eventLoop: channel.eventLoop))
          }
        }
        .connect(host: address.host, port: address.port).wait()
    } catch {
      handshake?.fail(error)
      routerPromise.fail(error)
      throw KafkaError(
        "cannot connect to \(name) (\(describeConnectError(error)))", code: .connection, underlying: error)
    }
    do {
      if let handshake { try waitForHandshake(handshake, channel: channel, brokerName: name, timeout: connectTimeout) }
      let router = try routerPromise.futureResult.wait()
      let setup = SetupExchange(channel: channel, router: router, clientID: clientID, timeout: requestTimeout)
      var response = try setup.exchange(ApiVersionsRequest(), version: 3)
      if response.errorCode == KafkaErrorCode.unsupportedVersion {
        let theirs = response.versions[APIKey.apiVersions.rawValue]?.upperBound ?? 0
        response = try setup.exchange(ApiVersionsRequest(), version: min(theirs, 2))
      }
      guard response.errorCode == KafkaErrorCode.none else {
        throw KafkaError.broker(response.errorCode, "ApiVersions on \(name)")
      }
      if let sasl {
        try SaslAuthentication(sasl: sasl, brokerName: name, brokerVersions: response.versions, connection: setup).run()
      }
      let versions = NegotiatedVersions(broker: response.versions, caps: versionCaps)
      return BrokerConnection(
        address: address, nodeID: nodeID, channel: channel, router: router, versions: versions, clientID: clientID)
    } catch {
      channel.close(promise: nil)
      if var error = error as? KafkaError {
        // A TLS listener that a plaintext client reached often just hangs up on the first request.
        if tls == nil, error.code == .connection, error.message == "connection to broker \(name) closed" {
          error.message += " during setup (if its listener expects TLS, configure TLS)"
        }
        throw error
      }
      throw KafkaError("cannot talk to broker \(name): \(error)", code: .connection, underlying: error)
    }
  }

  /// Waits for the TLS handshake, at most `timeout`: a TLS client that reached a plaintext
  /// listener gets no answer to its hello.
  private static func waitForHandshake(
    _ handshake: EventLoopPromise<Void>, channel: any Channel, brokerName: String, timeout: TimeAmount
  ) throws {
    let timer = channel.eventLoop.scheduleTask(in: timeout) {
      handshake.fail(
        KafkaError(
          "TLS handshake with \(brokerName) timed out after \((Double(timeout.nanoseconds) / 1e9).formatted2) s "
            + "(is its listener plaintext?)", code: .timeout))
      channel.close(promise: nil)
    }
    defer { timer.cancel() }
    try handshake.futureResult.wait()
  }

  /// Requests on a connection that is still being set up, at explicit versions.
  private struct SetupExchange: KafkaRequestExchange {
    let channel: any Channel
    let router: NIOLoopBound<ResponseRouter>
    let clientID: String
    let timeout: TimeAmount

    func exchange<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
      try BrokerConnection.send(
        request, version: version, channel: channel, router: router, clientID: clientID, timeout: timeout
      ).wait()
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
