import Columnar
import Delta
import Expr
import Foundation
import Synthetic

/// The data-skipping experiment of the Databricks blog: a table of `files` × `rowsPerFile` random
/// connection records in several layouts, and for single-column equality filters the fraction of
/// files that the Delta statistics let a scan skip ("skipping effectiveness").
struct SkippingExperiment {
  var files = 100
  var rowsPerFile = 1000
  /// Filter values per column and kind (random values, values sampled from the data).
  var queries = 200
  var seed: UInt64 = 7
  var directory: String

  static let columns = ["src_ip", "src_port", "dst_ip", "dst_port"]

  struct Layout {
    var name: String
    /// Per column: (random values, sampled values).
    var effectiveness: [String: (random: Double, sampled: Double)]
    var seconds: Double

    func average(_ columns: [String]) -> Double {
      let values = columns.compactMap { effectiveness[$0] }.map { ($0.random + $0.sampled) / 2 }
      return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
  }

  func run(progress: (String) -> Void) throws -> [Layout] {
    var generator = ConnectionGenerator(seed: seed)
    let rows = (0..<files * rowsPerFile).map { _ in generator.next() }
    var randomValues: [String: [ScalarValue]] = [:]
    var sampledValues: [String: [ScalarValue]] = [:]
    var picker = ConnectionGenerator(seed: seed &+ 1)
    var index = SplitMix64(seed: seed &+ 2)
    for column in Self.columns {
      randomValues[column] = (0..<queries).map { _ in
        column.hasSuffix("_ip") ? .string(picker.randomIP()) : .int64(Int64(picker.randomPort()))
      }
      sampledValues[column] = (0..<queries).map { _ in
        let row = rows[Int(index.below(UInt64(rows.count)))]
        switch column {
        case "src_ip": return .string(row.srcIP)
        case "src_port": return .int64(Int64(row.srcPort))
        case "dst_ip": return .string(row.dstIP)
        default: return .int64(Int64(row.dstPort))
        }
      }
    }
    let sorted = rows.sorted {
      ($0.srcIP.utf8.lexicographicallyPrecedes($1.srcIP.utf8) || $0.srcIP == $1.srcIP
        && ($0.srcPort, $0.dstIP, $0.dstPort) < ($1.srcPort, $1.dstIP, $1.dstPort))
    }

    let plans: [(String, [Connection], [String], ClusteringCurve)] = [
      ("random", rows, [], .zorder),
      ("sorted by all four", sorted, [], .zorder),
      ("z-order (4 columns)", rows, Self.columns, .zorder),
      ("z-order (src_ip, dst_ip)", rows, ["src_ip", "dst_ip"], .zorder),
      ("hilbert (4 columns)", rows, Self.columns, .hilbert),
      ("hilbert (src_ip, dst_ip)", rows, ["src_ip", "dst_ip"], .hilbert),
    ]
    var layouts: [Layout] = []
    for (number, (name, data, clusterBy, curve)) in plans.enumerated() {
      progress(name)
      let path = directory + "/layout-\(number)"
      var write = WriteOptions(mode: .overwrite)
      write.maxRowsPerFile = rowsPerFile
      write.targetFileSize = Int.max
      try TableWriter.write(path: path, batches: [ConnectionGenerator.batch(data)], options: write)
      let watch = Stopwatch()
      if !clusterBy.isEmpty {
        var options = OptimizeOptions()
        options.zOrderBy = clusterBy
        options.curve = curve
        options.maxRowsPerFile = rowsPerFile
        options.targetFileSize = Int.max
        try Maintenance.optimize(path: path, options: options)
      }
      let seconds = watch.seconds
      let snapshot = try DeltaTable.open(path: path).snapshot()
      var effectiveness: [String: (Double, Double)] = [:]
      for column in Self.columns {
        effectiveness[column] = (
          try Self.skipped(snapshot, column, randomValues[column] ?? []),
          try Self.skipped(snapshot, column, sampledValues[column] ?? [])
        )
      }
      layouts.append(Layout(name: name, effectiveness: effectiveness, seconds: seconds))
    }
    return layouts
  }

  /// The mean fraction of files a `column = value` scan skips on statistics.
  static func skipped(_ snapshot: Snapshot, _ column: String, _ values: [ScalarValue]) throws -> Double {
    guard !values.isEmpty else { return 0 }
    var total = 0.0
    for value in values {
      let scan = try snapshot.scan(ScanOptions(columns: [column], predicate: .comparison([column], .equal, value)))
      total += Double(scan.metrics.filesSkippedByStatistics) / Double(max(1, scan.metrics.totalFiles))
    }
    return total / Double(values.count)
  }
}
