import Columnar
import Foundation
import Parquet
import Storage
import Testing

// Helpers shared by the writer's test suites: in-memory files, vector builders, footers and
// oracle rendering.

/// The bytes of a file written through ``MemoryWritableFile``, shared with the test.
final class MemorySink: @unchecked Sendable {
  var bytes: [UInt8] = []
  var closed = false
  var aborted = false
}

/// A ``WritableFile`` that keeps its bytes in a ``MemorySink``.
struct MemoryWritableFile: WritableFile {
  let sink: MemorySink
  var path: String { "<memory>" }
  var position: Int { sink.bytes.count }
  mutating func write(_ bytes: UnsafeRawBufferPointer) throws { sink.bytes.append(contentsOf: bytes) }
  mutating func close() throws { sink.closed = true }
  mutating func abort() { sink.aborted = true }
}

/// Builds column vectors from Swift optionals.
enum Build {
  static func validity(_ valid: [Bool]) -> Bitmap? {
    valid.allSatisfy { $0 }
      ? nil
      : valid.withUnsafeBufferPointer { flags in
        flags.withMemoryRebound(to: UInt8.self) { Bitmap(bytes: $0) }
      }
  }

  static func fixed<T: Numeric>(_ values: [T?], _ type: DataType, _ storage: ([T]) -> ColumnStorage) -> ColumnVector {
    ColumnVector(
      type: type, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: storage(values.map { $0 ?? 0 }))
  }

  static func bool(_ values: [Bool?]) -> ColumnVector {
    var bits = Bitmap()
    for value in values { bits.append(value ?? false) }
    return ColumnVector(
      type: .boolean, count: values.count, validity: validity(values.map { $0 != nil }), storage: .boolean(bits))
  }

  static func bytes(_ values: [[UInt8]?], _ type: DataType) -> ColumnVector {
    var offsets: [Int32] = [0]
    var data: [UInt8] = []
    for value in values {
      data.append(contentsOf: value ?? [])
      offsets.append(Int32(data.count))
    }
    return ColumnVector(
      type: type, count: values.count, validity: validity(values.map { $0 != nil }),
      storage: .binary(offsets: offsets, bytes: data))
  }

  static func strings(_ values: [String?]) -> ColumnVector {
    bytes(values.map { $0.map { Array($0.utf8) } }, .string)
  }

  /// A dictionary-encoded string vector over `entries`.
  static func dictionaryStrings(_ indices: [Int32?], entries: [String]) -> ColumnVector {
    ColumnVector(
      type: .string, count: indices.count, validity: validity(indices.map { $0 != nil }),
      storage: .dictionary(indices: indices.map { $0 ?? 0 }, dictionary: strings(entries)))
  }

  /// Offsets from per-row lengths; a nil length is a null row (no entries).
  static func offsets(_ lengths: [Int?]) -> [Int32] {
    var offsets: [Int32] = [0]
    for length in lengths { offsets.append(offsets[offsets.count - 1] + Int32(length ?? 0)) }
    return offsets
  }

  static func list(_ element: Field, lengths: [Int?], values: ColumnVector) -> ColumnVector {
    ColumnVector(
      type: .list(element), count: lengths.count, validity: validity(lengths.map { $0 != nil }),
      storage: .list(offsets: offsets(lengths), values: values))
  }

  static func map(key: Field, value: Field, lengths: [Int?], keys: ColumnVector, values: ColumnVector) -> ColumnVector {
    ColumnVector(
      type: .map(key: key, value: value), count: lengths.count, validity: validity(lengths.map { $0 != nil }),
      storage: .map(offsets: offsets(lengths), keys: keys, values: values))
  }

  static func structure(_ fields: [Field], _ children: [ColumnVector], valid: [Bool]? = nil) -> ColumnVector {
    let count = children.first?.count ?? valid?.count ?? 0
    return ColumnVector(
      type: .structure(fields), count: count, validity: valid.flatMap { validity($0) },
      storage: .structure(children))
  }
}

/// Writing, reading back and rendering for the writer's tests.
enum WriterTesting {
  /// Writes `batches` to `path` and returns the footer `close` produced.
  @discardableResult
  static func write(
    _ batches: [RecordBatch], schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions(), to path: String
  ) throws -> FileMetaData {
    var writer = try ParquetFileWriter(
      file: try LocalWritableFile(path: path, overwrite: true), schema: schema, options: options)
    for batch in batches { try writer.write(batch) }
    return try writer.close()
  }

