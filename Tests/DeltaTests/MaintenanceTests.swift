import Columnar
import Delta
import Expr
import Foundation
import Testing

/// OPTIMIZE (compaction and z-order clustering), VACUUM and RESTORE on real tables written by
/// Avocet, their commits, and their conflicts with concurrent writers.
@Suite struct MaintenanceTests {
  // MARK: Helpers

  static func partitioned() -> WriteOptions {
    var options = WriteOptions()
    options.partitionBy = ["p"]
    return options
  }

  /// `appends` commits of 10 rows each, spread over partitions a, b and null: 3 files per commit.
  static func smallFilesTable(appends: Int = 6) throws -> String {
    let path = WriteFixtures.temporaryTable()
    for n in 0..<appends {
      let ids = (0..<10).map { Int64(n * 10 + $0) }
      let batch = try WriteFixtures.batch([
        ("id", WriteFixtures.int64(ids)),
        ("s", WriteFixtures.string(ids.map { $0 % 4 == 0 ? nil : "s\($0)" })),
        ("p", WriteFixtures.string(ids.map { id -> String? in id % 3 == 0 ? "a" : id % 3 == 1 ? "b" : nil })),
      ])
      try TableWriter.write(path: path, batches: [batch], options: partitioned())
    }
    return path
  }

