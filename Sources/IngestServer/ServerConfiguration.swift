public import Delta
public import Ingest

/// What `avocet serve` listens on, where it spools and where it writes: from a JSON file
/// (`--config`), then command-line flags, which override the file.
///
/// Every setting is set from text through ``set(_:to:source:)``, so a bad value is reported
/// the same way whether it came from the file (`config server.json: "max_latency": …`) or a
/// flag (`--max-latency …`).
public struct ServerConfiguration: Sendable {
  /// The settings, by their name in the JSON file.
  public enum Key: String, Sendable, CaseIterable {
    case listen, table, spool
    case enrollSecret = "enroll_secret"
    case enrollSecretFile = "enroll_secret_file"
    case ingestTokens = "ingest_tokens"
    case osqueryConfig = "osquery_config"
    case partitionBy = "partition_by"
    case maxLatency = "max_latency"
    case maxRows = "max_rows"
    case maxBytes = "max_bytes"
    case targetFileSize = "target_file_size"
    case timeField = "time_field"
    case spoolFileSize = "spool_file_size"
    case maxBodyBytes = "max_body_bytes"
    case pollInterval = "poll_interval"
    case tlsCert = "tls_cert"
    case tlsKey = "tls_key"

    /// The command-line flag of the setting.
    public var flag: String { "--" + rawValue.replacingUnderscores }
  }

  /// The address to bind; port 0 lets the system pick one.
  public var host = "127.0.0.1"
  public var port = 8080
  /// The folder of the tables: one per osquery query, `osquery_status`, one per `/ingest/{table}`.
  public var table: String?
  /// The spool folder (default: `<table>_spool`).
  public var spool: String?
  /// The secret osquery hosts enroll with; nil turns enrollment off.
  public var enrollSecret: String?
  /// Bearer tokens `POST /ingest/{table}` accepts; empty: no token is needed.
  public var ingestTokens: [String] = []
  /// The configuration osquery hosts fetch from `/osquery/config`.
  public var osqueryConfig = JSONObject([("schedule", .object(JSONObject()))])
  public var partitioning: Partitioning = .yearMonthDay
  /// Flush a channel's buffered records after this many seconds.
  public var maxLatency = 10.0
  public var maxRows = 100_000
  public var maxBytes = 32 << 20
  public var targetFileSize = 128 << 20
  /// The event-time member of `/ingest/{table}` JSON lines.
  public var timeField: String?
  /// Start a new spool file once the active one is this large.
  public var spoolFileSize = 64 << 20
  /// The largest request body accepted, compressed and decompressed (413 beyond).
  public var maxBodyBytes = 64 << 20
  /// Seconds between looks at the spool for new frames.
  public var pollInterval = 0.25
  /// PEM certificate chain and private key: serve HTTPS (osqueryd only speaks HTTPS).
  public var tlsCertificate: String?
  public var tlsKey: String?
  /// How many recent request ids are remembered for idempotency.
  public var recentRequests = 100_000

  public init() {}

  /// The spool folder in use.
  public var spoolFolder: String { spool ?? ((try? tableFolder()) ?? "") + "_spool" }

  /// The table folder (throws when none was given).
  public func tableFolder() throws(ServerError) -> String {
    guard let table, !table.isEmpty else {
      throw ServerError("no table folder: give --table ROOT or \"table\" in the config file")
    }
    var root = table
    while root.count > 1, root.hasSuffix("/") { root.removeLast() }
    return root
  }

  /// Checks that the settings work together (a table, both TLS files or neither).
  public func validate() throws(ServerError) {
    _ = try tableFolder()
    if (tlsCertificate == nil) != (tlsKey == nil) {
      throw ServerError("--tls-cert and --tls-key (\"tls_cert\", \"tls_key\") go together: give both or neither")
    }
  }

  // MARK: Settings from text

