import Foundation
import Testing

/// `avocet optimize`, `vacuum`, `restore`, the same statements in `avocet sql`, and
/// `avocet bench skipping`, run as a user would.
@Suite(.serialized) struct MaintenanceCLITests {
  static func avocet(_ arguments: String...) throws -> CLITests.Result { try CLITests.avocet(arguments) }

  /// A table of three appends of 3,000 flow rows over two days (six small files).
  static func smallFilesTable() throws -> String {
    let table = WriteCLITests.folder("maintenance") + "/flows"
    for seed in 1...3 {
      let result = try avocet("generate", "netflow", "--rows", "3000", "--table", table, "--seed", "\(seed)", "--days", "2")
      try #require(result.status == 0, "\(result.stderr)")
    }
    return table
  }

  static func totals(_ table: String) throws -> String {
    let result = try avocet(
      "sql", "SELECT count(*), sum(total_bytes), count(DISTINCT event_id) FROM delta.`\(table)`", "--format", "csv")
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
  }

  static func liveFiles(_ table: String) throws -> Int {
    let result = try avocet("files", table)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").count
  }

  @Test func optimizeCompactsThenDoesNothingAndKeepsRows() throws {
    let table = try Self.smallFilesTable()
    let before = try Self.totals(table)
    #expect(try Self.liveFiles(table) == 6)

    let first = try Self.avocet("optimize", table, "--where", "day = 1")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("3 files"), "\(first.stdout)")
    #expect(try Self.liveFiles(table) == 4)
    let all = try Self.avocet("optimize", table)
    #expect(all.status == 0, "\(all.stderr)")
    #expect(try Self.liveFiles(table) == 2)
    let again = try Self.avocet("optimize", table)
    #expect(again.status == 0)
    #expect(again.stdout.contains("nothing to optimize"), "\(again.stdout)")
    #expect(try Self.totals(table) == before)

