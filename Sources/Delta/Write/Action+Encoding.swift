import Columnar

extension Action {
  /// The action as one line of a commit file (compact JSON, no newline).
  /// `partitionColumns` are the table's: an `add` or `remove` lists each of them, a null value
  /// (absent from `partitionValues`) as JSON `null`, as the protocol requires.
  public func jsonLine(partitionColumns: [String] = []) -> String { jsonValue(partitionColumns).jsonText }

  func jsonValue(_ partitionColumns: [String]) -> JSONValue {
    switch self {
    case .protocol(let p):
      var entries: [(key: String, value: JSONValue)] = [
        ("minReaderVersion", .number(String(p.minReaderVersion))),
        ("minWriterVersion", .number(String(p.minWriterVersion))),
      ]
      if let features = p.readerFeatures { entries.append(("readerFeatures", .array(features.map { .string($0) }))) }
      if let features = p.writerFeatures { entries.append(("writerFeatures", .array(features.map { .string($0) }))) }
      return .object(JSONObject([("protocol", .object(JSONObject(entries)))]))
    case .metadata(let m):
      var entries: [(key: String, value: JSONValue)] = [("id", .string(m.id))]
      if let name = m.name { entries.append(("name", .string(name))) }
      if let description = m.description { entries.append(("description", .string(description))) }
      entries.append(
        ("format", .object(JSONObject([("provider", .string(m.formatProvider)), ("options", Self.map(m.formatOptions))]))))
      entries.append(("schemaString", .string(m.schemaString)))
      entries.append(("partitionColumns", .array(m.partitionColumns.map { .string($0) })))
      entries.append(("configuration", Self.map(m.configuration)))
      if let created = m.createdTime { entries.append(("createdTime", .number(String(created)))) }
      return .object(JSONObject([("metaData", .object(JSONObject(entries)))]))
    case .add(let a):
      var entries: [(key: String, value: JSONValue)] = [
        ("path", .string(a.path)), ("partitionValues", Self.partitionMap(a.partitionValues, partitionColumns)),
        ("size", .number(String(a.size))), ("modificationTime", .number(String(a.modificationTime))),
        ("dataChange", .bool(a.dataChange)),
      ]
      if let stats = a.stats { entries.append(("stats", .string(stats))) }
      if let tags = a.tags { entries.append(("tags", Self.map(tags))) }
      return .object(JSONObject([("add", .object(JSONObject(entries)))]))
    case .remove(let r):
      var entries: [(key: String, value: JSONValue)] = [("path", .string(r.path))]
      if let time = r.deletionTimestamp { entries.append(("deletionTimestamp", .number(String(time)))) }
      entries.append(("dataChange", .bool(r.dataChange)))
      if let extended = r.extendedFileMetadata { entries.append(("extendedFileMetadata", .bool(extended))) }
      if let values = r.partitionValues { entries.append(("partitionValues", Self.partitionMap(values, partitionColumns))) }
      if let size = r.size { entries.append(("size", .number(String(size)))) }
      if let stats = r.stats { entries.append(("stats", .string(stats))) }
      if let tags = r.tags { entries.append(("tags", Self.map(tags))) }
      return .object(JSONObject([("remove", .object(JSONObject(entries)))]))
    case .transaction(let t):
      var entries: [(key: String, value: JSONValue)] = [
        ("appId", .string(t.appId)), ("version", .number(String(t.version))),
      ]
      if let updated = t.lastUpdated { entries.append(("lastUpdated", .number(String(updated)))) }
      return .object(JSONObject([("txn", .object(JSONObject(entries)))]))
    case .commitInfo(let info):
      let parsed = (try? JSONParser.parse(info.json)) ?? .object(JSONObject())
      return .object(JSONObject([("commitInfo", parsed)]))
    case .domainMetadata(let d):
      return .object(
        JSONObject([
          (
            "domainMetadata",
            .object(
              JSONObject([
                ("domain", .string(d.domain)), ("configuration", .string(d.configuration)), ("removed", .bool(d.removed)),
              ]))
          )
        ]))
    case .cdc(let c):
      return .object(
        JSONObject([
          (
            "cdc",
            .object(
              JSONObject([
                ("path", .string(c.path)), ("partitionValues", Self.partitionMap(c.partitionValues, partitionColumns)),
                ("size", .number(String(c.size))), ("dataChange", .bool(c.dataChange)),
              ]))
          )
        ]))
    case .checkpointMetadata(let c):
      return .object(
        JSONObject([("checkpointMetadata", .object(JSONObject([("version", .number(String(c.version)))])))]))
    case .sidecar(let s):
      return .object(
        JSONObject([
          (
            "sidecar",
            .object(
              JSONObject([
                ("path", .string(s.path)), ("sizeInBytes", .number(String(s.sizeInBytes))),
                ("modificationTime", .number(String(s.modificationTime))),
              ]))
          )
        ]))
    }
  }

  static func map(_ map: [String: String]) -> JSONValue {
    .object(JSONObject(map.keys.sorted().map { ($0, .string(map[$0] ?? "")) }))
  }

  /// Partition values in partitioning order; a column without a value is JSON null.
  static func partitionMap(_ map: [String: String], _ columns: [String]) -> JSONValue {
    var keys = columns
    for key in map.keys.sorted() where !columns.contains(key) { keys.append(key) }
    return .object(JSONObject(keys.map { key in (key, map[key].map { .string($0) } ?? .null) }))
  }
}

extension AddFile {
  /// The `remove` action that takes this file out of the table at `timestamp`, carrying what
  /// readers of the tombstone need (partition values, size, statistics, deletion vector).
  public func removal(at timestamp: Int64, dataChange: Bool) -> RemoveFile {
    RemoveFile(
      path: path, deletionTimestamp: timestamp, dataChange: dataChange, extendedFileMetadata: true,
      partitionValues: partitionValues, size: size, stats: stats, deletionVector: deletionVector)
  }
}
