import Delta
import Ingest
import Synchronization

/// Ingests one spool channel on its own thread: `FileIngestor.follow` over the channel's
/// folder, so positions, exactly-once commits, dead letters and micro-batching are the
/// pipeline's. Every half second it deletes the files that are no longer written and are
/// committed to their end, and publishes the channel's statistics.
///
/// When the pipeline fails (a commit that cannot be written), the failure is logged and the
/// channel starts over a second later from what its tables hold: nothing in the spool is lost.
final class SpoolFollower: Sendable {
  let channel: SpoolChannel
  private let options: IngestOptions
  private let makeDecoder: @Sendable () -> any RecordDecoder
  private let metrics: ServerMetrics
  private let pollInterval: Double
  private let stopRequested = Atomic<Bool>(false)
  private let completion = Mutex(Completion())

  private struct Completion {
    var finished = false
    var error: String?
    var waiters: [CheckedContinuation<String?, Never>] = []
  }

  init(
    channel: SpoolChannel, options: IngestOptions, pollInterval: Double, metrics: ServerMetrics,
    makeDecoder: @escaping @Sendable () -> any RecordDecoder
  ) {
    self.channel = channel
    self.options = options
    self.pollInterval = pollInterval
    self.metrics = metrics
    self.makeDecoder = makeDecoder
  }

  func start() throws(ServerError) {
    try BackgroundThread.start { self.follow() }
  }

  /// Asks the thread to flush what it holds and end.
  func requestStop() {
    stopRequested.store(true, ordering: .relaxed)
  }

  /// Waits until the thread has ended; returns the error of its last attempt, if it failed.
  func waitUntilFinished() async -> String? {
    await withCheckedContinuation { continuation in
      let done: String?? = completion.withLock { state in
        if state.finished { return .some(state.error) }
        state.waiters.append(continuation)
        return .none
      }
      if let done { continuation.resume(returning: done) }
    }
  }

  private var isStopping: Bool { stopRequested.load(ordering: .relaxed) }

  private func follow() {
    var base = IngestStatistics()
    var lastError: String?
    while true {
      var current = IngestStatistics()
      do {
        let pipeline = try IngestPipeline(options: options)
        let ingestor = FileIngestor(patterns: [channel.folder], pipeline: pipeline, makeDecoder: makeDecoder)
        var lastCleanup = ContinuousClock.now - .seconds(1)
        try ingestor.follow(pollInterval: pollInterval, shouldStop: { isStopping }) { statistics in
          current = statistics
          metrics.update(channel: channel.name, statistics: base.adding(statistics))
          if ContinuousClock.now - lastCleanup >= .milliseconds(500) {
            lastCleanup = .now
            deleteIngestedFiles(ingestor)
          }
        }
        deleteIngestedFiles(ingestor)
        lastError = nil
        break
      } catch {
        base = base.adding(current)
        lastError = "\(error)"
        metrics.countError(channel: channel.name)
        publishSpoolSize()
        ServerLog.note("channel \(channel.name): \(error)\(isStopping ? "" : "; starting over in 1 s")")
        if isStopping { break }
        for _ in 0..<10 where !isStopping { BackgroundThread.sleep(seconds: 0.1) }
      }
    }
    let waiters = completion.withLock { state in
      state.finished = true
      state.error = lastError
      let waiters = state.waiters
      state.waiters = []
      return waiters
    }
    for waiter in waiters { waiter.resume(returning: lastError) }
  }

  /// Publishes the whole spool as pending (when the pipeline cannot tell what it committed).
  private func publishSpoolSize() {
    let sizes = channel.files.compactMap(DurableFile.size)
    metrics.update(channel: channel.name, pendingBytes: sizes.reduce(0, +), files: sizes.count)
  }

  /// Deletes the files the pipeline has committed to their end (not the one being written)
  /// and publishes how much of the spool is still to ingest.
  private func deleteIngestedFiles(_ ingestor: FileIngestor) {
    var pending: Int64 = 0
    var files = 0
    let active = channel.activePath
    for path in channel.files {
      guard let size = DurableFile.size(path) else { continue }
      let committed: Int64
      do {
        committed = try ingestor.committedOffset(ofFile: path) ?? 0
      } catch {
        continue
      }
      if path != active, size > 0, committed >= size {
        do {
          if try channel.delete(path) { continue }
        } catch {
          ServerLog.note("channel \(channel.name): \(error)")
        }
      }
      pending += max(0, size - committed)
      files += 1
    }
    metrics.update(channel: channel.name, pendingBytes: pending, files: files)
  }
}
