/// The `protocol` action: the reader and writer versions, and the table features at versions 3 and 7.
public struct DeltaProtocol: Sendable, Hashable {
  public var minReaderVersion: Int
  public var minWriterVersion: Int
  /// Present (possibly empty) when the reader version is 3.
  public var readerFeatures: [String]?
  /// Present (possibly empty) when the writer version is 7.
  public var writerFeatures: [String]?

  public init(
    minReaderVersion: Int, minWriterVersion: Int, readerFeatures: [String]? = nil, writerFeatures: [String]? = nil
  ) {
    self.minReaderVersion = minReaderVersion
    self.minWriterVersion = minWriterVersion
    self.readerFeatures = readerFeatures
    self.writerFeatures = writerFeatures
  }
}

/// The `metaData` action: schema, partitioning and table properties. The newest one wins.
public struct Metadata: Sendable, Hashable {
  public var id: String
  public var name: String?
  public var description: String?
  /// `format.provider`, always `parquet` in practice.
  public var formatProvider: String
  public var formatOptions: [String: String]
  /// The table schema as Spark's JSON schema text.
  public var schemaString: String
  /// Logical names of the partition columns, in partitioning order.
  public var partitionColumns: [String]
  /// Milliseconds since the epoch.
  public var createdTime: Int64?
  /// Table properties (`delta.*` and user ones).
  public var configuration: [String: String]

  public init(
    id: String, name: String? = nil, description: String? = nil, formatProvider: String = "parquet",
    formatOptions: [String: String] = [:], schemaString: String, partitionColumns: [String],
    createdTime: Int64? = nil, configuration: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.description = description
    self.formatProvider = formatProvider
    self.formatOptions = formatOptions
    self.schemaString = schemaString
    self.partitionColumns = partitionColumns
    self.createdTime = createdTime
    self.configuration = configuration
  }
}

/// The `add` action: a data file (with an optional deletion vector) that is part of the table.
public struct AddFile: Sendable {
  /// The path as written in the log: relative to the table root or an absolute URI, URI-encoded.
  public var path: String
  /// Partition values by physical column name, as strings; null values are absent.
  public var partitionValues: [String: String]
  public var size: Int64
  /// Milliseconds since the epoch.
  public var modificationTime: Int64
  public var dataChange: Bool
  /// The statistics JSON text (`numRecords`, `minValues`, `maxValues`, `nullCount`, `tightBounds`).
  public var stats: String?
  /// Statistics a checkpoint stored as a struct (`stats_parsed`) instead of, or besides, `stats`.
  public var parsedStats: FileStatistics?
  public var tags: [String: String]?
  public var deletionVector: DeletionVectorDescriptor?
  public var baseRowId: Int64?
  public var defaultRowCommitVersion: Int64?
  public var clusteringProvider: String?

  public init(
    path: String, partitionValues: [String: String] = [:], size: Int64, modificationTime: Int64,
    dataChange: Bool = true, stats: String? = nil, parsedStats: FileStatistics? = nil,
    tags: [String: String]? = nil, deletionVector: DeletionVectorDescriptor? = nil, baseRowId: Int64? = nil,
    defaultRowCommitVersion: Int64? = nil, clusteringProvider: String? = nil
  ) {
    self.path = path
    self.partitionValues = partitionValues
    self.size = size
    self.modificationTime = modificationTime
    self.dataChange = dataChange
    self.stats = stats
    self.parsedStats = parsedStats
    self.tags = tags
    self.deletionVector = deletionVector
    self.baseRowId = baseRowId
    self.defaultRowCommitVersion = defaultRowCommitVersion
    self.clusteringProvider = clusteringProvider
  }

  /// The logical file's identity: its decoded path and deletion vector id.
  public var key: FileKey { FileKey(path: path, deletionVectorID: deletionVector?.uniqueID) }
}

/// The `remove` action: a tombstone for a logical file that left the table.
public struct RemoveFile: Sendable {
  public var path: String
  /// Milliseconds since the epoch.
  public var deletionTimestamp: Int64?
  public var dataChange: Bool
  public var extendedFileMetadata: Bool?
  public var partitionValues: [String: String]?
  public var size: Int64?
  public var stats: String?
  public var tags: [String: String]?
  public var deletionVector: DeletionVectorDescriptor?
  public var baseRowId: Int64?
  public var defaultRowCommitVersion: Int64?

  public init(
    path: String, deletionTimestamp: Int64? = nil, dataChange: Bool = true, extendedFileMetadata: Bool? = nil,
    partitionValues: [String: String]? = nil, size: Int64? = nil, stats: String? = nil, tags: [String: String]? = nil,
    deletionVector: DeletionVectorDescriptor? = nil, baseRowId: Int64? = nil, defaultRowCommitVersion: Int64? = nil
  ) {
    self.path = path
    self.deletionTimestamp = deletionTimestamp
    self.dataChange = dataChange
    self.extendedFileMetadata = extendedFileMetadata
    self.partitionValues = partitionValues
    self.size = size
    self.stats = stats
    self.tags = tags
    self.deletionVector = deletionVector
    self.baseRowId = baseRowId
    self.defaultRowCommitVersion = defaultRowCommitVersion
  }

