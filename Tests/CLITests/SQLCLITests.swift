import Foundation
import Parquet
import Testing

/// `avocet sql` as a user runs it: tables by name and inline, output formats, scripts, errors.
@Suite struct SQLCLITests {
  static func table() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-sqlcli-\(UUID().uuidString)").path
    let made = try CLITests.avocet("generate", "netflow", "--rows", "3000", "--days", "3", "--table", path)
    #expect(made.status == 0, "\(made.stderr)")
    return path
  }

  @Test func formatsAndNamedTables() throws {
    let path = try Self.table()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let query = "SELECT day, count(*) AS n FROM flows GROUP BY day ORDER BY day"
    let table = try CLITests.avocet("sql", "--table", "flows=\(path)", query)
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("day | n"))
    #expect(table.stdout.contains("(3 rows)"))
    let csv = try CLITests.avocet("sql", "--table", "flows=\(path)", "--format", "csv", query)
    #expect(csv.stdout == "day,n\n1,1000\n2,1000\n3,1000\n")
    let jsonl = try CLITests.avocet("sql", "--format", "jsonl", "SELECT count(*) AS n FROM delta.`\(path)`")
    #expect(jsonl.stdout == "{\"n\":3000}\n")

    let output = path + "-result.parquet"
    defer { try? FileManager.default.removeItem(atPath: output) }
    let parquet = try CLITests.avocet(
      "sql", "--format", "parquet", "--output", output, "SELECT * FROM delta_scan('\(path)') WHERE day = 2")
    #expect(parquet.status == 0, "\(parquet.stderr)")
    #expect(try ParquetFileReader(path: output).rowCount == 1000)
  }

  @Test func csvAndJSONLinesEscapeAndFormatValues() throws {
    let query = """
      SELECT 'a,b' AS "x,1", 'say "hi"' AS q, NULL AS z, 'one\r\ntwo' AS crlf, true AS t,
        TIMESTAMP '2024-03-05 07:08:09.012345' AS ts, 1234567890123 AS big, -42 AS neg
      """
    let csv = try CLITests.avocet("sql", "--format", "csv", query)
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(
      csv.stdout
        == "\"x,1\",q,z,crlf,t,ts,big,neg\n\"a,b\",\"say \"\"hi\"\"\",,\"one\r\ntwo\",true,2024-03-05T07:08:09.012345,1234567890123,-42\n")
    let jsonl = try CLITests.avocet("sql", "--format", "jsonl", query)
    #expect(jsonl.status == 0, "\(jsonl.stderr)")
    #expect(
      jsonl.stdout
        == "{\"x,1\":\"a,b\",\"q\":\"say \\\"hi\\\"\",\"z\":null,\"crlf\":\"one\\r\\ntwo\",\"t\":true,\"ts\":\"2024-03-05T07:08:09.012345\",\"big\":1234567890123,\"neg\":-42}\n")
  }

  @Test func tablesAlignClipAndShowNulls() throws {
    let result = try CLITests.avocet("sql", "SELECT 'héllo' AS a, NULL AS b, 'x\ny' AS c, repeat('ab', 40) AS d")
    #expect(result.status == 0, "\(result.stderr)")
    let clipped = String(String(repeating: "ab", count: 40).prefix(47)) + "…"
    let expected = [
      "a     | b    | c    | d" + String(repeating: " ", count: 47),
      "------+------+------+-" + String(repeating: "-", count: 48),
      "héllo | NULL | x\\ny | " + clipped,
      "(1 row)",
    ]
    #expect(result.stdout == expected.joined(separator: "\n") + "\n")
  }

  @Test func scriptsViewsAndExplainAnalyze() throws {
    let path = try Self.table()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let script = path + ".sql"
    defer { try? FileManager.default.removeItem(atPath: script) }
    try """
      CREATE VIEW blocked AS SELECT * FROM delta_scan('\(path)') WHERE action = 'block';
      -- a comment; with a semicolon
      EXPLAIN ANALYZE SELECT count(*) FROM blocked WHERE day = 3;
      """.write(toFile: script, atomically: true, encoding: .utf8)
    let result = try CLITests.avocet("sql", "-f", script)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("view blocked created"))
    #expect(result.stdout.contains("files: 3 in table, 2 pruned by partition, 0 skipped by statistics, 1 read"))
    #expect(result.stdout.contains("rows read: 1,000"))
    #expect(result.stdout.contains("HashAggregate"))
  }

  @Test func errorsPointAtTheSpot() throws {
    let path = try Self.table()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let typo = try CLITests.avocet("sql", "--table", "flows=\(path)", "SELECT client_ipp FROM flows")
    #expect(typo.status == 1)
    #expect(typo.stderr.contains("line 1, column 8: unknown column 'client_ipp' (did you mean 'client_ip'?)"))
    #expect(typo.stderr.contains("       ^"))
    let syntax = try CLITests.avocet("sql", "SELECT count(* FROM t")
    #expect(syntax.status == 1)
    #expect(syntax.stderr.contains("line 1, column 16"))
    let missing = try CLITests.avocet("sql", "SELECT * FROM delta_scan('/nonexistent/table')")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("/nonexistent/table"))
    let badFlag = try CLITests.avocet("sql", "--memory-limit", "lots", "SELECT 1")
    #expect(badFlag.status != 0)
    #expect(badFlag.stderr.contains("--memory-limit"))
    let limited = try CLITests.avocet(
      "sql", "--memory-limit", "64KB", "SELECT event_id, count(*) FROM delta_scan('\(path)') GROUP BY event_id")
    #expect(limited.status == 1)
    #expect(limited.stderr.contains("memory limit"))
  }

  @Test func shellReadsStatementsFromStandardInput() throws {
    let path = try Self.table()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = ["sql", "--table", "flows=\(path)", "--format", "csv"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data("SELECT count(*) AS n\nFROM flows;\nSELECT 1 + 1 AS two;\n".utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: data, as: UTF8.self) == "n\n3000\ntwo\n2\n")
  }
}
