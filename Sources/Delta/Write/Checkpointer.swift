import Columnar
import Parquet

/// Writes classic single-file checkpoints (`<version>.checkpoint.parquet`, PROTOCOL.md
/// "Checkpoints") and the `_last_checkpoint` hint.
///
/// The checkpoint holds the protocol, the metadata, the `txn`s, the live `add`s (stats as JSON
/// text) and the `remove` tombstones still within `delta.deletedFileRetentionDuration`, one action
/// per row in Spark's schema, which delta-rs, DuckDB and Spark read.
enum Checkpointer {
  /// Writes a checkpoint of `version` when `delta.checkpointInterval` (default 10) divides it.
  static func checkpointIfDue(
    tablePath: String, storage: any TableStorage, version: Int64, configuration: [String: String]
  ) throws(DeltaError) {
    let interval = configuration["delta.checkpointInterval"].flatMap { Int64($0) } ?? 10
    guard interval > 0, version > 0, version % interval == 0 else { return }
    let snapshot = try DeltaTable.open(path: tablePath, storage: storage).snapshot(version: version)
    try writeCheckpoint(snapshot, storage: storage)
    try LogCleanup.cleanUpExpiredLogs(tablePath: tablePath, storage: storage, configuration: snapshot.properties)
  }

  /// The checkpoint file's schema.
  static let schema: Schema = {
    let stringMap = DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .string))
    let stringList = DataType.list(Field("element", .string))
    return Schema([
      Field("txn", .structure([Field("appId", .string), Field("version", .int64), Field("lastUpdated", .int64)])),
      Field(
        "add",
        .structure([
          Field("path", .string), Field("partitionValues", stringMap), Field("size", .int64),
          Field("modificationTime", .int64), Field("dataChange", .boolean), Field("stats", .string),
          Field("tags", stringMap),
        ])),
      Field(
        "remove",
        .structure([
          Field("path", .string), Field("deletionTimestamp", .int64), Field("dataChange", .boolean),
          Field("extendedFileMetadata", .boolean), Field("partitionValues", stringMap), Field("size", .int64),
        ])),
      Field(
        "metaData",
        .structure([
          Field("id", .string), Field("name", .string), Field("description", .string),
          Field("format", .structure([Field("provider", .string), Field("options", stringMap)])),
          Field("schemaString", .string), Field("partitionColumns", stringList), Field("configuration", stringMap),
          Field("createdTime", .int64),
        ])),
      Field(
        "protocol",
        .structure([
          Field("minReaderVersion", .int32), Field("minWriterVersion", .int32), Field("readerFeatures", stringList),
          Field("writerFeatures", stringList),
        ])),
    ])
  }()

  /// Writes the checkpoint of `snapshot` and points `_last_checkpoint` at it.
  static func writeCheckpoint(_ snapshot: Snapshot, storage: any TableStorage) throws(DeltaError) {
    let retention =
      snapshot.properties["delta.deletedFileRetentionDuration"].flatMap(intervalMilliseconds) ?? 7 * 86_400_000
    let cutoff = DeltaTransaction.nowMilliseconds() - retention
    let removes = snapshot.tombstones.filter { ($0.deletionTimestamp ?? 0) > cutoff }
    let txns = snapshot.transactions.values.sorted { $0.appId < $1.appId }
    let rows = 2 + txns.count + snapshot.files.count + removes.count
    let partitionColumns = snapshot.partitionColumns

    // Row layout: protocol, metaData, txns, adds, removes.
    let protocolRow = 0
    let metadataRow = 1
    let txnStart = 2
    let addStart = txnStart + txns.count
    let removeStart = addStart + snapshot.files.count
    func rowRange(_ start: Int, _ count: Int) -> (Int) -> Int? { { row in row >= start && row < start + count ? row - start : nil } }
    let txnAt = rowRange(txnStart, txns.count)
    let addAt = rowRange(addStart, snapshot.files.count)
    let removeAt = rowRange(removeStart, removes.count)
    let all = 0..<rows
    func partitionEntries(_ values: [String: String]?) -> [(String, String?)]? {
      guard let values else { return nil }
      return partitionColumns.map { ($0, values[$0]) }
    }
    let metadata = snapshot.metadata
    let p = snapshot.deltaProtocol

    let txnColumn = ColumnBuild.structure(
      valid: all.map { txnAt($0) != nil },
      [
        ColumnBuild.strings(all.map { txnAt($0).map { txns[$0].appId } }),
        ColumnBuild.int64s(all.map { txnAt($0).map { txns[$0].version } }),
        ColumnBuild.int64s(all.map { txnAt($0).flatMap { txns[$0].lastUpdated } }),
      ], type: schema.fields[0].type)
    let files = snapshot.files
    let addColumn = ColumnBuild.structure(
      valid: all.map { addAt($0) != nil },
      [
        ColumnBuild.strings(all.map { addAt($0).map { files[$0].path } }),
        ColumnBuild.map(all.map { addAt($0).flatMap { partitionEntries(files[$0].partitionValues) } }),
        ColumnBuild.int64s(all.map { addAt($0).map { files[$0].size } }),
        ColumnBuild.int64s(all.map { addAt($0).map { files[$0].modificationTime } }),
        ColumnBuild.booleans(all.map { addAt($0).map { files[$0].dataChange } }),
        ColumnBuild.strings(all.map { addAt($0).flatMap { files[$0].stats } }),
        ColumnBuild.map(all.map { addAt($0).flatMap { files[$0].tags.map { $0.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) } } } }),
      ], type: schema.fields[1].type)
    let removeColumn = ColumnBuild.structure(
      valid: all.map { removeAt($0) != nil },
      [
        ColumnBuild.strings(all.map { removeAt($0).map { removes[$0].path } }),
        ColumnBuild.int64s(all.map { removeAt($0).flatMap { removes[$0].deletionTimestamp } }),
        ColumnBuild.booleans(all.map { removeAt($0).map { removes[$0].dataChange } }),
        ColumnBuild.booleans(all.map { removeAt($0).flatMap { removes[$0].extendedFileMetadata } }),
        ColumnBuild.map(all.map { removeAt($0).flatMap { partitionEntries(removes[$0].partitionValues) } }),
        ColumnBuild.int64s(all.map { removeAt($0).flatMap { removes[$0].size } }),
      ], type: schema.fields[2].type)
    let isMetadata = all.map { $0 == metadataRow }
    func onlyMetadata<T>(_ value: T?) -> [T?] { all.map { $0 == metadataRow ? value : nil } }
    let formatType: DataType = {
      guard case .structure(let fields) = schema.fields[3].type else { return .null }
      return fields[3].type
    }()
    let metadataColumn = ColumnBuild.structure(
      valid: isMetadata,
      [
        ColumnBuild.strings(onlyMetadata(metadata.id)),
        ColumnBuild.strings(onlyMetadata(metadata.name)),
        ColumnBuild.strings(onlyMetadata(metadata.description)),
        ColumnBuild.structure(
          valid: isMetadata,
          [
            ColumnBuild.strings(onlyMetadata(metadata.formatProvider)),
            ColumnBuild.map(onlyMetadata(metadata.formatOptions.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) })),
          ], type: formatType),
        ColumnBuild.strings(onlyMetadata(metadata.schemaString)),
        ColumnBuild.list(onlyMetadata(metadata.partitionColumns)),
        ColumnBuild.map(onlyMetadata(metadata.configuration.sorted { $0.key < $1.key }.map { ($0.key, Optional($0.value)) })),
        ColumnBuild.int64s(onlyMetadata(metadata.createdTime)),
      ], type: schema.fields[3].type)
    let isProtocol = all.map { $0 == protocolRow }
    func onlyProtocol<T>(_ value: T?) -> [T?] { all.map { $0 == protocolRow ? value : nil } }
    let protocolColumn = ColumnBuild.structure(
      valid: isProtocol,
      [
        ColumnBuild.int32s(onlyProtocol(Int32(p.minReaderVersion))),
        ColumnBuild.int32s(onlyProtocol(Int32(p.minWriterVersion))),
        ColumnBuild.list(onlyProtocol(p.readerFeatures)),
        ColumnBuild.list(onlyProtocol(p.writerFeatures)),
      ], type: schema.fields[4].type)

    let batch: RecordBatch
    do {
      batch = try RecordBatch(
        schema: schema, columns: [txnColumn, addColumn, removeColumn, metadataColumn, protocolColumn], rowCount: rows)
    } catch {
      throw DeltaError(.invalidArgument, "cannot build the checkpoint: \(error)")
    }
    let logPath = snapshot.tableRoot + "/_delta_log"
    let name = String(DeltaTransaction.commitName(snapshot.version).dropLast(".json".count)) + ".checkpoint.parquet"
    let path = logPath + "/" + name
    if (try? storage.statFile(path)) != nil { return }
    do {
      var writer = try ParquetFileWriter(file: try storage.createFile(path), schema: schema)
      try writer.write(batch)
      try writer.close()
    } catch let error as DeltaError {
      throw error
    } catch {
      throw DeltaError(.io, "cannot write the checkpoint: \(error)", path: path, cause: error)
    }
    let size = try storage.statFile(path).size
    let hint =
      "{\"version\":\(snapshot.version),\"size\":\(rows),\"sizeInBytes\":\(size),\"numOfAddFiles\":\(snapshot.files.count)}"
    try storage.writeFile(logPath + "/_last_checkpoint", bytes: Array(hint.utf8))
  }

  /// Milliseconds of a Spark interval (`interval 7 days`, `1 week`, `168 hours`).
  static func intervalMilliseconds(_ text: String) -> Int64? {
    var words = text.lowercased().split(separator: " ").map(String.init)
    if words.first == "interval" { words.removeFirst() }
    guard words.count == 2, let count = Int64(words[0]) else { return nil }
    let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : words[1]
    let perUnit: Int64
    switch unit {
    case "millisecond": perUnit = 1
    case "second": perUnit = 1000
    case "minute": perUnit = 60_000
    case "hour": perUnit = 3_600_000
    case "day": perUnit = 86_400_000
    case "week": perUnit = 7 * 86_400_000
    default: return nil
    }
    return count * perUnit
  }
}