    let history = try Self.avocet("history", table, "--limit", "2")
    #expect(history.stdout.split(separator: "\n").allSatisfy { $0.contains("OPTIMIZE") }, "\(history.stdout)")
    #expect(history.stdout.contains("numRemovedFiles=3"), "\(history.stdout)")
  }

  @Test func zorderAndHilbertKeepRowsAndRecordTheCurve() throws {
    let table = try Self.smallFilesTable()
    let before = try Self.totals(table)
    let z = try Self.avocet("optimize", table, "--zorder-by", "client_ip,internal_port", "--max-rows-per-file", "1000")
    #expect(z.status == 0, "\(z.stderr)")
    #expect(try Self.liveFiles(table) == 10)
    let h = try Self.avocet("sql", "OPTIMIZE delta.`\(table)` ZORDER BY (client_ip, client_port) USING HILBERT")
    #expect(h.status == 0, "\(h.stderr)")
    #expect(h.stdout.contains("files_added"), "\(h.stdout)")
    #expect(try Self.totals(table) == before)
    let history = try Self.avocet("history", table, "--limit", "2")
    #expect(history.stdout.contains("curve=hilbert"), "\(history.stdout)")
    #expect(history.stdout.contains("zOrderBy=[\"client_ip\",\"internal_port\"]"), "\(history.stdout)")
  }

  @Test func badArgumentsGetClearErrors() throws {
    let table = try Self.smallFilesTable()
    DeltaCLITests.expectOneLineError(try Self.avocet("optimize", table, "--zorder-by", "nope"), "no column 'nope'")
    DeltaCLITests.expectOneLineError(try Self.avocet("optimize", table, "--zorder-by", "day"), "partition column")
    DeltaCLITests.expectOneLineError(
      try Self.avocet("optimize", table, "--where", "client_port = 3"), "may only use partition columns")
    let curve = try Self.avocet("optimize", table, "--zorder-by", "client_ip", "--curve", "peano")
    #expect(curve.status != 0 && curve.stderr.contains("zorder or hilbert"), "\(curve.stderr)")
    DeltaCLITests.expectOneLineError(try Self.avocet("vacuum", table, "--retain-hours", "1"), "deletedFileRetentionDuration")
    DeltaCLITests.expectOneLineError(try Self.avocet("restore", table, "--version", "99"), "versions up to 2")
    let sql = try Self.avocet("sql", "OPTIMIZE delta.`\(table)` WHERE day + 1 = 2")
    #expect(sql.status == 1 && sql.stderr.contains("cannot select partitions"), "\(sql.stderr)")
    #expect(try Self.liveFiles(table) == 6, "a failed command changed the table")
  }

  @Test func vacuumAfterOptimizeAndRestoreRoundTrip() throws {
    let table = try Self.smallFilesTable()
    let before = try Self.totals(table)
    #expect(try Self.avocet("optimize", table).status == 0)

    let dry = try Self.avocet("vacuum", table, "--retain-hours", "0", "--force", "--dry-run")
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout.split(separator: "\n").count == 6, "\(dry.stdout)")
    #expect(dry.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("year=2024/month=1/day=") }, "\(dry.stdout)")
    #expect(dry.stderr.contains("would delete 6 files"), "\(dry.stderr)")
    let sqlDry = try Self.avocet("sql", "VACUUM delta.`\(table)` DRY RUN", "--format", "csv")
    #expect(sqlDry.stdout == "would_delete\n", "default retention keeps yesterday's files: \(sqlDry.stdout)")

    // Restore to version 1 while the files are still there: a new version equal to version 1.
    let restored = try Self.avocet("restore", table, "--version", "1")
    #expect(restored.status == 0, "\(restored.stderr)")
    let atOne = try Self.avocet(
      "sql", "SELECT count(*) FROM delta.`\(table)` VERSION AS OF 1", "--format", "csv")
    let now = try Self.avocet("sql", "SELECT count(*) FROM delta.`\(table)`", "--format", "csv")
    #expect(atOne.stdout == now.stdout && now.stdout == "count_star()\n6000\n", "\(atOne.stdout) \(now.stdout)")
    let back = try Self.avocet("sql", "RESTORE TABLE delta.`\(table)` TO VERSION AS OF 2", "--format", "csv")
    #expect(back.status == 0, "\(back.stderr)")
    #expect(try Self.totals(table) == before)

    // The table now holds the three original files again; vacuum with no retention deletes
    // the two compacted ones, so restoring the compacted version 3 is refused.
    let vacuum = try Self.avocet("vacuum", table, "--retain-hours", "0", "--force")
    #expect(vacuum.status == 0, "\(vacuum.stderr)")
    #expect(vacuum.stdout.split(separator: "\n").count == 2, "\(vacuum.stdout)")
    #expect(try Self.totals(table) == before)
    let refused = try Self.avocet("restore", table, "--version", "3")
    DeltaCLITests.expectOneLineError(refused, "no longer exist")
    let history = try Self.avocet("history", table, "--limit", "2")
    #expect(history.stdout.contains("VACUUM END") && history.stdout.contains("VACUUM START"), "\(history.stdout)")
  }

  @Test func skippingBenchReportsEveryLayout() throws {
    let result = try Self.avocet("bench", "skipping", "--files", "10", "--rows-per-file", "100", "--queries", "20", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    let layouts = try result.stdout.split(separator: "\n").map { try DeltaCLITests.object($0) }
    #expect(layouts.map { $0["layout"] as? String ?? "" } == [
      "random", "sorted by all four", "z-order (4 columns)", "z-order (src_ip, dst_ip)", "hilbert (4 columns)",
      "hilbert (src_ip, dst_ip)",
    ])
    let average = layouts.map { ($0["average_ips"] as? NSNumber)?.doubleValue ?? -1 }
    // Clustering on the IP columns must beat the random layout by far, even on 10 files.
    #expect(average[0] < 0.2 && average[3] > 0.4 && average[5] > 0.4, "\(average)")
  }
}
