import Columnar
import Expr
import Parquet
import Storage
import Dispatch

/// Writes a table's rows into Parquet data files: one directory per partition (`col=value/`),
/// partition columns left out of the files, a new file once one reaches the target size, and an
/// `add` action with statistics for every finished file.
///
/// Files are written under unique names and only become part of the table when a commit names
/// them; ``abort()`` deletes the ones written so far.
final class DataFileWriter {
  let tableRoot: String
  let storage: any TableStorage
  let schema: Schema
  let partitionColumns: [String]
  let dataSchema: Schema
  let targetFileSize: Int
  /// A file is also closed once it holds this many rows (Spark's `maxRecordsPerFile`).
  let maxRowsPerFile: Int?
  /// The `dataChange` flag of the `add` actions: false when rows are only rearranged (OPTIMIZE).
  let dataChange: Bool
  let parquetOptions: ParquetWriteOptions
  let indexedColumns: Set<ColumnPath>
  /// The most files kept open at once (each buffers up to a row group).
  let maxOpenFiles: Int
  /// The most bytes the open files buffer together: past it, the files written least recently
  /// write out their row groups early. Input sorted by partition then holds one finished
  /// partition's last row group at most, and unsorted input over many partitions stays bounded
  /// at the cost of smaller row groups.
  let bufferBudget: Int
  private var open: [String: OpenFile] = [:]
  private var useCounter = 0
  private var fileCounter = 0
  private let writeID = UUIDText.random()
  private(set) var finished: [AddFile] = []
  /// Every path created, finished or not (for cleanup).
  private var created: [String] = []
  private(set) var rowsWritten: Int64 = 0
  /// Bytes per row of the last file finished: the first step of the next file is sized by it.
  private var lastBytesPerRow: Int?
  /// The most bytes the open files held in memory together between two steps of a write.
  private(set) var peakBufferedBytes = 0

  fileprivate final class OpenFile {
    let relativePath: String
    let fullPath: String
    let partitionValues: [String: String]
    var writer: ParquetFileWriter?
    var stats: StatisticsCollector
    var lastUse = 0
    var rows = 0
    /// The file's size so far: row groups written plus the one buffered.
    var size: Int { (writer?.bytesWritten ?? 0) + (writer?.bufferedBytes ?? 0) }
    init(relativePath: String, fullPath: String, partitionValues: [String: String], writer: consuming ParquetFileWriter, stats: StatisticsCollector) {
      self.relativePath = relativePath
      self.fullPath = fullPath
      self.partitionValues = partitionValues
      self.writer = .some(writer)
      self.stats = stats
    }
  }

  init(
    tableRoot: String, storage: any TableStorage, schema: Schema, partitionColumns: [String],
    configuration: [String: String], targetFileSize: Int, maxRowsPerFile: Int? = nil, dataChange: Bool = true,
    parquetOptions: ParquetWriteOptions, maxOpenFiles: Int = 16
  ) {
    self.maxRowsPerFile = maxRowsPerFile.map { max(1, $0) }
    self.dataChange = dataChange
    self.tableRoot = tableRoot
    self.storage = storage
    self.schema = schema
    self.partitionColumns = partitionColumns
    let partitions = Set(partitionColumns)
    self.dataSchema = Schema(schema.fields.filter { !partitions.contains($0.name) })
    self.targetFileSize = max(1, targetFileSize)
    var options = parquetOptions
    options.rowGroupSize = max(1 << 16, min(options.rowGroupSize, targetFileSize, 64 << 20))
    self.parquetOptions = options
    self.indexedColumns = StatisticsCollector.indexedColumns(schema: dataSchema, configuration: configuration)
    self.maxOpenFiles = max(1, maxOpenFiles)
    self.bufferBudget = 2 * options.rowGroupSize
  }

