import Columnar
import Expr

/// A Delta table on storage: the entry point for snapshots, time travel and history.
///
/// ```swift
/// let table = try DeltaTable.open(path: "/data/flows")
/// let latest = try table.snapshot()
/// let old = try table.snapshot(version: 3)
/// for batch in try latest.scan(ScanOptions(columns: ["src", "dst"])).readBatches() { … }
/// ```
///
/// The handle holds no state besides its location, so it is cheap to copy and share; every
/// `snapshot` call reads the log afresh.
public struct DeltaTable: Sendable {
  /// The table root directory (without a trailing slash).
  public let path: String
  public let storage: any TableStorage

  /// The directory holding the log.
  public var logPath: String { path + "/_delta_log" }

  private init(path: String, storage: any TableStorage) {
    self.path = path
    self.storage = storage
  }

  /// Opens the table at `path`, checking that it has a `_delta_log` directory.
  public static func open(path: String, storage: any TableStorage = DefaultTableStorage()) throws(DeltaError)
    -> DeltaTable
  {
    var root = path
    while root.count > 1, root.hasSuffix("/") { root.removeLast() }
    let log: StoredObject
    do {
      log = try storage.statFile(root + "/_delta_log")
    } catch {
      if error.code == .missingFile {
        throw DeltaError(.notATable, "not a Delta table: there is no _delta_log directory", path: root)
      }
      throw error
    }
    guard log.isDirectory else {
      throw DeltaError(.notATable, "not a Delta table: _delta_log is not a directory", path: root)
    }
    return DeltaTable(path: root, storage: storage)
  }

  /// True when `path` is a directory holding a `_delta_log` directory.
  public static func isDeltaTable(path: String, storage: any TableStorage = DefaultTableStorage()) -> Bool {
    (try? storage.statFile(path + "/_delta_log"))?.isDirectory ?? false
  }

  /// The latest snapshot of the table at `path`, or nil when there is no table yet: no
  /// `_delta_log`, or one without any commit (its creator stopped before the first commit
  /// landed, which leaves nothing committed to read).
  public static func existingSnapshot(path: String, storage: any TableStorage = DefaultTableStorage()) throws(DeltaError)
    -> Snapshot?
  {
    guard isDeltaTable(path: path, storage: storage) else { return nil }
    do {
      return try open(path: path, storage: storage).snapshot()
    } catch where error.code == .notATable {
      return nil
    }
  }

  /// The latest snapshot.
  public func snapshot() throws(DeltaError) -> Snapshot {
    try LogReplay.snapshot(
      segment: try LogSegment.build(tableRoot: path, storage: storage, version: nil), storage: storage)
  }

  /// The snapshot at `version`. Throws when the version does not exist or cannot be rebuilt
  /// (a commit is missing and no checkpoint covers it).
  public func snapshot(version: Int64) throws(DeltaError) -> Snapshot {
    try LogReplay.snapshot(
      segment: try LogSegment.build(tableRoot: path, storage: storage, version: version), storage: storage)
  }

  /// The snapshot that was current at `timestamp` (milliseconds since the epoch): the latest
  /// version committed at or before it. See ``version(at:)``.
  public func snapshot(timestamp: Int64) throws(DeltaError) -> Snapshot {
    try snapshot(version: try version(at: timestamp))
  }

  /// The newest version.
  public func latestVersion() throws(DeltaError) -> Int64 {
    let listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: nil)
    guard let latest = listing.latestVersion else {
      throw DeltaError(.notATable, "_delta_log holds no commits or checkpoints", path: path)
    }
    return latest
  }

  /// The latest version committed at or before `timestamp` (milliseconds since the epoch).
  ///
  /// A commit's timestamp is its in-commit timestamp (`commitInfo.inCommitTimestamp`) when it has
  /// one, and otherwise its file's modification time; file times are made strictly increasing
  /// (a time not after its predecessor's counts as one millisecond later), as Spark does. A time
  /// after the latest commit gives the latest version; one before the earliest commit still in
  /// the log is an error.
  public func version(at timestamp: Int64) throws(DeltaError) -> Int64 {
    let commits = try commitTimestamps()
    guard let first = commits.first else {
      throw DeltaError(.versionNotFound, "the log has no commits to travel to", path: path)
    }
    guard timestamp >= first.timestamp else {
      throw DeltaError(
        .versionNotFound,
        "timestamp \(Timestamps.text(milliseconds: timestamp)) is before the earliest available version \(first.version) (committed at \(Timestamps.text(milliseconds: first.timestamp)))",
        path: path)
    }
    // The timestamps increase, so a binary search finds the last one at or before `timestamp`.
    var low = 0
    var high = commits.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if commits[middle].timestamp <= timestamp { low = middle } else { high = middle - 1 }
    }
    return commits[low].version
  }

  /// Every commit still in the log with its timestamp, ascending (see ``version(at:)``).
  public func commitTimestamps() throws(DeltaError) -> [(version: Int64, timestamp: Int64)] {
    let listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: nil)
    var result: [(version: Int64, timestamp: Int64)] = []
    result.reserveCapacity(listing.commits.count)
    // In-commit timestamps, once on, are in every commit's first line; read them only when the
    // newest commit has one.
    var usesICT = false
    if let newest = listing.commits.last {
      usesICT = try LogReplay.readCommitInfo(newest, storage: storage)?.inCommitTimestamp != nil
    }
    var previous = Int64.min
    for commit in listing.commits {
      var time = commit.modificationTime
      if usesICT, let ict = try LogReplay.readCommitInfo(commit, storage: storage)?.inCommitTimestamp {
        time = ict
      } else if time <= previous {
        time = previous + 1
      }
      result.append((commit.version, time))
      previous = time
    }
    return result
  }

  /// The commits of the log, newest first, with their `commitInfo` (at most `limit` of them).
  public func history(limit: Int? = nil) throws(DeltaError) -> [CommitEntry] {
    let listing = try LogListing.read(logPath: logPath, storage: storage, fromVersion: nil)
    var entries: [CommitEntry] = []
    for commit in listing.commits.reversed() {
      if let limit, entries.count >= limit { break }
      let info = try LogReplay.readCommitInfo(commit, storage: storage)
      entries.append(
        CommitEntry(
          version: commit.version, timestamp: info?.inCommitTimestamp ?? commit.modificationTime,
          fileModificationTime: commit.modificationTime, commitInfo: info))
    }
    return entries
  }
}

/// One commit of a table's history.
public struct CommitEntry: Sendable {
  public var version: Int64
  /// The in-commit timestamp when the commit has one, else the file modification time (milliseconds).
  public var timestamp: Int64
  public var fileModificationTime: Int64
  public var commitInfo: CommitInfo?
}

/// Text forms of millisecond timestamps.
public enum Timestamps {
  /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
  public static func text(milliseconds: Int64) -> String {
    var out: [UInt8] = []
    CalendarFormatting.appendTimestamp(milliseconds, unit: .millisecond, utc: true, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Reads a time-travel timestamp: epoch milliseconds (all digits), a date (`2024-05-01`, midnight
  /// UTC) or an ISO 8601 timestamp (`2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.5+02:00`; UTC when
  /// it has no zone).
  public static func parse(_ text: String) -> Int64? {
    let trimmed = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int64(trimmed) }
    guard case .timestamp(let micros, _)? = try? ScalarValue.parse(trimmed, as: .timestamp(.microsecond, utc: true))
    else { return nil }
    return CalendarFormatting.floorDiv(micros, 1000)
  }
}
