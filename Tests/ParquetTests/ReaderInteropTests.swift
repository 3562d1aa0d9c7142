import Columnar
import Foundation
import Parquet
import Testing

/// Files written by pyarrow and DuckDB (every type, codec, encoding and page version; see
/// `Tests/Oracles/make_parquet_fixtures.py`) are read value for value.
@Suite struct ReaderInteropTests {
  static let fixtures: Result<URL, Oracles.Failure> = {
    do {
      let directory = try Oracles.temporaryDirectory("fixtures")
      let result = try Oracles.python("make_parquet_fixtures.py", [directory.path])
      guard result.status == 0 else {
        return .failure(Oracles.Failure(description: "fixture generation failed: \(result.stderr)"))
      }
      return .success(directory)
    } catch {
      return .failure(Oracles.Failure(description: "\(error)"))
    }
  }()

  struct ManifestEntry: Decodable {
    var file: String
    var description: String?
  }

  /// Renders every row of a file as canonical JSON lines.
  static func render(_ path: String) throws -> [JSONValue] {
    let reader = try ParquetFileReader(path: path)
    var rows: [JSONValue] = []
    for batch in try reader.readAll() {
      for row in 0..<batch.rowCount {
        var line: [UInt8] = []
        ValueRenderer.appendJSONRow(batch, row: row, to: &line)
        rows.append(try JSONValue.parse(String(decoding: line, as: UTF8.self)))
      }
    }
    return rows
  }

  @Test func everyFixtureMatchesPyarrow() throws {
    let directory = try Self.fixtures.get()
    let manifestData = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    let entries = try JSONDecoder().decode([ManifestEntry].self, from: manifestData)
    #expect(entries.count > 20)
    var checked = 0
    for entry in entries {
      let parquet = directory.appendingPathComponent(entry.file)
      let expectedURL = parquet.deletingPathExtension().appendingPathExtension("jsonl")
      let expected = try Oracles.rows(String(contentsOf: expectedURL, encoding: .utf8))
      do {
        let actual = try Self.render(parquet.path)
        guard actual.count == expected.count else {
          Issue.record("\(entry.file): \(actual.count) rows, pyarrow reads \(expected.count)")
          continue
        }
        for (index, (a, e)) in zip(actual, expected).enumerated() where a != e {
          Issue.record("\(entry.file) row \(index):\n  avocet:  \(a)\n  pyarrow: \(e)")
          break
        }
        checked += 1
      } catch {
        Issue.record("\(entry.file) (\(entry.description ?? "")): \(error)")
      }
    }
    #expect(checked == entries.count)
  }
}
