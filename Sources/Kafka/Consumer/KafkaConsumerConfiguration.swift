/// Settings for a `KafkaConsumer`. Defaults follow the Java consumer's where they suit a
/// log-ingest loop.
public struct KafkaConsumerConfiguration: Sendable {
  /// Bootstrap brokers: `host:port[,host:port…]`.
  public var brokers: String
  /// The consumer group. With a group and no explicit `assign`, the consumer joins the group
  /// and the group shares the topics' partitions among its members. Without one, it reads all
  /// partitions of `topics` (or those given to `assign`) and cannot commit offsets.
  public var groupID: String?
  /// The topics to subscribe to.
  public var topics: [String]
  /// Sent in every request header; brokers log it and quotas use it.
  public var clientID = "avocet"
  /// The coordinator drops a member whose heartbeats stop for this long.
  public var sessionTimeout: Duration = .seconds(10)
  /// How long the coordinator waits for all members to rejoin during a rebalance; a member
  /// must call `poll` at least this often to stay in the group.
  public var rebalanceTimeout: Duration = .seconds(60)
  /// Time between heartbeats; at most a third of `sessionTimeout` is usual.
  public var heartbeatInterval: Duration = .seconds(3)
  /// A request without a response after this long fails (its connection is closed).
  public var requestTimeout: Duration = .seconds(30)
  public var connectTimeout: Duration = .seconds(10)
  /// How long `poll` keeps retrying while brokers are unreachable (a restart, a network
  /// blip) before it gives up and throws.
  public var reconnectTimeout: Duration = .seconds(120)
  /// The most bytes one fetch response may carry across partitions (the broker still
  /// returns at least one batch when a batch is larger).
  public var fetchMaxBytes = 50 << 20
  /// The most bytes per partition in one fetch.
  public var partitionFetchMaxBytes = 1 << 20
  /// How long a broker may hold a fetch waiting for data.
  public var fetchMaxWait: Duration = .milliseconds(500)
  /// Where to start a partition that has no position (no `seek`, no committed offset):
  /// the earliest offset when true, the latest when false.
  public var fromBeginning = true
  public var isolationLevel: IsolationLevel = .readCommitted
  /// Assignment strategies offered to the group, most preferred first.
  public var assignors: [PartitionAssignor] = [.range, .roundRobin]
  /// The most bytes one compressed record batch may expand to.
  public var maximumDecompressedBatchBytes = 256 << 20
  /// Verify each record batch's CRC-32C.
  public var verifyChecksums = true
  /// TLS on every broker connection (`security.protocol` SSL, or SASL_SSL with `sasl`); nil
  /// for plaintext.
  public var tls: KafkaTLS?
  /// SASL authentication (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) on every broker connection; nil
  /// for none.
  public var sasl: KafkaSASL?
  /// Lowers the highest version used per API key (tests exercise older versions with it).
  var versionCaps: [Int16: Int16] = [:]

  public init(brokers: String, groupID: String? = nil, topics: [String] = []) {
    self.brokers = brokers
    self.groupID = groupID
    self.topics = topics
  }
}

/// Which records of transactional producers a consumer sees.
public enum IsolationLevel: Int8, Sendable {
  /// Everything, including records of open and aborted transactions.
  case readUncommitted = 0
  /// Records up to the last stable offset, without aborted transactions.
  case readCommitted = 1
}
