/// A file of `_delta_log/`, recognised by its name (PROTOCOL.md "File Types", "Checkpoint Naming Scheme").
struct LogFile: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    /// `<v>.json`
    case commit
    /// `<v>.crc`
    case checksum
    /// `<v>.checkpoint.parquet`, `<v>.checkpoint.<o>.<p>.parquet` or `<v>.checkpoint.<uuid>.<json|parquet>`.
    case checkpoint(CheckpointNaming)
    /// `<v>.<end>.compacted.json`
    case compaction(endVersion: Int64)
  }

  enum CheckpointNaming: Sendable, Hashable {
    case classic
    case multiPart(part: Int, parts: Int)
    case uuid(json: Bool)
  }

  var version: Int64
  var kind: Kind
  var name: String
  /// The full path (log directory plus name).
  var path: String
  var size: Int64
  /// Milliseconds since the epoch.
  var modificationTime: Int64

  /// The version and kind of a log file name, or nil for names that are not log files
  /// (`_last_checkpoint`, temporary files, `_sidecars/`, foreign files).
  static func classify(_ name: String) -> (version: Int64, kind: Kind)? {
    let bytes = Array(name.utf8)
    guard bytes.count > 20, let version = digits(bytes, 0, 20), bytes[20] == UInt8(ascii: ".") else { return nil }
    let rest = name.utf8.dropFirst(21)
    let suffix = String(decoding: rest, as: UTF8.self)
    switch suffix {
    case "json": return (version, .commit)
    case "crc": return (version, .checksum)
    case "checkpoint.parquet": return (version, .checkpoint(.classic))
    default: break
    }
    if suffix.hasPrefix("checkpoint.") {
      let tail = Array(suffix.utf8.dropFirst("checkpoint.".count))
      // <10 digits>.<10 digits>.parquet
      if tail.count == 10 + 1 + 10 + 8, let part = digits(tail, 0, 10), tail[10] == UInt8(ascii: "."),
        let parts = digits(tail, 11, 10), String(decoding: tail[21...], as: UTF8.self) == ".parquet"
      {
        guard parts >= 1, part >= 1, part <= parts else { return nil }
        return (version, .checkpoint(.multiPart(part: Int(part), parts: Int(parts))))
      }
      let text = String(decoding: tail, as: UTF8.self)
      if text.hasSuffix(".json"), text.count > 5 { return (version, .checkpoint(.uuid(json: true))) }
      if text.hasSuffix(".parquet"), text.count > 8 { return (version, .checkpoint(.uuid(json: false))) }
      return nil
    }
    if suffix.hasSuffix(".compacted.json") {
      let tail = Array(suffix.utf8)
      guard tail.count == 20 + ".compacted.json".count, let end = digits(tail, 0, 20), end > version else { return nil }
      return (version, .compaction(endVersion: end))
    }
    return nil
  }

  private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
    guard start + count <= bytes.count else { return nil }
    var value: Int64 = 0
    for index in start..<start + count {
      let byte = bytes[index]
      guard byte >= 0x30, byte <= 0x39 else { return nil }
      let (product, overflow) = value.multipliedReportingOverflow(by: 10)
      guard !overflow else { return nil }
      value = product + Int64(byte - 0x30)
    }
    return value
  }

  /// The commit file name of `version`: 20 zero-padded digits and `.json`.
  static func commitName(_ version: Int64) -> String { paddedVersion(version) + ".json" }

  static func paddedVersion(_ version: Int64) -> String {
    let digits = String(version)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
  }
}
