import Delta
import Foundation
import Testing

/// Every table of the conformance corpus, at every version with expected results.
@Suite struct ConformanceTests {
  @Test(arguments: ConformanceCorpus.tableNames)
  func tableMatchesExpectedRows(_ name: String) throws {
    let results = ConformanceCorpus.check(name)
    #expect(!results.isEmpty, "no expected versions for \(name)")
    for result in results {
      #expect(result.passed, "\(name) v\(result.version): \(result.detail)")
    }
  }

  /// The score over the whole corpus, printed for the record.
  @Test func corpusScore() throws {
    try #require(ConformanceCorpus.isAvailable, "the conformance corpus is not at \(ConformanceCorpus.root.path)")
    var tablesPassed = 0
    var versionsPassed = 0
    var versionsTotal = 0
    var failures: [String] = []
    for name in ConformanceCorpus.tableNames {
      let results = ConformanceCorpus.check(name)
      versionsTotal += results.count
      versionsPassed += results.filter(\.passed).count
      if !results.isEmpty && results.allSatisfy(\.passed) { tablesPassed += 1 }
      for result in results where !result.passed { failures.append("  \(name) v\(result.version): \(result.detail)") }
    }
    let total = ConformanceCorpus.tableNames.count
    print("CORPUS SCORE: tables \(tablesPassed)/\(total), versions \(versionsPassed)/\(versionsTotal)")
    for failure in failures { print(failure) }
    #expect(tablesPassed == total)
    #expect(versionsPassed == versionsTotal)
  }
}
