import Columnar
import Delta
import Engine
import Foundation
import Synthetic
import Testing

/// COUNT(*) grouped by partition columns is answered from the log's row counts; the answer must
/// equal the one read from data.
@Suite struct MetadataCountTests {
  @Test func partitionCountsComeFromTheLogAndMatchTheData() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-metacount-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var generator = NetflowGenerator(rows: 5_000, seed: 3, days: 4)
    var options = WriteOptions()
    options.partitionBy = ["year", "month", "day"]
    let writer = try TableWriter(path: path, schema: NetflowGenerator.schema, options: options)
    while let batch = generator.next() { try writer.write(batch) }
    _ = try writer.commit()

    let session = Session()
    try session.register("t", path: path)
    for filter in ["", "WHERE day >= 2", "WHERE day = 3 OR month = 7"] {
      let fromLog = try session.execute("SELECT day, count(*) AS n FROM t \(filter) GROUP BY day ORDER BY day")
      // count(event_id) reads data (event_id is never NULL).
      let fromData = try session.execute("SELECT day, count(event_id) AS n FROM t \(filter) GROUP BY day ORDER BY day")
      #expect(Corpus.render(fromLog) == Corpus.render(fromData), "\(filter)")
      #expect(fromLog.scans.first?.rowsRead == 0)
      #expect((fromData.scans.first?.rowsRead ?? 0) > 0)
    }
    let total = try session.execute("SELECT year, count(*) FROM t GROUP BY ALL")
    #expect(Corpus.render(total) == ["2024\t5000"])
    let global = try session.execute("SELECT count(*) FROM t")
    #expect(Corpus.render(global) == ["5000"])
    #expect(global.scans.first?.rowsRead == 0)
    for filter in ["day = 99", "day + 1 = 100"] {
      let none = try session.execute("SELECT count(*) FROM t WHERE \(filter)")
      #expect(Corpus.render(none) == ["0"], "\(filter)")
    }
  }
}
