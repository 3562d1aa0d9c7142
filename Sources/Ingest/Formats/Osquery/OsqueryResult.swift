import Delta

/// One osquery result log, its members sorted out in a single pass: the event format (`columns`
/// and `action`: one row), the batch format (`diffResults` with `added` and `removed` rows) or a
/// snapshot (`snapshot` rows). Members that are not osquery's own are decorations merged into the
/// top level (`--decorations_top_level`).
struct OsqueryResult {
  private static let log = "osquery result"

  /// The index of `action` among the metadata fields that precede a row's columns.
  private static let actionIndex = 3

  private var name: JSONValue?
  private var hostIdentifier: JSONValue?
  private var hostname: JSONValue?
  private var calendarTime: JSONValue?
  private var unixTime: JSONValue?
  private var epoch: JSONValue?
  private var counter: JSONValue?
  private var columns: JSONValue?
  private var action: JSONValue?
  private var diffResults: JSONValue?
  private var snapshot: JSONValue?
  private var decorations: JSONValue?
  private var topLevelDecorations: [MapEntry] = []

  init(_ object: JSONObject) {
    for (key, value) in object.entries {
      let member: JSONValue? = value.isNull ? nil : value
      switch key {
      case "name": name = member
      case "hostIdentifier": hostIdentifier = member
      case "hostname": hostname = member
      case "calendarTime": calendarTime = member
      case "unixTime": unixTime = member
      case "epoch": epoch = member
      case "counter": counter = member
      case "columns": columns = member
      case "action": action = member
      case "diffResults": diffResults = member
      case "snapshot": snapshot = member
      case "decorations": decorations = member
      case "numerics", "log_type": continue
      default: topLevelDecorations.append(MapEntry(key, OsqueryField.decorationText(value)))
      }
    }
  }

  /// Appends one record per row. On error some records may have been appended; the caller
  /// removes them.
  func appendRecords(to records: inout [DecodedRecord]) throws(DecodeError) {
    let log = Self.log
    guard let name else { throw DecodeError("\(log): missing \"name\"") }
    guard case .string(let queryName) = name else {
      throw DecodeError("\(log): \"name\" is not a string: found \(name.found)")
    }
    let table = try OsqueryTableName.sanitized(queryName)
    let time = try OsqueryField.eventTime(unixTime: unixTime, calendarTime: calendarTime, log: log)
    let header = [
      DecodedField("host_identifier", OsqueryField.string(hostIdentifier ?? hostname)),
      DecodedField("event_time", time.field),
      DecodedField("calendar_time", OsqueryField.string(calendarTime)),
      DecodedField("action", .typedNull(.string)),
      DecodedField("epoch", try OsqueryField.int(epoch, key: "epoch", log: log)),
      DecodedField("counter", try OsqueryField.int(counter, key: "counter", log: log)),
      DecodedField("decorations", try OsqueryField.decorations(decorations, topLevel: topLevelDecorations, log: log)),
    ]
    var rows = RowAppender(table: table, header: header, eventTime: time.micros)

    let formats = (columns != nil ? 1 : 0) + (diffResults != nil ? 1 : 0) + (snapshot != nil ? 1 : 0)
    guard formats == 1 else {
      throw DecodeError(
        formats == 0
          ? "\(log): none of \"columns\", \"diffResults\" or \"snapshot\" in query \"\(queryName)\""
          : "\(log): more than one of \"columns\", \"diffResults\" and \"snapshot\" in query \"\(queryName)\"")
    }
    if let columns {
      guard case .object(let row) = columns else {
        throw DecodeError("\(log): \"columns\" is not an object: found \(columns.found)")
      }
      try rows.append(row, action: OsqueryField.string(action), at: "\"columns\"", to: &records)
    } else if let diffResults {
      guard case .object(let diff) = diffResults else {
        throw DecodeError("\(log): \"diffResults\" is not an object: found \(diffResults.found)")
      }
      for key in ["added", "removed"] {
        try rows.append(diff.present(key), action: key, at: "\"diffResults\".\"\(key)\"", to: &records)
      }
    } else if let snapshot {
      try rows.append(snapshot, action: "snapshot", at: "\"snapshot\"", to: &records)
    }
  }

  /// Builds records of one query result: the shared metadata fields, then a row's columns.
  private struct RowAppender {
    let table: String
    let header: [DecodedField]
    let eventTime: Int64?

    /// The rows of an array (absent: none) with one action.
    func append(_ rows: JSONValue?, action: String, at location: String, to records: inout [DecodedRecord])
      throws(DecodeError)
    {
      guard let rows else { return }
      guard case .array(let elements) = rows else {
        throw DecodeError("\(OsqueryResult.log): \(location) is not an array of rows: found \(rows.found)")
      }
      let actionValue = FieldValue.string(action)
      for (index, element) in elements.enumerated() {
        guard case .object(let row) = element else {
          throw DecodeError("\(OsqueryResult.log): \(location)[\(index)] is not an object: found \(element.found)")
        }
        try append(row, action: actionValue, at: "\(location)[\(index)]", to: &records)
      }
    }

    /// One row.
    func append(
      _ row: JSONObject, action: FieldValue, at location: @autoclosure () -> String,
      to records: inout [DecodedRecord]
    ) throws(DecodeError) {
      var fields: [DecodedField] = []
      fields.reserveCapacity(header.count + row.entries.count)
      fields.append(contentsOf: header)
      fields[OsqueryResult.actionIndex].value = action
      for (key, value) in row.entries {
        fields.append(DecodedField(OsqueryResult.columnName(key), FieldValue(json: value)))
      }
      if let duplicate = firstDuplicateName(fields[header.count...]) {
        throw DecodeError("\(OsqueryResult.log): duplicate column \"\(duplicate)\" in \(location())")
      }
      records.append(DecodedRecord(table: table, fields: fields, eventTime: eventTime))
    }
  }

  /// The field name of a row's column: its own, or with the prefix `column_` when a metadata
  /// field has that name.
  static func columnName(_ key: String) -> String {
    // Lengths of the metadata names: most column names are ruled out without comparing text.
    switch key.utf8.count {
    case 5, 6, 7, 10, 11, 13, 15: break
    default: return key
    }
    switch key {
    case "host_identifier", "event_time", "calendar_time", "action", "epoch", "counter", "decorations":
      return "column_" + key
    default:
      return key
    }
  }
}
