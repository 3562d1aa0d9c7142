import AsyncHTTPClient
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `avocet serve` as users run it: killed with SIGKILL at random moments while clients post,
/// restarted on the same spool and tables; every acknowledged post lands exactly once.
@Suite(.serialized) struct ServeCLITests {
  /// A running server and the URL it printed.
  struct Server {
    var process: Process
    var url: String
  }

  static func start(_ arguments: [String], log: String) throws -> Server {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLITests.binary)
    process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
    let output = Pipe()
    process.standardOutput = output
    if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
    let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    try errors.seekToEnd()
    process.standardError = errors
    try process.run()
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while !text.contains("\n"), Date() < deadline {
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      throw CLIError("the server did not start: \(text) \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }
    return Server(process: process, url: String(line.dropFirst("listening on ".count)))
  }

  struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  static func post(
    _ client: HTTPClient, _ url: String, body: String, headers: [(String, String)]
  ) async -> (status: Int, body: String)? {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(Array(body.utf8))
    do {
      let response = try await client.execute(request, timeout: .seconds(60))
      let bytes = try await response.body.collect(upTo: 1 << 20)
      return (Int(response.status.code), String(decoding: bytes.readableBytesView, as: UTF8.self))
    } catch {
      return nil
    }
  }

  /// What the client has to send: batches of JSON lines for `/ingest/events` (even numbers) and
  /// osquery result logs for query `procs` (odd numbers), each with its own Idempotency-Key.
  struct Workload {
    static let batches = 400
    static let perBatch = 20

    static func ids(_ batch: Int) -> [Int] { (0..<perBatch).map { batch * 1000 + $0 } }

    static func request(_ batch: Int, base: String, nodeKey: String) -> (url: String, body: String) {
      if batch % 2 == 0 {
        return (base + "/ingest/events", ids(batch).map { #"{"id":\#($0),"batch":\#(batch)}"# }.joined(separator: "\n"))
      }
      let rows = ids(batch).map {
        #"{"name":"procs","hostIdentifier":"h1","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"#
          + #""epoch":0,"counter":1,"numerics":false,"columns":{"id":"\#($0)"},"action":"added"}"#
      }
      return (
        base + "/osquery/log",
        #"{"node_key":"\#(nodeKey)","log_type":"result","data":[\#(rows.joined(separator: ","))]}"#
      )
    }
  }

  /// Batches still to be acknowledged, shared by the posting tasks.
  final class Ledger: Sendable {
    private let state: Mutex<(pending: [Int], acknowledged: Set<Int>)>
    init(_ batches: [Int]) { state = Mutex((batches, [])) }
    func next() -> Int? { state.withLock { $0.pending.isEmpty ? nil : $0.pending.removeFirst() } }
    func retry(_ batch: Int) { state.withLock { $0.pending.append(batch) } }
    func acknowledge(_ batch: Int) { state.withLock { _ = $0.acknowledged.insert(batch) } }
    func someAcknowledged() -> Int? { state.withLock { $0.acknowledged.randomElement() } }
    var remaining: Int { state.withLock { $0.pending.count } }
  }

  /// Posts batches from the ledger until it is empty or the server stops answering; every fifth
  /// post re-sends a batch that was already acknowledged.
  static func postAll(_ ledger: Ledger, client: HTTPClient, base: String, nodeKey: String) async {
    var sent = 0
    while let batch = ledger.next() {
      sent += 1
      if sent % 5 == 0, let again = ledger.someAcknowledged() {
        let (url, body) = Workload.request(again, base: base, nodeKey: nodeKey)
        let reply = await post(client, url, body: body, headers: [("Idempotency-Key", "batch-\(again)")])
        if reply == nil {
          ledger.retry(batch)
          return
        }
      }
      let (url, body) = Workload.request(batch, base: base, nodeKey: nodeKey)
      let reply = await post(client, url, body: body, headers: [("Idempotency-Key", "batch-\(batch)")])
      guard let reply, reply.status == 200, !reply.body.contains("\"node_invalid\":true") else {
        ledger.retry(batch)
        if reply == nil { return }
        continue
      }
      ledger.acknowledge(batch)
    }
  }

  @Test func killedAtRandomMomentsEveryAcknowledgedPostLandsOnce() async throws {
    let dir = WriteCLITests.folder("serve-kill")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "kill-test-secret\n".write(toFile: dir + "/secret", atomically: false, encoding: .utf8)
    let arguments = [
      "--table", dir + "/tables", "--spool", dir + "/spool", "--enroll-secret-file", dir + "/secret",
      "--max-latency", "300ms", "--poll-interval", "50ms", "--spool-file-size", "40KB",
    ]
    let log = dir + "/server.log"
    var running: Process?
    defer {
      if let running, running.isRunning {
        kill(running.processIdentifier, SIGKILL)
        running.waitUntilExit()
      }
    }
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let ledger = Ledger(Array(0..<Workload.batches).shuffled())
    var nodeKey = ""
    var kills = 0
    var generator = SystemRandomNumberGenerator()
    let started = Date()
    do {
      // Rounds: start the server, three clients post, SIGKILL at a random moment (the first six
      // rounds); then a last run that is not killed: re-sends, waits for the spool to drain, SIGTERM.
      var round = 0
      while true {
        let killing = round < 6 && ledger.remaining > 0
        let last = !killing && (ledger.remaining == 0 || Date().timeIntervalSince(started) > 40)
        round += 1
        let server = try Self.start(arguments, log: log)
        running = server.process
        if nodeKey.isEmpty {
          let enroll = await Self.post(
            client, server.url + "/osquery/enroll",
            body: #"{"enroll_secret":"kill-test-secret","host_identifier":"h1"}"#,
            headers: [])
          let json = enroll.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] }
          nodeKey = json?["node_key"] as? String ?? ""
          try #require(!nodeKey.isEmpty, "enroll failed: \(String(describing: enroll))")
        }
        let process = server.process
        let key = nodeKey
        let killAfter = killing ? Double.random(in: 0.05...0.9, using: &generator) : nil
        await withTaskGroup(of: Void.self) { group in
          if let killAfter {
            group.addTask {
              try? await Task.sleep(for: .seconds(killAfter))
              kill(process.processIdentifier, SIGKILL)
            }
          }
          for _ in 0..<3 {
            group.addTask { await Self.postAll(ledger, client: client, base: server.url, nodeKey: key) }
          }
        }
        if killing {
          kill(process.processIdentifier, SIGKILL)
          process.waitUntilExit()
          kills += 1
          continue
        }
        if !last {
          #expect(IngestCLITests.stop(process))
          continue
        }
        // Acknowledged batches sent once more, then wait until the spool is ingested and stop cleanly.
        for batch in [0, 1, Workload.batches - 1] {
          let (url, body) = Workload.request(batch, base: server.url, nodeKey: key)
          let reply = await Self.post(client, url, body: body, headers: [("Idempotency-Key", "batch-\(batch)")])
          #expect(reply?.status == 200)
        }
        let deadline = Date().addingTimeInterval(90)
        var drained = false
        while !drained, Date() < deadline {
          var request = HTTPClientRequest(url: server.url + "/metrics")
          request.method = .GET
          if let response = try? await client.execute(request, timeout: .seconds(30)),
            let bytes = try? await response.body.collect(upTo: 1 << 20)
          {
            let text = String(decoding: bytes.readableBytesView, as: UTF8.self)
            let pending = text.split(separator: "\n").filter { $0.hasPrefix("avocet_spool_pending_bytes{") }
            drained = pending.count == 2 && pending.allSatisfy { $0.hasSuffix(" 0") }
          }
          if !drained { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(drained, "the spool was not ingested in time")
        #expect(IngestCLITests.stop(process), "SIGTERM did not end the server cleanly")
        break
      }
    } catch {
      try? await client.shutdown()
      throw error
    }
    try await client.shutdown()
    #expect(ledger.remaining == 0, "batches never acknowledged: \(ledger.remaining)")
    #expect(kills > 0)

    let expectedEvents = (0..<Workload.batches).filter { $0 % 2 == 0 }.flatMap(Workload.ids).sorted()
    let expectedProcs = (0..<Workload.batches).filter { $0 % 2 == 1 }.flatMap(Workload.ids).sorted()
    let events = try IngestCLITests.values(dir + "/tables/events", "id").compactMap { Int($0) }.sorted()
    let procs = try IngestCLITests.values(dir + "/tables/procs", "id").compactMap { Int($0) }.sorted()
    func difference(_ written: [Int], _ expected: [Int]) -> String {
      let missing = Set(expected).subtracting(written).sorted()
      var counts: [Int: Int] = [:]
      for id in written { counts[id, default: 0] += 1 }
      let repeated = counts.filter { $0.value > 1 }.keys.sorted()
      return "\(written.count) rows for \(expected.count) ids; missing \(missing.count) (first \(missing.prefix(5))), "
        + "repeated \(repeated.count) (first \(repeated.prefix(5)))"
    }
    let serverLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    #expect(events == expectedEvents, "events: \(difference(events, expectedEvents))\n\(serverLog.suffix(3000))")
    #expect(procs == expectedProcs, "procs: \(difference(procs, expectedProcs))\n\(serverLog.suffix(3000))")
    if let rows = try WriteCLITests.deltaRSRowCount(dir + "/tables/events") { #expect(rows == expectedEvents.count) }
    if let rows = try WriteCLITests.deltaRSRowCount(dir + "/tables/procs") { #expect(rows == expectedProcs.count) }
  }

  @Test func badConfigurationIsAClearError() throws {
    let dir = WriteCLITests.folder("serve-flags")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let noTable = try CLITests.avocet(["serve", "--listen", "127.0.0.1:0"])
    #expect(noTable.status != 0)
    #expect(noTable.stderr.contains("--table"), "\(noTable.stderr)")
    let listen = try CLITests.avocet(["serve", "--table", dir + "/t", "--listen", "everywhere"])
    #expect(listen.status != 0)
    #expect(listen.stderr.contains("--listen: expected HOST:PORT"), "\(listen.stderr)")
    try #"{"table": "\#(dir)/t", "max_rows": 0}"#.write(toFile: dir + "/c.json", atomically: false, encoding: .utf8)
    let file = try CLITests.avocet(["serve", "--config", dir + "/c.json"])
    #expect(file.status != 0)
    #expect(file.stderr.contains(#""max_rows": expected a positive number"#), "\(file.stderr)")
  }
}
