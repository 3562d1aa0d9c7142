import Delta
import Hummingbird
import HummingbirdTLS
import Ingest
import Synchronization

/// `avocet serve`: osquery's remote API and `POST /ingest/{table}` over HTTP(S), spooled to
/// disk and acknowledged once the bytes are synced, then ingested into Delta tables by one
/// follower thread per spool channel (see ``SpoolChannel`` and ``SpoolFollower``).
///
/// ```swift
/// let server = try IngestHTTPServer(configuration: configuration)
/// try await server.run { url in print("listening on \(url)") }   // until stop() or cancellation
/// ```
public final class IngestHTTPServer: Sendable {
  public let configuration: ServerConfiguration
  private let metrics = ServerMetrics()
  private let nodes: NodeRegistry
  private let channels: ChannelRegistry
  private let stopState = Mutex<StopState>(StopState())

  private struct StopState {
    var stopped = false
    var waiter: CheckedContinuation<Void, Never>?
  }

  /// Opens the spool (reading back its request ids and node keys) and starts ingesting what
  /// it holds; HTTP starts with ``run(onListening:)``.
  public init(configuration: ServerConfiguration) throws(ServerError) {
    try configuration.validate()
    self.configuration = configuration
    try DurableFile.makeFolder(configuration.spoolFolder)
    nodes = try NodeRegistry(path: configuration.spoolFolder + "/nodes.json")
    channels = try ChannelRegistry(configuration: configuration, metrics: metrics)
    try channels.openExisting()
  }

  /// Serves until ``stop()`` is called or the calling task is cancelled, then stops taking
  /// requests, lets every channel flush what it holds and returns. `onListening` gets the
  /// server's URL (with the port the system picked for port 0).
  ///
  /// With `handleSignals`, SIGTERM and SIGINT shut the server down gracefully: it stops
  /// accepting connections and finishes the requests under way before the channels flush.
  public func run(handleSignals: Bool = false, onListening: @escaping @Sendable (String) -> Void = { _ in })
    async throws
  {
    let router = Router(context: BasicRequestContext.self)
    let metrics = metrics
    router.get("/health") { _, _ in
      metrics.countRequest(route: "/health", status: 200)
      return HTTPReply.json([("status", .string("ok"))])
    }
    router.get("/metrics") { _, _ in
      metrics.countRequest(route: "/metrics", status: 200)
      return HTTPReply.text(metrics.prometheusText(), contentType: "text/plain; version=0.0.4")
    }
    let osquery = OsqueryRoutes(
      nodes: nodes, enrollSecret: configuration.enrollSecret, osqueryConfig: configuration.osqueryConfig,
      channel: try channels.osqueryChannel(), maxBodyBytes: configuration.maxBodyBytes, metrics: metrics)
    osquery.add(to: router)
    let channels = channels
    IngestRoute(
      tokens: configuration.ingestTokens, maxBodyBytes: configuration.maxBodyBytes, metrics: metrics,
      channel: { table throws(ServerError) in try channels.ingestChannel(table: table) }
    ).add(to: router)

    let scheme = configuration.tlsCertificate == nil ? "http" : "https"
    let host = configuration.host
    let display = host.contains(":") ? "[\(host)]" : host
    let onServerRunning: @Sendable (String) -> Void = { port in onListening("\(scheme)://\(display):\(port)") }
    let address = BindAddress.hostname(host, port: configuration.port)
    var app: Application<RouterResponder<BasicRequestContext>>
    if let tls = try tlsConfiguration() {
      app = Application(
        router: router, server: try .tls(.http1(), tlsConfiguration: tls),
        configuration: .init(address: address, serverName: "avocet"),
        onServerRunning: { channel in onServerRunning(channel.localAddress?.port.map(String.init) ?? "?") })
    } else {
      app = Application(
        router: router, configuration: .init(address: address, serverName: "avocet"),
        onServerRunning: { channel in onServerRunning(channel.localAddress?.port.map(String.init) ?? "?") })
    }

    app.logger.logLevel = .warning
    let serverTask = Task { [app] in
      try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
    }
    let watcher = Task {
      _ = await serverTask.result
      self.stop()
    }
    await withTaskCancellationHandler {
      await waitForStop()
    } onCancel: {
      self.stop()
    }
    serverTask.cancel()
    let result = await serverTask.result
    watcher.cancel()
    let errors = await channels.stopAll()
    if case .failure(let error) = result, !(error is CancellationError) {
      throw ServerError("cannot serve on \(configuration.host):\(configuration.port): \(error)")
    }
    if !errors.isEmpty {
      throw ServerError(
        "ingesting the spool failed (it is kept and read again at the next start): " + errors.joined(separator: "; "))
    }
  }

  /// Asks ``run(onListening:)`` to stop.
  public func stop() {
    let waiter = stopState.withLock { state in
      state.stopped = true
      let waiter = state.waiter
      state.waiter = nil
      return waiter
    }
    waiter?.resume()
  }

  private func waitForStop() async {
    await withCheckedContinuation { continuation in
      let stopped = stopState.withLock { state in
        if state.stopped { return true }
        state.waiter = continuation
        return false
      }
      if stopped { continuation.resume() }
    }
  }

  /// The TLS settings when a certificate and key are configured.
  private func tlsConfiguration() throws -> TLSConfiguration? {
    guard let certificate = configuration.tlsCertificate, let key = configuration.tlsKey else { return nil }
    do {
      let chain = try NIOSSLCertificate.fromPEMFile(certificate)
      let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
      return TLSConfiguration.makeServerConfiguration(
        certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    } catch {
      throw ServerError("cannot load the TLS certificate \(certificate) and key \(key): \(error)")
    }
  }
}
