import Columnar
import Dispatch
import Parquet
import Synchronization

/// Builds a snapshot from a log segment (PROTOCOL.md "Action Reconciliation").
///
/// Replay runs newest first: commits from the snapshot version down, then the checkpoint. The first reference seen for a logical file
/// (path + deletion vector id) is the newest and wins; the first `protocol` and `metaData` seen
/// win. Checkpoint files never enter the set of seen keys (a checkpoint is already reconciled), so
/// the set only grows with the commits after the checkpoint. Commit files are parsed in parallel,
/// a chunk at a time, and reconciled in order.
struct LogReplay {
  let segment: LogSegment
  let storage: any TableStorage

  private var deltaProtocol: DeltaProtocol?
  private var metadata: Metadata?
  private var seen: Set<FileKey> = []
  /// Adds from commits, newest first (reversed at the end).
  private var commitAdds: [AddFile] = []
  private var checkpointAdds: [AddFile] = []
  private var tombstones: [RemoveFile] = []
  private var transactions: [String: Transaction] = [:]
  private var domains: [String: DomainMetadata] = [:]
  private var removedDomains: Set<String> = []
  private var commitInfo: CommitInfo?

  init(segment: LogSegment, storage: any TableStorage) {
    self.segment = segment
    self.storage = storage
  }

  /// A unit of replay: one commit.
  private struct ReplayUnit: Sendable {
    var file: LogFile
    var isSnapshotCommit: Bool
  }

  static func snapshot(segment: LogSegment, storage: any TableStorage) throws(DeltaError) -> Snapshot {
    var replay = LogReplay(segment: segment, storage: storage)
    return try replay.run()
  }

  private mutating func run() throws(DeltaError) -> Snapshot {
    let units = replayUnits()
    // Roughly one file action per few hundred bytes of commit text: size the set once.
    let commitBytes = units.reduce(0) { $0 + Int($1.file.size) }
    seen.reserveCapacity(commitBytes / 300 + 16)
    // Newest first, in chunks parsed in parallel.
    let chunkSize = 256
    var end = units.count
    while end > 0 {
      let start = max(0, end - chunkSize)
      let parsed = try Self.parseInParallel(Array(units[start..<end]), storage: storage)
      for index in stride(from: parsed.count - 1, through: 0, by: -1) {
        apply(commit: parsed[index], isSnapshotCommit: units[start + index].isSnapshotCommit)
      }
      end = start
    }
    if let checkpoint = segment.checkpoint { try applyCheckpoint(checkpoint) }
    if commitInfo == nil, let commit = segment.snapshotCommit, !units.contains(where: { $0.isSnapshotCommit }) {
      commitInfo = try Self.readCommitInfo(commit, storage: storage)
    }
    return try finish()
  }

  /// The commits of the segment, oldest first.
  ///
  /// Log compaction files (`<x>.<y>.compacted.json`) are optional for readers and are not used:
  /// the commits they summarise are always in the log too, and real compactions are not always
  /// reconciled as the protocol asks (the corpus has one that lists a file's `add` and `remove`,
  /// newest first), so the commits are the safer source.
  private func replayUnits() -> [ReplayUnit] {
    segment.commits.map { ReplayUnit(file: $0, isSnapshotCommit: $0.version == segment.version) }
  }

  private static func parseInParallel(_ units: [ReplayUnit], storage: any TableStorage) throws(DeltaError) -> [[Action]]
  {
    let results = ResultSlots<[Action]>(count: units.count)
    let parse: @Sendable (Int) -> Void = { index in
      let unit = units[index]
      do {
        let bytes = try storage.readFile(unit.file.path)
        let actions = try JSONLines.actions(in: bytes, name: unit.file.name, wantCommitInfo: unit.isSnapshotCommit)
        results.set(index, .success(actions))
      } catch let error as DeltaError {
        results.set(index, .failure(error))
      } catch {
        results.set(index, .failure(DeltaError(.io, "\(error)", path: unit.file.path)))
      }
    }
    if units.count >= 8 {
      DispatchQueue.concurrentPerform(iterations: units.count, execute: parse)
    } else {
      for index in units.indices { parse(index) }
    }
    return try results.values()
  }

