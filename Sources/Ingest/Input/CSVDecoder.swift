/// Reads CSV (RFC 4180): a header row of column names, fields separated by commas, fields in
/// double quotes may hold commas, line breaks and doubled quotes (`""`). An empty unquoted field
/// is null; a quoted empty field (`""`) is the empty string. Records may end in CRLF or LF.
struct CSVDecoder: InputReader {
  let path: String
  private var source: ByteSource
  private var lineNumber = 1
  private var header: [String] = []

  init(path: String) throws(InputError) {
    self.path = path
    source = try ByteSource(path: path)
    guard let first = try readRow() else { throw InputError(file: path, line: 1, "empty file: a CSV header row is needed") }
    header = first.fields.map { field -> String in
      if case .text(let name) = field { return name }
      return ""
    }
    if let index = header.firstIndex(of: "") {
      throw InputError(file: path, line: 1, "column \(index + 1) of the header has no name")
    }
    var seen = Set<String>()
    for name in header where !seen.insert(name).inserted {
      throw InputError(file: path, line: 1, "the header names '\(name)' twice")
    }
  }

  mutating func next() throws(InputError) -> InputRecord? {
    while let row = try readRow() {
      if row.fields.count == 1, case .null = row.fields[0] { continue }  // blank line
      guard row.fields.count == header.count else {
        throw InputError(
          file: path, line: row.line, "expected \(header.count) fields as in the header, found \(row.fields.count)")
      }
      return InputRecord(line: row.line, cells: Array(zip(header, row.fields)).map { ($0.0, $0.1) })
    }
    return nil
  }

  /// One row's fields, or nil at the end of the file.
  private mutating func readRow() throws(InputError) -> (line: Int, fields: [InputCell])? {
    guard try source.peek() != nil else { return nil }
    let start = lineNumber
    var fields: [InputCell] = []
    var field: [UInt8] = []
    var quoted = false
    var inQuotes = false
    func finish() {
      if quoted || !field.isEmpty {
        fields.append(.text(String(decoding: field, as: UTF8.self)))
      } else {
        fields.append(.null)
      }
      field.removeAll(keepingCapacity: true)
      quoted = false
    }
    while let byte = try source.next() {
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          if try source.peek() == UInt8(ascii: "\"") {
            _ = try source.next()
            field.append(byte)
          } else {
            inQuotes = false
          }
        } else {
          if byte == UInt8(ascii: "\n") { lineNumber += 1 }
          field.append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: ","):
        finish()
      case UInt8(ascii: "\""):
        guard field.isEmpty, !quoted else {
          throw InputError(file: path, line: lineNumber, "a quote inside an unquoted field (quote the whole field and double the quote)")
        }
        quoted = true
        inQuotes = true
      case UInt8(ascii: "\n"):
        lineNumber += 1
        finish()
        return (start, fields)
      case UInt8(ascii: "\r"):
        if try source.peek() == UInt8(ascii: "\n") { continue }
        field.append(byte)
      default:
        if quoted {
          throw InputError(file: path, line: lineNumber, "text after a closing quote")
        }
        field.append(byte)
      }
    }
    if inQuotes { throw InputError(file: path, line: start, "a quoted field is not closed before the end of the file") }
    finish()
    return (start, fields)
  }
}
