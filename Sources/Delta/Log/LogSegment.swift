/// The `_last_checkpoint` hint: the version of a recent checkpoint (PROTOCOL.md "Last Checkpoint File").
struct LastCheckpointHint: Sendable {
  var version: Int64
  var parts: Int?

  /// Reads the hint; nil when it is missing, empty or unparseable (then the log is listed in full).
  static func read(logPath: String, storage: any TableStorage) -> LastCheckpointHint? {
    guard let bytes = try? storage.readFile(logPath + "/_last_checkpoint"), !bytes.isEmpty,
      let json = try? JSONParser.parse(bytes), let object = json.objectValue,
      let version = object.present("version")?.int64Value, version >= 0
    else { return nil }
    return LastCheckpointHint(version: version, parts: object.present("parts")?.int64Value.map { Int($0) })
  }
}

/// A complete checkpoint: one file, or every part of a multi-part one.
struct CheckpointFiles: Sendable {
  var version: Int64
  var files: [LogFile]
  var naming: LogFile.CheckpointNaming
}

/// The listing of `_delta_log/` from some version on, sorted out by kind.
struct LogListing: Sendable {
  var logPath: String
  /// Commit files by ascending version.
  var commits: [LogFile]
  /// Complete checkpoints by ascending version.
  var checkpoints: [CheckpointFiles]
  var compactions: [LogFile]
  /// True when the listing started at a `_last_checkpoint` hint rather than at the beginning.
  var startedAtHint: Bool

  /// The newest version the listing shows (a commit or a checkpoint).
  var latestVersion: Int64? {
    let commit = commits.last?.version
    let checkpoint = checkpoints.last?.version
    switch (commit, checkpoint) {
    case (let a?, let b?): return max(a, b)
    case (let a?, nil): return a
    case (nil, let b?): return b
    case (nil, nil): return nil
    }
  }

  /// Lists `logPath`, starting at `fromVersion` when given.
  static func read(logPath: String, storage: any TableStorage, fromVersion: Int64?) throws(DeltaError) -> LogListing {
    let entries = try storage.listDirectory(logPath, startingAt: fromVersion.map { LogFile.paddedVersion($0) })
    var commits: [LogFile] = []
    var compactions: [LogFile] = []
    var candidates: [Int64: [LogFile]] = [:]
    for entry in entries where !entry.isDirectory {
      guard let (version, kind) = LogFile.classify(entry.name) else { continue }
      let file = LogFile(
        version: version, kind: kind, name: entry.name, path: logPath + "/" + entry.name, size: entry.size,
        modificationTime: entry.modificationTime)
      switch kind {
      case .commit: commits.append(file)
      case .checkpoint: candidates[version, default: []].append(file)
      case .compaction: compactions.append(file)
      case .checksum: break
      }
    }
    commits.sort { $0.version < $1.version }
    var checkpoints: [CheckpointFiles] = []
    for version in candidates.keys.sorted() {
      if let complete = completeCheckpoint(candidates[version] ?? [], version: version) { checkpoints.append(complete) }
    }
    return LogListing(
      logPath: logPath, commits: commits, checkpoints: checkpoints, compactions: compactions,
      startedAtHint: fromVersion != nil)
  }

  /// One complete checkpoint among the files of a version: a single-file one if there is one,
  /// otherwise a multi-part set with every part present. Incomplete sets are ignored.
  private static func completeCheckpoint(_ files: [LogFile], version: Int64) -> CheckpointFiles? {
    var uuidParquet: LogFile?
    var uuidJSON: LogFile?
    var sets: [Int: [Int: LogFile]] = [:]
    for file in files {
      guard case .checkpoint(let naming) = file.kind else { continue }
      switch naming {
      case .classic: return CheckpointFiles(version: version, files: [file], naming: .classic)
      case .uuid(let json): if json { uuidJSON = file } else { uuidParquet = file }
      case .multiPart(let part, let parts): sets[parts, default: [:]][part] = file
      }
    }
    if let file = uuidParquet { return CheckpointFiles(version: version, files: [file], naming: .uuid(json: false)) }
    if let file = uuidJSON { return CheckpointFiles(version: version, files: [file], naming: .uuid(json: true)) }
    for parts in sets.keys.sorted(by: >) {
      guard let set = sets[parts], set.count == parts else { continue }
      let ordered = (1...parts).compactMap { set[$0] }
      guard ordered.count == parts else { continue }
      return CheckpointFiles(version: version, files: ordered, naming: .multiPart(part: 1, parts: parts))
    }
    return nil
  }
}

