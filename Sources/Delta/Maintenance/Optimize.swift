import Columnar
public import Expr
public import Parquet

/// Table maintenance: OPTIMIZE (compaction and clustering), VACUUM and RESTORE.
public enum Maintenance {}

/// What OPTIMIZE rewrites and how.
public struct OptimizeOptions: Sendable {
  /// Only partitions matching this predicate (on partition columns only) are optimized.
  public var partitionFilter: Predicate?
  /// The size compacted files aim at; nil: the table's `delta.targetFileSize`, else 100 MiB.
  /// Files at least this big are left alone by compaction.
  public var targetFileSize: Int?
  /// Cluster the rows of each partition by these columns (ZORDER BY); empty: bin-packing only.
  public var zOrderBy: [String] = []
  public var curve: ClusteringCurve = .zorder
  /// Also close a file once it holds this many rows (nil: no limit).
  public var maxRowsPerFile: Int?
  public var parquet = ParquetWriteOptions()
  public var maxCommitAttempts = 200

  public init() {}
}

/// What an OPTIMIZE did.
public struct OptimizeResult: Sendable {
  /// The version committed; nil when there was nothing to do.
  public var version: Int64?
  public var filesAdded = 0
  public var filesRemoved = 0
  public var bytesAdded: Int64 = 0
  public var bytesRemoved: Int64 = 0
  /// Partitions with files rewritten.
  public var partitionsOptimized = 0
  /// Files of the selected partitions, and how many of them were left as they were.
  public var filesConsidered = 0
  public var filesSkipped = 0
  public var rowsRewritten: Int64 = 0
}

