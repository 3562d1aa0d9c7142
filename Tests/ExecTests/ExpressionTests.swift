import Columnar
import Exec
import Expr
import Testing

func batch(_ columns: [(String, DataType, [ScalarValue])]) throws -> RecordBatch {
  let vectors = try columns.map { try ColumnVector.from($0.2, type: $0.1) }
  return try RecordBatch(schema: Schema(columns.map { Field($0.0, $0.1) }), columns: vectors, rowCount: columns.first?.2.count ?? 0)
}

func values(_ v: ColumnVector) -> [ScalarValue] { (0..<v.count).map { ScalarValue(from: v, row: $0) } }

@Suite struct PhysicalExpressionTests {
  let tri: [ScalarValue] = [.boolean(true), .boolean(false), .null]

  @Test func kleeneTruthTables() throws {
    var a: [ScalarValue] = []
    var b: [ScalarValue] = []
    for x in tri { for y in tri { a.append(x); b.append(y) } }
    let input = try batch([("a", .boolean, a), ("b", .boolean, b)])
    let and = values(try PhysicalExpression.and(.column(0), .column(1)).evaluate(input))
    let or = values(try PhysicalExpression.or(.column(0), .column(1)).evaluate(input))
    let t = ScalarValue.boolean(true), f = ScalarValue.boolean(false), n = ScalarValue.null
    #expect(and == [t, f, n, f, f, f, n, f, n])
    #expect(or == [t, t, t, t, f, n, t, n, n])
    #expect(values(try PhysicalExpression.not(.column(0)).evaluate(input)) == [f, f, f, t, t, t, n, n, n])
  }

  @Test func comparisonsWithNulls() throws {
    let input = try batch([("x", .int32, [.int64(1), .null, .int64(5)]), ("s", .string, [.string("a"), .string("b"), .null])])
    #expect(values(try PhysicalExpression.column(0, .less, .int64(3)).evaluate(input)) == [.boolean(true), .null, .boolean(false)])
    #expect(values(try PhysicalExpression.column(1, .equal, .string("b")).evaluate(input)) == [.boolean(false), .boolean(true), .null])
    #expect(values(try PhysicalExpression.isNull(.column(0), negated: false).evaluate(input)) == [.boolean(false), .boolean(true), .boolean(false)])
    #expect(try PhysicalExpression.column(0, .greaterOrEqual, .int64(1)).selection(input).setIndices() == [0, 2])
  }

  @Test func dictionaryComparisonAndInList() throws {
    let dictionary = try ColumnVector.from([.string("in"), .string("out")], type: .string)
    let column = ColumnVector(type: .string, count: 4, validity: Bitmap(words: [0b1011], count: 4), storage: .dictionary(indices: [0, 1, 0, 1], dictionary: dictionary))
    let input = try RecordBatch(schema: Schema([Field("d", .string)]), columns: [column], rowCount: 4)
    #expect(values(try PhysicalExpression.column(0, .equal, .string("in")).evaluate(input)) == [.boolean(true), .boolean(false), .null, .boolean(false)])
    #expect(values(try PhysicalExpression.inList(.column(0), [.string("out")], negated: true).evaluate(input)) == [.boolean(true), .boolean(false), .null, .boolean(false)])
    // A miss against a list holding NULL is NULL.
    #expect(values(try PhysicalExpression.inList(.column(0), [.string("x"), .null]).evaluate(input)) == [.null, .null, .null, .null])
  }

  @Test func likeAndArithmetic() throws {
    let input = try batch([("s", .string, [.string("abc"), .string("xbz"), .null]), ("i", .int64, [.int64(7), .int64(0), .null])])
    #expect(values(try PhysicalExpression.like(.column(0), "_b%").evaluate(input)) == [.boolean(true), .boolean(true), .null])
    #expect(values(try PhysicalExpression.like(.column(0), "A%", caseInsensitive: true).evaluate(input)) == [.boolean(true), .boolean(false), .null])
    #expect(values(try PhysicalExpression.arithmetic(.integerDivide, .literal(.int64(7)), .column(1)).evaluate(input)) == [.int64(1), .null, .null])
    #expect(values(try PhysicalExpression.arithmetic(.divide, .column(1), .literal(.int64(2))).evaluate(input)) == [.float64(3.5), .float64(0), .null])
    #expect(throws: ExecError.self) {
      try PhysicalExpression.arithmetic(.add, .column(1), .literal(.int64(.max))).evaluate(input)
    }
  }

  @Test func caseCoalesceCastAndFunctions() throws {
    let input = try batch([("i", .int64, [.int64(1), .null, .int64(3)]), ("s", .string, [.string("Ab"), .string("12"), .null])])
    let c = PhysicalExpression.caseWhen([CaseBranch(when: .column(0, .equal, .int64(1)), then: .literal(.string("one")))], else: .literal(.string("other")))
    #expect(values(try c.evaluate(input)) == [.string("one"), .string("other"), .string("other")])
    #expect(values(try PhysicalExpression.coalesce([.column(0), .literal(.int64(9))]).evaluate(input)) == [.int64(1), .int64(9), .int64(3)])
    #expect(values(try PhysicalExpression.cast(.column(1), to: .int64, safe: true).evaluate(input)) == [.null, .int64(12), .null])
    #expect(values(try PhysicalExpression.function(.upper, [.column(1)]).evaluate(input)) == [.string("AB"), .string("12"), .null])
    #expect(values(try PhysicalExpression.function(.length, [.column(1)]).evaluate(input)) == [.int64(2), .int64(2), .null])
    let regex = try CompiledRegex("^data/([^/]+)/")
    let paths = try batch([("k", .string, [.string("data/a/x"), .string("other")])])
    #expect(values(try PhysicalExpression.function(.regexpExtract(regex, group: 1), [.column(0)]).evaluate(paths)) == [.string("a"), .string("")])
  }

  @Test func emptyInput() throws {
    let input = try batch([("x", .int64, [])])
    #expect(try PhysicalExpression.column(0, .equal, .int64(1)).evaluate(input).count == 0)
  }
}

