import Columnar
import Delta
import Foundation
import Testing

/// Replaying a checkpoint of many files: its adds are built by several workers, and the ones the
/// commits after it superseded must drop out, the rest keeping the checkpoint's order.
@Suite struct CheckpointReplayTests {
  static func add(_ n: Int, size: Int64) -> AddFile {
    AddFile(
      path: "p=\(n % 3 == 0 ? "a" : "b%20c")/f-\(n).parquet", partitionValues: ["p": n % 3 == 0 ? "a" : "b c"],
      size: size, modificationTime: 1_700_000_000_000 + Int64(n), stats: "{\"numRecords\":\(n)}",
      tags: n % 5 == 0 ? ["tag": "t\(n)"] : nil)
  }

  @Test func manyFilesFromACheckpointAndTheCommitsAfterIt() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.createTable(
      path: path, schema: Schema([Field("id", .int64), Field("p", .string)]), partitionBy: ["p"],
      configuration: ["delta.checkpointInterval": "2"])
    // Version 1: 10,000 files, more than two workers' worth of checkpoint rows.
    let fileCount = 10_000
    var bulk = DeltaTransaction(tablePath: path, snapshot: try DeltaTable.open(path: path).snapshot(), operation: "WRITE")
    bulk.add(.transaction(Transaction(appId: "loader", version: 7)))
    bulk.add(contentsOf: (0..<fileCount).map { .add(Self.add($0, size: Int64($0))) })
    try bulk.commit()
    // Version 2: a real write, which checkpoints (interval 2).
    var options = WriteOptions()
    options.partitionBy = ["p"]
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1])), ("p", WriteFixtures.string(["a"]))])],
      options: options)
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000002.checkpoint.parquet"))
    let atCheckpoint = try DeltaTable.open(path: path).snapshot()
    #expect(atCheckpoint.checkpointVersion == 2)
    #expect(atCheckpoint.files.count == fileCount + 1)

    // Version 3: remove every 97th file, re-add every 89th with a new size, add ten new ones.
    var change = DeltaTransaction(tablePath: path, snapshot: atCheckpoint, operation: "WRITE")
    let removed = Set(stride(from: 0, to: fileCount, by: 97))
    // (A commit must not both remove and add the same file.)
    let readded = Set(stride(from: 0, to: fileCount, by: 89)).subtracting(removed)
    for n in removed.sorted() {
      let old = Self.add(n, size: Int64(n))
      change.add(.remove(RemoveFile(path: old.path, deletionTimestamp: 1, partitionValues: old.partitionValues)))
    }
    for n in readded.sorted() { change.add(.add(Self.add(n, size: 1_000_000 + Int64(n)))) }
    for n in fileCount..<(fileCount + 10) { change.add(.add(Self.add(n, size: Int64(n)))) }
    try change.commit()

    let latest = try DeltaTable.open(path: path).snapshot()
    #expect(latest.version == 3)
    #expect(latest.checkpointVersion == 2)
    #expect(latest.transactions["loader"]?.version == 7)
    let superseded = Set((removed.union(readded)).map { Self.add($0, size: 0).path })
    // The checkpoint's files first, in its order, minus the superseded ones; then version 3's.
    let kept = atCheckpoint.files.filter { !superseded.contains($0.path) }
    #expect(latest.files.prefix(kept.count).map(\.path) == kept.map(\.path))
    let newer = latest.files.dropFirst(kept.count)
    #expect(newer.count == readded.count + 10)
    #expect(Set(latest.files.map(\.path)).count == latest.files.count)

    // Every field came through the checkpoint intact.
    var expected: [String: AddFile] = [:]
    for n in 0..<fileCount where !removed.contains(n) { expected[Self.add(n, size: 0).path] = Self.add(n, size: Int64(n)) }
    for n in readded { expected[Self.add(n, size: 0).path] = Self.add(n, size: 1_000_000 + Int64(n)) }
    for n in fileCount..<(fileCount + 10) { expected[Self.add(n, size: 0).path] = Self.add(n, size: Int64(n)) }
    let tableFiles = latest.files.filter { $0.path.hasPrefix("p=") && $0.path.contains("/f-") }
    #expect(tableFiles.count == expected.count)
    for file in tableFiles {
      let want = try #require(expected[file.path], "unexpected file \(file.path)")
      #expect(file.size == want.size, "\(file.path)")
      #expect(file.partitionValues == want.partitionValues, "\(file.path)")
      #expect(file.stats == want.stats, "\(file.path)")
      #expect(file.tags == want.tags, "\(file.path)")
      #expect(file.modificationTime == want.modificationTime, "\(file.path)")
    }
  }
}
