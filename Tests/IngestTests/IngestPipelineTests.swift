import Columnar
import Delta
import Foundation
import Testing

@testable import Ingest

@Suite struct IngestPipelineTests {
  func pipeline(_ target: String, partitioning: Partitioning = .none) throws -> IngestPipeline {
    var options = IngestOptions(target: target)
    options.partitioning = partitioning
    return try IngestPipeline(options: options)
  }

  @Test func typesColumnsFromTheirValuesAndPartitionsByEventTime() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let pipeline = try pipeline(root + "/t", partitioning: .yearMonthDay)
    var decoder = KeyValueDecoder()
    let lines = [
      "time=2024-03-01T10:00:00Z port=80 ratio=0.5 ok=true name=web",
      "time=2024-03-02T23:59:59Z port=443 ratio=1 ok=false name=tls extra=x",
    ]
    for (index, line) in lines.enumerated() {
      try pipeline.add(Array(line.utf8), stream: "s", end: Int64(index + 1), decoder: &decoder)
    }
    try pipeline.flush()
    let snapshot = try DeltaTable.open(path: root + "/t").snapshot()
    #expect(snapshot.partitionColumns == ["year", "month", "day"])
    let types = Dictionary(uniqueKeysWithValues: snapshot.schema.fields.map { ($0.name, $0.type) })
    #expect(types["port"] == .int64)
    #expect(types["ratio"] == .float64)
    #expect(types["ok"] == .boolean)
    #expect(types["name"] == .string)
    #expect(types["time"] == .timestamp(.microsecond, utc: true))
    let rows = try IngestTestSupport.rows(root + "/t", columns: ["port", "extra", "day"])
    #expect(rows == [#"{"port":443,"extra":"x","day":2}"#, #"{"port":80,"extra":null,"day":1}"#])
    #expect(snapshot.transactions["s"]?.version == 2)
  }

  @Test func malformedUnitsAndMisfitRecordsGoToDeadLetters() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let target = root + "/t"
    var decoder = KeyValueDecoder()
    let first = try pipeline(target)
    try first.add(Array("port=80".utf8), stream: "s", end: 8, decoder: &decoder)
    try first.flush()
    let second = try pipeline(target)
    try second.add(Array("port=443".utf8), stream: "s", end: 17, decoder: &decoder)
    try second.add(Array("port=http".utf8), stream: "s", end: 27, decoder: &decoder)
    try second.add(Array("!garbage".utf8), stream: "s", end: 36, decoder: &decoder)
    try second.flush()
    #expect(try IngestTestSupport.rows(target) == [#"{"port":443}"#, #"{"port":80}"#])
    let letters = try IngestTestSupport.rows(target + "_dead_letters", columns: ["stream", "position", "error", "raw"])
    #expect(
      letters == [
        #"{"stream":"s","position":27,"error":"column 'port' is long in the table; got \"http\"","raw":"port=http"}"#,
        #"{"stream":"s","position":36,"error":"malformed line (starts with !)","raw":"!garbage"}"#,
      ])
    #expect(second.statistics.deadLetters == 2)
    #expect(second.committedOffset(stream: "s") == 36)
  }

  @Test func newColumnsMergeIntoTheSchema() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    var decoder = KeyValueDecoder()
    let pipeline = try pipeline(root + "/t")
    try pipeline.add(Array("a=1".utf8), stream: "s", end: 1, decoder: &decoder)
    try pipeline.flush()
    try pipeline.add(Array("a=2 b=two".utf8), stream: "s", end: 2, decoder: &decoder)
    try pipeline.flush()
    #expect(try IngestTestSupport.rows(root + "/t") == [#"{"a":1,"b":null}"#, #"{"a":2,"b":"two"}"#])
  }

  @Test func recordsRouteToSubTablesAndReplaysSkipWhatATableHas() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    var decoder = KeyValueDecoder()
    let first = try pipeline(root + "/osq")
    try first.add(Array("table=a x=1".utf8), stream: "s", end: 1, decoder: &decoder)
    try first.add(Array("table=b y=1".utf8), stream: "s", end: 2, decoder: &decoder)
    try first.flush()
    // A crash after table `a` committed its next batch but before `b` and the dead letters did:
    // simulate it by committing `a` alone with the newer position.
    var write = WriteOptions(mode: .append)
    write.appTransactions = [Transaction(appId: "s", version: 4)]
    let batch = try RecordBatch(
      schema: Schema([Field("x", .int64)]), columns: [ColumnVector(type: .int64, count: 1, storage: .int64([2]))], rowCount: 1)
    try TableWriter.write(path: root + "/osq/a", batches: [batch], options: write)
    // The restart resumes from the dead letters' position (2) and replays units 3 and 4.
    let second = try pipeline(root + "/osq")
    #expect(second.committedOffset(stream: "s") == 2)
    try second.add(Array("table=a x=2".utf8), stream: "s", end: 3, decoder: &decoder)
    try second.add(Array("table=b y=2".utf8), stream: "s", end: 4, decoder: &decoder)
    try second.flush()
    #expect(try IngestTestSupport.rows(root + "/osq/a") == [#"{"x":1}"#, #"{"x":2}"#])
    #expect(try IngestTestSupport.rows(root + "/osq/b") == [#"{"y":1}"#, #"{"y":2}"#])
    #expect(second.statistics.recordsSkipped == 1)
  }
}

