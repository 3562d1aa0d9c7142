import Foundation
import Testing

@testable import Delta

/// The log's JSON, action decoding and file names.
@Suite struct LogParsingTests {
  @Test func jsonParserHandlesEscapesNumbersAndNesting() throws {
    let value = try JSONParser.parse(#"{"a":"x\"y\\z\u00e9\ud83d\ude00\n","b":[1,-2.5e3,true,null],"c":{}}"#)
    let object = try #require(value.objectValue)
    #expect(object["a"]?.stringValue == "x\"y\\zé😀\n")
    let array = try #require(object["b"]?.arrayValue)
    #expect(array[0].int64Value == 1)
    #expect(array[1].doubleValue == -2500)
    #expect(array[2].boolValue == true)
    #expect(array[3].isNull)
    #expect(object["c"]?.objectValue?.entries.isEmpty == true)
    #expect(try JSONParser.parse("9223372036854775807").int64Value == Int64.max)
  }

  @Test(arguments: [#"{"a":}"#, #"{"a":1"#, #"[1,]"#, #""abc"#, "tru", #"{"a":1} x"#, "01x", "\"\u{01}\""])
  func jsonParserRejectsMalformedText(_ text: String) {
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
  }

  static func actions(_ text: String) throws -> [Action] {
    try JSONLines.actions(in: Array(text.utf8), name: "test.json")
  }

  @Test func scannerDecodesAddsWithEveryField() throws {
    let line =
      #"{"add":{"path":"a%20b/part-1.parquet","partitionValues":{"p":"1","q":null,"r":"x\"y"},"size":12,"modificationTime":34,"dataChange":false,"#
      + #""stats":"{\"numRecords\":3}","tags":{"t":"v"},"deletionVector":{"storageType":"u","pathOrInlineDv":"ab","offset":1,"sizeInBytes":40,"cardinality":2},"#
      + #""baseRowId":7,"defaultRowCommitVersion":8,"clusteringProvider":"liquid","unknownField":{"deep":[1,{"x":2}]}}}"#
    let actions = try Self.actions(line)
    guard case .add(let add)? = actions.first else {
      Issue.record("not an add: \(actions)")
      return
    }
    #expect(add.path == "a%20b/part-1.parquet")
    #expect(add.key.path == "a b/part-1.parquet")
    #expect(add.partitionValues == ["p": "1", "r": "x\"y"])
    #expect(add.size == 12 && add.modificationTime == 34 && !add.dataChange)
    #expect(add.stats == #"{"numRecords":3}"#)
    #expect(add.tags == ["t": "v"])
    #expect(add.deletionVector?.uniqueID == "uab@1")
    #expect(add.deletionVector?.cardinality == 2)
    #expect(add.baseRowId == 7 && add.defaultRowCommitVersion == 8)
    #expect(add.clusteringProvider == "liquid")
  }

  @Test func unknownActionsAndFieldsAreIgnored() throws {
    let text = """
      {"commitInfo":{"timestamp":1,"operation":"WRITE","operationParameters":{"mode":"Append","n":3}}}
      {"futureAction":{"x":1}}

      {"protocol":{"minReaderVersion":1,"minWriterVersion":2,"somethingNew":true}}
      {"remove":{"path":"f","deletionTimestamp":5,"dataChange":true,"new":[]}}
      {"txn":{"appId":"app","version":3,"lastUpdated":9}}
      {"domainMetadata":{"domain":"d","configuration":"{}","removed":false}}
      """
    let actions = try Self.actions(text)
    #expect(actions.count == 5)
    guard case .commitInfo(let info) = actions[0] else { Issue.record("no commitInfo"); return }
    #expect(info.operation == "WRITE")
    #expect(info.operationParameters == ["mode": "Append", "n": "3"])
    guard case .protocol(let p) = actions[1] else { Issue.record("no protocol"); return }
    #expect(p == DeltaProtocol(minReaderVersion: 1, minWriterVersion: 2))
    guard case .remove(let remove) = actions[2] else { Issue.record("no remove"); return }
    #expect(remove.path == "f" && remove.deletionTimestamp == 5)
  }

  @Test func malformedLinesNameTheFileAndLine() throws {
    let error = try #require(throws: DeltaError.self) { try Self.actions("{\"add\":{\"size\":1}}\n") }
    #expect(error.message.contains("test.json line 1"))
    #expect(error.message.contains("path"))
    let syntax = try #require(throws: DeltaError.self) { try Self.actions("{\"txn\":{}}\n{\"add\":") }
    #expect(syntax.code == .corruptLog)
  }

  @Test func commitInfoIsSkippedWhenNotWanted() throws {
    let actions = try JSONLines.actions(
      in: Array(#"{"commitInfo":{"timestamp":1}}"#.utf8), name: "x", wantCommitInfo: false)
    #expect(actions.isEmpty)
  }

  @Test func logFileNamesAreClassified() {
    #expect(LogFile.classify("00000000000000000010.json")?.kind == .commit)
    #expect(LogFile.classify("00000000000000000010.crc")?.kind == .checksum)
    #expect(LogFile.classify("00000000000000000010.checkpoint.parquet")?.kind == .checkpoint(.classic))
    #expect(
      LogFile.classify("00000000000000000010.checkpoint.0000000002.0000000003.parquet")?.kind
        == .checkpoint(.multiPart(part: 2, parts: 3)))
    #expect(
      LogFile.classify("00000000000000000010.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json")?.kind
        == .checkpoint(.uuid(json: true)))
    #expect(
      LogFile.classify("00000000000000000004.00000000000000000006.compacted.json")?.kind == .compaction(endVersion: 6))
    #expect(LogFile.classify("00000000000000000010.json")?.version == 10)
    for name in [
      "_last_checkpoint", "0000000000000000010.json", ".00000000000000000010.json.crc", "00000000000000000010.json.tmp",
      "_sidecars",
    ] {
      #expect(LogFile.classify(name) == nil, "\(name)")
    }
  }

  @Test func pathsAreDecodedAndResolved() {
    #expect(PathEncoding.decodedIfNeeded("a%20b%2Fc") == "a b/c")
    #expect(PathEncoding.decodedIfNeeded("100%") == "100%")
    #expect(PathEncoding.resolve("x=1/f.parquet", root: "/t") == "/t/x=1/f.parquet")
    #expect(PathEncoding.resolve("file:///data/f.parquet", root: "/t") == "/data/f.parquet")
    #expect(PathEncoding.resolve("/abs/f%20g.parquet", root: "/t") == "/abs/f g.parquet")
    // Spark encodes the directory name twice: `%3A` on disk is `%253A` in the log.
    #expect(PathEncoding.resolve("t=11%253A11/f", root: "/t") == "/t/t=11%3A11/f")
  }

  @Test func timestampZonesAreDetected() {
    #expect(!PartitionValueText.hasZone("2021-09-08 11:11:11"))
    #expect(!PartitionValueText.hasZone("2021-09-08 11:11:11.123456"))
    #expect(PartitionValueText.hasZone("2021-09-08T11:11:11.000000Z"))
    #expect(PartitionValueText.hasZone("2021-09-08 11:11:11+02:00"))
    #expect(PartitionValueText.hasZone("2021-09-08 11:11:11-0800"))
  }
}
