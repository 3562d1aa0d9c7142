import Columnar
import Expr
import Parquet
import Storage

/// Reads the data files of a scan into batches of the table's (projected) schema, skipping the
/// row groups whose Parquet statistics rule out the scan's predicate.
struct DataFileReader {
  let snapshot: Snapshot
  let fields: [Field]
  /// The scan's predicate, simplified; nil when it cannot skip anything.
  let predicate: Predicate?
  private let partitionNames: Set<String>
  private let predicateColumns: Set<ColumnPath>

  init(snapshot: Snapshot, fields: [Field], predicate: Predicate?) {
    self.snapshot = snapshot
    self.fields = fields
    self.partitionNames = Set(snapshot.partitionColumns)
    var simplified = predicate?.simplified()
    if case .literal(true)? = simplified { simplified = nil }
    self.predicate = simplified
    self.predicateColumns = simplified?.columns ?? []
  }

  /// Where each output column comes from.
  private enum Source {
    case partition(ScalarValue)
    /// Position in the batch read from the file.
    case data(Int)
    case missing
  }

  /// Reads `file`, calling `visit` with a batch per row group read (deleted rows dropped) and
  /// adding what it read to `metrics`; returns false when `visit` asked to stop.
  ///
  /// With `decodeColumnsInParallel` a row group's columns are decoded on several cores; callers
  /// that read several files at once pass false.
  ///
  /// With `rowFilter` (and no deletion vector) only the rows it keeps are decoded and visited.
  func read(
    _ file: ScanFile, decodeColumnsInParallel: Bool, rowFilter: RowFilter? = nil, metrics: inout FileReadMetrics,
    visit: (RecordBatch) throws(DeltaError) -> Bool
  ) throws(DeltaError) -> Bool {
    let handle: any ReadableFile
    do {
      handle = try snapshot.storage.openFile(file.path)
    } catch {
      if error.code == .missingFile {
        throw DeltaError(
          .missingFile,
          "data file '\(file.add.path)' of version \(snapshot.version) does not exist (it may have been vacuumed)",
          path: file.path)
      }
      throw error
    }
    var reader: ParquetFileReader
    do {
      reader = try ParquetFileReader(file: handle)
    } catch {
      throw DeltaError(.incompatibleData, "cannot read data file: \(error.message)", path: file.path, cause: error)
    }
    reader.decodesInParallel = decodeColumnsInParallel
    let conformer = ColumnConformer(mode: snapshot.columnMappingMode, filePath: file.path)
    let fileFields = reader.schema.schema.fields
    var fileColumns: [Int] = []
    var sources: [Source] = []
    for field in fields {
      if partitionNames.contains(field.name) {
        sources.append(.partition(file.partitionValues[field.name] ?? .null))
      } else if field.type != .null, let index = conformer.match(field, in: fileFields) {
        if let position = fileColumns.firstIndex(of: index) {
          sources.append(.data(position))
        } else {
          sources.append(.data(fileColumns.count))
          fileColumns.append(index)
        }
      } else {
        sources.append(.missing)
      }
    }
    let deleted = try DeletionVectorLoading.deletedRows(for: file.add, snapshot: snapshot)
    let schema = Schema(fields)
    let statisticsColumns = predicate.map { _ in
      RowGroupColumns(
        paths: predicateColumns, tableFields: snapshot.schema.fields, partitionValues: file.partitionValues,
        partitionNames: partitionNames, conformer: conformer, reader: reader)
    }
    metrics.rowGroups += reader.rowGroupCount
    // Row indices of deletion vectors count from the start of the file, skipped groups included.
    var rowOffset = 0
    for group in 0..<reader.rowGroupCount {
      let groupRows = reader.metadata.rowGroups[group].numRows
      if let predicate, let statisticsColumns, groupRows >= 0 {
        let statistics = RowGroupStatisticsSource(
          rowGroup: group, rowCount: groupRows, reader: reader, columns: statisticsColumns)
        if !Pruning.mightMatch(predicate, in: statistics) {
          metrics.rowGroupsSkipped += 1
          rowOffset += Int(groupRows)
          continue
        }
      }
      if let rowFilter, deleted == nil, reader.canSelectRows(columns: fileColumns) {
        let rows = Int(groupRows)
        let output = try readFiltered(
          group, rows: rows, rowFilter: rowFilter, reader: reader, fileColumns: fileColumns, sources: sources,
          conformer: conformer, path: file.path)
        metrics.rowsRead += rows
        metrics.bytesRead += reader.compressedSize(rowGroup: group, columns: fileColumns)
        rowOffset += rows
        guard let output else { return false }
        metrics.rowsFiltered += rows
        metrics.rowsKept += output.rowCount
        if output.rowCount == 0 { continue }
        guard try visit(output) else { return false }
        continue
      }
      let batch: RecordBatch
      do {
        batch = try reader.readRowGroup(group, columns: fileColumns)
      } catch {
        throw DeltaError(
          .incompatibleData, "cannot read row group \(group): \(error.message)", path: file.path, cause: error)
      }
      let rows = batch.rowCount
      metrics.rowsRead += rows
      metrics.bytesRead += reader.compressedSize(rowGroup: group, columns: fileColumns)
      var columns: [ColumnVector] = []
      columns.reserveCapacity(fields.count)
      for (field, source) in zip(fields, sources) {
        if case .data(let position) = source {
          columns.append(try conformer.conform(batch.columns[position], to: field, path: field.name))
        } else {
          columns.append(column(for: source, field, rows: rows))
        }
      }
      var output: RecordBatch
      do {
        output = try RecordBatch(schema: schema, columns: columns, rowCount: rows)
      } catch {
        throw DeltaError(.incompatibleData, "row group \(group): \(error.message)", path: file.path)
      }
      if let deleted {
        output = try output.filtered(deleted.keepMask(start: UInt64(rowOffset), count: rows))
      }
      rowOffset += rows
      if output.rowCount == 0 && deleted != nil { continue }
      guard try visit(output) else { return false }
    }
    return true
  }

