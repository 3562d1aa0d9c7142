import Columnar
import Dispatch
import Parquet

/// Decoding actions from Parquet checkpoints and sidecars: each action type is a top-level struct
/// column, and a row holds exactly one non-null action (PROTOCOL.md "Checkpoint Schema").
enum CheckpointActionDecoder {
  /// Which action columns to read.
  struct Selection: OptionSet, Sendable {
    let rawValue: Int
    static let fileActions = Selection(rawValue: 1)
    static let removes = Selection(rawValue: 2)
    static let tableActions = Selection(rawValue: 4)
    static let all: Selection = [.fileActions, .removes, .tableActions]
  }

  /// Calls `visit` with every action of the file, row group by row group, except `add` actions:
  /// those are built in parallel, the ones whose key is in `excluding` are dropped, and the rest
  /// reach `visitAdds` in file order, a row group at a time (a checkpoint of 100,000 files spends
  /// most of its replay time turning rows into ``AddFile``s).
  static func readActions(
    _ reader: ParquetFileReader, name: String, selection: Selection, excluding: Set<FileKey> = [],
    visitAdds: ([AddFile]) throws(DeltaError) -> Void, visit: (Action) throws(DeltaError) -> Void
  ) throws(DeltaError) {
    var wanted: [String] = []
    if selection.contains(.fileActions) { wanted.append("add") }
    if selection.contains(.removes) { wanted.append("remove") }
    if selection.contains(.tableActions) {
      wanted += ["protocol", "metaData", "txn", "domainMetadata", "checkpointMetadata", "sidecar"]
    }
    let fields = reader.schema.schema.fields
    var indices: [Int] = []
    for (index, field) in fields.enumerated() where wanted.contains(field.name) {
      guard case .structure = field.type else { continue }
      indices.append(index)
    }
    guard !indices.isEmpty else { return }
    for group in 0..<reader.rowGroupCount {
      let batch: RecordBatch
      do {
        batch = try reader.readRowGroup(group, columns: indices)
      } catch {
        throw DeltaError(
          .corruptLog, "cannot read checkpoint \(name): \(error.message)", path: reader.file.path, cause: error)
      }
      for (position, field) in batch.schema.fields.enumerated() {
        let column = batch.columns[position]
        if column.nullCount == column.count { continue }
        let location = "checkpoint \(name) row group \(group)"
        switch field.name {
        case "add":
          try visitAdds(
            try AddColumns(column).adds(
              present: column, rowCount: batch.rowCount, location: location, excluding: excluding))
        case "remove":
          let columns = RemoveColumns(column)
          for row in 0..<batch.rowCount where !column.isNull(row) {
            try visit(.remove(try columns.remove(at: row, location: location)))
          }
        case "protocol":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            try visit(.protocol(try deltaProtocol(column, row, location)))
          }
        case "metaData":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            try visit(.metadata(try metadata(column, row, location)))
          }
        case "txn":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            guard let appId = column.child("appId")?.string(at: row),
              let version = column.child("version")?.int64(at: row)
            else { throw DeltaError(.corruptLog, "\(location): 'txn' without appId or version") }
            try visit(
              .transaction(
                Transaction(appId: appId, version: version, lastUpdated: column.child("lastUpdated")?.int64(at: row))))
          }
        case "domainMetadata":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            guard let domain = column.child("domain")?.string(at: row) else {
              throw DeltaError(.corruptLog, "\(location): 'domainMetadata' without domain")
            }
            try visit(
              .domainMetadata(
                DomainMetadata(
                  domain: domain, configuration: column.child("configuration")?.string(at: row) ?? "",
                  removed: column.child("removed")?.bool(at: row) ?? false)))
          }
        case "checkpointMetadata":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            guard let version = column.child("version")?.int64(at: row) else {
              throw DeltaError(.corruptLog, "\(location): 'checkpointMetadata' without version")
            }
            try visit(
              .checkpointMetadata(CheckpointMetadata(version: version, tags: column.child("tags")?.stringMap(at: row))))
          }
        case "sidecar":
          for row in 0..<batch.rowCount where !column.isNull(row) {
            guard let path = column.child("path")?.string(at: row) else {
              throw DeltaError(.corruptLog, "\(location): 'sidecar' without path")
            }
            try visit(
              .sidecar(
                SidecarFile(
                  path: path, sizeInBytes: column.child("sizeInBytes")?.int64(at: row) ?? 0,
                  modificationTime: column.child("modificationTime")?.int64(at: row) ?? 0,
                  tags: column.child("tags")?.stringMap(at: row))))
          }
        default: break
        }
      }
    }
  }

  private static func deltaProtocol(_ column: ColumnVector, _ row: Int, _ location: String) throws(DeltaError)
    -> DeltaProtocol
  {
    guard let reader = column.child("minReaderVersion")?.int64(at: row),
      let writer = column.child("minWriterVersion")?.int64(at: row)
    else { throw DeltaError(.corruptLog, "\(location): 'protocol' without minReaderVersion or minWriterVersion") }
    return DeltaProtocol(
      minReaderVersion: Int(clamping: reader), minWriterVersion: Int(clamping: writer),
      readerFeatures: column.child("readerFeatures")?.stringArray(at: row),
      writerFeatures: column.child("writerFeatures")?.stringArray(at: row))
  }

  private static func metadata(_ column: ColumnVector, _ row: Int, _ location: String) throws(DeltaError) -> Metadata {
    guard let schemaString = column.child("schemaString")?.string(at: row) else {
      throw DeltaError(.corruptLog, "\(location): 'metaData' without schemaString")
    }
    let format = column.child("format")
    return Metadata(
      id: column.child("id")?.string(at: row) ?? "", name: column.child("name")?.string(at: row),
      description: column.child("description")?.string(at: row),
      formatProvider: format?.child("provider")?.string(at: row) ?? "parquet",
      formatOptions: format?.child("options")?.stringMap(at: row) ?? [:], schemaString: schemaString,
      partitionColumns: column.child("partitionColumns")?.stringArray(at: row) ?? [],
      createdTime: column.child("createdTime")?.int64(at: row),
      configuration: column.child("configuration")?.stringMap(at: row) ?? [:])
  }

  /// A deletion vector descriptor struct at `row`.
  static func deletionVector(_ column: ColumnVector?, _ row: Int) -> DeletionVectorDescriptor? {
    guard let column, !column.isNull(row), let storageType = column.child("storageType")?.string(at: row),
      let pathOrInline = column.child("pathOrInlineDv")?.string(at: row)
    else { return nil }
    return DeletionVectorDescriptor(
      storageType: storageType, pathOrInlineDv: pathOrInline,
      offset: column.child("offset")?.int64(at: row).map { Int($0) },
      sizeInBytes: Int(column.child("sizeInBytes")?.int64(at: row) ?? 0),
      cardinality: column.child("cardinality")?.int64(at: row) ?? 0)
  }

  /// The children of an `add` struct column, looked up once per row group.
  private struct AddColumns: Sendable {
    let path, partitionValues, size, modificationTime, dataChange, stats, tags, deletionVector: ColumnVector?
    let baseRowId, defaultRowCommitVersion, clusteringProvider, statsParsed, partitionValuesParsed: ColumnVector?

    init(_ column: ColumnVector) {
      path = column.child("path")
      partitionValues = column.child("partitionValues")
      size = column.child("size")
      modificationTime = column.child("modificationTime")
      dataChange = column.child("dataChange")
      stats = column.child("stats")
      tags = column.child("tags")
      deletionVector = column.child("deletionVector")
      baseRowId = column.child("baseRowId")
      defaultRowCommitVersion = column.child("defaultRowCommitVersion")
      clusteringProvider = column.child("clusteringProvider")
      statsParsed = column.child("stats_parsed")
      partitionValuesParsed = column.child("partitionValues_parsed")
    }

    /// The adds of rows `0..<rowCount` where `present` is not null, minus those in `excluding`,
    /// in row order. Workers build contiguous row ranges straight into the result's storage, and
    /// the kept ranges are then moved together: no ``AddFile`` is copied (each copy retains a
    /// dozen references, which at 100,000 files costs as much as building them).
    func adds(present: ColumnVector, rowCount: Int, location: String, excluding: Set<FileKey>) throws(DeltaError)
      -> [AddFile]
    {
      let rowsPerTask = 4096
      let taskCount = (rowCount + rowsPerTask - 1) / rowsPerTask
      let kept = ResultSlots<Int>(count: taskCount)
      // Room for as many more files as `excluding` has keys: the snapshot appends the adds of
      // the commits after the checkpoint (all among those keys) without moving these again.
      let adds = [AddFile](unsafeUninitializedCapacity: rowCount + excluding.count) { buffer, initializedCount in
        let base = UncheckedPointer(buffer.baseAddress)
        // Task t fills slots from t * rowsPerTask on with the adds of its rows that are kept.
        let build: @Sendable (Int) -> Void = { task in
          let start = task * rowsPerTask
          var count = 0
          do throws(DeltaError) {
            for row in start..<min(rowCount, start + rowsPerTask) where !present.isNull(row) {
              let add = try self.add(at: row, location: location)
              if !excluding.isEmpty && excluding.contains(add.key) { continue }
              (base.pointer! + start + count).initialize(to: add)
              count += 1
            }
            kept.set(task, .success(count))
          } catch {
            (base.pointer! + start).deinitialize(count: count)
            kept.set(task, .failure(error))
          }
        }
        if taskCount > 1 {
          DispatchQueue.concurrentPerform(iterations: taskCount, execute: build)
        } else if taskCount == 1 {
          build(0)
        }
        guard let base = buffer.baseAddress else { return }
        var filled = 0
        for task in 0..<taskCount {
          guard case .success(let count) = kept.result(task) else { continue }
          let from = base + task * rowsPerTask
          if filled != task * rowsPerTask, count > 0 { (base + filled).moveInitialize(from: from, count: count) }
          filled += count
        }
        initializedCount = filled
      }
      _ = try kept.values()  // the first failure, if any (its task left nothing initialized)
      return adds
    }

    func add(at row: Int, location: String) throws(DeltaError) -> AddFile {
      guard let path = path?.string(at: row) else { throw DeltaError(.corruptLog, "\(location): 'add' without path") }
      var partitions = partitionValues?.stringMap(at: row)
      if partitions == nil, let parsed = partitionValuesParsed, !parsed.isNull(row) {
        partitions = PartitionValueText.strings(fromParsed: parsed, row: row)
      }
      var add = AddFile(
        path: path, partitionValues: partitions ?? [:], size: size?.int64(at: row) ?? 0,
        modificationTime: modificationTime?.int64(at: row) ?? 0, dataChange: dataChange?.bool(at: row) ?? true)
      add.stats = stats?.string(at: row)
      if add.stats == nil, let statsParsed, !statsParsed.isNull(row) {
        add.parsedStats = FileStatistics(parsed: statsParsed, row: row)
      }
      add.tags = tags?.stringMap(at: row)
      add.deletionVector = CheckpointActionDecoder.deletionVector(deletionVector, row)
      add.baseRowId = baseRowId?.int64(at: row)
      add.defaultRowCommitVersion = defaultRowCommitVersion?.int64(at: row)
      add.clusteringProvider = clusteringProvider?.string(at: row)
      return add
    }
  }

  private struct RemoveColumns {
    let path, deletionTimestamp, dataChange, extendedFileMetadata, partitionValues, size, tags,
      deletionVector: ColumnVector?
    let baseRowId, defaultRowCommitVersion: ColumnVector?

    init(_ column: ColumnVector) {
      path = column.child("path")
      deletionTimestamp = column.child("deletionTimestamp")
      dataChange = column.child("dataChange")
      extendedFileMetadata = column.child("extendedFileMetadata")
      partitionValues = column.child("partitionValues")
      size = column.child("size")
      tags = column.child("tags")
      deletionVector = column.child("deletionVector")
      baseRowId = column.child("baseRowId")
      defaultRowCommitVersion = column.child("defaultRowCommitVersion")
    }

    func remove(at row: Int, location: String) throws(DeltaError) -> RemoveFile {
      guard let path = path?.string(at: row) else {
        throw DeltaError(.corruptLog, "\(location): 'remove' without path")
      }
      return RemoveFile(
        path: path, deletionTimestamp: deletionTimestamp?.int64(at: row), dataChange: dataChange?.bool(at: row) ?? true,
        extendedFileMetadata: extendedFileMetadata?.bool(at: row), partitionValues: partitionValues?.stringMap(at: row),
        size: size?.int64(at: row), tags: tags?.stringMap(at: row),
        deletionVector: CheckpointActionDecoder.deletionVector(deletionVector, row),
        baseRowId: baseRowId?.int64(at: row),
        defaultRowCommitVersion: defaultRowCommitVersion?.int64(at: row))
    }
  }
}

/// A pointer handed to concurrent workers that each write a disjoint range of it.
private struct UncheckedPointer<Pointee>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Pointee>?
  init(_ pointer: UnsafeMutablePointer<Pointee>?) { self.pointer = pointer }
}
