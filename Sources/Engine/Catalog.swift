import Delta
import SQLParser

/// The names a session knows: tables registered with `--table name=path` and views made with
/// `CREATE VIEW`.
struct Catalog: Sendable {
  enum Entry: Sendable {
    /// A Delta table directory, or a Parquet file or glob.
    case path(String)
    case view(Query, columns: [Identifier])
  }

  private(set) var entries: [String: Entry] = [:]
  /// Names in the case they were registered with, for listings.
  private(set) var displayNames: [String: String] = [:]

  mutating func register(_ name: String, _ entry: Entry) {
    entries[name.lowercased()] = entry
    displayNames[name.lowercased()] = name
  }

  func entry(_ name: String) -> Entry? { entries[name.lowercased()] }

  var names: [String] { displayNames.values.sorted() }

  /// Opens the table or Parquet files at `path` (a Delta table directory, or a Parquet file or
  /// glob), at a version or timestamp when asked.
  static func source(path: String, version: Int64? = nil, timestamp: Int64? = nil) throws(EngineError) -> ScanSource {
    if DeltaTable.isDeltaTable(path: path) {
      do {
        let table = try DeltaTable.open(path: path)
        if let version { return .delta(try table.snapshot(version: version)) }
        if let timestamp { return .delta(try table.snapshot(timestamp: timestamp)) }
        return .delta(try table.snapshot())
      } catch {
        throw EngineError(.table, error.description)
      }
    }
    if version != nil || timestamp != nil {
      throw EngineError(.table, "'\(path)' is not a Delta table, so it has no versions to travel to")
    }
    if path.hasSuffix(".parquet") || path.contains("*") || path.contains("?") {
      return .parquet(try ParquetFiles(pattern: path))
    }
    throw EngineError(.table, "'\(path)' is not a Delta table (no _delta_log directory) nor a Parquet file")
  }
}
