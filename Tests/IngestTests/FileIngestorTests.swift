import Codecs
import Delta
import Foundation
import Testing

@testable import Ingest

@Suite struct FileIngestorTests {
  func ingestor(_ patterns: [String], target: String) throws -> FileIngestor {
    var options = IngestOptions(target: target)
    options.partitioning = .none
    return FileIngestor(patterns: patterns, pipeline: try IngestPipeline(options: options), makeDecoder: { KeyValueDecoder() })
  }

  @Test func aSecondRunReadsOnlyWhatWasAppended() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let log = root + "/a.log"
    try IngestTestSupport.write("n=1\nn=2\n", to: log)
    try ingestor([log], target: root + "/t").ingestOnce()
    try ingestor([log], target: root + "/t").ingestOnce()
    #expect(try IngestTestSupport.rows(root + "/t") == [#"{"n":1}"#, #"{"n":2}"#])
    try IngestTestSupport.append("n=3\nn=4", to: log)
    try ingestor([log], target: root + "/t").ingestOnce()
    #expect(try IngestTestSupport.rows(root + "/t") == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#, #"{"n":4}"#])
  }

  @Test func readsGzipFilesAndFoldersAndGlobs() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
    try IngestTestSupport.write("n=1\n", to: root + "/logs/a.log")
    var compressed: [UInt8] = []
    let text = Array((2...1000).map { "n=\($0)\n" }.joined().utf8)
    text.withUnsafeBytes { Gzip.compress($0, into: &compressed) }
    try Data(compressed).write(to: URL(fileURLWithPath: root + "/logs/b.log.gz"))
    try IngestTestSupport.write("n=0\n", to: root + "/logs/.hidden")
    try ingestor([root + "/logs"], target: root + "/t").ingestOnce()
    #expect(try IngestTestSupport.rows(root + "/t").count == 1000)
    try ingestor([root + "/logs/*.gz"], target: root + "/t").ingestOnce()
    #expect(try IngestTestSupport.rows(root + "/t").count == 1000)
  }

  @Test func aTruncatedGzipFileIsAnError() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    var compressed: [UInt8] = []
    Array(String(repeating: "n=1\n", count: 5000).utf8).withUnsafeBytes { Gzip.compress($0, into: &compressed) }
    try Data(compressed.prefix(compressed.count / 2)).write(to: URL(fileURLWithPath: root + "/c.log.gz"))
    #expect(throws: IngestError.self) { try ingestor([root + "/c.log.gz"], target: root + "/t").ingestOnce() }
    #expect(!DeltaTable.isDeltaTable(path: root + "/t"))
  }

  @Test func aMissingFileIsAClearError() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    #expect(throws: IngestError.self) { try ingestor([root + "/nope.log"], target: root + "/t").ingestOnce() }
  }

  @Test func followingReadsGrowthRotationAndNewFiles() throws {
    let root = try IngestTestSupport.temporaryDirectory()
    let log = root + "/conn.log"
    try IngestTestSupport.write("n=1\n", to: log)
    let ingestor = try ingestor([root + "/*.log"], target: root + "/t")
    var step = 0
    try ingestor.follow(pollInterval: 0.01, shouldStop: {
      step += 1
      switch step {
      case 3: try? IngestTestSupport.append("n=2\nn=3 p=x", to: log)
      case 5:
        // Rotation: the rest of the line lands in the old file, which moves out of the glob.
        try? IngestTestSupport.append("y\n", to: log)
        try? FileManager.default.moveItem(atPath: log, toPath: root + "/conn.log.1")
        try? IngestTestSupport.write("n=4\n", to: log)
      case 7: try? IngestTestSupport.write("n=5\n", to: root + "/dns.log")
      default: break
      }
      return step > 10
    })
    let rows = try IngestTestSupport.rows(root + "/t", columns: ["n", "p"])
    #expect(
      rows == [
        #"{"n":1,"p":null}"#, #"{"n":2,"p":null}"#, #"{"n":3,"p":"xy"}"#, #"{"n":4,"p":null}"#, #"{"n":5,"p":null}"#,
      ])
  }
}
