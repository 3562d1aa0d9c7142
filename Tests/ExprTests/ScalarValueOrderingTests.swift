import Testing

@testable import Expr

@Suite struct ScalarValueOrderingTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let lhs: ScalarValue
    let rhs: ScalarValue
    let expected: Int?
    var testDescription: String { "\(lhs) vs \(rhs)" }
    init(_ lhs: ScalarValue, _ rhs: ScalarValue, _ expected: Int?) {
      self.lhs = lhs
      self.rhs = rhs
      self.expected = expected
    }
  }

  static let cases: [Case] = [
    // integers and floats, exactly
    Case(int(1), int(2), -1),
    Case(int(2), int(2), 0),
    Case(int(3), dbl(2.5), 1),
    Case(int(2), dbl(2.0), 0),
    Case(dbl(-0.0), dbl(0.0), 0),
    Case(int(0), dbl(-0.0), 0),
    Case(int(-3), dbl(-2.5), -1),
    Case(int(-2), dbl(-2.5), 1),
    Case(dbl(.infinity), int(.max), 1),
    Case(dbl(-.infinity), int(.min), -1),
    // 2^53 + 1 is not a double; it must not round to 2^53.
    Case(int(9_007_199_254_740_993), dbl(9_007_199_254_740_992), 1),
    Case(int(.max), dbl(9_223_372_036_854_775_808.0), -1),
    Case(int(.min), dbl(-9_223_372_036_854_775_808.0), 0),
    Case(dbl(.nan), int(1), nil),
    Case(dbl(.nan), dbl(.nan), nil),
    Case(dbl(1), dbl(.nan), nil),
    // decimals against integers and decimals, exactly
    Case(dec(1250, 2), int(12), 1),
    Case(dec(1200, 2), int(12), 0),
    Case(int(12), dec(1201, 2), -1),
    Case(dec(-5, 1), int(0), -1),
    Case(dec(15, 1), dec(150, 2), 0),
    Case(dec(15, 1), dec(151, 2), -1),
    Case(dec(1, 38), int(0), 1),
    Case(dec(1, 38), int(1), -1),
    Case(dec(Int128(Int64.max) * 10 + 5, 1), int(.max), 1),
    // 10^38 - 1 at scale 0 vs 1 at scale 38: aligning overflows, magnitude decides
    Case(dec(99_999_999_999_999_999_999_999_999_999_999_999_999, 0), dec(1, 38), 1),
    Case(dec(-99_999_999_999_999_999_999_999_999_999_999_999_999, 0), dec(1, 38), -1),
    // decimals against doubles, exactly
    Case(dec(1, 1), dbl(0.1), -1),  // 0.1 as a double is 0.1000000000000000055511151231257827…
    Case(dec(1_000_000_000_000_000_056, 19), dbl(0.1), 1),
    Case(dec(1_000_000_000_000_000_055, 19), dbl(0.1), -1),
    Case(dec(25, 1), dbl(2.5), 0),
    Case(dec(-25, 1), dbl(-2.5), 0),
    Case(dec(-25, 1), dbl(-2.4), -1),
    Case(dec(-5, 1), dbl(0.25), -1),
    Case(dbl(0.25), dec(-5, 1), 1),
    Case(dec(0, 2), dbl(-0.0), 0),
    Case(dec(1, 0), dbl(.infinity), -1),
    Case(dec(1, 0), dbl(.nan), nil),
    Case(dec(5, 0), dbl(1e300), -1),
    // strings by unsigned UTF-8 bytes, not by Unicode collation
    Case(str("a"), str("b"), -1),
    Case(str("a"), str("ab"), -1),
    Case(str(""), str("a"), -1),
    Case(str("Z"), str("a"), -1),
    Case(str("\u{FFFD}"), str("😀"), -1),  // EF BF BD < F0 9F 98 80 (UTF-16 would say the opposite)
    Case(str("é"), str("e\u{301}"), 1),  // canonically equivalent but different bytes
    Case(str("\u{7F}"), str("é"), -1),
    Case(str("abc"), .binary(Array("abd".utf8)), -1),
    Case(.binary([0xFF]), .binary([0x00, 0x01]), 1),
    // dates and timestamps
    Case(.date(1), .date(2), -1),
    Case(.date(1), ts(86_400_000_000), 0),
    Case(.date(1), ts(86_400_000_001), -1),
    Case(ts(86_399_999_999, utc: false), .date(1), -1),
    Case(.date(Int32.max), ts(.max), 1),
    Case(.date(Int32.min), ts(.min), -1),
    Case(ts(5), ts(5), 0),
    Case(ts(5, utc: true), ts(5, utc: false), nil),
    // booleans
    Case(.boolean(false), .boolean(true), -1),
    Case(.boolean(true), .boolean(true), 0),
    // mismatched families and nulls
    Case(.null, .null, nil),
    Case(int(1), .null, nil),
    Case(int(1), str("1"), nil),
    Case(.date(1), int(1), nil),
    Case(.boolean(true), int(1), nil),
  ]

  @Test(arguments: cases)
  func compare(_ testCase: Case) {
    #expect(ScalarValue.compare(testCase.lhs, testCase.rhs) == testCase.expected)
    // Antisymmetric.
    #expect(ScalarValue.compare(testCase.rhs, testCase.lhs) == testCase.expected.map { -$0 })
  }

  @Test func decimalAgainstDoubleMatchesRationalArithmetic() {
    // Dyadic doubles (k / 1024) against decimals near them at scale 4: exact comparison is
    // checkable with integers: d = k/1024, decimal = u/10^4  <=>  compare k * 10^4 with u * 1024.
    var generator = SplitMix64(seed: 11)
    for _ in 0..<5000 {
      let k = Int64.random(in: -50_000...50_000, using: &generator)
      let u = Int128(k) * 10_000 / 1024 + Int128(Int64.random(in: -2...2, using: &generator))
      let expected = ScalarValue.order(u * 1024, Int128(k) * 10_000)
      #expect(ScalarValue.compare(dec(u, 4), dbl(Double(k) / 1024)) == expected)
    }
  }

  @Test func negationAndFlipOfOperators() {
    for op in ComparisonOperator.allCases {
      #expect(op.negated.negated == op)
      #expect(op.flipped.flipped == op)
      for (a, b) in [(1, 2), (2, 2), (3, 2)] {
        let holds = Oracle.comparison(int(Int64(a)), op, int(Int64(b))) == .yes
        #expect((Oracle.comparison(int(Int64(a)), op.negated, int(Int64(b))) == .yes) == !holds)
        #expect((Oracle.comparison(int(Int64(b)), op.flipped, int(Int64(a))) == .yes) == holds)
      }
    }
  }
}
