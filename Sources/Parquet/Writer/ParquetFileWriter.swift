public import Columnar
import Dispatch
public import Storage
import Synchronization

/// Writes record batches to a Parquet file.
///
/// ```swift
/// var writer = try ParquetFileWriter(
///   file: try LocalWritableFile(path: "flows.parquet"), schema: schema, options: ParquetWriteOptions())
/// for batch in batches { try writer.write(batch) }
/// let footer = try writer.close()
/// ```
///
/// Batches of any size are cut into row groups of at most ``ParquetWriteOptions/rowGroupRowLimit``
/// rows, and a row group is written out as soon as its encoded pages reach
/// ``ParquetWriteOptions/rowGroupSize`` bytes, so memory stays bounded by one row group however
/// many rows go through. Each column chunk is encoded as it fills: dictionary pages while the
/// dictionary pays, data pages of ``ParquetWriteOptions/dataPageSize`` bytes, compressed with
/// ``ParquetWriteOptions/compression``.
///
/// The writer owns its file: on any error, and when it is dropped without ``close(keyValueMetadata:)``,
/// the file is aborted, so a half-written file never becomes visible.
public struct ParquetFileWriter: ~Copyable {
  /// The schema every batch must have.
  public let schema: Schema
  public let options: ParquetWriteOptions
  private var file: any WritableFile
  private let writerSchema: WriterSchema
  private var columns: [ColumnWriter]
  private let scratch: ShredScratch
  private var rowGroups: [RowGroup] = []
  /// Rows buffered in the row group in progress.
  private var bufferedRows = 0
  private var rowsWritten: Int64 = 0
  private var isOpen = true

  /// Rows per slice: a batch is shredded and encoded this many rows at a time, which bounds the
  /// scratch memory of shredding and lets a row group end inside a batch. Adjusted to the
  /// bytes a row takes so that a slice is a small part of a row group.
  private var sliceRows = 4096
  private static var maxSliceRows: Int { 16_384 }

  /// Starts a file: checks the schema and options and writes the leading magic.
  public init(file: some WritableFile, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions())
    throws(ParquetError)
  {
    var file: any WritableFile = file
    let writerSchema: WriterSchema
    let columns: [ColumnWriter]
    do {
      try options.validate()
      writerSchema = try WriterSchema(schema)
      columns = try writerSchema.leaves.map { (plan) throws(ParquetError) in
        try ColumnWriterFactory.makeWriter(for: plan, options: options)
      }
      try Self.write(Self.magic, to: &file)
    } catch {
      file.abort()
      throw error.at(path: file.path)
    }
    self.schema = schema
    self.options = options
    self.file = file
    self.writerSchema = writerSchema
    self.columns = columns
    self.scratch = ShredScratch(count: columns.count)
  }

  deinit {
    guard isOpen else { return }
    var file = self.file
    file.abort()
  }

  /// The number of rows written so far, including those buffered in the open row group.
  public var rowCount: Int64 { rowsWritten + Int64(bufferedRows) }

  /// Bytes written to the file so far (row groups already flushed).
  public var bytesWritten: Int { file.position }

  /// Bytes held in memory for the row group in progress (encoded pages and dictionaries).
  public var bufferedBytes: Int { bufferedByteCount }

  /// Adds a batch's rows. The batch's schema must have this writer's column names and types
  /// (nullability and metadata may differ; a null in a non-nullable column is an error).
  public mutating func write(_ batch: RecordBatch) throws(ParquetError) {
    try write(batch, rows: 0..<batch.rowCount)
  }

  /// Adds the rows `rows` of `batch` (a part of a batch, without copying it out).
  public mutating func write(_ batch: RecordBatch, rows: Range<Int>) throws(ParquetError) {
    guard isOpen else { throw ParquetError(.invalidArgument, "the writer is closed", path: file.path) }
    guard rows.lowerBound >= 0, rows.upperBound <= batch.rowCount else {
      throw ParquetError(.invalidArgument, "rows \(rows) lie outside the batch's \(batch.rowCount)", path: file.path)
    }
    do {
      try checkSchema(batch.schema)
      var row = rows.lowerBound
      while row < rows.upperBound {
        let take = Swift.min(rows.upperBound - row, sliceRows, options.rowGroupRowLimit - bufferedRows)
        try appendSlice(batch, rows: row..<(row + take))
        bufferedRows += take
        row += take
        let buffered = bufferedByteCount
        let bytesPerRow = Swift.max(1, buffered / bufferedRows)
        sliceRows = Swift.min(Self.maxSliceRows, Swift.max(16, options.rowGroupSize / bytesPerRow / 8))
        if bufferedRows >= options.rowGroupRowLimit || buffered >= options.rowGroupSize {
          try writeRowGroup()
        }
      }
    } catch {
      fail()
      throw error.at(path: file.path)
    }
  }

  /// Writes the row group in progress now, whatever its size. Does nothing when it is empty.
  public mutating func flushRowGroup() throws(ParquetError) {
    guard isOpen else { throw ParquetError(.invalidArgument, "the writer is closed", path: file.path) }
    do {
      try writeRowGroup()
    } catch {
      fail()
      throw error.at(path: file.path)
    }
  }

