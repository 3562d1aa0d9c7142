import Columnar
import Delta
import Foundation

/// The shared conformance corpus (`../shared/conformance`): 115 Delta tables written by Spark and
/// delta-rs with their expected rows, and the checks that compare Avocet's reads with them.
enum ConformanceCorpus {
  /// `/work/main/Tests/DeltaTests/X.swift` → `/work/shared/conformance`.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "../../../shared/conformance"
  )
  .standardizedFileURL

  static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("tables").path) }

  static func tablePath(_ name: String) -> String { root.appendingPathComponent("tables/\(name)").path }
  static func expectedURL(_ name: String) -> URL { root.appendingPathComponent("expected/\(name)") }

  static let tableNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tables").path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }()

  /// `expected/<name>/meta.json`.
  static func meta(_ name: String) -> [String: Any] {
    guard let data = try? Data(contentsOf: expectedURL(name).appendingPathComponent("meta.json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }

  /// Tables a conforming reader must refuse at every version.
  static let invalidTables: Set<String> = [
    "golden-deltalog-invalid-protocol-version", "golden-deltalog-state-reconstruction-without-protocol",
    "golden-versions-not-contiguous",
  ]

  /// The one table whose zone-less timestamp partition value needs the writer's zone. Spark's
  /// GoldenTables generator wrote it with the session zone America/Los_Angeles; the protocol says
  /// to read such values in the writer's zone, and the upstream (Spark) rows in `v0.jsonl` are that
  /// reading.
  static let writerTimeZones: [String: String] = ["golden-data-reader-partition-values": "America/Los_Angeles"]

  static func options(for table: String) -> ScanOptions {
    var options = ScanOptions()
    if let zone = writerTimeZones[table], let writer = WriterTimeZone(identifier: zone) {
      options.writerTimeZone = writer
    }
    return options
  }

  /// What a version of a table should give.
  enum Expectation {
    /// These rows (the `.jsonl` file).
    case rows(file: String)
    /// A read that fails (invalid table, vacuumed data).
    case failure(reason: String)
    /// A read that succeeds; no reference rows exist (a feature the reference reader lacks).
    case readable
  }

  static func expectations(_ name: String) -> [(version: Int64, expectation: Expectation)] {
    let meta = meta(name)
    let versions = meta["versions"] as? [String: Any] ?? [:]
    var result: [(Int64, Expectation)] = []
    for (key, value) in versions {
      guard let version = Int64(key), let info = value as? [String: Any] else { continue }
      if let file = info["file"] as? String {
        result.append((version, .rows(file: file)))
      } else if invalidTables.contains(name) {
        result.append((version, .failure(reason: "invalid table")))
      } else if let error = info["reference_reader_error"] as? String, error.contains("Unsupported table features") {
        result.append((version, .readable))
      } else {
        result.append((version, .failure(reason: "data files were removed")))
      }
    }
    return result.sorted { $0.0 < $1.0 }
  }

  struct VersionResult {
    var version: Int64
    var passed: Bool
    var detail: String
  }

  /// Reads every expected version of `name` and compares.
  static func check(_ name: String) -> [VersionResult] {
    let path = tablePath(name)
    var results: [VersionResult] = []
    for (version, expectation) in expectations(name) {
      let outcome: Result<[String], any Error> = Result {
        try readRows(path, version: version, options: options(for: name))
      }
      switch (expectation, outcome) {
      case (.rows(let file), .success(let rows)):
        let expected = expectedRows(name, file: file, path: path, version: version)
        let diff = compare(actual: rows, expected: expected)
        results.append(VersionResult(version: version, passed: diff == nil, detail: diff ?? "\(rows.count) rows match"))
      case (.rows, .failure(let error)):
        results.append(VersionResult(version: version, passed: false, detail: "read failed: \(error)"))
      case (.failure(let reason), .failure(let error)):
        results.append(
          VersionResult(version: version, passed: true, detail: "refused as expected (\(reason)): \(error)"))
      case (.failure(let reason), .success(let rows)):
        results.append(
          VersionResult(
            version: version, passed: false, detail: "read \(rows.count) rows but expected a failure (\(reason))"))
      case (.readable, .success(let rows)):
        results.append(VersionResult(version: version, passed: true, detail: "read \(rows.count) rows"))
      case (.readable, .failure(let error)):
        results.append(VersionResult(version: version, passed: false, detail: "read failed: \(error)"))
      }
    }
    return results
  }

  /// The canonical text of each row of the table at `version`.
  static func readRows(_ path: String, version: Int64, options: ScanOptions) throws -> [String] {
    let table = try DeltaTable.open(path: path)
    let snapshot = try table.snapshot(version: version)
    let scan = try snapshot.scan(options)
    var rows: [String] = []
    var line: [UInt8] = []
    for batch in try scan.readBatches() {
      for row in 0..<batch.rowCount {
        line.removeAll(keepingCapacity: true)
        ValueRenderer.appendJSONRow(batch, row: row, to: &line)
        rows.append(try canonicalRow(Data(line), fields: snapshot.schema.fields))
      }
    }
    return rows
  }

  static func expectedRows(_ name: String, file: String, path: String, version: Int64) -> [String] {
    guard let text = try? String(contentsOf: expectedURL(name).appendingPathComponent(file), encoding: .utf8) else {
      return []
    }
    let fields = (try? DeltaTable.open(path: path).snapshot(version: version).schema.fields) ?? []
    return text.split(separator: "\n").compactMap { line in try? canonicalRow(Data(line.utf8), fields: fields) }
  }

  /// Nil when the multisets agree, otherwise a description of the first differences.
  static func compare(actual: [String], expected: [String]) -> String? {
    let a = actual.sorted()
    let e = expected.sorted()
    if a == e { return nil }
    var missing: [String: Int] = [:]
    for row in e { missing[row, default: 0] += 1 }
    var extra: [String] = []
    for row in a {
      if let count = missing[row], count > 0 { missing[row] = count - 1 } else { extra.append(row) }
    }
    let absent = missing.flatMap { row, count in Array(repeating: row, count: count) }.sorted()
    var text = "\(a.count) rows read, \(e.count) expected"
    if let row = absent.first { text += "; missing \(absent.count), e.g. \(row.prefix(400))" }
    if let row = extra.first { text += "; unexpected \(extra.count), e.g. \(row.prefix(400))" }
    return text
  }

  /// A row as canonical text: fields in schema order, maps sorted by key, numbers normalised.
  static func canonicalRow(_ data: Data, fields: [Field]) throws -> String {
    guard let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
    else {
      throw CorpusError.notAnObject
    }
    let known = Set(fields.map(\.name))
    let unknown = object.keys.filter { !known.contains($0) }.sorted()
    var parts = fields.map { field in "\(quoted(field.name)):" + canonical(object[field.name], type: field.type) }
    for key in unknown { parts.append("\(quoted(key))?:" + canonical(object[key], type: .string)) }
    return "{" + parts.joined(separator: ",") + "}"
  }

  enum CorpusError: Error { case notAnObject }

  static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

  static func canonical(_ value: Any?, type: DataType) -> String {
    guard let value, !(value is NSNull) else { return "null" }
    switch type {
    case .structure(let fields):
      guard let object = value as? [String: Any] else { return "?" + String(describing: value) }
      return "{"
        + fields.map { "\(quoted($0.name)):" + canonical(object[$0.name], type: $0.type) }.joined(separator: ",") + "}"
    case .list(let element):
      guard let array = value as? [Any] else { return "?" + String(describing: value) }
      return "[" + array.map { canonical($0, type: element.type) }.joined(separator: ",") + "]"
    case .map(let key, let valueField):
      guard let array = value as? [Any] else { return "?" + String(describing: value) }
      let entries = array.map { entry -> (String, String) in
        guard let pair = entry as? [Any], pair.count == 2 else { return ("?", String(describing: entry)) }
        return (canonical(pair[0], type: key.type), canonical(pair[1], type: valueField.type))
      }
      return "["
        + entries.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.map { "[\($0.0),\($0.1)]" }
        .joined(separator: ",") + "]"
    case .float32, .float64, .float16:
      if let number = value as? NSNumber { return "f" + String(number.doubleValue) }
      if let text = value as? String { return "f" + text }
      return "?" + String(describing: value)
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
      if let number = value as? NSNumber { return String(number.int64Value) }
      return "?" + String(describing: value)
    case .boolean:
      if let number = value as? NSNumber { return number.boolValue ? "true" : "false" }
      return "?" + String(describing: value)
    default:
      if let text = value as? String { return quoted(text) }
      if let number = value as? NSNumber { return "n" + number.stringValue }
      return "?" + String(describing: value)
    }
  }
}
