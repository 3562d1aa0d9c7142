import Delta
import Hummingbird

/// `POST /ingest/{table}`: a body of JSON lines (gzip allowed) for the table `<root>/<table>`,
/// spooled, then answered `{"accepted": <lines>}`. A bearer token is needed when tokens are
/// configured.
struct IngestRoute: Sendable {
  let tokens: [String]
  let maxBodyBytes: Int
  let metrics: ServerMetrics
  /// The spool channel of a table, created on first use.
  let channel: @Sendable (String) throws(ServerError) -> SpoolChannel

  func add(to router: Router<BasicRequestContext>) {
    let counter = RouteCounter(metrics: metrics)
    router.post("/ingest/:table") { request, context in
      await counter.respond("/ingest/{table}") { () async throws(HTTPFailure) in
        try await ingest(request, table: context.parameters.get("table") ?? "")
      }
    }
  }

  private func ingest(_ request: Request, table: String) async throws(HTTPFailure) -> Response {
    try authorize(request)
    guard Self.isTableName(table) else {
      throw HTTPFailure(.badRequest, "'\(table)' cannot name a table: use up to 200 letters, digits, '_', '.' and '-'")
    }
    let body = try await HTTPReply.readBody(request, limit: maxBodyBytes)
    let lines = Self.spoolLines(body)
    guard lines.count > 0 else { return HTTPReply.json([("accepted", .number("0"))]) }
    let id = try HTTPReply.clientRequestID(request) ?? RequestID.digest(["ingest", table], body: body)
    let spool: SpoolChannel
    do {
      spool = try channel(table)
    } catch {
      throw HTTPFailure(.internalServerError, "cannot open the spool of table \(table): \(error)")
    }
    do {
      let outcome = try await spool.append(id: id, lines: lines)
      metrics.countSpooled(channel: spool.name, bytes: lines.bytes.count, duplicate: outcome == .duplicate)
    } catch {
      ServerLog.note("channel \(spool.name): \(error)")
      throw HTTPFailure(.serviceUnavailable, "the lines could not be spooled: \(error)")
    }
    return HTTPReply.json([("accepted", .number(String(lines.count)))])
  }

  private func authorize(_ request: Request) throws(HTTPFailure) {
    guard !tokens.isEmpty else { return }
    guard let header = request.headers[.authorization] else {
      throw HTTPFailure(.unauthorized, "this server needs 'Authorization: Bearer <token>'")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw HTTPFailure(.unauthorized, "this server needs 'Authorization: Bearer <token>'")
    }
    let given = String(parts[1]).trimmingWhitespace
    var matched = false
    for token in tokens where OsqueryRoutes.constantTimeEqual(given, token) { matched = true }
    guard matched else { throw HTTPFailure(.unauthorized, "the bearer token is not valid") }
  }

  /// `[A-Za-z0-9_.-]{1,200}`, not `.` or `..`.
  static func isTableName(_ name: String) -> Bool {
    guard (1...200).contains(name.utf8.count), name != ".", name != ".." else { return false }
    return name.utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
        true
      default: false
      }
    }
  }

  /// The body's non-blank lines, as sent (a `\r` before the `\n` is dropped by the reader). A
  /// line may start with the record separator (RFC 7464 JSON text sequences): it is dropped,
  /// so no data line can pass for a spool marker.
  static func spoolLines(_ body: [UInt8]) -> SpoolLines {
    var lines = SpoolLines()
    var start = 0
    while start < body.count {
      var end = start
      while end < body.count, body[end] != UInt8(ascii: "\n") { end += 1 }
      var lineStart = start
      while lineStart < end, body[lineStart] == SpoolFrame.separator { lineStart += 1 }
      let line = body[lineStart..<end]
      if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { lines.append(line) }
      start = end + 1
    }
    return lines
  }
}
