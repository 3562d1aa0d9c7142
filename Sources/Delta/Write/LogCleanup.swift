/// Deletes expired log files after a checkpoint, per `delta.logRetentionDuration` (default 30
/// days; off with `delta.enableExpiredLogCleanup = false`), as Spark does.
///
/// The oldest version still within retention (the first commit whose file is newer than
/// `now - retention`; the latest version when all are older) must stay reachable for time travel,
/// so the newest checkpoint at or before it is kept, and only commits, checkpoints and `.crc`
/// files of earlier versions that are themselves older than the cutoff are deleted.
public enum LogCleanup {
  /// Returns the names of the files deleted.
  @discardableResult
  public static func cleanUpExpiredLogs(
    tablePath: String, storage: any TableStorage, configuration: [String: String],
    now: Int64? = nil
  ) throws(DeltaError) -> [String] {
    let now = now ?? DeltaTransaction.nowMilliseconds()
    guard configuration["delta.enableExpiredLogCleanup"]?.lowercased() != "false" else { return [] }
    let retention =
      configuration["delta.logRetentionDuration"].flatMap(Checkpointer.intervalMilliseconds) ?? 30 * 86_400_000
    let cutoff = now - retention
    let logPath = tablePath + "/_delta_log"
    let entries = try storage.listDirectory(logPath, startingAt: nil)
    var commits: [(version: Int64, time: Int64)] = []
    var checkpointVersions = Set<Int64>()
    var candidates: [(name: String, version: Int64, time: Int64)] = []
    for entry in entries where !entry.isDirectory {
      let name = entry.name
      guard name.utf8.count > 20, let version = Int64(name.prefix(20)), name.utf8.dropFirst(20).first == UInt8(ascii: ".")
      else { continue }
      let rest = name.dropFirst(20)
      if rest == ".json" {
        commits.append((version, entry.modificationTime))
      } else if rest == ".checkpoint.parquet" {
        checkpointVersions.insert(version)
      } else if !(rest.hasPrefix(".checkpoint.") || rest == ".crc") {
        continue
      }
      candidates.append((name, version, entry.modificationTime))
    }
    guard let latest = commits.map(\.version).max() else { return [] }
    let oldestRetained = commits.filter { $0.time >= cutoff }.map(\.version).min() ?? latest
    guard let keep = checkpointVersions.filter({ $0 <= oldestRetained }).max() else { return [] }
    var deleted: [String] = []
    for candidate in candidates.sorted(by: { $0.version < $1.version })
    where candidate.version < keep && candidate.time < cutoff {
      try storage.deleteFile(logPath + "/" + candidate.name)
      deleted.append(candidate.name)
    }
    return deleted
  }
}
