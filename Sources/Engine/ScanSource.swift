public import Columnar
import Delta
public import Expr
import Parquet
import Storage

/// Counters of one scan, for EXPLAIN ANALYZE.
public struct ScanStatistics: Sendable, Hashable {
  public var files = 0
  public var filesPrunedByPartition = 0
  public var filesSkippedByStatistics = 0
  public var filesRead = 0
  public var rowGroups = 0
  public var rowGroupsSkipped = 0
  public var rowsRead = 0
  public var bytesRead: Int64 = 0
  /// Rows the scan filtered as it read them, and those kept (see `RowFilter`).
  public var rowsFiltered = 0
  public var rowsKept = 0

  public init() {}
}

/// Where a table's rows come from: a Delta snapshot or a set of Parquet files.
enum ScanSource: Sendable {
  case delta(Snapshot)
  case parquet(ParquetFiles)

  var schema: Schema {
    switch self {
    case .delta(let snapshot): snapshot.schema
    case .parquet(let files): files.schema
    }
  }

  /// Column names that are partition columns (exact per file, cheap to read).
  var partitionColumns: [String] {
    switch self {
    case .delta(let snapshot): snapshot.partitionColumns
    case .parquet: []
    }
  }

  /// For EXPLAIN: `delta_scan('/data/flows') version 3`.
  var label: String {
    switch self {
    case .delta(let snapshot): "DeltaScan \(snapshot.tableRoot) (version \(snapshot.version))"
    case .parquet(let files): "ParquetScan \(files.pattern) (\(files.paths.count) files)"
    }
  }

  /// Plans the read of `columns` (output order), skipping what `predicate` rules out.
  func plan(columns: [String], predicate: Predicate?) throws(EngineError) -> PlannedScan {
    switch self {
    case .delta(let snapshot):
      do {
        let scan = try snapshot.scan(ScanOptions(columns: columns, predicate: predicate))
        var statistics = ScanStatistics()
        statistics.files = scan.metrics.totalFiles
        statistics.filesPrunedByPartition = scan.metrics.filesPrunedByPartition
        statistics.filesSkippedByStatistics = scan.metrics.filesSkippedByStatistics
        statistics.filesRead = scan.files.count
        return PlannedScan(kind: .delta(scan), unitCount: scan.files.count, schema: scan.schema, statistics: statistics)
      } catch {
        throw EngineError(.table, error.description)
      }
    case .parquet(let files):
      var fields: [Field] = []
      for name in columns {
        guard let field = files.schema.fields.first(where: { $0.name == name }) else {
          throw EngineError(.table, "no column '\(name)' in \(files.pattern)")
        }
        fields.append(field)
      }
      var statistics = ScanStatistics()
      statistics.files = files.paths.count
      statistics.filesRead = files.paths.count
      return PlannedScan(kind: .parquet(files), unitCount: files.paths.count, schema: Schema(fields), statistics: statistics)
    }
  }
}

/// A scan with its files chosen: units (files) that worker threads read independently.
struct PlannedScan: Sendable {
  enum Kind: Sendable {
    case delta(Scan)
    case parquet(ParquetFiles)
  }

  let kind: Kind
  let unitCount: Int
  let schema: Schema
  /// File counts known at planning time; read counters are added as units are read.
  let statistics: ScanStatistics

  /// Whether `read` applies a row filter itself (Delta scans); otherwise the caller filters.
  var appliesRowFilters: Bool {
    if case .delta = kind { return true }
    return false
  }

  /// Reads unit `index`, calling `visit` per batch until it returns false; returns what was read.
  /// A Delta scan visits only the rows `rowFilter` keeps.
  func read(
    _ index: Int, decodeInParallel: Bool, rowFilter: RowFilter? = nil, visit: (RecordBatch) throws(EngineError) -> Bool
  ) throws(EngineError) -> ScanStatistics {
    var read = ScanStatistics()
    switch kind {
    case .delta(let scan):
      var failure: EngineError? = nil
      do {
        let metrics = try scan.read(scan.files[index], decodeColumnsInParallel: decodeInParallel, rowFilter: rowFilter) { batch in
          do { return try visit(batch) } catch {
            failure = (error as? EngineError) ?? EngineError(.execution, "\(error)")
            return false
          }
        }
        read.rowGroups = metrics.rowGroups
        read.rowGroupsSkipped = metrics.rowGroupsSkipped
        read.rowsRead = metrics.rowsRead
        read.bytesRead = metrics.bytesRead
        read.rowsFiltered = metrics.rowsFiltered
        read.rowsKept = metrics.rowsKept
      } catch {
        throw EngineError(.table, "\(error)")
      }
      if let failure { throw failure }
    case .parquet(let files):
      let path = files.paths[index]
      do {
        var reader = try ParquetFileReader.open(path)
        reader.decodesInParallel = decodeInParallel
        let indices = try reader.columnIndices(schema.fields.map(\.name))
        read.rowGroups = reader.rowGroupCount
        for group in 0..<reader.rowGroupCount {
          let batch = try reader.readRowGroup(group, columns: indices)
          read.rowsRead += batch.rowCount
          read.bytesRead += reader.compressedSize(rowGroup: group, columns: indices)
          let conformed = try RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount)
          guard try visit(conformed) else { break }
        }
      } catch let error as EngineError {
        throw error
      } catch {
        throw EngineError(.table, "cannot read \(path): \(error)")
      }
    }
    return read
  }
}

/// The files a `read_parquet` glob names, with the schema of the first.
struct ParquetFiles: Sendable {
  let pattern: String
  let paths: [String]
  let schema: Schema

  init(pattern: String) throws(EngineError) {
    self.pattern = pattern
    let paths = try FileGlob.expand(pattern)
    guard let first = paths.first else {
      throw EngineError(.table, "no files match '\(pattern)'")
    }
    self.paths = paths
    do {
      schema = try ParquetFileReader.open(first).schema.schema
    } catch {
      throw EngineError(.table, "cannot read \(first): \(error.message)")
    }
  }
}