  public var key: FileKey { FileKey(path: path, deletionVectorID: deletionVector?.uniqueID) }
}

/// The identity of a logical file (PROTOCOL.md "Action Reconciliation"): the URI-decoded path plus
/// the deletion vector's unique id.
public struct FileKey: Hashable, Sendable {
  public var path: String
  public var deletionVectorID: String?

  /// Builds the key of a file whose log path is `path` (decoded here, so that an `add` and a
  /// `remove` that encode the same path differently still match).
  public init(path: String, deletionVectorID: String?) {
    self.path = PathEncoding.decodedIfNeeded(path)
    self.deletionVectorID = deletionVectorID
  }
}

/// The `txn` action: the last version an application committed (idempotent writes).
public struct Transaction: Sendable, Hashable {
  public var appId: String
  public var version: Int64
  /// Milliseconds since the epoch.
  public var lastUpdated: Int64?

  public init(appId: String, version: Int64, lastUpdated: Int64? = nil) {
    self.appId = appId
    self.version = version
    self.lastUpdated = lastUpdated
  }
}

/// The `domainMetadata` action: configuration of a named domain (`delta.*` domains belong to Delta).
public struct DomainMetadata: Sendable, Hashable {
  public var domain: String
  public var configuration: String
  public var removed: Bool

  public init(domain: String, configuration: String, removed: Bool = false) {
    self.domain = domain
    self.configuration = configuration
    self.removed = removed
  }
}

/// The `cdc` action: a change data file of one commit.
public struct CDCFile: Sendable {
  public var path: String
  public var partitionValues: [String: String]
  public var size: Int64
  public var dataChange: Bool
  public var tags: [String: String]?

  public init(
    path: String, partitionValues: [String: String], size: Int64, dataChange: Bool = false,
    tags: [String: String]? = nil
  ) {
    self.path = path
    self.partitionValues = partitionValues
    self.size = size
    self.dataChange = dataChange
    self.tags = tags
  }
}

/// The `commitInfo` action: free-form provenance of a commit. The well-known fields are typed; the
/// whole object is kept as JSON text.
public struct CommitInfo: Sendable {
  /// Milliseconds since the epoch, as the writer's clock saw it.
  public var timestamp: Int64?
  /// The in-commit timestamp (milliseconds), present when `delta.enableInCommitTimestamps` is on.
  public var inCommitTimestamp: Int64?
  public var operation: String?
  /// Operation parameters; values that are not strings are given as their JSON text.
  public var operationParameters: [String: String]
  public var operationMetrics: [String: String]
  public var engineInfo: String?
  public var clientVersion: String?
  public var userMetadata: String?
  public var readVersion: Int64?
  public var isBlindAppend: Bool?
  /// The whole `commitInfo` object as compact JSON.
  public var json: String

  public init(
    timestamp: Int64? = nil, inCommitTimestamp: Int64? = nil, operation: String? = nil,
    operationParameters: [String: String] = [:], operationMetrics: [String: String] = [:], engineInfo: String? = nil,
    clientVersion: String? = nil, userMetadata: String? = nil, readVersion: Int64? = nil, isBlindAppend: Bool? = nil,
    json: String = "{}"
  ) {
    self.timestamp = timestamp
    self.inCommitTimestamp = inCommitTimestamp
    self.operation = operation
    self.operationParameters = operationParameters
    self.operationMetrics = operationMetrics
    self.engineInfo = engineInfo
    self.clientVersion = clientVersion
    self.userMetadata = userMetadata
    self.readVersion = readVersion
    self.isBlindAppend = isBlindAppend
    self.json = json
  }
}

/// The `checkpointMetadata` action of a V2 checkpoint.
public struct CheckpointMetadata: Sendable, Hashable {
  public var version: Int64
  public var tags: [String: String]?

  public init(version: Int64, tags: [String: String]? = nil) {
    self.version = version
    self.tags = tags
  }
}

/// The `sidecar` action of a V2 checkpoint: a Parquet file in `_delta_log/_sidecars/` holding
/// some of the checkpoint's file actions.
public struct SidecarFile: Sendable, Hashable {
  /// URI-encoded path, normally just the file name.
  public var path: String
  public var sizeInBytes: Int64
  public var modificationTime: Int64
  public var tags: [String: String]?

  public init(path: String, sizeInBytes: Int64, modificationTime: Int64, tags: [String: String]? = nil) {
    self.path = path
    self.sizeInBytes = sizeInBytes
    self.modificationTime = modificationTime
    self.tags = tags
  }
}

/// One action of the Delta log.
public enum Action: Sendable {
  case `protocol`(DeltaProtocol)
  case metadata(Metadata)
  case add(AddFile)
  case remove(RemoveFile)
  case transaction(Transaction)
  case commitInfo(CommitInfo)
  case domainMetadata(DomainMetadata)
  case cdc(CDCFile)
  case checkpointMetadata(CheckpointMetadata)
  case sidecar(SidecarFile)
}
