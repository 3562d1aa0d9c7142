import Delta

/// Readers of the members that osquery's result and status logs share. `log` names the kind of log
/// in error messages (`osquery result`, `osquery status`).
enum OsqueryField {
  /// Text as `.string`; other scalars as their JSON text; absent or null as a string-typed null.
  static func string(_ value: JSONValue?) -> FieldValue {
    guard let value else { return .typedNull(.string) }
    return .string(value.scalarText)
  }

  /// An integer written as a number or as numeric text; absent or null as an int-typed null.
  static func int(_ value: JSONValue?, key: String, log: String) throws(DecodeError) -> FieldValue {
    guard let value else { return .typedNull(.int) }
    guard let number = value.int64Value else {
      throw DecodeError("\(log): \"\(key)\" is not an integer: found \(value.found)")
    }
    return .int(number)
  }

  /// The `event_time` field and the record's event time: `unixTime` (seconds, as a number or as
  /// numeric text), else `calendarTime` (asctime UTC), else none.
  static func eventTime(unixTime: JSONValue?, calendarTime: JSONValue?, log: String) throws(DecodeError)
    -> (field: FieldValue, micros: Int64?)
  {
    if let unixTime {
      let micros: Int64?
      switch unixTime {
      case .number(let text), .string(let text): micros = TimeText.micros(epochSeconds: text)
      default: micros = nil
      }
      guard let micros else {
        throw DecodeError("\(log): \"unixTime\" is not a number of seconds: found \(unixTime.found)")
      }
      return (.timestamp(micros), micros)
    }
    if let calendarTime {
      guard case .string(let text) = calendarTime, let micros = CalendarTime.micros(text) else {
        throw DecodeError(
          "\(log): no \"unixTime\", and \"calendarTime\" is not a time like \"Mon May  2 22:27:32 2016 UTC\": "
            + "found \(calendarTime.found)")
      }
      return (.timestamp(micros), micros)
    }
    return (.typedNull(.timestamp), nil)
  }

  /// The `decorations` object's members followed by decorations merged into the top level
  /// (`--decorations_top_level`); a map-typed null when there are none.
  static func decorations(_ value: JSONValue?, topLevel: [MapEntry], log: String) throws(DecodeError) -> FieldValue {
    guard let value else { return topLevel.isEmpty ? .typedNull(.map) : .map(topLevel) }
    guard case .object(let object) = value else {
      throw DecodeError("\(log): \"decorations\" is not an object: found \(value.found)")
    }
    guard !object.entries.isEmpty || !topLevel.isEmpty else { return .typedNull(.map) }
    var entries: [MapEntry] = []
    entries.reserveCapacity(object.entries.count + topLevel.count)
    for (key, member) in object.entries {
      entries.append(MapEntry(key, decorationText(member)))
    }
    entries.append(contentsOf: topLevel)
    return .map(entries)
  }

  /// A decoration's value: text as it is, other scalars as JSON text, null as nil.
  static func decorationText(_ value: JSONValue) -> String? {
    value.isNull ? nil : value.scalarText
  }
}
