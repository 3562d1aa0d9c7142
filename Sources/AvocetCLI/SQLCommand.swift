import ArgumentParser
import Columnar
import Engine
import Foundation
import Parquet
import SQLParser
import Storage
import Synchronization

/// `avocet sql`: run SQL over Delta tables and Parquet files.
struct SQLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sql",
    abstract: "Run SQL over Delta tables and Parquet files (an interactive shell without a query).",
    discussion: """
      Tables are named with --table name=path, or inline: delta_scan('path'), delta.`path`,
      read_parquet('glob'). Examples:
        avocet sql "SELECT action, count(*) FROM delta_scan('flows') GROUP BY ALL"
        avocet sql --table flows=./flows "EXPLAIN ANALYZE SELECT count(*) FROM flows WHERE day = 3"
        avocet sql -f hunt.sql --format csv --output hits.csv
        avocet sql --table flows=./flows          (interactive shell)
      """)

  @Argument(help: "The SQL to run (several statements separated by ';').")
  var query: String?

  @Option(name: .customShort("f"), help: "Run the statements of this file.")
  var file: String?

  @Option(name: .customLong("table"), help: "Register a table: name=path (a Delta table, Parquet file or glob). Repeatable.")
  var tables: [String] = []

  @Option(help: "Output format: table, csv, jsonl or parquet (parquet needs --output).")
  var format: SQLOutputFormat = .table

  @Option(help: "Write results to this file instead of standard output.")
  var output: String?

  @Option(name: .customLong("memory-limit"), help: "Memory for hash tables, sorts and joins, e.g. 512MB or 4GB.")
  var memoryLimit: String?

  @Option(help: "Worker threads (default: every core).")
  var threads: Int?

  @Flag(help: "Print each statement's time on standard error.")
  var timer = false

  func validate() throws {
    if query != nil && file != nil { throw ValidationError("give a query or -f FILE, not both") }
    if format == .parquet && output == nil { throw ValidationError("--format parquet needs --output FILE") }
    if let memoryLimit, ByteSize.parse(memoryLimit) == nil {
      throw ValidationError("--memory-limit '\(memoryLimit)' is not a size (write 512MB, 4GB or a number of bytes)")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    for table in tables where !table.contains("=") {
      throw ValidationError("--table '\(table)' must be name=path")
    }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    let session = Session(
      options: SessionOptions(
        memoryLimit: memoryLimit.flatMap(ByteSize.parse), threads: threads,
        progress: isatty(2) == 1 ? ScanProgress.shared.report : nil))
    try reportingErrors {
      for table in tables {
        let parts = table.split(separator: "=", maxSplits: 1).map(String.init)
        do { try session.register(parts[0], path: parts[1]) } catch let error as EngineError {
          throw CLIError("--table \(table): \(error.message)")
        }
      }
    }
    let text: String
    if let query {
      text = query
    } else if let file {
      guard let data = FileManager.default.contents(atPath: file) else {
        printError("cannot read \(file)")
        throw ExitCode(1)
      }
      text = String(decoding: data, as: UTF8.self)
    } else if isatty(0) == 1 {
      var shell = SQLShell(session: session, format: format == .parquet ? .table : format)
      shell.run()
      return
    } else {
      var bytes: [UInt8] = []
      while let line = Swift.readLine(strippingNewline: false) { bytes.append(contentsOf: line.utf8) }
      text = String(decoding: bytes, as: UTF8.self)
    }
    var printer = try ResultPrinter(format: format, output: output)
    do {
      try session.executeScript(text) { (_, result) throws(EngineError) in
        do { try printer.print(result) } catch { throw EngineError(.execution, "\(error)") }
        if timer { printError(label: "time", "\(formatSeconds(result.elapsed.seconds))") }
      }
      try printer.finish()
    } catch let error as EngineError {
      printError(error.rendered(sql: text))
      throw ExitCode(1)
    } catch {
      printError("\(error)")
      throw ExitCode(1)
    }
  }
}

enum SQLOutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
  case table, csv, jsonl, parquet
}

/// An error the CLI reports as is.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// Prints results as text, or collects them into a Parquet file.
struct ResultPrinter {
  let format: SQLOutputFormat
  let output: String?
  private var descriptor: Int32 = 1
  private var parquetBatches: [RecordBatch] = []
  private var parquetSchema: Schema?

  init(format: SQLOutputFormat, output: String?) throws {
    self.format = format
    self.output = output
    if let output, format != .parquet {
      let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard fd >= 0 else { throw CLIError("cannot write \(output)") }
      descriptor = fd
    }
  }

  mutating func print(_ result: QueryResult) throws {
    switch result.kind {
    case .message(let text):
      var out = StandardOutput(descriptor: descriptor)
      out.write(text + "\n")
      out.flush()
    case .explain:
      var out = StandardOutput(descriptor: descriptor)
      out.write(result.explainText + "\n")
      out.flush()
    case .rows:
      if format == .parquet {
        parquetSchema = result.schema
        parquetBatches = result.batches
        return
      }
      let rowFormat: RowFormat = format == .csv ? .csv : (format == .jsonl ? .jsonl : .table)
      var formatter = RowFormatter(format: rowFormat, descriptor: descriptor)
      for batch in result.batches where batch.rowCount > 0 {
        formatter.write(batch, rows: 0..<batch.rowCount)
        if formatter.outputClosed { break }
      }
      formatter.finish(schema: result.schema)
    }
  }

  /// Writes the Parquet file (the last query's rows) and closes the output.
  mutating func finish() throws {
    if format == .parquet, let output, let schema = parquetSchema {
      var writer = try ParquetFileWriter(file: try LocalWritableFile(path: output, overwrite: true), schema: schema)
      for batch in parquetBatches where batch.rowCount > 0 { try writer.write(batch) }
      _ = try writer.close()
    }
    if descriptor != 1 { close(descriptor) }
  }
}

/// Sizes such as `512MB`, `4GB`, `1.5GiB` or a plain number of bytes.
enum ByteSize {
  static func parse(_ text: String) -> Int? {
    let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [
      ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("tib", 1_099_511_627_776),
      ("kb", 1000), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12), ("k", 1024), ("m", 1_048_576), ("g", 1_073_741_824), ("b", 1),
    ]
    for (suffix, scale) in units where lower.hasSuffix(suffix) {
      guard let n = Double(lower.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n > 0 else { return nil }
      return Int(n * scale)
    }
    guard let n = Int(lower), n > 0 else { return nil }
    return n
  }
}

/// "avocet: time: 0.12 s" on standard error.
func printError(label: String, _ message: String) {
  var line = Array("\(label): \(message)\n".utf8)
  line.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
}

/// "scanning 12/30 files" on a terminal's standard error while a long scan runs (after a
/// second), erased when the scan ends.
final class ScanProgress: Sendable {
  static let shared = ScanProgress()
  private let state = Mutex<(start: Double?, shown: Bool)>((nil, false))

  func report(_ done: Int, _ total: Int) {
    state.withLock { state in
      let now = Stopwatch.now()
      if state.start == nil || done == 1 { state.start = now }
      if done >= total {
        if state.shown { Self.write("\r\u{1B}[K") }
        state = (nil, false)
        return
      }
      guard now - (state.start ?? now) > 1 else { return }
      state.shown = true
      Self.write("\rscanning \(done)/\(total) files…\u{1B}[K")
    }
  }

  private static func write(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
  }
}
