import Columnar
public import Delta

/// Decoded records on their way into Delta tables: buffered per table, flushed as one commit per
/// table, with the source positions they reach committed in the same commit, exactly once.
///
/// Positions are `txn` actions: application id = the stream (a file identity, an object key, a
/// request id), version = the byte offset after the last unit flushed. The dead-letter table is
/// committed last in every flush and so records how far every stream got; a restart resumes there
/// (``committedOffset(stream:)``). Any table whose commit went through before a crash holds a
/// newer position for the stream, and the replayed records it already has are skipped, so no
/// record is lost and none is written twice — also across the per-query tables of one source.
public final class IngestPipeline {
  public let options: IngestOptions
  public private(set) var statistics = IngestStatistics()
  private var tables: [String?: TableState] = [:]
  private var deadLetterState: TableState
  private var deadLetters = DeadLetters()
  /// The raw bytes of the buffered units, for dead letters.
  private var arena: [UInt8] = []
  private var unitRanges: [Range<Int>] = []
  private var unitStreams: [(stream: String, end: Int64)] = []
  /// The stream positions the buffered units reach (the latest stream's in `pendingStream`/`pendingEnd`).
  private var pending: [String: Int64] = [:]
  private var pendingStream: String?
  private var pendingEnd: Int64 = 0
  private var lastTable: (name: String?, state: TableState)?
  private var bufferedRows = 0
  private var bufferedBytes = 0
  private var oldestBuffered: ContinuousClock.Instant?
  private var records: [DecodedRecord] = []

  public init(options: IngestOptions) throws(DeltaError) {
    self.options = options
    deadLetterState = try TableState(path: options.deadLetterPath, storage: options.storage)
  }

  /// The offset committed for a stream, where reading resumes; nil when the stream is new.
  public func committedOffset(stream: String) -> Int64? {
    deadLetterState.committed[stream]
  }

  /// Reads every table's committed positions again (another process may have committed the
  /// streams this one is about to take over, as Kafka consumers of one group do).
  public func reloadPositions() throws(DeltaError) {
    try deadLetterState.reload(storage: options.storage)
    for state in tables.values { try state.reload(storage: options.storage) }
  }

  /// The committed streams whose id starts with `prefix`, with their offsets.
  public func committedStreams(prefix: String) -> [String: Int64] {
    deadLetterState.committed.filter { $0.key.hasPrefix(prefix) }
  }

  /// True when a buffer limit or the latency bound is reached.
  public var isFlushDue: Bool {
    if bufferedRows >= options.maxRows || bufferedBytes >= options.maxBytes { return true }
    guard let oldestBuffered else { return false }
    return ContinuousClock.now - oldestBuffered >= .milliseconds(Int64(options.maxLatency * 1000))
  }

  /// True when units are buffered.
  public var hasPending: Bool { pendingStream != nil }

  /// Decodes one unit of `stream` that ends at byte `end` and buffers its records. A unit the
  /// decoder rejects becomes a dead letter.
  public func add<Decoder: RecordDecoder>(
    _ unit: UnsafeBufferPointer<UInt8>, stream: String, end: Int64, decoder: inout Decoder
  ) throws(DeltaError) {
    if oldestBuffered == nil { oldestBuffered = .now }
    statistics.bytesRead += unit.count + 1
    bufferedBytes += unit.count
    if stream != pendingStream {
      if let pendingStream { pending[pendingStream] = pendingEnd }
      pendingStream = stream
    }
    pendingEnd = end
    records.removeAll(keepingCapacity: true)
    do {
      try decoder.decode(unit, into: &records)
    } catch {
      if end > (deadLetterState.committed[stream] ?? -1) {
        deadLetters.add(
          source: options.sourceKind, stream: stream, position: end, table: nil, error: error.message,
          raw: String(decoding: unit, as: UTF8.self), at: Self.nowMicros())
      }
      return
    }
    guard !records.isEmpty else { return }
    let unitIndex = unitRanges.count
    let start = arena.count
    arena.append(contentsOf: unit)
    unitRanges.append(start..<arena.count)
    unitStreams.append((stream, end))
    let arrival = Self.nowMicros()
    for index in records.indices {
      statistics.recordsRead += 1
      let state = try table(records[index].table)
      if let done = state.committedOffset(stream), end <= done {
        statistics.recordsSkipped += 1
        continue
      }
      if let problem = state.batch.append(&records[index], unit: unitIndex, arrival: arrival) {
        deadLetters.add(
          source: options.sourceKind, stream: stream, position: end, table: records[index].table, error: problem,
          raw: String(decoding: unit, as: UTF8.self), at: arrival)
        continue
      }
      bufferedRows += 1
    }
  }

