/// Decoding actions from their JSON form (commit files, log compactions, V2 checkpoints in JSON).
///
/// Unknown actions and unknown fields are ignored, as PROTOCOL.md "Protocol Evolution" requires.
enum JSONActionDecoder {
  /// The action of one log line, or nil for an action type Avocet does not know.
  /// `location` names the file and line for error messages.
  static func action(from line: JSONValue, location: @autoclosure () -> String) throws(DeltaError) -> Action? {
    guard case .object(let object) = line else {
      throw DeltaError(.corruptLog, "\(location()): a log line must be a JSON object")
    }
    for (key, value) in object.entries {
      if value.isNull { continue }
      switch key {
      case "add": return .add(try add(value, location: location()))
      case "remove": return .remove(try remove(value, location: location()))
      case "metaData": return .metadata(try metadata(value, location: location()))
      case "protocol": return .protocol(try deltaProtocol(value, location: location()))
      case "commitInfo": return .commitInfo(commitInfo(value))
      case "txn": return .transaction(try transaction(value, location: location()))
      case "domainMetadata": return .domainMetadata(try domainMetadata(value, location: location()))
      case "cdc": return .cdc(try cdc(value, location: location()))
      case "checkpointMetadata": return .checkpointMetadata(try checkpointMetadata(value, location: location()))
      case "sidecar": return .sidecar(try sidecar(value, location: location()))
      default: continue
      }
    }
    return nil
  }

  private static func object(_ value: JSONValue, _ action: String, _ location: String) throws(DeltaError) -> JSONObject
  {
    guard case .object(let object) = value else {
      throw DeltaError(.corruptLog, "\(location): '\(action)' must be a JSON object")
    }
    return object
  }

  private static func requiredString(_ object: JSONObject, _ key: String, _ action: String, _ location: String)
    throws(DeltaError) -> String
  {
    guard let text = object.present(key)?.stringValue else {
      throw DeltaError(.corruptLog, "\(location): '\(action)' action has no string '\(key)'")
    }
    return text
  }

  private static func requiredInt(_ object: JSONObject, _ key: String, _ action: String, _ location: String)
    throws(DeltaError) -> Int64
  {
    guard let value = object.present(key)?.int64Value else {
      throw DeltaError(.corruptLog, "\(location): '\(action)' action has no integer '\(key)'")
    }
    return value
  }

  static func add(_ value: JSONValue, location: String) throws(DeltaError) -> AddFile {
    let object = try object(value, "add", location)
    let path = try requiredString(object, "path", "add", location)
    var add = AddFile(
      path: path, partitionValues: object.present("partitionValues")?.stringMap ?? [:],
      size: object.present("size")?.int64Value ?? 0,
      modificationTime: object.present("modificationTime")?.int64Value ?? 0,
      dataChange: object.present("dataChange")?.boolValue ?? true)
    add.stats = object.present("stats")?.stringValue
    add.tags = object.present("tags")?.stringMap
    if let dv = object.present("deletionVector") { add.deletionVector = try deletionVector(dv, location: location) }
    add.baseRowId = object.present("baseRowId")?.int64Value
    add.defaultRowCommitVersion = object.present("defaultRowCommitVersion")?.int64Value
    add.clusteringProvider = object.present("clusteringProvider")?.stringValue
    return add
  }

  static func remove(_ value: JSONValue, location: String) throws(DeltaError) -> RemoveFile {
    let object = try object(value, "remove", location)
    var remove = RemoveFile(path: try requiredString(object, "path", "remove", location))
    remove.deletionTimestamp = object.present("deletionTimestamp")?.int64Value
    remove.dataChange = object.present("dataChange")?.boolValue ?? true
    remove.extendedFileMetadata = object.present("extendedFileMetadata")?.boolValue
    remove.partitionValues = object.present("partitionValues")?.stringMap
    remove.size = object.present("size")?.int64Value
    remove.stats = object.present("stats")?.stringValue
    remove.tags = object.present("tags")?.stringMap
    if let dv = object.present("deletionVector") { remove.deletionVector = try deletionVector(dv, location: location) }
    remove.baseRowId = object.present("baseRowId")?.int64Value
    remove.defaultRowCommitVersion = object.present("defaultRowCommitVersion")?.int64Value
    return remove
  }

