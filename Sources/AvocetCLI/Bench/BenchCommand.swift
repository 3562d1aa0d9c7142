import ArgumentParser
import Foundation

/// `avocet bench …`: reproducible experiments.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Run reproducible experiments.", subcommands: [SkippingBenchCommand.self])
}

/// `avocet bench skipping`: the data-skipping experiment of the Databricks blog.
struct SkippingBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "skipping",
    abstract:
      "Skipping effectiveness of equality filters on random connection records laid out randomly, sorted, z-ordered and Hilbert-ordered.")

  @Option(help: "Number of files.")
  var files = 100

  @Option(name: .customLong("rows-per-file"), help: "Rows per file.")
  var rowsPerFile = 1000

  @Option(help: "Filter values per column, for random values and for values sampled from the data each.")
  var queries = 200

  @Option(help: "Random seed.")
  var seed: UInt64 = 7

  @Option(help: "Directory for the tables (default: a temporary directory, deleted afterwards).")
  var directory: String?

  @Flag(help: "Print one JSON object per layout instead of a table.")
  var json = false

  func validate() throws {
    guard files >= 1, rowsPerFile >= 1, queries >= 1 else {
      throw ValidationError("--files, --rows-per-file and --queries must be at least 1")
    }
  }

  func run() throws {
    try reportingErrors {
      let scratch = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("avocet-skipping-\(UUID().uuidString)").path
      defer { if directory == nil { try? FileManager.default.removeItem(atPath: scratch) } }
      let experiment = SkippingExperiment(files: files, rowsPerFile: rowsPerFile, queries: queries, seed: seed, directory: scratch)
      let layouts = try experiment.run { printError(label: "bench", "layout: \($0)") }
      var out = StandardOutput()
      let columns = SkippingExperiment.columns
      if json {
        for layout in layouts {
          var fields = ["\"layout\":\"\(layout.name)\""]
          for column in columns {
            let e = layout.effectiveness[column] ?? (0, 0)
            fields.append("\"\(column)\":{\"random\":\(Self.fixed(e.random)),\"sampled\":\(Self.fixed(e.sampled))}")
          }
          fields.append("\"average\":\(Self.fixed(layout.average(columns)))")
          fields.append("\"average_ips\":\(Self.fixed(layout.average(["src_ip", "dst_ip"])))")
          fields.append("\"clustering_seconds\":\(Self.fixed(layout.seconds))")
          out.write("{" + fields.joined(separator: ",") + "}\n")
        }
      } else {
        out.write(
          "skipping effectiveness: \(files) files x \(rowsPerFile) rows, \(queries) random and \(queries) sampled equality filters per column (random/sampled)\n")
        let header = ["layout".padding(26)] + columns.map { $0.padding(15) } + ["average".padding(9), "IP average"]
        out.write(header.joined(separator: " ") + "\n")
        for layout in layouts {
          var cells = [layout.name.padding(26)]
          for column in columns {
            let e = layout.effectiveness[column] ?? (0, 0)
            cells.append("\(Self.fixed(e.random))/\(Self.fixed(e.sampled))".padding(15))
          }
          cells.append(Self.fixed(layout.average(columns)).padding(9))
          cells.append(Self.fixed(layout.average(["src_ip", "dst_ip"])))
          out.write(cells.joined(separator: " ") + "\n")
        }
      }
      out.flush()
    }
  }

  static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
