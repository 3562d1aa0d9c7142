public import Columnar
public import Expr
public import Parquet

/// What a write does when the table already exists.
public enum SaveMode: String, Sendable, CaseIterable {
  /// Add the rows to the table (create it if needed).
  case append
  /// Replace the table's rows (or, with `replaceWhere`, the rows of the matching partitions).
  case overwrite
  /// Fail if the table exists.
  case errorIfExists = "error"
  /// Do nothing if the table exists.
  case ignore
}

/// How ``TableWriter`` writes.
public struct WriteOptions: Sendable {
  public var mode: SaveMode = .append
  /// Partition columns of a new table (or of a table whose schema is overwritten). For an existing
  /// table they must match its partitioning when given.
  public var partitionBy: [String]?
  /// Add new columns of the data to the table schema (schema evolution).
  public var mergeSchema = false
  /// With `.overwrite`: replace the schema (and partitioning) by the data's.
  public var overwriteSchema = false
  /// With `.overwrite`: replace only the partitions matching this predicate on partition columns;
  /// every written row must match it.
  public var replaceWhere: Predicate?
  /// A data file is closed and a new one started once it reaches this many bytes.
  public var targetFileSize = 100 << 20
  /// A data file is also closed once it holds this many rows (nil: no limit).
  public var maxRowsPerFile: Int?
  /// Parquet settings (codec SNAPPY by default).
  public var parquet = ParquetWriteOptions()
  /// For a new table: name, description and properties (`delta.*` and user ones).
  public var name: String?
  public var description: String?
  public var configuration: [String: String] = [:]
  /// An idempotent write: the commit carries `txn(appId, version)`, and the write is skipped when
  /// the table already holds a version at or above it for that application.
  public var appTransaction: Transaction?
  /// More `txn` actions committed with the data (source positions of an ingest), not checked for skipping.
  public var appTransactions: [Transaction] = []
  public var maxCommitAttempts = 200

  public init(mode: SaveMode = .append) { self.mode = mode }
}

/// The outcome of a write.
public struct WriteResult: Sendable {
  /// The version committed; nil when nothing was committed (mode `ignore` on an existing table,
  /// or an idempotent write already applied).
  public var version: Int64?
  public var filesAdded: Int
  public var filesRemoved: Int
  public var rowsWritten: Int64
  public var bytesWritten: Int64
}

/// Streams record batches into a Delta table as one atomic commit.
///
/// ```swift
/// var writer = try TableWriter(path: "/data/flows", schema: batchSchema, options: options)
/// for batch in batches { try writer.write(batch) }
/// let result = try writer.commit()
/// ```
///
/// The schema is checked against the table before any file is written; files are written as the
/// batches come, and the table changes only when ``commit()`` succeeds. If anything fails, or
/// the writer is dropped without committing, the files it wrote are deleted.
public final class TableWriter {
  public let tablePath: String
  public let storage: any TableStorage
  public let options: WriteOptions
  /// The snapshot written against; nil when the write creates the table.
  public let snapshot: Snapshot?
  /// The table schema after this write.
  public let schema: Schema
  public let partitionColumns: [String]
  private let newMetadata: Metadata?
  private let newProtocol: DeltaProtocol?
  private let skip: Bool
  private var files: DataFileWriter?
  private var committed = false