  /// The actions of one commit file, each a JSON object.
  static func commitActions(_ path: String, version: Int64) throws -> [[String: Any]] {
    let digits = String(version)
    let name = String(repeating: "0", count: 20 - digits.count) + digits + ".json"
    let text = try String(contentsOfFile: path + "/_delta_log/" + name, encoding: .utf8)
    return try text.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  static func actions(_ kind: String, _ path: String, version: Int64) throws -> [[String: Any]] {
    try commitActions(path, version: version).compactMap { $0[kind] as? [String: Any] }
  }

  /// The rows of the table at `version`, as `WriteFixtures.rows` gives the latest.
  static func rows(_ path: String, version: Int64) throws -> [String] {
    try WriteFixtures.rows(of: try DeltaTable.open(path: path).snapshot(version: version))
  }

  static func latest(_ path: String) throws -> Int64 { try DeltaTable.open(path: path).latestVersion() }

  static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

  /// Sets a file's modification time (milliseconds since the epoch).
  static func touch(_ path: String, at milliseconds: Int64) throws {
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: Double(milliseconds) / 1000)], ofItemAtPath: path)
  }

  static func write(_ path: String, _ relative: String, bytes: Int = 16) throws {
    let url = URL(fileURLWithPath: path + "/" + relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(repeating: 7, count: bytes).write(to: url)
  }

  static func exists(_ path: String, _ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/" + relative)
  }

  /// Every regular file under the table root, relative, `_delta_log` excluded.
  static func dataFilesOnDisk(_ path: String) -> Set<String> {
    var result = Set<String>()
    let enumerator = FileManager.default.enumerator(atPath: path)
    while let item = enumerator?.nextObject() as? String {
      if item.hasPrefix("_delta_log") { continue }
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: path + "/" + item, isDirectory: &isDirectory), !isDirectory.boolValue {
        result.insert(item)
      }
    }
    return result
  }

  static func decoded(_ logPath: String) -> String { logPath.removingPercentEncoding ?? logPath }

  static func expectError(
    _ code: DeltaError.Code, containing fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
  ) {
    do {
      try body()
      Issue.record("expected a \(code) error mentioning \(fragments)", sourceLocation: sourceLocation)
    } catch let error as DeltaError {
      #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
      for fragment in fragments {
        #expect(error.message.contains(fragment), "'\(error.message)' does not mention '\(fragment)'", sourceLocation: sourceLocation)
      }
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  // MARK: Compaction

  @Test func compactionRewritesEachPartitionIntoOneFileWithoutDataChange() throws {
    let path = try Self.smallFilesTable()
    let before = try WriteFixtures.rows(path)
    let old = try DeltaTable.open(path: path).snapshot()
    #expect(old.files.count == 18 && old.version == 5)
    let oldKeys = Set(old.files.map(\.path))

    let result = try Maintenance.optimize(path: path)
    #expect(result.version == 6)
    #expect(result.filesRemoved == 18 && result.filesAdded == 3)
    #expect(result.partitionsOptimized == 3 && result.filesConsidered == 18 && result.filesSkipped == 0)
    #expect(result.rowsRewritten == 60)
    #expect(result.bytesRemoved == old.files.reduce(0) { $0 + $1.size })

    #expect(try WriteFixtures.rows(path) == before)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.version == 6)
    #expect(snapshot.files.count == 3)
    #expect(Set(snapshot.files.map { $0.partitionValues["p"] ?? "null" }) == ["a", "b", "null"])
    #expect(snapshot.files.allSatisfy { !$0.dataChange })
    #expect(snapshot.files.allSatisfy { !oldKeys.contains($0.path) })
    #expect(result.bytesAdded == snapshot.files.reduce(0) { $0 + $1.size })
    // Statistics of the new files count every row.
    let records = snapshot.files.map { $0.stats ?? "" }.map { stats -> Int in
      guard let range = stats.range(of: #""numRecords":"#) else { return -1 }
      return Int(stats[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }
    #expect(records.reduce(0, +) == 60 && records.allSatisfy { $0 == 20 })

    // The commit: 18 removes and 3 adds, none of them a data change.
    let removes = try Self.actions("remove", path, version: 6)
    let adds = try Self.actions("add", path, version: 6)
    #expect(removes.count == 18 && adds.count == 3)
    #expect(removes.allSatisfy { $0["dataChange"] as? Bool == false })
    #expect(adds.allSatisfy { $0["dataChange"] as? Bool == false })
    #expect(Set(removes.compactMap { $0["path"] as? String }) == oldKeys)
    let info = try #require(try Self.commitActions(path, version: 6).first?["commitInfo"] as? [String: Any])
    #expect(info["isBlindAppend"] as? Bool == false)

    let entry = try #require(try DeltaTable.open(path: path).history(limit: 1).first)
    #expect(entry.version == 6)
    #expect(entry.commitInfo?.operation == "OPTIMIZE")
    #expect(entry.commitInfo?.operationMetrics["numRemovedFiles"] == "18")
    #expect(entry.commitInfo?.operationMetrics["numAddedFiles"] == "3")
    #expect(entry.commitInfo?.operationMetrics["numRowsRewritten"] == "60")
    #expect(entry.commitInfo?.operationParameters["zOrderBy"] == "[]")

    // The old files stay on disk (time travel) until VACUUM.
    for file in old.files { #expect(Self.exists(path, Self.decoded(file.path))) }
    #expect(try Self.rows(path, version: 5) == before)

    // Nothing left to do: no commit.
    let again = try Maintenance.optimize(path: path)
    #expect(again.version == nil)
    #expect(again.filesAdded == 0 && again.filesRemoved == 0)
    #expect(again.filesConsidered == 3 && again.filesSkipped == 3)
    #expect(try Self.latest(path) == 6)
    #expect(WriteFixtures.logFiles(path).filter { $0.hasSuffix(".json") }.count == 7)
  }

  @Test func compactionOfAnUnpartitionedTableAndAnEmptyOne() throws {
    let path = WriteFixtures.temporaryTable()
    for n in 0..<4 {
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([Int64(n), nil]))])])
    }
    let before = try WriteFixtures.rows(path)
    let result = try Maintenance.optimize(path: path)
    #expect(result.version == 4 && result.filesRemoved == 4 && result.filesAdded == 1 && result.partitionsOptimized == 1)
    #expect(try WriteFixtures.rows(path) == before)

    // A table with no files: nothing to do.
    let empty = WriteFixtures.temporaryTable()
    try TableWriter.createTable(path: empty, schema: Schema([Field("id", .int64)]))
    let none = try Maintenance.optimize(path: empty)
    #expect(none.version == nil && none.filesConsidered == 0)
    #expect(try Self.latest(empty) == 0)
  }

  @Test func partitionFilterCompactsOnlyTheSelectedPartitions() throws {
    let path = try Self.smallFilesTable()
    let before = try WriteFixtures.rows(path)
    let old = try DeltaTable.open(path: path).snapshot()
    let untouched = Set(old.files.filter { $0.partitionValues["p"] != "a" }.map(\.path))
    #expect(untouched.count == 12)

    var options = OptimizeOptions()
    options.partitionFilter = .comparison(["p"], .equal, .string("a"))
    let result = try Maintenance.optimize(path: path, options: options)
    #expect(result.version == 6)
    #expect(result.filesConsidered == 6 && result.filesRemoved == 6 && result.filesAdded == 1)
    #expect(result.partitionsOptimized == 1)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.filter { $0.partitionValues["p"] == "a" }.count == 1)
    #expect(Set(snapshot.files.filter { $0.partitionValues["p"] != "a" }.map(\.path)) == untouched)
    #expect(try WriteFixtures.rows(path) == before)
    let entry = try #require(try DeltaTable.open(path: path).history(limit: 1).first)
    #expect(entry.commitInfo?.operationParameters["predicate"]?.contains("p") == true)

    // The null partition by IS NULL.
    options.partitionFilter = .isNull(["p"], negated: false)
    let nulls = try Maintenance.optimize(path: path, options: options)
    #expect(nulls.filesRemoved == 6 && nulls.filesAdded == 1)
    #expect(try DeltaTable.open(path: path).snapshot().files.filter { $0.partitionValues["p"] == "b" }.count == 6)
    #expect(try WriteFixtures.rows(path) == before)

    // A filter on a data column is refused, nothing committed.
    options.partitionFilter = .comparison(["id"], .equal, .int64(1))
    Self.expectError(.invalidArgument, containing: ["'id'"]) { try Maintenance.optimize(path: path, options: options) }
    #expect(try Self.latest(path) == 7)
  }

  @Test func filesAtTheTargetSizeAreLeftAlone() throws {
    let path = WriteFixtures.temporaryTable()
    var generator = DeletionVectorTestRandom(seed: 1)
    for _ in 0..<2 {
      let big = (0..<3000).map { _ in Int64.random(in: Int64.min...Int64.max, using: &generator) }
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64(big))])])
    }
    for n in 0..<4 {
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([Int64(n)]))])])
    }
    let before = try WriteFixtures.rows(path)
    let old = try DeltaTable.open(path: path).snapshot()
    let sorted = old.files.sorted { $0.size < $1.size }
    let small = sorted.prefix(4)
    let big = sorted.suffix(2)
    let target = Int(big.map(\.size).min()!)
    try #require(small.reduce(0) { $0 + $1.size } < Int64(target), "the fixture needs the small files to fit one bin")

    var options = OptimizeOptions()
    options.targetFileSize = target
    let result = try Maintenance.optimize(path: path, options: options)
    #expect(result.version != nil)
    #expect(result.filesConsidered == 6 && result.filesSkipped == 2)
    #expect(result.filesRemoved == 4 && result.filesAdded == 1)
    #expect(result.rowsRewritten == 4)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.count == 3)
    #expect(Set(big.map(\.path)).isSubset(of: Set(snapshot.files.map(\.path))))
    #expect(try WriteFixtures.rows(path) == before)

    // A target below every file: nothing is a candidate.
    options.targetFileSize = 1
    let none = try Maintenance.optimize(path: path, options: options)
    #expect(none.version == nil && none.filesSkipped == 3)

    // The table property is the default target.
    let configured = WriteFixtures.temporaryTable()
    var create = WriteOptions()
    create.configuration = ["delta.targetFileSize": "1"]
    for n in 0..<3 {
      try TableWriter.write(
        path: configured, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([Int64(n)]))])], options: create)
    }
    #expect(try Maintenance.optimize(path: configured).version == nil)

    options.targetFileSize = 0
    Self.expectError(.invalidArgument, containing: ["target"]) { try Maintenance.optimize(path: path, options: options) }
  }

  @Test func compactionHonoursMaxRowsPerFile() throws {
    let path = WriteFixtures.temporaryTable()
    for n in 0..<4 {
      let ids = (0..<30).map { Int64(n * 30 + $0) }
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64(ids))])])
    }
    let before = try WriteFixtures.rows(path)
    var options = OptimizeOptions()
    options.maxRowsPerFile = 50
    let result = try Maintenance.optimize(path: path, options: options)
    #expect(result.filesRemoved == 4 && result.filesAdded == 3 && result.rowsRewritten == 120)
    let counts = try DeltaTable.open(path: path).snapshot().files.map { file -> Int in
      let stats = try #require(file.stats)
      let range = try #require(stats.range(of: #""numRecords":"#))
      return Int(stats[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }
    #expect(counts.sorted() == [20, 50, 50])
    #expect(try WriteFixtures.rows(path) == before)
  }

  @Test func optimizeCommitThatIsDueForACheckpoint() throws {
    let path = try Self.smallFilesTable(appends: 10)
    let before = try WriteFixtures.rows(path)
    #expect(try Maintenance.optimize(path: path).version == 10)
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000010.checkpoint.parquet"))
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.checkpointVersion == 10)
    #expect(snapshot.files.count == 3)
    #expect(try WriteFixtures.rows(path) == before)
    #expect(try Maintenance.optimize(path: path).version == nil)
  }

  @Test func optimizeThenVacuumDeletesTheCompactedFiles() throws {
    let path = try Self.smallFilesTable(appends: 3)
    let before = try WriteFixtures.rows(path)
    let old = Set(try DeltaTable.open(path: path).snapshot().files.map { Self.decoded($0.path) })
    let version = try #require(try Maintenance.optimize(path: path).version)
    var options = VacuumOptions(retentionHours: 0, force: true)
    options.now = Self.nowMilliseconds() + 2000
    let vacuumed = try Maintenance.vacuum(path: path, options: options)
    #expect(vacuumed.files == old.sorted())
    #expect(Self.dataFilesOnDisk(path).isDisjoint(with: old))
    #expect(try WriteFixtures.rows(path) == before)
    // The versions before OPTIMIZE can no longer be read or restored.
    #expect(throws: DeltaError.self) { _ = try Self.rows(path, version: version - 1) }
    Self.expectError(.missingFile, containing: ["VACUUM"]) { try Maintenance.restore(path: path, to: .version(version - 1)) }
  }

  @Test func appendOnlyTablesMayBeRearrangedButNotRestoredBackwards() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.configuration = ["delta.appendOnly": "true"]
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])], options: options)
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([2]))])], options: options)
    // OPTIMIZE only rearranges (dataChange=false): allowed by PROTOCOL.md "Append-only Tables".
    #expect(try Maintenance.optimize(path: path).version == 2)
    #expect(try WriteFixtures.rows(path) == [#"{"id":1}"#, #"{"id":2}"#])
    // RESTORE to version 0 would remove row 2 with dataChange=true, which an append-only table forbids.
    Self.expectError(.invalidArgument, containing: ["appendOnly"]) { try Maintenance.restore(path: path, to: .version(0)) }
    #expect(try Self.latest(path) == 2)
    #expect(try WriteFixtures.rows(path) == [#"{"id":1}"#, #"{"id":2}"#])
  }

  // MARK: Z-order

  /// The average fraction of files that statistics skip for `column = value` over `values`.
  static func skippedFraction(_ path: String, _ column: String, _ values: [ScalarValue]) throws -> Double {
    let snapshot = try DeltaTable.open(path: path).snapshot()
    var total = 0.0
    for value in values {
      let scan = try snapshot.scan(ScanOptions(predicate: .comparison([column], .equal, value)))
      total += Double(scan.metrics.filesSkippedByStatistics) / Double(scan.metrics.totalFiles)
    }
    return total / Double(values.count)
  }

  @Test(arguments: ClusteringCurve.allCases)
  func zOrderClustersTwoIntColumns(curve: ClusteringCurve) throws {
    let path = WriteFixtures.temporaryTable()
    var generator = DeletionVectorTestRandom(seed: 42)
    let xs = (0..<4000).map { _ in Int64.random(in: 0..<1000, using: &generator) }
    let ys = (0..<4000).map { _ in Int64.random(in: 0..<1000, using: &generator) }
    var write = WriteOptions()
    write.maxRowsPerFile = 100
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("x", WriteFixtures.int64(xs)), ("y", WriteFixtures.int64(ys))])], options: write)
    let before = try WriteFixtures.rows(path)
    #expect(try DeltaTable.open(path: path).snapshot().files.count == 40)
    let sampleX = (0..<50).map { ScalarValue.int64(xs[$0 * 80]) }
    let sampleY = (0..<50).map { ScalarValue.int64(ys[$0 * 80 + 1]) }
    let skippedBeforeX = try Self.skippedFraction(path, "x", sampleX)
    let skippedBeforeY = try Self.skippedFraction(path, "y", sampleY)
    #expect(skippedBeforeX < 0.1 && skippedBeforeY < 0.1)

    var options = OptimizeOptions()
    options.zOrderBy = ["x", "y"]
    options.curve = curve
    options.maxRowsPerFile = 100
    let result = try Maintenance.optimize(path: path, options: options)
    #expect(result.version == 1)
    #expect(result.filesRemoved == 40 && result.filesAdded == 40 && result.rowsRewritten == 4000)
    #expect(try WriteFixtures.rows(path) == before)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.count == 40)
    #expect(snapshot.files.allSatisfy { $0.stats?.contains(#""numRecords":100"#) == true })
    #expect(snapshot.files.allSatisfy { !$0.dataChange })

    let skippedX = try Self.skippedFraction(path, "x", sampleX)
    let skippedY = try Self.skippedFraction(path, "y", sampleY)
    #expect(skippedX > 0.5, "\(curve): x skipping \(skippedBeforeX) → \(skippedX)")
    #expect(skippedY > 0.5, "\(curve): y skipping \(skippedBeforeY) → \(skippedY)")

    let entry = try #require(try DeltaTable.open(path: path).history(limit: 1).first)
    #expect(entry.commitInfo?.operation == "OPTIMIZE")
    #expect(entry.commitInfo?.operationParameters["zOrderBy"] == #"["x","y"]"#)
    #expect(entry.commitInfo?.operationParameters["curve"] == curve.rawValue)

    // Clustering always rewrites (a second run is not a no-op) and keeps the rows.
    let again = try Maintenance.optimize(path: path, options: options)
    #expect(again.version == 2)
    #expect(try WriteFixtures.rows(path) == before)
  }

  @Test(arguments: ClusteringCurve.allCases)
  func zOrderClustersAddressStringsPerPartition(curve: ClusteringCurve) throws {
    let path = WriteFixtures.temporaryTable()
    var generator = DeletionVectorTestRandom(seed: 9)
    let count = 3000
    let ips = (0..<count).map { _ in
      "10.\(Int.random(in: 0..<256, using: &generator)).\(Int.random(in: 0..<256, using: &generator)).\(Int.random(in: 0..<256, using: &generator))"
    }
    let ports = (0..<count).map { _ in Int32.random(in: 0..<65536, using: &generator) }
    let protocols = (0..<count).map { $0 % 3 == 0 ? "udp" : "tcp" }
    var write = WriteOptions()
    write.partitionBy = ["proto"]
    write.maxRowsPerFile = 100
    try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([
          ("src", WriteFixtures.string(ips.enumerated().map { $0.offset % 97 == 0 ? nil : $0.element })),
          ("port", WriteFixtures.int32(ports)), ("proto", WriteFixtures.string(protocols)),
        ])
      ], options: write)
    let before = try WriteFixtures.rows(path)
    let filesBefore = try DeltaTable.open(path: path).snapshot().files.count
    let sample = (0..<50).map { ScalarValue.string(ips[$0 * 59 + 1]) }
    let skippedBefore = try Self.skippedFraction(path, "src", sample)

    var options = OptimizeOptions()
    options.zOrderBy = ["SRC", "port"]  // names resolve case-insensitively
    options.curve = curve
    options.maxRowsPerFile = 100
    let result = try Maintenance.optimize(path: path, options: options)
    #expect(result.partitionsOptimized == 2)
    #expect(try WriteFixtures.rows(path) == before)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.files.count == filesBefore)
    // Every file holds one partition.
    #expect(snapshot.files.allSatisfy { ["tcp", "udp"].contains($0.partitionValues["proto"] ?? "") })
    let skipped = try Self.skippedFraction(path, "src", sample)
    #expect(skippedBefore < 0.1)
    #expect(skipped > 0.5, "\(curve): src skipping \(skippedBefore) → \(skipped)")
    #expect(
      try DeltaTable.open(path: path).history(limit: 1).first?.commitInfo?.operationParameters["zOrderBy"]
        == #"["src","port"]"#)
  }

  @Test func zOrderOverEvolvedSchemaAndManyTypes() throws {
    let path = WriteFixtures.temporaryTable()
    let old = try WriteFixtures.batch([
      ("x", WriteFixtures.int64((0..<50).map { Int64(($0 * 37) % 50) })),
      ("ts", WriteFixtures.timestamp((0..<50).map { $0 % 9 == 0 ? nil : Int64($0) * -86_400_000_000 })),
    ])
    var write = WriteOptions()
    write.maxRowsPerFile = 10
    try TableWriter.write(path: path, batches: [old], options: write)
    // Later files add a string, a date and a boolean column; the old files have none of them.
    write.mergeSchema = true
    let new = try WriteFixtures.batch([
      ("x", WriteFixtures.int64((0..<50).map { Int64(100 + $0) })),
      ("ts", WriteFixtures.timestamp((0..<50).map { Int64($0) * 1_000_000 })),
      ("tag", WriteFixtures.string((0..<50).map { $0 % 4 == 0 ? nil : "t\($0 % 7)" })),
      ("d", WriteFixtures.int32((0..<50).map { $0 % 5 == 0 ? nil : Int32(19_000 - $0) }, type: .date)),
      ("b", ColumnBuildForTests.booleans((0..<50).map { $0 % 3 == 0 ? nil : $0 % 2 == 0 })),
    ])
    try TableWriter.write(path: path, batches: [new], options: write)
    let before = try WriteFixtures.rows(path)
    #expect(before.count == 100)
    for curve in ClusteringCurve.allCases {
      var options = OptimizeOptions()
      options.zOrderBy = ["tag", "ts", "d", "b", "x"]
      options.curve = curve
      options.maxRowsPerFile = 10
      let result = try Maintenance.optimize(path: path, options: options)
      #expect(result.rowsRewritten == 100 && result.filesAdded == 10)
      #expect(try WriteFixtures.rows(path) == before)
    }
  }

  @Test func zOrderRefusesBadColumns() throws {
    let path = try Self.smallFilesTable(appends: 2)
    let version = try Self.latest(path)
    func attempt(_ columns: [String], _ fragments: [String]) {
      var options = OptimizeOptions()
      options.zOrderBy = columns
      Self.expectError(.invalidArgument, containing: fragments) { try Maintenance.optimize(path: path, options: options) }
    }
    attempt(["id", "nope"], ["'nope'"])
    attempt(["p"], ["'p'", "partition"])
    attempt(["id", "id"], ["'id'", "twice"])
    attempt(["id", "ID"], ["'id'", "twice"])
    #expect(try Self.latest(path) == version)
    // Nested columns too.
    let nested = WriteFixtures.temporaryTable()
    let inner = ColumnVector(
      type: .structure([Field("a", .int64)]), count: 2, storage: .structure([WriteFixtures.int64([1, 2])]))
    try TableWriter.write(
      path: nested, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1, 2])), ("st", inner)])])
    var options = OptimizeOptions()
    options.zOrderBy = ["st"]
    Self.expectError(.invalidArgument, containing: ["'st'"]) { try Maintenance.optimize(path: nested, options: options) }
  }

  // MARK: Deletion vectors

  /// Copies a conformance table to a temporary directory.
  static func copyCorpusTable(_ name: String) throws -> String {
    let source = ConformanceCorpus.tablePath(name)
    let target = WriteFixtures.temporaryTable(name)
    try FileManager.default.copyItem(atPath: source, toPath: target)
    return target
  }

  @Test(.enabled(if: ConformanceCorpus.isAvailable))
  func deletionVectorTablesAreRefusedWithTheFeatureNamed() throws {
    // Avocet does not write the deletionVectors writer feature, so OPTIMIZE (which would purge the
    // deleted rows), VACUUM and RESTORE refuse such tables and leave them as they were.
    for name in ["drs-table-with-dv-small", "golden-dv-partitioned-with-checkpoint"] {
      let path = try Self.copyCorpusTable(name)
      let snapshot = try DeltaTable.open(path: path).snapshot()
      try #require(snapshot.files.contains { $0.deletionVector != nil }, "\(name) has no deletion vectors")
      let before = try WriteFixtures.rows(path)
      let onDisk = Self.dataFilesOnDisk(path)
      let logs = WriteFixtures.logFiles(path)
      Self.expectError(.unsupportedFeature, containing: ["deletionVectors"]) { try Maintenance.optimize(path: path) }
      var zorder = OptimizeOptions()
      zorder.zOrderBy = [snapshot.dataFields[0].name]
      Self.expectError(.unsupportedFeature, containing: ["deletionVectors"]) {
        try Maintenance.optimize(path: path, options: zorder)
      }
      var vacuum = VacuumOptions(retentionHours: 0, force: true)
      vacuum.now = Self.nowMilliseconds() + 365 * 86_400_000
      Self.expectError(.unsupportedFeature, containing: ["deletionVectors"]) {
        try Maintenance.vacuum(path: path, options: vacuum)
      }
      if snapshot.version > 0 {
        Self.expectError(.unsupportedFeature, containing: ["deletionVectors"]) {
          try Maintenance.restore(path: path, to: .version(0))
        }
      }
      #expect(WriteFixtures.logFiles(path) == logs)
      #expect(Self.dataFilesOnDisk(path) == onDisk)
      #expect(try WriteFixtures.rows(path) == before)
    }
  }

  // MARK: Concurrency

  @Test func optimizeRacingAppendsLosesNothing() throws {
    let path = WriteFixtures.temporaryTable()
    for n in 0..<20 {
      let ids = (0..<5).map { Int64(n * 5 + $0) }
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64(ids))])])
    }
    let initial = try WriteFixtures.rows(path)
    #expect(initial.count == 100)
    let failures = MaintenanceErrors()
    let optimized = MaintenanceErrors()
    DispatchQueue.concurrentPerform(iterations: 3) { worker in
      if worker == 0 {
        do {
          let result = try Maintenance.optimize(path: path)
          optimized.append("\(result.version.map(String.init) ?? "nil") \(result.filesRemoved)")
        } catch {
          failures.append("optimize: \(error)")
        }
      } else {
        for n in 0..<10 {
          do {
            let id = Int64(1000 * worker + n)
            try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([id]))])])
          } catch {
            failures.append("append: \(error)")
          }
        }
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all)")
    #expect(optimized.all.count == 1)
    let rows = try WriteFixtures.rows(path)
    #expect(rows.count == 120)
    #expect(Set(rows).count == 120)
    let expected = Set(initial + (1...2).flatMap { w in (0..<10).map { #"{"id":\#(1000 * w + $0)}"# } })
    #expect(Set(rows) == expected)
    #expect(try Self.latest(path) == 40)
    let operations = try DeltaTable.open(path: path).history().compactMap { $0.commitInfo?.operation }
    #expect(operations.filter { $0 == "OPTIMIZE" }.count == 1)
  }

  @Test func twoOptimizesOfTheSameFilesCommitOnce() throws {
    let path = try Self.smallFilesTable()
    let before = try WriteFixtures.rows(path)
    let outcomes = MaintenanceErrors()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      do {
        let result = try Maintenance.optimize(path: path)
        outcomes.append(result.version == nil ? "nothing" : "committed")
      } catch {
        outcomes.append((error as? DeltaError)?.code == .concurrentModification ? "conflict" : "error: \(error)")
      }
    }
    // Either one commits and the other conflicts, or the second starts late and finds nothing.
    let sorted = outcomes.all.sorted()
    #expect(sorted == ["committed", "conflict"] || sorted == ["committed", "nothing"], "\(sorted)")
    #expect(try WriteFixtures.rows(path) == before)
    let operations = try DeltaTable.open(path: path).history().compactMap { $0.commitInfo?.operation }
    #expect(operations.filter { $0 == "OPTIMIZE" }.count == 1)
    #expect(try DeltaTable.open(path: path).snapshot().files.count == 3)
    // The loser deleted the files it wrote: 18 old + 3 new on disk, no orphans.
    #expect(Self.dataFilesOnDisk(path).count == 21)
  }

  /// A rewrite of `file`: a copy of it under a new name, for a valid table after the commit.
  static func rewrite(_ path: String, _ file: AddFile, as name: String) throws -> AddFile {
    try FileManager.default.copyItem(atPath: path + "/" + Self.decoded(file.path), toPath: path + "/" + name)
    var copy = file
    copy.path = name
    copy.dataChange = false
    return copy
  }

  @Test func rewrittenFilesConflictRules() throws {
    let path = WriteFixtures.temporaryTable()
    for n in 0..<3 {
      try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([Int64(n)]))])])
    }
    let table = try DeltaTable.open(path: path)
    let now = Self.nowMilliseconds()

    // 1. A concurrent blind append, and a concurrent rewrite of another file: no conflict.
    let stale = try table.snapshot()
    let files = stale.files.sorted { $0.path < $1.path }
    let (f, g) = (files[0], files[1])
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([10]))])])
    var other = DeltaTransaction(tablePath: path, snapshot: stale, operation: "OPTIMIZE")
    other.readPredicate = .rewrittenFiles
    other.add(.remove(g.removal(at: now, dataChange: false)))
    other.add(.add(try Self.rewrite(path, g, as: "copy-g.parquet")))
    #expect(try other.commit() == 4)
    var txn = DeltaTransaction(tablePath: path, snapshot: stale, operation: "OPTIMIZE")
    txn.readPredicate = .rewrittenFiles
    txn.add(.remove(f.removal(at: now, dataChange: false)))
    txn.add(.add(try Self.rewrite(path, f, as: "copy-f.parquet")))
    #expect(try txn.commit() == 5)
    #expect(try WriteFixtures.rows(path) == [#"{"id":0}"#, #"{"id":10}"#, #"{"id":1}"#, #"{"id":2}"#])

    // 2. A concurrent removal of a file this transaction rewrites conflicts, whatever its dataChange.
    for dataChange in [false, true] {
      let stale = try table.snapshot()
      let target = try #require(stale.files.first { $0.path.hasPrefix("part-") })
      var winner = DeltaTransaction(tablePath: path, snapshot: stale, operation: dataChange ? "DELETE" : "OPTIMIZE")
      winner.readPredicate = dataChange ? .wholeTable : .rewrittenFiles
      winner.add(.remove(target.removal(at: now, dataChange: dataChange)))
      if !dataChange { winner.add(.add(try Self.rewrite(path, target, as: "winner-\(stale.version).parquet"))) }
      let winningVersion = try winner.commit()
      let rowsAfterWinner = try WriteFixtures.rows(path)

      var loser = DeltaTransaction(tablePath: path, snapshot: stale, operation: "OPTIMIZE")
      loser.readPredicate = .rewrittenFiles
      loser.add(.remove(target.removal(at: now, dataChange: false)))
      loser.add(.add(try Self.rewrite(path, target, as: "loser-\(stale.version).parquet")))
      loser.maxAttempts = 3
      #expect {
        try loser.commit()
      } throws: { error in
        let error = error as? DeltaError
        return error?.code == .concurrentModification && error?.message.contains("version \(winningVersion)") == true
          && error?.message.contains(target.path) == true
      }
      #expect(try Self.latest(path) == winningVersion)
      #expect(try WriteFixtures.rows(path) == rowsAfterWinner)
    }

    // 3. A concurrent add with dataChange=false (another rewrite's output) does not conflict either.
    let before = try table.snapshot()
    let live = before.files.sorted { $0.path < $1.path }
    var first = DeltaTransaction(tablePath: path, snapshot: before, operation: "OPTIMIZE")
    first.readPredicate = .rewrittenFiles
    first.add(.remove(live[0].removal(at: now, dataChange: false)))
    first.add(.add(try Self.rewrite(path, live[0], as: "third-a.parquet")))
    try first.commit()
    var second = DeltaTransaction(tablePath: path, snapshot: before, operation: "OPTIMIZE")
    second.readPredicate = .rewrittenFiles
    second.add(.remove(live[1].removal(at: now, dataChange: false)))
    second.add(.add(try Self.rewrite(path, live[1], as: "third-b.parquet")))
    #expect(try second.commit() == before.version + 2)
  }

  // MARK: Vacuum

  /// v0: ids 1–3; v1: overwrite with 10–11. Returns the path and the files v1 removed (relative).
  static func overwrittenTable(partitioned: Bool = false) throws -> (path: String, removed: Set<String>, live: Set<String>) {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    if partitioned { options.partitionBy = ["_p"] }
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1, 2, 3])), ("_p", WriteFixtures.string(["x", "y", "x"]))])],
      options: options)
    let removed = Set(try DeltaTable.open(path: path).snapshot().files.map { Self.decoded($0.path) })
    options.mode = .overwrite
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([10, 11])), ("_p", WriteFixtures.string(["x", "z"]))])],
      options: options)
    let live = Set(try DeltaTable.open(path: path).snapshot().files.map { Self.decoded($0.path) })
    return (path, removed, live)
  }

  @Test(arguments: [false, true])
  func vacuumAfterAnOverwrite(partitioned: Bool) throws {
    let (path, removed, live) = try Self.overwrittenTable(partitioned: partitioned)
    let rows = try WriteFixtures.rows(path)
    #expect(!removed.isEmpty && removed.isDisjoint(with: live))
    #expect(Self.dataFilesOnDisk(path) == removed.union(live))

    // Default retention (7 days): the removed files are recent, nothing goes.
    let kept = try Maintenance.vacuum(path: path)
    #expect(kept.files.isEmpty && kept.bytes == 0 && !kept.dryRun)
    #expect(kept.retentionHours == 168)
    #expect(Self.dataFilesOnDisk(path) == removed.union(live))

    // A retention below the table's needs force; nothing is committed.
    let version = try Self.latest(path)
    Self.expectError(.invalidArgument, containing: ["deletedFileRetentionDuration", "force"]) {
      try Maintenance.vacuum(path: path, options: VacuumOptions(retentionHours: 0))
    }
    Self.expectError(.invalidArgument, containing: ["retention"]) {
      try Maintenance.vacuum(path: path, options: VacuumOptions(retentionHours: -1, force: true))
    }
    #expect(try Self.latest(path) == version)

    // Dry run: lists exactly the removed files, deletes and commits nothing.
    var options = VacuumOptions(retentionHours: 0, dryRun: true, force: true)
    options.now = Self.nowMilliseconds() + 2000
    let dry = try Maintenance.vacuum(path: path, options: options)
    #expect(dry.dryRun && dry.startVersion == nil && dry.endVersion == nil)
    #expect(dry.files == removed.sorted())
    let removedBytes = try removed.reduce(Int64(0)) {
      $0 + ((try FileManager.default.attributesOfItem(atPath: path + "/" + $1)[.size] as? Int64) ?? 0)
    }
    #expect(dry.bytes == removedBytes)
    #expect(Self.dataFilesOnDisk(path) == removed.union(live))
    #expect(try Self.latest(path) == version)

    // For real.
    options.dryRun = false
    let done = try Maintenance.vacuum(path: path, options: options)
    #expect(done.files == removed.sorted() && done.bytes == removedBytes)
    #expect(done.startVersion == version + 1 && done.endVersion == version + 2)
    #expect(Self.dataFilesOnDisk(path) == live)
    #expect(try WriteFixtures.rows(path) == rows)
    let history = try DeltaTable.open(path: path).history(limit: 2)
    #expect(history.map { $0.commitInfo?.operation } == ["VACUUM END", "VACUUM START"])
    #expect(history[1].commitInfo?.operationMetrics["numFilesToDelete"] == String(removed.count))
    #expect(history[0].commitInfo?.operationMetrics["numDeletedFiles"] == String(removed.count))
    #expect(history[0].commitInfo?.operationParameters["status"] == "COMPLETED")
    // VACUUM commits change no data.
    for v in [version + 1, version + 2] {
      #expect(try Self.commitActions(path, version: v).allSatisfy { $0["add"] == nil && $0["remove"] == nil })
    }

    // Far in the future, with every tombstone expired, the live files still stay.
    options.now = Self.nowMilliseconds() + 400 * 86_400_000
    let later = try Maintenance.vacuum(path: path, options: options)
    #expect(later.files.isEmpty)
    #expect(Self.dataFilesOnDisk(path) == live)
    #expect(try WriteFixtures.rows(path) == rows)
  }

  @Test func vacuumKeepsNewAndHiddenFilesAndDeletesOldStrays() throws {
    let path = WriteFixtures.temporaryTable()
    var options = Self.partitioned()
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1, 2])), ("p", WriteFixtures.string(["a", "b"]))])],
      options: options)
    options.mode = .overwrite
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([3])), ("p", WriteFixtures.string(["a"]))])],
      options: options)
    let live = Set(try DeltaTable.open(path: path).snapshot().files.map { Self.decoded($0.path) })
    let removed = Self.dataFilesOnDisk(path).subtracting(live)
    #expect(removed.count == 2)
    let now = Self.nowMilliseconds()
    let old = now - 30 * 86_400_000
    let hidden = ["_tmp/x.parquet", ".hidden.parquet", "p=a/.part.crc", "_change_data/cdc.parquet", "p=a/_tmp/y.parquet"]
    for file in hidden { try Self.write(path, file) }
    try Self.write(path, "stray-old.parquet", bytes: 100)
    try Self.write(path, "p=b/stray-old.parquet", bytes: 10)
    try Self.write(path, "unknown=dir/deep/stray-old.txt", bytes: 1)
    try Self.write(path, "stray-new.parquet")
    // Everything old but the new stray, which is newer than the cutoff.
    for file in Self.dataFilesOnDisk(path) { try Self.touch(path + "/" + file, at: old) }
    try Self.touch(path + "/_tmp", at: old)
    try Self.touch(path + "/stray-new.parquet", at: now + 60_000)
    let logs = WriteFixtures.logFiles(path)
    let removedBytes = try removed.reduce(Int64(0)) {
      $0 + ((try FileManager.default.attributesOfItem(atPath: path + "/" + $1)[.size] as? Int64) ?? 0)
    }

    var vacuum = VacuumOptions(retentionHours: 0, force: true)
    vacuum.now = now + 1000
    let result = try Maintenance.vacuum(path: path, options: vacuum)
    let strays = ["p=b/stray-old.parquet", "stray-old.parquet", "unknown=dir/deep/stray-old.txt"]
    #expect(result.files == (Array(removed) + strays).sorted())
    #expect(result.bytes == removedBytes + 111)
    for file in hidden { #expect(Self.exists(path, file), "\(file) was deleted") }
    #expect(Self.exists(path, "stray-new.parquet"))
    for file in live { #expect(Self.exists(path, file)) }
    for file in Array(removed) + strays { #expect(!Self.exists(path, file), "\(file) survived") }
    // The log only grew by VACUUM START and END.
    let newLogs = WriteFixtures.logFiles(path)
    #expect(Set(logs).isSubset(of: Set(newLogs)) && newLogs.count == logs.count + 2)
    #expect(try WriteFixtures.rows(path) == [#"{"id":3,"p":"a"}"#])
  }

  @Test func vacuumKeepsTombstonesWithinTheRetention() throws {
    let (path, removed, live) = try Self.overwrittenTable()
    let removedAt = try #require(try DeltaTable.open(path: path).snapshot().tombstones.compactMap(\.deletionTimestamp).max())
    // Old files: only the tombstone protects them.
    for file in removed.union(live) { try Self.touch(path + "/" + file, at: removedAt - 30 * 86_400_000) }

    // One hour after the removal, the default 168 hours keep it (no force needed).
    var options = VacuumOptions()
    options.now = removedAt + 3_600_000
    let early = try Maintenance.vacuum(path: path, options: options)
    #expect(early.files.isEmpty)
    #expect(early.retentionHours == 168)
    #expect(Self.dataFilesOnDisk(path) == removed.union(live))
    // An explicit retention longer than the table's needs no force either.
    var longer = VacuumOptions(retentionHours: 24 * 30, dryRun: true)
    longer.now = removedAt + 8 * 86_400_000
    #expect(try Maintenance.vacuum(path: path, options: longer).files.isEmpty)

    // Eight days later the tombstone has expired: the file goes.
    options.now = removedAt + 8 * 86_400_000
    let late = try Maintenance.vacuum(path: path, options: options)
    #expect(late.files == removed.sorted())
    #expect(Self.dataFilesOnDisk(path) == live)
    #expect(try WriteFixtures.rows(path) == [#"{"id":10,"_p":"x"}"#, #"{"id":11,"_p":"z"}"#])
  }

  @Test func vacuumHonoursTheTableRetentionProperty() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.configuration = ["delta.deletedFileRetentionDuration": "interval 1 hours"]
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])], options: options)
    let removed = Set(try DeltaTable.open(path: path).snapshot().files.map { Self.decoded($0.path) })
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([2]))])], options: WriteOptions(mode: .overwrite))
    let now = Self.nowMilliseconds()
    for file in Self.dataFilesOnDisk(path) { try Self.touch(path + "/" + file, at: now - 86_400_000) }
    var vacuum = VacuumOptions(dryRun: true)
    vacuum.now = now + 2 * 3_600_000
    let result = try Maintenance.vacuum(path: path, options: vacuum)
    #expect(result.retentionHours == 1)
    #expect(result.files == removed.sorted())
    // 0.5 hours is below the table's one hour: refused without force.
    Self.expectError(.invalidArgument, containing: ["deletedFileRetentionDuration"]) {
      try Maintenance.vacuum(path: path, options: VacuumOptions(retentionHours: 0.5, dryRun: true))
    }
  }

  @Test func vacuumMatchesEncodedPartitionPaths() throws {
    let path = WriteFixtures.temporaryTable()
    let values: [String?] = ["a b", "x:y=z %", "a/b", "ü€", "100%", nil]
    var options = Self.partitioned()
    try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([("id", WriteFixtures.int64((0..<6).map { Int64($0) })), ("p", WriteFixtures.string(values))])
      ], options: options)
    let removed = Self.dataFilesOnDisk(path)
    #expect(removed.count == 6)
    options.mode = .overwrite
    try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([("id", WriteFixtures.int64((10..<16).map { Int64($0) })), ("p", WriteFixtures.string(values))])
      ], options: options)
    let live = Self.dataFilesOnDisk(path).subtracting(removed)
    #expect(live.count == 6)
    let rows = try WriteFixtures.rows(path)
    var vacuum = VacuumOptions(retentionHours: 0, force: true)
    vacuum.now = Self.nowMilliseconds() + 86_400_000
    let result = try Maintenance.vacuum(path: path, options: vacuum)
    #expect(result.files == removed.sorted())
    #expect(Self.dataFilesOnDisk(path) == live)
    #expect(try WriteFixtures.rows(path) == rows)
  }

  @Test func vacuumKeepsFilesReferencedByAbsolutePaths() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])])
    let snapshot = try DeltaTable.open(path: path).snapshot()
    let file = snapshot.files[0]
    try FileManager.default.copyItem(atPath: path + "/" + Self.decoded(file.path), toPath: path + "/absolute.parquet")
    var txn = DeltaTransaction(tablePath: path, snapshot: snapshot, operation: "WRITE")
    var add = file
    add.path = "file://" + path + "/absolute.parquet"
    txn.add(.add(add))
    try txn.commit()
    #expect(try WriteFixtures.rows(path).count == 2)
    var options = VacuumOptions(retentionHours: 0, dryRun: true, force: true)
    options.now = Self.nowMilliseconds() + 86_400_000
    #expect(try Maintenance.vacuum(path: path, options: options).files.isEmpty)
    #expect(try Maintenance.vacuum(path: path + "/", options: options).files.isEmpty)
    // The same table through other spellings of its root: the live file must not be listed.
    for spelling in [
      path.replacingOccurrences(of: "/avocet-write-", with: "//avocet-write-"),
      path.replacingOccurrences(of: "/avocet-write-", with: "/./avocet-write-"),
    ] {
      #expect(try Maintenance.vacuum(path: spelling, options: options).files.isEmpty, "\(spelling)")
    }
  }

  // MARK: Restore

  /// v0: 1–3; v1: +4, 5; v2: +6; v3: overwrite with 100, 101.
  static func restoreTable() throws -> String {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1, 2, 3]))])])
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([4, 5]))])])
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([6]))])])
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([100, 101]))])], options: WriteOptions(mode: .overwrite))
    return path
  }

  @Test func restoreToAVersion() throws {
    let path = try Self.restoreTable()
    let atOne = try Self.rows(path, version: 1)
    #expect(atOne == [#"{"id":1}"#, #"{"id":2}"#, #"{"id":3}"#, #"{"id":4}"#, #"{"id":5}"#])
    let result = try Maintenance.restore(path: path, to: .version(1))
    #expect(result.version == 4 && result.restoredVersion == 1)
    #expect(result.filesRestored == 2 && result.filesRemoved == 1)
    #expect(result.bytesRestored > 0 && result.bytesRemoved > 0)
    #expect(try WriteFixtures.rows(path) == atOne)
    let restoredPaths = Set(try DeltaTable.open(path: path).snapshot().files.map(\.path))
    #expect(restoredPaths == Set(try DeltaTable.open(path: path).snapshot(version: 1).files.map(\.path)))
    let entry = try #require(try DeltaTable.open(path: path).history(limit: 1).first)
    #expect(entry.commitInfo?.operation == "RESTORE")
    #expect(entry.commitInfo?.operationParameters["version"] == "1")
    #expect(entry.commitInfo?.operationMetrics["numRestoredFiles"] == "2")
    #expect(entry.commitInfo?.operationMetrics["numRemovedFiles"] == "1")
    // The restore is a data change: adds and removes say so.
    #expect(try Self.actions("add", path, version: 4).allSatisfy { $0["dataChange"] as? Bool == true })
    #expect(try Self.actions("remove", path, version: 4).allSatisfy { $0["dataChange"] as? Bool == true })

    // Already there: nothing to commit.
    let again = try Maintenance.restore(path: path, to: .version(1))
    #expect(again.version == nil && again.restoredVersion == 1)
    #expect(try Self.latest(path) == 4)

    // Forward again to version 3 (the overwrite), then back to 0.
    #expect(try Maintenance.restore(path: path, to: .version(3)).version == 5)
    #expect(try WriteFixtures.rows(path) == [#"{"id":100}"#, #"{"id":101}"#])
    #expect(try Maintenance.restore(path: path, to: .version(0)).version == 6)
    #expect(try WriteFixtures.rows(path) == [#"{"id":1}"#, #"{"id":2}"#, #"{"id":3}"#])

    // Versions that do not exist.
    Self.expectError(.invalidArgument, containing: ["99", "6"]) { try Maintenance.restore(path: path, to: .version(99)) }
    Self.expectError(.invalidArgument, containing: ["-1"]) { try Maintenance.restore(path: path, to: .version(-1)) }
    #expect(try Self.latest(path) == 6)
  }

  @Test func restoreByTimestamp() throws {
    let path = try Self.restoreTable()
    let times = try DeltaTable.open(path: path).commitTimestamps()
    let two = try #require(times.first { $0.version == 2 }?.timestamp)
    let result = try Maintenance.restore(path: path, to: .timestamp(two))
    #expect(result.restoredVersion == 2 && result.version == 4)
    #expect(try WriteFixtures.rows(path) == (try Self.rows(path, version: 2)))
    #expect(try WriteFixtures.rows(path).count == 6)
    #expect(try DeltaTable.open(path: path).history(limit: 1).first?.commitInfo?.operationParameters["timestamp"] != nil)
    // Before the first commit: an error, nothing committed.
    let first = try #require(times.first?.timestamp)
    Self.expectError(.versionNotFound, containing: ["before"]) {
      try Maintenance.restore(path: path, to: .timestamp(first - 86_400_000))
    }
    #expect(try Self.latest(path) == 4)
  }

  @Test func restoreBringsBackTheSchema() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1]))])])
    var merge = WriteOptions()
    merge.mergeSchema = true
    try TableWriter.write(
      path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([2])), ("tag", WriteFixtures.string(["t"]))])],
      options: merge)
    let result = try Maintenance.restore(path: path, to: .version(0))
    #expect(result.version == 2 && result.filesRemoved == 1 && result.filesRestored == 0)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.schema.fields.map(\.name) == ["id"])
    #expect(try WriteFixtures.rows(path) == [#"{"id":1}"#])
    #expect(try Self.commitActions(path, version: 2).contains { $0["metaData"] != nil })
  }

  @Test func restoreRefusesWhenVacuumDeletedAFileItNeeds() throws {
    let (path, removed, _) = try Self.overwrittenTable()
    var vacuum = VacuumOptions(retentionHours: 0, force: true)
    vacuum.now = Self.nowMilliseconds() + 2000
    #expect(try Maintenance.vacuum(path: path, options: vacuum).files == removed.sorted())
    let version = try Self.latest(path)
    let rows = try WriteFixtures.rows(path)
    Self.expectError(.missingFile, containing: ["VACUUM", "version 0"]) {
      try Maintenance.restore(path: path, to: .version(0))
    }
    #expect(try Self.latest(path) == version)
    #expect(try WriteFixtures.rows(path) == rows)
    // Restoring to the current files' version still works (nothing to bring back).
    #expect(try Maintenance.restore(path: path, to: .version(1)).version == nil)
  }

  @Test func optimizeThenRestoreAndTimeTravel() throws {
    let path = try Self.smallFilesTable(appends: 3)
    let before = try WriteFixtures.rows(path)
    let optimized = try Maintenance.optimize(path: path)
    let version = try #require(optimized.version)
    // Restoring to before the OPTIMIZE swaps the files back; rows never change.
    let restored = try Maintenance.restore(path: path, to: .version(version - 1))
    #expect(restored.filesRestored == 9 && restored.filesRemoved == 3)
    #expect(try WriteFixtures.rows(path) == before)
    #expect(try DeltaTable.open(path: path).snapshot().files.count == 9)
    // And the compaction can be redone.
    #expect(try Maintenance.optimize(path: path).filesAdded == 3)
    #expect(try WriteFixtures.rows(path) == before)
  }
}

