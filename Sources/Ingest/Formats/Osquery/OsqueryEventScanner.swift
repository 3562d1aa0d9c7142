import Delta

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
    var members = TopLevel()
    // The metadata fields come first; they are filled in once the whole line is read.
    var fields = Self.headerPlaceholders
    fields.reserveCapacity(48)
    var seen: UInt16 = 0
    var hasColumns = false
    guard reader.consume(UInt8(ascii: "{")), !reader.consume(UInt8(ascii: "}")) else { return false }
    repeat {
      guard let keyRange = reader.plainString(), reader.consume(UInt8(ascii: ":")),
        let member = Member(UnsafeBufferPointer(rebasing: line[keyRange])), seen & member.bit == 0
      else { return false }
      seen |= member.bit
      reader.skipWhitespace()
      switch member {
      case .name:
        guard let name = reader.plainString() else { return false }
        members.name = String(decoding: UnsafeBufferPointer(rebasing: line[name]), as: UTF8.self)
      case .columns:
        hasColumns = true
        let appended: Bool
        if let name = members.name {
          appended = reader.appendColumns(names: &columnNames[name, default: ColumnNames()], to: &fields)
        } else {
          var names = ColumnNames()
          appended = reader.appendColumns(names: &names, to: &fields)
        }
        guard appended else { return false }
      case .numerics:
        // Ignored, but it must be valid JSON, as the general path requires.
        guard let range = reader.skipValue(),
          (try? JSONParser.parse(UnsafeBufferPointer(rebasing: line[range]))) != nil
        else { return false }
      default:
        guard let range = reader.skipValue() else { return false }
        members.ranges[member.rawValue] = range
      }
    } while reader.consume(UInt8(ascii: ","))
    guard reader.consume(UInt8(ascii: "}")), hasColumns, let name = members.name else { return false }
    reader.skipWhitespace()
    guard reader.position == line.count, let table = table(for: name),
      let eventTime = Self.fillHeader(&fields, members, line: line)
    else { return false }
    records.append(DecodedRecord(table: table, fields: fields, eventTime: eventTime))
    return true
  }

  /// The members of the top level this path knows, with the bit each has in a set of them.
  enum Member: Int {
    case hostIdentifier, hostname, calendarTime, unixTime, epoch, counter, action, decorations
    case name, columns, numerics

    var bit: UInt16 { 1 << UInt16(rawValue) }

    init?(_ key: UnsafeBufferPointer<UInt8>) {
      func equals(_ text: StaticString) -> Bool {
        sameBytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount), key)
      }
      switch key.count {
      case 4 where equals("name"): self = .name
      case 5 where equals("epoch"): self = .epoch
      case 6 where equals("action"): self = .action
      case 7 where equals("columns"): self = .columns
      case 7 where equals("counter"): self = .counter
      case 8 where equals("unixTime"): self = .unixTime
      case 8 where equals("hostname"): self = .hostname
      case 8 where equals("numerics"): self = .numerics
      case 11 where equals("decorations"): self = .decorations
      case 12 where equals("calendarTime"): self = .calendarTime
      case 14 where equals("hostIdentifier"): self = .hostIdentifier
      default: return nil
      }
    }
  }

  static let headerPlaceholders = [DecodedField](repeating: DecodedField("", .null), count: 7)

  private mutating func table(for name: String) -> String? {
    if let lastTable, lastTable.name == name { return lastTable.table }
    guard let table = try? OsqueryTableName.sanitized(name) else { return nil }
    lastTable = (name, table)
    return table
  }

  /// Fills in the metadata fields as ``OsqueryResult`` makes them (from the same small JSON
  /// values); returns the event time (nil inside when there is none), or nil when the general
  /// path must decide.
  private static func fillHeader(_ fields: inout [DecodedField], _ members: TopLevel, line: UnsafeBufferPointer<UInt8>)
    -> Int64??
  {
    func value(_ member: Member) -> JSONValue?? {
      guard let range = members.ranges[member.rawValue] else { return .some(nil) }
      if line[range.lowerBound] == UInt8(ascii: "\""), !line[range].dropFirst().dropLast().contains(where: {
        $0 == UInt8(ascii: "\\") || $0 < 0x20
      }) {
        return .some(.string(String(decoding: UnsafeBufferPointer(rebasing: line[(range.lowerBound + 1)..<(range.upperBound - 1)]), as: UTF8.self)))
      }
      guard let parsed = try? JSONParser.parse(UnsafeBufferPointer(rebasing: line[range])) else { return nil }
      return .some(parsed.isNull ? nil : parsed)
    }
    let log = "osquery result"
    guard let hostIdentifier = value(.hostIdentifier), let hostname = value(.hostname),
      let calendarTime = value(.calendarTime), let unixTime = value(.unixTime),
      let epochValue = value(.epoch), let counterValue = value(.counter),
      let action = value(.action), let decorationsValue = value(.decorations),
      let time = try? OsqueryField.eventTime(unixTime: unixTime, calendarTime: calendarTime, log: log),
      let epoch = try? OsqueryField.int(epochValue, key: "epoch", log: log),
      let counter = try? OsqueryField.int(counterValue, key: "counter", log: log),
      let decorations = try? OsqueryField.decorations(decorationsValue, topLevel: [], log: log)
    else { return nil }
    fields[0] = DecodedField("host_identifier", OsqueryField.string(hostIdentifier ?? hostname))
    fields[1] = DecodedField("event_time", time.field)
    fields[2] = DecodedField("calendar_time", OsqueryField.string(calendarTime))
    fields[3] = DecodedField("action", OsqueryField.string(action))
    fields[4] = DecodedField("epoch", epoch)
    fields[5] = DecodedField("counter", counter)
    fields[6] = DecodedField("decorations", decorations)
    return .some(time.micros)
  }

  /// The query name, and where the other members' values are (by ``Member`` raw value).
  struct TopLevel {
    var name: String?
    var ranges = [Range<Int>?](repeating: nil, count: 8)
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
      if index < keys.count,
        keys[index].withUnsafeBufferPointer({ sameBytes($0, key) })
      {
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
      // Eight bytes at a time while none of them is a quote, a backslash or a control character.
      if let base = bytes.baseAddress {
        while position + 8 <= bytes.count {
          let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
          if Self.hasSpecialByte(word) { break }
          position += 8
        }
      }
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

    /// True when a byte of `word` is `"`, `\` or below 0x20 (the classic "has a zero byte" test
    /// on the word xor-ed with each of those bytes, and on the word minus 0x20).
    @inline(__always) static func hasSpecialByte(_ word: UInt64) -> Bool {
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      func hasZero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
      let quote = hasZero(word ^ (ones &* 0x22))
      let backslash = hasZero(word ^ (ones &* 0x5C))
      // A byte below 0x20: subtracting 0x20 from it borrows into its high bit (bytes of 0x80 and
      // above are excluded by `~word`).
      let control = (word &- ones &* 0x20) & ~word & highs
      return quote | backslash | control != 0
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

    /// Appends the fields of the `columns` object that starts here: plain strings as text,
    /// numbers, booleans and nulls as the general path types them; false for anything else.
    mutating func appendColumns(names: inout ColumnNames, to fields: inout [DecodedField]) -> Bool {
      guard consume(UInt8(ascii: "{")) else { return false }
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
      if !hit || index != names.names.count {
        names.keys.removeSubrange(min(index, names.keys.count)...)
        names.names.removeSubrange(min(index, names.names.count)...)
        names.distinct = firstDuplicateName(fields[first...]) == nil
      }
      return names.distinct
    }
  }
}

/// True when both buffers hold the same bytes.
private func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
  guard a.count == b.count else { return false }
  guard let left = a.baseAddress, let right = b.baseAddress else { return true }
  return memcmp(left, right, a.count) == 0
}
