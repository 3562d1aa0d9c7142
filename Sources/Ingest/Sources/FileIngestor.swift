#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import Delta

/// Reads log files into a pipeline: once (what is there now), or following them as they grow,
/// rotate, are truncated or appear, until asked to stop. Every file resumes where the table
/// says its last commit ended.
public final class FileIngestor {
  public let patterns: [String]
  public let pipeline: IngestPipeline
  private let makeDecoder: () -> any RecordDecoder
  /// Files being read, by inode.
  private var open: [UInt64: TailedFile] = [:]
  /// Files finished in this run, by identity, so a one-shot run does not read a file twice.
  private var finished = Set<FileIdentity>()
  /// Sizes of compressed files last poll: a `.gz` is read once its size stops changing.
  private var compressedSizes: [String: Int64] = [:]

  public init(patterns: [String], pipeline: IngestPipeline, makeDecoder: @escaping () -> any RecordDecoder) {
    self.patterns = patterns
    self.pipeline = pipeline
    self.makeDecoder = makeDecoder
  }

  /// Ingests every file the patterns name now, to its end, and flushes.
  public func ingestOnce(progress: (IngestStatistics) -> Void = { _ in }) throws {
    for path in try PathExpansion.files(patterns, allowMissing: false) {
      guard let tailed = try track(path, follow: false) else { continue }
      while try tailed.pump(into: pipeline, final: true) {
        if pipeline.isFlushDue { try pipeline.flush() }
        progress(pipeline.statistics)
      }
      finished.insert(tailed.identity)
      open[tailed.identity.inode] = nil
    }
    try pipeline.flush()
    progress(pipeline.statistics)
  }

  /// Follows the files until `shouldStop` says so, then flushes what is buffered.
  public func follow(
    pollInterval: Double = 0.25, shouldStop: () -> Bool, progress: (IngestStatistics) -> Void = { _ in }
  ) throws {
    while !shouldStop() {
      let readAny = try pass(stopping: shouldStop)
      if pipeline.isFlushDue { try pipeline.flush() }
      progress(pipeline.statistics)
      if !readAny { Self.sleep(seconds: pollInterval) }
    }
    // What was written before the stop is read too (complete lines only; a few passes, so a
    // writer that never pauses cannot hold the stop off), then flushed.
    var passes = 0
    while passes < 8, try pass(stopping: { false }) { passes += 1 }
    try pipeline.flush()
    progress(pipeline.statistics)
  }

  /// One look at the patterns: new files are opened, and every open file is read (up to 16
  /// chunks each). Returns whether anything was read.
  private func pass(stopping shouldStop: () -> Bool) throws -> Bool {
    let paths = try PathExpansion.files(patterns, allowMissing: true)
    var present = Set<UInt64>()
    for path in paths {
      if let tailed = try track(path, follow: true) { present.insert(tailed.identity.inode) }
    }
    var readAny = false
    for (inode, tailed) in open.sorted(by: { $0.value.path < $1.value.path }) {
      let gone = !present.contains(inode)
      // A file rotated away (renamed out of the patterns, or deleted) is read to its end, last line included.
      var rounds = 0
      while rounds < 16, try tailed.pump(into: pipeline, final: gone) {
        readAny = true
        rounds += 1
        if pipeline.isFlushDue { try pipeline.flush() }
        if shouldStop() { break }
      }
      if gone, rounds < 16 { open[inode] = nil }
    }
    return readAny
  }

  /// The tailed file at `path`, opened (and resumed from the table's position) when new.
  private func track(_ path: String, follow: Bool) throws -> TailedFile? {
    guard let inode = OpenFile.inode(at: path) else { return nil }
    if let tailed = open[inode] {
      tailed.path = path
      return tailed
    }
    let file = try OpenFile(path: path)
    let (fileInode, size) = try file.status()
    if follow, path.hasSuffix(".gz") {
      // A compressed log is complete once it stops growing.
      defer { compressedSizes[path] = size }
      guard compressedSizes[path] == size else { return nil }
    }
    let committed = pipeline.committedStreams(prefix: "file:")
    let known = committed.keys.compactMap(FileIdentity.init(streamID:))
    guard let identity = try FileIdentity.of(file, inode: fileInode, size: size, known: known) else { return nil }
    if finished.contains(identity) { return nil }
    var resume = committed[identity.streamID] ?? 0
    if resume > size, !path.hasSuffix(".gz") {
      // Truncated in place (copytruncate) to less than was read: what is there now is new text.
      resume = 0
    }
    let tailed = try TailedFile(file: file, path: path, identity: identity, resumeAt: resume, decoder: makeDecoder())
    open[fileInode] = tailed
    return tailed
  }

  public static func sleep(seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    _ = nanosleep(&request, nil)
  }
}
