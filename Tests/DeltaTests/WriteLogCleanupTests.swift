import Columnar
import Delta
import Foundation
import Testing

/// Expired log files are deleted after checkpoints per `delta.logRetentionDuration`, never one
/// that time travel within retention still needs.
@Suite struct WriteLogCleanupTests {
  static func commitPath(_ table: String, _ version: Int) -> String {
    let digits = String(version)
    return table + "/_delta_log/" + String(repeating: "0", count: 20 - digits.count) + digits + ".json"
  }

  static func age(_ path: String, hours: Double) throws {
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(-hours * 3600)], ofItemAtPath: path)
  }

  @Test func expiredLogsBeforeTheRetainedCheckpointAreDeleted() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.createTable(
      path: path, schema: Schema([Field("id", .int64)]),
      configuration: ["delta.checkpointInterval": "5", "delta.logRetentionDuration": "interval 1 hours"])
    for id in 1...12 {
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([Int64(id)]))])])
    }
    let logs = WriteFixtures.logFiles(path)
    #expect(logs.contains("00000000000000000005.checkpoint.parquet"))
    #expect(logs.contains("00000000000000000010.checkpoint.parquet"))
    #expect(logs.contains("00000000000000000000.json"), "nothing is expired yet")
    // Versions 0…7 are two hours old: version 8 is the oldest within retention, which needs the
    // checkpoint at 5 and the commits after it.
    for version in 0...7 { try Self.age(Self.commitPath(path, version), hours: 2) }
    try Self.age(path + "/_delta_log/00000000000000000005.checkpoint.parquet", hours: 2)
    let deleted = try LogCleanup.cleanUpExpiredLogs(
      tablePath: path, storage: LocalTableStorage(), configuration: ["delta.logRetentionDuration": "interval 1 hours"])
    #expect(deleted == (0...4).map { String(repeating: "0", count: 19) + String($0) + ".json" })
    let after = WriteFixtures.logFiles(path)
    #expect(after.contains("00000000000000000005.checkpoint.parquet"))
    #expect(after.contains("00000000000000000005.json"))
    let table = try DeltaTable.open(path: path)
    #expect(try table.snapshot(version: 8).files.count == 8)
    #expect(try table.snapshot(version: 5).files.count == 5)
    #expect(try table.snapshot().files.count == 12)
    #expect(throws: (any Error).self) { try table.snapshot(version: 3) }
    // Within retention nothing goes; with cleanup disabled nothing goes.
    #expect(
      try LogCleanup.cleanUpExpiredLogs(
        tablePath: path, storage: LocalTableStorage(), configuration: ["delta.logRetentionDuration": "interval 30 days"]
      ).isEmpty)
    for version in 5...12 { try Self.age(Self.commitPath(path, version), hours: 2) }
    #expect(
      try LogCleanup.cleanUpExpiredLogs(
        tablePath: path, storage: LocalTableStorage(),
        configuration: ["delta.logRetentionDuration": "interval 1 hours", "delta.enableExpiredLogCleanup": "false"]
      ).isEmpty)
    // All expired: the latest state (checkpoint 10 and later commits) stays readable.
    try LogCleanup.cleanUpExpiredLogs(
      tablePath: path, storage: LocalTableStorage(), configuration: ["delta.logRetentionDuration": "interval 1 hours"])
    #expect(try DeltaTable.open(path: path).snapshot().files.count == 12)
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000010.checkpoint.parquet"))
    #expect(!WriteFixtures.logFiles(path).contains("00000000000000000009.json"))
  }
}
