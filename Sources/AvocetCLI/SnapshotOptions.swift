import ArgumentParser
import Delta

/// `--version N` / `--timestamp T`: which snapshot of a Delta table a command reads.
struct SnapshotOptions: ParsableArguments {
  @Option(help: "Read this version instead of the latest.")
  var version: Int64?

  @Option(help: "Read the version current at this time (epoch milliseconds, a date or an ISO 8601 timestamp).")
  var timestamp: String?

  func validate() throws {
    if version != nil && timestamp != nil { throw ValidationError("give --version or --timestamp, not both") }
  }

  /// The chosen snapshot of the table at `path`.
  func snapshot(of path: String) throws -> Snapshot {
    try TableSelection.snapshot(try DeltaTable.open(path: path), version: version, timestamp: timestamp)
  }
}
