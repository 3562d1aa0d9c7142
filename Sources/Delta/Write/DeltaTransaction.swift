import Columnar
public import Expr

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An optimistic transaction on a Delta table: collects actions against the snapshot it read and
/// commits them as the next version with put-if-absent.
///
/// ```swift
/// var txn = DeltaTransaction(table: table, snapshot: try table.snapshot(), operation: "WRITE")
/// txn.add(.add(file))
/// let version = try txn.commit()
/// ```
///
/// When another writer took the version first, ``commit()`` reads the winning commits and checks
/// them against what this transaction read and changed (PROTOCOL.md, Spark's `ConflictChecker`):
/// concurrent blind appends never conflict; a protocol or metadata change always does; so does a
/// `txn` for an application id this transaction also sets; and, for a transaction that read files
/// (overwrite, replaceWhere, delete), a removed file it read or a new file in a partition it
/// read. Without a conflict it retries at the next version after a randomized backoff; otherwise
/// it throws a `.concurrentModification` error naming the winning version.
public struct DeltaTransaction: Sendable {
  /// The table root and its storage.
  public let tablePath: String
  public let storage: any TableStorage
  /// The snapshot read, nil when creating a table.
  public let readSnapshot: Snapshot?
  /// `WRITE`, `CREATE TABLE`, `CREATE OR REPLACE TABLE`, `DELETE`…
  public var operation: String
  public var operationParameters: [String: String] = [:]
  public var operationMetrics: [String: String] = [:]
  /// What the transaction read, for conflict detection: nothing (a blind append), the files
  /// matching a partition predicate, or the whole table.
  public var readPredicate: ReadScope = .nothing
  /// How many times to try in all before giving up.
  public var maxAttempts = 200
  public private(set) var actions: [Action] = []

  /// What a transaction's result depends on.
  public enum ReadScope: Sendable {
    case nothing
    /// Files whose partition values satisfy the predicate.
    case partitions(Predicate)
    case wholeTable
    /// Only the files the transaction removes, rewritten without changing data (OPTIMIZE):
    /// concurrent appends do not conflict, a concurrent removal of one of those files does.
    case rewrittenFiles
  }

  public init(tablePath: String, storage: any TableStorage = DefaultTableStorage(), snapshot: Snapshot?, operation: String) {
    var root = tablePath
    while root.count > 1, root.hasSuffix("/") { root.removeLast() }
    self.tablePath = root
    self.storage = storage
    self.readSnapshot = snapshot
    self.operation = operation
  }

  public mutating func add(_ action: Action) { actions.append(action) }
  public mutating func add(contentsOf actions: [Action]) { self.actions.append(contentsOf: actions) }

  /// The version the transaction read (-1 for a new table).
  public var readVersion: Int64 { readSnapshot?.version ?? -1 }

  /// True when the transaction only adds files (no removes, no metadata or protocol change).
  public var isBlindAppend: Bool {
    guard case .nothing = readPredicate else { return false }
    return actions.allSatisfy {
      switch $0 {
      case .add, .transaction, .commitInfo: true
      default: false
      }
    }
  }

  static let engineInfo = "Avocet/0.1.0"

  /// Commits the actions; returns the version written.
  @discardableResult
  public func commit() throws(DeltaError) -> Int64 {
    try validate()
    let logPath = tablePath + "/_delta_log"
    if readSnapshot == nil { try storage.createDirectory(logPath) }
    let partitionColumns = newMetadata?.partitionColumns ?? readSnapshot?.partitionColumns ?? []
    var version = readVersion + 1
    var attempt = 0
    while true {
      attempt += 1
      let bytes = Array(encode(partitionColumns: partitionColumns).utf8)
      do {
        try storage.putIfAbsent(logPath + "/" + Self.commitName(version), bytes: bytes)
        return version
      } catch {
        guard error.code == .alreadyExists else { throw error }
      }
      // Lost the race: check every commit that got in since, then try after them.
      while true {
        let winner: [Action]
        do {
          let data = try storage.readFile(logPath + "/" + Self.commitName(version))
          winner = try JSONLines.actions(in: data, name: Self.commitName(version))
        } catch {
          if error.code == .missingFile { break }
          throw error
        }
        try checkConflicts(with: winner, version: version)
        version += 1
      }
      guard attempt < maxAttempts else {
        throw DeltaError(
          .concurrentModification,
          "gave up after \(attempt) attempts: other writers kept committing (last tried version \(version))",
          path: tablePath)
      }
      Self.backoff(attempt: attempt)
    }
  }

  static func commitName(_ version: Int64) -> String {
    let digits = String(version)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
  }

  private var newMetadata: Metadata? {
    for case .metadata(let metadata) in actions { return metadata }
    return nil
  }

