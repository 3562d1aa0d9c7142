import Columnar
import Exec
import Expr
import Foundation
import Testing

/// Random tables with NULLs, run through Avocet's operators and through DuckDB with the
/// equivalent SQL; both results are rendered as canonical JSON lines and compared as sorted sets.
///
/// Needs the oracle virtualenv; the first test run creates it with `scripts/setup-oracles.sh`.
@Suite(.serialized) struct DuckDBCrossCheckTests {
  // MARK: Aggregates

  @Test func aggregatesMatchDuckDB() throws {
    let t = RandomTable.make(seed: 1, rows: 3000)
    let specs = [
      AggregateSpec(.countStar, as: "n"), AggregateSpec(.count, .column(3), as: "c"),
      AggregateSpec(.sum, .column(3), as: "s"), AggregateSpec(.min, .column(3), as: "mn"),
      AggregateSpec(.max, .column(4), as: "mx"), AggregateSpec(.min, .column(4), as: "smn"),
      AggregateSpec(.countDistinct, .column(2), as: "d"), AggregateSpec(.avg, .column(3), as: "a"),
      AggregateSpec(.sum, .column(3), filter: .column(2, .greater, .int64(5)), as: "fs"),
    ]
    let select = """
      COUNT(*) AS n, COUNT(v) AS c, SUM(v)::BIGINT AS s, MIN(v) AS mn, MAX(s) AS mx, MIN(s) AS smn,
      COUNT(DISTINCT k) AS d, AVG(v) AS a, (SUM(v) FILTER (WHERE k > 5))::BIGINT AS fs
      """
    var queries: [(String, RecordBatch)] = []

    // One string key (plain and dictionary-encoded batches), partial aggregates merged.
    var a = HashAggregate(groupBy: [.column(1)], groupNames: ["g"], aggregates: specs)
    var b = a
    for (i, batch) in try t.batches(size: 700).enumerated() {
      if i % 2 == 0 { try a.accumulate(batch) } else { try b.accumulate(batch) }
    }
    try a.merge(b)
    queries.append(("SELECT g, \(select) FROM t GROUP BY g", try a.finish()))

    // Two keys of different types, with a WHERE selection.
    let whereK = PhysicalExpression.or(.column(2, .greater, .int64(3)), .isNull(.column(2), negated: false))
    var two = HashAggregate(groupBy: [.column(1), .column(2)], groupNames: ["g", "k"], aggregates: specs)
    for batch in try t.batches(size: 512) { try two.accumulate(batch, selection: try whereK.selection(batch)) }
    queries.append(("SELECT g, k, \(select) FROM t WHERE k > 3 OR k IS NULL GROUP BY g, k", try two.finish()))

    // A string key under a selection that leaves dictionary entries unused.
    var selected = HashAggregate(groupBy: [.column(1)], groupNames: ["g"], aggregates: specs)
    for batch in try t.batches(size: 1000) { try selected.accumulate(batch, selection: try PhysicalExpression.column(2, .equal, .int64(1)).selection(batch)) }
    queries.append(("SELECT g, \(select) FROM t WHERE k = 1 GROUP BY g", try selected.finish()))

    // A global aggregate over nothing.
    var none = HashAggregate(groupBy: [], groupNames: [], aggregates: specs)
    for batch in try t.batches(size: 1000) { try none.accumulate(batch, selection: try PhysicalExpression.column(2, .greater, .int64(1000)).selection(batch)) }
    queries.append(("SELECT \(select) FROM t WHERE k > 1000", try none.finish()))

    try DuckDB.check(tables: ["t": t], queries)
  }

  // MARK: Windows

