import ObjectStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How VACUUM chooses what to delete.
public struct VacuumOptions: Sendable {
  /// Keep files needed by versions of the last this many hours; nil: the table's
  /// `delta.deletedFileRetentionDuration` (7 days by default).
  public var retentionHours: Double?
  /// List what would be deleted; delete nothing and commit nothing.
  public var dryRun = false
  /// Allow a retention shorter than the table's (readers of older versions may then fail).
  public var force = false
  /// The current time in milliseconds since the epoch (tests pin it); nil: the clock.
  public var now: Int64?

  public init(retentionHours: Double? = nil, dryRun: Bool = false, force: Bool = false) {
    self.retentionHours = retentionHours
    self.dryRun = dryRun
    self.force = force
  }
}

/// What a VACUUM deleted, or with `dryRun` would delete.
public struct VacuumResult: Sendable {
  /// Paths relative to the table root, sorted.
  public var files: [String] = []
  public var bytes: Int64 = 0
  public var dryRun = false
  /// The retention applied, in hours.
  public var retentionHours: Double = 0
  /// The versions of the VACUUM START and END commits (nil for a dry run).
  public var startVersion: Int64?
  public var endVersion: Int64?
}

extension Maintenance {
  /// Deletes the data and deletion-vector files that no version within the retention period
  /// references: neither the current version nor a `remove` newer than the cutoff. Files newer
  /// than the cutoff are kept even when unreferenced (a writer may be about to commit them), and,
  /// as Spark does, `_delta_log`, `_change_data` and every hidden (`_`/`.`) entry are left alone.
  ///
  /// The deletion is recorded in the log as a `VACUUM START` and a `VACUUM END` commit, so that
  /// history shows it.
  @discardableResult
  public static func vacuum(
    path: String, options: VacuumOptions = VacuumOptions(), storage: any TableStorage = DefaultTableStorage()
  ) throws(DeltaError) -> VacuumResult {
    let table = try DeltaTable.open(path: path, storage: storage)
    let snapshot = try table.snapshot()
    // vacuumProtocolCheck or not, deleting files of a table whose features are unknown is unsafe.
    try WriterFeatures.checkProtocolWritable(snapshot)
    let tableRetention =
      snapshot.properties["delta.deletedFileRetentionDuration"].flatMap(Checkpointer.intervalMilliseconds)
      ?? 7 * 86_400_000
    let retention: Int64
    if let hours = options.retentionHours {
      guard hours >= 0, hours.isFinite else {
        throw DeltaError(.invalidArgument, "the retention must be zero or more hours, not \(hours)")
      }
      retention = Int64(hours * 3_600_000)
      if retention < tableRetention, !options.force {
        throw DeltaError(
          .invalidArgument,
          "a retention of \(Self.hoursText(retention)) hours is shorter than the table's delta.deletedFileRetentionDuration (\(Self.hoursText(tableRetention)) hours): readers of older versions and concurrent writers could lose files. Use force (avocet vacuum --force) if no one needs them",
          path: table.path)
      }
    } else {
      retention = tableRetention
    }
    let now = options.now ?? DeltaTransaction.nowMilliseconds()
    let cutoff = now - retention

    // Kept files by their path relative to the root, both sides canonical, so that another
    // spelling of the root (`a//b`, a symlink, `file://` references) never exposes a live file.
    var names = RootRelativeNames(root: table.path, local: !S3Location.isS3(table.path))
    var keep = Set<String>()
    func reference(_ path: String, _ dv: DeletionVectorDescriptor?) throws(DeltaError) {
      if let name = names.relative(snapshot.resolvePath(path)) { keep.insert(name) }
      if let dv {
        do {
          if let file = try dv.filePath(tableRoot: table.path), let name = names.relative(file) { keep.insert(name) }
        } catch {
          throw DeltaError(.corruptLog, "deletion vector of '\(path)': \(error)", path: table.path)
        }
      }
    }
    for file in snapshot.files { try reference(file.path, file.deletionVector) }
    for remove in snapshot.tombstones where (remove.deletionTimestamp ?? 0) > cutoff {
      try reference(remove.path, remove.deletionVector)
    }

    var result = VacuumResult()
    result.dryRun = options.dryRun
    result.retentionHours = Double(retention) / 3_600_000
    var candidates: [(path: String, size: Int64)] = []
    try collect(
      directory: table.path, relative: "", partitionColumns: snapshot.partitionColumns, storage: storage
    ) { relative, object in
      if !keep.contains(relative), object.modificationTime < cutoff { candidates.append((relative, object.size)) }
    }
    candidates.sort { $0.path < $1.path }
    result.files = candidates.map(\.path)
    result.bytes = candidates.reduce(0) { $0 + $1.size }
    guard !options.dryRun else { return result }

    var start = DeltaTransaction(tablePath: table.path, storage: storage, snapshot: snapshot, operation: "VACUUM START")
    start.operationParameters = [
      "retentionCheckEnabled": String(!options.force), "defaultRetentionMillis": String(tableRetention),
      "specifiedRetentionMillis": String(retention),
    ]
    start.operationMetrics = [
      "numFilesToDelete": String(candidates.count), "sizeOfDataToDelete": String(result.bytes),
      "numFiles": "0", "numOutputBytes": "0",
    ]
    result.startVersion = try start.commit()
    var deleted = 0
    var failure: DeltaError?
    for file in candidates {
      do {
        try storage.deleteFile(table.path + "/" + file.path)
        deleted += 1
      } catch {
        failure = error
        break
      }
    }
    let afterStart = try table.snapshot()
    var end = DeltaTransaction(tablePath: table.path, storage: storage, snapshot: afterStart, operation: "VACUUM END")
    end.operationParameters = ["status": failure == nil ? "COMPLETED" : "FAILED"]
    end.operationMetrics = ["numDeletedFiles": String(deleted), "numVacuumedDirectories": "0", "numFiles": "0", "numOutputBytes": "0"]
    result.endVersion = try end.commit()
    if let failure { throw failure }
    return result
  }

