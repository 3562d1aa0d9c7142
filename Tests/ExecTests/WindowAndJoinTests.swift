import Columnar
import Exec
import Expr
import Testing

@Suite struct WindowTests {
  /// Seed query d's shape: ROW_NUMBER() OVER (PARTITION BY internal_ip ORDER BY event_time DESC).
  @Test func rowNumberPerPartitionNewestFirst() throws {
    let input = try batch([
      ("internal_ip", .string, [.string("10.0.0.1"), .string("10.0.0.2"), .string("10.0.0.1"), .null, .string("10.0.0.1")]),
      ("event_time", .int64, [.int64(5), .int64(1), .int64(9), .int64(3), .int64(7)]),
    ])
    var window = Window([WindowFunction(.rowNumber, partitionBy: [.column(0)], orderBy: [SortKey(.column(1), descending: true)], as: "row_num")])
    try window.accumulate(input)
    let out = try window.finish()
    #expect(out.schema.fields.map(\.name) == ["internal_ip", "event_time", "row_num"])
    #expect(values(out.columns[2]) == [.int64(3), .int64(1), .int64(1), .int64(1), .int64(2)])
  }

  @Test func peersShareTheDefaultFrame() throws {
    let input = try batch([("k", .int64, [.int64(1), .int64(2), .int64(2), .int64(3)]), ("v", .int64, [.int64(10), .int64(20), .null, .int64(40)])])
    var window = Window([
      WindowFunction(.sum, .column(1), orderBy: [SortKey(.column(0))], as: "running"),
      WindowFunction(.rank, orderBy: [SortKey(.column(0))], as: "rank"),
      WindowFunction(.lastValue, .column(1), orderBy: [SortKey(.column(0))], frame: WindowFrame(.rows, from: .unboundedPreceding, to: .unboundedFollowing), as: "last"),
    ])
    try window.accumulate(input)
    let out = try window.finish()
    #expect(values(out.columns[2]) == [.int64(10), .int64(30), .int64(30), .int64(70)])
    #expect(values(out.columns[3]) == [.int64(1), .int64(2), .int64(2), .int64(4)])
    #expect(values(out.columns[4]) == [.int64(40), .int64(40), .int64(40), .int64(40)])
  }

  @Test func emptyInputAndRangeOffsetsRejected() throws {
    let empty = try batch([("k", .int64, [])])
    var window = Window([WindowFunction(.rowNumber, as: "rn")])
    try window.accumulate(empty)
    #expect(try window.finish().rowCount == 0)
    var ranged = Window([WindowFunction(.sum, .column(0), orderBy: [SortKey(.column(0))], frame: WindowFrame(.range, from: .preceding(1), to: .currentRow), as: "s")])
    try ranged.accumulate(try batch([("k", .int64, [.int64(1)])]))
    #expect(throws: ExecError.self) { try ranged.finish() }
  }
}

@Suite struct HashJoinTests {
  let left: [(String, DataType, [ScalarValue])] = [("lk", .int32, [.int64(1), .int64(2), .null, .int64(2)]), ("lv", .string, [.string("a"), .string("b"), .string("c"), .string("d")])]
  let right: [(String, DataType, [ScalarValue])] = [("rk", .int64, [.int64(2), .null, .int64(3), .int64(2)]), ("rv", .string, [.string("x"), .string("y"), .string("z"), .string("w")])]

  func run(_ type: JoinType) throws -> [String] {
    let out = try HashJoin.join(type, try batch(left), try batch(right), leftKeys: [.column(0)], rightKeys: [.column(0)])
    return (0..<out.rowCount).map { row in out.columns.map { ValueRenderer.text($0, row: row) }.joined(separator: ",") }.sorted()
  }

  @Test func nullKeysNeverMatch() throws {
    #expect(try run(.inner) == ["2,b,2,w", "2,b,2,x", "2,d,2,w", "2,d,2,x"])
    #expect(try run(.left) == ["1,a,,", "2,b,2,w", "2,b,2,x", "2,d,2,w", "2,d,2,x", ",c,,"].sorted())
    #expect(try run(.right) == ["2,b,2,w", "2,b,2,x", "2,d,2,w", "2,d,2,x", ",,,y", ",,3,z"].sorted())
    #expect(try run(.full).count == 8)
    #expect(try run(.semi) == ["2,b", "2,d"])
    #expect(try run(.anti) == ["1,a", ",c"].sorted())
  }

  @Test func emptySides() throws {
    let none = try batch([("rk", .int64, []), ("rv", .string, [])])
    let out = try HashJoin.join(.left, try batch(left), none, leftKeys: [.column(0)], rightKeys: [.column(0)])
    #expect(out.rowCount == 4)
    #expect(out.columns[2].nullCount == 4)
    #expect(try HashJoin.join(.inner, none, try batch(left), leftKeys: [.column(0)], rightKeys: [.column(0)]).rowCount == 0)
  }
}

@Suite struct ByteKeyTableGrowthTests {
  /// Many distinct keys across batches and partial aggregates: every rehash and arena growth path.
  @Test func manyGroupsAcrossBatchesAndMerge() throws {
    let keys = (0..<60_000).map { ScalarValue.string("key-\($0 % 45_000)") }
    var a = HashAggregate(groupBy: [.column(0)], groupNames: ["k"], aggregates: [AggregateSpec(.countStar, as: "n")])
    var b = a
    for start in stride(from: 0, to: keys.count, by: 7_000) {
      let part = try batch([("k", .string, Array(keys[start..<min(start + 7_000, keys.count)]))])
      if start % 14_000 == 0 { try a.accumulate(part) } else { try b.accumulate(part) }
    }
    try a.merge(b)
    let out = try a.finish()
    #expect(out.rowCount == 45_000)
    guard case .int64(let counts) = out.columns[1].storage else { throw ExecError(.typeMismatch, "counts") }
    #expect(counts.reduce(0, +) == 60_000)
    for row in [0, 14_999, 15_000, 44_999] {
      let key = ValueRenderer.text(out.columns[0], row: row)
      let n = Int(key.dropFirst(4))!
      #expect(counts[row] == (n < 15_000 ? 2 : 1))
    }
  }
}