  @Test func windowsMatchDuckDB() throws {
    let t = RandomTable.make(seed: 2, rows: 1500)
    let byG: [PhysicalExpression] = [.column(1)]
    let kThenID = [SortKey(.column(2)), SortKey(.column(0))]
    let kDesc = [SortKey(.column(2), descending: true, nullsFirst: true)]
    let sliding = WindowFrame(.rows, from: .preceding(2), to: .following(1))
    let rest = WindowFrame(.rows, from: .currentRow, to: .unboundedFollowing)
    let ahead = WindowFrame(.rows, from: .following(1), to: .following(3))
    let functions = [
      WindowFunction(.rowNumber, partitionBy: byG, orderBy: kThenID, as: "rn"),
      WindowFunction(.rank, partitionBy: byG, orderBy: kDesc, as: "rk"),
      WindowFunction(.denseRank, partitionBy: byG, orderBy: kDesc, as: "drk"),
      WindowFunction(.lag, .column(3), partitionBy: byG, orderBy: kThenID, as: "lg"),
      WindowFunction(.lead, .column(3), offset: 2, default: .int64(-1), partitionBy: byG, orderBy: kThenID, as: "ld"),
      WindowFunction(.firstValue, .column(4), partitionBy: byG, orderBy: kThenID, as: "fv"),
      WindowFunction(.lastValue, .column(4), partitionBy: byG, orderBy: kThenID, frame: rest, as: "lv"),
      WindowFunction(.sum, .column(3), partitionBy: byG, orderBy: [SortKey(.column(2))], as: "rs"),
      WindowFunction(.count, .column(3), partitionBy: byG, orderBy: [SortKey(.column(2))], as: "rc"),
      WindowFunction(.countStar, partitionBy: byG, orderBy: [SortKey(.column(2))], as: "rcs"),
      WindowFunction(.max, .column(4), partitionBy: byG, orderBy: [SortKey(.column(2))], as: "rmx"),
      WindowFunction(.sum, .column(3), partitionBy: byG, orderBy: kThenID, frame: sliding, as: "ws"),
      WindowFunction(.avg, .column(3), partitionBy: byG, orderBy: kThenID, frame: sliding, as: "wa"),
      WindowFunction(.min, .column(3), partitionBy: byG, orderBy: kThenID, frame: sliding, as: "wmn"),
      WindowFunction(.max, .column(3), partitionBy: byG, orderBy: kThenID, frame: ahead, as: "wmx"),
      WindowFunction(.count, .column(3), as: "total"),
      WindowFunction(.min, .column(4), partitionBy: [.column(2)], as: "pmn"),
    ]
    let sql = """
      SELECT *,
        ROW_NUMBER() OVER (PARTITION BY g ORDER BY k, id) AS rn,
        RANK() OVER (PARTITION BY g ORDER BY k DESC NULLS FIRST) AS rk,
        DENSE_RANK() OVER (PARTITION BY g ORDER BY k DESC NULLS FIRST) AS drk,
        LAG(v) OVER (PARTITION BY g ORDER BY k, id) AS lg,
        LEAD(v, 2, -1) OVER (PARTITION BY g ORDER BY k, id) AS ld,
        FIRST_VALUE(s) OVER (PARTITION BY g ORDER BY k, id) AS fv,
        LAST_VALUE(s) OVER (PARTITION BY g ORDER BY k, id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS lv,
        SUM(v) OVER (PARTITION BY g ORDER BY k)::BIGINT AS rs,
        COUNT(v) OVER (PARTITION BY g ORDER BY k) AS rc,
        COUNT(*) OVER (PARTITION BY g ORDER BY k) AS rcs,
        MAX(s) OVER (PARTITION BY g ORDER BY k) AS rmx,
        SUM(v) OVER (PARTITION BY g ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)::BIGINT AS ws,
        AVG(v) OVER (PARTITION BY g ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS wa,
        MIN(v) OVER (PARTITION BY g ORDER BY k, id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS wmn,
        MAX(v) OVER (PARTITION BY g ORDER BY k, id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS wmx,
        COUNT(v) OVER () AS total,
        MIN(s) OVER (PARTITION BY k) AS pmn
      FROM t
      """
    var window = Window(functions)
    for batch in try t.batches(size: 400) { try window.accumulate(batch) }
    try DuckDB.check(tables: ["t": t], [(sql, try window.finish())])
  }

  // MARK: Joins