  /// Writes a batch in the table schema (partition columns included).
  func write(_ batch: RecordBatch) throws(DeltaError) {
    guard batch.rowCount > 0 else { return }
    rowsWritten += Int64(batch.rowCount)
    if partitionColumns.isEmpty {
      try append(batch, rows: 0..<batch.rowCount, partitionValues: [:])
      return
    }
    let partitionIndices = partitionColumns.compactMap { batch.schema.index(of: $0) }
    let dataIndices = batch.schema.fields.indices.filter { !partitionIndices.contains($0) }
    // Group rows by partition; runs of equal values (sorted input) cost one comparison per row.
    var groups: [[ScalarValue]: [Int32]] = [:]
    var order: [[ScalarValue]] = []
    var current: [ScalarValue] = []
    var currentRows: [Int32] = []
    func flush() {
      guard !currentRows.isEmpty else { return }
      if groups[current] == nil { order.append(current) }
      groups[current, default: []].append(contentsOf: currentRows)
      currentRows.removeAll(keepingCapacity: true)
    }
    var values = [ScalarValue](repeating: .null, count: partitionIndices.count)
    let boundaries = PartitionRuns.boundaries(partitionIndices.map { batch.columns[$0] }, rowCount: batch.rowCount)
    for row in 0..<batch.rowCount {
      if !boundaries[row] {
        // Typed columns said this row's partition values are the previous row's.
        currentRows.append(Int32(row))
        continue
      }
      var same = !currentRows.isEmpty
      for (slot, index) in partitionIndices.enumerated() {
        values[slot] = ScalarValue(from: batch.columns[index], row: row)
        if same, values[slot] != current[slot] { same = false }
      }
      if !same {
        flush()
        current = values
      }
      currentRows.append(Int32(row))
    }
    flush()
    // The batch without its partition columns (no copy).
    let whole: RecordBatch
    do {
      whole = try RecordBatch(schema: dataSchema, columns: dataIndices.map { batch.columns[$0] }, rowCount: batch.rowCount)
    } catch {
      throw DeltaError(.invalidArgument, "\(error)")
    }
    for key in order {
      guard let rows = groups[key], let first = rows.first, let last = rows.last else { continue }
      var partitionValues: [String: String] = [:]
      for (slot, name) in partitionColumns.enumerated() where slot < key.count {
        if let text = PartitionPath.valueText(key[slot]) { partitionValues[name] = text }
      }
      if Int(last) - Int(first) + 1 == rows.count {
        // One run of rows (input sorted by partition) is written in place.
        try append(whole, rows: Int(first)..<Int(last) + 1, partitionValues: partitionValues)
        continue
      }
      let data: RecordBatch
      do {
        data = try RecordBatch(
          schema: dataSchema, columns: dataIndices.map { batch.columns[$0].gathered(rows) }, rowCount: rows.count)
      } catch {
        throw DeltaError(.invalidArgument, "\(error)")
      }
      try append(data, rows: 0..<rows.count, partitionValues: partitionValues)
    }
  }

  /// Writes rows `rows` of `data` (in the data file schema) into the partition's open file, in
  /// steps of about an eighth of the target file size so that a file ends close to the target
  /// (and at a row limit exactly) even when one batch holds several files' worth of rows.
  private func append(_ data: RecordBatch, rows: Range<Int>, partitionValues: [String: String]) throws(DeltaError) {
    let directory = PartitionPath.directory(columns: partitionColumns, values: partitionValues)
    var start = rows.lowerBound
    while start < rows.upperBound {
      useCounter += 1
      let file = try openFile(directory: directory, partitionValues: partitionValues)
      file.lastUse = useCounter
      var take = min(rows.upperBound - start, stepRows(file))
      if let maxRowsPerFile { take = min(take, maxRowsPerFile - file.rows) }
      let part = start..<start + take
      file.rows += take
      start += take
      if let error = Self.encodeAndCollectStatistics(data, rows: part, into: file) {
        throw DeltaError(.io, "cannot write a data file: \(error)", path: file.fullPath, cause: error)
      }
      if file.size >= targetFileSize || file.rows >= (maxRowsPerFile ?? Int.max) {
        try finish(directory)
      } else {
        try limitBufferedBytes(writing: directory)
      }
    }
  }