  private mutating func apply(commit actions: [Action], isSnapshotCommit: Bool) {
    for action in actions.reversed() {
      switch action {
      case .add(let add):
        if seen.insert(add.key).inserted { commitAdds.append(add) }
      case .remove(let remove):
        if seen.insert(remove.key).inserted { tombstones.append(remove) }
      case .protocol(let value):
        if deltaProtocol == nil { deltaProtocol = value }
      case .metadata(let value):
        if metadata == nil { metadata = value }
      case .transaction(let txn):
        if transactions[txn.appId] == nil { transactions[txn.appId] = txn }
      case .domainMetadata(let domain):
        applyDomain(domain)
      case .commitInfo(let info):
        if isSnapshotCommit { commitInfo = info }
      case .cdc, .checkpointMetadata, .sidecar:
        // CDC files are for change feeds; V2 checkpoint actions do not take part in commit replay.
        break
      }
    }
  }

  private mutating func applyDomain(_ domain: DomainMetadata) {
    guard domains[domain.domain] == nil, !removedDomains.contains(domain.domain) else { return }
    if domain.removed {
      removedDomains.insert(domain.domain)
    } else {
      domains[domain.domain] = domain
    }
  }

  /// Checkpoint adds the commits after the checkpoint did not supersede (already filtered).
  private mutating func appendCheckpointAdds(_ adds: [AddFile]) {
    if checkpointAdds.isEmpty { checkpointAdds = adds } else { checkpointAdds.append(contentsOf: adds) }
  }

  private mutating func applyCheckpointAction(_ action: Action, sidecars: inout [SidecarFile]) {
    switch action {
    case .add(let add):
      if seen.isEmpty || !seen.contains(add.key) { checkpointAdds.append(add) }
    case .remove(let remove):
      if seen.isEmpty || !seen.contains(remove.key) { tombstones.append(remove) }
    case .protocol(let value):
      if deltaProtocol == nil { deltaProtocol = value }
    case .metadata(let value):
      if metadata == nil { metadata = value }
    case .transaction(let txn):
      if transactions[txn.appId] == nil { transactions[txn.appId] = txn }
    case .domainMetadata(let domain):
      applyDomain(domain)
    case .sidecar(let sidecar):
      sidecars.append(sidecar)
    case .commitInfo, .cdc, .checkpointMetadata:
      break
    }
  }

  private mutating func applyCheckpoint(_ checkpoint: CheckpointFiles) throws(DeltaError) {
    var sidecars: [SidecarFile] = []
    for file in checkpoint.files {
      if case .checkpoint(.uuid(json: true)) = file.kind {
        let bytes = try storage.readFile(file.path)
        for action in try JSONLines.actions(in: bytes, name: file.name) {
          applyCheckpointAction(action, sidecars: &sidecars)
        }
      } else {
        let reader = try Self.openParquet(file.path, storage: storage, what: "checkpoint")
        try CheckpointActionDecoder.readActions(
          reader, name: file.name, selection: .all, excluding: seen,
          visitAdds: { (adds) throws(DeltaError) in appendCheckpointAdds(adds) }
        ) { (action) throws(DeltaError) in
          applyCheckpointAction(action, sidecars: &sidecars)
        }
      }
    }
    for sidecar in sidecars {
      let path = Self.sidecarPath(sidecar.path, logPath: segment.logPath)
      let reader = try Self.openParquet(path, storage: storage, what: "checkpoint sidecar")
      var nested: [SidecarFile] = []
      try CheckpointActionDecoder.readActions(
        reader, name: sidecar.path, selection: [.fileActions, .removes], excluding: seen,
        visitAdds: { (adds) throws(DeltaError) in appendCheckpointAdds(adds) }
      ) { (action) throws(DeltaError) in
        applyCheckpointAction(action, sidecars: &nested)
      }
    }
  }

  /// Sidecars live in `_delta_log/_sidecars/`; the action normally names just the file.
  static func sidecarPath(_ path: String, logPath: String) -> String {
    if path.contains("/") || path.contains(":") {
      if path.hasPrefix("/") || path.hasPrefix("file:") { return PathEncoding.resolve(path, root: logPath) }
      return PathEncoding.resolve(path, root: logPath + "/_sidecars")
    }
    return logPath + "/_sidecars/" + PathEncoding.decodedIfNeeded(path)
  }

