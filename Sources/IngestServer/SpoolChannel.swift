import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One spool folder: requests for one destination (osquery logs, or one `/ingest/{table}`
/// table) appended to `<20-digit sequence>.log` files, acknowledged once they are on disk.
///
/// Appends are queued and written by one serial worker: each request is one frame written
/// with one `write(2)` (`O_APPEND`); one `fsync` then covers every frame of the round (group
/// commit) before their callers hear back. A request whose id is already spooled is answered
/// without being written again. The active file is closed once it passes the size limit; the
/// next request starts a new one, and so does the first request after a restart (old files are
/// never appended to, so a frame torn by a crash stays the last thing in its file).
///
/// The ids of recent requests survive restarts: those of files still present are read back
/// from their markers, those of deleted files from the `.ids` journal, written just before a
/// file is deleted.
final class SpoolChannel: Sendable {
  enum Outcome: Sendable, Equatable {
    /// The request was written now.
    case spooled
    /// The request was spooled before; nothing was written.
    case duplicate
  }

  let name: String
  let folder: String
  private let maxFileSize: Int
  private let queue: DispatchQueue
  private let shared: Mutex<Shared>
  /// State only the writer uses (locked by it alone, so never contended).
  private let writer: Mutex<Writer>

  private struct Job: Sendable {
    var id: String
    var lines: SpoolLines
    var continuation: CheckedContinuation<Outcome, any Error>
  }

  private struct Shared: Sendable {
    var queued: [Job] = []
    var recent: RecentRequests
    /// The file being appended to, which is never deleted.
    var activePath: String?
    /// Request ids by spool file path, for the journal when the file is deleted.
    var idsByFile: [String: [String]] = [:]
    var journalLines = 0
  }

  private struct Writer: Sendable {
    var descriptor: Int32 = -1
    var path = ""
    var size = 0
    var nextSequence: UInt64
  }

  /// The folder's spool files.
  var files: [String] {
    DurableFile.names(in: folder).filter { $0.hasSuffix(".log") && !$0.hasPrefix(".") }.map { folder + "/" + $0 }
  }

  var journalPath: String { folder + "/.ids" }

  var activePath: String? { shared.withLock { $0.activePath } }

  /// Opens the folder (creating it), reads back the ids of the requests its files hold and cuts
  /// a line left incomplete by a crash off the end of each file. That is safe: readers take
  /// whole lines only (and none runs yet), and the bytes that identify a file to the ingest,
  /// its first KiB, are its header, which is never cut.
  init(name: String, folder: String, maxFileSize: Int, recentLimit: Int) throws(ServerError) {
    self.name = name
    self.folder = folder
    self.maxFileSize = max(maxFileSize, 1)
    queue = DispatchQueue(label: "avocet.spool.\(name)")
    try DurableFile.makeFolder(folder)
    var recent = RecentRequests(limit: recentLimit)
    var journalLines = 0
    if let journal = DurableFile.readAll(folder + "/.ids") {
      for line in journal.split(separator: UInt8(ascii: "\n")) {
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard parts.count == 3, let delivered = Int(parts[1]), let total = Int(parts[2]) else { continue }
        recent.record(String(parts[0]), Delivery(delivered: delivered, total: total))
        journalLines += 1
      }
    }
    var idsByFile: [String: [String]] = [:]
    var sequence: UInt64 = 0
    for name in DurableFile.names(in: folder) where name.hasSuffix(".log") && !name.hasPrefix(".") {
      let path = folder + "/" + name
      let scan = try SpoolScan.readFile(path)
      if scan.completeLength == 0 {
        // Created by a server killed before its header was complete: nothing in it.
        unlink(path)
        continue
      }
      if scan.completeLength < scan.size {
        guard truncate(path, off_t(scan.completeLength)) == 0 else {
          throw ServerError("cannot cut the torn end off the spool file \(path): \(DurableFile.errorText())")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
          _ = fsync(fd)
          close(fd)
        }
      }
      for frame in scan.frames { recent.record(frame.marker.id, frame.delivery) }
      idsByFile[path] = scan.frames.map(\.marker.id)
      if let number = UInt64(name.dropLast(4)) { sequence = max(sequence, number) }
    }
    shared = Mutex(Shared(recent: recent, idsByFile: idsByFile, journalLines: journalLines))
    writer = Mutex(Writer(nextSequence: sequence + 1))
    if journalLines > 2 * recent.limit { try compactJournal() }
  }

  /// Spools one request (its data lines, under its id) and returns once it is on disk, or
  /// tells that it was spooled before. Throws when the spool cannot be written.
  func append(id: String, lines: SpoolLines) async throws -> Outcome {
    try await withCheckedThrowingContinuation { continuation in
      shared.withLock { $0.queued.append(Job(id: id, lines: lines, continuation: continuation)) }
      queue.async { self.writeQueued() }
    }
  }

  /// What became of one queued request in a round.
  private enum JobResult {
    /// Written; acknowledged once a sync of its file succeeds.
    case written(path: String)
    case durable(path: String)
    /// Spooled before (or earlier in this round: then as durable as that frame).
    case duplicate(ofJob: Int?)
    case failed(ServerError)
  }

  /// Writes every queued request, then syncs and answers them (on the serial queue).
  private func writeQueued() {
    let (jobs, known) = shared.withLock { state in
      let jobs = state.queued
      state.queued = []
      return (jobs, jobs.map { state.recent[$0.id] })
    }
    guard !jobs.isEmpty else { return }
    var results: [JobResult] = []
    var writtenIn: [String: Int] = [:]
    writer.withLock { writer in
      var failure: ServerError?
      /// Jobs written to the open file since its last sync.
      var unsynced: [Int] = []
      func sync() {
        guard !unsynced.isEmpty else { return }
        let synced = fsync(writer.descriptor) == 0
        let problem = ServerError("cannot sync the spool file \(writer.path): \(DurableFile.errorText())")
        for index in unsynced {
          if case .written(let path) = results[index] {
            results[index] = synced ? .durable(path: path) : .failed(problem)
          }
        }
        unsynced = []
        if !synced {
          failure = problem
          closeActive(&writer)
        }
      }
      for (index, job) in jobs.enumerated() {
        if let earlier = writtenIn[job.id] {
          results.append(.duplicate(ofJob: earlier))
          continue
        }
        let delivery = known[index]
        if let delivery, delivery.isComplete || delivery.delivered >= job.lines.count {
          results.append(.duplicate(ofJob: nil))
          continue
        }
        if let failure {
          results.append(.failed(failure))
          continue
        }
        do throws(ServerError) {
          if writer.descriptor < 0 { try openNewFile(&writer) }
          let first = delivery?.delivered ?? 0
          let (frame, markerLength) = SpoolFrame.bytes(id: job.id, lines: job.lines, first: first)
          let count = frame.withUnsafeBytes { DurableFile.writeAll(writer.descriptor, $0) }
          writer.size += count
          if count < frame.count {
            let problem = ServerError("cannot write the spool file \(writer.path): \(DurableFile.errorText())")
            // A torn frame: remember how many of its lines are there (a retry writes the rest),
            // and leave the file, so that the torn frame stays the last thing in it.
            if count > markerLength {
              let lines = frame[markerLength..<count].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
              let path = writer.path
              shared.withLock { state in
                state.recent.record(job.id, Delivery(delivered: first + lines, total: job.lines.count))
                state.idsByFile[path, default: []].append(job.id)
              }
            }
            results.append(.failed(problem))
            sync()
            closeActive(&writer)
            failure = problem
            continue
          }
          results.append(.written(path: writer.path))
          writtenIn[job.id] = index
          unsynced.append(index)
          if writer.size >= maxFileSize {
            sync()
            closeActive(&writer)
          }
        } catch {
          results.append(.failed(error))
          failure = error
        }
      }
      sync()
    }
    // Resolve duplicates of frames written in this round to those frames' fate.
    for index in results.indices {
      if case .duplicate(let earlier?) = results[index], case .failed(let error) = results[earlier] {
        results[index] = .failed(error)
      }
    }
    shared.withLock { state in
      for (index, job) in jobs.enumerated() {
        switch results[index] {
        case .durable(let path):
          state.recent.record(job.id, Delivery(delivered: job.lines.count, total: job.lines.count))
          state.idsByFile[path, default: []].append(job.id)
        case .written(let path):
          // Written but not known to be durable: not acknowledged, and a retry writes it again
          // (a duplicate is better than a loss).
          state.recent.forget(job.id)
          state.idsByFile[path, default: []].append(job.id)
        default: continue
        }
      }
    }
    for (job, result) in zip(jobs, results) {
      switch result {
      case .durable: job.continuation.resume(returning: .spooled)
      case .duplicate: job.continuation.resume(returning: .duplicate)
      case .failed(let error): job.continuation.resume(throwing: error)
      case .written: job.continuation.resume(throwing: ServerError("the spool file was not synced"))
      }
    }
  }

  /// Creates the next spool file with its header, durably (file and folder entry).
  private func openNewFile(_ writer: inout Writer) throws(ServerError) {
    var sequence = max(writer.nextSequence, Self.nowMilliseconds())
    while true {
      let path = folder + "/" + Self.fileName(sequence)
      // Active before it exists, so the deletion of ingested files never takes it for one.
      shared.withLock { $0.activePath = path }
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
      if fd < 0, errno == EEXIST {
        sequence += 1
        continue
      }
      guard fd >= 0 else {
        let problem = DurableFile.errorText()
        shared.withLock { $0.activePath = nil }
        throw ServerError("cannot create the spool file \(path): \(problem)")
      }
      let header = SpoolFrame.header(channel: name, sequence: sequence, nonce: Self.nonce())
      let count = header.withUnsafeBytes { DurableFile.writeAll(fd, $0) }
      guard count == header.count, fsync(fd) == 0 else {
        let problem = DurableFile.errorText()
        close(fd)
        unlink(path)
        shared.withLock { $0.activePath = nil }
        throw ServerError("cannot write the spool file \(path): \(problem)")
      }
      DurableFile.syncFolder(folder)
      writer.descriptor = fd
      writer.path = path
      writer.size = count
      writer.nextSequence = sequence + 1
      return
    }
  }

  private func closeActive(_ writer: inout Writer) {
    guard writer.descriptor >= 0 else { return }
    close(writer.descriptor)
    writer.descriptor = -1
    shared.withLock { $0.activePath = nil }
  }

  /// Closes the active file (at shutdown, once no request comes any more).
  func closeActiveFile() {
    queue.sync { writer.withLock { closeActive(&$0) } }
  }

  // MARK: Deleting ingested files

  /// Deletes a spool file that is not being written and has been ingested to its end, after
  /// recording its request ids in the journal. Returns false when the file is the active one.
  func delete(_ path: String) throws(ServerError) -> Bool {
    let entries: [(String, Delivery)]? = shared.withLock { state in
      guard state.activePath != path else { return nil }
      return (state.idsByFile[path] ?? []).compactMap { id in state.recent[id].map { (id, $0) } }
    }
    guard let entries else { return false }
    if !entries.isEmpty {
      var text = ""
      for (id, delivery) in entries { text += "\(id) \(delivery.delivered) \(delivery.total)\n" }
      try appendToJournal(Array(text.utf8))
      let lines = shared.withLock { state in
        state.journalLines += entries.count
        return state.journalLines
      }
      if lines > 2 * shared.withLock({ $0.recent.limit }) { try compactJournal() }
    }
    guard unlink(path) == 0 || errno == ENOENT else {
      throw ServerError("cannot delete the ingested spool file \(path): \(DurableFile.errorText())")
    }
    DurableFile.syncFolder(folder)
    shared.withLock { _ = $0.idsByFile.removeValue(forKey: path) }
    return true
  }

  private func appendToJournal(_ bytes: [UInt8]) throws(ServerError) {
    let fd = open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ServerError("cannot open \(journalPath): \(DurableFile.errorText())") }
    defer { close(fd) }
    let count = bytes.withUnsafeBytes { DurableFile.writeAll(fd, $0) }
    guard count == bytes.count, fsync(fd) == 0 else {
      throw ServerError("cannot write \(journalPath): \(DurableFile.errorText())")
    }
  }

  /// Rewrites the journal with the remembered ids only.
  private func compactJournal() throws(ServerError) {
    let entries = shared.withLock { $0.recent.entries }
    var text = ""
    for (id, delivery) in entries { text += "\(id) \(delivery.delivered) \(delivery.total)\n" }
    try DurableFile.writeAtomically(journalPath, Array(text.utf8))
    shared.withLock { $0.journalLines = entries.count }
  }

  // MARK: Names

  /// `<20-digit sequence>.log`.
  static func fileName(_ sequence: UInt64) -> String {
    let digits = String(sequence)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
  }

  static func nowMilliseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec / 1_000_000)
  }

  static func nonce() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
  }
}