  /// Rows to hand a file at once: an eighth of the target size at the bytes per row seen so far
  /// (in this file, else in the last one finished).
  private func stepRows(_ file: OpenFile) -> Int {
    var bytesPerRow = lastBytesPerRow
    if file.rows > 0 { bytesPerRow = max(1, file.size / file.rows) }
    // Nothing seen yet: a small first step measures the rows.
    guard let bytesPerRow else { return 4096 }
    return max(4096, targetFileSize / 8 / bytesPerRow)
  }

  /// Adds `part` to the file's statistics and to its Parquet writer at the same time: both read
  /// every value. The statistics run on a thread of their own and the encoder on this one; the
  /// encoder then spreads its columns over every core (from inside a `concurrentPerform` it
  /// would run them one after another, leaving a core idle once the statistics are done).
  private static func encodeAndCollectStatistics(_ data: RecordBatch, rows: Range<Int>, into file: OpenFile)
    -> ParquetError?
  {
    // Small parts are not worth a second thread.
    guard rows.count >= 4096 else {
      file.stats.add(data, rows: rows)
      do { try file.writer?.write(data, rows: rows) } catch { return error }
      return nil
    }
    let target = UncheckedFile(file)
    let statistics = DispatchGroup()
    // The two sides touch disjoint parts of the file: its statistics, and its writer.
    DispatchQueue.global().async(group: statistics) { target.file.stats.add(data, rows: rows) }
    var failure: ParquetError?
    do { try file.writer?.write(data, rows: rows) } catch { failure = error }
    statistics.wait()
    return failure
  }

  /// Flushes the row groups of the least recently written files until the open files buffer
  /// no more than ``bufferBudget`` bytes (or only `current` is left).
  private func limitBufferedBytes(writing current: String) throws(DeltaError) {
    var total = 0
    for file in open.values { total += file.writer?.bufferedBytes ?? 0 }
    if total > bufferBudget {
      for (directory, file) in open.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where directory != current {
        let buffered = file.writer?.bufferedBytes ?? 0
        guard buffered > 0 else { continue }
        do {
          try file.writer?.flushRowGroup()
        } catch {
          throw DeltaError(.io, "cannot write a data file: \(error)", path: file.fullPath, cause: error)
        }
        total -= buffered
        if total <= bufferBudget { break }
      }
    }
    peakBufferedBytes = max(peakBufferedBytes, total)
  }

