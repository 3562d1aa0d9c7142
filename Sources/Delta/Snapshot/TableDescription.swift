public import Columnar

/// A summary of a snapshot for people and tools: what `avocet describe` prints.
public struct TableDescription: Sendable {
  public var location: String
  public var version: Int64
  /// Milliseconds since the epoch.
  public var timestamp: Int64
  public var id: String
  public var name: String?
  public var description: String?
  public var createdTime: Int64?
  public var schema: Schema
  /// The schema as the log writes it (`metaData.schemaString`).
  public var schemaString: String
  public var partitionColumns: [String]
  public var deltaProtocol: DeltaProtocol
  public var columnMapping: ColumnMappingMode
  public var properties: [String: String]
  public var numFiles: Int
  public var sizeBytes: Int64
  /// Live rows (records minus deleted rows), when every file's statistics give `numRecords`.
  public var numRecords: Int64?
  public var checkpointVersion: Int64?
  public var domains: [String]
  public var transactions: Int

  /// The description as one JSON object.
  public var jsonText: String {
    var object = JSONObject()
    object.entries.append(("location", .string(location)))
    object.entries.append(("version", .number(String(version))))
    object.entries.append(("timestamp", .string(Timestamps.text(milliseconds: timestamp))))
    object.entries.append(("id", .string(id)))
    object.entries.append(("name", name.map { .string($0) } ?? .null))
    object.entries.append(("description", description.map { .string($0) } ?? .null))
    object.entries.append(("createdTime", createdTime.map { .number(String($0)) } ?? .null))
    object.entries.append(("partitionColumns", .array(partitionColumns.map { .string($0) })))
    var protocolObject = JSONObject()
    protocolObject.entries.append(("minReaderVersion", .number(String(deltaProtocol.minReaderVersion))))
    protocolObject.entries.append(("minWriterVersion", .number(String(deltaProtocol.minWriterVersion))))
    protocolObject.entries.append(
      ("readerFeatures", deltaProtocol.readerFeatures.map { .array($0.map { .string($0) }) } ?? .null))
    protocolObject.entries.append(
      ("writerFeatures", deltaProtocol.writerFeatures.map { .array($0.map { .string($0) }) } ?? .null))
    object.entries.append(("protocol", .object(protocolObject)))
    object.entries.append(("columnMapping", .string(columnMapping.rawValue)))
    let schemaJSON = (try? JSONParser.parse(schemaString)) ?? .string(schemaString)
    object.entries.append(("schema", schemaJSON))
    object.entries.append(
      (
        "properties",
        .object(JSONObject(properties.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
      ))
    object.entries.append(("numFiles", .number(String(numFiles))))
    object.entries.append(("sizeBytes", .number(String(sizeBytes))))
    object.entries.append(("numRecords", numRecords.map { .number(String($0)) } ?? .null))
    object.entries.append(("checkpointVersion", checkpointVersion.map { .number(String($0)) } ?? .null))
    object.entries.append(("domains", .array(domains.map { .string($0) })))
    object.entries.append(("transactions", .number(String(transactions))))
    return JSONValue.object(object).jsonText
  }
}

extension Snapshot {
  /// The snapshot's description; counts rows from the files' statistics when they all have them.
  public func describe() -> TableDescription {
    var size: Int64 = 0
    var records: Int64? = 0
    for add in files {
      size += add.size
      guard let total = records else { continue }
      let count = add.stats.flatMap { FileStatistics.numRecords(json: $0) } ?? add.parsedStats?.numRecords
      if let count {
        records = total + count - (add.deletionVector?.cardinality ?? 0)
      } else {
        records = nil
      }
    }
    return TableDescription(
      location: tableRoot, version: version, timestamp: timestamp, id: metadata.id, name: metadata.name,
      description: metadata.description, createdTime: metadata.createdTime, schema: schema,
      schemaString: metadata.schemaString, partitionColumns: partitionColumns, deltaProtocol: deltaProtocol,
      columnMapping: columnMappingMode, properties: properties, numFiles: files.count, sizeBytes: size,
      numRecords: records, checkpointVersion: checkpointVersion, domains: domainMetadata.keys.sorted(),
      transactions: transactions.count)
  }
}

extension AddFile {
  /// The action as the JSON object a commit would hold (without the `add` wrapper).
  ///
  /// Written straight into the string (no ``JSONValue`` tree): listing a table's files prints one
  /// of these per file.
  public var jsonText: String {
    JSONTextWriter.text(capacity: jsonCapacity) { writeJSON(to: &$0) }
  }

  /// Appends ``jsonText``'s bytes to `bytes` without making a string first.
  public func appendJSON(to bytes: inout [UInt8]) {
    JSONTextWriter.append(capacity: jsonCapacity, to: &bytes) { writeJSON(to: &$0) }
  }

  /// At least the bytes ``jsonText`` takes.
  private var jsonCapacity: Int {
    var capacity = 512 + JSONTextWriter.bound(path) + JSONTextWriter.bound(partitionValues)
    capacity += (stats.map(JSONTextWriter.bound) ?? 0) + JSONTextWriter.bound(tags)
    if let dv = deletionVector {
      capacity += 256 + JSONTextWriter.bound(dv.storageType) + JSONTextWriter.bound(dv.pathOrInlineDv)
    }
    return capacity
  }

  private func writeJSON(to out: inout JSONTextWriter) {
    out.raw("{")
    out.key("path")
    out.string(path)
    out.raw(",")
    out.key("partitionValues")
    out.stringMap(partitionValues)
    out.raw(",")
    out.key("size")
    out.int(size)
    out.raw(",")
    out.key("modificationTime")
    out.int(modificationTime)
    out.raw(",")
    out.key("dataChange")
    out.bool(dataChange)
    if let stats {
      out.raw(",")
      out.key("stats")
      out.string(stats)
    }
    if let parsedStats {
      out.raw(",")
      out.key("numRecords")
      if let records = parsedStats.numRecords { out.int(records) } else { out.raw("null") }
    }
    if let tags {
      out.raw(",")
      out.key("tags")
      out.stringMap(tags)
    }
    if let dv = deletionVector {
      out.raw(",")
      out.key("deletionVector")
      out.raw("{")
      out.key("storageType")
      out.string(dv.storageType)
      out.raw(",")
      out.key("pathOrInlineDv")
      out.string(dv.pathOrInlineDv)
      if let offset = dv.offset {
        out.raw(",")
        out.key("offset")
        out.int(Int64(offset))
      }
      out.raw(",")
      out.key("sizeInBytes")
      out.int(Int64(dv.sizeInBytes))
      out.raw(",")
      out.key("cardinality")
      out.int(dv.cardinality)
      out.raw("}")
    }
    if let baseRowId {
      out.raw(",")
      out.key("baseRowId")
      out.int(baseRowId)
    }
    if let defaultRowCommitVersion {
      out.raw(",")
      out.key("defaultRowCommitVersion")
      out.int(defaultRowCommitVersion)
    }
    out.raw("}")
  }

  /// The same text through the general ``JSONValue`` writer (the reference for ``jsonText``).
  var jsonValueText: String {
    var object = JSONObject()
    object.entries.append(("path", .string(path)))
    object.entries.append(
      (
        "partitionValues",
        .object(JSONObject(partitionValues.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))
      ))
    object.entries.append(("size", .number(String(size))))
    object.entries.append(("modificationTime", .number(String(modificationTime))))
    object.entries.append(("dataChange", .bool(dataChange)))
    if let stats { object.entries.append(("stats", .string(stats))) }
    if let parsedStats {
      object.entries.append(("numRecords", parsedStats.numRecords.map { .number(String($0)) } ?? .null))
    }
    if let tags {
      object.entries.append(
        ("tags", .object(JSONObject(tags.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))))
    }
    if let dv = deletionVector {
      var dvObject = JSONObject()
      dvObject.entries.append(("storageType", .string(dv.storageType)))
      dvObject.entries.append(("pathOrInlineDv", .string(dv.pathOrInlineDv)))
      if let offset = dv.offset { dvObject.entries.append(("offset", .number(String(offset)))) }
      dvObject.entries.append(("sizeInBytes", .number(String(dv.sizeInBytes))))
      dvObject.entries.append(("cardinality", .number(String(dv.cardinality))))
      object.entries.append(("deletionVector", .object(dvObject)))
    }
    if let baseRowId { object.entries.append(("baseRowId", .number(String(baseRowId)))) }
    if let defaultRowCommitVersion {
      object.entries.append(("defaultRowCommitVersion", .number(String(defaultRowCommitVersion))))
    }
    return JSONValue.object(object).jsonText
  }
}

extension CommitEntry {
  /// `{"version":…,"timestamp":"…","commitInfo":{…}}`.
  public var jsonText: String {
    var object = JSONObject()
    object.entries.append(("version", .number(String(version))))
    object.entries.append(("timestamp", .string(Timestamps.text(milliseconds: timestamp))))
    let info = commitInfo.flatMap { try? JSONParser.parse($0.json) } ?? .null
    object.entries.append(("commitInfo", info))
    return JSONValue.object(object).jsonText
  }
}
