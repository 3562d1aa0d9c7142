import Testing

@testable import Expr

@Suite struct PruningTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let predicate: Predicate
    let stats: TestStats
    let mightMatch: Bool
    var testDescription: String { "\(name): \(predicate)" }
    init(_ name: String, _ predicate: Predicate, _ stats: TestStats, _ mightMatch: Bool) {
      self.name = name
      self.predicate = predicate
      self.stats = stats
      self.mightMatch = mightMatch
    }
  }

  /// x in [10, 20], no nulls, 100 rows.
  static let ints = TestStats(rows: 100, min: ["x": int(10)], max: ["x": int(20)], nulls: ["x": 0])
  /// x in [10, 20] with 5 nulls.
  static let intsWithNulls = TestStats(rows: 100, min: ["x": int(10)], max: ["x": int(20)], nulls: ["x": 5])
  /// Every x is 5.
  static let constant = TestStats(rows: 10, min: ["x": int(5)], max: ["x": int(5)], nulls: ["x": 0])
  /// Every x is 5 or null.
  static let constantWithNulls = TestStats(rows: 10, min: ["x": int(5)], max: ["x": int(5)], nulls: ["x": 3])
  /// Every x is null (writers leave min/max out).
  static let allNull = TestStats(rows: 10, nulls: ["x": 10])
  /// Nothing known.
  static let unknown = TestStats()
  /// Only the row count known.
  static let onlyRows = TestStats(rows: 10)

  static let comparisonCases: [Case] = [
    // =
    Case("= inside", cmp("x", .equal, int(15)), ints, true),
    Case("= at min", cmp("x", .equal, int(10)), ints, true),
    Case("= at max", cmp("x", .equal, int(20)), ints, true),
    Case("= below", cmp("x", .equal, int(9)), ints, false),
    Case("= above", cmp("x", .equal, int(21)), ints, false),
    Case("= above, nulls", cmp("x", .equal, int(21)), intsWithNulls, false),
    Case("= unknown stats", cmp("x", .equal, int(21)), unknown, true),
    Case("= only rows", cmp("x", .equal, int(21)), onlyRows, true),
    Case("= all null", cmp("x", .equal, int(15)), allNull, false),
    Case("= NULL", cmp("x", .equal, .null), ints, false),
    Case("= other column", cmp("y", .equal, int(21)), ints, true),
    // <, <=
    Case("< min", cmp("x", .less, int(10)), ints, false),
    Case("< above min", cmp("x", .less, int(11)), ints, true),
    Case("<= min", cmp("x", .lessOrEqual, int(10)), ints, true),
    Case("<= below min", cmp("x", .lessOrEqual, int(9)), ints, false),
    Case("< all null", cmp("x", .less, int(100)), allNull, false),
    // >, >=
    Case("> max", cmp("x", .greater, int(20)), ints, false),
    Case("> below max", cmp("x", .greater, int(19)), ints, true),
    Case(">= max", cmp("x", .greaterOrEqual, int(20)), ints, true),
    Case(">= above max", cmp("x", .greaterOrEqual, int(21)), ints, false),
    Case("> only min known", cmp("x", .greater, int(100)), TestStats(rows: 5, min: ["x": int(1)]), true),
    Case("< only max known", cmp("x", .less, int(-100)), TestStats(rows: 5, max: ["x": int(1)]), true),
    // !=
    Case("!= constant same", cmp("x", .notEqual, int(5)), constant, false),
    Case("!= constant other", cmp("x", .notEqual, int(6)), constant, true),
    Case("!= constant with nulls", cmp("x", .notEqual, int(5)), constantWithNulls, false),
    Case("!= range", cmp("x", .notEqual, int(15)), ints, true),
    Case("!= all null", cmp("x", .notEqual, int(15)), allNull, false),
    Case("!= NULL", cmp("x", .notEqual, .null), ints, false),
    // Empty units.
    Case("empty unit", .literal(true), TestStats(rows: 0), false),
    Case("literal true", .literal(true), unknown, true),
    Case("literal false", .literal(false), unknown, false),
  ]

  static let nullCases: [Case] = [
    Case("IS NULL, no nulls", .isNull(col("x"), negated: false), ints, false),
    Case("IS NULL, some nulls", .isNull(col("x"), negated: false), intsWithNulls, true),
    Case("IS NULL, unknown", .isNull(col("x"), negated: false), onlyRows, true),
    Case("IS NULL, all null", .isNull(col("x"), negated: false), allNull, true),
    Case("IS NOT NULL, all null", .isNull(col("x"), negated: true), allNull, false),
    Case("IS NOT NULL, some nulls", .isNull(col("x"), negated: true), intsWithNulls, true),
    Case("IS NOT NULL, rows unknown", .isNull(col("x"), negated: true), TestStats(nulls: ["x": 10]), true),
    Case("NOT IS NULL, no nulls", .not(.isNull(col("x"), negated: false)), ints, true),
    Case("NOT IS NULL, all null", .not(.isNull(col("x"), negated: false)), allNull, false),
    Case("NOT IS NOT NULL, no nulls", .not(.isNull(col("x"), negated: true)), ints, false),
    Case("IS NULL AND = ", .and([.isNull(col("x"), negated: false), cmp("x", .equal, int(15))]), intsWithNulls, true),
  ]

  static let inListCases: [Case] = [
    Case("IN hit", .inList(col("x"), [int(1), int(15)], negated: false), ints, true),
    Case("IN miss", .inList(col("x"), [int(1), int(25)], negated: false), ints, false),
    Case("IN with NULL miss", .inList(col("x"), [.null, int(25)], negated: false), ints, false),
    Case("IN empty", .inList(col("x"), [], negated: false), ints, false),
    Case("IN all null", .inList(col("x"), [int(5)], negated: false), allNull, false),
    Case("IN unknown", .inList(col("x"), [int(5)], negated: false), unknown, true),
    Case("IN float hit", .inList(col("x"), [dbl(10.5), dbl(20.0)], negated: false), ints, true),
    Case("IN float miss", .inList(col("x"), [dbl(20.5)], negated: false), ints, false),
    Case("NOT IN constant", .inList(col("x"), [int(4), int(5)], negated: true), constant, false),
    Case("NOT IN constant miss", .inList(col("x"), [int(4), int(6)], negated: true), constant, true),
    Case("NOT IN range", .inList(col("x"), [int(10), int(20)], negated: true), ints, true),
    Case("NOT IN with NULL", .inList(col("x"), [int(1), .null], negated: true), ints, false),
    Case("NOT IN empty, all null", .inList(col("x"), [], negated: true), allNull, true),
    Case("NOT (IN) constant", .not(.inList(col("x"), [int(5)], negated: false)), constant, false),
    Case("NOT (NOT IN) miss", .not(.inList(col("x"), [int(1), int(25)], negated: true)), ints, false),
  ]

  static let notCases: [Case] = [
    Case("NOT = on constant", .not(cmp("x", .equal, int(5))), constant, false),
    Case("NOT = on range", .not(cmp("x", .equal, int(5))), ints, true),
    Case("NOT = on all null", .not(cmp("x", .equal, int(5))), allNull, false),
    Case("NOT != constant", .not(cmp("x", .notEqual, int(5))), constant, true),
    Case("NOT != range miss", .not(cmp("x", .notEqual, int(5))), ints, false),
    Case("NOT < (>= max)", .not(cmp("x", .less, int(21))), ints, false),
    Case("NOT < (>= inside)", .not(cmp("x", .less, int(20))), ints, true),
    Case("NOT > (<= below min)", .not(cmp("x", .greater, int(9))), ints, false),
    Case("NOT NOT", .not(.not(cmp("x", .equal, int(25)))), ints, false),
    Case("NOT = NULL", .not(cmp("x", .equal, .null)), ints, false),
    Case(
      "NOT (a AND b): one side satisfiable",
      .not(.and([cmp("x", .greaterOrEqual, int(10)), cmp("x", .lessOrEqual, int(15))])), ints, true),
    Case(
      "NOT (a AND b): neither side",
      .not(.and([cmp("x", .greaterOrEqual, int(10)), cmp("x", .lessOrEqual, int(20))])), ints, false),
    Case(
      "NOT (a OR b) prunes when one negation fails",
      .not(.or([cmp("x", .less, int(30)), cmp("y", .equal, int(1))])), ints, false),
    Case("NOT (a OR b) both fine", .not(.or([cmp("x", .less, int(12)), cmp("x", .greater, int(18))])), ints, true),
    Case("NOT TRUE", .not(.literal(true)), unknown, false),
    Case("NOT empty AND", .not(.and([])), unknown, false),
    Case("NOT empty OR", .not(.or([])), unknown, true),
  ]

  static let booleanCases: [Case] = [
    Case("AND both", .and([cmp("x", .greater, int(12)), cmp("x", .less, int(18))]), ints, true),
    Case("AND one fails", .and([cmp("x", .greater, int(12)), cmp("x", .greater, int(30))]), ints, false),
    Case("OR one", .or([cmp("x", .greater, int(30)), cmp("x", .equal, int(15))]), ints, true),
    Case("OR none", .or([cmp("x", .greater, int(30)), cmp("x", .less, int(0))]), ints, false),
    Case("OR unknown side", .or([cmp("x", .greater, int(30)), cmp("y", .less, int(0))]), ints, true),
    Case("empty AND", .and([]), ints, true),
    Case("empty OR", .or([]), ints, false),
    Case(
      "two columns", .and([cmp("x", .equal, int(15)), cmp("y", .equal, str("b"))]),
      TestStats(rows: 3, min: ["x": int(10), "y": str("c")], max: ["x": int(20), "y": str("d")]), false),
    Case(
      "nested path", cmp("a.b", .equal, int(3)),
      TestStats(rows: 3, min: ["a.b": int(4)], max: ["a.b": int(9)]), false),
  ]

  /// Literals of another type than the statistics: coerced when the families match, never pruned otherwise.
  static let coercionCases: [Case] = [
    Case("int column, float literal between", cmp("x", .equal, dbl(15.5)), ints, true),
    Case("int column, float literal above", cmp("x", .greater, dbl(20.5)), ints, false),
    Case("int column, float literal just above max", cmp("x", .greaterOrEqual, dbl(20.000001)), ints, false),
    Case("int column, decimal literal at max", cmp("x", .equal, dec(2000, 2)), ints, true),
    Case("int column, decimal literal past max", cmp("x", .equal, dec(2001, 2)), ints, false),
    Case("int column, decimal literal below min", cmp("x", .less, dec(1000, 2)), ints, false),
    Case(
      "decimal column, int literal", cmp("d", .greater, int(3)),
      TestStats(rows: 1, min: ["d": dec(100, 2)], max: ["d": dec(300, 2)]), false),
    Case(
      "decimal column, int literal at max", cmp("d", .greaterOrEqual, int(3)),
      TestStats(rows: 1, min: ["d": dec(100, 2)], max: ["d": dec(300, 2)]), true),
    Case(
      "decimal column, other scale", cmp("d", .equal, dec(3001, 3)),
      TestStats(rows: 1, min: ["d": dec(100, 2)], max: ["d": dec(300, 2)]), false),
    Case(
      "float column, int literal", cmp("f", .greater, int(2)),
      TestStats(rows: 1, min: ["f": dbl(0.5)], max: ["f": dbl(1.5)]), false),
    Case(
      "date column, timestamp literal", cmp("d", .greater, ts(86_400_000_000)),
      TestStats(rows: 1, min: ["d": .date(0)], max: ["d": .date(1)]), false),
    Case(
      "date column, timestamp literal inside", cmp("d", .greater, ts(86_399_999_999)),
      TestStats(rows: 1, min: ["d": .date(0)], max: ["d": .date(1)]), true),
    Case(
      "timestamp column, date literal", cmp("t", .less, .date(1)),
      TestStats(rows: 1, min: ["t": ts(86_400_000_000)], max: ["t": ts(90_000_000_000)]), false),
    Case(
      "timestamp column, date literal equal", cmp("t", .equal, .date(1)),
      TestStats(rows: 1, min: ["t": ts(86_400_000_000)], max: ["t": ts(90_000_000_000)]), true),
    Case("int column, string literal", cmp("x", .equal, str("99")), ints, true),
    Case("int column, string literal !=", cmp("x", .notEqual, str("5")), constant, true),
    Case("int column, date literal", cmp("x", .less, .date(0)), ints, true),
    Case(
      "utc column, wall-clock literal", cmp("t", .greater, ts(1_000_000_000_000, utc: false)),
      TestStats(rows: 1, min: ["t": ts(0)], max: ["t": ts(10)]), true),
    Case(
      "bool column", cmp("b", .equal, .boolean(true)),
      TestStats(rows: 1, min: ["b": .boolean(false)], max: ["b": .boolean(false)]), false),
  ]

  /// x in [1.0, 2.0]; y with a NaN max (Spark writes NaN as the max when a NaN is present).
  static let floats = TestStats(
    rows: 10, min: ["x": dbl(1), "y": dbl(1), "z": dbl(.nan)], max: ["x": dbl(2), "y": dbl(.nan), "z": dbl(.nan)],
    nulls: ["x": 0, "y": 0, "z": 0])
  static let constantFloat = TestStats(rows: 10, min: ["x": dbl(5)], max: ["x": dbl(5)], nulls: ["x": 0])

  static let nanCases: [Case] = [
    Case("> max", cmp("x", .greater, dbl(3)), floats, false),
    Case("< min", cmp("x", .less, dbl(0.5)), floats, false),
    Case("NaN max is unknown for >", cmp("y", .greater, dbl(3)), floats, true),
    Case("NaN max, min still prunes <", cmp("y", .less, dbl(0.5)), floats, false),
    Case("NaN min and max", cmp("z", .less, dbl(0.5)), floats, true),
    Case("NaN literal =", cmp("x", .equal, dbl(.nan)), floats, true),
    Case("NaN literal <", cmp("x", .less, dbl(.nan)), floats, true),
    Case("NaN literal IN", .inList(col("x"), [dbl(.nan)], negated: false), floats, true),
    // A hidden NaN row satisfies !=, NOT IN and negated comparisons.
    Case("!= on constant float", cmp("x", .notEqual, dbl(5)), constantFloat, true),
    Case("NOT = on constant float", .not(cmp("x", .equal, dbl(5))), constantFloat, true),
    Case("NOT IN on constant float", .inList(col("x"), [dbl(5)], negated: true), constantFloat, true),
    Case("NOT > on floats", .not(cmp("x", .greater, dbl(0))), floats, true),
    Case("NOT != on floats still prunes", .not(cmp("x", .notEqual, dbl(7))), floats, false),
    Case(
      "!= on all-null float", cmp("x", .notEqual, dbl(5)),
      TestStats(rows: 3, min: ["x": dbl(5)], max: ["x": dbl(5)], nulls: ["x": 3]), false),
  ]

  /// s in ["apple", "banana"]; t a Spark-truncated max with the newer 0x7F tie-breaker;
  /// u an old-Spark max ending in U+FFFD; v a max truncated to a bare prefix.
  static let strings = TestStats(
    rows: 100,
    min: ["s": str("apple"), "t": str("aaaa"), "u": str("k"), "v": str("a"), "w": str("a")],
    max: [
      "s": str("banana"), "t": str("mmmm\u{7F}"), "u": str("mmmm\u{FFFD}"), "v": str("mmmm"),
      "w": str("mmmm\u{10FFFF}"),
    ],
    nulls: ["s": 0, "t": 0, "u": 0, "v": 0, "w": 0])

  static let stringCases: [Case] = [
    Case("= inside", cmp("s", .equal, str("avocado")), strings, true),
    Case("= below min", cmp("s", .equal, str("aardvark")), strings, false),
    Case("= above max", cmp("s", .equal, str("cherry")), strings, false),
    Case("= min is a prefix", cmp("s", .equal, str("apple pie")), strings, true),
    // UTF-8 byte order: "Z" < "a", "é" > "z".
    Case("= uppercase sorts first", cmp("s", .equal, str("Zebra")), strings, false),
    Case("> non-ASCII sorts last", cmp("s", .less, str("é")), strings, true),
    Case("= non-ASCII above", cmp("s", .equal, str("é")), strings, false),
    // A max may be a prefix of the true max: values that extend it might be present.
    Case("= extends exact-looking max", cmp("s", .equal, str("bananas")), strings, true),
    Case("> extends max", cmp("s", .greater, str("banana split")), strings, true),
    Case(">= max itself", cmp("s", .greaterOrEqual, str("banana")), strings, true),
    Case("> max itself", cmp("s", .greater, str("banana")), strings, true),
    Case("> past max prefix", cmp("s", .greater, str("bananb")), strings, false),
    Case(
      "!= on a possibly truncated constant", cmp("s", .notEqual, str("x")),
      TestStats(rows: 3, min: ["s": str("x")], max: ["s": str("x")], nulls: ["s": 0]), true),
    // Tie-breakers: 0x7F, U+FFFD (old Spark), U+10FFFF (new Spark) are stripped.
    Case("0x7F max: below", cmp("t", .equal, str("mmmm")), strings, true),
    Case("0x7F max: extension", cmp("t", .equal, str("mmmmzzzz")), strings, true),
    Case("0x7F max: extension with non-ASCII", cmp("t", .equal, str("mmmm😀")), strings, true),
    Case("0x7F max: beyond", cmp("t", .equal, str("mmmn")), strings, false),
    Case("U+FFFD max: supplementary character above the tie-breaker", cmp("u", .equal, str("mmmm😀")), strings, true),
    Case("U+FFFD max: beyond", cmp("u", .greaterOrEqual, str("mmn")), strings, false),
    Case("U+10FFFF max: extension", cmp("w", .equal, str("mmmm\u{10FFFF}\u{10FFFF}")), strings, true),
    Case("U+10FFFF max: beyond", cmp("w", .greater, str("mmmn")), strings, false),
    Case("bare prefix max: extension", cmp("v", .equal, str("mmmmmm")), strings, true),
    Case("bare prefix max: beyond", cmp("v", .equal, str("mmmn")), strings, false),
    Case("IN with an extension", .inList(col("v"), [str("zz"), str("mmmmx")], negated: false), strings, true),
    Case("IN beyond", .inList(col("v"), [str("zz"), str("n")], negated: false), strings, false),
    // Lone surrogate split by an old writer: decoded as U+FFFD U+FFFD, both stripped.
    Case(
      "split surrogate", cmp("x", .equal, str("ab😀z")),
      TestStats(rows: 1, min: ["x": str("a")], max: ["x": str("ab\u{FFFD}\u{FFFD}")]), true),
  ]

  static let binaryCases: [Case] = [
    Case(
      "binary max trusted", cmp("b", .equal, .binary([1, 2, 3])),
      TestStats(rows: 1, min: ["b": .binary([0])], max: ["b": .binary([1, 2])]), false),
    Case(
      "binary max inexact", cmp("b", .equal, .binary([1, 2, 3])),
      TestStats(rows: 1, min: ["b": .binary([0])], max: ["b": .binary([1, 2])], inexactMax: ["b"]), true),
    Case(
      "binary max inexact beyond", cmp("b", .equal, .binary([1, 3])),
      TestStats(rows: 1, min: ["b": .binary([0])], max: ["b": .binary([1, 2])], inexactMax: ["b"]), false),
  ]

  /// Spark truncates timestamp statistics to milliseconds: a max of 12:00:00.123 covers
  /// 12:00:00.123999.
  static let noon: Int64 = 43_200_000_000
  static let timestamps = TestStats(
    rows: 10, min: ["t": ts(noon)], max: ["t": ts(noon + 123_000)], nulls: ["t": 0])
  static let timestampCases: [Case] = [
    Case("= inside truncated millisecond", cmp("t", .equal, ts(noon + 123_999)), timestamps, true),
    Case("= past truncated millisecond", cmp("t", .equal, ts(noon + 124_000)), timestamps, false),
    Case("> inside truncated millisecond", cmp("t", .greater, ts(noon + 123_500)), timestamps, true),
    Case(">= next millisecond", cmp("t", .greaterOrEqual, ts(noon + 124_000)), timestamps, false),
    Case("< min is exact", cmp("t", .less, ts(noon)), timestamps, false),
    Case("<= min", cmp("t", .lessOrEqual, ts(noon)), timestamps, true),
    Case(
      "!= on a truncated constant", cmp("t", .notEqual, ts(noon)),
      TestStats(rows: 2, min: ["t": ts(noon)], max: ["t": ts(noon)], nulls: ["t": 0]), true),
    Case(
      "wall-clock max widened too", cmp("t", .equal, ts(noon + 999, utc: false)),
      TestStats(rows: 2, min: ["t": ts(noon, utc: false)], max: ["t": ts(noon, utc: false)]), true),
    Case(
      "widening saturates", cmp("t", .greater, ts(.max - 1)),
      TestStats(rows: 2, min: ["t": ts(0)], max: ["t": ts(.max - 500)]), true),
  ]

  @Test(arguments: comparisonCases + nullCases + inListCases + notCases + booleanCases)
  func operators(_ testCase: Case) {
    #expect(Pruning.mightMatch(testCase.predicate, in: testCase.stats) == testCase.mightMatch)
  }

  @Test(arguments: coercionCases + nanCases)
  func coercionAndNaN(_ testCase: Case) {
    #expect(Pruning.mightMatch(testCase.predicate, in: testCase.stats) == testCase.mightMatch)
  }

  @Test(arguments: stringCases + binaryCases + timestampCases)
  func truncatedBounds(_ testCase: Case) {
    #expect(Pruning.mightMatch(testCase.predicate, in: testCase.stats) == testCase.mightMatch)
  }

  @Test func tieBreakerStripping() {
    func stripped(_ text: String) -> Int {
      var text = text
      return text.withUTF8 { ColumnBounds.lengthWithoutTieBreakers($0) }
    }
    #expect(stripped("abc") == 3)
    #expect(stripped("abc\u{7F}") == 3)
    #expect(stripped("abc\u{FFFD}") == 3)
    #expect(stripped("abc\u{FFFF}") == 3)
    #expect(stripped("abc\u{10FFFF}") == 3)
    #expect(stripped("abc\u{10FFFF}\u{FFFD}\u{7F}") == 3)
    #expect(stripped("abc\u{FFFE}") == 6)
    #expect(stripped("\u{7F}") == 0)
  }
}

