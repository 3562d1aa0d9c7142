import Testing

@testable import Expr

/// Random units of random values, random statistics as real writers produce them, random
/// predicates: pruning must never drop a unit where some row satisfies the predicate.
@Suite struct PruningPropertyTests {
  static let columns = ["i", "s", "t", "f"]
  static let characters: [String] = [
    "a", "b", "m", "z", "A", "é", "😀", "\u{7F}", "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}", " ",
  ]
  static let millisecond: Int64 = 1000

  // MARK: Generators

  struct Generator {
    var random: SplitMix64

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &random) < probability }
    mutating func pick<T>(_ options: [T]) -> T { options[Int.random(in: 0..<options.count, using: &random)] }

    mutating func string() -> String {
      let length = Int.random(in: 0...4, using: &random)
      var text = ""
      for _ in 0..<length { text += pick(PruningPropertyTests.characters) }
      return text
    }

    mutating func timestamp() -> Int64 {
      // A few milliseconds around a fixed instant, so truncation matters.
      Int64.random(in: 0...4, using: &random) * PruningPropertyTests.millisecond
        + pick([0, 1, 499, 500, 998, 999]) + 1_000_000_000
    }

    mutating func value(for column: String) -> ScalarValue {
      if chance(0.2) { return .null }
      switch column {
      case "i": return .int64(Int64.random(in: -5...5, using: &random))
      case "s": return .string(string())
      case "t": return .timestamp(timestamp(), utc: true)
      default: return .float64(pick([-2.5, -1, -0.0, 0, 0.5, 1, 3, .infinity, .nan, .nan]))
      }
    }

    mutating func literal(for column: String, sameFamily: Bool) -> ScalarValue {
      if chance(0.05) { return .null }
      if !sameFamily && chance(0.05) { return pick([.string("1"), .date(0), .boolean(true), .int64(2)]) }
      switch column {
      case "i":
        switch Int.random(in: 0..<(sameFamily ? 2 : 4), using: &random) {
        case 0: return .int64(Int64.random(in: -6...6, using: &random))
        case 1: return .decimal(Int128(Int64.random(in: -65...65, using: &random)), precision: 5, scale: 1)
        case 2: return .float64(Double(Int64.random(in: -13...13, using: &random)) / 2)
        default: return .float64(.nan)
        }
      case "s":
        return .string(string())
      case "t":
        if !sameFamily && chance(0.1) { return .date(Int32(pick([0, 1]))) }
        return .timestamp(timestamp() + pick([0, -1, 1]), utc: true)
      default:
        if chance(0.2) { return .int64(Int64.random(in: -3...3, using: &random)) }
        return .float64(pick([-2.5, -1, 0, 0.5, 1, 2, 3, .infinity, -.infinity, .nan]))
      }
    }

    mutating func predicate(depth: Int, columns: [String], sameFamily: Bool) -> Predicate {
      if depth > 0 && chance(0.45) {
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
          return .and(
            (0..<Int.random(in: 0...3, using: &random)).map { _ in
              predicate(depth: depth - 1, columns: columns, sameFamily: sameFamily)
            })
        case 1:
          return .or(
            (0..<Int.random(in: 0...3, using: &random)).map { _ in
              predicate(depth: depth - 1, columns: columns, sameFamily: sameFamily)
            })
        default:
          return .not(predicate(depth: depth - 1, columns: columns, sameFamily: sameFamily))
        }
      }
      let column = pick(columns)
      switch Int.random(in: 0..<10, using: &random) {
      case 0: return .literal(chance(0.5))
      case 1: return .isNull([column], negated: chance(0.5))
      case 2, 3:
        let values = (0..<Int.random(in: 0...3, using: &random)).map { _ in
          literal(for: column, sameFamily: sameFamily)
        }
        return .inList([column], values, negated: chance(0.5))
      default:
        return .comparison([column], pick(ComparisonOperator.allCases), literal(for: column, sameFamily: sameFamily))
      }
    }
  }

  // MARK: Statistics as writers produce them

  /// Delta Spark's current max truncation (prefix, then U+007F or U+10FFFF as tie-breaker, or
  /// no max at all when it cannot find one), on UTF-16 code units like the Scala original.
  static func sparkTruncatedMax(_ text: String, prefixLength: Int) -> String? {
    let units = Array(text.utf16)
    if units.count <= prefixLength { return text }
    var length = prefixLength
    if UTF16.isLeadSurrogate(units[prefixLength - 1]) && UTF16.isTrailSurrogate(units[prefixLength]) { length += 1 }
    while length <= 2 * prefixLength {
      if length >= units.count { return text }
      if length + 1 < units.count && units[length] == 0xDBFF && units[length + 1] == 0xDFFF {
        length += 2
      } else if units[length] < 0x7F {
        return String(decoding: units[..<length], as: UTF16.self) + "\u{7F}"
      } else {
        return String(decoding: units[..<length], as: UTF16.self) + "\u{10FFFF}"
      }
    }
    return nil
  }

  /// Old Delta Spark: prefix, then the following units >= U+FFFD, then U+FFFD (can split a
  /// surrogate pair; decoding turns the lone half into U+FFFD).
  static func oldSparkTruncatedMax(_ text: String, prefixLength: Int) -> String {
    let units = Array(text.utf16)
    if units.count <= prefixLength { return text }
    var end = prefixLength
    while end < units.count && units[end] >= 0xFFFD { end += 1 }
    return String(decoding: units[..<end], as: UTF16.self) + "\u{FFFD}"
  }

  static func truncatedMin(_ text: String, prefixLength: Int) -> String {
    String(text.unicodeScalars.prefix(prefixLength).map(Character.init))
  }

  static func statistics(of rows: [Row], _ generator: inout Generator) -> TestStats {
    var stats = TestStats(rows: generator.chance(0.9) ? Int64(rows.count) : nil)
    for column in columns {
      let values = rows.map { $0[column] ?? .null }
      let nonNull = values.filter { !$0.isNull }
      if generator.chance(0.9) { stats.nulls[column] = Int64(values.count - nonNull.count) }
      guard !nonNull.isEmpty, generator.chance(0.9) else { continue }
      var minimum: ScalarValue
      var maximum: ScalarValue
      if column == "f" {
        let numbers = nonNull.compactMap { value -> Double? in
          if case .float64(let number) = value { return number }
          return nil
        }
        let ordered = numbers.filter { !$0.isNaN }
        let hasNaN = ordered.count < numbers.count
        if generator.chance(0.5) {
          // Parquet style: NaN left out; no bounds when every value is NaN.
          guard let low = ordered.min(), let high = ordered.max() else { continue }
          minimum = .float64(low)
          maximum = .float64(high)
        } else {
          // Spark style: NaN is the largest value.
          minimum = .float64(ordered.min() ?? .nan)
          maximum = .float64(hasNaN ? .nan : (ordered.max() ?? .nan))
        }
      } else {
        minimum = nonNull[0]
        maximum = nonNull[0]
        for value in nonNull.dropFirst() {
          if Oracle.compare(value, minimum) == .less { minimum = value }
          if Oracle.compare(value, maximum) == .greater { maximum = value }
        }
      }
      if column == "t", case .timestamp(let low, let utc) = minimum, case .timestamp(let high, _) = maximum,
        generator.chance(0.7)
      {
        // Truncated to milliseconds.
        minimum = .timestamp(low / millisecond * millisecond, utc: utc)
        maximum = .timestamp(high / millisecond * millisecond, utc: utc)
      }
      if column == "s", case .string(let low) = minimum, case .string(let high) = maximum {
        let prefixLength = Int.random(in: 1...3, using: &generator.random)
        if generator.chance(0.5) { minimum = .string(truncatedMin(low, prefixLength: prefixLength)) }
        switch Int.random(in: 0..<4, using: &generator.random) {
        case 0:
          guard let truncated = sparkTruncatedMax(high, prefixLength: prefixLength) else {
            stats.mins[column] = minimum
            continue
          }
          maximum = .string(truncated)
        case 1: maximum = .string(oldSparkTruncatedMax(high, prefixLength: prefixLength))
        case 2: maximum = .string(truncatedMin(high, prefixLength: prefixLength))
        default: break
        }
      }
      if generator.chance(0.95) { stats.mins[column] = minimum }
      if generator.chance(0.95) { stats.maxes[column] = maximum }
    }
    return stats
  }

  // MARK: Properties

  @Test(arguments: [1 as UInt64, 2, 3, 4])
  func pruningNeverDropsAMatchingRow(seed: UInt64) {
    var generator = Generator(random: SplitMix64(seed: seed))
    var pruned = 0
    var matching = 0
    let cases = 6000
    for _ in 0..<cases {
      let rowCount = Int.random(in: 0...6, using: &generator.random)
      let rows: [Row] = (0..<rowCount).map { _ in
        var row: Row = [:]
        for column in Self.columns { row[column] = generator.value(for: column) }
        return row
      }
      let stats = Self.statistics(of: rows, &generator)
      let predicate = generator.predicate(depth: 3, columns: Self.columns, sameFamily: false)
      let satisfied = rows.contains { Oracle.evaluate(predicate, $0) == .yes }
      let mightMatch = Pruning.mightMatch(predicate, in: stats)
      if satisfied {
        matching += 1
        #expect(mightMatch, "pruned a unit with a matching row: \(predicate) over \(rows) with \(stats)")
      }
      if !mightMatch { pruned += 1 }
      // The simplified predicate selects the same rows and prunes soundly too.
      let simple = predicate.simplified()
      for row in rows {
        #expect(
          (Oracle.evaluate(simple, row) == .yes) == (Oracle.evaluate(predicate, row) == .yes),
          "\(predicate) simplified to \(simple) differs on \(row)")
      }
      if satisfied { #expect(Pruning.mightMatch(simple, in: stats)) }
    }
    // The test must exercise pruning, not just agree with "might match".
    #expect(pruned > cases / 10)
    #expect(matching > cases / 10)
  }

  @Test(arguments: [5 as UInt64, 6])
  func partitionPruningIsExactForOneValue(seed: UInt64) {
    var generator = Generator(random: SplitMix64(seed: seed))
    for _ in 0..<5000 {
      var row: Row = [:]
      for column in ["i", "s", "t"] { row[column] = generator.value(for: column) }
      let predicate = generator.predicate(depth: 3, columns: ["i", "s", "t"], sameFamily: true)
      let partition = PartitionValues(
        row, rowCount: generator.chance(0.5) ? nil : Int64.random(in: 1...9, using: &generator.random))
      let expected = Oracle.evaluate(predicate, row) == .yes
      #expect(Pruning.mightMatch(predicate, in: partition) == expected, "\(predicate) on \(row)")
    }
  }

  @Test(arguments: [7 as UInt64, 8])
  func restrictionIsConservative(seed: UInt64) {
    var generator = Generator(random: SplitMix64(seed: seed))
    let subsets: [Set<ColumnPath>] = [[], [["i"]], [["s"]], [["i"], ["t"]], [["i"], ["s"], ["t"], ["f"]]]
    for _ in 0..<4000 {
      var row: Row = [:]
      for column in Self.columns { row[column] = generator.value(for: column) }
      let predicate = generator.predicate(depth: 4, columns: Self.columns, sameFamily: false)
      let kept = generator.pick(subsets)
      let restricted = predicate.restricted(to: kept)
      #expect(restricted.columns.isSubset(of: kept))
      if Oracle.evaluate(predicate, row) == .yes {
        #expect(Oracle.evaluate(restricted, row) == .yes, "\(predicate) restricted to \(kept): \(restricted)")
      }
      if kept.count == 4 {
        #expect((Oracle.evaluate(restricted, row) == .yes) == (Oracle.evaluate(predicate, row) == .yes))
      }
    }
  }
}