  static func deletionVector(_ value: JSONValue, location: String) throws(DeltaError) -> DeletionVectorDescriptor {
    let object = try object(value, "deletionVector", location)
    let storageType = try requiredString(object, "storageType", "deletionVector", location)
    let pathOrInline = try requiredString(object, "pathOrInlineDv", "deletionVector", location)
    let size = try requiredInt(object, "sizeInBytes", "deletionVector", location)
    let cardinality = try requiredInt(object, "cardinality", "deletionVector", location)
    let offset = object.present("offset")?.int64Value
    return DeletionVectorDescriptor(
      storageType: storageType, pathOrInlineDv: pathOrInline, offset: offset.map { Int($0) }, sizeInBytes: Int(size),
      cardinality: cardinality)
  }

  static func metadata(_ value: JSONValue, location: String) throws(DeltaError) -> Metadata {
    let object = try object(value, "metaData", location)
    let schemaString = try requiredString(object, "schemaString", "metaData", location)
    var partitionColumns: [String] = []
    if let columns = object.present("partitionColumns") {
      guard let array = columns.arrayValue else {
        throw DeltaError(.corruptLog, "\(location): 'metaData.partitionColumns' must be an array of strings")
      }
      for column in array {
        guard let name = column.stringValue else {
          throw DeltaError(.corruptLog, "\(location): 'metaData.partitionColumns' must be an array of strings")
        }
        partitionColumns.append(name)
      }
    }
    let format = object.present("format")?.objectValue
    return Metadata(
      id: object.present("id")?.stringValue ?? "", name: object.present("name")?.stringValue,
      description: object.present("description")?.stringValue,
      formatProvider: format?.present("provider")?.stringValue ?? "parquet",
      formatOptions: format?.present("options")?.stringMap ?? [:], schemaString: schemaString,
      partitionColumns: partitionColumns, createdTime: object.present("createdTime")?.int64Value,
      configuration: object.present("configuration")?.stringMap ?? [:])
  }

  static func deltaProtocol(_ value: JSONValue, location: String) throws(DeltaError) -> DeltaProtocol {
    let object = try object(value, "protocol", location)
    let reader = try requiredInt(object, "minReaderVersion", "protocol", location)
    let writer = try requiredInt(object, "minWriterVersion", "protocol", location)
    func features(_ key: String) throws(DeltaError) -> [String]? {
      guard let value = object.present(key) else { return nil }
      guard let array = value.arrayValue else {
        throw DeltaError(.corruptLog, "\(location): 'protocol.\(key)' must be an array of strings")
      }
      var names: [String] = []
      for item in array {
        guard let name = item.stringValue else {
          throw DeltaError(.corruptLog, "\(location): 'protocol.\(key)' must be an array of strings")
        }
        names.append(name)
      }
      return names
    }
    return DeltaProtocol(
      minReaderVersion: Int(clamping: reader), minWriterVersion: Int(clamping: writer),
      readerFeatures: try features("readerFeatures"), writerFeatures: try features("writerFeatures"))
  }

  static func commitInfo(_ value: JSONValue) -> CommitInfo {
    guard let object = value.objectValue else { return CommitInfo(json: value.jsonText) }
    return CommitInfo(
      timestamp: object.present("timestamp")?.int64Value,
      inCommitTimestamp: object.present("inCommitTimestamp")?.int64Value,
      operation: object.present("operation")?.stringValue,
      operationParameters: object.present("operationParameters")?.stringMap ?? [:],
      operationMetrics: object.present("operationMetrics")?.stringMap ?? [:],
      engineInfo: object.present("engineInfo")?.stringValue,
      clientVersion: object.present("clientVersion")?.stringValue,
      userMetadata: object.present("userMetadata")?.stringValue, readVersion: object.present("readVersion")?.int64Value,
      isBlindAppend: object.present("isBlindAppend")?.boolValue, json: value.jsonText)
  }

  static func transaction(_ value: JSONValue, location: String) throws(DeltaError) -> Transaction {
    let object = try object(value, "txn", location)
    return Transaction(
      appId: try requiredString(object, "appId", "txn", location),
      version: try requiredInt(object, "version", "txn", location),
      lastUpdated: object.present("lastUpdated")?.int64Value)
  }

