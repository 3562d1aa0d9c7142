import Columnar
import Foundation
import Parquet
import Storage
import Testing

@testable import Delta

/// Deletion vectors applied across row groups: row indices count from the start of the file.
@Suite struct DeletedRowsScanTests {
  /// A table with one data file of three row groups (ids 0..<30, ten per group), partitioned by
  /// `p`, whose add carries an inline deletion vector for `deleted`.
  static func makeTable(deleted: [UInt64]) throws -> String {
    let directory = try TemporaryTable.make(commits: [])
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .string)])
    try FileManager.default.createDirectory(atPath: directory + "/p=x", withIntermediateDirectories: true)
    let file = try LocalWritableFile(path: directory + "/p=x/part-0.parquet")
    var writer = try ParquetFileWriter(file: file, schema: schema)
    for group in 0..<3 {
      let ids = (group * 10..<group * 10 + 10).map { Int64($0) }
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for id in ids {
        bytes.append(contentsOf: Array("n\(id)".utf8))
        offsets.append(Int32(bytes.count))
      }
      let batch = try RecordBatch(
        schema: schema,
        columns: [
          ColumnVector(type: .int64, count: 10, storage: .int64(ids)),
          ColumnVector(type: .string, count: 10, storage: .binary(offsets: offsets, bytes: bytes)),
        ], rowCount: 10)
      try writer.write(batch)
      try writer.flushRowGroup()
    }
    _ = try writer.close()
    let bitmap = RoaringBitmapArray.encode(DeletedRows(deleted))
    let dv =
      #"{"storageType":"i","pathOrInlineDv":"\#(Z85.encode(bitmap + Array(repeating: 0, count: (4 - bitmap.count % 4) % 4)))","sizeInBytes":\#(bitmap.count),"cardinality":\#(deleted.count)}"#
    let schemaString =
      #"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},{\"name\":\"name\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}"#
    let lines = [
      #"{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}"#,
      #"{"metaData":{"id":"t","format":{"provider":"parquet","options":{}},"schemaString":"\#(schemaString)","partitionColumns":["p"],"configuration":{}}}"#,
      #"{"add":{"path":"p%3Dx/part-0.parquet","partitionValues":{"p":"x"},"size":1,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":30}","deletionVector":\#(dv)}}"#,
    ]
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: directory + "/_delta_log/00000000000000000000.json", atomically: true, encoding: .utf8)
    return directory
  }

  static func ids(_ path: String, columns: [String]? = nil) throws -> [Int64] {
    let scan = try DeltaTable.open(path: path).snapshot().scan(ScanOptions(columns: columns))
    var ids: [Int64] = []
    for batch in try scan.readBatches() {
      guard let column = batch.column(named: "id"), case .int64(let values) = column.storage else { continue }
      ids += values
    }
    return ids
  }

  @Test func deletedRowsAreDroppedInEveryRowGroup() throws {
    let deleted: [UInt64] = [0, 9, 10, 11, 25, 29]
    let path = try Self.makeTable(deleted: deleted)
    defer { TemporaryTable.remove(path) }
    let expected = (0..<30).map { Int64($0) }.filter { !deleted.contains(UInt64($0)) }
    #expect(try Self.ids(path) == expected)
    #expect(try Self.ids(path, columns: ["p", "id"]) == expected)
    let snapshot = try DeltaTable.open(path: path).snapshot()
    #expect(snapshot.describe().numRecords == 24)
    // A partition-only projection still drops the deleted rows.
    let partitionRows = try snapshot.scan(ScanOptions(columns: ["p"])).readBatches().reduce(0) { $0 + $1.rowCount }
    #expect(partitionRows == 24)
  }

  @Test func aWhollyDeletedRowGroupYieldsNoBatch() throws {
    let path = try Self.makeTable(deleted: (10..<20).map { UInt64($0) })
    defer { TemporaryTable.remove(path) }
    let batches = try DeltaTable.open(path: path).snapshot().scan().readBatches()
    #expect(batches.count == 2)
    #expect(try Self.ids(path) == (0..<10).map { Int64($0) } + (20..<30).map { Int64($0) })
  }
}
