import Delta

/// One osquery status log (what the TLS, Kinesis and Firehose loggers send from `logStatus`):
/// a record of table `osquery_status` with the fields `host_identifier`, `event_time`,
/// `calendar_time`, `severity` (0 info, 1 warning, 2 error, 3 fatal), `filename`, `line`,
/// `message`, `version` and `decorations`. Members that are not osquery's own are decorations
/// merged into the top level.
struct OsqueryStatus {
  private static let log = "osquery status"

  private var hostIdentifier: JSONValue?
  private var hostname: JSONValue?
  private var calendarTime: JSONValue?
  private var unixTime: JSONValue?
  private var severity: JSONValue?
  private var filename: JSONValue?
  private var line: JSONValue?
  private var message: JSONValue?
  private var version: JSONValue?
  private var decorations: JSONValue?
  private var topLevelDecorations: [MapEntry] = []

  init(_ object: JSONObject) {
    for (key, value) in object.entries {
      let member: JSONValue? = value.isNull ? nil : value
      switch key {
      case "hostIdentifier": hostIdentifier = member
      case "hostname": hostname = member
      case "calendarTime": calendarTime = member
      case "unixTime": unixTime = member
      case "severity": severity = member
      case "filename": filename = member
      case "line": line = member
      case "message": message = member
      case "version": version = member
      case "decorations": decorations = member
      case "log_type": continue
      default: topLevelDecorations.append(MapEntry(key, OsqueryField.decorationText(value)))
      }
    }
  }

  func record() throws(DecodeError) -> DecodedRecord {
    let log = Self.log
    let time = try OsqueryField.eventTime(unixTime: unixTime, calendarTime: calendarTime, log: log)
    let fields = [
      DecodedField("host_identifier", OsqueryField.string(hostIdentifier ?? hostname)),
      DecodedField("event_time", time.field),
      DecodedField("calendar_time", OsqueryField.string(calendarTime)),
      DecodedField("severity", try OsqueryField.int(severity, key: "severity", log: log)),
      DecodedField("filename", OsqueryField.string(filename)),
      DecodedField("line", try OsqueryField.int(line, key: "line", log: log)),
      DecodedField("message", OsqueryField.string(message)),
      DecodedField("version", OsqueryField.string(version)),
      DecodedField("decorations", try OsqueryField.decorations(decorations, topLevel: topLevelDecorations, log: log)),
    ]
    return DecodedRecord(table: OsqueryDecoder.statusTable, fields: fields, eventTime: time.micros)
  }
}
