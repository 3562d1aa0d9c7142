import Testing

@testable import Expr

@Suite struct PredicateTests {
  static let a = cmp("a", .equal, int(1))
  static let b = cmp("b", .greater, int(2))
  static let c = cmp("c", .less, str("x"))

  @Test func simplifiedFlattensAndFolds() {
    let a = Self.a
    let b = Self.b
    let c = Self.c
    #expect(Predicate.and([a, .and([b, .literal(true)]), .and([c])]).simplified() == .and([a, b, c]))
    #expect(Predicate.or([.or([a, b]), .literal(false), c]).simplified() == .or([a, b, c]))
    #expect(Predicate.and([a, .literal(false), b]).simplified() == .literal(false))
    #expect(Predicate.or([a, .literal(true)]).simplified() == .literal(true))
    #expect(Predicate.and([]).simplified() == .literal(true))
    #expect(Predicate.or([]).simplified() == .literal(false))
    #expect(Predicate.and([.literal(true), .literal(true)]).simplified() == .literal(true))
    #expect(Predicate.and([a]).simplified() == a)
    #expect(Predicate.and([a, a, b, a]).simplified() == .and([a, b]))
    #expect(Predicate.or([.and([a, .literal(false)]), b]).simplified() == b)
    #expect(Predicate.not(.literal(true)).simplified() == .literal(false))
    #expect(Predicate.not(.not(a)).simplified() == a)
    #expect(Predicate.not(.and([.literal(true), .literal(false)])).simplified() == .literal(true))
    #expect(Predicate.not(a).simplified() == cmp("a", .notEqual, int(1)))
    #expect(Predicate.not(b).simplified() == .not(b))  // `<`, `>` do not invert: NaN
    #expect(Predicate.not(.isNull(col("a"), negated: false)).simplified() == .isNull(col("a"), negated: true))
    #expect(
      Predicate.not(.inList(col("a"), [int(1), int(2)], negated: false)).simplified()
        == .inList(col("a"), [int(1), int(2)], negated: true))
  }

  @Test func simplifiedFoldsNullsAndLists() {
    #expect(cmp("a", .equal, .null).simplified() == .literal(false))
    // NOT (a = NULL) is NULL, not TRUE: it must still select nothing.
    #expect(Predicate.not(cmp("a", .equal, .null)).simplified() == .literal(false))
    #expect(Predicate.inList(col("a"), [], negated: false).simplified() == .literal(false))
    #expect(Predicate.inList(col("a"), [], negated: true).simplified() == .literal(true))
    #expect(Predicate.inList(col("a"), [int(3)], negated: false).simplified() == cmp("a", .equal, int(3)))
    #expect(Predicate.inList(col("a"), [int(3), int(3)], negated: true).simplified() == cmp("a", .notEqual, int(3)))
    #expect(
      Predicate.inList(col("a"), [int(1), .null, int(2), int(1)], negated: false).simplified()
        == .inList(col("a"), [int(1), int(2)], negated: false))
    #expect(Predicate.inList(col("a"), [int(1), .null], negated: true).simplified() == .literal(false))
    #expect(Predicate.inList(col("a"), [.null], negated: false).simplified() == .literal(false))
    // NOT (a IN (1, NULL)) is FALSE or NULL: never TRUE.
    #expect(Predicate.not(.inList(col("a"), [int(1), .null], negated: false)).simplified() == .literal(false))
    // NOT (a NOT IN (1, NULL)) is TRUE exactly for a = 1.
    #expect(
      Predicate.not(.inList(col("a"), [int(1), .null], negated: true)).simplified() == cmp("a", .equal, int(1)))
  }

  @Test func columns() {
    let predicate = Predicate.and([
      Self.a, .or([Self.b, .not(.isNull(["s", "t"], negated: false))]),
      .inList(col("a"), [int(1)], negated: true), .literal(true),
    ])
    #expect(predicate.columns == [["a"], ["b"], ["s", "t"]])
    #expect(Predicate.literal(false).columns.isEmpty)
  }

  @Test func restricted() {
    let a = Self.a
    let b = Self.b
    let c = Self.c
    let partition: Set<ColumnPath> = [["a"], ["c"]]
    #expect(Predicate.and([a, b, c]).restricted(to: partition) == .and([a, c]))
    #expect(Predicate.and([b]).restricted(to: partition) == .literal(true))
    #expect(Predicate.or([a, b]).restricted(to: partition) == .literal(true))
    #expect(Predicate.or([a, c]).restricted(to: partition) == .or([a, c]))
    #expect(Predicate.not(b).restricted(to: partition) == .literal(true))
    #expect(Predicate.not(.and([a, b])).restricted(to: partition) == .literal(true))
    #expect(Predicate.not(.or([a, b])).restricted(to: partition) == cmp("a", .notEqual, int(1)))
    #expect(Predicate.and([a, .or([b, c])]).restricted(to: partition) == a)
    #expect(Predicate.not(.not(b)).restricted(to: partition) == .literal(true))
    #expect(Predicate.and([a, .not(.or([c, b]))]).restricted(to: partition) == .and([a, .not(c)]))
  }

  @Test func partitionPruningThroughRestriction() {
    // region is a partition column, user is not: the user conjunct must not decide anything.
    let filter = Predicate.and([
      cmp("region", .equal, str("eu")), .or([cmp("user", .equal, str("x")), cmp("region", .equal, str("us"))]),
    ])
    let restricted = filter.restricted(to: [["region"]])
    #expect(restricted == cmp("region", .equal, str("eu")))
    #expect(Pruning.mightMatch(restricted, in: PartitionValues(["region": str("eu")])))
    #expect(!Pruning.mightMatch(restricted, in: PartitionValues(["region": str("us")])))
  }

  @Test func description() {
    let predicate = Predicate.and([
      cmp("a.b", .greaterOrEqual, int(5)),
      .or([.isNull(col("c"), negated: false), .inList(col("d"), [str("x"), str("y")], negated: true)]),
      .not(cmp("e", .equal, .date(0))),
      cmp("weird name", .equal, .boolean(true)),
    ])
    #expect(
      predicate.description
        == "a.b >= 5 AND (c IS NULL OR d NOT IN ('x', 'y')) AND NOT (e = DATE '1970-01-01') AND \"weird name\" = TRUE")
    #expect(Predicate.and([]).description == "TRUE")
    #expect(Predicate.or([.and([Self.a, Self.b]), Self.c]).description == "(a = 1 AND b > 2) OR c < 'x'")
  }
}
