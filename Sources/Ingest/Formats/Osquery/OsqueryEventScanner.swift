import Delta

/// The fast path of ``OsqueryDecoder`` for the common case: a result log in event format
/// (`name`, `columns`, `action` and the usual metadata) whose strings have no escapes. It reads
/// the line's bytes once and builds the record straight from them, without the generic JSON tree,
/// and reuses the column names of the query's previous row (rows of one query have the same
/// columns in the same order).
///
/// It only ever succeeds where the general path would produce the same record: anything else
/// (another format, a top-level decoration, an escape, a nested column value, a malformed line)
/// makes it decline, appending nothing, and the general path decodes the line or says what is
/// wrong with it.
struct OsqueryEventScanner {
  /// The column names of each query's last row.
  private var columnNames: [String: ColumnNames] = [:]
  private var lastTable: (name: String, table: String)?

  /// Appends the line's record and returns true, or returns false having appended nothing.
  mutating func decode(_ line: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord]) -> Bool {
    var reader = ByteReader(line)
    guard let members = reader.topLevelMembers(), let name = members.name else { return false }
    guard let table = table(for: name) else { return false }
    guard let header = Self.header(members, line: line) else { return false }
    var fields: [DecodedField] = []
    fields.reserveCapacity(header.fields.count + 32)
    fields.append(contentsOf: header.fields)
    var names = columnNames[name] ?? ColumnNames()
    guard reader.appendColumns(members.columns, names: &names, to: &fields) else { return false }
    columnNames[name] = names
    records.append(DecodedRecord(table: table, fields: fields, eventTime: header.eventTime))
    return true
  }

  private mutating func table(for name: String) -> String? {
    if let lastTable, lastTable.name == name { return lastTable.table }
    guard let table = try? OsqueryTableName.sanitized(name) else { return nil }
    lastTable = (name, table)
    return table
  }

  /// The metadata fields, as ``OsqueryResult`` makes them (from the same small JSON values).
  private static func header(_ members: TopLevel, line: UnsafeBufferPointer<UInt8>) -> (
    fields: [DecodedField], eventTime: Int64?
  )? {
    func value(_ range: Range<Int>?) -> JSONValue?? {
      guard let range else { return .some(nil) }
      guard let parsed = try? JSONParser.parse(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
      return .some(parsed.isNull ? nil : parsed)
    }
    let log = "osquery result"
    guard let hostIdentifier = value(members.hostIdentifier), let hostname = value(members.hostname),
      let calendarTime = value(members.calendarTime), let unixTime = value(members.unixTime),
      let epochValue = value(members.epoch), let counterValue = value(members.counter),
      let action = value(members.action), let decorationsValue = value(members.decorations),
      let time = try? OsqueryField.eventTime(unixTime: unixTime, calendarTime: calendarTime, log: log),
      let epoch = try? OsqueryField.int(epochValue, key: "epoch", log: log),
      let counter = try? OsqueryField.int(counterValue, key: "counter", log: log),
      let decorations = try? OsqueryField.decorations(decorationsValue, topLevel: [], log: log)
    else { return nil }
    return (
      [
        DecodedField("host_identifier", OsqueryField.string(hostIdentifier ?? hostname)),
        DecodedField("event_time", time.field),
        DecodedField("calendar_time", OsqueryField.string(calendarTime)),
        DecodedField("action", OsqueryField.string(action)),
        DecodedField("epoch", epoch),
        DecodedField("counter", counter),
        DecodedField("decorations", decorations),
      ], time.micros
    )
  }

  /// Where the members of the top-level object are (value byte ranges), and the query name.
  struct TopLevel {
    var name: String?
    var hostIdentifier: Range<Int>?
    var hostname: Range<Int>?
    var calendarTime: Range<Int>?
    var unixTime: Range<Int>?
    var epoch: Range<Int>?
    var counter: Range<Int>?
    var action: Range<Int>?
    var decorations: Range<Int>?
    var columns: Range<Int> = 0..<0
  }

  /// A query's column names by position, with the bytes of the keys they came from.
  struct ColumnNames {
    var keys: [[UInt8]] = []
    var names: [String] = []
    /// True when `names` holds no name twice.
    var distinct = true

    /// The field name of the column at `index` whose key is `key`; `hit` stays true while every
    /// key so far matched the previous row's.
    mutating func name(at index: Int, key: UnsafeBufferPointer<UInt8>, hit: inout Bool) -> String {
      if index < keys.count, keys[index].withUnsafeBufferPointer({ $0.elementsEqual(key) }) {
        return names[index]
      }
      hit = false
      let name = OsqueryResult.columnName(String(decoding: key, as: UTF8.self))
      if index < keys.count {
        keys[index] = Array(key)
        names[index] = name
      } else {
        keys.append(Array(key))
        names.append(name)
      }
      return name
    }
  }

  /// A cursor over one line.
  struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func skipWhitespace() {
      while position < bytes.count {
        switch bytes[position] {
        case 0x20, 0x09, 0x0A, 0x0D: position += 1
        default: return
        }
      }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
      skipWhitespace()
      guard position < bytes.count, bytes[position] == byte else { return false }
      position += 1
      return true
    }

    /// A string without escapes or control characters: the range of its contents.
    mutating func plainString() -> Range<Int>? {
      guard consume(UInt8(ascii: "\"")) else { return nil }
      let start = position
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") {
          position += 1
          return start..<(position - 1)
        }
        if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
        position += 1
      }
      return nil
    }

    /// Skips one value (strings may have escapes here: the general parser checks them later);
    /// returns its range.
    mutating func skipValue() -> Range<Int>? {
      skipWhitespace()
      let start = position
      var depth = 0
      while position < bytes.count {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "\""):
          position += 1
          while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
          }
          guard position < bytes.count else { return nil }
          position += 1
          if depth == 0 { return start..<position }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
          position += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return position > start ? start..<position : nil }
          depth -= 1
          position += 1
          if depth == 0 { return start..<position }
        case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
          if depth == 0 { return position > start ? start..<position : nil }
          position += 1
        default:
          position += 1
        }
      }
      return depth == 0 && position > start ? start..<position : nil
    }

    /// The top-level object of an event-format result log, or nil for anything else.
    mutating func topLevelMembers() -> TopLevel? {
      guard consume(UInt8(ascii: "{")) else { return nil }
      var members = TopLevel()
      var seen = Set<String>()
      var hasColumns = false
      if consume(UInt8(ascii: "}")) { return nil }
      repeat {
        guard let keyRange = plainString(), consume(UInt8(ascii: ":")) else { return nil }
        let key = UnsafeBufferPointer(rebasing: bytes[keyRange])
        guard let range = skipValue() else { return nil }
        let keyText = String(decoding: key, as: UTF8.self)
        guard seen.insert(keyText).inserted else { return nil }
        switch keyText {
        case "name":
          var nameReader = ByteReader(bytes)
          nameReader.position = range.lowerBound
          guard let name = nameReader.plainString(), nameReader.position == range.upperBound else { return nil }
          members.name = String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
        case "hostIdentifier": members.hostIdentifier = range
        case "hostname": members.hostname = range
        case "calendarTime": members.calendarTime = range
        case "unixTime": members.unixTime = range
        case "epoch": members.epoch = range
        case "counter": members.counter = range
        case "action": members.action = range
        case "decorations": members.decorations = range
        case "numerics":
          // Ignored, but it must be valid JSON, as the general path requires.
          guard (try? JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[range]))) != nil else { return nil }
        case "columns":
          guard bytes[range.lowerBound] == UInt8(ascii: "{") else { return nil }
          members.columns = range
          hasColumns = true
        default: return nil
        }
      } while consume(UInt8(ascii: ","))
      guard consume(UInt8(ascii: "}")), hasColumns else { return nil }
      skipWhitespace()
      return position == bytes.count ? members : nil
    }

    /// Appends the fields of the `columns` object at `range`: plain strings as text, numbers,
    /// booleans and nulls as the general path types them; false for anything else.
    mutating func appendColumns(
      _ range: Range<Int>, names: inout ColumnNames, to fields: inout [DecodedField]
    ) -> Bool {
      position = range.lowerBound + 1
      let first = fields.count
      var index = 0
      var hit = true
      if !consume(UInt8(ascii: "}")) {
        repeat {
          guard let keyRange = plainString(), consume(UInt8(ascii: ":")) else { return false }
          let name = names.name(at: index, key: UnsafeBufferPointer(rebasing: bytes[keyRange]), hit: &hit)
          skipWhitespace()
          guard position < bytes.count else { return false }
          let value: FieldValue
          switch bytes[position] {
          case UInt8(ascii: "\""):
            guard let text = plainString() else { return false }
            value = .text(String(decoding: UnsafeBufferPointer(rebasing: bytes[text]), as: UTF8.self))
          case UInt8(ascii: "{"), UInt8(ascii: "["):
            return false
          default:
            guard let scalar = skipValue(),
              let parsed = try? JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[scalar]))
            else { return false }
            value = FieldValue(json: parsed)
          }
          fields.append(DecodedField(name, value))
          index += 1
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "}")) else { return false }
      }
      guard position == range.upperBound else { return false }
      if !hit || index != names.names.count {
        names.keys.removeSubrange(min(index, names.keys.count)...)
        names.names.removeSubrange(min(index, names.names.count)...)
        names.distinct = firstDuplicateName(fields[first...]) == nil
      }
      return names.distinct
    }
  }
}
