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
  private var table = TableLayout()

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
      if table.header.isEmpty { table.header = batch.schema.fields.map(\.name) }
      for row in rows {
        for column in batch.columns {
          if column.isNull(row) {
            table.appendCell(TableLayout.null)
          } else {
            table.cell.removeAll(keepingCapacity: true)
            ValueRenderer.appendValue(column, row: row, json: false, to: &table.cell)
            table.appendCell(table.cell)
          }
        }
      }
    }
  }

  /// Writes what is held back (the table) and flushes.
  mutating func finish(schema: Schema) {
    if format == .table {
      if table.header.isEmpty { table.header = schema.fields.map(\.name) }
      table.render(to: &output)
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
///
/// Cells are kept as bytes in one arena; a cell's width is its count of Unicode scalars (UTF-8
/// bytes that do not continue a sequence), so no String is made per cell.
struct TableLayout {
  static let maxCellWidth = 48
  static let null = Array("NULL".utf8)

  var header: [String] = []
  /// Scratch for rendering one cell.
  var cell: [UInt8] = []
  private var arena: [UInt8] = []
  private var ends: [Int] = []

  /// Appends the next cell (row by row), newlines shown as `\n`.
  mutating func appendCell(_ bytes: [UInt8]) {
    for byte in bytes {
      if byte == UInt8(ascii: "\n") {
        arena.append(UInt8(ascii: "\\"))
        arena.append(UInt8(ascii: "n"))
      } else {
        arena.append(byte)
      }
    }
    ends.append(arena.count)
  }

  /// The byte length of a cell's first `limit` scalars, and its width (scalars) up to that.
  private static func prefix(_ cell: UnsafeBufferPointer<UInt8>, scalars limit: Int) -> (bytes: Int, width: Int) {
    var width = 0
    for (index, byte) in cell.enumerated() where byte & 0xC0 != 0x80 {
      if width == limit { return (index, width) }
      width += 1
    }
    return (cell.count, width)
  }

  private static func width(_ text: String) -> Int { text.unicodeScalars.count }

  func render(to output: inout StandardOutput) {
    let columns = header.count
    let rows = columns == 0 ? 0 : ends.count / columns
    let ellipsis = Array("…".utf8)
    arena.withUnsafeBufferPointer { arena in
      func cellRange(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: arena[start..<ends[index]])
      }
      // A cell wider than the limit shows its first limit - 1 scalars and an ellipsis.
      func shown(_ index: Int) -> (bytes: Int, width: Int, clipped: Bool) {
        let cell = cellRange(index)
        let (bytes, width) = Self.prefix(cell, scalars: Self.maxCellWidth)
        if bytes == cell.count { return (bytes, width, false) }
        let kept = Self.prefix(cell, scalars: Self.maxCellWidth - 1)
        return (kept.bytes, Self.maxCellWidth, true)
      }
      var widths = header.map(Self.width)
      for index in 0..<(rows * columns) {
        let column = index % columns
        widths[column] = max(widths[column], shown(index).width)
      }
      var line: [UInt8] = []
      func pad(_ count: Int) { line.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
      for (column, name) in header.enumerated() {
        if column > 0 { line.append(contentsOf: Array(" | ".utf8)) }
        line.append(contentsOf: Array(name.utf8))
        pad(widths[column] - Self.width(name))
      }
      line.append(UInt8(ascii: "\n"))
      line.append(contentsOf: Array(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-").utf8))
      line.append(UInt8(ascii: "\n"))
      output.write(line)
      for row in 0..<rows {
        line.removeAll(keepingCapacity: true)
        for column in 0..<columns {
          if column > 0 { line.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "|"), UInt8(ascii: " ")]) }
          let index = row * columns + column
          let (bytes, width, clipped) = shown(index)
          line.append(contentsOf: UnsafeBufferPointer(rebasing: cellRange(index)[..<bytes]))
          if clipped { line.append(contentsOf: ellipsis) }
          pad(widths[column] - width)
        }
        line.append(UInt8(ascii: "\n"))
        output.write(line)
        if output.closed { return }
      }
    }
    output.write("(\(rows) row\(rows == 1 ? "" : "s"))\n")
  }
}
