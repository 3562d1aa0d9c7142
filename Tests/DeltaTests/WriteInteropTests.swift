import Columnar
import Delta
import Expr
import Foundation
import Testing

/// Tables Avocet writes, read by delta-rs (`deltalake`) and DuckDB's `delta_scan`; and appends
/// across engines. Needs the oracle virtualenv (`scripts/setup-oracles.sh`).
@Suite(.serialized) struct WriteInteropTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static var python: String { root.appendingPathComponent(".venv-oracles/bin/python").path }

  /// Prints `<engine> <count> <sorted rows hash-free canonical text>` per engine.
  static let reader = #"""
    import sys, json, glob, os, deltalake, duckdb
    path = sys.argv[1]
    def canon(rows):
        return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    a = canon(deltalake.DeltaTable(path).to_pyarrow_table().to_pylist())
    ext = glob.glob(os.path.join(os.path.dirname(duckdb.__file__), '..', 'duckdb_extension_delta', 'extensions', 'v1.5.5', 'delta.duckdb_extension'))[0]
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute(f"LOAD '{ext}'")
    b = canon(con.execute(f"SELECT * FROM delta_scan('{path}')").fetch_arrow_table().to_pylist())
    print(json.dumps({"deltalake": a, "duckdb": b}), flush=True)
    os._exit(0)  # delta-rs's runtime can abort during interpreter teardown
    """#

  static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-interop-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out) }
    let handle = try FileHandle(forWritingTo: out)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    guard process.terminationStatus == 0 else { throw InteropFailure(description: text) }
    return text
  }

  struct InteropFailure: Error, CustomStringConvertible { var description: String }

  /// Both oracles' rows; asserts they agree and returns them.
  static func oracleRows(_ path: String) throws -> [String] {
    let text = try run(["-c", reader, path])
    let line = text.split(separator: "\n").last.map(String.init) ?? ""
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String]] ?? [:]
    let a = object["deltalake"] ?? []
    let b = object["duckdb"] ?? []
    #expect(a == b, "delta-rs and DuckDB disagree")
    return a
  }

  static var available: Bool { FileManager.default.fileExists(atPath: python) }

  @Test(.enabled(if: available)) func partitionedTableWithEveryTypeAndSpecialValues() throws {
    let path = WriteFixtures.temporaryTable()
    let days: [Int32?] = [19_000, nil, 19_500, 1]
    let batch = try RecordBatch(
      schema: Schema([
        Field("id", .int64), Field("i32", .int32), Field("f", .float64), Field("s", .string),
        Field("ts", .timestamp(.microsecond, utc: true)), Field("d", .date), Field("b", .boolean),
        Field("p", .string), Field("q", .int32),
      ]),
      columns: [
        WriteFixtures.int64([1, 2, 3, 4]), WriteFixtures.int32([10, nil, -3, 7]),
        WriteFixtures.float64([1.25, nil, -0.5, 1e10]), WriteFixtures.string(["a", "ü€", nil, String(repeating: "x", count: 50)]),
        WriteFixtures.timestamp([1_700_000_000_123_456, nil, 0, -1]), WriteFixtures.int32(days, type: .date),
        ColumnBuildForTests.booleans([true, false, nil, true]),
        WriteFixtures.string(["a b/c", "x:y=z%", nil, "ünï{}[]"]), WriteFixtures.int32([1, 1, nil, 2]),
      ], rowCount: 4)
    var options = WriteOptions()
    options.partitionBy = ["p", "q"]
    try TableWriter.write(path: path, batches: [batch], options: options)
    for n in 0..<11 {
      try TableWriter.write(
        path: path,
        batches: [
          try WriteFixtures.batch([
            ("id", WriteFixtures.int64([Int64(100 + n)])), ("p", WriteFixtures.string(["a b/c"])),
            ("q", WriteFixtures.int32([3])),
          ])
        ])
    }
    #expect(WriteFixtures.logFiles(path).contains("00000000000000000010.checkpoint.parquet"))
    let rows = try Self.oracleRows(path)
    #expect(rows.count == 15)
    #expect(rows.contains { $0.contains(#""p": "x:y=z%""#) && $0.contains(#""s": "\u00fc\u20ac""#) })
    #expect(rows.contains { $0.contains(#""p": null"#) && $0.contains(#""q": null"#) })
    #expect(rows.contains { $0.contains(#""ts": "2023-11-14 22:13:20.123456+00:00""#) })
    #expect(try WriteFixtures.rows(path).count == 15)
  }

  @Test(.enabled(if: available)) func evolvedSchemaAndOverwrite() throws {
    let path = WriteFixtures.temporaryTable()
    try TableWriter.write(path: path, batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([1, 2]))])])
    var merge = WriteOptions()
    merge.mergeSchema = true
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([3])), ("tag", WriteFixtures.string(["t"]))])],
      options: merge)
    var replace = WriteOptions(mode: .overwrite)
    replace.mergeSchema = true
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([4])), ("tag", WriteFixtures.string(["u"]))])],
      options: replace)
    let rows = try Self.oracleRows(path)
    #expect(rows == [#"{"id": 4, "tag": "u"}"#])
  }

  @Test(.enabled(if: available)) func appendsAcrossEngines() throws {
    // delta-rs creates, Avocet appends, delta-rs appends again.
    let path = WriteFixtures.temporaryTable()
    let create = """
      import sys, pyarrow as pa, deltalake
      deltalake.write_deltalake(sys.argv[1], pa.table({'id': pa.array([1, 2], pa.int64()), 'p': ['x', 'y']}), partition_by=['p'])
      """
    _ = try Self.run(["-c", create, path])
    try TableWriter.write(
      path: path,
      batches: [try WriteFixtures.batch([("id", WriteFixtures.int64([3])), ("p", WriteFixtures.string(["x"]))])])
    let append = """
      import sys, pyarrow as pa, deltalake
      deltalake.write_deltalake(sys.argv[1], pa.table({'id': pa.array([4], pa.int64()), 'p': ['z']}), mode='append')
      """
    _ = try Self.run(["-c", append, path])
    let rows = try Self.oracleRows(path)
    #expect(rows.count == 4)
    #expect(try WriteFixtures.rows(path, columns: ["id"]) == [#"{"id":1}"#, #"{"id":2}"#, #"{"id":3}"#, #"{"id":4}"#])
  }
}

enum ColumnBuildForTests {
  static func booleans(_ values: [Bool?]) -> ColumnVector {
    var bits = Bitmap()
    for value in values { bits.append(value ?? false) }
    return ColumnVector(
      type: .boolean, count: values.count, validity: WriteFixtures.validity(values.map { $0 != nil }),
      storage: .boolean(bits))
  }
}
