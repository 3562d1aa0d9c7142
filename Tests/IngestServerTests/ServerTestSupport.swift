import AsyncHTTPClient
import Codecs
import Columnar
import Delta
import Foundation
import Testing

@testable import IngestServer

/// A server running in this process on a free port, and an HTTP client for it.
final class TestServer: Sendable {
  let server: IngestHTTPServer
  let url: String
  let root: String
  private let task: Task<Void, any Error>

  private init(server: IngestHTTPServer, url: String, root: String, task: Task<Void, any Error>) {
    self.server = server
    self.url = url
    self.root = root
    self.task = task
  }

  /// A configuration for tests: tables under `root/tables`, a spool in `root/spool`, flushes
  /// after 0.2 s, the spool looked at every 50 ms.
  static func configuration(root: String) -> ServerConfiguration {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.table = root + "/tables"
    configuration.spool = root + "/spool"
    configuration.partitioning = .none
    configuration.maxLatency = 0.2
    configuration.pollInterval = 0.05
    return configuration
  }

  static func start(_ configuration: ServerConfiguration, root: String) async throws -> TestServer {
    let server = try IngestHTTPServer(configuration: configuration)
    let (urls, continuation) = AsyncStream.makeStream(of: String.self)
    let task = Task {
      try await server.run { url in continuation.yield(url) }
    }
    var iterator = urls.makeAsyncIterator()
    guard let url = await iterator.next() else { throw ServerError("the server did not start") }
    return TestServer(server: server, url: url, root: root, task: task)
  }

  /// Stops the server; its channels flush before this returns.
  func stop() async throws {
    server.stop()
    try await task.value
  }

  var tables: String { root + "/tables" }
}

struct Reply {
  var status: Int
  var body: String
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
  }
}

enum ServerTestSupport {
  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "avocet-serve-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// `POST url` (or GET without a body) with the given headers.
  static func send(
    _ client: HTTPClient, _ url: String, body: [UInt8]? = nil, headers: [(String, String)] = [], get: Bool = false
  ) async throws -> Reply {
    var request = HTTPClientRequest(url: url)
    request.method = get ? .GET : .POST
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(body) }
    // A hang guard only: while synchronous tests elsewhere in the run hold both threads of the
    // cooperative pool, neither this server's handlers nor this client's continuation run.
    let response = try await client.execute(request, timeout: .seconds(180))
    let bytes = try await response.body.collect(upTo: 16 << 20)
    return Reply(status: Int(response.status.code), body: String(decoding: bytes.readableBytesView, as: UTF8.self))
  }

  static func post(
    _ client: HTTPClient, _ url: String, json: String, headers: [(String, String)] = []
  ) async throws -> Reply {
    try await send(client, url, body: Array(json.utf8), headers: headers)
  }

  static func gzip(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBytes { Gzip.compress($0, into: &out) }
    return out
  }

  /// Every row of a table as sorted JSON lines ([] when there is no table yet).
  static func rows(_ path: String, columns: [String]? = nil) throws -> [String] {
    guard DeltaTable.isDeltaTable(path: path) else { return [] }
    let snapshot = try DeltaTable.open(path: path).snapshot()
    var lines: [String] = []
    for batch in try snapshot.scan(ScanOptions(columns: columns)).readBatches() {
      for row in 0..<batch.rowCount {
        var out: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &out)
        lines.append(String(decoding: out, as: UTF8.self))
      }
    }
    return lines.sorted()
  }

  /// Waits until `condition` holds, for up to `seconds` (generous: the whole test run shares
  /// two cores); returns whether it did. An error (a table read while its first commit is
  /// being written) counts as not yet.
  static func eventually(seconds: Double = 90, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if (try? condition()) == true { return true }
      try await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
  }

  static func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
      let result = try await body(client)
      try await client.shutdown()
      return result
    } catch {
      try? await client.shutdown()
      throw error
    }
  }
}
