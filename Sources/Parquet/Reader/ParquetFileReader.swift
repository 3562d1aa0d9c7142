public import Columnar
import Dispatch
public import Storage
import Synchronization

/// Reads a Parquet file: its footer on open, then whole row groups (all columns or a projection)
/// as record batches.
public struct ParquetFileReader: Sendable {
  public let file: any ReadableFile
  public let metadata: FileMetaData
  public let schema: ParquetSchema
  /// Whether a row group's columns are decoded on several cores (the default) or on the
  /// calling thread only.
  public var decodesInParallel = true

  private static let magic: [UInt8] = Array("PAR1".utf8)

  /// Opens `file` and decodes its footer.
  public init(file: any ReadableFile) throws(ParquetError) {
    self.file = file
    let size = file.size
    guard size >= 12 else {
      throw ParquetError(.corrupt, "\(size) bytes is too small for a Parquet file (at least 12)", path: file.path)
    }
    let tail = try Self.read(file, offset: size - 8, length: 8)
    guard Array(tail[4..<8]) == Self.magic else {
      throw ParquetError(.corrupt, "no PAR1 magic at the end: not a Parquet file", path: file.path)
    }
    let footerLength = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
    guard footerLength <= size - 12 else {
      throw ParquetError(
        .corrupt, "footer length \(footerLength) does not fit in a \(size)-byte file", path: file.path)
    }
    let footer = try Self.read(file, offset: size - 8 - footerLength, length: footerLength)
    do {
      metadata = try footer.withUnsafeBytes { try FileMetaData.decode($0) }
    } catch let error as ParquetError {
      throw ParquetError(error.code, "footer: \(error.message)", path: file.path, cause: error.cause)
    } catch {
      throw ParquetError(.corrupt, "footer: \(error)", path: file.path)
    }
    do {
      schema = try ParquetSchema(elements: metadata.schema)
    } catch {
      throw error.at(path: file.path)
    }
    for (index, group) in metadata.rowGroups.enumerated() where group.columns.count != schema.leaves.count {
      throw ParquetError(
        .corrupt, "row group \(index) has \(group.columns.count) column chunks for \(schema.leaves.count) leaf columns",
        path: file.path)
    }
  }

  /// Opens the local file at `path`.
  public init(path: String) throws(ParquetError) {
    let file: LocalFile
    do {
      file = try LocalFile(path: path)
    } catch let error as StorageError {
      throw ParquetError(.io, error.message, path: path, cause: error)
    } catch {
      throw ParquetError(.io, "\(error)", path: path)
    }
    try self.init(file: file)
  }

  public var rowGroupCount: Int { metadata.rowGroups.count }
  public var rowCount: Int { Int(metadata.numRows) }

  /// The indices of the top-level columns named in `names`, in the order given.
  public func columnIndices(_ names: [String]) throws(ParquetError) -> [Int] {
    var indices: [Int] = []
    for name in names {
      guard let index = schema.schema.index(of: name) else {
        let known = schema.schema.fields.map(\.name).joined(separator: ", ")
        throw ParquetError(.invalidArgument, "no column '\(name)'; the file has: \(known)", path: file.path)
      }
      indices.append(index)
    }
    return indices
  }

  /// Row group `index` as a batch of the top-level columns `columns` (all when nil).
  ///
  /// With `rows` (ascending row numbers within the group) only those rows are decoded, and
  /// pages holding none of them are not even decompressed; every column must then be flat
  /// (see ``canSelectRows(columns:)``).
  public func readRowGroup(_ index: Int, columns: [Int]? = nil, rows: [Int32]? = nil) throws(ParquetError) -> RecordBatch {
    guard index >= 0, index < metadata.rowGroups.count else {
      throw ParquetError(
        .invalidArgument, "row group \(index) does not exist (the file has \(rowGroupCount))", path: file.path)
    }
    let group = metadata.rowGroups[index]
    let groupRows = Int(group.numRows)
    guard groupRows >= 0 else { throw ParquetError(.corrupt, "row group \(index) has \(groupRows) rows", path: file.path) }
    let selected = columns ?? Array(schema.columns.indices)
    var wanted: [Int] = []
    for column in selected {
      guard column >= 0, column < schema.columns.count else {
        throw ParquetError(.invalidArgument, "column index \(column) out of range", path: file.path)
      }
      wanted.append(contentsOf: schema.columns[column].leaves)
    }
    var rowCount = groupRows
    if let rows {
      guard canSelectRows(columns: selected) else {
        throw ParquetError(.invalidArgument, "rows can be selected from flat columns only", path: file.path)
      }
      var previous: Int32 = -1
      for row in rows {
        guard row > previous, Int(row) < groupRows else {
          throw ParquetError(.invalidArgument, "selected rows must ascend within the group's \(groupRows)", path: file.path)
        }
        previous = row
      }
      rowCount = rows.count
    }
    file.prefetch(wanted.compactMap { chunkRange($0, rowGroup: index) })
    let decoded = try readLeaves(wanted, rowGroup: index, rows: rows)
    var leafData: [Int: LeafData] = [:]
    for (leaf, data) in zip(wanted, decoded) { leafData[leaf] = data }
    let placeholders = LeafData(levelCount: 0, definitionLevels: nil, repetitionLevels: nil, values: .nulls(.null, count: 0))
    let leaves = (0..<schema.leaves.count).map { leafData[$0] ?? placeholders }
    let assembler = RecordAssembler(leaves: leaves, descriptions: schema.leaves)
    var vectors: [ColumnVector] = []
    for column in selected {
      do {
        vectors.append(try assembler.assemble(schema.columns[column], rowCount: rowCount))
      } catch {
        throw ParquetError(error.code, "row group \(index): \(error.message)", path: file.path)
      }
    }
    let fields = selected.map { schema.schema.fields[$0] }
    do {
      return try RecordBatch(schema: Schema(fields), columns: vectors, rowCount: rowCount)
    } catch {
      throw ParquetError(.corrupt, "row group \(index): \(error.message)", path: file.path)
    }
  }