/// Column vectors from arrays of optional values (checkpoint rows).
enum ColumnBuild {
  static func validity(_ flags: [Bool]) -> Bitmap? {
    guard flags.contains(false) else { return nil }
    var bitmap = Bitmap()
    for flag in flags { bitmap.append(flag) }
    return bitmap
  }

  static func strings(_ values: [String?]) -> ColumnVector {
    var offsets: [Int32] = [0]
    offsets.reserveCapacity(values.count + 1)
    var bytes: [UInt8] = []
    for value in values {
      if let value { bytes.append(contentsOf: value.utf8) }
      offsets.append(Int32(bytes.count))
    }
    return ColumnVector(
      type: .string, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .binary(offsets: offsets, bytes: bytes))
  }

  static func int64s(_ values: [Int64?]) -> ColumnVector {
    ColumnVector(
      type: .int64, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .int64(values.map { $0 ?? 0 }))
  }

  static func int32s(_ values: [Int32?]) -> ColumnVector {
    ColumnVector(
      type: .int32, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .int32(values.map { $0 ?? 0 }))
  }

  static func booleans(_ values: [Bool?]) -> ColumnVector {
    var bits = Bitmap()
    for value in values { bits.append(value ?? false) }
    return ColumnVector(
      type: .boolean, count: values.count, validity: validity(values.map { $0 != nil }), storage: .boolean(bits))
  }

