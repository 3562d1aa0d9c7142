/// A Kafka API (request type), with the versions of it this client implements.
struct APIKey: Hashable, Sendable, CustomStringConvertible {
  let rawValue: Int16
  let name: String
  /// The versions Avocet can encode and decode.
  let supported: ClosedRange<Int16>
  /// The first flexible version (KIP-482): compact encodings and tagged fields from here on.
  let firstFlexible: Int16

  var description: String { name }

  func isFlexible(_ version: Int16) -> Bool { version >= firstFlexible }

  /// Request header v2 for flexible versions, v1 otherwise.
  func requestHeaderVersion(_ version: Int16) -> Int16 { isFlexible(version) ? 2 : 1 }

  /// Response header v1 (with tagged fields) for flexible versions, v0 otherwise. ApiVersions
  /// always answers with header v0, so a client that does not yet know the broker's versions
  /// can read it.
  func responseHeaderVersion(_ version: Int16) -> Int16 {
    self == .apiVersions ? 0 : (isFlexible(version) ? 1 : 0)
  }

  static let fetch = APIKey(rawValue: 1, name: "Fetch", supported: 4...12, firstFlexible: 12)
  static let listOffsets = APIKey(rawValue: 2, name: "ListOffsets", supported: 1...7, firstFlexible: 6)
  static let metadata = APIKey(rawValue: 3, name: "Metadata", supported: 4...12, firstFlexible: 9)
  static let offsetCommit = APIKey(rawValue: 8, name: "OffsetCommit", supported: 2...8, firstFlexible: 8)
  static let offsetFetch = APIKey(rawValue: 9, name: "OffsetFetch", supported: 1...7, firstFlexible: 6)
  static let findCoordinator = APIKey(rawValue: 10, name: "FindCoordinator", supported: 0...3, firstFlexible: 3)
  static let joinGroup = APIKey(rawValue: 11, name: "JoinGroup", supported: 1...7, firstFlexible: 6)
  static let heartbeat = APIKey(rawValue: 12, name: "Heartbeat", supported: 0...4, firstFlexible: 4)
  static let leaveGroup = APIKey(rawValue: 13, name: "LeaveGroup", supported: 0...4, firstFlexible: 4)
  static let syncGroup = APIKey(rawValue: 14, name: "SyncGroup", supported: 0...5, firstFlexible: 4)
  static let apiVersions = APIKey(rawValue: 18, name: "ApiVersions", supported: 0...3, firstFlexible: 3)
  /// v0 would send the SASL tokens raw, outside Kafka framing; only v1 (KIP-152) is implemented.
  static let saslHandshake = APIKey(rawValue: 17, name: "SaslHandshake", supported: 1...1, firstFlexible: .max)
  static let saslAuthenticate = APIKey(rawValue: 36, name: "SaslAuthenticate", supported: 0...2, firstFlexible: 2)

  /// Every API the consumer uses once a connection is set up (`NegotiatedVersions` picks a
  /// version of each).
  static let all: [APIKey] = [
    .apiVersions, .metadata, .listOffsets, .fetch, .findCoordinator, .joinGroup, .syncGroup, .heartbeat,
    .leaveGroup, .offsetFetch, .offsetCommit,
  ]

  /// The APIs of SASL authentication, used only while a connection is set up (after ApiVersions,
  /// before anything else); `BrokerConnection` picks their versions itself.
  static let authentication: [APIKey] = [.saslHandshake, .saslAuthenticate]

  /// The highest version of this API both sides support, from a broker's ApiVersions ranges;
  /// nil when the broker lacks it or supports none of ours.
  func highestCommonVersion(broker: [Int16: ClosedRange<Int16>]) -> Int16? {
    guard let theirs = broker[rawValue] else { return nil }
    let high = min(supported.upperBound, theirs.upperBound)
    return high >= max(supported.lowerBound, theirs.lowerBound) ? high : nil
  }
}