extension Maintenance {
  /// Compacts small files, or with `zOrderBy` clusters every file of each selected partition,
  /// and commits the result with `dataChange=false` so that readers and streams see no change.
  ///
  /// Compaction bin-packs, per partition, the files smaller than the target (and any file with
  /// deletion vectors) into groups of up to the target size; a group of one file is left alone,
  /// so a second run finds nothing to do. Concurrent appends do not conflict with it; a
  /// concurrent removal of a file it rewrote does. Clustering holds a partition's rows in memory.
  @discardableResult
  public static func optimize(
    path: String, options: OptimizeOptions = OptimizeOptions(), storage: any TableStorage = DefaultTableStorage()
  ) throws(DeltaError) -> OptimizeResult {
    let table = try DeltaTable.open(path: path, storage: storage)
    let snapshot = try table.snapshot()
    try WriterFeatures.checkWritable(snapshot)
    let zOrder = try clusteringColumns(options.zOrderBy, snapshot)
    let target = options.targetFileSize ?? snapshot.properties["delta.targetFileSize"].flatMap(byteSize) ?? 100 << 20
    guard target > 0 else { throw DeltaError(.invalidArgument, "the target file size must be positive, not \(target)") }
    let partitions = try selectedPartitions(snapshot, filter: options.partitionFilter)

    var result = OptimizeResult()
    var bins: [[AddFile]] = []
    for files in partitions {
      result.filesConsidered += files.count
      let partitionBins = zOrder.isEmpty ? binPack(files, target: target) : [files]
      if !partitionBins.isEmpty { result.partitionsOptimized += 1 }
      bins.append(contentsOf: partitionBins)
    }
    let rewritten = bins.reduce(0) { $0 + $1.count }
    result.filesSkipped = result.filesConsidered - rewritten
    guard !bins.isEmpty else { return result }

    let scan = try snapshot.scan()
    let scanFiles = Dictionary(scan.files.map { ($0.add.key, $0) }, uniquingKeysWith: { a, _ in a })
    let writer = DataFileWriter(
      tableRoot: table.path, storage: storage, schema: snapshot.schema, partitionColumns: snapshot.partitionColumns,
      configuration: snapshot.properties, targetFileSize: target, maxRowsPerFile: options.maxRowsPerFile,
      dataChange: false, parquetOptions: options.parquet, maxOpenFiles: 1)
    var committed = false
    defer { if !committed { writer.abort() } }

    var rowsRead: Int64 = 0
    for bin in bins {
      var batches: [RecordBatch] = []
      for add in bin {
        guard let file = scanFiles[add.key] else {
          throw DeltaError(.corruptLog, "OPTIMIZE cannot read '\(add.path)' back from the snapshot; nothing committed", path: table.path)
        }
        try scan.read(file, decodeColumnsInParallel: true) { (batch) throws(DeltaError) -> Bool in
          rowsRead += Int64(batch.rowCount)
          if zOrder.isEmpty {
            try writer.write(batch)
          } else {
            batches.append(batch)
          }
          return true
        }
      }
      if !zOrder.isEmpty {
        try Clustering.write(
          batches, columns: zOrder, curve: options.curve, chunkRows: options.maxRowsPerFile, into: writer)
      }
    }
    let adds = try writer.close()
    guard writer.rowsWritten == rowsRead else {
      throw DeltaError(.io, "OPTIMIZE read \(rowsRead) rows but wrote \(writer.rowsWritten); nothing committed", path: table.path)
    }

    var txn = DeltaTransaction(tablePath: table.path, storage: storage, snapshot: snapshot, operation: "OPTIMIZE")
    txn.maxAttempts = options.maxCommitAttempts
    txn.readPredicate = .rewrittenFiles
    let now = DeltaTransaction.nowMilliseconds()
    for file in bins.joined() {
      txn.add(.remove(file.removal(at: now, dataChange: false)))
      result.filesRemoved += 1
      result.bytesRemoved += file.size
    }
    for add in adds {
      txn.add(.add(add))
      result.bytesAdded += add.size
    }
    result.filesAdded = adds.count
    result.rowsRewritten = writer.rowsWritten
    var parameters = ["predicate": JSONValue.array(options.partitionFilter.map { [.string("\($0)")] } ?? []).jsonText]
    parameters["zOrderBy"] = JSONValue.array(zOrder.map { .string($0) }).jsonText
    if !zOrder.isEmpty { parameters["curve"] = options.curve.rawValue }
    txn.operationParameters = parameters
    let sizes = adds.map(\.size).sorted()
    txn.operationMetrics = [
      "numAddedFiles": String(adds.count), "numRemovedFiles": String(result.filesRemoved),
      "numAddedBytes": String(result.bytesAdded), "numRemovedBytes": String(result.bytesRemoved),
      "numPartitionsOptimized": String(result.partitionsOptimized), "numBatches": String(bins.count),
      "totalConsideredFiles": String(result.filesConsidered), "totalFilesSkipped": String(result.filesSkipped),
      "numRowsRewritten": String(result.rowsRewritten),
      "minFileSize": String(sizes.first ?? 0), "maxFileSize": String(sizes.last ?? 0),
      "numFiles": String(adds.count), "numOutputBytes": String(result.bytesAdded),
    ]
    let version = try txn.commit()
    committed = true
    result.version = version
    try? Checkpointer.checkpointIfDue(
      tablePath: table.path, storage: storage, version: version, configuration: snapshot.properties)
    return result
  }

  /// A size in Spark's byte-string form: `104857600`, `100mb`, `1g` (units are powers of 1024).
  static func byteSize(_ text: String) -> Int? {
    let lower = text.lowercased().filter { $0 != " " }
    let digits = lower.prefix { $0.isNumber }
    guard let number = Int(digits) else { return nil }
    let shift: Int
    switch lower.dropFirst(digits.count) {
    case "", "b": shift = 0
    case "k", "kb": shift = 10
    case "m", "mb": shift = 20
    case "g", "gb": shift = 30
    case "t", "tb": shift = 40
    default: return nil
    }
    let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
    return overflow ? nil : value
  }