@Suite struct PartitionValuesTests {
  static let partition = PartitionValues([
    "region": str("eu"), "day": .date(19724), "hour": int(7), "missing": .null,
  ])

  struct Case: CustomTestStringConvertible, Sendable {
    let predicate: Predicate
    let mightMatch: Bool
    var testDescription: String { predicate.description }
    init(_ predicate: Predicate, _ mightMatch: Bool) {
      self.predicate = predicate
      self.mightMatch = mightMatch
    }
  }

  static let cases: [Case] = [
    Case(cmp("region", .equal, str("eu")), true),
    Case(cmp("region", .equal, str("us")), false),
    Case(cmp("region", .notEqual, str("eu")), false),
    Case(cmp("region", .notEqual, str("us")), true),
    Case(cmp("region", .equal, str("eu-west")), false),  // exact: not a truncated prefix
    Case(cmp("region", .greater, str("eu")), false),
    Case(.inList(col("region"), [str("us"), str("ap")], negated: false), false),
    Case(.inList(col("region"), [str("us"), str("eu")], negated: true), false),
    Case(cmp("day", .equal, .date(19724)), true),
    Case(cmp("day", .greater, ts(19724 * 86_400_000_000)), false),
    Case(cmp("hour", .lessOrEqual, dbl(6.5)), false),
    Case(cmp("hour", .equal, dec(700, 2)), true),
    Case(.isNull(col("missing"), negated: false), true),
    Case(.isNull(col("missing"), negated: true), false),
    Case(cmp("missing", .equal, str("x")), false),
    Case(.not(cmp("missing", .equal, str("x"))), false),
    Case(.isNull(col("region"), negated: false), false),
    Case(.not(cmp("region", .equal, str("eu"))), false),
    // A column that is not a partition column is unknown.
    Case(cmp("user", .equal, str("x")), true),
    Case(.and([cmp("user", .equal, str("x")), cmp("region", .equal, str("us"))]), false),
  ]

  @Test(arguments: cases)
  func prunesExactly(_ testCase: Case) {
    #expect(Pruning.mightMatch(testCase.predicate, in: Self.partition) == testCase.mightMatch)
  }

  @Test func rowCounts() {
    let nullPartition = PartitionValues(["k": .null], rowCount: 50)
    #expect(nullPartition.nullCount(col("k")) == 50)
    #expect(!Pruning.mightMatch(.isNull(col("k"), negated: true), in: nullPartition))
    #expect(Pruning.mightMatch(.isNull(col("k"), negated: false), in: nullPartition))
    #expect(!Pruning.mightMatch(.literal(true), in: PartitionValues(["k": int(1)], rowCount: 0)))
    #expect(Self.partition.rowCount == 1)
    #expect(Self.partition.nullCount(col("nope")) == nil)
    #expect(Self.partition.minValue(["region", "sub"]) == nil)
  }
}