  /// Row group `group` with `rowFilter` applied as it is read: the filter's columns first, then
  /// the others for the kept rows only. Nil when the filter stopped the scan.
  private func readFiltered(
    _ group: Int, rows: Int, rowFilter: RowFilter, reader: ParquetFileReader, fileColumns: [Int], sources: [Source],
    conformer: ColumnConformer, path: String
  ) throws(DeltaError) -> RecordBatch? {
    func read(_ columns: [Int], rows selected: [Int32]? = nil) throws(DeltaError) -> RecordBatch {
      do {
        return try reader.readRowGroup(group, columns: columns, rows: selected)
      } catch {
        throw DeltaError(.incompatibleData, "cannot read row group \(group): \(error.message)", path: path, cause: error)
      }
    }
    func batch(_ columns: [ColumnVector], rows: Int) throws(DeltaError) -> RecordBatch {
      do {
        return try RecordBatch(schema: Schema(fields), columns: columns, rowCount: rows)
      } catch {
        throw DeltaError(.incompatibleData, "row group \(group): \(error.message)", path: path)
      }
    }
    // Phase 1: the filter's columns; the rest stand in as NULLs without buffers.
    var filterPositions: [Int] = []
    for index in rowFilter.fields {
      if case .data(let position) = sources[index], !filterPositions.contains(position) { filterPositions.append(position) }
    }
    let filterBatch = try read(filterPositions.map { fileColumns[$0] })
    let wanted = Set(rowFilter.fields)
    var probeColumns: [ColumnVector] = []
    for (index, (field, source)) in zip(fields, sources).enumerated() {
      if !wanted.contains(index) {
        probeColumns.append(ColumnVector(type: field.type, count: rows, storage: .none))
      } else if case .data(let position) = source, let at = filterPositions.firstIndex(of: position) {
        probeColumns.append(try conformer.conform(filterBatch.columns[at], to: field, path: field.name))
      } else {
        probeColumns.append(column(for: source, field, rows: rows))
      }
    }
    let probe = try batch(probeColumns, rows: rows)
    guard let keep = rowFilter.select(probe) else { return nil }
    let kept = keep.setCount
    if kept == 0 { return try batch(fields.map { column(for: .missing, $0, rows: 0) }, rows: 0) }
    // Phase 2: the other columns, for the kept rows only.
    let keptRows = kept == rows ? nil : ColumnVector.selectedRows(keep, count: kept)
    let restPositions = fileColumns.indices.filter { !filterPositions.contains($0) }
    let restBatch = restPositions.isEmpty ? nil : try read(restPositions.map { fileColumns[$0] }, rows: keptRows)
    var columns: [ColumnVector] = []
    for (field, source) in zip(fields, sources) {
      if case .data(let position) = source {
        if let at = filterPositions.firstIndex(of: position) {
          let full = try conformer.conform(filterBatch.columns[at], to: field, path: field.name)
          columns.append(keptRows.map { full.gathered($0) } ?? full)
        } else if let restBatch, let at = restPositions.firstIndex(of: position) {
          columns.append(try conformer.conform(restBatch.columns[at], to: field, path: field.name))
        }
      } else {
        columns.append(column(for: source, field, rows: kept))
      }
    }
    return try batch(columns, rows: kept)
  }

  /// A column that is not read from the file: a partition value, or NULLs for a missing one.
  private func column(for source: Source, _ field: Field, rows: Int) -> ColumnVector {
    switch source {
    case .partition(let value): return .constant(value, type: field.type, count: rows)
    case .data, .missing:
      return field.type == .null ? ColumnVector(type: .null, count: rows, storage: .none) : .nulls(field.type, count: rows)
    }
  }
}
