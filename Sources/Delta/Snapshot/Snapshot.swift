public import Columnar

/// The state of a Delta table at one version: protocol, metadata, schema and the live files.
///
/// A snapshot is an immutable value; build one with ``DeltaTable/snapshot()``,
/// ``DeltaTable/snapshot(version:)`` or ``DeltaTable/snapshot(timestamp:)``, and read its rows with
/// ``scan(_:)``.
public struct Snapshot: Sendable {
  /// The table root directory.
  public let tableRoot: String
  public let version: Int64
  /// The commit timestamp of `version` in milliseconds: the in-commit timestamp when the table has
  /// them enabled, otherwise the commit file's modification time.
  public let timestamp: Int64
  public let deltaProtocol: DeltaProtocol
  public let metadata: Metadata
  /// The logical schema (display names; column metadata on the fields).
  public let schema: Schema
  public let columnMappingMode: ColumnMappingMode
  /// The live `add` actions, in log order (checkpoint first, then commits).
  public let files: [AddFile]
  /// The `remove` actions that survive reconciliation (tombstones kept for VACUUM).
  public let tombstones: [RemoveFile]
  /// The latest `txn` version of each application.
  public let transactions: [String: Transaction]
  /// Live domain metadata by domain (removed domains are left out).
  public let domainMetadata: [String: DomainMetadata]
  /// The `commitInfo` of `version`'s commit, when the commit file still exists and has one.
  public let commitInfo: CommitInfo?
  /// The checkpoint the snapshot was built from, if any.
  public let checkpointVersion: Int64?
  let storage: any TableStorage

  init(
    tableRoot: String, version: Int64, timestamp: Int64, deltaProtocol: DeltaProtocol, metadata: Metadata,
    schema: Schema, columnMappingMode: ColumnMappingMode, files: [AddFile], tombstones: [RemoveFile],
    transactions: [String: Transaction], domainMetadata: [String: DomainMetadata], commitInfo: CommitInfo?,
    checkpointVersion: Int64?, storage: any TableStorage
  ) {
    self.tableRoot = tableRoot
    self.version = version
    self.timestamp = timestamp
    self.deltaProtocol = deltaProtocol
    self.metadata = metadata
    self.schema = schema
    self.columnMappingMode = columnMappingMode
    self.files = files
    self.tombstones = tombstones
    self.transactions = transactions
    self.domainMetadata = domainMetadata
    self.commitInfo = commitInfo
    self.checkpointVersion = checkpointVersion
    self.storage = storage
  }

  /// Logical names of the partition columns.
  public var partitionColumns: [String] { metadata.partitionColumns }
  /// Table properties (`metaData.configuration`).
  public var properties: [String: String] { metadata.configuration }

  /// The schema's fields that are not partition columns.
  public var dataFields: [Field] {
    let partitions = Set(partitionColumns)
    return schema.fields.filter { !partitions.contains($0.name) }
  }

  /// The field of a top-level column by logical name: exact match first, then case-insensitive
  /// (Delta column names are unique regardless of case).
  public func field(named name: String) -> Field? {
    if let field = schema.fields.first(where: { $0.name == name }) { return field }
    let lower = name.lowercased()
    return schema.fields.first { $0.name.lowercased() == lower }
  }

  /// The full local path of a file the log names (data files, deletion vectors).
  public func resolvePath(_ logPath: String) -> String { PathEncoding.resolve(logPath, root: tableRoot) }
}
