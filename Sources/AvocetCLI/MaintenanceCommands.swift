import ArgumentParser
import Delta
import Engine

/// `avocet optimize TABLE`: compaction and clustering.
struct OptimizeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "optimize",
    abstract: "Compact small files of a Delta table, or cluster its rows with --zorder-by (dataChange=false commit).")

  @Argument(help: "The Delta table directory.")
  var table: String

  @Option(name: .customLong("where"), help: "Only partitions matching this SQL condition on partition columns, e.g. \"day >= 20\".")
  var condition: String?

  @Option(name: .customLong("target-size"), help: "Size of the files to write (512MB, 1GB, bytes); default delta.targetFileSize or 100MiB.")
  var targetSize: String?

  @Option(name: .customLong("zorder-by"), help: "Cluster each partition's rows by these columns (comma-separated).")
  var zOrderBy: String?

  @Option(help: "The clustering curve for --zorder-by: zorder or hilbert.")
  var curve: String = "zorder"

  @Option(name: .customLong("max-rows-per-file"), help: "Also start a new file after this many rows.")
  var maxRowsPerFile: Int?

  func validate() throws {
    if let targetSize, ByteSize.parse(targetSize) == nil {
      throw ValidationError("--target-size '\(targetSize)' is not a size (write 512MB, 1GB or a number of bytes)")
    }
    guard ClusteringCurve(rawValue: curve.lowercased()) != nil else {
      throw ValidationError("--curve must be zorder or hilbert, not '\(curve)'")
    }
    if let maxRowsPerFile, maxRowsPerFile < 1 { throw ValidationError("--max-rows-per-file must be at least 1") }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      var options = OptimizeOptions()
      if let condition {
        options.partitionFilter = try Session().partitionPredicate(tablePath: table, condition: condition)
      }
      options.targetFileSize = targetSize.flatMap(ByteSize.parse)
      options.zOrderBy = (zOrderBy ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
      options.curve = ClusteringCurve(rawValue: curve.lowercased()) ?? .zorder
      options.maxRowsPerFile = maxRowsPerFile
      let watch = Stopwatch()
      let result = try Maintenance.optimize(path: table, options: options)
      var out = StandardOutput()
      if let version = result.version {
        out.write(
          "optimized \(table) at version \(version): \(result.filesRemoved) files (\(formatBytes(Int(result.bytesRemoved)))) rewritten as \(result.filesAdded) (\(formatBytes(Int(result.bytesAdded)))), \(result.rowsRewritten) rows in \(result.partitionsOptimized) partitions; \(result.filesSkipped) of \(result.filesConsidered) files left as they were (\(formatSeconds(watch.seconds)))\n"
        )
      } else {
        out.write("nothing to optimize in \(table): \(result.filesConsidered) files considered, none worth rewriting\n")
      }
      out.flush()
    }
  }
}

/// `avocet vacuum TABLE`: delete files no version within retention needs.
struct VacuumCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vacuum",
    abstract: "Delete the files of a Delta table that no version within the retention period references.")

  @Argument(help: "The Delta table directory.")
  var table: String

  @Option(name: .customLong("retain-hours"), help: "Keep files needed by the versions of the last H hours (default: delta.deletedFileRetentionDuration, 168).")
  var retainHours: Double?

  @Flag(name: .customLong("dry-run"), help: "List the files that would be deleted; delete nothing.")
  var dryRun = false

  @Flag(help: "Allow a retention shorter than the table's (readers of older versions may fail).")
  var force = false

  func validate() throws {
    if let retainHours, !(retainHours >= 0) { throw ValidationError("--retain-hours must be zero or more") }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let result = try Maintenance.vacuum(
        path: table, options: VacuumOptions(retentionHours: retainHours, dryRun: dryRun, force: force))
      var out = StandardOutput()
      for file in result.files { out.write(file + "\n") }
      let verb = dryRun ? "would delete" : "deleted"
      let versions = result.endVersion.map { " (commits \(result.startVersion ?? $0) and \($0))" } ?? ""
      printError(
        label: "avocet",
        "vacuum \(verb) \(result.files.count) files (\(result.bytes) bytes) older than the \(Maintenance.hoursText(Int64(result.retentionHours * 3_600_000))) hours retention\(versions)"
      )
      out.flush()
    }
  }
}

/// `avocet restore TABLE --version N | --timestamp T`.
struct RestoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore", abstract: "Make a Delta table equal to an earlier version, as a new commit.")

  @Argument(help: "The Delta table directory.")
  var table: String

  @Option(help: "The version to restore.")
  var version: Int64?

  @Option(help: "Restore the version current at this time (epoch milliseconds, a date or an ISO 8601 timestamp).")
  var timestamp: String?

  func validate() throws {
    guard (version == nil) != (timestamp == nil) else { throw ValidationError("give exactly one of --version and --timestamp") }
    if let timestamp, Timestamps.parse(timestamp) == nil {
      throw ValidationError("--timestamp '\(timestamp)' is not epoch milliseconds, a date or an ISO 8601 timestamp")
    }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let target: RestoreTarget = version.map { .version($0) } ?? .timestamp(Timestamps.parse(timestamp ?? "") ?? 0)
      let result = try Maintenance.restore(path: table, to: target)
      var out = StandardOutput()
      if let committed = result.version {
        out.write(
          "restored \(table) to version \(result.restoredVersion) as version \(committed): \(result.filesRestored) files (\(result.bytesRestored) bytes) brought back, \(result.filesRemoved) (\(result.bytesRemoved) bytes) removed\n"
        )
      } else {
        out.write("\(table) already equals version \(result.restoredVersion); nothing committed\n")
      }
      out.flush()
    }
  }
}