  @Test func joinsMatchDuckDB() throws {
    let a = RandomTable.make(seed: 3, rows: 400, prefix: "a")
    let b = RandomTable.make(seed: 4, rows: 250, prefix: "b")
    var queries: [(String, RecordBatch)] = []
    let sqlType: [JoinType: String] = [.inner: "JOIN", .left: "LEFT JOIN", .right: "RIGHT JOIN", .full: "FULL JOIN", .semi: "SEMI JOIN", .anti: "ANTI JOIN"]
    for type in JoinType.allCases {
      let select = type == .semi || type == .anti ? "a.*" : "a.*, b.*"
      // One int key (int32 on both sides), then a string and an int key together.
      for keys in [([2], [2]), ([1, 2], [1, 2])] {
        var join = try HashJoin(
          type, leftSchema: a.schema, rightSchema: b.schema, leftKeys: keys.0.map { .column($0) },
          rightKeys: keys.1.map { .column($0) })
        for batch in try a.batches(size: 150) { try join.addLeft(batch) }
        for batch in try b.batches(size: 100) { try join.addRight(batch) }
        let on = keys.0.count == 1 ? "a.a_k = b.b_k" : "a.a_g = b.b_g AND a.a_k = b.b_k"
        queries.append(("SELECT \(select) FROM a \(sqlType[type]!) b ON \(on)", try join.finish()))
      }
    }
    // The build side flips when the left input is the smaller one.
    let flipped = try HashJoin.join(.left, try b.batch(), try a.batch(), leftKeys: [.column(2)], rightKeys: [.column(2)])
    queries.append(("SELECT b.*, a.* FROM b LEFT JOIN a ON b.b_k = a.a_k", flipped))
    try DuckDB.check(tables: ["a": a, "b": b], queries)
  }
}

/// A deterministic random table `(id BIGINT, g VARCHAR, k INTEGER, v BIGINT, s VARCHAR)` with
/// NULLs in every column but `id`; with a `prefix` the columns are `a_id`, `a_g`, … so joined
/// tables do not collide.
struct RandomTable {
  var names: [String]
  var types: [DataType]
  var columns: [[ScalarValue]]
  var rowCount: Int

  static func make(seed: UInt64, rows: Int, prefix: String = "") -> RandomTable {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    func below(_ n: UInt64) -> Int { Int(next() % n) }
    let groups = ["alpha", "beta", "gamma", "delta", "", "a much longer group name to spill past eight bytes"]
    var id: [ScalarValue] = []
    var g: [ScalarValue] = []
    var k: [ScalarValue] = []
    var v: [ScalarValue] = []
    var s: [ScalarValue] = []
    for row in 0..<rows {
      id.append(.int64(Int64(row)))
      g.append(below(12) == 0 ? .null : .string(groups[below(UInt64(groups.count))]))
      k.append(below(10) == 0 ? .null : .int64(Int64(below(20))))
      v.append(below(8) == 0 ? .null : .int64(Int64(below(2_000_000)) - 1_000_000))
      s.append(below(9) == 0 ? .null : .string("s\(below(500))"))
    }
    let names = ["id", "g", "k", "v", "s"].map { prefix.isEmpty ? $0 : "\(prefix)_\($0)" }
    return RandomTable(names: names, types: [.int64, .string, .int32, .int64, .string], columns: [id, g, k, v, s], rowCount: rows)
  }

  var schema: Schema { Schema(zip(names, types).map { Field($0, $1) }) }

  /// The whole table as one batch.
  func batch() throws -> RecordBatch { try slice(0..<rowCount, dictionary: false) }

  /// The table in batches of `size` rows, every other one with dictionary-encoded strings.
  func batches(size: Int) throws -> [RecordBatch] {
    var out: [RecordBatch] = []
    var start = 0
    while start < rowCount {
      let end = min(start + size, rowCount)
      out.append(try slice(start..<end, dictionary: out.count % 2 == 1))
      start = end
    }
    return out
  }

  func slice(_ range: Range<Int>, dictionary: Bool) throws -> RecordBatch {
    var vectors: [ColumnVector] = []
    for (type, values) in zip(types, columns) {
      let part = Array(values[range])
      if dictionary, type == .string {
        vectors.append(try Self.dictionaryVector(part))
      } else {
        vectors.append(try ColumnVector.from(part, type: type))
      }
    }
    return try RecordBatch(schema: schema, columns: vectors, rowCount: range.count)
  }