  /// Writes the last row group and the footer, and closes the file (which makes it visible).
  /// `keyValueMetadata` is added to the schema's metadata in the footer (and wins on equal keys).
  @discardableResult
  public consuming func close(keyValueMetadata: [String: String] = [:]) throws(ParquetError) -> FileMetaData {
    guard isOpen else { throw ParquetError(.invalidArgument, "the writer is closed", path: file.path) }
    do throws(ParquetError) {
      try writeRowGroup()
      let metadata = footer(keyValueMetadata: keyValueMetadata)
      let encoded = metadata.compactEncoded()
      guard let length = UInt32(exactly: encoded.count) else {
        throw ParquetError(.invalidArgument, "footer of \(encoded.count) bytes is too large")
      }
      try Self.write(encoded, to: &file)
      try Self.write(withUnsafeBytes(of: length.littleEndian) { Array($0) }, to: &file)
      try Self.write(Self.magic, to: &file)
      do {
        try file.close()
      } catch {
        throw ParquetError(.io, "cannot close the file", cause: error)
      }
      isOpen = false
      return metadata
    } catch {
      fail()
      throw error.at(path: file.path)
    }
  }

  /// Abandons the file after an error.
  /// Shreds and encodes rows of every leaf. Leaves are independent (each writer and scratch
  /// belongs to one leaf), so big slices spread them over the cores.
  private func appendSlice(_ batch: RecordBatch, rows: Range<Int>) throws(ParquetError) {
    let work = SliceWork(columns: columns, batch: batch, rows: rows, scratch: scratch)
    if rows.count < 2048 || columns.count < 2 {
      for index in columns.indices { try work.run(index) }
      return
    }
    let failure = Mutex<ParquetError?>(nil)
    DispatchQueue.concurrentPerform(iterations: columns.count) { index in
      do throws(ParquetError) {
        try work.run(index)
      } catch {
        failure.withLock { $0 = $0 ?? error }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
  }

  private mutating func fail() {
    if isOpen { file.abort() }
    isOpen = false
  }

  private static let magic: [UInt8] = Array("PAR1".utf8)

  private var bufferedByteCount: Int {
    var total = 0
    for column in columns { total += column.bufferedByteCount }
    return total
  }

  private func checkSchema(_ batchSchema: Schema) throws(ParquetError) {
    let fields = schema.fields
    let other = batchSchema.fields
    guard fields.count == other.count,
      zip(fields, other).allSatisfy({ $0.name == $1.name && Self.sameShape($0.type, $1.type) })
    else {
      throw ParquetError(
        .invalidArgument,
        "batch schema \(Self.describe(batchSchema)) does not match the file schema \(Self.describe(schema))")
    }
  }

  /// Equal types, with nested fields compared by name and type only.
  private static func sameShape(_ a: DataType, _ b: DataType) -> Bool {
    switch (a, b) {
    case (.structure(let x), .structure(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.name == $1.name && sameShape($0.type, $1.type) }
    case (.list(let x), .list(let y)):
      return sameShape(x.type, y.type)
    case (.map(let xk, let xv), .map(let yk, let yv)):
      return sameShape(xk.type, yk.type) && sameShape(xv.type, yv.type)
    default:
      return a == b
    }
  }

  private static func describe(_ schema: Schema) -> String {
    "(" + schema.fields.map { describe($0) }.joined(separator: ", ") + ")"
  }

  private static func describe(_ field: Field) -> String {
    let type: String
    switch field.type {
    case .structure(let children): type = "struct<" + children.map { describe($0) }.joined(separator: ", ") + ">"
    case .list(let element): type = "list<" + describe(element) + ">"
    case .map(let key, let value): type = "map<" + describe(key) + ", " + describe(value) + ">"
    default: type = "\(field.type)"
    }
    return "\(field.name): \(type)\(field.nullable ? "" : " not null")"
  }

  /// Finishes every column chunk of the row group in progress and writes them out.
  private mutating func writeRowGroup() throws(ParquetError) {
    guard bufferedRows > 0 else { return }
    let groupStart = file.position
    var chunks: [ColumnChunk] = []
    chunks.reserveCapacity(columns.count)
    var uncompressed: Int64 = 0
    var compressed: Int64 = 0
    for column in columns {
      let start = Int64(file.position)
      let metadata = try column.writeChunk(to: &file)
      chunks.append(ColumnChunk(fileOffset: start, metaData: metadata))
      uncompressed += metadata.totalUncompressedSize
      compressed += metadata.totalCompressedSize
    }
    let ordinal = Int16(exactly: rowGroups.count)
    rowGroups.append(
      RowGroup(
        columns: chunks, totalByteSize: uncompressed, numRows: Int64(bufferedRows), fileOffset: Int64(groupStart),
        totalCompressedSize: compressed, ordinal: ordinal))
    rowsWritten += Int64(bufferedRows)
    bufferedRows = 0
  }

  private func footer(keyValueMetadata: [String: String]) -> FileMetaData {
    let merged = schema.metadata.merging(keyValueMetadata) { _, new in new }
    let keyValues = merged.keys.sorted().map { KeyValue(key: $0, value: merged[$0]) }
    return FileMetaData(
      version: 2, schema: writerSchema.elements, numRows: rowsWritten, rowGroups: rowGroups,
      keyValueMetadata: keyValues.isEmpty ? nil : keyValues, createdBy: options.createdBy,
      columnOrders: Array(repeating: .typeDefinedOrder, count: writerSchema.leaves.count))
  }

  static func write(_ bytes: [UInt8], to file: inout any WritableFile) throws(ParquetError) {
    do {
      try file.write(bytes)
    } catch let error as ParquetError {
      throw error
    } catch {
      throw ParquetError(.io, "cannot write \(bytes.count) bytes", cause: error)
    }
  }
}