  static func domainMetadata(_ value: JSONValue, location: String) throws(DeltaError) -> DomainMetadata {
    let object = try object(value, "domainMetadata", location)
    return DomainMetadata(
      domain: try requiredString(object, "domain", "domainMetadata", location),
      configuration: object.present("configuration")?.stringValue ?? "",
      removed: object.present("removed")?.boolValue ?? false)
  }

  static func cdc(_ value: JSONValue, location: String) throws(DeltaError) -> CDCFile {
    let object = try object(value, "cdc", location)
    return CDCFile(
      path: try requiredString(object, "path", "cdc", location),
      partitionValues: object.present("partitionValues")?.stringMap ?? [:],
      size: object.present("size")?.int64Value ?? 0,
      dataChange: object.present("dataChange")?.boolValue ?? false, tags: object.present("tags")?.stringMap)
  }

  static func checkpointMetadata(_ value: JSONValue, location: String) throws(DeltaError) -> CheckpointMetadata {
    let object = try object(value, "checkpointMetadata", location)
    return CheckpointMetadata(
      version: try requiredInt(object, "version", "checkpointMetadata", location),
      tags: object.present("tags")?.stringMap)
  }

  static func sidecar(_ value: JSONValue, location: String) throws(DeltaError) -> SidecarFile {
    let object = try object(value, "sidecar", location)
    return SidecarFile(
      path: try requiredString(object, "path", "sidecar", location),
      sizeInBytes: object.present("sizeInBytes")?.int64Value ?? 0,
      modificationTime: object.present("modificationTime")?.int64Value ?? 0, tags: object.present("tags")?.stringMap)
  }
}

/// Splitting newline-delimited JSON files into actions.
enum JSONLines {
  /// The first `commitInfo` of a commit file (normally its first line), reading no further.
  static func firstCommitInfo(in bytes: [UInt8], name: String) throws(DeltaError) -> CommitInfo? {
    var result: CommitInfo?
    var failure: DeltaError?
    bytes.withUnsafeBufferPointer { buffer in
      var lineStart = 0
      var lineNumber = 0
      while lineStart < buffer.count, result == nil {
        var lineEnd = lineStart
        while lineEnd < buffer.count, buffer[lineEnd] != 0x0A { lineEnd += 1 }
        lineNumber += 1
        let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
        lineStart = lineEnd + 1
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
        do {
          if case .commitInfo(let info)? = try ActionScanner.action(
            line, wantCommitInfo: true, location: "\(name) line \(lineNumber)")
          {
            result = info
          }
        } catch let error as DeltaError {
          failure = error
          return
        } catch {
          failure = DeltaError(.corruptLog, "\(name) line \(lineNumber): invalid JSON: \(error)")
          return
        }
      }
    }
    if let failure { throw failure }
    return result
  }

  /// The actions of an NDJSON file (a commit, a compaction or a V2 checkpoint). `name` is used in
  /// error messages; `commitInfo` actions are decoded only when `wantCommitInfo`.
  static func actions(in bytes: [UInt8], name: String, wantCommitInfo: Bool = true) throws(DeltaError) -> [Action] {
    var actions: [Action] = []
    var failure: DeltaError?
    bytes.withUnsafeBufferPointer { buffer in
      var lineStart = 0
      var lineNumber = 0
      let count = buffer.count
      while lineStart < count {
        var lineEnd = lineStart
        while lineEnd < count, buffer[lineEnd] != 0x0A { lineEnd += 1 }
        lineNumber += 1
        let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
        lineStart = lineEnd + 1
        var blank = true
        for byte in line where byte != 0x20 && byte != 0x09 && byte != 0x0D {
          blank = false
          break
        }
        if blank { continue }
        do {
          if let action = try ActionScanner.action(
            line, wantCommitInfo: wantCommitInfo, location: "\(name) line \(lineNumber)")
          {
            actions.append(action)
          }
        } catch let error as JSONSyntaxError {
          failure = DeltaError(.corruptLog, "\(name) line \(lineNumber): invalid JSON: \(error)")
          return
        } catch let error as DeltaError {
          failure = error
          return
        } catch {
          failure = DeltaError(.corruptLog, "\(name) line \(lineNumber): \(error)")
          return
        }
      }
    }
    if let failure { throw failure }
    return actions
  }
}