/// Strings collected from several threads.
final class MaintenanceErrors: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func append(_ item: String) {
    lock.lock()
    items.append(item)
    lock.unlock()
  }
  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}

/// Rows of tables after OPTIMIZE, VACUUM and RESTORE as delta-rs and DuckDB read them.
@Suite(.serialized) struct MaintenanceInteropTests {
  static func flowsBatch(_ start: Int, count: Int) throws -> RecordBatch {
    let ids = (start..<start + count).map { Int64($0) }
    return try WriteFixtures.batch([
      ("id", WriteFixtures.int64(ids)),
      ("src", WriteFixtures.string(ids.map { $0 % 7 == 0 ? nil : "10.0.\($0 % 13).\($0 % 251)" })),
      ("port", WriteFixtures.int32(ids.map { $0 % 5 == 0 ? nil : Int32(($0 * 7919) % 65536) })),
      ("ts", WriteFixtures.timestamp(ids.map { $0 % 6 == 0 ? nil : 1_700_000_000_000_000 + $0 * 1_000_003 })),
      ("p", WriteFixtures.string(ids.map { $0 % 4 == 0 ? nil : $0 % 4 == 1 ? "a b" : "c=d" })),
    ])
  }

  @Test(.enabled(if: WriteInteropTests.available))
  func compactionClusteringVacuumAndRestoreKeepTheOracleRows() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.partitionBy = ["p"]
    try TableWriter.write(path: path, batches: [try Self.flowsBatch(0, count: 40)], options: options)
    let atZero = try WriteInteropTests.oracleRows(path)
    #expect(atZero.count == 40)
    for n in 1..<6 { try TableWriter.write(path: path, batches: [try Self.flowsBatch(n * 40, count: 40)], options: options) }
    let before = try WriteInteropTests.oracleRows(path)
    #expect(before.count == 240)
    let ours = try WriteFixtures.rows(path)