  /// Strings as a dictionary with an unused entry, and NULL slots pointing at entry 0.
  static func dictionaryVector(_ values: [ScalarValue]) throws -> ColumnVector {
    var entries: [ScalarValue] = [.string("never-used")]
    var index: [String: Int32] = [:]
    var indices: [Int32] = []
    var validity = Bitmap()
    for value in values {
      guard case .string(let text) = value else {
        indices.append(0)
        validity.append(false)
        continue
      }
      if index[text] == nil {
        index[text] = Int32(entries.count)
        entries.append(.string(text))
      }
      indices.append(index[text]!)
      validity.append(true)
    }
    let dictionary = try ColumnVector.from(entries, type: .string).withNoValidity()
    return ColumnVector(type: .string, count: values.count, validity: validity, storage: .dictionary(indices: indices, dictionary: dictionary))
  }

  /// The rows as JSON arrays, for the oracle.
  var jsonRows: [[Any]] {
    (0..<rowCount).map { row in
      columns.map { column -> Any in
        switch column[row] {
        case .int64(let x): return x
        case .string(let s): return s
        default: return NSNull()
        }
      }
    }
  }
}

extension ColumnVector {
  fileprivate func withNoValidity() -> ColumnVector {
    var copy = self
    copy.validity = nil
    return copy
  }
}

/// Runs SQL in DuckDB on the same tables and compares the canonical JSON lines.
enum DuckDB {
  static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static var python: String { root.appendingPathComponent(".venv-oracles/bin/python").path }

  /// Loads the tables with their types and prints, per query, the result rows as canonical JSON.
  static let script = #"""
    import sys, json
    sys.path.insert(0, sys.argv[1])
    import duckdb, pyarrow as pa, render
    spec = json.load(sys.stdin)
    kinds = {"int64": pa.int64(), "int32": pa.int32(), "string": pa.string()}
    con = duckdb.connect()
    con.execute("SET threads=1")
    for name, table in spec["tables"].items():
        schema = pa.schema([(n, kinds[t]) for n, t in table["schema"]])
        columns = list(zip(*table["rows"])) if table["rows"] else [[] for _ in table["schema"]]
        arrow = pa.table([pa.array(list(c), type=f.type) for c, f in zip(columns, schema)], schema=schema)
        con.register(name + "_arrow", arrow)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
    out = []
    for sql in spec["queries"]:
        out.append(sorted(render.iter_jsonl(con.execute(sql).fetch_arrow_table())))
    print(json.dumps(out))
    """#

  static func ensureOracles() throws {
    if FileManager.default.fileExists(atPath: python) { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [root.appendingPathComponent("scripts/setup-oracles.sh").path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw OracleFailure(description: "scripts/setup-oracles.sh failed") }
  }

  struct OracleFailure: Error, CustomStringConvertible { var description: String }

  static func typeName(_ type: DataType) -> String {
    switch type {
    case .int32: "int32"
    case .string: "string"
    default: "int64"
    }
  }

  /// Runs every query in DuckDB and expects Avocet's batch to hold the same rows.
  static func check(tables: [String: RandomTable], _ queries: [(String, RecordBatch)]) throws {
    try ensureOracles()
    var tableSpecs: [String: Any] = [:]
    for (name, table) in tables {
      tableSpecs[name] = ["schema": zip(table.names, table.types).map { [$0, typeName($1)] }, "rows": table.jsonRows]
    }
    let input = try JSONSerialization.data(withJSONObject: ["tables": tableSpecs, "queries": queries.map(\.0)])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script, root.appendingPathComponent("Tests/Oracles").path]
    let stdin = Pipe()
    let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-duckdb-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outFile) }
    let handle = try FileHandle(forWritingTo: outFile)
    process.standardInput = stdin
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    let text = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
    guard process.terminationStatus == 0 else { throw OracleFailure(description: text) }
    let line = text.split(separator: "\n").last.map(String.init) ?? ""
    let expected = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String]] ?? []
    #expect(expected.count == queries.count)
    for ((sql, batch), want) in zip(queries, expected) {
      var got: [String] = []
      for row in 0..<batch.rowCount {
        var bytes: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &bytes)
        got.append(String(decoding: bytes, as: UTF8.self))
      }
      got.sort()
      let firstDifference = zip(got, want).first { $0 != $1 }.map { "avocet: \($0)\nduckdb: \($1)" } ?? "row counts \(got.count) vs \(want.count)"
      #expect(got == want, "\(sql)\n\(firstDifference)")
    }
  }
}
