import Columnar
import Delta
import Engine
import Exec
import Expr
import Foundation

/// One record of a `.sqltest` file (format: Corpus/README.md).
struct CorpusRecord: CustomStringConvertible {
  enum Expectation {
    case rows([String], ordered: Bool)
    case error(String)
  }

  var file: String
  var line: Int
  var sql: String
  var expectation: Expectation

  var description: String { "\(file):\(line)" }
}

enum Corpus {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

  static var files: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".sqltest") }.sorted()
  }

  static func records(in file: String) throws -> [CorpusRecord] {
    let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var records: [CorpusRecord] = []
    var i = 0
    while i < lines.count {
      let line = lines[i]
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") {
        i += 1
        continue
      }
      let start = i + 1
      if trimmed.hasPrefix("query") {
        let ordered = trimmed.split(separator: " ").dropFirst().first == "ordered"
        i += 1
        var sql: [String] = []
        while i < lines.count, lines[i] != "----" {
          sql.append(lines[i])
          i += 1
        }
        i += 1
        var rows: [String] = []
        while i < lines.count, !lines[i].isEmpty {
          rows.append(lines[i])
          i += 1
        }
        records.append(CorpusRecord(file: file, line: start, sql: sql.joined(separator: "\n"), expectation: .rows(rows, ordered: ordered)))
      } else if trimmed.hasPrefix("error") {
        let expected = String(trimmed.dropFirst("error".count)).trimmingCharacters(in: .whitespaces)
        i += 1
        var sql: [String] = []
        while i < lines.count, !lines[i].isEmpty {
          sql.append(lines[i])
          i += 1
        }
        records.append(CorpusRecord(file: file, line: start, sql: sql.joined(separator: "\n"), expectation: .error(expected)))
      } else {
        throw CorpusError(message: "\(file):\(start): unexpected line '\(line)'")
      }
    }
    return records
  }

  /// Renders a result's rows per the corpus rules, one tab-separated line per row.
  static func render(_ result: QueryResult) -> [String] {
    var lines: [String] = []
    for batch in result.batches {
      for row in 0..<batch.rowCount {
        lines.append(batch.columns.map { render(ScalarValue(from: $0, row: row)) }.joined(separator: "\t"))
      }
    }
    return lines
  }

  static func render(_ value: ScalarValue) -> String {
    switch value {
    case .null: return "NULL"
    case .boolean(let b): return b ? "true" : "false"
    case .int64(let v): return String(v)
    case .float64(let d): return number(d)
    case .decimal(let v, _, let scale):
      return number(Double(v) / pow(10, Double(scale)))
    case .string(let s): return s.isEmpty ? "(empty)" : s
    case .binary(let b): return b.map { String(format: "%02x", $0) }.joined()
    case .date(let d):
      let c = CalendarFormatting.civil(fromDays: Int64(d))
      return String(format: "%04lld-%02d-%02d", c.year, c.month, c.day)
    case .timestamp(let micros, _):
      let day = CalendarFormatting.floorDiv(micros, 86_400_000_000)
      let c = CalendarFormatting.civil(fromDays: day)
      let within = micros - day * 86_400_000_000
      let seconds = within / 1_000_000, fraction = within % 1_000_000
      var text = String(format: "%04lld-%02d-%02d %02lld:%02lld:%02lld", c.year, c.month, c.day, seconds / 3600, seconds / 60 % 60, seconds % 60)
      if fraction > 0 {
        var f = String(format: "%06lld", fraction)
        while f.hasSuffix("0") { f.removeLast() }
        text += "." + f
      }
      return text
    }
  }

  static func number(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    var text = String(format: "%.6f", d)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    if text == "-0" { text = "0" }
    return text
  }
}

struct CorpusError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// The corpus tables (`Corpus/tables/*.csv`) written as Delta tables once per test run.
enum CorpusTables {
  static let root: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-corpus-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }()

  /// name → table path, created on first use.
  static let tables: Result<[String: String], CorpusError> = {
    do {
      var result: [String: String] = [:]
      let folder = Corpus.folder.appendingPathComponent("tables")
      for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".csv") {
        let name = String(file.dropLast(4))
        let path = root + "/" + name
        try write(csv: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), to: path)
        result[name] = path
      }
      return .success(result)
    } catch {
      return .failure(CorpusError(message: "cannot build corpus tables: \(error)"))
    }
  }()

  static func session() throws -> Session {
    let session = Session()
    for (name, path) in try tables.get() { try session.register(name, path: path) }
    return session
  }

  static func write(csv text: String, to path: String) throws {
    var records = CSVReader.records(text)
    guard !records.isEmpty else { throw CorpusError(message: "empty table file for \(path)") }
    let header = records.removeFirst()
    var fields: [Field] = []
    for cell in header {
      let parts = (cell.value ?? "").split(separator: ":").map(String.init)
      guard parts.count == 2 else { throw CorpusError(message: "bad header cell '\(cell.value ?? "")'") }
      let type: DataType
      switch parts[1] {
      case "boolean": type = .boolean
      case "integer": type = .int32
      case "bigint": type = .int64
      case "double": type = .float64
      case "varchar": type = .string
      case "date": type = .date
      case "timestamp": type = .timestamp(.microsecond, utc: false)
      default: throw CorpusError(message: "unknown type \(parts[1])")
      }
      fields.append(Field(parts[0], type))
    }
    let schema = Schema(fields)
    var columns: [ColumnVector] = []
    for (index, field) in fields.enumerated() {
      var values: [ScalarValue] = []
      for record in records {
        guard index < record.count, let text = record[index].value else {
          values.append(.null)
          continue
        }
        values.append(field.type == .string ? .string(text) : try ScalarValue.parse(text, as: field.type))
      }
      columns.append(try ColumnVector.from(values, type: field.type))
    }
    let batch = try RecordBatch(schema: schema, columns: columns, rowCount: records.count)
    let writer = try TableWriter(path: path, schema: schema, options: WriteOptions(mode: .overwrite))
    if batch.rowCount > 0 { try writer.write(batch) }
    _ = try writer.commit()
  }
}

/// RFC 4180 CSV where an empty unquoted field is NULL and `""` is the empty string.
enum CSVReader {
  struct Cell { var value: String? }

  static func records(_ text: String) -> [[Cell]] {
    var records: [[Cell]] = []
    var record: [Cell] = []
    var field = ""
    var quoted = false
    var inQuotes = false
    var fieldStarted = false
    var chars = Array(text)
    if chars.last != "\n" { chars.append("\n") }
    var i = 0
    func endField() {
      record.append(Cell(value: quoted || !field.isEmpty ? field : nil))
      field = ""
      quoted = false
      fieldStarted = false
    }
    while i < chars.count {
      let c = chars[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < chars.count, chars[i + 1] == "\"" {
            field.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" && !fieldStarted {
        inQuotes = true
        quoted = true
        fieldStarted = true
      } else if c == "," {
        endField()
      } else if c == "\n" || c == "\r\n" {
        endField()
        if !(record.count == 1 && record[0].value == nil) { records.append(record) }
        record = []
      } else if c == "\r" {
      } else {
        field.append(c)
        fieldStarted = true
      }
      i += 1
    }
    return records
  }
}
