import Delta
import Foundation
import Testing

/// Snapshots at versions and timestamps, checkpoint selection and the `_last_checkpoint` hint.
@Suite struct TimeTravelTests {
  static func setModificationTime(_ path: String, milliseconds: Int64) throws {
    let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
  }

  static func rowCount(_ snapshot: Snapshot) throws -> Int {
    try snapshot.scan().readBatches().reduce(0) { $0 + $1.rowCount }
  }

  @Test func timestampsUseFileTimesMadeIncreasing() throws {
    let path = try TemporaryTable.copy(of: "golden-time-travel-start-start20-start40")
    defer { TemporaryTable.remove(path) }
    let log = path + "/_delta_log/"
    try Self.setModificationTime(log + "00000000000000000000.json", milliseconds: 1_000_000)
    try Self.setModificationTime(log + "00000000000000000001.json", milliseconds: 2_000_000)
    // A clock that went backwards: version 2 counts as 1 ms after version 1.
    try Self.setModificationTime(log + "00000000000000000002.json", milliseconds: 1_500_000)
    let table = try DeltaTable.open(path: path)
    let times = try table.commitTimestamps()
    #expect(times.map(\.timestamp) == [1_000_000, 2_000_000, 2_000_001])
    #expect(try table.version(at: 1_000_000) == 0)
    #expect(try table.version(at: 1_999_999) == 0)
    #expect(try table.version(at: 2_000_000) == 1)
    #expect(try table.version(at: 2_000_001) == 2)
    #expect(try table.version(at: 9_000_000) == 2)
    #expect(try Self.rowCount(try table.snapshot(timestamp: 1_500_000)) == 10)
    #expect(try Self.rowCount(try table.snapshot(timestamp: 2_000_000)) == 20)
    let error = try #require(throws: DeltaError.self) { try table.snapshot(timestamp: 999_999) }
    #expect(error.code == .versionNotFound)
    #expect(error.message.contains("before the earliest available version 0"))
  }

  @Test func inCommitTimestampsWinOverFileTimes() throws {
    let table = try DeltaTable.open(path: ConformanceCorpus.tablePath("drs-cdc_ict_table"))
    let latest = try table.snapshot()
    #expect(latest.timestamp == 1_783_874_213_881)
    #expect(try table.version(at: 1_783_874_213_881) == 3)
    #expect(try table.version(at: 1_783_874_213_880) == 2)
    #expect(try table.version(at: 1_783_874_212_175) == 2)
    #expect(throws: DeltaError.self) { try table.version(at: 1_783_874_203_270) }
    #expect(try table.snapshot(version: 0).timestamp == 1_783_874_203_271)
  }

  @Test func versionsBeyondTheLogAreErrors() throws {
    let table = try DeltaTable.open(path: ConformanceCorpus.tablePath("dat-basic_append"))
    let error = try #require(throws: DeltaError.self) { try table.snapshot(version: 7) }
    #expect(error.message == "version 7 does not exist: the latest version is 1")
    #expect(throws: DeltaError.self) { try table.snapshot(version: -1) }
  }

  @Test func aTruncatedLogNeedsACheckpoint() throws {
    // dat-no_replay keeps commits 2 and 3 and a checkpoint at 2.
    let table = try DeltaTable.open(path: ConformanceCorpus.tablePath("dat-no_replay"))
    #expect(try table.snapshot().checkpointVersion == 2)
    let error = try #require(throws: DeltaError.self) { try table.snapshot(version: 1) }
    #expect(error.code == .versionNotFound)
    #expect(error.message.contains("starts at version 2"))
  }

  @Test func staleAndCorruptCheckpointHintsFallBackToListing() throws {
    let stale = try DeltaTable.open(path: ConformanceCorpus.tablePath("drs-table_failed_last_checkpoint_update"))
    #expect(try stale.snapshot().checkpointVersion == 3)
    let corrupt = try DeltaTable.open(path: ConformanceCorpus.tablePath("golden-corrupted-last-checkpoint-kernel"))
    #expect(try corrupt.snapshot().checkpointVersion == 10)
    let missing = try DeltaTable.open(path: ConformanceCorpus.tablePath("krs-v2-checkpoints-json-without-sidecars"))
    #expect(try missing.snapshot().checkpointVersion == 2)
    // Time travel before the checkpoint replays the commits.
    #expect(try corrupt.snapshot(version: 5).checkpointVersion == nil)
  }

  @Test func incompleteMultiPartCheckpointsAreIgnored() throws {
    let path = try TemporaryTable.copy(of: "golden-multi-part-checkpoint")
    defer { TemporaryTable.remove(path) }
    let complete = try DeltaTable.open(path: path).snapshot()
    #expect(complete.checkpointVersion == 1)
    let files = complete.files.count
    try FileManager.default.removeItem(
      atPath: path + "/_delta_log/00000000000000000001.checkpoint.0000000002.0000000002.parquet")
    let replayed = try DeltaTable.open(path: path).snapshot()
    #expect(replayed.checkpointVersion == nil)
    #expect(replayed.files.count == files)
  }

  @Test func historyListsCommitsNewestFirst() throws {
    let table = try DeltaTable.open(path: ConformanceCorpus.tablePath("dat-multi_partitioned"))
    let history = try table.history()
    #expect(history.map(\.version) == [2, 1, 0])
    #expect(history.first?.commitInfo?.operation == "WRITE")
    #expect(history.first?.commitInfo?.operationParameters["mode"] == "Overwrite")
    #expect(try table.history(limit: 1).count == 1)
  }

  @Test func transactionsAndDomainsAreReconciled() throws {
    let txn = try DeltaTable.open(path: ConformanceCorpus.tablePath("krs-app-txn-checkpoint")).snapshot()
    #expect(!txn.transactions.isEmpty)
    let clustered = try DeltaTable.open(path: ConformanceCorpus.tablePath("drs-table_with_liquid_clustering"))
      .snapshot()
    #expect(Set(clustered.domainMetadata.keys) == ["delta.liquid", "delta.rowTracking"])
  }
}