  public init(
    path: String, schema dataSchema: Schema, options: WriteOptions = WriteOptions(),
    storage: any TableStorage = DefaultTableStorage()
  ) throws(DeltaError) {
    var root = path
    while root.count > 1, root.hasSuffix("/") { root.removeLast() }
    tablePath = root
    self.storage = storage
    self.options = options
    try SchemaEnforcement.checkNames(dataSchema)
    if options.replaceWhere != nil, options.mode != .overwrite {
      throw DeltaError(.invalidArgument, "replaceWhere needs mode overwrite")
    }
    if options.overwriteSchema, options.mode != .overwrite {
      throw DeltaError(.invalidArgument, "overwriteSchema needs mode overwrite")
    }
    let existing = try DeltaTable.existingSnapshot(path: root, storage: storage)
    snapshot = existing
    var skip = false
    if let existing {
      try WriterFeatures.checkWritable(existing)
      switch options.mode {
      case .errorIfExists: throw DeltaError(.alreadyExists, "the table already exists (mode error)", path: root)
      case .ignore: skip = true
      default: break
      }
      if options.mode == .overwrite, existing.properties["delta.appendOnly"] == "true" {
        throw DeltaError(.invalidArgument, "the table is append-only (delta.appendOnly); cannot overwrite", path: root)
      }
      if let app = options.appTransaction, let done = existing.transactions[app.appId], done.version >= app.version {
        skip = true
      }
    }
    self.skip = skip
    if let existing, !(options.overwriteSchema && options.mode == .overwrite) {
      if let wanted = options.partitionBy, wanted != existing.partitionColumns {
        throw DeltaError(
          .schemaMismatch,
          "the table is partitioned by [\(existing.partitionColumns.joined(separator: ", "))], not [\(wanted.joined(separator: ", "))]",
          path: root)
      }
      let merged = try SchemaEnforcement.resultSchema(
        table: existing.schema, data: dataSchema, mergeSchema: options.mergeSchema)
      schema = merged
      partitionColumns = existing.partitionColumns
      if merged != existing.schema {
        var metadata = existing.metadata
        metadata.schemaString = try DeltaSchema.jsonString(merged)
        newMetadata = metadata
      } else {
        newMetadata = nil
      }
      newProtocol = nil
    } else {
      schema = dataSchema
      partitionColumns = options.partitionBy ?? []
      for column in partitionColumns {
        guard let field = dataSchema.fields.first(where: { $0.name == column }) else {
          throw DeltaError(.schemaMismatch, "partition column '\(column)' is not in the schema", path: root)
        }
        guard field.type.isPrimitive else {
          throw DeltaError(.schemaMismatch, "partition column '\(column)' must have a primitive type", path: root)
        }
      }
      guard partitionColumns.count < dataSchema.fields.count else {
        throw DeltaError(.schemaMismatch, "a table needs at least one column that is not a partition column", path: root)
      }
      var metadata = Metadata(
        id: existing?.metadata.id ?? UUIDText.random(), name: options.name ?? existing?.metadata.name,
        description: options.description ?? existing?.metadata.description,
        schemaString: try DeltaSchema.jsonString(dataSchema), partitionColumns: partitionColumns,
        createdTime: existing?.metadata.createdTime ?? DeltaTransaction.nowMilliseconds(),
        configuration: existing?.metadata.configuration ?? [:])
      for (key, value) in options.configuration { metadata.configuration[key] = value }
      newMetadata = metadata
      let required = WriterFeatures.protocolFor(schema: dataSchema)
      if let current = existing?.deltaProtocol,
        current.minReaderVersion >= required.minReaderVersion, current.minWriterVersion >= required.minWriterVersion
      {
        newProtocol = nil
      } else {
        newProtocol = required
      }
    }
    if !skip {
      files = DataFileWriter(
        tableRoot: root, storage: storage, schema: schema, partitionColumns: partitionColumns,
        configuration: newMetadata?.configuration ?? existing?.properties ?? [:],
        targetFileSize: options.targetFileSize, maxRowsPerFile: options.maxRowsPerFile, parquetOptions: options.parquet)
    }
  }

  deinit {
    if !committed { files?.abort() }
  }

  /// True when the write will not change the table (mode ignore on an existing table, or an
  /// idempotent write already applied): batches are then discarded.
  public var isSkipped: Bool { skip }

  /// Writes a batch's rows into data files (not yet visible).
  public func write(_ batch: RecordBatch) throws(DeltaError) {
    guard let files else { return }
    do {
      if batch.schema != schema { try SchemaEnforcement.checkNames(batch.schema) }
      let conformed = batch.schema == schema ? batch : try SchemaEnforcement.conform(batch, to: schema)
      if let predicate = options.replaceWhere { try checkReplaceWhere(conformed, predicate) }
      try files.write(conformed)
    } catch {
      abort()
      throw error
    }
  }

  private func checkReplaceWhere(_ batch: RecordBatch, _ predicate: Predicate) throws(DeltaError) {
    let indices = partitionColumns.compactMap { batch.schema.index(of: $0) }
    var previous: [String: ScalarValue]?
    for row in 0..<batch.rowCount {
      var values: [String: ScalarValue] = [:]
      for (slot, index) in indices.enumerated() {
        values[partitionColumns[slot]] = ScalarValue(from: batch.columns[index], row: row)
      }
      if values == previous { continue }
      previous = values
      guard Pruning.mightMatch(predicate, in: PartitionValues(values)) else {
        throw DeltaError(
          .invalidArgument,
          "row \(row) of the data (partition \(values.map { "\($0.key)=\($0.value.render())" }.sorted().joined(separator: ", "))) does not match replaceWhere",
          path: tablePath)
      }
    }
  }

  /// Deletes the files written so far; the table is unchanged.
  public func abort() {
    files?.abort()
    files = nil
  }