    let compacted = try Maintenance.optimize(path: path)
    #expect(compacted.filesAdded == 3)
    #expect(try WriteInteropTests.oracleRows(path) == before)

    var zorder = OptimizeOptions()
    zorder.zOrderBy = ["src", "port", "ts"]
    zorder.curve = .hilbert
    zorder.maxRowsPerFile = 25
    let clustered = try Maintenance.optimize(path: path, options: zorder)
    #expect(clustered.version != nil && clustered.filesAdded >= 9)
    #expect(try WriteInteropTests.oracleRows(path) == before)
    #expect(try WriteFixtures.rows(path) == ours)

    var vacuum = VacuumOptions(retentionHours: 0, force: true)
    vacuum.now = Int64(Date().timeIntervalSince1970 * 1000) + 2000
    let vacuumed = try Maintenance.vacuum(path: path, options: vacuum)
    #expect(vacuumed.files.count == 18 + 3)
    #expect(try WriteInteropTests.oracleRows(path) == before)

    // Restore to the (compacted, clustered) version before the vacuum commits: same rows.
    let clusteredVersion = try #require(clustered.version)
    #expect(try Maintenance.restore(path: path, to: .version(clusteredVersion)).version == nil)
    // And to a version whose files are gone: refused.
    #expect(throws: DeltaError.self) { try Maintenance.restore(path: path, to: .version(0)) }

    // A fresh table restored to its first version.
    let other = WriteFixtures.temporaryTable()
    try TableWriter.write(path: other, batches: [try Self.flowsBatch(0, count: 40)], options: options)
    try TableWriter.write(path: other, batches: [try Self.flowsBatch(40, count: 40)], options: options)
    var overwrite = options
    overwrite.mode = .overwrite
    try TableWriter.write(path: other, batches: [try Self.flowsBatch(500, count: 3)], options: overwrite)
    try Maintenance.restore(path: other, to: .version(0))
    #expect(try WriteInteropTests.oracleRows(other) == atZero)
  }
}
