import Digest

/// The id that makes a retried request count once: the client's `Idempotency-Key` or
/// `X-Request-Id` when it sends one, else a digest of what identifies the content.
enum RequestID {
  static let maxLength = 200

  /// The id a client gave, or nil when it is not 1–200 printable ASCII characters without spaces.
  static func client(_ text: String) -> String? {
    guard (1...maxLength).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
      return nil
    }
    return text
  }

  /// `sha256:<hex>` of the parts, each followed by a newline (so `["ab","c"]` ≠ `["a","bc"]`
  /// while parts hold no newline; the last part, a body, may hold anything).
  static func digest(_ parts: [String], body: [UInt8]) -> String {
    var message: [UInt8] = []
    message.reserveCapacity(body.count + 128)
    for part in parts {
      message.append(contentsOf: part.utf8)
      message.append(UInt8(ascii: "\n"))
    }
    message.append(contentsOf: body)
    var hex = Array("sha256:".utf8)
    message.withUnsafeBytes { SHA256.appendHexDigest(of: $0, to: &hex) }
    return String(decoding: hex, as: UTF8.self)
  }
}

/// How much of a request the spool holds: `delivered` of its `total` data lines (all of them
/// unless a write was cut short).
struct Delivery: Sendable, Equatable {
  var delivered: Int
  var total: Int
  var isComplete: Bool { delivered >= total }
}

/// The ids of the most recent requests, at most `limit`, oldest forgotten first.
struct RecentRequests: Sendable {
  let limit: Int
  private var deliveries: [String: Delivery] = [:]
  /// Ids in the order first seen; `head` is the oldest still remembered.
  private var order: [String] = []
  private var head = 0

  init(limit: Int) {
    self.limit = max(limit, 1)
  }

  subscript(id: String) -> Delivery? { deliveries[id] }

  /// Records how much of request `id` is spooled; a known id keeps the larger delivery.
  mutating func record(_ id: String, _ delivery: Delivery) {
    if let known = deliveries[id] {
      if delivery.delivered > known.delivered { deliveries[id] = delivery }
      return
    }
    deliveries[id] = delivery
    order.append(id)
    while deliveries.count > limit, head < order.count {
      deliveries[order[head]] = nil
      head += 1
    }
    if head > 4096, head * 2 > order.count {
      order.removeFirst(head)
      head = 0
    }
  }

  /// Forgets `id` (a write that may not have reached the disk).
  mutating func forget(_ id: String) {
    deliveries[id] = nil
  }

  /// The remembered ids with their deliveries, oldest first.
  var entries: [(id: String, delivery: Delivery)] {
    order[head...].compactMap { id in deliveries[id].map { (id, $0) } }
  }
}
