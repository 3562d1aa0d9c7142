import Foundation
import Parquet
import Testing

/// Every Parquet file of the Delta conformance corpus (written by Spark, Databricks and delta-rs)
/// is read in full without error.
@Suite struct ConformanceParquetTests {
  static let corpus = Oracles.repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/conformance/tables")

  static func parquetFiles() -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: corpus.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".parquet") }.sorted()
  }

  @Test func everyCorpusFileReads() throws {
    let files = Self.parquetFiles()
    try #require(!files.isEmpty, "the conformance corpus is missing at \(Self.corpus.path)")
    var rows = 0
    for file in files {
      do {
        let reader = try ParquetFileReader(path: Self.corpus.appendingPathComponent(file).path)
        for batch in try reader.readAll() { rows += batch.rowCount }
      } catch {
        Issue.record("\(file): \(error)")
      }
    }
    #expect(files.count >= 900)
    #expect(rows > 0)
  }
}