  /// Finishes the data files and commits them (with the removes of an overwrite) as one version.
  @discardableResult
  public func commit() throws(DeltaError) -> WriteResult {
    guard !skip, let files else {
      return WriteResult(version: nil, filesAdded: 0, filesRemoved: 0, rowsWritten: 0, bytesWritten: 0)
    }
    do {
      let adds = try files.close()
      let operation = snapshot == nil ? "CREATE TABLE" : (newMetadata != nil && options.mode == .overwrite && options.overwriteSchema ? "WRITE" : "WRITE")
      var txn = DeltaTransaction(tablePath: tablePath, storage: storage, snapshot: snapshot, operation: operation)
      txn.maxAttempts = options.maxCommitAttempts
      var parameters = ["mode": Self.sparkModeName(options.mode)]
      parameters["partitionBy"] = JSONValue.array(partitionColumns.map { .string($0) }).jsonText
      if let predicate = options.replaceWhere { parameters["predicate"] = "\(predicate)" }
      txn.operationParameters = parameters
      if let newProtocol { txn.add(.protocol(newProtocol)) }
      if let newMetadata { txn.add(.metadata(newMetadata)) }
      var removed = 0
      if let snapshot, options.mode == .overwrite {
        let now = DeltaTransaction.nowMilliseconds()
        let types = Dictionary(
          snapshot.partitionColumns.compactMap { name in snapshot.field(named: name).map { (name, $0.type) } },
          uniquingKeysWith: { a, _ in a })
        for file in snapshot.files {
          if let predicate = options.replaceWhere {
            var values: [String: String?] = [:]
            for name in snapshot.partitionColumns { values[name] = file.partitionValues[name] }
            guard let partition = try? PartitionValues(parsing: values, types: types),
              Pruning.mightMatch(predicate, in: partition)
            else { continue }
          }
          removed += 1
          txn.add(.remove(file.removal(at: now, dataChange: true)))
        }
        txn.readPredicate = options.replaceWhere.map { .partitions($0) } ?? .wholeTable
      }
      for add in adds { txn.add(.add(add)) }
      if var app = options.appTransaction {
        app.lastUpdated = app.lastUpdated ?? DeltaTransaction.nowMilliseconds()
        txn.add(.transaction(app))
      }
      let now = DeltaTransaction.nowMilliseconds()
      for var app in options.appTransactions {
        app.lastUpdated = app.lastUpdated ?? now
        txn.add(.transaction(app))
      }
      let bytes = adds.reduce(Int64(0)) { $0 + $1.size }
      txn.operationMetrics = [
        "numFiles": String(adds.count), "numOutputRows": String(files.rowsWritten),
        "numOutputBytes": String(bytes), "numRemovedFiles": String(removed),
      ]
      let version: Int64
      do {
        version = try txn.commit()
      } catch where snapshot == nil && options.mode == .append && error.code == .concurrentModification {
        // Several writers creating the same table at once: the losers append to the winner's
        // table when it has the same schema and partitioning, as if it had existed before.
        version = try appendToConcurrentlyCreatedTable(txn)
      }
      committed = true
      try? Checkpointer.checkpointIfDue(
        tablePath: tablePath, storage: storage, version: version,
        configuration: newMetadata?.configuration ?? snapshot?.properties ?? [:])
      return WriteResult(
        version: version, filesAdded: adds.count, filesRemoved: removed, rowsWritten: files.rowsWritten,
        bytesWritten: bytes)
    } catch {
      abort()
      throw error
    }
  }

  private func appendToConcurrentlyCreatedTable(_ lost: DeltaTransaction) throws(DeltaError) -> Int64 {
    let winner = try DeltaTable.open(path: tablePath, storage: storage).snapshot()
    guard winner.schema == schema, winner.partitionColumns == partitionColumns else {
      throw DeltaError(
        .concurrentModification,
        "another writer created the table at the same time with a different schema or partitioning", path: tablePath)
    }
    try WriterFeatures.checkWritable(winner)
    var txn = DeltaTransaction(tablePath: tablePath, storage: storage, snapshot: winner, operation: "WRITE")
    txn.maxAttempts = options.maxCommitAttempts
    txn.operationParameters = lost.operationParameters
    txn.operationMetrics = lost.operationMetrics
    for action in lost.actions {
      switch action {
      case .add, .transaction: txn.add(action)
      default: break
      }
    }
    return try txn.commit()
  }

  static func sparkModeName(_ mode: SaveMode) -> String {
    switch mode {
    case .append: "Append"
    case .overwrite: "Overwrite"
    case .errorIfExists: "ErrorIfExists"
    case .ignore: "Ignore"
    }
  }
}

