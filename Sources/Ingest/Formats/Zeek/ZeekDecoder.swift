/// Decodes Zeek logs of any kind (conn, dns, http, ssl, files, notice, …), one line at a time,
/// in either of Zeek's ASCII writer formats:
///
/// - **TSV**: `#` header lines (`#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
///   `#path`, `#fields`, `#types`, …) say how to read the data lines that follow. Values are read
///   by the `#fields` names and `#types` types, never by position; a later header (a rotated file
///   appended to the same stream) applies from its line on. Column names are Zeek's (`id.orig_h`).
/// - **JSON** (`LogAscii::use_json=T`): a line that starts with `{`, whatever the header says;
///   `ZeekDecoder+JSON.swift` says how its values are typed.
///
/// | Zeek type | value |
/// |---|---|
/// | `time` | `.timestamp` (epoch seconds with a fraction) |
/// | `interval`, `double` | `.double` |
/// | `count`, `int`, `port` | `.int` |
/// | `bool` (`T`/`F`) | `.bool` |
/// | `addr`, `subnet`, `string`, `enum`, `pattern`, others | `.string`, `\xNN` escapes decoded |
/// | `set[T]`, `vector[T]` | `.list` of `T`'s values, split on the set separator |
///
/// An unset field (`-`) is a null of its column's kind; an empty field (`(empty)`) is an empty
/// list or an empty string. The event time is `ts`.
public struct ZeekDecoder: RecordDecoder, Sendable {
  private var header = ZeekHeader()
  /// The columns of data lines under the current header; nil before the first `#fields` line.
  private var columns: ZeekColumns?
  /// Why the current header cannot read data lines, when it cannot.
  private var headerProblem: DecodeError?

  public init() {}

  /// The current header's `#path`: the kind of log (`conn`, `dns`, `http`), when it has one.
  public var logPath: String? { header.path }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    let line = Self.withoutCarriageReturn(unit)
    guard let first = line.first else { return }
    switch first {
    case UInt8(ascii: "#"):
      readHeader(line)
    case UInt8(ascii: "{"):
      records.append(try Self.decodeJSON(line))
    case 0x20, 0x09:
      // Blank, JSON after some indentation, or a TSV line whose first value starts with a blank.
      guard let start = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
      if line[start] == UInt8(ascii: "{") {
        records.append(try Self.decodeJSON(UnsafeBufferPointer(rebasing: line[start...])))
      } else {
        records.append(try decodeTSV(line))
      }
    default:
      records.append(try decodeTSV(line))
    }
  }

  /// Takes in header lines, so that lines after a resume point are read with their header;
  /// ignores data lines.
  public mutating func skip(_ line: UnsafeBufferPointer<UInt8>) {
    let line = Self.withoutCarriageReturn(line)
    if line.first == UInt8(ascii: "#") { readHeader(line) }
  }

  private mutating func readHeader(_ line: UnsafeBufferPointer<UInt8>) {
    header.apply(line)
    do throws(DecodeError) {
      columns = try header.columns()
      headerProblem = nil
    } catch {
      columns = nil
      headerProblem = error
    }
  }

  private func decodeTSV(_ line: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> DecodedRecord {
    guard let columns else {
      throw headerProblem ?? DecodeError("Zeek TSV: a data line before any #fields header line")
    }
    let separator = columns.separator
    var fields: [DecodedField] = []
    fields.reserveCapacity(columns.count)
    var eventTime: Int64?
    var column = 0
    var start = 0
    while true {
      var end = start
      while end < line.count, line[end] != separator { end += 1 }
      guard column < columns.count else { throw Self.fieldCountError(line, columns) }
      let value = try columns.value(at: column, UnsafeBufferPointer(rebasing: line[start..<end]))
      if column == columns.timeIndex, case .timestamp(let micros) = value { eventTime = micros }
      fields.append(DecodedField(columns.names[column], value))
      column += 1
      guard end < line.count else { break }
      start = end + 1
    }
    guard column == columns.count else { throw Self.fieldCountError(line, columns) }
    return DecodedRecord(fields: fields, eventTime: eventTime)
  }

  private static func fieldCountError(_ line: UnsafeBufferPointer<UInt8>, _ columns: ZeekColumns) -> DecodeError {
    let found = line.reduce(1) { $1 == columns.separator ? $0 + 1 : $0 }
    return DecodeError("Zeek TSV: the line has \(found) fields but the #fields header names \(columns.count)")
  }

  static func withoutCarriageReturn(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard line.last == 0x0D else { return line }
    return UnsafeBufferPointer(rebasing: line.dropLast())
  }
}
