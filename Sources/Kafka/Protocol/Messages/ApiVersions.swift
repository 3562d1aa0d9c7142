/// ApiVersions (key 18): which versions of each API a broker supports.
struct ApiVersionsRequest: KafkaRequest {
  static let api = APIKey.apiVersions
  var clientSoftwareName = "avocet"
  var clientSoftwareVersion = "1.0"

  struct Response: Sendable, Equatable {
    var errorCode: Int16
    /// API key → the broker's supported version range.
    var versions: [Int16: ClosedRange<Int16>]
  }

  func encode(into writer: inout KafkaWriter, version: Int16) {
    guard version >= 3 else { return }
    writer.string(clientSoftwareName, flexible: true)
    writer.string(clientSoftwareVersion, flexible: true)
    writer.emptyTaggedFields(flexible: true)
  }

  static func decodeResponse(from reader: inout KafkaReader, version: Int16) throws(KafkaError) -> Response {
    let flexible = api.isFlexible(version)
    let errorCode = try reader.int16()
    // A broker that does not support our version answers in v0 form with UNSUPPORTED_VERSION
    // and its own ranges; it has no throttle time or tagged fields, and its array is classic.
    let bodyFlexible = flexible && errorCode != KafkaErrorCode.unsupportedVersion
    var versions: [Int16: ClosedRange<Int16>] = [:]
    let count = try reader.arrayCount(flexible: bodyFlexible)
    for _ in 0..<count {
      let key = try reader.int16()
      let minVersion = try reader.int16()
      let maxVersion = try reader.int16()
      try reader.skipTaggedFields(flexible: bodyFlexible)
      guard minVersion <= maxVersion else {
        throw reader.malformed("API \(key) has versions \(minVersion)–\(maxVersion)")
      }
      versions[key] = minVersion...maxVersion
    }
    if errorCode == KafkaErrorCode.none {
      if version >= 1 { _ = try reader.int32() }  // throttle time
      try reader.skipTaggedFields(flexible: flexible)
    }
    return Response(errorCode: errorCode, versions: versions)
  }
}

/// The version of each API to use with one broker: the highest both sides support.
struct NegotiatedVersions: Sendable {
  private var chosen: [Int16: Int16]

  init(chosen: [Int16: Int16]) { self.chosen = chosen }

  /// Picks, for each API we implement, the highest version the broker also supports.
  /// `caps` lowers our own maximum per API (tests use it to exercise older versions).
  /// An API the broker lacks, or supports only in versions we do not implement, is left out:
  /// `version(of:)` then throws a clear error if the consumer needs it.
  init(broker: [Int16: ClosedRange<Int16>], caps: [Int16: Int16] = [:]) {
    var chosen: [Int16: Int16] = [:]
    for api in APIKey.all {
      guard let theirs = broker[api.rawValue] else { continue }
      let ourMax = min(api.supported.upperBound, caps[api.rawValue] ?? api.supported.upperBound)
      let high = min(ourMax, theirs.upperBound)
      if high >= max(api.supported.lowerBound, theirs.lowerBound) { chosen[api.rawValue] = high }
    }
    self.chosen = chosen
    self.broker = broker
  }

  private var broker: [Int16: ClosedRange<Int16>] = [:]

  func version(of api: APIKey, brokerName: String) throws(KafkaError) -> Int16 {
    if let version = chosen[api.rawValue] { return version }
    let ours = "\(api.supported.lowerBound)–\(api.supported.upperBound)"
    guard let theirs = broker[api.rawValue] else {
      throw KafkaError(
        "broker \(brokerName) does not support \(api.name); Avocet needs versions \(ours)", code: .unsupportedVersion)
    }
    throw KafkaError(
      "broker \(brokerName) supports \(api.name) versions \(theirs.lowerBound)–\(theirs.upperBound); Avocet needs \(ours)",
      code: .unsupportedVersion)
  }
}
