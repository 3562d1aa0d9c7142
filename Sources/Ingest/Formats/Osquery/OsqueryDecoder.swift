public import Delta

/// Decodes osquery's JSON logs, one log line per unit: result logs (event, batch and snapshot
/// formats) into one table per query, status logs into `osquery_status`.
///
/// A result row becomes a record of table ``DecodedRecord/table`` = the query name (made safe as
/// a directory name) with the fields `host_identifier`, `event_time`, `calendar_time`, `action`,
/// `epoch`, `counter`, `decorations`, then one field per column of the row. A column named like
/// one of those fields gets the prefix `column_`. Column values follow their JSON type: strings
/// are ``FieldValue/text(_:)`` (a column becomes a number when every value parses as one, so
/// `--logger_numerics` on or off gives the same table), numbers ``FieldValue/int(_:)`` or
/// ``FieldValue/double(_:)``, nulls ``FieldValue/null``.
///
/// The filesystem, Kafka and TLS loggers carry the same JSON; a server receiving the TLS logger's
/// body `{"node_key":…,"log_type":…,"data":[…]}` hands each element of `data` to
/// ``decode(object:logType:into:)`` without writing it out again.
public struct OsqueryDecoder: RecordDecoder {
  /// Which kind of log a unit holds.
  public enum LogType: Sendable, Equatable {
    /// A status log when the object has `severity` and `message` and no `name` (or says
    /// `"log_type":"status"`), a result log otherwise.
    case auto
    case result
    case status

    /// The log type named by the TLS logger body's `log_type` (`result` or `status`).
    public init?(loggerLogType text: String) {
      switch text {
      case "result": self = .result
      case "status": self = .status
      default: return nil
      }
    }
  }

  /// The table of status logs.
  public static let statusTable = "osquery_status"

  public let logType: LogType
  /// Decodes event-format result lines without the generic JSON tree.
  private var scanner = OsqueryEventScanner()
  /// Off in tests that compare the fast path with the general one.
  var usesFastPath = true

  public init(logType: LogType = .auto) {
    self.logType = logType
  }

  public var framing: Framing { .lines }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    guard !unit.isBlank else { return }
    if usesFastPath, logType != .status, scanner.decode(unit, into: &records) { return }
    let value: JSONValue
    do {
      value = try JSONParser.parse(unit)
    } catch {
      throw DecodeError("osquery: not valid JSON: \(error.message) at byte \(error.offset)")
    }
    guard case .object(let object) = value else {
      throw DecodeError("osquery: expected a JSON object, found \(value.found)")
    }
    try decode(object: object, into: &records)
  }

  /// Decodes one parsed log object (an element of a TLS logger body's `data`), appending its
  /// records; nothing is appended when it throws. `logType` overrides the decoder's own.
  public mutating func decode(object: JSONObject, logType: LogType? = nil, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    let isStatus: Bool
    switch logType ?? self.logType {
    case .auto: isStatus = Self.looksLikeStatus(object)
    case .result: isStatus = false
    case .status: isStatus = true
    }
    if isStatus {
      records.append(try OsqueryStatus(object).record())
      return
    }
    let start = records.count
    do throws(DecodeError) {
      try OsqueryResult(object).appendRecords(to: &records)
    } catch {
      records.removeSubrange(start...)
      throw error
    }
  }

  /// True for a status log: `log_type` says so, or there are `severity` and `message` and no `name`.
  static func looksLikeStatus(_ object: JSONObject) -> Bool {
    var severity = false
    var message = false
    var name = false
    for (key, value) in object.entries {
      switch key {
      case "severity": severity = true
      case "message": message = true
      case "name": name = true
      case "log_type":
        if case .string(let text) = value, let type = LogType(loggerLogType: text) { return type == .status }
      default: continue
      }
    }
    return severity && message && !name
  }
}
