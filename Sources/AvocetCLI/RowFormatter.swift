import Foundation
import Columnar

/// How `avocet cat` prints rows.
enum RowFormat: String, CaseIterable, Sendable {
  case jsonl, csv, table
}

/// Streams record batches to standard output as JSON lines, CSV or an aligned table.
struct RowFormatter {
  let format: RowFormat
  private var output: StandardOutput
  private var wroteHeader = false
  /// Rows held back for `table`, which needs every row to size its columns.
  private var tableRows: [[String]] = []
  private var tableHeader: [String] = []

  init(format: RowFormat, descriptor: Int32 = 1) {
    self.format = format
    self.output = StandardOutput(descriptor: descriptor)
  }

  var outputClosed: Bool { output.closed }

  mutating func write(_ batch: RecordBatch, rows: Range<Int>) {
    switch format {
    case .jsonl:
      var line: [UInt8] = []
      let keys = ValueRenderer.jsonKeys(batch.schema)
      for row in rows {
        line.removeAll(keepingCapacity: true)
        ValueRenderer.appendJSONRow(batch, row: row, keys: keys, to: &line)
        line.append(UInt8(ascii: "\n"))
        output.write(line)
        if output.closed { return }
      }
    case .csv:
      if !wroteHeader {
        output.write(batch.schema.fields.map { Self.csvField($0.name) }.joined(separator: ",") + "\n")
        wroteHeader = true
      }
      // Cells are rendered and escaped as bytes, with no String per value.
      var line: [UInt8] = []
      var cell: [UInt8] = []
      for row in rows {
        line.removeAll(keepingCapacity: true)
        for (index, column) in batch.columns.enumerated() {
          if index > 0 { line.append(UInt8(ascii: ",")) }
          if column.isNull(row) { continue }
          cell.removeAll(keepingCapacity: true)
          ValueRenderer.appendValue(column, row: row, json: false, to: &cell)
          Self.appendCSVField(cell, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        output.write(line)
        if output.closed { return }
      }
    case .table:
      if tableHeader.isEmpty { tableHeader = batch.schema.fields.map(\.name) }
      for row in rows {
        tableRows.append(batch.columns.map { $0.isNull(row) ? "NULL" : ValueRenderer.text($0, row: row) })
      }
    }
  }

  /// Writes what is held back (the table) and flushes.
  mutating func finish(schema: Schema) {
    if format == .table {
      if tableHeader.isEmpty { tableHeader = schema.fields.map(\.name) }
      output.write(TableLayout.render(header: tableHeader, rows: tableRows))
    } else if format == .csv && !wroteHeader {
      output.write(schema.fields.map { Self.csvField($0.name) }.joined(separator: ",") + "\n")
    }
    output.flush()
  }

  /// RFC 4180: quote fields holding a comma, quote, CR or LF; double inner quotes.
  static func csvField(_ text: String) -> String {
    var out: [UInt8] = []
    appendCSVField(Array(text.utf8), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends one field, quoted when it holds a comma, quote, CR or LF (checked on bytes, so a
  /// CRLF pair, one Character to Swift, is found too).
  static func appendCSVField(_ field: [UInt8], to out: inout [UInt8]) {
    let quote = UInt8(ascii: "\"")
    let special = field.contains { $0 == UInt8(ascii: ",") || $0 == quote || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    guard special else {
      out.append(contentsOf: field)
      return
    }
    out.append(quote)
    for byte in field {
      if byte == quote { out.append(quote) }
      out.append(byte)
    }
    out.append(quote)
  }
}

/// An aligned text table with a header rule, long cells cut to keep rows on one line.
enum TableLayout {
  static let maxCellWidth = 48

  static func render(header: [String], rows: [[String]]) -> String {
    let clip = { (text: String) -> String in
      let flat = text.replacingOccurrences(of: "\n", with: "\\n")
      return flat.count > maxCellWidth ? String(flat.prefix(maxCellWidth - 1)) + "…" : flat
    }
    let cells = rows.map { $0.map(clip) }
    var widths = header.map(\.count)
    for row in cells {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ row: [String]) -> String {
      row.enumerated().map { index, cell in cell + String(repeating: " ", count: widths[index] - cell.count) }
        .joined(separator: " | ") + "\n"
    }
    var text = line(header)
    text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
    for row in cells { text += line(row) }
    text += "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n"
    return text
  }
}
