import Delta
import Foundation
import Testing

@testable import AvocetCLI

/// `avocet files` output: lines built as bytes by parallel tasks must be exactly the text lines,
/// in snapshot order, across task and wave boundaries.
@Suite struct FileListingTests {
  static func file(_ n: Int) -> AddFile {
    var add = AddFile(
      path: "day=\(n % 7)/part-\(n).parquet", partitionValues: n % 11 == 0 ? [:] : ["day": "\(n % 7)", "a": "x y"],
      size: Int64(n) * 1_000_003, modificationTime: 1_700_000_000_000)
    if n % 3 != 0 { add.stats = "{\"numRecords\":\(n * 17),\"minValues\":{}}" }
    if n % 13 == 0 { add.deletionVector = DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", offset: nil, sizeInBytes: 34, cardinality: Int64(n % 5)) }
    return add
  }

  /// The line format as written before it was built from bytes.
  static func expectedLine(_ add: AddFile) -> String {
    var line = "\(add.path)  \(add.size) bytes"
    if !add.partitionValues.isEmpty {
      line += "  " + add.partitionValues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
    if let stats = add.stats, let records = FileStatistics.numRecords(json: stats) { line += "  \(records) rows" }
    if let dv = add.deletionVector { line += "  \(dv.cardinality) deleted" }
    return line + "\n"
  }

  static func listed(_ files: [AddFile], json: Bool) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    try #require(descriptor >= 0)
    var out = StandardOutput(descriptor: descriptor)
    FileListing.write(files, json: json, to: &out)
    out.flush()
    close(descriptor)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test(arguments: [0, 1, 4096, 4097, 40_000])
  func textLinesInOrder(_ count: Int) throws {
    let files = (0..<count).map(Self.file)
    #expect(try Self.listed(files, json: false) == files.map(Self.expectedLine).joined())
  }

  @Test func jsonLinesInOrder() throws {
    let files = (0..<9000).map(Self.file)
    #expect(try Self.listed(files, json: true) == files.map { $0.jsonText + "\n" }.joined())
  }

  @Test func decimals() {
    for value: Int64 in [0, 7, -1, 10, 99, 100, 1_234_567_890, .max, .min, .min + 1] {
      var bytes: [UInt8] = []
      FileListing.appendDecimal(value, to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }
  }
}
