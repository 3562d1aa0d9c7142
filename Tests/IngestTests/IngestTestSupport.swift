import Columnar
import Delta
import Foundation

@testable import Ingest

/// `key=value` pairs separated by spaces; `table=name` routes the record, `time=ISO` sets its
/// event time, and a line starting with `!` is malformed.
struct KeyValueDecoder: RecordDecoder {
  mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord]) throws(DecodeError) {
    let line = String(decoding: unit, as: UTF8.self)
    if line.hasPrefix("!") { throw DecodeError("malformed line (starts with !)") }
    var record = DecodedRecord()
    for pair in line.split(separator: " ") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw DecodeError("'\(pair)' is not key=value") }
      switch parts[0] {
      case "table": record.table = parts[1]
      case "time":
        record.eventTime = TimeText.micros(iso8601: parts[1])
        record.append("time", .timestamp(record.eventTime ?? 0))
      default: record.append(parts[0], .text(parts[1]))
      }
    }
    records.append(record)
  }
}

enum IngestTestSupport {
  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "avocet-ingest-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Every row of a table as sorted JSON lines.
  static func rows(_ path: String, columns: [String]? = nil) throws -> [String] {
    let snapshot = try DeltaTable.open(path: path).snapshot()
    var lines: [String] = []
    for batch in try snapshot.scan(ScanOptions(columns: columns)).readBatches() {
      for row in 0..<batch.rowCount {
        var out: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &out)
        lines.append(String(decoding: out, as: UTF8.self))
      }
    }
    return lines.sorted()
  }

  static func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
  }

  static func append(_ text: String, to path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }
}
