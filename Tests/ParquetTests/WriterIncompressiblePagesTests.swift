import Columnar
import Foundation
import Parquet
import Testing

/// SNAPPY pages of a column that does not compress are stored as Snappy literals for a while
/// (``ParquetWriteOptions/storesIncompressiblePages``); compressible columns are not affected,
/// and a column whose data turns compressible is compressed again.
@Suite struct WriterIncompressiblePagesTests {
  static let hex = Array("0123456789abcdef".utf8)

  static func hexIDs(_ count: Int, seed: UInt64) -> [[UInt8]] {
    var random = TestRandom(seed: seed)
    return (0..<count).map { _ in (0..<64).map { _ in hex[random.below(16)] } }
  }

  /// (compressed, uncompressed) bytes of each column of the file's first row group.
  static func chunkSizes(_ path: String) throws -> [(Int64, Int64)] {
    let reader = try ParquetFileReader(path: path)
    return try #require(reader.metadata.rowGroups.first).columns.map {
      ($0.metaData?.totalCompressedSize ?? 0, $0.metaData?.totalUncompressedSize ?? 0)
    }
  }

  static func write(_ batch: RecordBatch, _ options: ParquetWriteOptions, _ name: String) throws -> String {
    let path = try WriterTesting.temporaryPath("\(name).parquet")
    try WriterTesting.write([batch], schema: batch.schema, options: options, to: path)
    let readBack = try ParquetFileReader(path: path).readAll()
    WriterTesting.expectSameRows(try WriterTesting.rows(readBack), try WriterTesting.rows([batch]), ignoring: [], name)
    return path
  }

  @Test func hashColumnsAreStoredAndTextStaysCompressed() throws {
    let n = 200_000
    let schema = Schema([Field("id", .string), Field("text", .string)])
    let batch = try RecordBatch(
      schema: schema,
      columns: [
        Build.bytes(Self.hexIDs(n, seed: 3), .string),
        Build.strings((0..<n).map { "GET /index.html HTTP/1.1 \($0 % 50)" }),
      ], rowCount: n)
    var options = ParquetWriteOptions()
    options.dictionaryEnabled = false
    let adaptive = try Self.chunkSizes(Self.write(batch, options, "adaptive"))
    options.storesIncompressiblePages = false
    let searched = try Self.chunkSizes(Self.write(batch, options, "searched"))
    // Hex ids shrink by a few percent at most: stored, they take about their uncompressed size.
    #expect(searched[0].0 < searched[0].1)
    #expect(adaptive[0].0 > searched[0].0)
    #expect(Double(adaptive[0].0) >= Double(adaptive[0].1) * 0.98)
    #expect(Double(adaptive[0].0) <= Double(adaptive[0].1) * 1.01)
    // The repetitive text column is compressed the same either way.
    #expect(adaptive[1] == searched[1])
    #expect(adaptive[1].0 * 4 < adaptive[1].1)
  }

  @Test func aColumnThatTurnsCompressibleIsCompressedAgain() throws {
    let n = 400_000
    var values = Self.hexIDs(n / 2, seed: 5)
    values += (0..<(n / 2)).map { Array("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\($0 % 7)".utf8) }
    let batch = try RecordBatch(
      schema: Schema([Field("id", .string)]), columns: [Build.bytes(values, .string)], rowCount: n)
    var options = ParquetWriteOptions()
    options.dictionaryEnabled = false
    options.rowGroupRowLimit = n
    let (compressed, uncompressed) = try #require(try Self.chunkSizes(Self.write(batch, options, "turns")).first)
    // The hex half (~half the bytes) is stored; most of the repetitive half is compressed again,
    // after at most 64 stored pages of it (the longest literal run).
    #expect(Double(compressed) < Double(uncompressed) * 0.75)
  }
}