  /// Buffers a unit given as bytes.
  public func add<Decoder: RecordDecoder>(
    _ unit: [UInt8], stream: String, end: Int64, decoder: inout Decoder
  ) throws(DeltaError) {
    var failure: DeltaError?
    unit.withUnsafeBufferPointer { buffer in
      do throws(DeltaError) { try add(buffer, stream: stream, end: end, decoder: &decoder) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Marks a stream as read up to `end` without a unit (a skipped header, trailing bytes).
  public func advance(stream: String, to end: Int64) {
    if oldestBuffered == nil { oldestBuffered = .now }
    if stream != pendingStream {
      if let pendingStream { pending[pendingStream] = pendingEnd }
      pendingStream = stream
    }
    pendingEnd = end
  }

  private func table(_ name: String?) throws(DeltaError) -> TableState {
    if let lastTable, lastTable.name == name { return lastTable.state }
    let state: TableState
    if let known = tables[name] {
      state = known
    } else {
      state = try TableState(path: options.tablePath(name), storage: options.storage)
      tables[name] = state
    }
    lastTable = (name, state)
    return state
  }

  /// All stream positions buffered, the latest stream's included.
  private func pendingPositions() -> [String: Int64] {
    var positions = pending
    if let pendingStream { positions[pendingStream] = pendingEnd }
    return positions
  }

  /// Commits every table's buffered records with the positions reached, then the dead letters
  /// with all positions. Does nothing when nothing is buffered.
  public func flush() throws {
    guard pendingStream != nil else { return }
    let clock = ContinuousClock.now
    let positions = pendingPositions()
    for key in tables.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
      guard let state = tables[key], state.batch.rowCount > 0 else { continue }
      try commit(state, name: key, positions: positions)
    }
    try commitDeadLetters(positions: positions)
    statistics.flushes += 1
    let seconds = Self.seconds(ContinuousClock.now - clock)
    statistics.lastFlushSeconds = seconds
    statistics.totalFlushSeconds += seconds
    pending = [:]
    pendingStream = nil
    arena.removeAll(keepingCapacity: true)
    unitRanges.removeAll(keepingCapacity: true)
    unitStreams.removeAll(keepingCapacity: true)
    bufferedRows = 0
    bufferedBytes = 0
    oldestBuffered = nil
  }

  private func commit(_ state: TableState, name: String?, positions: [String: Int64]) throws {
    let (batch, rejects) = try state.batch.build(
      tableSchema: state.schema, partitionColumns: state.schema == nil ? options.partitioning.columns : state.partitionColumns)
    let now = Self.nowMicros()
    for reject in rejects {
      let (stream, end) = unitStreams[reject.unit]
      deadLetters.add(
        source: options.sourceKind, stream: stream, position: end, table: name, error: reject.message,
        raw: String(decoding: arena[unitRanges[reject.unit]], as: UTF8.self), at: now)
    }
    let streams = Set(state.batch.units.map { unitStreams[$0].stream })
    state.batch = TableBatch()
    guard batch.rowCount > 0 else { return }
    var write = WriteOptions(mode: .append)
    write.mergeSchema = true
    write.partitionBy = state.schema == nil ? batch.schema.fields.map(\.name).filter { options.partitioning.columns.contains($0) } : nil
    write.targetFileSize = options.targetFileSize
    write.appTransactions = streams.sorted().compactMap { stream in positions[stream].map { Transaction(appId: stream, version: $0) } }
    let writer = try Self.commitFenced(batch, to: state, options: write, storage: options.storage)
    state.schema = writer.schema
    state.partitionColumns = writer.partitionColumns
    for stream in streams { state.committed[stream] = positions[stream] }
    state.forgetLookup()
    statistics.commits += 1
    state.commitsSinceCompaction += 1
    if options.compactEvery > 0, state.commitsSinceCompaction >= options.compactEvery {
      state.commitsSinceCompaction = 0
      var compaction = OptimizeOptions()
      compaction.targetFileSize = options.targetFileSize
      // A lost race with another writer only postpones the compaction; the data is committed.
      if let result = try? Maintenance.optimize(path: state.path, options: compaction, storage: options.storage),
        result.version != nil
      {
        statistics.compactions += 1
      }
    }
    statistics.recordsWritten += batch.rowCount
    if let times = batch.schema.index(of: "event_time").map({ batch.columns[$0] }), case .int64(let values) = times.storage,
      let newest = values.max()
    {
      statistics.newestEventTime = max(statistics.newestEventTime ?? newest, newest)
    }
  }

  private func commitDeadLetters(positions: [String: Int64]) throws {
    let count = deadLetters.count
    let batch = try deadLetters.take()
    var write = WriteOptions(mode: .append)
    write.appTransactions = positions.keys.sorted().map { Transaction(appId: $0, version: positions[$0]!) }
    try Self.commitFenced(count > 0 ? batch : nil, to: deadLetterState, options: write, storage: options.storage)
    for (stream, end) in positions { deadLetterState.committed[stream] = end }
    statistics.commits += 1
    statistics.deadLetters += count
  }

  /// Writes `batch` (or only the positions) to the table and commits, with the positions in
  /// `options.appTransactions`. A commit that loses to another writer's schema change is
  /// retried against the new schema. Before each attempt the table's positions of these streams
  /// must still be those this pipeline last saw: if another writer has committed one since (a
  /// Kafka consumer that took the partition over), nothing is committed and an error says so,
  /// since writing would duplicate what the other writer wrote.
  @discardableResult
  private static func commitFenced(
    _ batch: RecordBatch?, to state: TableState, options: WriteOptions, storage: any TableStorage
  ) throws -> TableWriter {
    var attempt = 1
    while true {
      let writer = try TableWriter(
        path: state.path, schema: batch?.schema ?? DeadLetters.schema, options: options, storage: storage)
      if let snapshot = writer.snapshot {
        for position in options.appTransactions {
          let theirs = snapshot.transactions[position.appId]?.version
          guard theirs == state.committed[position.appId] else {
            writer.abort()
            throw IngestError(
              "\(state.path): stream '\(position.appId)' was committed by another writer (its position is "
                + "\(theirs.map(String.init) ?? "none"), this process had \(state.committed[position.appId].map(String.init) ?? "none")); "
                + "another consumer has taken it over, so this one stops without committing what it buffered")
          }
        }
      }
      if let failure = Self.writeAndCommit(batch, writer) {
        guard failure.code == .concurrentModification, attempt < 5 else { throw failure }
        attempt += 1
        continue
      }
      return writer
    }
  }

  /// The commit's failure, if any (a value, not a throw: the retry loop above reads it).
  private static func writeAndCommit(_ batch: RecordBatch?, _ writer: TableWriter) -> DeltaError? {
    do {
      if let batch { try writer.write(batch) }
      try writer.commit()
      return nil
    } catch {
      return error
    }
  }

  static func nowMicros() -> Int64 { DeltaTransaction.nowMilliseconds() * 1000 }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}

/// One table an ingest writes: its schema and partitioning as last committed, the positions it
/// holds, and the records buffered for it.
final class TableState {
  let path: String
  var schema: Schema?
  var partitionColumns: [String] = []
  var committed: [String: Int64] = [:]
  var batch = TableBatch()
  var commitsSinceCompaction = 0
  private var lookup: (stream: String, offset: Int64?)?

  /// The position committed for a stream (the last answer is kept: units of one stream come in runs).
  func committedOffset(_ stream: String) -> Int64? {
    if let lookup, lookup.stream == stream { return lookup.offset }
    let offset = committed[stream]
    lookup = (stream, offset)
    return offset
  }

  func forgetLookup() { lookup = nil }

  init(path: String, storage: any TableStorage) throws(DeltaError) {
    self.path = path
    try reload(storage: storage)
  }

  /// Takes the schema, partitioning and positions of the table's latest snapshot.
  func reload(storage: any TableStorage) throws(DeltaError) {
    guard let snapshot = try DeltaTable.existingSnapshot(path: path, storage: storage) else { return }
    schema = snapshot.schema
    partitionColumns = snapshot.partitionColumns
    committed = snapshot.transactions.mapValues(\.version)
    lookup = nil
  }
}