  /// Writes `batches` into memory and returns the file's bytes.
  static func bytes(
    _ batches: [RecordBatch], schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()
  ) throws -> [UInt8] {
    let sink = MemorySink()
    var writer = try ParquetFileWriter(file: MemoryWritableFile(sink: sink), schema: schema, options: options)
    for batch in batches { try writer.write(batch) }
    try writer.close()
    return sink.bytes
  }

  /// The footer of a complete file, parsed back from its bytes.
  static func footer(_ bytes: [UInt8]) throws -> FileMetaData {
    #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8))
    #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
    let lengthAt = bytes.count - 8
    let length =
      Int(bytes[lengthAt]) | Int(bytes[lengthAt + 1]) << 8 | Int(bytes[lengthAt + 2]) << 16
      | Int(bytes[lengthAt + 3]) << 24
    return try FileMetaData(compactBytes: Array(bytes[(lengthAt - length)..<lengthAt]))
  }

  /// The footer of the file at `path`.
  static func footer(path: String) throws -> FileMetaData {
    try footer(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
  }

  /// The canonical JSON rendering of every row of `batches`.
  static func rows(_ batches: [RecordBatch]) throws -> [JSONValue] {
    var rows: [JSONValue] = []
    for batch in batches {
      for row in 0..<batch.rowCount {
        var line: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &line)
        rows.append(try JSONValue.parse(String(decoding: line, as: UTF8.self)))
      }
    }
    return rows
  }

  /// The rows of the file at `path` as `engine` ("pyarrow" or "duckdb") renders them.
  static func oracleRows(_ path: String, engine: String) throws -> [JSONValue] {
    let result = try Oracles.python("dump_parquet.py", [path, "--engine", engine])
    guard result.status == 0 else {
      throw Oracles.Failure(description: "\(engine) cannot read \(path): \(result.stderr)")
    }
    return try Oracles.rows(result.stdout)
  }

  /// Runs a Python snippet with the oracle interpreter; `sys.argv[1...]` are `arguments`.
  static func python(_ code: String, _ arguments: [String] = []) throws -> String {
    try Oracles.ready.get()
    let result = Oracles.run([Oracles.python, "-c", code] + arguments)
    guard result.status == 0 else { throw Oracles.Failure(description: "python failed: \(result.stderr)") }
    return result.stdout
  }

  /// Compares rendered rows, reporting the first difference (with the columns left out).
  /// Columns in `halfPrecision` compare as FLOAT16 values: renderers spell a half's shortest
  /// text differently (Swift `117.06`, pyarrow `117.0625`, DuckDB widens to float32).
  static func expectSameRows(
    _ actual: [JSONValue], _ expected: [JSONValue], ignoring: Set<String> = [],
    halfPrecision: Set<String> = ["float16"], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard actual.count == expected.count else {
      Issue.record("\(what): \(actual.count) rows, expected \(expected.count)", sourceLocation: sourceLocation)
      return
    }
    for (index, (a, e)) in zip(actual, expected).enumerated() {
      let a = normalizingHalves(halfPrecision, dropping(ignoring, a))
      let e = normalizingHalves(halfPrecision, dropping(ignoring, e))
      if a != e {
        Issue.record("\(what) row \(index):\n  oracle: \(a)\n  avocet: \(e)", sourceLocation: sourceLocation)
        return
      }
    }
  }

  private static func normalizingHalves(_ keys: Set<String>, _ value: JSONValue) -> JSONValue {
    guard !keys.isEmpty, case .object(let fields) = value else { return value }
    return .object(
      fields.map { key, field in
        guard keys.contains(key), case .number(let text) = field, let number = Float(text) else { return (key, field) }
        return (key, .number("\(Float(Float16(number)))"))
      })
  }

  private static func dropping(_ keys: Set<String>, _ value: JSONValue) -> JSONValue {
    guard !keys.isEmpty, case .object(let fields) = value else { return value }
    return .object(fields.filter { !keys.contains($0.0) })
  }

  static func temporaryPath(_ name: String) throws -> String {
    try Oracles.temporaryDirectory("writer").appendingPathComponent(name).path
  }
}

/// A small deterministic random source.
struct TestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  /// True one time in `n`.
  mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }
}
