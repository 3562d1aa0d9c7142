public import Columnar
public import Expr

/// What to read from a snapshot: which columns, which rows may be skipped, and how to read
/// zone-less timestamp partition values.
public struct ScanOptions: Sendable {
  /// Top-level columns to read, by logical name, in output order; nil reads every column.
  public var columns: [String]?
  /// A filter on logical column paths used to skip files (by partition values, then by the
  /// files' Delta statistics) and, within the files read, Parquet row groups (by their column
  /// statistics). Skipping is conservative; the rows of the files and row groups that remain are
  /// returned unfiltered (filtering rows is the query engine's job). A column a file does not
  /// hold (added to the table after the file was written) counts as all null in that file.
  public var predicate: Predicate?
  /// The zone a writer meant for `timestamp` partition values written without one.
  public var writerTimeZone: WriterTimeZone

  public init(columns: [String]? = nil, predicate: Predicate? = nil, writerTimeZone: WriterTimeZone = .utc) {
    self.columns = columns
    self.predicate = predicate
    self.writerTimeZone = writerTimeZone
  }
}

/// How much of a table a scan had to consider, and how much it skipped before reading.
public struct ScanMetrics: Sendable, Hashable {
  /// Live files in the snapshot.
  public var totalFiles = 0
  public var totalBytes: Int64 = 0
  /// Files whose partition values cannot satisfy the predicate.
  public var filesPrunedByPartition = 0
  /// Files whose statistics (min, max, null count) show no row can satisfy the predicate.
  public var filesSkippedByStatistics = 0
  /// Files the scan reads.
  public var selectedFiles: Int { totalFiles - filesPrunedByPartition - filesSkippedByStatistics }
  public var selectedBytes: Int64 = 0

  public init() {}
}

/// A data file the scan will read, with its partition values typed.
public struct ScanFile: Sendable {
  public let add: AddFile
  /// The file's location on storage.
  public let path: String
  /// Partition values by logical column name (`.null` for null).
  public let partitionValues: [String: ScalarValue]
}

/// A planned read of a snapshot: the output schema and the files left after skipping.
public struct Scan: Sendable {
  public let snapshot: Snapshot
  public let options: ScanOptions
  /// The schema of the batches the scan produces (logical names, table types).
  public let schema: Schema
  public let files: [ScanFile]
  public let metrics: ScanMetrics

  /// Every batch of every selected file, in file order.
  public func readBatches() throws(DeltaError) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    try forEachBatch { batch in
      batches.append(batch)
      return true
    }
    return batches
  }

  /// Calls `body` with each batch (one per row group read of each file, deleted rows dropped)
  /// until it returns false; returns what was read. A row group's columns are decoded on
  /// several cores.
  @discardableResult
  public func forEachBatch(_ body: (RecordBatch) throws(DeltaError) -> Bool) throws(DeltaError) -> FileReadMetrics {
    let reader = DataFileReader(snapshot: snapshot, fields: schema.fields, predicate: options.predicate)
    var metrics = FileReadMetrics()
    for file in files {
      guard try reader.read(file, decodeColumnsInParallel: true, metrics: &metrics, visit: body) else { break }
    }
    return metrics
  }

  /// The batches of one file of the scan.
  public func read(_ file: ScanFile) throws(DeltaError) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    try read(file, decodeColumnsInParallel: true) { batch in
      batches.append(batch)
      return true
    }
    return batches
  }

  /// Reads one file of the scan, calling `visit` with each row-group batch (deleted rows
  /// dropped) until it returns false, and returns what the read cost.
  ///
  /// Row groups whose Parquet statistics show that no row satisfies ``ScanOptions/predicate``
  /// are skipped; the rows of the others are returned unfiltered. Files may be read on several
  /// threads at once (a `Scan` is immutable); such callers pass `decodeColumnsInParallel: false`
  /// so that each file's columns are decoded on its own thread only.
  ///
  /// With `rowFilter` the batches hold only the rows it keeps, and the columns it does not read
  /// are decoded for those rows only.
  @discardableResult
  public func read(
    _ file: ScanFile, decodeColumnsInParallel: Bool, rowFilter: RowFilter? = nil,
    visit: (RecordBatch) throws(DeltaError) -> Bool
  ) throws(DeltaError) -> FileReadMetrics {
    let reader = DataFileReader(snapshot: snapshot, fields: schema.fields, predicate: options.predicate)
    var metrics = FileReadMetrics()
    _ = try reader.read(
      file, decodeColumnsInParallel: decodeColumnsInParallel, rowFilter: rowFilter, metrics: &metrics, visit: visit)
    return metrics
  }
}