@Suite struct HashAggregateTests {
  @Test func groupsWithNullsAndEmptyInput() throws {
    let input = try batch([("k", .string, [.string("a"), .null, .string("a"), .string("b")]), ("v", .int64, [.int64(1), .int64(2), .null, .int64(4)])])
    var agg = HashAggregate(groupBy: [.column(0)], groupNames: ["k"], aggregates: [
      AggregateSpec(.countStar, as: "n"), AggregateSpec(.count, .column(1), as: "c"), AggregateSpec(.sum, .column(1), as: "s"),
      AggregateSpec(.max, .column(1), as: "mx"), AggregateSpec(.countDistinct, .column(1), as: "d"),
    ])
    try agg.accumulate(input)
    let out = try agg.finish()
    #expect(out.rowCount == 3)
    var rows: [String] = []
    for r in 0..<out.rowCount { var b: [UInt8] = []; ValueRenderer.appendJSONRow(out, row: r, to: &b); rows.append(String(decoding: b, as: UTF8.self)) }
    #expect(rows.sorted() == [
      #"{"k":"a","n":2,"c":1,"s":1,"mx":1,"d":1}"#, #"{"k":"b","n":1,"c":1,"s":4,"mx":4,"d":1}"#, #"{"k":null,"n":1,"c":1,"s":2,"mx":2,"d":1}"#,
    ])
    var global = HashAggregate(groupBy: [], groupNames: [], aggregates: [AggregateSpec(.countStar, as: "n"), AggregateSpec(.sum, .column(1), as: "s")])
    try global.accumulate(try batch([("k", .string, []), ("v", .int64, [])]))
    let empty = try global.finish()
    #expect(values(empty.columns[0]) == [.int64(0)])
    #expect(values(empty.columns[1]) == [.null])
  }

  @Test func partialAggregatesMerge() throws {
    let one = try batch([("k", .int32, [.int64(1), .int64(2)]), ("v", .int64, [.int64(10), .int64(20)])])
    let two = try batch([("k", .int32, [.int64(2), .int64(3)]), ("v", .int64, [.int64(5), .int64(7)])])
    let specs = [AggregateSpec(.sum, .column(1), as: "s"), AggregateSpec(.min, .column(1), as: "m")]
    var a = HashAggregate(groupBy: [.column(0)], groupNames: ["k"], aggregates: specs)
    var b = a
    try a.accumulate(one)
    try b.accumulate(two)
    try a.merge(b)
    let out = try a.finish()
    let order = try Sorting.sortedIndices(out, keys: [SortKey(.column(0))])
    let sorted = try out.gather(order)
    #expect(values(sorted.columns[0]) == [.int64(1), .int64(2), .int64(3)])
    #expect(values(sorted.columns[1]) == [.int64(10), .int64(25), .int64(7)])
    #expect(values(sorted.columns[2]) == [.int64(10), .int64(5), .int64(7)])
  }

  @Test func memoryLimitError() throws {
    let keys = (0..<10_000).map { ScalarValue.string("key-\($0)") }
    var agg = HashAggregate(groupBy: [.column(0)], groupNames: ["k"], aggregates: [], budget: MemoryBudget(limit: 4096))
    let error = #expect(throws: ExecError.self) { try agg.accumulate(try batch([("k", .string, keys)])) }
    #expect(error?.message.contains("memory limit in HashAggregate") == true)
  }
}

@Suite struct SortTests {
  @Test func multiKeyStableWithNulls() throws {
    let input = try batch([("a", .int64, [.int64(2), .null, .int64(1), .int64(2), .int64(1)]), ("b", .string, [.string("x"), .string("y"), .string("z"), .string("w"), .string("z")])])
    let asc = try Sorting.sortedIndices(input, keys: [SortKey(.column(0))])
    #expect(asc == [2, 4, 0, 3, 1])
    let desc = try Sorting.sortedIndices(input, keys: [SortKey(.column(0), descending: true, nullsFirst: true), SortKey(.column(1))])
    #expect(desc == [1, 3, 0, 2, 4])
    let top = try Sorting.topIndices(input, keys: [SortKey(.column(0))], limit: 2)
    #expect(top == [2, 4])
    var topN = TopN([SortKey(.column(0), descending: true)], limit: 2)
    try topN.accumulate(input)
    try topN.accumulate(input)
    #expect(values(topN.finish()!.columns[1]) == [.string("x"), .string("w")])
  }

  @Test func limitOffset() throws {
    let input = try batch([("a", .int64, (0..<5).map { .int64($0) })])
    var limit = Limit(limit: 3, offset: 2)
    #expect(values(try limit.apply(input)!.columns[0]) == [.int64(2), .int64(3), .int64(4)])
    #expect(try limit.apply(input) == nil)
  }
}
