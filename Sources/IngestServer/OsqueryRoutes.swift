import Delta
import Hummingbird

/// osquery's TLS remote API (security-log-formats.md §1.3): enroll, config, logger and the
/// distributed endpoints. osquery expects HTTP 200 with `"node_invalid": true` for a refused
/// secret or an unknown node key (it then enrolls again), so those are not HTTP errors.
struct OsqueryRoutes: Sendable {
  let nodes: NodeRegistry
  let enrollSecret: String?
  /// The configured osquery config with `"node_invalid": false`.
  let config: JSONObject
  let channel: SpoolChannel
  let maxBodyBytes: Int
  let metrics: ServerMetrics

  init(
    nodes: NodeRegistry, enrollSecret: String?, osqueryConfig: JSONObject, channel: SpoolChannel, maxBodyBytes: Int,
    metrics: ServerMetrics
  ) {
    self.nodes = nodes
    self.enrollSecret = enrollSecret
    var config = osqueryConfig
    config.entries.removeAll { $0.key == "node_invalid" }
    config.entries.append(("node_invalid", .bool(false)))
    self.config = config
    self.channel = channel
    self.maxBodyBytes = maxBodyBytes
    self.metrics = metrics
  }

  static let invalidNode = HTTPReply.json([("node_invalid", .bool(true))])

  func add(to router: Router<BasicRequestContext>) {
    let counter = RouteCounter(metrics: metrics)
    router.post("/osquery/enroll") { request, _ in
      await counter.respond("/osquery/enroll") { () async throws(HTTPFailure) in try await enroll(request) }
    }
    router.post("/osquery/config") { request, _ in
      await counter.respond("/osquery/config") { () async throws(HTTPFailure) in
        let (_, known) = try await readNodeRequest(request, what: "config")
        return known ? HTTPReply.json(.object(config)) : Self.invalidNode
      }
    }
    router.post("/osquery/log") { request, _ in
      await counter.respond("/osquery/log") { () async throws(HTTPFailure) in try await log(request) }
    }
    router.post("/osquery/distributed/read") { request, _ in
      await counter.respond("/osquery/distributed/read") { () async throws(HTTPFailure) in
        let (_, known) = try await readNodeRequest(request, what: "distributed read")
        return known
          ? HTTPReply.json([("queries", .object(JSONObject())), ("node_invalid", .bool(false))]) : Self.invalidNode
      }
    }
    router.post("/osquery/distributed/write") { request, _ in
      await counter.respond("/osquery/distributed/write") { () async throws(HTTPFailure) in
        let (_, known) = try await readNodeRequest(request, what: "distributed write")
        return known ? HTTPReply.json(.object(JSONObject())) : Self.invalidNode
      }
    }
  }

  // MARK: Enroll

  private func enroll(_ request: Request) async throws(HTTPFailure) -> Response {
    let body = try await HTTPReply.readBody(request, limit: maxBodyBytes)
    let object = try HTTPReply.jsonObject(body, what: "enroll")
    let host = object["host_identifier"]?.stringValue ?? ""
    guard let enrollSecret else {
      ServerLog.note("enroll refused for host '\(host)': no enroll secret is configured")
      return Self.invalidNode
    }
    guard let given = object["enroll_secret"]?.stringValue, Self.constantTimeEqual(given, enrollSecret) else {
      ServerLog.note("enroll refused for host '\(host)': wrong or missing enroll secret")
      return Self.invalidNode
    }
    let key: String
    do {
      key = try nodes.enroll(hostIdentifier: host, at: ServerMetrics.nowMicros() / 1_000_000)
    } catch {
      throw HTTPFailure(.internalServerError, "cannot save the node: \(error)")
    }
    return HTTPReply.json([("node_key", .string(key)), ("node_invalid", .bool(false))])
  }

  // MARK: Log

  private func log(_ request: Request) async throws(HTTPFailure) -> Response {
    let body = try await HTTPReply.readBody(request, limit: maxBodyBytes)
    let object = try HTTPReply.jsonObject(body, what: "log")
    guard let key = Self.nodeKey(object, request), nodes.isEnrolled(key) else { return Self.invalidNode }
    let typeText = object["log_type"]?.stringValue ?? ""
    guard typeText == "result" || typeText == "status" else {
      throw HTTPFailure(.badRequest, "log: \"log_type\" must be \"result\" or \"status\", not '\(typeText)'")
    }
    guard let data = object["data"]?.arrayValue else {
      throw HTTPFailure(.badRequest, "log: \"data\" must be an array of log objects")
    }
    guard !data.isEmpty else { return HTTPReply.json([("node_invalid", .bool(false))]) }
    let lines = Self.spoolLines(data, isStatus: typeText == "status")
    let id = try HTTPReply.clientRequestID(request) ?? RequestID.digest(["osquery", key], body: body)
    do {
      let outcome = try await channel.append(id: id, lines: lines)
      metrics.countSpooled(channel: channel.name, bytes: lines.bytes.count, duplicate: outcome == .duplicate)
    } catch {
      ServerLog.note("channel \(channel.name): \(error)")
      throw HTTPFailure(.serviceUnavailable, "the log could not be spooled: \(error)")
    }
    return HTTPReply.json([("node_invalid", .bool(false))])
  }

  /// One line per element of `data`, as the filesystem logger writes them; a status log gets
  /// `"log_type":"status"` first, which tells the decoder what it is. An element that is not an
  /// object is kept as it is and becomes a dead letter.
  static func spoolLines(_ data: [JSONValue], isStatus: Bool) -> SpoolLines {
    var lines = SpoolLines()
    for element in data {
      if isStatus, case .object(var object) = element {
        object.entries.removeAll { $0.key == "log_type" }
        object.entries.insert(("log_type", .string("status")), at: 0)
        lines.append(json: .object(object))
      } else {
        lines.append(json: element)
      }
    }
    return lines
  }

  // MARK: Node keys

  /// Reads a body with a node key; returns the key and whether it is enrolled.
  private func readNodeRequest(_ request: Request, what: String) async throws(HTTPFailure) -> (String?, Bool) {
    let body = try await HTTPReply.readBody(request, limit: maxBodyBytes)
    var object = JSONObject()
    if !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      object = try HTTPReply.jsonObject(body, what: what)
    }
    let key = Self.nodeKey(object, request)
    return (key, key.map(nodes.isEnrolled) ?? false)
  }

  /// `node_key` from the body, else the `Authorization: NodeKey <key>` header.
  static func nodeKey(_ object: JSONObject, _ request: Request) -> String? {
    if let key = object["node_key"]?.stringValue, !key.isEmpty { return key }
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "nodekey" else { return nil }
    return String(parts[1]).trimmingWhitespace
  }

  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
    for index in 0..<max(x.count, y.count) {
      difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
    }
    return difference == 0 && x.count == y.count
  }
}
