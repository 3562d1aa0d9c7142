/// A broker's host and port, parsed from `host:port` (or `[v6]:port`).
struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
  var host: String
  var port: Int

  var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

  /// Parses a comma-separated bootstrap list: "a:9092,b:9092". The port defaults to 9092.
  static func parseList(_ text: String) throws(KafkaError) -> [BrokerAddress] {
    var result: [BrokerAddress] = []
    for part in text.split(separator: ",") {
      let item = part.trimmingSpaces
      if item.isEmpty { continue }
      result.append(try parse(item))
    }
    guard !result.isEmpty else { throw KafkaError("no Kafka brokers given", code: .invalidArgument) }
    return result
  }

  static func parse(_ text: String) throws(KafkaError) -> BrokerAddress {
    var host = Substring(text)
    var portText: Substring? = nil
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { throw invalid(text) }
      let rest = host[host.index(after: close)...]
      host = host[host.index(after: host.startIndex)..<close]
      if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty { throw invalid(text) }
    } else if let colon = host.lastIndex(of: ":") {
      portText = host[host.index(after: colon)...]
      host = host[..<colon]
    }
    guard !host.isEmpty else { throw invalid(text) }
    var port = 9092
    if let portText {
      guard let value = Int(portText), (1...65535).contains(value) else { throw invalid(text) }
      port = value
    }
    return BrokerAddress(host: String(host), port: port)
  }

  private static func invalid(_ text: String) -> KafkaError {
    KafkaError("invalid broker address '\(text)' (expected host:port)", code: .invalidArgument)
  }
}

extension Substring {
  var trimmingSpaces: String {
    String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}