@Suite struct IngestCompactionTests {
  @Test func smallFilesAreCompactedEveryFewCommits() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    var options = IngestOptions(target: root + "/t")
    options.partitioning = .none
    options.compactEvery = 3
    let pipeline = try IngestPipeline(options: options)
    var decoder = KeyValueDecoder()
    for index in 1...3 {
      try pipeline.add(Array("n=\(index)".utf8), stream: "s", end: Int64(index), decoder: &decoder)
      try pipeline.flush()
    }
    let snapshot = try DeltaTable.open(path: root + "/t").snapshot()
    #expect(snapshot.files.count == 1)
    #expect(pipeline.statistics.compactions == 1)
    #expect(try IngestTestSupport.rows(root + "/t") == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#])
    #expect(snapshot.transactions["s"]?.version == 3)
  }
}

@Suite struct IngestStillbornTableTests {
  /// A writer killed between creating `_delta_log` and linking its first commit leaves a log
  /// without commits: the next ingest creates the table instead of failing on it forever.
  @Test func aLogWithoutCommitsIsATableStillToBeCreated() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: root + "/t/_delta_log", withIntermediateDirectories: true)
    try IngestTestSupport.write("{}", to: root + "/t/_delta_log/.00000000000000000000.json.4242.1.tmp")
    var options = IngestOptions(target: root + "/t")
    options.partitioning = .none
    let pipeline = try IngestPipeline(options: options)
    var decoder = KeyValueDecoder()
    try pipeline.add(Array("n=1".utf8), stream: "s", end: 1, decoder: &decoder)
    try pipeline.flush()
    #expect(try IngestTestSupport.rows(root + "/t") == [#"{"n":1}"#])
  }
}

/// Two pipelines writing the same tables, as two consumers of one group do.
@Suite struct IngestConcurrentWriterTests {
  func pipeline(_ target: String) throws -> IngestPipeline {
    var options = IngestOptions(target: target)
    options.partitioning = .none
    return try IngestPipeline(options: options)
  }

  /// A consumer that lost its partition to another (which committed it since) must not commit
  /// what it buffered: that would write the other's records a second time.
  @Test func aStreamCommittedByAnotherWriterIsNotCommittedAgain() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let target = root + "/t"
    var decoder = KeyValueDecoder()
    let first = try pipeline(target)
    try first.add(Array("n=1".utf8), stream: "p0", end: 1, decoder: &decoder)
    try first.flush()
    let zombie = try pipeline(target)
    let owner = try pipeline(target)
    try owner.add(Array("n=2".utf8), stream: "p0", end: 2, decoder: &decoder)
    try owner.flush()
    try zombie.add(Array("n=2".utf8), stream: "p0", end: 2, decoder: &decoder)
    #expect(throws: IngestError.self) { try zombie.flush() }
    #expect(try IngestTestSupport.rows(target) == [#"{"n":1}"#, #"{"n":2}"#])
    #expect(try DeltaTable.open(path: target).snapshot().transactions["p0"]?.version == 2)
    // After reloading the positions it knows the stream is done there and may go on.
    try zombie.reloadPositions()
    #expect(zombie.committedOffset(stream: "p0") == 2)
  }

  /// Streams owned by different writers interleave their commits freely, also when one of
  /// them changes the schema.
  @Test func writersOfDifferentStreamsInterleave() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let target = root + "/t"
    var decoder = KeyValueDecoder()
    let a = try pipeline(target)
    let b = try pipeline(target)
    try a.add(Array("n=1".utf8), stream: "p0", end: 1, decoder: &decoder)
    try a.flush()
    try b.add(Array("n=2".utf8), stream: "p1", end: 1, decoder: &decoder)
    try b.flush()
    try a.add(Array("n=3 extra=x".utf8), stream: "p0", end: 2, decoder: &decoder)
    try a.flush()
    try b.add(Array("n=4".utf8), stream: "p1", end: 2, decoder: &decoder)
    try b.flush()
    #expect(
      try IngestTestSupport.rows(target)
        == [#"{"n":1,"extra":null}"#, #"{"n":2,"extra":null}"#, #"{"n":3,"extra":"x"}"#, #"{"n":4,"extra":null}"#])
    let snapshot = try DeltaTable.open(path: target).snapshot()
    #expect(snapshot.transactions["p0"]?.version == 2)
    #expect(snapshot.transactions["p1"]?.version == 2)
  }
}
