import Columnar
import Foundation
import Testing

@testable import Delta

/// String minimum and maximum in file statistics: byte-wise lexicographic, whatever the
/// lengths, shared prefixes or zero bytes (the collector decides most comparisons on an
/// eight-byte prefix key and falls back to a full comparison on ties).
@Suite struct StringStatisticsTests {
  static func bounds(_ batches: [[String?]]) throws -> (min: String, max: String) {
    var collector = StatisticsCollector(schema: Schema([Field("s", .string)]), indexed: { _ in true })
    for values in batches { collector.add(try WriteFixtures.batch([("s", WriteFixtures.string(values))])) }
    let json = try #require(try JSONSerialization.jsonObject(with: Data(collector.json().utf8)) as? [String: Any])
    let minimum = try #require((json["minValues"] as? [String: Any])?["s"] as? String)
    let maximum = try #require((json["maxValues"] as? [String: Any])?["s"] as? String)
    return (minimum, maximum)
  }

  @Test func matchesByteOrderOnTrickyStrings() throws {
    var random = SplitMix64(state: 11)
    func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &random) }
    let alphabet = ["\u{0}", "a", "b", "é", "\u{7f}"]
    for round in 0..<200 {
      let batches: [[String?]] = (0..<3).map { _ in
        (0..<(1 + below(40))).map { _ in
          if below(10) == 0 { return nil }
          // Shared prefixes: most values start alike, so the eight-byte keys often tie.
          let prefix = below(2) == 0 ? "abcdefg" : ""
          return prefix + (0..<below(12)).map { _ in alphabet[below(alphabet.count)] }.joined()
        }
      }
      let all = batches.flatMap { $0 }.compactMap { $0 }
      guard !all.isEmpty else { continue }
      let ordered = all.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      let (minimum, maximum) = try Self.bounds(batches)
      #expect(Array(minimum.utf8) == Array(ordered.first!.utf8), "round \(round)")
      #expect(Array(maximum.utf8) == Array(ordered.last!.utf8), "round \(round)")
    }
  }

  /// A dictionary-encoded column: only entries that valid rows use count, whether the
  /// dictionary is small (entries marked, then scanned once) or large (rows compared).
  @Test func dictionaryColumnsCountOnlyUsedEntries() throws {
    func bounds(entries: [String], indices: [Int32], valid: [Bool], rows: Range<Int>) throws -> (String, String, Int) {
      let dictionary = WriteFixtures.string(entries)
      let column = ColumnVector(
        type: .string, count: indices.count, validity: WriteFixtures.validity(valid),
        storage: .dictionary(indices: indices, dictionary: dictionary))
      var collector = StatisticsCollector(schema: Schema([Field("s", .string)]), indexed: { _ in true })
      collector.add(try RecordBatch(schema: Schema([Field("s", .string)]), columns: [column], rowCount: indices.count), rows: rows)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(collector.json().utf8)) as? [String: Any])
      let minimum = try #require((json["minValues"] as? [String: Any])?["s"] as? String)
      let maximum = try #require((json["maxValues"] as? [String: Any])?["s"] as? String)
      let nulls = try #require((json["nullCount"] as? [String: Any])?["s"] as? Int)
      return (minimum, maximum, nulls)
    }
    // "a" and "z" are in the dictionary but only under a null row or outside the rows.
    let small = try bounds(
      entries: ["z", "m", "a", "q"], indices: [2, 1, 3, 1, 0], valid: [false, true, true, true, true], rows: 0..<4)
    #expect(small == ("m", "q", 1))
    // A dictionary larger than twice the rows takes the row-by-row path.
    let large = try bounds(
      entries: (0..<100).map { String(format: "k%03d", $0) }, indices: [7, 99, 42, 0], valid: [true, true, true, false],
      rows: 0..<4)
    #expect(large == ("k007", "k099", 1))
    let middle = try bounds(
      entries: (0..<100).map { String(format: "k%03d", $0) }, indices: [7, 99, 42, 0], valid: [true, true, true, true],
      rows: 2..<4)
    #expect(middle == ("k000", "k042", 0))
  }

  @Test func prefixesAndZeroBytes() throws {
    #expect(try Self.bounds([["ab", "ab\u{0}", "a", "ab\u{0}\u{0}"]]) == ("a", "ab\u{0}\u{0}"))
    #expect(try Self.bounds([["abcdefgh1", "abcdefgh", "abcdefgh0"], ["abcdefg"]]) == ("abcdefg", "abcdefgh1"))
    #expect(try Self.bounds([["", "\u{0}", "z"]]) == ("", "z"))
  }
}
