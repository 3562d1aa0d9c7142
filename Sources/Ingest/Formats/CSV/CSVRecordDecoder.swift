/// Decodes CSV (RFC 4180) one line at a time: the first line is the header of column names, the
/// lines after it are records. A field in double quotes may hold the delimiter and doubled quotes
/// (`""`); a quoted empty field is the empty string, an unquoted empty field is null.
///
/// Quoted fields that span lines are not supported: the decoder sees one line at a time, so a
/// line break inside quotes reads as a quote that is not closed, and the line is rejected.
///
/// Cells are `.text`: the table builder settles each column's type from all of its values. An
/// empty header name becomes `column_N` (N counts from 1) and a repeated one `name_1`, `name_2`,
/// as DuckDB names them. There is no event time unless `timeColumn` names a column, whose cells
/// are then ISO 8601 times or epoch seconds.
public struct CSVRecordDecoder: RecordDecoder, Sendable {
  /// The byte between fields.
  public let delimiter: UInt8
  /// The column whose cells are the records' event times.
  public let timeColumn: String?

  /// The column names, once the header line has been read.
  public private(set) var columnNames: [String]?
  private var timeIndex: Int?
  /// Why records cannot be decoded under the header read (the time column is not in it).
  private var headerProblem: DecodeError?
  /// The cells of the line being decoded, kept to reuse its storage.
  private var cells: [FieldValue] = []

  /// A decoder of `delimiter`-separated lines (a comma unless given, `UInt8(ascii: "\t")` for TSV);
  /// `timeColumn` names the column with the records' event times.
  public init(delimiter: UInt8 = UInt8(ascii: ","), timeColumn: String? = nil) {
    self.delimiter = delimiter
    self.timeColumn = timeColumn
  }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    let line = Self.withoutCarriageReturn(unit)
    if isBlank(line) { return }
    guard let columnNames else {
      try readHeader(line)
      if let headerProblem { throw headerProblem }
      return
    }
    if let headerProblem { throw headerProblem }
    cells.removeAll(keepingCapacity: true)
    try Self.readCells(line, delimiter: delimiter, names: columnNames, into: &cells)
    guard cells.count == columnNames.count else {
      throw DecodeError("CSV: the row has \(cells.count) fields but the header has \(columnNames.count)")
    }
    var record = DecodedRecord()
    record.fields.reserveCapacity(cells.count)
    for index in cells.indices {
      record.fields.append(DecodedField(columnNames[index], cells[index]))
    }
    if let timeIndex, case .text(let text) = cells[timeIndex], !text.isEmpty {
      guard let micros = TimeText.micros(iso8601: text) ?? TimeText.micros(epochSeconds: text) else {
        throw DecodeError(
          "CSV: field \(timeIndex + 1) '\(columnNames[timeIndex])': '\(text)' is not an ISO 8601 time or epoch seconds")
      }
      record.eventTime = micros
    }
    records.append(record)
  }

  /// Reads the header when it has not been read yet; records before a resume point are ignored.
  public mutating func skip(_ line: UnsafeBufferPointer<UInt8>) {
    let line = Self.withoutCarriageReturn(line)
    guard columnNames == nil, !isBlank(line) else { return }
    try? readHeader(line)
  }

  /// Reads the header line; throws, leaving the header unread, when its quotes are wrong.
  private mutating func readHeader(_ line: UnsafeBufferPointer<UInt8>) throws(DecodeError) {
    var line = line
    if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }  // a UTF-8 BOM
    var cells: [FieldValue] = []
    try Self.readCells(line, delimiter: delimiter, names: nil, into: &cells)
    var names: [String] = []
    names.reserveCapacity(cells.count)
    var seen = Set<String>()
    for (index, cell) in cells.enumerated() {
      var name = "column_\(index + 1)"
      if case .text(let text) = cell, !text.isEmpty { name = text }
      if seen.contains(name) {
        var suffix = 1
        while seen.contains("\(name)_\(suffix)") { suffix += 1 }
        name = "\(name)_\(suffix)"
      }
      seen.insert(name)
      names.append(name)
    }
    columnNames = names
    headerProblem = nil
    timeIndex = nil
    if let timeColumn {
      timeIndex = names.firstIndex(of: timeColumn)
      if timeIndex == nil {
        headerProblem = DecodeError("CSV: the header has no column '\(timeColumn)' for the event time")
      }
    }
  }

  /// Appends the cells of `line` to `cells`; `names`, when known, name fields in messages.
  private static func readCells(
    _ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8, names: [String]?, into cells: inout [FieldValue]
  ) throws(DecodeError) {
    let quote = UInt8(ascii: "\"")
    var position = 0
    while true {
      if position < line.count, line[position] == quote {
        let start = position + 1
        var end = start
        var unescaped: [UInt8]?
        var segment = start
        while end < line.count {
          if line[end] == quote {
            guard end + 1 < line.count, line[end + 1] == quote else { break }
            // A doubled quote: keep the text so far and one quote.
            unescaped = (unescaped ?? []) + UnsafeBufferPointer(rebasing: line[segment...end])
            end += 2
            segment = end
            continue
          }
          end += 1
        }
        guard end < line.count else {
          throw error(
            cells.count, names, "the quote is not closed (quoted fields cannot span lines)")
        }
        if var bytes = unescaped {
          bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[segment..<end]))
          cells.append(.text(String(decoding: bytes, as: UTF8.self)))
        } else {
          cells.append(.text(String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)))
        }
        position = end + 1
        guard position == line.count || line[position] == delimiter else {
          throw error(cells.count - 1, names, "text after the closing quote")
        }
      } else {
        let start = position
        while position < line.count, line[position] != delimiter {
          guard line[position] != quote else {
            throw error(cells.count, names, "a quote inside an unquoted field (quote the field and double the quote)")
          }
          position += 1
        }
        cells.append(
          position == start
            ? .null : .text(String(decoding: UnsafeBufferPointer(rebasing: line[start..<position]), as: UTF8.self)))
      }
      guard position < line.count else { return }
      position += 1  // the delimiter
    }
  }

  private static func error(_ index: Int, _ names: [String]?, _ problem: String) -> DecodeError {
    guard let names, index < names.count else { return DecodeError("CSV: field \(index + 1): \(problem)") }
    return DecodeError("CSV: field \(index + 1) '\(names[index])': \(problem)")
  }

  private static func withoutCarriageReturn(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard line.last == 0x0D else { return line }
    return UnsafeBufferPointer(rebasing: line.dropLast())
  }

  /// Empty, or spaces and tabs only (a tab that is the delimiter separates empty fields).
  private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    line.allSatisfy { ($0 == 0x20 || $0 == 0x09) && $0 != delimiter }
  }
}