  /// Sets `key` from its text form; `source` names where the text came from in errors.
  public mutating func set(_ key: Key, to text: String, source: String) throws(ServerError) {
    func bad(_ what: String) -> ServerError { ServerError("\(source): \(what), not '\(text)'") }
    switch key {
    case .listen:
      guard let (host, port) = Self.hostAndPort(text) else { throw bad("expected HOST:PORT (127.0.0.1:8080)") }
      self.host = host
      self.port = port
    case .table: table = try Self.nonEmpty(text, source: source)
    case .spool: spool = try Self.nonEmpty(text, source: source)
    case .enrollSecret: enrollSecret = try Self.nonEmpty(text, source: source)
    case .enrollSecretFile:
      let secret = try Self.readText(text, source: source).trimmingWhitespace
      guard !secret.isEmpty else { throw ServerError("\(source): the enroll secret file \(text) is empty") }
      enrollSecret = secret
    case .ingestTokens: ingestTokens.append(try Self.nonEmpty(text, source: source))
    case .osqueryConfig:
      let document = try Self.readText(text, source: source)
      do {
        guard case .object(let object) = try JSONParser.parse(document) else {
          throw ServerError("\(source): \(text) must hold a JSON object")
        }
        osqueryConfig = object
      } catch let error as JSONSyntaxError {
        throw ServerError("\(source): \(text) is not valid JSON: \(error)")
      } catch let error as ServerError {
        throw error
      } catch {
        throw ServerError("\(source): \(error)")
      }
    case .partitionBy:
      guard let partitioning = Partitioning(argument: text) else { throw bad("expected year/month/day, date or none") }
      self.partitioning = partitioning
    case .maxLatency:
      guard let seconds = Self.seconds(text), seconds >= 0 else { throw bad("expected a duration (10s, 500ms, 2m)") }
      maxLatency = seconds
    case .pollInterval:
      guard let seconds = Self.seconds(text), seconds > 0 else { throw bad("expected a duration (250ms)") }
      pollInterval = seconds
    case .maxRows:
      guard let rows = Int(text), rows > 0 else { throw bad("expected a positive number of records") }
      maxRows = rows
    case .maxBytes, .targetFileSize, .spoolFileSize, .maxBodyBytes:
      guard let bytes = Self.bytes(text) else { throw bad("expected a size (64MB, 1GiB, bytes)") }
      switch key {
      case .maxBytes: maxBytes = bytes
      case .targetFileSize: targetFileSize = bytes
      case .spoolFileSize: spoolFileSize = bytes
      default: maxBodyBytes = bytes
      }
    case .timeField: timeField = try Self.nonEmpty(text, source: source)
    case .tlsCert: tlsCertificate = try Self.existingFile(text, source: source)
    case .tlsKey: tlsKey = try Self.existingFile(text, source: source)
    }
  }

  // MARK: The JSON file

  /// Applies the settings of a JSON configuration file.
  public mutating func apply(file path: String) throws(ServerError) {
    let text = try Self.readText(path, source: "--config")
    let document: JSONValue
    do {
      document = try JSONParser.parse(text)
    } catch {
      throw ServerError("config \(path): not valid JSON: \(error)")
    }
    guard case .object(let object) = document else { throw ServerError("config \(path): expected a JSON object") }
    for (name, value) in object.entries {
      guard let key = Key(rawValue: name) else {
        let known = Key.allCases.map(\.rawValue).joined(separator: ", ")
        throw ServerError("config \(path): unknown key \"\(name)\" (known: \(known))")
      }
      let source = "config \(path): \"\(name)\""
      switch (key, value) {
      case (.ingestTokens, .array(let tokens)):
        ingestTokens = []
        for token in tokens {
          guard case .string(let text) = token else { throw ServerError("\(source) must be an array of strings") }
          try set(.ingestTokens, to: text, source: source)
        }
      case (.ingestTokens, _): throw ServerError("\(source) must be an array of strings")
      case (.osqueryConfig, .object(let config)): osqueryConfig = config
      case (.osqueryConfig, .string(let file)): try set(.osqueryConfig, to: file, source: source)
      case (.osqueryConfig, _): throw ServerError("\(source) must be a JSON object (or the path of a file holding one)")
      case (_, .string(let text)): try set(key, to: text, source: source)
      case (_, .number(let text)): try set(key, to: text, source: source)
      case (_, .null): continue
      default: throw ServerError("\(source) must be a string or a number, not \(value.jsonText)")
      }
    }
  }

  // MARK: Parsing helpers

  /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces).
  static func hostAndPort(_ text: String) -> (String, Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65_535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if host.isEmpty { host = "0.0.0.0" }
    return (host, port)
  }

  /// `10s`, `500ms`, `2m`, `1h` or plain seconds.
  static func seconds(_ text: String) -> Double? {
    let lower = text.lowercased()
    for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where lower.hasSuffix(suffix) {
      return Double(lower.dropLast(suffix.count)).map { $0 * scale }
    }
    return Double(lower)
  }

  /// `512MB`, `4GB`, `1.5GiB`, `64k` or a plain number of bytes; positive.
  static func bytes(_ text: String) -> Int? {
    let lower = text.lowercased()
    let units: [(String, Double)] = [
      ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1000), ("mb", 1e6), ("gb", 1e9),
      ("k", 1024), ("m", 1_048_576), ("g", 1_073_741_824), ("b", 1),
    ]
    for (suffix, scale) in units where lower.hasSuffix(suffix) {
      guard let number = Double(lower.dropLast(suffix.count)), number > 0, number * scale < 9e18 else { return nil }
      return Int(number * scale)
    }
    guard let number = Int(lower), number > 0 else { return nil }
    return number
  }

  static func nonEmpty(_ text: String, source: String) throws(ServerError) -> String {
    guard !text.isEmpty else { throw ServerError("\(source): must not be empty") }
    return text
  }

  static func readText(_ path: String, source: String) throws(ServerError) -> String {
    guard let bytes = DurableFile.readAll(path) else { throw ServerError("\(source): cannot read \(path)") }
    return String(decoding: bytes, as: UTF8.self)
  }

  static func existingFile(_ path: String, source: String) throws(ServerError) -> String {
    guard DurableFile.readAll(path) != nil else { throw ServerError("\(source): cannot read \(path)") }
    return path
  }
}

extension String {
  var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }

  var trimmingWhitespace: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