  private func validate() throws(DeltaError) {
    var metadataCount = 0
    var protocolCount = 0
    var appIds = Set<String>()
    for action in actions {
      switch action {
      case .metadata: metadataCount += 1
      case .protocol: protocolCount += 1
      case .transaction(let txn):
        guard appIds.insert(txn.appId).inserted else {
          throw DeltaError(.invalidArgument, "a commit may hold one txn per application id; '\(txn.appId)' repeats")
        }
      default: break
      }
    }
    guard metadataCount <= 1, protocolCount <= 1 else {
      throw DeltaError(.invalidArgument, "a commit may hold at most one metaData and one protocol action")
    }
    if readSnapshot?.properties["delta.appendOnly"] == "true",
      let remove = actions.lazy.compactMap({ if case .remove(let r) = $0, r.dataChange { r } else { nil } }).first
    {
      throw DeltaError(
        .invalidArgument,
        "the table is append-only (delta.appendOnly): this \(operation) would remove data (file '\(remove.path)')",
        path: tablePath)
    }
    if readSnapshot == nil, metadataCount == 0 || protocolCount == 0 {
      throw DeltaError(.invalidArgument, "the first commit of a table needs a protocol and a metaData action")
    }
  }

  /// The commit file text: `commitInfo` first, then the actions, one per line.
  func encode(partitionColumns: [String]) -> String {
    var numFiles = 0
    var bytes: Int64 = 0
    for case .add(let add) in actions {
      numFiles += 1
      bytes += add.size
    }
    var metrics = operationMetrics
    if metrics["numFiles"] == nil { metrics["numFiles"] = String(numFiles) }
    if metrics["numOutputBytes"] == nil { metrics["numOutputBytes"] = String(bytes) }
    var info: [(key: String, value: JSONValue)] = [
      ("timestamp", .number(String(Self.nowMilliseconds()))),
      ("operation", .string(operation)),
      ("operationParameters", Action.map(operationParameters)),
      ("operationMetrics", Action.map(metrics)),
      ("engineInfo", .string(Self.engineInfo)),
      ("isBlindAppend", .bool(isBlindAppend)),
    ]
    if readVersion >= 0 { info.append(("readVersion", .number(String(readVersion)))) }
    info.append(("isolationLevel", .string("WriteSerializable")))
    var lines = [JSONValue.object(JSONObject([("commitInfo", .object(JSONObject(info)))])).jsonText]
    for action in actions {
      if case .commitInfo = action { continue }
      lines.append(action.jsonLine(partitionColumns: partitionColumns))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Throws when the winning commit at `version` invalidates this transaction.
  func checkConflicts(with winner: [Action], version: Int64) throws(DeltaError) {
    func conflict(_ reason: String) -> DeltaError {
      DeltaError(
        .concurrentModification,
        "concurrent commit at version \(version) conflicts with this \(operation) (read version \(readVersion)): \(reason)",
        path: tablePath)
    }
    let ourAppIds = Set(actions.compactMap { if case .transaction(let t) = $0 { t.appId } else { nil } })
    let changesMetadata = actions.contains {
      switch $0 {
      case .metadata, .protocol: true
      default: false
      }
    }
    let readFiles: Set<FileKey> = {
      guard case .nothing = readPredicate else {
        return Set(actions.compactMap { if case .remove(let r) = $0 { r.key } else { nil } })
      }
      return []
    }()
    let partitionTypes = readSnapshot.map { snapshot in
      Dictionary(
        snapshot.partitionColumns.compactMap { name in snapshot.field(named: name).map { (name, $0.type) } },
        uniquingKeysWith: { a, _ in a })
    } ?? [:]
    for action in winner {
      switch action {
      case .protocol: throw conflict("the protocol changed")
      case .metadata: throw conflict("the table metadata (schema, partitioning or properties) changed")
      case .transaction(let txn) where ourAppIds.contains(txn.appId):
        throw conflict("application '\(txn.appId)' committed its transaction version \(txn.version) concurrently")
      case .remove(let remove):
        // Removed twice (even by a rewrite such as OPTIMIZE) would resurrect or duplicate rows.
        if readFiles.contains(remove.key) { throw conflict("file '\(remove.path)' that this transaction read was removed") }
        if remove.dataChange, case .wholeTable = readPredicate { throw conflict("files of the table were removed") }
      case .add(let add) where add.dataChange:
        if changesMetadata { throw conflict("files were added while this transaction changes the metadata") }
        switch readPredicate {
        case .nothing, .rewrittenFiles: break
        case .wholeTable: throw conflict("files were added to the table this transaction overwrites")
        case .partitions(let predicate):
          var values: [String: String?] = [:]
          for name in partitionTypes.keys { values[name] = add.partitionValues[name] }
          let matches: Bool
          if let partition = try? PartitionValues(parsing: values, types: partitionTypes) {
            matches = Pruning.mightMatch(predicate, in: partition)
          } else {
            matches = true
          }
          if matches {
            throw conflict("file '\(add.path)' was added to a partition this transaction read")
          }
        }
      default: break
      }
    }
  }

  public static func nowMilliseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
  }

  /// Sleeps a random time up to 5 ms × 2^attempt, capped at 500 ms (full jitter).
  static func backoff(attempt: Int) {
    let cap = min(500_000, 5_000 << min(attempt, 10))
    usleep(UInt32(Int.random(in: 0...cap)))
  }
}
