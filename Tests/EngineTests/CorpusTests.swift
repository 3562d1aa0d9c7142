import Engine
import Foundation
import Testing

/// Runs every record of the SQL corpus (`Corpus/*.sqltest`) against the corpus tables.
@Suite(.serialized) struct CorpusTests {
  @Test(arguments: Corpus.files)
  func corpusFile(_ file: String) throws {
    let session = try CorpusTables.session()
    let records = try Corpus.records(in: file)
    #expect(!records.isEmpty, "\(file) has no records")
    for record in records {
      if ProcessInfo.processInfo.environment["AVOCET_CORPUS_TRACE"] != nil {
        FileHandle.standardError.write(Data("\(record)\n".utf8))
      }
      switch record.expectation {
      case .rows(let expected, let ordered):
        let result: QueryResult
        do {
          result = try session.execute(record.sql)
        } catch {
          Issue.record("\(record): \(error.rendered(sql: record.sql))")
          continue
        }
        let actual = Corpus.render(result)
        if ordered {
          #expect(actual == expected, "\(record)\n\(record.sql)")
        } else {
          #expect(actual.sorted() == expected.sorted(), "\(record)\n\(record.sql)")
        }
      case .error(let fragment):
        do {
          let result = try session.execute(record.sql)
          Issue.record("\(record): expected an error containing '\(fragment)', got \(result.rowCount) rows\n\(record.sql)")
        } catch {
          #expect(
            error.message.lowercased().contains(fragment.lowercased()),
            "\(record): error '\(error.message)' does not contain '\(fragment)'")
        }
      }
    }
  }
}