/// The log files that make up one snapshot: the newest usable checkpoint at or before the version,
/// and the commits after it (PROTOCOL.md "Checkpoints": the checkpoint must not be newer than the
/// version read).
struct LogSegment: Sendable {
  var tableRoot: String
  var logPath: String
  var version: Int64
  var checkpoint: CheckpointFiles?
  /// Commits after the checkpoint up to `version`, ascending and contiguous.
  var commits: [LogFile]
  /// Compactions `[x, y]` with the checkpoint < x and y ≤ version, which may stand in for those commits.
  var compactions: [LogFile]
  /// The commit file of `version` itself (its `commitInfo` and timestamp), when it still exists.
  var snapshotCommit: LogFile?

  /// Finds the segment for `version` (the latest when nil): through `_last_checkpoint` when it is
  /// usable, otherwise by listing the whole log.
  static func build(tableRoot: String, storage: any TableStorage, version requested: Int64?) throws(DeltaError)
    -> LogSegment
  {
    if let requested, requested < 0 {
      throw DeltaError(.invalidArgument, "version \(requested) is negative", path: tableRoot)
    }
    let logPath = (tableRoot.hasSuffix("/") ? String(tableRoot.dropLast()) : tableRoot) + "/_delta_log"
    var listing: LogListing
    if let hint = LastCheckpointHint.read(logPath: logPath, storage: storage),
      requested.map({ $0 >= hint.version }) ?? true
    {
      listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: hint.version)
      // A stale or wrong hint (no complete checkpoint at or after it that the version can use):
      // list everything.
      let limit = requested ?? Int64.max
      if !listing.checkpoints.contains(where: { $0.version >= hint.version && $0.version <= limit }) {
        listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: nil)
      }
    } else {
      listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: nil)
    }
    guard let latest = listing.latestVersion else {
      throw DeltaError(.notATable, "_delta_log holds no commits or checkpoints", path: tableRoot)
    }
    let version = requested ?? latest
    guard version <= latest else {
      throw DeltaError(
        .versionNotFound, "version \(version) does not exist: the latest version is \(latest)", path: tableRoot)
    }
    let checkpoint = listing.checkpoints.last { $0.version <= version }
    let first = checkpoint.map { $0.version + 1 } ?? 0
    var commits: [LogFile] = []
    commits.reserveCapacity(Int(max(0, version - first + 1)))
    var expected = first
    for commit in listing.commits where commit.version >= first && commit.version <= version {
      if commit.version != expected {
        throw missingVersion(expected, found: commit.version, checkpoint: checkpoint, listing: listing, root: tableRoot)
      }
      commits.append(commit)
      expected += 1
    }
    if expected <= version {
      throw missingVersion(expected, found: nil, checkpoint: checkpoint, listing: listing, root: tableRoot)
    }
    let compactions = listing.compactions.filter {
      guard case .compaction(let end) = $0.kind else { return false }
      return $0.version >= first && end <= version
    }
    let snapshotCommit = listing.commits.last { $0.version == version }
    return LogSegment(
      tableRoot: tableRoot, logPath: logPath, version: version, checkpoint: checkpoint, commits: commits,
      compactions: compactions, snapshotCommit: snapshotCommit)
  }

  private static func missingVersion(
    _ missing: Int64, found: Int64?, checkpoint: CheckpointFiles?, listing: LogListing, root: String
  ) -> DeltaError {
    if checkpoint == nil, missing == 0, !listing.startedAtHint {
      let earliest = listing.commits.first?.version ?? 0
      return DeltaError(
        .versionNotFound,
        "cannot reconstruct the table: _delta_log starts at version \(earliest) and has no checkpoint at or before the requested version",
        path: root)
    }
    return DeltaError(
      .nonContiguousLog, "version \(missing) is missing from _delta_log: versions are not contiguous", path: root)
  }
}
