import ArgumentParser
import Columnar
import Foundation
import Parquet
import Storage
import Synthetic

/// `avocet demo`: the foundation at work — synthetic flow logs written to Parquet and read back.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Generate synthetic flow logs, write them as Parquet, read them back and summarise them.")

  @Option(help: "How many flow records to generate.")
  var rows: Int = 1_000_000

  @Option(help: "Folder for the demo's files (created if missing).")
  var output: String = "avocet-demo"

  @Option(help: "Random seed; the same seed gives the same data.")
  var seed: UInt64 = 42

  func validate() throws {
    guard rows > 0 else { throw ValidationError("--rows must be at least 1, not \(rows)") }
  }

  func run() throws {
    try reportingErrors {
      try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
      let path = "\(output)/flows.parquet"
      try? FileManager.default.removeItem(atPath: path)
      var out = StandardOutput()
      out.write("Avocet demo: \(rows) synthetic flow records (seed \(seed)) → \(path)\n\n")
      out.flush()

      var clock = Stopwatch()
      var generator = NetflowGenerator(rows: rows, seed: seed, days: 7)
      var writer = try ParquetFileWriter(
        file: try LocalWritableFile(path: path), schema: NetflowGenerator.schema, options: ParquetWriteOptions())
      while let batch = generator.next() { try writer.write(batch) }
      let metadata = try writer.close()
      let writeSeconds = clock.seconds
      let size = try LocalFile(path: path).size
      out.write(
        "wrote    \(rows) rows, \(metadata.rowGroups.count) row groups, \(formatBytes(size)) (SNAPPY) in \(formatSeconds(writeSeconds))"
          + "  [\(formatCount(Double(rows) / writeSeconds)) rows/s, generation included]\n")

      clock.restart()
      let reader = try ParquetFileReader(path: path)
      var readRows = 0
      var actionCounts: [String: Int] = [:]
      var inboundBytes: Int64 = 0
      for group in 0..<reader.rowGroupCount {
        let batch = try reader.readRowGroup(group)
        readRows += batch.rowCount
        Self.tally(batch, actions: &actionCounts, inboundBytes: &inboundBytes)
      }
      let readSeconds = clock.seconds
      out.write(
        "read     \(readRows) rows, all \(reader.schema.schema.fields.count) columns in \(formatSeconds(readSeconds))"
          + "  [\(formatCount(Double(readRows) / readSeconds)) rows/s, \(formatBytes(Int(Double(size) / readSeconds)))/s]\n\n")

      out.write("events by action:\n")
      for (action, count) in actionCounts.sorted(by: { $0.value > $1.value }) {
        out.write("  \(action.padding(toLength: 6, withPad: " ", startingAt: 0)) \(count)\n")
      }
      out.write("inbound traffic: \(formatBytes(Int(inboundBytes)))\n\n")

      out.write("column chunks of row group 0 (statistics let readers skip data):\n")
      for (leaf, chunk) in (metadata.rowGroups.first?.columns ?? []).enumerated() {
        guard let column = chunk.metaData else { continue }
        let name = column.pathInSchema.joined(separator: ".").padding(toLength: 14, withPad: " ", startingAt: 0)
        let encodings = column.encodings.map(\.description).joined(separator: ",")
        let stats = reader.statistics(rowGroup: 0, leaf: leaf)
        let bounds = stats.min.map { ValueRenderer.text($0, row: 0) }.map { "\($0) … " } ?? ""
        let upper = stats.max.map { ValueRenderer.text($0, row: 0) } ?? ""
        let shortBounds = (bounds + upper).count > 60 ? String((bounds + upper).prefix(57)) + "…" : bounds + upper
        out.write("  \(name) \(formatBytes(Int(column.totalCompressedSize)).padding(toLength: 9, withPad: " ", startingAt: 0)) [\(encodings)] \(shortBounds)\n")
      }
      out.write("\nfirst rows:\n")
      let first = try reader.readRowGroup(0)
      var formatter = RowFormatter(format: .table)
      formatter.write(first, rows: 0..<min(5, first.rowCount))
      out.flush()
      formatter.finish(schema: first.schema)
      out.write("\nTry: avocet cat \(path) --limit 5 --format table   |   avocet parquet meta \(path)\n")
      out.flush()
    }
  }

  /// Counts events per action and sums inbound bytes, straight off the columnar buffers.
  static func tally(_ batch: RecordBatch, actions: inout [String: Int], inboundBytes: inout Int64) {
    guard let action = batch.column(named: "action"), let direction = batch.column(named: "direction"),
      let bytes = batch.column(named: "total_bytes"), case .int64(let byteValues) = bytes.storage
    else { return }
    if case .dictionary(let indices, let dictionary) = action.storage {
      var counts = [Int](repeating: 0, count: dictionary.count)
      for index in indices { counts[Int(index)] += 1 }
      for (entry, count) in counts.enumerated() where count > 0 {
        actions[ValueRenderer.text(dictionary, row: entry), default: 0] += count
      }
    } else {
      for row in 0..<action.count { actions[ValueRenderer.text(action, row: row), default: 0] += 1 }
    }
    // Compare the dictionary once, then test indices per row.
    if case .dictionary(let indices, let dictionary) = direction.storage {
      let inbound = (0..<dictionary.count).map { ValueRenderer.text(dictionary, row: $0) == "in" }
      for (row, index) in indices.enumerated() where inbound[Int(index)] { inboundBytes &+= byteValues[row] }
    } else {
      for row in 0..<direction.count where ValueRenderer.text(direction, row: row) == "in" {
        inboundBytes &+= byteValues[row]
      }
    }
  }
}