  static func openParquet(_ path: String, storage: any TableStorage, what: String) throws(DeltaError)
    -> ParquetFileReader
  {
    let file = try storage.openFile(path)
    do {
      return try ParquetFileReader(file: file)
    } catch {
      throw DeltaError(.corruptLog, "cannot read \(what): \(error.message)", path: path, cause: error)
    }
  }

  /// The first `commitInfo` of a commit file.
  static func readCommitInfo(_ commit: LogFile, storage: any TableStorage) throws(DeltaError) -> CommitInfo? {
    try JSONLines.firstCommitInfo(in: try storage.readFile(commit.path), name: commit.name)
  }

  private mutating func finish() throws(DeltaError) -> Snapshot {
    let root = segment.tableRoot
    guard let deltaProtocol else {
      throw DeltaError(
        .missingProtocol, "no protocol action found in the log up to version \(segment.version)", path: root)
    }
    guard let metadata else {
      throw DeltaError(
        .missingMetadata, "no metaData action found in the log up to version \(segment.version)", path: root)
    }
    try TableFeatures.checkReadable(deltaProtocol, path: root)
    let schema: Schema
    do {
      schema = try DeltaSchema.parse(metadata.schemaString)
    } catch {
      throw DeltaError(error.code, "version \(segment.version): \(error.message)", path: root, cause: error.cause)
    }
    let mode = try ColumnMapping.mode(configuration: metadata.configuration, protocol: deltaProtocol)
    for column in metadata.partitionColumns where !schema.fields.contains(where: { $0.name == column }) {
      throw DeltaError(.corruptLog, "partition column '\(column)' is not in the table schema", path: root)
    }
    // Moved, not copied: a copy would retain every field of every checkpoint file once more.
    var files: [AddFile] = []
    swap(&files, &checkpointAdds)
    files.reserveCapacity(files.count + commitAdds.count)
    files.append(contentsOf: commitAdds.reversed())
    let timestamp = Self.commitTimestamp(
      version: segment.version, commitInfo: commitInfo, configuration: metadata.configuration,
      fileTime: segment.snapshotCommit?.modificationTime ?? segment.checkpoint?.files.first?.modificationTime ?? 0)
    return Snapshot(
      tableRoot: root, version: segment.version, timestamp: timestamp, deltaProtocol: deltaProtocol, metadata: metadata,
      schema: schema, columnMappingMode: mode, files: files, tombstones: tombstones, transactions: transactions,
      domainMetadata: domains, commitInfo: commitInfo, checkpointVersion: segment.checkpoint?.version, storage: storage)
  }

  /// A commit's timestamp (PROTOCOL.md "In-Commit Timestamps"): `commitInfo.inCommitTimestamp`
  /// when in-commit timestamps are enabled at that version, otherwise the file modification time.
  static func commitTimestamp(version: Int64, commitInfo: CommitInfo?, configuration: [String: String], fileTime: Int64)
    -> Int64
  {
    guard configuration["delta.enableInCommitTimestamps"]?.lowercased() == "true",
      let ict = commitInfo?.inCommitTimestamp
    else { return fileTime }
    if let enabledAt = configuration["delta.inCommitTimestampEnablementVersion"].flatMap({ Int64($0) }),
      version < enabledAt
    {
      return fileTime
    }
    return ict
  }
}

/// One result slot per index, written from concurrent workers (each slot by exactly one).
final class ResultSlots<Value: Sendable>: Sendable {
  private let slots: Mutex<[Result<Value, DeltaError>?]>

  init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

  func set(_ index: Int, _ result: Result<Value, DeltaError>) {
    slots.withLock { $0[index] = result }
  }

  /// The result of slot `index`, when it has one.
  func result(_ index: Int) -> Result<Value, DeltaError>? {
    slots.withLock { $0[index] }
  }

  /// The values in index order; throws the first failure.
  func values() throws(DeltaError) -> [Value] {
    let all = slots.withLock { $0 }
    var values: [Value] = []
    values.reserveCapacity(all.count)
    for slot in all {
      switch slot {
      case .success(let value)?: values.append(value)
      case .failure(let error)?: throw error
      case nil: throw DeltaError(.io, "a parallel read did not finish")
      }
    }
    return values
  }
}