  static func map(_ rows: [[(String, String?)]?]) -> ColumnVector {
    var offsets: [Int32] = [0]
    var keys: [String?] = []
    var values: [String?] = []
    for row in rows {
      for (key, value) in row ?? [] {
        keys.append(key)
        values.append(value)
      }
      offsets.append(Int32(keys.count))
    }
    let type = DataType.map(key: Field("key", .string, nullable: false), value: Field("value", .string))
    return ColumnVector(
      type: type, count: rows.count, validity: validity(rows.map { $0 != nil }),
      storage: .map(offsets: offsets, keys: strings(keys), values: strings(values)))
  }

  static func list(_ rows: [[String]?]) -> ColumnVector {
    var offsets: [Int32] = [0]
    var elements: [String?] = []
    for row in rows {
      for element in row ?? [] { elements.append(element) }
      offsets.append(Int32(elements.count))
    }
    return ColumnVector(
      type: .list(Field("element", .string)), count: rows.count, validity: validity(rows.map { $0 != nil }),
      storage: .list(offsets: offsets, values: strings(elements)))
  }

  static func structure(valid: [Bool], _ children: [ColumnVector], type: DataType) -> ColumnVector {
    ColumnVector(type: type, count: valid.count, validity: validity(valid), storage: .structure(children))
  }
}
