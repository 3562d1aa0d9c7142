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
  func read(
    _ file: ScanFile, decodeColumnsInParallel: Bool, metrics: inout FileReadMetrics,
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
        switch source {
        case .partition(let value): columns.append(.constant(value, type: field.type, count: rows))
        case .data(let position):
          columns.append(try conformer.conform(batch.columns[position], to: field, path: field.name))
        case .missing:
          columns.append(
            field.type == .null
              ? ColumnVector(type: .null, count: rows, storage: .none) : .nulls(field.type, count: rows))
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
}