extension Snapshot {
  /// Plans a scan: resolves the columns, types each file's partition values and skips the files
  /// the predicate rules out.
  public func scan(_ options: ScanOptions = ScanOptions()) throws(DeltaError) -> Scan {
    var fields: [Field] = []
    if let names = options.columns {
      for name in names {
        guard let field = field(named: name) else {
          let known = schema.fields.map(\.name).joined(separator: ", ")
          throw DeltaError(.invalidArgument, "no column '\(name)'; the table has: \(known)", path: tableRoot)
        }
        fields.append(field)
      }
    } else {
      fields = schema.fields
    }
    let partitionFields = partitionColumns.compactMap { name in schema.fields.first { $0.name == name } }
    let physicalNames = partitionFields.map { $0.physicalName(columnMappingMode) }
    let columnIndex = ColumnIndex(schema: schema, mode: columnMappingMode)

    var predicate = options.predicate?.simplified()
    if case .literal(true)? = predicate { predicate = nil }
    let partitionPaths = Set(partitionFields.map { [$0.name] })
    let partitionPredicate = predicate.map { $0.restricted(to: partitionPaths) }.flatMap { p -> Predicate? in
      if case .literal(true) = p { return nil }
      return p
    }
    let statisticsPredicate: Predicate? = predicate.flatMap { p in
      p.columns.isSubset(of: partitionPaths) ? nil : p
    }

    var metrics = ScanMetrics()
    metrics.totalFiles = files.count
    var selected: [ScanFile] = []
    selected.reserveCapacity(files.count)
    for add in files {
      metrics.totalBytes += add.size
      var values: [String: ScalarValue] = [:]
      if !partitionFields.isEmpty {
        values.reserveCapacity(partitionFields.count)
        for (field, physical) in zip(partitionFields, physicalNames) {
          let text = add.partitionValues[physical] ?? add.partitionValues[field.name]
          values[field.name] = try PartitionValueText.scalar(
            text, type: field.type, column: field.name, writerTimeZone: options.writerTimeZone)
        }
      }
      if let partitionPredicate, !Pruning.mightMatch(partitionPredicate, in: PartitionValues(values)) {
        metrics.filesPrunedByPartition += 1
        continue
      }
      if let statisticsPredicate {
        let source = FileStatisticsSource(add: add, partitions: values, index: columnIndex)
        if !Pruning.mightMatch(statisticsPredicate, in: source) {
          metrics.filesSkippedByStatistics += 1
          continue
        }
      }
      metrics.selectedBytes += add.size
      selected.append(ScanFile(add: add, path: resolvePath(add.path), partitionValues: values))
    }
    return Scan(snapshot: self, options: options, schema: Schema(fields), files: selected, metrics: metrics)
  }
}

/// The leaf columns of a schema reachable through structs: logical path → physical path and type.
struct ColumnIndex: Sendable {
  var physicalPaths: [ColumnPath: ColumnPath] = [:]
  /// Physical path → type, for typing statistics.
  var physicalTypes: [ColumnPath: DataType] = [:]
  /// Physical paths of columns widened from `float` (type widening): files written before the
  /// widening hold float bounds written as the shortest decimal of the float ("3.4"), which
  /// read as a double miss the widened value (3.4000000953674316).
  var widenedFromFloat: Set<ColumnPath> = []

  init(schema: Schema, mode: ColumnMappingMode) {
    func walk(_ fields: [Field], logical: ColumnPath, physical: ColumnPath) {
      for field in fields {
        let l = logical + [field.name]
        let p = physical + [field.physicalName(mode)]
        physicalPaths[l] = p
        physicalTypes[p] = field.type
        if let changes = field.metadata["delta.typeChanges"], Self.widensFromFloat(changes) {
          widenedFromFloat.insert(p)
        }
        if case .structure(let children) = field.type { walk(children, logical: l, physical: p) }
      }
    }
    walk(schema.fields, logical: [], physical: [])
  }

  /// Whether a `delta.typeChanges` list (JSON) has a change from `float`.
  private static func widensFromFloat(_ json: String) -> Bool {
    guard let changes = (try? JSONParser.parse(json))?.arrayValue else { return false }
    return changes.contains { $0.objectValue?.present("fromType")?.stringValue == "float" }
  }
}

/// A file's statistics and partition values, seen through logical column paths.
struct FileStatisticsSource: StatisticsSource {
  let partitions: [String: ScalarValue]
  let index: ColumnIndex
  let stats: FileStatistics?
  let hasDeletionVector: Bool

  init(add: AddFile, partitions: [String: ScalarValue], index: ColumnIndex) {
    self.partitions = partitions
    self.index = index
    if let text = add.stats {
      stats = FileStatistics.parse(json: text, columns: index.physicalTypes)
    } else {
      stats = add.parsedStats?.typed(columns: index.physicalTypes)
    }
    hasDeletionVector = add.deletionVector != nil
  }

  private func partition(_ column: ColumnPath) -> ScalarValue? {
    guard column.count == 1 else { return nil }
    return partitions[column[0]]
  }

  func minValue(_ column: ColumnPath) -> ScalarValue? {
    if let value = partition(column) { return value.isNull ? nil : value }
    guard let physical = index.physicalPaths[column], !index.widenedFromFloat.contains(physical) else { return nil }
    return stats?.minValues[physical]
  }

  func maxValue(_ column: ColumnPath) -> ScalarValue? {
    if let value = partition(column) { return value.isNull ? nil : value }
    guard let physical = index.physicalPaths[column], !index.widenedFromFloat.contains(physical) else { return nil }
    return stats?.maxValues[physical]
  }

  func nullCount(_ column: ColumnPath) -> Int64? {
    if let value = partition(column) { return value.isNull ? rowCount : 0 }
    guard let stats, let physical = index.physicalPaths[column], let count = stats.nullCounts[physical] else {
      return nil
    }
    // With wide bounds (or rows deleted since the stats were taken) only "none" and "all" count.
    if !stats.tightBounds || hasDeletionVector {
      return count == 0 || count == stats.numRecords ? count : nil
    }
    return count
  }

  var rowCount: Int64? { stats?.numRecords }

  func hasExactBounds(_ column: ColumnPath) -> Bool { partition(column) != nil }
}