  private func openFile(directory: String, partitionValues: [String: String]) throws(DeltaError) -> OpenFile {
    if let file = open[directory] { return file }
    if open.count >= maxOpenFiles, let oldest = open.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
      try finish(oldest)
    }
    let suffix: String
    switch parquetOptions.compression {
    case .snappy: suffix = ".snappy.parquet"
    case .zstd: suffix = ".zstd.parquet"
    case .gzip: suffix = ".gz.parquet"
    case .lz4Raw: suffix = ".lz4raw.parquet"
    default: suffix = ".parquet"
    }
    let number = String(fileCounter)
    fileCounter += 1
    let name = "part-" + String(repeating: "0", count: max(0, 5 - number.count)) + number + "-" + writeID + ".c000" + suffix
    let relative = directory + name
    let full = tableRoot + "/" + relative
    try storage.createDirectory(directory.isEmpty ? tableRoot : tableRoot + "/" + directory)
    let sink = try storage.createFile(full)
    created.append(full)
    let writer: ParquetFileWriter
    do {
      writer = try ParquetFileWriter(file: sink, schema: dataSchema, options: parquetOptions)
    } catch {
      throw DeltaError(.io, "cannot start a data file: \(error)", path: full, cause: error)
    }
    let indexed = indexedColumns
    let file = OpenFile(
      relativePath: relative, fullPath: full, partitionValues: partitionValues, writer: writer,
      stats: StatisticsCollector(schema: dataSchema, indexed: { indexed.contains($0) }))
    open[directory] = file
    return file
  }

  private func finish(_ directory: String) throws(DeltaError) {
    guard let file = open.removeValue(forKey: directory), let writer = file.writer.take() else { return }
    do {
      try writer.close(keyValueMetadata: [:])
    } catch {
      throw DeltaError(.io, "cannot finish a data file: \(error)", path: file.fullPath, cause: error)
    }
    let info = try storage.statFile(file.fullPath)
    // The smallest Parquet file is 12 bytes (two magics and a footer length).
    guard info.size >= 12 else {
      throw DeltaError(.io, "the data file was not stored whole (\(info.size) bytes on storage)", path: file.fullPath)
    }
    if file.rows > 0 { lastBytesPerRow = max(1, Int(info.size) / file.rows) }
    finished.append(
      AddFile(
        path: PartitionPath.uriEncoded(file.relativePath), partitionValues: file.partitionValues, size: info.size,
        modificationTime: info.modificationTime, dataChange: dataChange, stats: file.stats.json()))
  }

  /// Finishes every open file and returns the `add` actions of all files written.
  func close() throws(DeltaError) -> [AddFile] {
    for directory in open.keys.sorted() { try finish(directory) }
    return finished
  }

  /// Abandons open files and deletes finished ones (best effort).
  func abort() {
    for file in open.values {
      // Dropping a writer without closing it aborts its file.
      _ = file.writer.take()
    }
    open.removeAll()
    for path in created { try? storage.deleteFile(path) }
  }
}

/// Where the partition values of a batch may change, found column by column over the typed
/// buffers, so rows in a run cost no `ScalarValue` each.
enum PartitionRuns {
  /// `result[row]` is false only when every column's value at `row` is known to equal the one
  /// at `row - 1`; row 0 is always a boundary.
  static func boundaries(_ columns: [ColumnVector], rowCount: Int) -> [Bool] {
    var result = [Bool](repeating: false, count: rowCount)
    guard rowCount > 0 else { return result }
    result[0] = true
    for column in columns { mark(column, &result) }
    return result
  }

  private static func mark(_ column: ColumnVector, _ result: inout [Bool]) {
    let n = result.count
    let validity = column.validity
    func differs(_ row: Int, _ valuesDiffer: () -> Bool) -> Bool {
      guard let validity else { return valuesDiffer() }
      let null = !validity[row]
      if null != !validity[row - 1] { return true }
      return !null && valuesDiffer()
    }
    switch column.storage {
    case .int32(let v):
      for row in 1..<max(1, n) where !result[row] && differs(row, { v[row] != v[row - 1] }) { result[row] = true }
    case .int64(let v):
      for row in 1..<max(1, n) where !result[row] && differs(row, { v[row] != v[row - 1] }) { result[row] = true }
    case .dictionary(let indices, _):
      // Equal indices are equal values; unequal ones are compared as values by the caller.
      for row in 1..<max(1, n) where !result[row] && differs(row, { indices[row] != indices[row - 1] }) { result[row] = true }
    case .binary(let offsets, let bytes):
      for row in 1..<max(1, n) where !result[row] && differs(row, {
        let a = Int(offsets[row - 1])..<Int(offsets[row])
        let b = Int(offsets[row])..<Int(offsets[row + 1])
        return a.count != b.count || !bytes[a].elementsEqual(bytes[b])
      }) { result[row] = true }
    default:
      for row in 1..<max(1, n) { result[row] = true }
    }
  }
}

/// An open file handed to the two tasks of ``DataFileWriter``'s encode step, which touch
/// disjoint fields of it (statistics and writer).
private struct UncheckedFile: @unchecked Sendable {
  let file: DataFileWriter.OpenFile
  init(_ file: DataFileWriter.OpenFile) { self.file = file }
}