extension TableWriter {
  /// Creates an empty table (version 0 with only protocol and metadata). Throws `.alreadyExists`
  /// when there is a table at `path`.
  @discardableResult
  public static func createTable(
    path: String, schema: Schema, partitionBy: [String] = [], name: String? = nil, description: String? = nil,
    configuration: [String: String] = [:], storage: any TableStorage = DefaultTableStorage()
  ) throws(DeltaError) -> Int64 {
    var options = WriteOptions(mode: .errorIfExists)
    options.partitionBy = partitionBy
    options.name = name
    options.description = description
    options.configuration = configuration
    let writer = try TableWriter(path: path, schema: schema, options: options, storage: storage)
    return try writer.commit().version ?? 0
  }

  /// Writes `batches` as one commit.
  @discardableResult
  public static func write(
    path: String, batches: [RecordBatch], options: WriteOptions = WriteOptions(),
    storage: any TableStorage = DefaultTableStorage()
  ) throws(DeltaError) -> WriteResult {
    guard let first = batches.first else {
      throw DeltaError(.invalidArgument, "nothing to write: no batches (give a schema with TableWriter)")
    }
    let writer = try TableWriter(path: path, schema: first.schema, options: options, storage: storage)
    for batch in batches { try writer.write(batch) }
    return try writer.commit()
  }
}

/// Which protocols and writer features Avocet writes.
enum WriterFeatures {
  static let supportedWriterFeatures: Set<String> = [
    "appendOnly", "invariants", "timestampNtz", "timestampWithoutTimezone", "domainMetadata",
    "vacuumProtocolCheck",
  ]

  /// The protocol of a new table: (1, 2), or (3, 7) with `timestampNtz` when the schema has one.
  static func protocolFor(schema: Schema) -> DeltaProtocol {
    func hasNTZ(_ type: DataType) -> Bool {
      switch type {
      case .timestamp(_, let utc): return !utc
      case .structure(let fields): return fields.contains { hasNTZ($0.type) }
      case .list(let element): return hasNTZ(element.type)
      case .map(let key, let value): return hasNTZ(key.type) || hasNTZ(value.type)
      default: return false
      }
    }
    if schema.fields.contains(where: { hasNTZ($0.type) }) {
      return DeltaProtocol(
        minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz"])
    }
    return DeltaProtocol(minReaderVersion: 1, minWriterVersion: 2)
  }

  /// Throws unless Avocet can write data files to the table, naming the version or feature it lacks.
  static func checkWritable(_ snapshot: Snapshot) throws(DeltaError) {
    try checkProtocolWritable(snapshot)
    try checkDataWritable(snapshot)
  }

  /// Throws unless Avocet supports the table's reader and writer protocol and features: enough to
  /// commit actions that only reference existing files (VACUUM, RESTORE).
  static func checkProtocolWritable(_ snapshot: Snapshot) throws(DeltaError) {
    let p = snapshot.deltaProtocol
    try TableFeatures.checkReadable(p, path: snapshot.tableRoot)
    if p.minWriterVersion > 2 && p.minWriterVersion < 7 {
      throw DeltaError(
        .unsupportedFeature,
        "the table requires writer version \(p.minWriterVersion); Avocet writes versions 1, 2 and 7 (with supported features)",
        path: snapshot.tableRoot)
    }
    if p.minWriterVersion == 7 {
      for feature in p.writerFeatures ?? [] where !supportedWriterFeatures.contains(feature) {
        throw DeltaError(
          .unsupportedFeature, "the table uses writer feature '\(feature)', which Avocet cannot write",
          path: snapshot.tableRoot)
      }
    }
  }

  /// Throws when the table has column properties Avocet cannot honour in data it writes.
  static func checkDataWritable(_ snapshot: Snapshot) throws(DeltaError) {
    func hasInvariant(_ fields: [Field]) -> Bool {
      fields.contains {
        if $0.metadata["delta.invariants"] != nil { return true }
        if case .structure(let children) = $0.type { return hasInvariant(children) }
        return false
      }
    }
    if hasInvariant(snapshot.schema.fields) {
      throw DeltaError(
        .unsupportedFeature, "the table has column invariants (delta.invariants), which Avocet cannot enforce",
        path: snapshot.tableRoot)
    }
    if snapshot.columnMappingMode != .none {
      throw DeltaError(.unsupportedFeature, "the table uses column mapping, which Avocet cannot write yet", path: snapshot.tableRoot)
    }
  }
}
