import Foundation
import Ingest
import Testing

@testable import IngestServer

/// The spool: frames, rotation, deletion once ingested, ids across restarts, torn frames.
@Suite struct SpoolChannelTests {
  typealias S = ServerTestSupport

  static func lines(_ texts: [String]) -> SpoolLines {
    var lines = SpoolLines()
    for text in texts { lines.append(Array(text.utf8)) }
    return lines
  }

  static func logFiles(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
  }

  @Test func framesAreMarkedAndRepeatedIdsAreNotWrittenAgain() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let channel = try SpoolChannel(name: "ingest-t", folder: root + "/ingest-t", maxFileSize: 1 << 20, recentLimit: 10)
    #expect(try await channel.append(id: "a", lines: Self.lines(["{\"n\":1}", "{\"n\":2}"])) == .spooled)
    #expect(try await channel.append(id: "a", lines: Self.lines(["{\"n\":1}", "{\"n\":2}"])) == .duplicate)
    #expect(try await channel.append(id: "b", lines: Self.lines(["{\"n\":3}"])) == .spooled)
    let files = Self.logFiles(root + "/ingest-t")
    #expect(files.count == 1)
    #expect(files.first?.count == 24)
    let text = try String(contentsOfFile: root + "/ingest-t/" + files[0], encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 7)
    #expect(lines[0].hasPrefix("\u{1E}spool ingest-t "))
    #expect(
      Array(lines[1...]) == [
        "\u{1E}request a 0 2 16", "{\"n\":1}", "{\"n\":2}", "\u{1E}request b 0 1 8", "{\"n\":3}", "",
      ])

    // After a restart the ids are read back from the markers.
    channel.closeActiveFile()
    let reopened = try SpoolChannel(name: "ingest-t", folder: root + "/ingest-t", maxFileSize: 1 << 20, recentLimit: 10)
    #expect(try await reopened.append(id: "b", lines: Self.lines(["{\"n\":3}"])) == .duplicate)
    #expect(try await reopened.append(id: "c", lines: Self.lines(["{\"n\":4}"])) == .spooled)
    #expect(Self.logFiles(root + "/ingest-t").count == 2, "a restart starts a new file")
  }

  @Test func concurrentAppendsOfOneIdWriteOneFrame() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let channel = try SpoolChannel(name: "c", folder: root + "/c", maxFileSize: 1 << 20, recentLimit: 1000)
    let outcomes = try await withThrowingTaskGroup(of: SpoolChannel.Outcome.self) { group in
      for index in 0..<64 {
        group.addTask { try await channel.append(id: "id-\(index % 8)", lines: Self.lines(["{\"i\":\(index % 8)}"])) }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(outcomes.filter { $0 == .spooled }.count == 8)
    let text = try String(contentsOfFile: root + "/c/" + Self.logFiles(root + "/c")[0], encoding: .utf8)
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("\u{1E}request") }.count == 8)
  }

  @Test func ingestedFilesAreDeletedAndTheirIdsKeptInTheJournal() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    var configuration = TestServer.configuration(root: root)
    configuration.spoolFileSize = 300
    let server = try await TestServer.start(configuration, root: root)
    let folder = root + "/spool/ingest-rotated"
    try await S.withClient { client in
      for batch in 0..<20 {
        let body = (0..<5).map { #"{"batch":\#(batch),"n":\#($0),"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"# }
        let reply = try await S.post(
          client, server.url + "/ingest/rotated", json: body.joined(separator: "\n"),
          headers: [("Idempotency-Key", "b\(batch)")])
        #expect(reply.status == 200)
      }
      // Every frame passes 300 bytes, so every file is closed after one request; once the
      // pipeline has committed a file to its end, it is deleted.
      let drained = try await S.eventually {
        try S.rows(root + "/tables/rotated").count == 100 && Self.logFiles(folder).isEmpty
      }
      #expect(drained, "files left: \(Self.logFiles(folder))")
      let metrics = try await S.send(client, server.url + "/metrics", get: true).body
      #expect(metrics.contains(#"avocet_spool_files{channel="ingest-rotated"} 0"#), "\(metrics)")
      #expect(metrics.contains(#"avocet_spool_pending_bytes{channel="ingest-rotated"} 0"#))
    }
    try await server.stop()
    let journal = try String(contentsOfFile: folder + "/.ids", encoding: .utf8)
    #expect(journal.split(separator: "\n").count == 20)
    #expect(journal.contains("b7 5 5\n"))

    // A retry after a restart, its file long deleted, is still recognised.
    let again = try await TestServer.start(configuration, root: root)
    try await S.withClient { client in
      let body = (0..<5).map { #"{"batch":7,"n":\#($0),"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"# }
      let reply = try await S.post(
        client, again.url + "/ingest/rotated", json: body.joined(separator: "\n"), headers: [("Idempotency-Key", "b7")])
      #expect(reply.json["accepted"] as? Int == 5)
    }
    try await again.stop()
    #expect(try S.rows(root + "/tables/rotated").count == 100)
    #expect(Self.logFiles(folder).isEmpty)
  }

  @Test func aFrameTornByACrashIsCompletedByTheRetryWithoutRepeats() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/spool/ingest-events"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    // What a server killed inside the write of request k2 leaves: k1 whole, k2's first line and
    // part of its second.
    let k1 = Self.lines([#"{"id":1}"#, #"{"id":2}"#])
    let k2 = Self.lines([#"{"id":3}"#, #"{"id":4}"#, #"{"id":5}"#])
    var file = SpoolFrame.header(channel: "ingest-events", sequence: 1, nonce: "feed")
    file += SpoolFrame.bytes(id: "k1", lines: k1, first: 0).frame
    let torn = SpoolFrame.bytes(id: "k2", lines: k2, first: 0)
    file += torn.frame[0..<(torn.markerLength + 13)]
    try Data(file).write(to: URL(fileURLWithPath: folder + "/00000000000000000001.log"))

    let server = try await TestServer.start(TestServer.configuration(root: root), root: root)
    try await S.withClient { client in
      let url = server.url + "/ingest/events"
      // The client got no answer for k2 and retries it; k1 it retries needlessly.
      let retry = try await S.post(
        client, url, json: "{\"id\":3}\n{\"id\":4}\n{\"id\":5}\n", headers: [("Idempotency-Key", "k2")])
      #expect(retry.json["accepted"] as? Int == 3)
      #expect(
        try await S.post(client, url, json: "{\"id\":1}\n{\"id\":2}", headers: [("Idempotency-Key", "k1")]).status
          == 200)
      #expect(try await S.eventually { try S.rows(root + "/tables/events").count >= 5 })
    }
    try await server.stop()
    #expect(try S.rows(root + "/tables/events", columns: ["id"]) == (1...5).map { #"{"id":\#($0)}"# })
    #expect(try S.rows(root + "/tables/events_dead_letters").isEmpty)
  }

  @Test func filesLeftWithoutAWholeHeaderAreRemovedAtStart() throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/c"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try Data().write(to: URL(fileURLWithPath: folder + "/00000000000000000001.log"))
    let header = SpoolFrame.header(channel: "c", sequence: 2, nonce: "n")
    try Data(header.prefix(100)).write(to: URL(fileURLWithPath: folder + "/00000000000000000002.log"))
    #expect(header.count == 1024)
    _ = try SpoolChannel(name: "c", folder: folder, maxFileSize: 1 << 20, recentLimit: 10)
    #expect(Self.logFiles(folder).isEmpty)
  }

  @Test func theScanFindsCompleteAndTornFrames() throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    var file = SpoolFrame.header(channel: "x", sequence: 9, nonce: "n")
    file += SpoolFrame.bytes(id: "whole", lines: Self.lines(["a", "bb"]), first: 0).frame
    let torn = SpoolFrame.bytes(id: "torn", lines: Self.lines(["ccc", "dddd", "e"]), first: 1).frame
    file += torn.dropLast(1)
    try Data(file).write(to: URL(fileURLWithPath: root + "/f.log"))
    let scan = try SpoolScan.readFile(root + "/f.log")
    #expect(scan.frames.map(\.marker.id) == ["whole", "torn"])
    #expect(scan.frames.map(\.delivery) == [Delivery(delivered: 2, total: 2), Delivery(delivered: 2, total: 3)])
    #expect(scan.size == Int64(file.count))
    #expect(scan.completeLength == Int64(file.count - 1))
  }

  @Test func recentRequestsForgetTheOldestBeyondTheLimit() {
    var recent = RecentRequests(limit: 3)
    for id in ["a", "b", "c", "d"] { recent.record(id, Delivery(delivered: 1, total: 1)) }
    #expect(recent["a"] == nil)
    #expect(recent["d"] == Delivery(delivered: 1, total: 1))
    recent.record("b", Delivery(delivered: 0, total: 1))
    #expect(recent["b"]?.isComplete == true, "a known id keeps its larger delivery")
    #expect(recent.entries.map(\.id) == ["b", "c", "d"])
  }

  @Test func theSpoolDecoderSkipsMarkers() throws {
    var decoder = SpoolDecoder(JSONLinesRecordDecoder())
    var records: [DecodedRecord] = []
    try decoder.decode("\u{1E}spool x 1 n", into: &records)
    try decoder.decode("\u{1E}request a 0 1 8", into: &records)
    #expect(records.isEmpty)
    try decoder.decode("{\"n\":1}", into: &records)
    #expect(records.count == 1)
    #expect(throws: DecodeError.self) { try decoder.decode("{broken", into: &records) }
  }
}
