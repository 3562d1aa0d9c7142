import Foundation
import Testing

@testable import Delta

/// `AddFile.jsonText` (the direct writer `avocet files --json` uses) is byte for byte the text of
/// the general JSON writer.
@Suite struct AddFileJSONTests {
  @Test func edgeCasesMatchTheGeneralWriter() throws {
    var add = AddFile(
      path: "a b/x=%3A\"q\"\\/é\u{1}\u{1f}\n\t\r\u{8}\u{c}.parquet", partitionValues: ["z": "1", "a": "\"", "m": ""],
      size: 0, modificationTime: -9_223_372_036_854_775_808, dataChange: false,
      stats: #"{"numRecords":3,"minValues":{"s":"a\"b"}}"#)
    #expect(add.jsonText == add.jsonValueText)
    add.size = Int64.max
    add.modificationTime = -1
    add.tags = ["INSERTION_TIME": "1", "OPTIMIZE_TARGET_SIZE": "268435456"]
    add.deletionVector = DeletionVectorDescriptor(
      storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, sizeInBytes: 40, cardinality: 6)
    add.baseRowId = 10
    add.defaultRowCommitVersion = 2
    #expect(add.jsonText == add.jsonValueText)
    add.deletionVector?.offset = nil
    add.stats = nil
    add.parsedStats = FileStatistics(numRecords: nil)
    #expect(add.jsonText == add.jsonValueText)
    #expect(try JSONSerialization.jsonObject(with: Data(add.jsonText.utf8)) is [String: Any])
  }

  /// Escapes at every offset around the eight-byte chunks the writer skips through.
  @Test func specialCharactersAtEveryOffsetMatchTheGeneralWriter() {
    let specials: [String] = [
      "\"", "\\", "\n", "\u{0}", "\u{1f}", "é", "\u{7f}", "€", " ", "!", "#", "[", "]", "\"\\\"", "\u{1}\"\u{2}",
      String(repeating: "\"", count: 17),
    ]
    for length in 0..<20 {
      for position in 0...length {
        for special in specials {
          let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
          let add = AddFile(path: text, partitionValues: [:], size: 1, modificationTime: 0, dataChange: true, stats: text)
          #expect(add.jsonText == add.jsonValueText, "\(length) \(position) \(special.unicodeScalars.map(\.value))")
        }
      }
    }
  }

  @Test func everyCorpusFileMatchesTheGeneralWriter() throws {
    try #require(ConformanceCorpus.isAvailable)
    var checked = 0
    for name in ConformanceCorpus.tableNames where !ConformanceCorpus.invalidTables.contains(name) {
      guard let snapshot = try? DeltaTable.open(path: ConformanceCorpus.tablePath(name)).snapshot() else { continue }
      for add in snapshot.files {
        #expect(add.jsonText == add.jsonValueText, "\(name): \(add.path)")
        // Appended after other bytes, as the file listing does.
        var bytes: [UInt8] = [1, 2, 3]
        add.appendJSON(to: &bytes)
        #expect(bytes == [1, 2, 3] + Array(add.jsonValueText.utf8), "\(name): \(add.path)")
        checked += 1
      }
    }
    #expect(checked > 100)
  }
}
