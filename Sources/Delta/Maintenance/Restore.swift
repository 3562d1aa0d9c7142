/// The version a RESTORE returns the table to.
public enum RestoreTarget: Sendable, Hashable {
  case version(Int64)
  /// Milliseconds since the epoch: the latest version committed at or before it.
  case timestamp(Int64)
}

/// What a RESTORE did.
public struct RestoreResult: Sendable {
  /// The version committed; nil when the table already equals the target.
  public var version: Int64?
  public var restoredVersion: Int64
  public var filesRestored = 0
  public var filesRemoved = 0
  public var bytesRestored: Int64 = 0
  public var bytesRemoved: Int64 = 0
}

extension Maintenance {
  /// Commits a new version whose files (and schema and properties) are those of the target
  /// version: files added since are removed, files removed since are added back. Refused, with
  /// nothing committed, when a file it would bring back no longer exists (VACUUM deleted it).
  @discardableResult
  public static func restore(
    path: String, to target: RestoreTarget, storage: any TableStorage = DefaultTableStorage(), maxCommitAttempts: Int = 200
  ) throws(DeltaError) -> RestoreResult {
    let table = try DeltaTable.open(path: path, storage: storage)
    let current = try table.snapshot()
    try WriterFeatures.checkProtocolWritable(current)
    let old: Snapshot
    switch target {
    case .version(let version):
      guard version >= 0, version <= current.version else {
        throw DeltaError(
          .invalidArgument, "cannot restore to version \(version): the table has versions up to \(current.version)",
          path: table.path)
      }
      old = try table.snapshot(version: version)
    case .timestamp(let milliseconds):
      old = try table.snapshot(timestamp: milliseconds)
    }
    try WriterFeatures.checkProtocolWritable(old)
    var result = RestoreResult(restoredVersion: old.version)

    let currentKeys = Set(current.files.map(\.key))
    let oldKeys = Set(old.files.map(\.key))
    let toAdd = old.files.filter { !currentKeys.contains($0.key) }
    let toRemove = current.files.filter { !oldKeys.contains($0.key) }

    // Every file brought back must still be there, its deletion vector too.
    var missing: [String] = []
    for file in toAdd {
      var paths = [old.resolvePath(file.path)]
      if let dv = file.deletionVector, let dvPath = try? dv.filePath(tableRoot: table.path) { paths.append(dvPath) }
      for path in paths {
        do {
          _ = try storage.statFile(path)
        } catch {
          missing.append(path)
        }
      }
    }
    if !missing.isEmpty {
      throw DeltaError(
        .missingFile,
        "cannot restore to version \(old.version): \(missing.count) of the files it needs no longer exist (deleted by VACUUM?), e.g. '\(missing[0])'",
        path: table.path)
    }
    let metadataChanged = old.metadata != current.metadata
    guard !toAdd.isEmpty || !toRemove.isEmpty || metadataChanged else { return result }

    var txn = DeltaTransaction(tablePath: table.path, storage: storage, snapshot: current, operation: "RESTORE")
    txn.maxAttempts = maxCommitAttempts
    txn.readPredicate = .wholeTable
    if metadataChanged { txn.add(.metadata(old.metadata)) }
    let now = DeltaTransaction.nowMilliseconds()
    for file in toRemove {
      txn.add(.remove(file.removal(at: now, dataChange: true)))
      result.filesRemoved += 1
      result.bytesRemoved += file.size
    }
    for var file in toAdd {
      file.dataChange = true
      txn.add(.add(file))
      result.filesRestored += 1
      result.bytesRestored += file.size
    }
    switch target {
    case .version(let version): txn.operationParameters = ["version": String(version)]
    case .timestamp(let milliseconds): txn.operationParameters = ["timestamp": Timestamps.text(milliseconds: milliseconds)]
    }
    txn.operationMetrics = [
      "numRestoredFiles": String(result.filesRestored), "numRemovedFiles": String(result.filesRemoved),
      "restoredFilesSize": String(result.bytesRestored), "removedFilesSize": String(result.bytesRemoved),
      "numOfFilesAfterRestore": String(old.files.count),
      "tableSizeAfterRestore": String(old.files.reduce(Int64(0)) { $0 + $1.size }),
      "numFiles": String(result.filesRestored), "numOutputBytes": String(result.bytesRestored),
    ]
    let version = try txn.commit()
    result.version = version
    try? Checkpointer.checkpointIfDue(
      tablePath: table.path, storage: storage, version: version, configuration: old.metadata.configuration)
    return result
  }
}
