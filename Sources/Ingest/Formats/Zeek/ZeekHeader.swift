/// What the `#` lines of a Zeek TSV log say: the separators, the log path, the column names and
/// types. A `#separator` line starts a new header (the next file, after rotation); a `#fields`
/// line replaces the columns, and its `#types` line follows.
struct ZeekHeader: Sendable {
  private(set) var separator: [UInt8] = [0x09]
  private(set) var setSeparator: [UInt8] = [UInt8(ascii: ",")]
  private(set) var emptyField: [UInt8] = Array("(empty)".utf8)
  private(set) var unsetField: [UInt8] = [UInt8(ascii: "-")]
  /// The log's `#path` (`conn`, `dns`).
  private(set) var path: String?
  private(set) var fieldNames: [String]?
  private(set) var typeNames: [String]?

  /// Takes in one header line (it starts with `#`). Unknown directives (`#open`, `#close`,
  /// comments) change nothing.
  ///
  /// Zeek writes `#separator \x09` with a space and the other lines with the separator itself;
  /// either is accepted, as the byte that ends the directive's name.
  mutating func apply(_ line: UnsafeBufferPointer<UInt8>) {
    var nameEnd = 1
    while nameEnd < line.count, !isDelimiter(line[nameEnd]) { nameEnd += 1 }
    let name = String(decoding: UnsafeBufferPointer(rebasing: line[1..<nameEnd]), as: UTF8.self)
    let delimiter = nameEnd < line.count ? line[nameEnd] : 0x09
    let value = UnsafeBufferPointer(rebasing: line[min(nameEnd + 1, line.count)...])
    switch name {
    case "separator":
      self = ZeekHeader()
      separator = ZeekText.unescapedBytes(value)
    case "set_separator": setSeparator = ZeekText.unescapedBytes(value)
    case "empty_field": emptyField = ZeekText.unescapedBytes(value)
    case "unset_field": unsetField = ZeekText.unescapedBytes(value)
    case "path": path = ZeekText.string(value)
    case "fields":
      fieldNames = Self.split(value, on: delimiter)
      typeNames = nil
    case "types": typeNames = Self.split(value, on: delimiter)
    default: break
    }
  }

  /// The columns of the data lines; nil before any `#fields` line. Throws when the header cannot
  /// describe data lines (no `#types`, counts that differ, a separator longer than one byte).
  func columns() throws(DecodeError) -> ZeekColumns? {
    guard let fieldNames else { return nil }
    guard let typeNames else { throw DecodeError("Zeek TSV: the header has #fields but no #types line") }
    guard typeNames.count == fieldNames.count else {
      throw DecodeError(
        "Zeek TSV: the #fields line names \(fieldNames.count) columns but the #types line has \(typeNames.count)")
    }
    guard separator.count == 1, setSeparator.count == 1 else {
      throw DecodeError("Zeek TSV: only one-byte #separator and #set_separator values are supported")
    }
    var seen = Set<String>()
    for name in fieldNames where !seen.insert(name).inserted {
      throw DecodeError("Zeek TSV: the #fields line names '\(name)' twice")
    }
    return ZeekColumns(
      names: fieldNames, typeNames: typeNames, separator: separator[0], setSeparator: setSeparator[0],
      emptyField: emptyField, unsetField: unsetField)
  }

  private func isDelimiter(_ byte: UInt8) -> Bool {
    byte == 0x09 || byte == 0x20 || (separator.count == 1 && byte == separator[0])
  }

  private static func split(_ value: UnsafeBufferPointer<UInt8>, on delimiter: UInt8) -> [String] {
    value.split(separator: delimiter, omittingEmptySubsequences: true).map {
      ZeekText.string(UnsafeBufferPointer(rebasing: $0))
    }
  }
}
