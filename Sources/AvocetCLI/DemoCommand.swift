import ArgumentParser
import Columnar
import Delta
import Engine
import Foundation
import Synthetic

/// `avocet demo`: the seed blog's workflow — synthetic flow logs into a partitioned Delta table,
/// then the five hunting queries, with their timings and what data skipping saved.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Write synthetic flow logs to a partitioned Delta table and hunt in them with SQL.")

  @Option(help: "How many flow records to generate.")
  var rows: Int = 250_000

  @Option(help: "Folder for the demo's table (created if missing; the table is replaced).")
  var output: String = "avocet-demo"

  @Option(help: "Random seed; the same seed gives the same data.")
  var seed: UInt64 = 42

  @Option(help: "Days the events span (one partition per day).")
  var days: Int = 7

  func validate() throws {
    guard rows > 0 else { throw ValidationError("--rows must be at least 1, not \(rows)") }
    guard days > 0 else { throw ValidationError("--days must be at least 1, not \(days)") }
  }

  /// The seed blog's queries, with `{path}` for the table.
  static let queries: [(title: String, sql: String)] = [
    ("a: daily volumes", """
      SELECT year, month, day, COUNT(*) AS event_count FROM delta_scan('{path}')
      GROUP BY year, month, day ORDER BY year DESC, month DESC, day DESC
      """),
    ("b: unique allowed inbound sources not hitting web ports", """
      SELECT DISTINCT client_ip FROM delta_scan('{path}')
      WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443)
      """),
    ("c: top 20 suspicious external IPs", """
      SELECT client_ip, COUNT(*) AS event_count FROM delta_scan('{path}')
      WHERE direction = 'in' AND action NOT IN ('block', 'drop') AND internal_port NOT IN (80, 443)
      GROUP BY client_ip ORDER BY event_count DESC, client_ip LIMIT 20
      """),
    ("d: blocked HTTPS per internal host, with a window function", """
      SELECT event_time, client_ip, internal_ip, internal_port, client_port,
             ROW_NUMBER() OVER (PARTITION BY internal_ip ORDER BY event_time DESC) AS row_num
      FROM delta_scan('{path}') WHERE action = 'block' AND internal_port = 443
      """),
    ("e: largest outbound transfers", """
      SELECT client_ip, SUM(total_bytes) AS total_transfer FROM delta_scan('{path}')
      WHERE action NOT IN ('block', 'drop') AND direction = 'out'
      GROUP BY client_ip ORDER BY total_transfer DESC LIMIT 10
      """),
  ]

  func run() throws {
    try reportingErrors {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
      let table = (output as NSString).appendingPathComponent("flows")
      var out = StandardOutput()
      out.write("Avocet demo: \(rows) synthetic flow records over \(days) days (seed \(seed)) → Delta table \(table)\n\n")
      out.flush()

      var clock = Stopwatch()
      var generator = NetflowGenerator(rows: rows, seed: seed, days: days)
      var options = WriteOptions(mode: .overwrite)
      options.partitionBy = ["year", "month", "day"]
      let writer = try TableWriter(path: table, schema: NetflowGenerator.schema, options: options)
      while let batch = generator.next() { try writer.write(batch) }
      let written = try writer.commit()
      let snapshot = try DeltaTable.open(path: table).snapshot()
      let tableBytes = snapshot.files.reduce(Int64(0)) { $0 + $1.size }
      out.write(
        "wrote    \(written.rowsWritten) rows in \(written.filesAdded) files (\(formatBytes(Int(tableBytes))), partitioned by year/month/day) "
          + "as version \(snapshot.version) in \(formatSeconds(clock.seconds))\n")
      out.flush()

      let session = Session()
      try session.register("flows", path: table)
      for (title, template) in Self.queries {
        let sql = template.replacingOccurrences(of: "{path}", with: table)
        try runQuery(title: title, sql: sql, session: session, tableBytes: tableBytes, out: &out)
      }
      out.write("\nData skipping at work — filters on partitions and on file statistics read less:\n")
      let start = "\(snapshot.files.compactMap { $0.partitionValues["day"] }.sorted().last ?? "1")"
      let hunts: [(String, String)] = [
        ("one day's blocked traffic (partition pruning)", """
          SELECT action, count(*) AS events FROM flows WHERE year = 2024 AND month = 1 AND day = \(start) GROUP BY action ORDER BY events DESC
          """),
        ("the last 12 hours (file statistics on event_time)", """
          SELECT count(*) AS events, count(DISTINCT client_ip) AS sources FROM flows
          WHERE event_time >= (SELECT max(event_time) FROM flows) - INTERVAL 12 HOUR
          """),
        ("private hosts reached from a suspicious /8 (IP functions)", """
          SELECT internal_ip, count(*) AS hits FROM flows
          WHERE is_private_ip(internal_ip) AND cidr_contains('45.0.0.0/8', client_ip)
          GROUP BY internal_ip ORDER BY hits DESC, internal_ip LIMIT 5
          """),
      ]
      for (title, sql) in hunts {
        try runQuery(title: title, sql: sql, session: session, tableBytes: tableBytes, out: &out)
      }
      out.write(
        """

        Next: avocet sql --table flows=\(table)            (interactive shell; .help for commands)
              avocet sql --table flows=\(table) "EXPLAIN ANALYZE SELECT count(*) FROM flows WHERE day = \(start)"

        """)
      out.flush()
    }
  }

  func runQuery(title: String, sql: String, session: Session, tableBytes: Int64, out: inout StandardOutput) throws {
    out.write("\n── \(title)\n")
    for line in sql.split(separator: "\n") { out.write("   \(line)\n") }
    out.flush()
    let result: QueryResult
    do { result = try session.execute(sql) } catch { throw CLIError(error.rendered(sql: sql)) }
    let shown = 10
    var formatter = RowFormatter(format: .table)
    var remaining = shown
    for batch in result.batches where batch.rowCount > 0 && remaining > 0 {
      let take = min(remaining, batch.rowCount)
      formatter.write(batch, rows: 0..<take)
      remaining -= take
    }
    formatter.finish(schema: result.schema)
    if result.rowCount > shown { out.write("   … \(result.rowCount) rows in all\n") }
    let seconds = result.elapsed.seconds
    var line = "   time \(formatSeconds(seconds))"
    for scan in result.scans {
      let skipped = scan.filesPrunedByPartition + scan.filesSkippedByStatistics
      line += " · read \(scan.filesRead) of \(scan.files) files"
      if skipped > 0 {
        line += " (\(scan.filesPrunedByPartition) pruned by partition, \(scan.filesSkippedByStatistics) skipped by statistics)"
      }
      line += ", \(scan.rowsRead) rows, \(formatBytes(Int(scan.bytesRead))) of \(formatBytes(Int(tableBytes)))"
    }
    out.write(line + "\n")
    out.flush()
  }
}
