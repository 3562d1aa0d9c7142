import Delta
import Foundation
import Testing

/// `describe --json` (``TableDescription/jsonText``) agrees with each corpus table's `meta.json`.
@Suite struct DescribeTests {
  static let validTables = ConformanceCorpus.tableNames.filter { !ConformanceCorpus.invalidTables.contains($0) }

  @Test(arguments: validTables)
  func describeAgreesWithMeta(_ name: String) throws {
    let meta = ConformanceCorpus.meta(name)
    let snapshot = try DeltaTable.open(path: ConformanceCorpus.tablePath(name)).snapshot()
    let json = snapshot.describe().jsonText
    let described = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])

    #expect((described["version"] as? NSNumber)?.int64Value == (meta["version"] as? NSNumber)?.int64Value)
    #expect(described["partitionColumns"] as? [String] == meta["partition_columns"] as? [String])
    // The reference reader gives no file count for tables it cannot read.
    if let files = meta["num_active_files"] as? NSNumber {
      #expect((described["numFiles"] as? NSNumber)?.intValue == files.intValue)
    }
    let protocolJSON = try #require(described["protocol"] as? [String: Any])
    let expected = try #require(meta["protocol"] as? [String: Any])
    for key in ["minReaderVersion", "minWriterVersion"] {
      #expect((protocolJSON[key] as? NSNumber)?.intValue == (expected[key] as? NSNumber)?.intValue, "\(key)")
    }
    for key in ["readerFeatures", "writerFeatures"] {
      #expect((protocolJSON[key] as? [String]).map(Set.init) == (expected[key] as? [String]).map(Set.init), "\(key)")
    }
    // The schema is the log's own JSON.
    let schema = try #require(described["schema"] as? [String: Any])
    let expectedSchema = try #require(meta["schema"] as? [String: Any])
    #expect(NSDictionary(dictionary: schema).isEqual(to: expectedSchema))
  }

  @Test func rowCountComesFromStatisticsMinusDeletedRows() throws {
    let snapshot = try DeltaTable.open(path: ConformanceCorpus.tablePath("dat-basic_append")).snapshot()
    #expect(snapshot.describe().numRecords == 5)
    let noStats = try DeltaTable.open(path: ConformanceCorpus.tablePath("drs-simple_table")).snapshot()
    #expect(noStats.describe().numRecords == nil)
  }
}
