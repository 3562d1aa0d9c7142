import Delta
import Synchronization

/// The osquery hosts that enrolled: node key → host identifier and enroll time, kept in
/// `<spool>/nodes.json` (rewritten atomically on every enrollment) so restarts keep them.
final class NodeRegistry: Sendable {
  struct Node: Sendable, Equatable {
    var key: String
    var hostIdentifier: String
    /// Seconds since the epoch.
    var enrolledAt: Int64
  }

  let path: String
  private let nodes: Mutex<[String: Node]>

  /// Loads the registry at `path` (none there: no node yet).
  init(path: String) throws(ServerError) {
    self.path = path
    var nodes: [String: Node] = [:]
    if let bytes = DurableFile.readAll(path) {
      let document: JSONValue
      do {
        document = try JSONParser.parse(bytes)
      } catch {
        throw ServerError("\(path): not valid JSON: \(error)")
      }
      guard let list = document.objectValue?["nodes"]?.arrayValue else {
        throw ServerError("\(path): expected {\"nodes\": [...]}")
      }
      for entry in list {
        guard let object = entry.objectValue, let key = object["node_key"]?.stringValue else {
          throw ServerError("\(path): every node needs a \"node_key\"")
        }
        nodes[key] = Node(
          key: key, hostIdentifier: object["host_identifier"]?.stringValue ?? "",
          enrolledAt: object["enrolled_at"]?.int64Value ?? 0)
      }
    }
    self.nodes = Mutex(nodes)
  }

  func isEnrolled(_ key: String) -> Bool {
    nodes.withLock { $0[key] != nil }
  }

  /// Enrolls a host: a new random node key, saved before it is handed out.
  func enroll(hostIdentifier: String, at seconds: Int64) throws(ServerError) -> String {
    let key = Self.newKey()
    let node = Node(key: key, hostIdentifier: hostIdentifier, enrolledAt: seconds)
    let result: Result<Void, ServerError> = nodes.withLock { nodes in
      nodes[key] = node
      do throws(ServerError) {
        try DurableFile.writeAtomically(path, Self.document(nodes))
        return .success(())
      } catch {
        nodes[key] = nil
        return .failure(error)
      }
    }
    try result.get()
    return key
  }

  /// 32 random bytes as hex.
  static func newKey() -> String {
    var generator = SystemRandomNumberGenerator()
    var text = ""
    for _ in 0..<4 {
      let word = generator.next() as UInt64
      let hex = String(word, radix: 16)
      text += String(repeating: "0", count: 16 - hex.count) + hex
    }
    return text
  }

  static func document(_ nodes: [String: Node]) -> [UInt8] {
    let sorted = nodes.values.sorted { ($0.enrolledAt, $0.key) < ($1.enrolledAt, $1.key) }
    let list: [JSONValue] = sorted.map { node in
      .object(
        JSONObject([
          ("node_key", .string(node.key)), ("host_identifier", .string(node.hostIdentifier)),
          ("enrolled_at", .number(String(node.enrolledAt))),
        ]))
    }
    var out: [UInt8] = []
    JSONValue.object(JSONObject([("nodes", .array(list))])).append(to: &out)
    out.append(UInt8(ascii: "\n"))
    return out
  }
}
