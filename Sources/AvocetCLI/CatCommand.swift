import ArgumentParser
import Columnar
import Delta
import Foundation
import Parquet

extension RowFormat: ExpressibleByArgument {}

/// `avocet cat`: prints the rows of a Parquet file or a Delta table.
struct CatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Print the rows of a Parquet file or a Delta table.",
    discussion: """
      PATH is a Parquet file, or a directory holding a _delta_log (a Delta table). For tables,
      --version and --timestamp read an older snapshot (time travel).
      """)

  @Argument(help: "The Parquet file or Delta table directory to read.")
  var path: String

  @Option(help: "Output format: jsonl, csv or table.")
  var format: RowFormat = .jsonl

  @Option(help: "Comma-separated top-level columns to print, in this order (default: all).")
  var columns: String?

  @Option(help: "Print at most this many rows.")
  var limit: Int?

  @Option(help: "Delta tables: read this version instead of the latest.")
  var version: Int64?

  @Option(
    help: ArgumentHelp(
      "Delta tables: read the version current at this time.",
      discussion:
        "Epoch milliseconds, a date (2024-05-01) or an ISO 8601 timestamp (2024-05-01T10:00:00Z, UTC when it has no zone)."
    ))
  var timestamp: String?

  @Option(
    help: ArgumentHelp(
      "Delta tables: the time zone the writer used for timestamp partition values stored without one (default UTC).",
      valueName: "zone"))
  var writerTimeZone: String?

  func validate() throws {
    if let limit, limit < 0 { throw ValidationError("--limit must be zero or more, not \(limit)") }
    if version != nil && timestamp != nil { throw ValidationError("give --version or --timestamp, not both") }
    if let version, version < 0 { throw ValidationError("--version must be zero or more, not \(version)") }
    if let timestamp, Timestamps.parse(timestamp) == nil {
      throw ValidationError("--timestamp '\(timestamp)' is not epoch milliseconds, a date or an ISO 8601 timestamp")
    }
    if let writerTimeZone, WriterTimeZone(identifier: writerTimeZone) == nil {
      throw ValidationError("--writer-time-zone '\(writerTimeZone)' is not a known time zone")
    }
  }

  private var columnNames: [String]? {
    columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      if DeltaTable.isDeltaTable(path: path) {
        try catTable()
      } else {
        if version != nil || timestamp != nil {
          throw ValidationError("--version and --timestamp apply to Delta tables; \(path) has no _delta_log")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
          throw DeltaError(
            .notATable, "a directory without _delta_log: neither a Delta table nor a Parquet file", path: path)
        }
        try catParquet()
      }
    }
  }

  private func catParquet() throws {
    let reader = try ParquetFileReader.open(path)
    let projection = try columnNames.map { try reader.columnIndices($0) }
    var formatter = RowFormatter(format: format)
    var remaining = limit ?? Int.max
    var schema = reader.schema.schema
    if let projection { schema = Schema(projection.map { reader.schema.schema.fields[$0] }) }
    for group in 0..<reader.rowGroupCount where remaining > 0 && !formatter.outputClosed {
      let batch = try reader.readRowGroup(group, columns: projection)
      let rows = min(batch.rowCount, remaining)
      formatter.write(batch, rows: 0..<rows)
      remaining -= rows
    }
    formatter.finish(schema: schema)
  }

  private func catTable() throws {
    let table = try DeltaTable.open(path: path)
    let snapshot = try TableSelection.snapshot(table, version: version, timestamp: timestamp)
    var options = ScanOptions(columns: columnNames)
    if let writerTimeZone, let zone = WriterTimeZone(identifier: writerTimeZone) { options.writerTimeZone = zone }
    let scan = try snapshot.scan(options)
    var formatter = RowFormatter(format: format)
    var remaining = limit ?? Int.max
    if remaining > 0 {
      try scan.forEachBatch { batch in
        let rows = min(batch.rowCount, remaining)
        formatter.write(batch, rows: 0..<rows)
        remaining -= rows
        return remaining > 0 && !formatter.outputClosed
      }
    }
    formatter.finish(schema: scan.schema)
  }
}

/// Choosing a snapshot from `--version` / `--timestamp`.
enum TableSelection {
  static func snapshot(_ table: DeltaTable, version: Int64?, timestamp: String?) throws -> Snapshot {
    if let version { return try table.snapshot(version: version) }
    if let timestamp {
      guard let milliseconds = Timestamps.parse(timestamp) else {
        throw ValidationError("--timestamp '\(timestamp)' is not epoch milliseconds, a date or an ISO 8601 timestamp")
      }
      return try table.snapshot(timestamp: milliseconds)
    }
    return try table.snapshot()
  }
}
