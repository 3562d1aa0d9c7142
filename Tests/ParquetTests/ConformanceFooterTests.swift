import Foundation
import Parquet
import Testing

@Suite("Footers of the shared conformance tables")
struct ConformanceFooterTests {
  static var tablesPresent: Bool {
    FileManager.default.fileExists(atPath: FormatFixtures.conformanceTables.path)
  }

  @Test(
    "every footer and page header decodes and re-encodes",
    .enabled(if: tablesPresent, "shared/conformance/tables is absent (expected next to the repository)"))
  func everyFooter() throws {
    let files = FormatFixtures.parquetFiles(under: FormatFixtures.conformanceTables)
    #expect(files.count > 100, "found only \(files.count) files")
    var failures: [String] = []
    var writers: [String: Int] = [:]
    var pages = 0
    for url in files {
      let name = url.path.replacingOccurrences(of: FormatFixtures.conformanceTables.path + "/", with: "")
      do {
        let file = try FormatFixtures.bytes(of: url)
        let metadata = try file.withUnsafeBytes { try FileMetaData.decode(fileTail: $0) }
        let encoded = metadata.encoded()
        #expect(try FileMetaData.decode(encoded) == metadata, "\(name)")
        // Spark, parquet-rs and parquet-cpp write fields in id order and nothing we skip,
        // so re-encoding reproduces their bytes exactly.
        #expect(encoded == (try FormatFixtures.footer(of: file)), "\(name) re-encodes differently")
        let writer = metadata.createdBy?.split(separator: " ").first.map(String.init) ?? "unknown"
        writers[writer, default: 0] += 1
        #expect(metadata.rowGroups.reduce(0) { $0 + $1.numRows } == metadata.numRows, "\(name)")
        let leaves = try formatSchemaLeaves(metadata.schema)
        for group in metadata.rowGroups {
          #expect(group.columns.count == leaves.count, "\(name)")
          for chunk in group.columns {
            let meta = try #require(chunk.metaData, "\(name)")
            let walk = try FormatFixtures.walkPages(of: meta, in: file)
            #expect(walk.dataValues == meta.numValues, "\(name) \(meta.pathInSchema)")
            pages += walk.headers.count
          }
        }
      } catch {
        failures.append("\(name): \(error)")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) files failed:\n\(failures.prefix(20).joined(separator: "\n"))")
    print("decoded \(files.count) footers and \(pages) page headers; writers: \(writers)")
  }
}