  /// Walks the table's files, skipping the log and hidden entries; `visit` gets the path
  /// relative to the root and the listing entry.
  private static func collect(
    directory: String, relative: String, partitionColumns: [String], storage: any TableStorage,
    visit: (String, StoredObject) throws(DeltaError) -> Void
  ) throws(DeltaError) {
    for object in try storage.listDirectory(directory, startingAt: nil) {
      if isHidden(object.name, partitionColumns: partitionColumns) { continue }
      let path = directory + "/" + object.name
      let name = relative.isEmpty ? object.name : relative + "/" + object.name
      if object.isDirectory {
        try collect(directory: path, relative: name, partitionColumns: partitionColumns, storage: storage, visit: visit)
      } else {
        try visit(name, object)
      }
    }
  }

  /// Spark's rule: names starting with `_` or `.` are hidden (`_delta_log`, `_change_data`,
  /// `.crc` files), except partition directories of columns whose names start with `_`.
  static func isHidden(_ name: String, partitionColumns: [String]) -> Bool {
    guard name.hasPrefix("_") || name.hasPrefix(".") else { return false }
    return !partitionColumns.contains { name.hasPrefix($0 + "=") }
  }

  /// "168", "0.5": a duration in hours without a needless fraction.
  public static func hoursText(_ milliseconds: Int64) -> String {
    let hours = Double(milliseconds) / 3_600_000
    return hours == hours.rounded() ? String(Int64(hours)) : String(hours)
  }
}

/// Paths under a table root named relative to it, after making both canonical: absolute,
/// without `.`, `..` or empty segments, and on the local file system with symlinks resolved.
struct RootRelativeNames {
  let root: String
  let local: Bool
  private var realDirectories: [String: String] = [:]

  init(root: String, local: Bool) {
    self.local = local
    let lexical = local ? Self.normalized(root) : root
    self.root = local ? Self.realPath(lexical) ?? lexical : lexical
  }

  /// The path relative to the root, or nil when it lies outside.
  mutating func relative(_ path: String) -> String? {
    var full = path
    if local {
      full = Self.normalized(path)
      if let slash = full.lastIndex(of: "/"), slash != full.startIndex {
        let directory = String(full[..<slash])
        let real = realDirectories[directory] ?? Self.realPath(directory) ?? directory
        realDirectories[directory] = real
        full = real + full[slash...]
      }
    }
    let prefix = root.hasSuffix("/") ? root : root + "/"
    guard full.hasPrefix(prefix) else { return nil }
    return String(full.dropFirst(prefix.count))
  }

  static func normalized(_ path: String) -> String {
    var absolute = path
    if !absolute.hasPrefix("/") {
      var buffer = [CChar](repeating: 0, count: 4096)
      if getcwd(&buffer, buffer.count) != nil {
        absolute = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
      }
    }
    var parts: [Substring] = []
    for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