  /// Whether `readRowGroup(_:columns:rows:)` can select rows of these columns: each must be one
  /// leaf, not repeated, so that a leaf's levels are its rows.
  public func canSelectRows(columns: [Int]) -> Bool {
    columns.allSatisfy { column in
      column >= 0 && column < schema.columns.count && schema.columns[column].leaves.count == 1
        && schema.leaves[schema.columns[column].leaves[0]].maxRepetitionLevel == 0
    }
  }

  /// Every row group, in order.
  public func readAll(columns: [Int]? = nil) throws(ParquetError) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    for index in 0..<rowGroupCount { batches.append(try readRowGroup(index, columns: columns)) }
    return batches
  }

  /// Reads and decodes leaf chunks, spread over the cores when `decodesInParallel` and there is
  /// more than one; each task owns one slot of the result.
  private func readLeaves(_ leaves: [Int], rowGroup: Int, rows: [Int32]?) throws(ParquetError) -> [LeafData] {
    guard decodesInParallel, leaves.count > 1 else {
      var result: [LeafData] = []
      for leaf in leaves { result.append(try readLeaf(leaf, rowGroup: rowGroup, rows: rows)) }
      return result
    }
    let slots = LeafSlots(count: leaves.count)
    DispatchQueue.concurrentPerform(iterations: leaves.count) { position in
      do throws(ParquetError) {
        slots.store(.success(try readLeaf(leaves[position], rowGroup: rowGroup, rows: rows)), at: position)
      } catch {
        slots.store(.failure(error), at: position)
      }
    }
    return try slots.collect()
  }

  private func readLeaf(_ leaf: Int, rowGroup: Int, rows: [Int32]?) throws(ParquetError) -> LeafData {
    let description = schema.leaves[leaf]
    let chunk = metadata.rowGroups[rowGroup].columns[leaf]
    let name = description.path.joined(separator: ".")
    guard chunk.filePath == nil else {
      throw ParquetError(.unsupported, "column '\(name)' lives in another file (\(chunk.filePath ?? ""))", path: file.path)
    }
    guard let meta = chunk.metaData else {
      throw ParquetError(.corrupt, "row group \(rowGroup), column '\(name)' has no metadata", path: file.path)
    }
    guard meta.type == description.physicalType else {
      throw ParquetError(
        .corrupt, "row group \(rowGroup), column '\(name)' is \(meta.type) in its chunk but \(description.physicalType) in the schema",
        path: file.path)
    }
    if meta.numValues == 0 {
      // Writers may leave the offsets of an empty chunk at 0 (pyarrow does): nothing to read.
      do {
        return try ColumnChunkReader(leaf: description, metadata: meta, fileOffset: 0).read([], selection: rows)
      } catch {
        throw error.at(path: file.path)
      }
    }
    var start = Int(meta.dataPageOffset)
    if let dictionaryOffset = meta.dictionaryPageOffset, dictionaryOffset > 0, Int(dictionaryOffset) < start {
      start = Int(dictionaryOffset)
    }
    let length = Int(meta.totalCompressedSize)
    guard start >= 4, length >= 0, length <= file.size - start else {
      throw ParquetError(
        .corrupt, "row group \(rowGroup), column '\(name)': chunk \(start)+\(length) lies outside the \(file.size)-byte file",
        path: file.path)
    }
    let bytes = try Self.read(file, offset: start, length: length)
    let reader = ColumnChunkReader(leaf: description, metadata: meta, fileOffset: start)
    do {
      return try reader.read(bytes, selection: rows)
    } catch {
      throw ParquetError(error.code, "row group \(rowGroup), \(error.message)", path: file.path, cause: error.cause)
    }
  }

  /// The bytes of a leaf's chunk in a row group (dictionary page included), when valid.
  private func chunkRange(_ leaf: Int, rowGroup: Int) -> Range<Int>? {
    guard let meta = metadata.rowGroups[rowGroup].columns[leaf].metaData, meta.numValues > 0 else { return nil }
    var start = Int(meta.dataPageOffset)
    if let dictionaryOffset = meta.dictionaryPageOffset, dictionaryOffset > 0, Int(dictionaryOffset) < start {
      start = Int(dictionaryOffset)
    }
    let length = Int(meta.totalCompressedSize)
    guard start >= 4, length >= 0, length <= file.size - start else { return nil }
    return start..<start + length
  }

  private static func read(_ file: any ReadableFile, offset: Int, length: Int) throws(ParquetError) -> [UInt8] {
    do {
      return try file.read(offset: offset, length: length)
    } catch let error as StorageError {
      throw ParquetError(.io, error.message, path: file.path, cause: error)
    } catch {
      throw ParquetError(.io, "\(error)", path: file.path)
    }
  }
}

/// Results of parallel leaf decoding, one slot per task.
private final class LeafSlots: Sendable {
  private let results: Mutex<[Result<LeafData, ParquetError>?]>

  init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }

  func store(_ result: Result<LeafData, ParquetError>, at position: Int) {
    results.withLock { $0[position] = result }
  }

  /// The decoded leaves in order, or the first error.
  func collect() throws(ParquetError) -> [LeafData] {
    let all = results.withLock { $0 }
    var leaves: [LeafData] = []
    leaves.reserveCapacity(all.count)
    for result in all {
      switch result {
      case .success(let data)?: leaves.append(data)
      case .failure(let error)?: throw error
      case nil: throw ParquetError(.corrupt, "a column chunk was not decoded")
      }
    }
    return leaves
  }
}