  /// The z-order columns by their names in the schema; throws for unknown, partition or nested ones.
  static func clusteringColumns(_ names: [String], _ snapshot: Snapshot) throws(DeltaError) -> [String] {
    var resolved: [String] = []
    for name in names {
      guard let field = snapshot.field(named: name) ?? snapshot.schema.fields.first(where: { $0.name.lowercased() == name.lowercased() })
      else {
        let known = snapshot.dataFields.map(\.name).joined(separator: ", ")
        throw DeltaError(.invalidArgument, "ZORDER BY: no column '\(name)'; the table has: \(known)", path: snapshot.tableRoot)
      }
      if snapshot.partitionColumns.contains(field.name) {
        throw DeltaError(
          .invalidArgument,
          "ZORDER BY: '\(field.name)' is a partition column; each file already holds one value of it",
          path: snapshot.tableRoot)
      }
      guard field.type.isPrimitive else {
        throw DeltaError(
          .invalidArgument, "ZORDER BY: column '\(field.name)' has the nested type \(field.type); z-order needs a primitive column",
          path: snapshot.tableRoot)
      }
      if resolved.contains(field.name) {
        throw DeltaError(.invalidArgument, "ZORDER BY: column '\(field.name)' is listed twice", path: snapshot.tableRoot)
      }
      resolved.append(field.name)
    }
    guard resolved.count <= 32 else {
      throw DeltaError(.invalidArgument, "ZORDER BY takes at most 32 columns, not \(resolved.count)", path: snapshot.tableRoot)
    }
    return resolved
  }

  /// The live files of the partitions the filter selects, one group per partition, in path order.
  static func selectedPartitions(_ snapshot: Snapshot, filter: Predicate?) throws(DeltaError) -> [[AddFile]] {
    let types = Dictionary(
      snapshot.partitionColumns.compactMap { name in snapshot.field(named: name).map { (name, $0.type) } },
      uniquingKeysWith: { a, _ in a })
    if let filter {
      let partitions = Set(snapshot.partitionColumns)
      for column in filter.columns where column.count != 1 || !partitions.contains(column[0]) {
        throw DeltaError(
          .invalidArgument,
          "OPTIMIZE WHERE may only use partition columns (\(snapshot.partitionColumns.joined(separator: ", "))), not '\(column.joined(separator: "."))'",
          path: snapshot.tableRoot)
      }
    }
    var groups: [[String]: [AddFile]] = [:]
    for file in snapshot.files {
      if let filter {
        var values: [String: String?] = [:]
        for name in snapshot.partitionColumns { values[name] = file.partitionValues[name] }
        let partition: PartitionValues
        do {
          partition = try PartitionValues(parsing: values, types: types)
        } catch {
          throw DeltaError(.corruptLog, "file '\(file.path)': \(error.message)", path: snapshot.tableRoot)
        }
        guard Pruning.mightMatch(filter, in: partition) else { continue }
      }
      let key = snapshot.partitionColumns.map { file.partitionValues[$0] ?? "\u{0}null" }
      groups[key, default: []].append(file)
    }
    return groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { groups[$0]!.sorted { $0.path < $1.path } }
  }

  /// Delta's bin-packing: candidates are files below the target or with deletion vectors, taken
  /// smallest first into groups of up to the target; groups of one file without deletion vectors
  /// are dropped (nothing to gain from rewriting them).
  static func binPack(_ files: [AddFile], target: Int) -> [[AddFile]] {
    let candidates = files.filter { $0.size < Int64(target) || $0.deletionVector != nil }.sorted {
      ($0.size, $0.path) < ($1.size, $1.path)
    }
    var bins: [[AddFile]] = []
    var current: [AddFile] = []
    var size: Int64 = 0
    for file in candidates {
      if !current.isEmpty, size + file.size > Int64(target) {
        bins.append(current)
        current = []
        size = 0
      }
      current.append(file)
      size += file.size
    }
    if !current.isEmpty { bins.append(current) }
    return bins.filter { $0.count > 1 || $0.contains { $0.deletionVector != nil } }
  }
}
