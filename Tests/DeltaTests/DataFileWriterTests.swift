import Columnar
import Foundation
import Parquet
import Storage
import Testing

@testable import Delta

/// How ``DataFileWriter`` sizes files and bounds the memory of many open partitions.
@Suite struct DataFileWriterTests {
  /// Strings that Snappy cannot shrink much, so buffered bytes track the rows written.
  static func noise(_ n: Int) -> String {
    var x = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
    var text = ""
    for _ in 0..<4 {
      x ^= x >> 31
      x = x &* 0xBF58_476D_1CE4_E5B9
      text += String(x, radix: 16)
    }
    return text
  }

  @Test func openFilesShareABufferBudget() throws {
    let root = WriteFixtures.temporaryTable()
    let schema = Schema([Field("s", .string), Field("p", .int32)])
    var options = ParquetWriteOptions()
    options.rowGroupSize = 1 << 16
    let writer = DataFileWriter(
      tableRoot: root, storage: DefaultTableStorage(), schema: schema, partitionColumns: ["p"], configuration: [:],
      targetFileSize: 100 << 20, parquetOptions: options)
    // Twelve partitions interleaved row by row: every batch adds to every open file.
    var expected: [String] = []
    for batch in 0..<20 {
      let rows = (0..<3600).map { batch * 3600 + $0 }
      let strings = rows.map { Self.noise($0) }
      expected += strings
      try writer.write(
        try WriteFixtures.batch([
          ("s", WriteFixtures.string(strings)), ("p", WriteFixtures.int32(rows.map { Int32($0 % 12) })),
        ]))
    }
    // Without the budget each of the 12 files would hold up to a row group (768 KiB in all).
    #expect(writer.bufferBudget == 2 << 16)
    #expect(writer.peakBufferedBytes > 0)
    #expect(writer.peakBufferedBytes <= writer.bufferBudget + (1 << 16))
    let files = try writer.close()
    #expect(files.count == 12)
    // Every row is in a file once, and files got row groups cut early.
    var read: [String] = []
    var rowGroups = 0
    for file in files {
      let reader = try ParquetFileReader(path: root + "/" + (file.path.removingPercentEncoding ?? file.path))
      rowGroups += reader.rowGroupCount
      for group in 0..<reader.rowGroupCount {
        let batch = try reader.readRowGroup(group)
        guard case .binary(let offsets, let bytes) = batch.columns[0].storage else {
          Issue.record("strings expected")
          return
        }
        for row in 0..<batch.rowCount {
          read.append(String(decoding: bytes[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self))
        }
      }
    }
    #expect(read.sorted() == expected.sorted())
    #expect(rowGroups > 12)
  }

  @Test func filesEndNearTheTargetSizeWithinOneBatch() throws {
    let path = WriteFixtures.temporaryTable()
    var options = WriteOptions()
    options.targetFileSize = 1 << 20
    let ids = (0..<300_000).map { Int64($0) }
    let result = try TableWriter.write(
      path: path,
      batches: [
        try WriteFixtures.batch([("id", WriteFixtures.int64(ids)), ("s", WriteFixtures.string(ids.map { Self.noise(Int($0)) }))])
      ], options: options)
    let sizes = try DeltaTable.open(path: path).snapshot().files.map(\.size).sorted()
    #expect(result.filesAdded == sizes.count)
    #expect(sizes.count >= 6)
    // Every file but the last reaches the target and overshoots it by at most a step.
    #expect(sizes.dropFirst().allSatisfy { $0 >= 1 << 20 && $0 < 3 << 19 })
    #expect(try WriteFixtures.rows(path, columns: ["id"]).count == 300_000)
  }
}
