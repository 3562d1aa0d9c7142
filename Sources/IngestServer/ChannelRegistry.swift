import Ingest
import Synchronization

/// The spool channels and their follower threads: `osquery`, and `ingest-<table>` per table
/// posted to, opened at start-up for every folder already in the spool and on first use after.
final class ChannelRegistry: Sendable {
  static let osquery = "osquery"
  static let ingestPrefix = "ingest-"

  private let configuration: ServerConfiguration
  private let root: String
  private let metrics: ServerMetrics
  private let channels = Mutex<[String: (channel: SpoolChannel, follower: SpoolFollower)]>([:])
  private let closed = Atomic<Bool>(false)

  init(configuration: ServerConfiguration, metrics: ServerMetrics) throws(ServerError) {
    self.configuration = configuration
    root = try configuration.tableFolder()
    self.metrics = metrics
  }

  /// Opens the osquery channel and every `ingest-<table>` folder of the spool.
  func openExisting() throws(ServerError) {
    _ = try osqueryChannel()
    for name in DurableFile.names(in: configuration.spoolFolder) where name.hasPrefix(Self.ingestPrefix) {
      let table = String(name.dropFirst(Self.ingestPrefix.count))
      guard IngestRoute.isTableName(table), DurableFile.isFolder(configuration.spoolFolder + "/" + name) else {
        continue
      }
      _ = try ingestChannel(table: table)
    }
  }

  func osqueryChannel() throws(ServerError) -> SpoolChannel {
    var options = IngestOptions(target: root)
    options.deadLetterTable = root + "_dead_letters"
    return try channel(named: Self.osquery, options: options) { SpoolDecoder(OsqueryDecoder()) }
  }

  func ingestChannel(table: String) throws(ServerError) -> SpoolChannel {
    let options = IngestOptions(target: root + "/" + table)
    let timeField = configuration.timeField
    return try channel(named: Self.ingestPrefix + table, options: options) {
      SpoolDecoder(JSONLinesRecordDecoder(timeField: timeField))
    }
  }

  private func channel(
    named name: String, options base: IngestOptions, makeDecoder: @escaping @Sendable () -> any RecordDecoder
  ) throws(ServerError) -> SpoolChannel {
    let result: Result<SpoolChannel, ServerError> = channels.withLock { channels in
      if let open = channels[name] { return .success(open.channel) }
      guard !closed.load(ordering: .relaxed) else { return .failure(ServerError("the server is stopping")) }
      do throws(ServerError) {
        var options = base
        options.partitioning = configuration.partitioning
        options.maxLatency = configuration.maxLatency
        options.maxRows = configuration.maxRows
        options.maxBytes = configuration.maxBytes
        options.targetFileSize = configuration.targetFileSize
        options.sourceKind = "http"
        let channel = try SpoolChannel(
          name: name, folder: configuration.spoolFolder + "/" + name, maxFileSize: configuration.spoolFileSize,
          recentLimit: configuration.recentRequests)
        let follower = SpoolFollower(
          channel: channel, options: options, pollInterval: configuration.pollInterval, metrics: metrics,
          makeDecoder: makeDecoder)
        try follower.start()
        channels[name] = (channel, follower)
        return .success(channel)
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Stops every follower (each flushes what it holds) and waits for them; returns the
  /// errors of those whose last attempt failed.
  func stopAll() async -> [String] {
    closed.store(true, ordering: .relaxed)
    let open = channels.withLock { Array($0.values) }
    for (channel, follower) in open {
      channel.closeActiveFile()
      follower.requestStop()
    }
    var errors: [String] = []
    for (channel, follower) in open.sorted(by: { $0.channel.name < $1.channel.name }) {
      if let error = await follower.waitUntilFinished() { errors.append("channel \(channel.name): \(error)") }
    }
    return errors
  }
}
