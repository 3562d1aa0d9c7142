import Foundation
import ArgumentParser
import Columnar
import Parquet

extension RowFormat: ExpressibleByArgument {}

/// `avocet cat`: prints the rows of a Parquet file.
struct CatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cat", abstract: "Print the rows of a Parquet file.")

  @Argument(help: "The Parquet file to read.")
  var path: String

  @Option(help: "Output format: jsonl, csv or table.")
  var format: RowFormat = .jsonl

  @Option(help: "Comma-separated top-level columns to print, in this order (default: all).")
  var columns: String?

  @Option(help: "Print at most this many rows.")
  var limit: Int?

  func validate() throws {
    if let limit, limit < 0 { throw ValidationError("--limit must be zero or more, not \(limit)") }
  }

  func run() throws {
    try reportingErrors {
      let reader = try ParquetFileReader(path: path)
      let names = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      let projection = try names.map { try reader.columnIndices($0) }
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
  }
}
