import Columnar
import Exec
import Expr
import Testing

/// A partitioned aggregate must give exactly the groups one `HashAggregate` gives, whatever the
/// key storage, however the rows are split between workers, and whether or not each split.
@Suite struct PartitionedAggregateTests {
  static let specs = [
    AggregateSpec(.countStar, as: "n"), AggregateSpec(.sum, .column(1), as: "s"),
    AggregateSpec(.min, .column(1), as: "mn"), AggregateSpec(.max, .column(2), as: "mx"),
    AggregateSpec(.countDistinct, .column(1), as: "d"), AggregateSpec(.avg, .column(1), as: "a"),
    AggregateSpec(.count, .column(1), filter: .column(1, .greater, .int64(40)), as: "f"),
  ]

  /// Rows `range` of a table: a string key with about `distinct` values (every 97th NULL),
  /// an int64 value (every 13th NULL) and a string value.
  static func rows(_ range: Range<Int>, distinct: Int, dictionary: Bool) throws -> RecordBatch {
    var keys: [ScalarValue] = []
    var numbers: [ScalarValue] = []
    var labels: [ScalarValue] = []
    for i in range {
      let k = (i &* 7_919) % distinct
      keys.append(i % 97 == 0 ? .null : .string("10.\(k % 251).\(k / 251 % 256).\(k / 64_256)"))
      numbers.append(i % 13 == 0 ? .null : .int64(Int64(i % 100)))
      labels.append(.string("v\(i % 31)"))
    }
    var b = try batch([("k", .string, keys), ("v", .int64, numbers), ("l", .string, labels)])
    if dictionary {
      // The same keys as a dictionary of all distinct values in the batch.
      var entries: [String: Int32] = [:]
      var order: [ScalarValue] = []
      var indices: [Int32] = []
      var valid: [Bool] = []
      for key in keys {
        guard case .string(let text) = key else {
          indices.append(0)
          valid.append(false)
          continue
        }
        if entries[text] == nil {
          entries[text] = Int32(order.count)
          order.append(key)
        }
        indices.append(entries[text]!)
        valid.append(true)
      }
      let dictionaryColumn = try batch([("e", .string, order)]).columns[0]
      let column = ColumnVector(
        type: .string, count: keys.count, validity: validity(valid),
        storage: .dictionary(indices: indices, dictionary: dictionaryColumn))
      b = try RecordBatch.make(schema: b.schema, columns: [column, b.columns[1], b.columns[2]], rowCount: b.rowCount)
    }
    return b
  }

  static func validity(_ valid: [Bool]) -> Bitmap {
    var bitmap = Bitmap(repeating: true, count: valid.count)
    for (i, v) in valid.enumerated() where !v { bitmap[i] = false }
    return bitmap
  }

  /// Every row of `result`, as sorted JSON lines.
  static func lines(_ results: [RecordBatch]) -> [String] {
    var out: [String] = []
    for result in results {
      for r in 0..<result.rowCount {
        var b: [UInt8] = []
        ValueRenderer.appendJSONRow(result, row: r, to: &b)
        out.append(String(decoding: b, as: UTF8.self))
      }
    }
    return out.sorted()
  }

  /// Runs the rows through one `HashAggregate` and through partials fed alternately.
  static func compare(
    groupBy: [PhysicalExpression], names: [String], rows: Int, distinct: Int, dictionary: Bool,
    workers: Int, batchSize: Int = 4_096, selection: PhysicalExpression? = nil, expectSplit: Bool
  ) throws {
    var reference = HashAggregate(groupBy: groupBy, groupNames: names, aggregates: specs)
    let shared = SharedPartitions(groupBy: groupBy, groupNames: names, aggregates: specs)
    var partials = (0..<workers).map { _ in
      PartitionedAggregate(groupBy: groupBy, groupNames: names, aggregates: specs, shared: shared)
    }
    var start = 0
    var index = 0
    while start < rows {
      let b = try Self.rows(start..<min(rows, start + batchSize), distinct: distinct, dictionary: dictionary)
      let mask = try selection.map { try $0.selection(b) }
      try reference.accumulate(b, selection: mask)
      // Worker 0 takes most batches, so with several workers one may stay below the split.
      let worker = index % 5 == 4 ? index % workers : 0
      try partials[worker].accumulate(b, selection: mask)
      start += batchSize
      index += 1
    }
    #expect(partials.contains(where: \.isSplit) == expectSplit)
    let merged = try PartitionedAggregate.finish(partials, threads: 2)
    if expectSplit { #expect(merged.count > 1) }
    let expected = lines([try reference.finish()])
    let got = lines(merged)
    #expect(got.count == expected.count)
    #expect(got == expected)
  }

  @Test func plainStringKeysSplitAndMergeLikeOneTable() throws {
    try Self.compare(groupBy: [.column(0)], names: ["k"], rows: 120_000, distinct: 60_000, dictionary: false, workers: 2, expectSplit: true)
  }

  @Test func dictionaryStringKeysSplitAndMergeLikeOneTable() throws {
    try Self.compare(groupBy: [.column(0)], names: ["k"], rows: 120_000, distinct: 60_000, dictionary: true, workers: 3, expectSplit: true)
  }

  @Test func compositeKeysSplitAndMergeLikeOneTable() throws {
    try Self.compare(
      groupBy: [.column(0), .column(2)], names: ["k", "l"], rows: 100_000, distinct: 40_000, dictionary: false, workers: 2,
      expectSplit: true)
  }

  @Test func aSelectionBelowTheAggregateIsHonoured() throws {
    try Self.compare(
      groupBy: [.column(0)], names: ["k"], rows: 150_000, distinct: 100_000, dictionary: false, workers: 2,
      selection: .column(1, .greater, .int64(20)), expectSplit: true)
  }

  @Test func fewGroupsStayInOneTable() throws {
    try Self.compare(groupBy: [.column(0)], names: ["k"], rows: 50_000, distinct: 500, dictionary: true, workers: 2, expectSplit: false)
  }
}
