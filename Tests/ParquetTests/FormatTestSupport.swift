import Foundation
import Parquet
import Testing

/// Helpers shared by the format tests: locating fixtures, splitting a file into its
/// footer, walking pages.
enum FormatFixtures {
  /// `Tests/ParquetTests/Fixtures/format`.
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/format")

  /// `/work/shared/conformance/tables`, found relative to this file.
  static let conformanceTables = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../shared/conformance/tables").standardizedFileURL

  static func bytes(of url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
  }

  static func fixture(_ name: String) throws -> [UInt8] {
    try bytes(of: directory.appendingPathComponent(name))
  }

  /// The serialized footer of a whole file (without length and magic).
  static func footer(of file: [UInt8]) throws -> [UInt8] {
    try #require(file.count >= 12)
    #expect(Array(file.suffix(4)) == Array("PAR1".utf8))
    let lengthBytes = file[(file.count - 8)..<(file.count - 4)]
    let length = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    try #require(length <= file.count - 12)
    return Array(file[(file.count - 8 - length)..<(file.count - 8)])
  }

  /// Every `.parquet` file below `root`, sorted.
  static func parquetFiles(under root: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
      return []
    }
    var files: [URL] = []
    for case let url as URL in enumerator where url.pathExtension == "parquet" { files.append(url) }
    return files.sorted { $0.path < $1.path }
  }

  struct PageWalk {
    var headers: [PageHeader] = []
    /// Data page values (v1 and v2), nulls included.
    var dataValues: Int64 = 0
  }

  /// Decodes every page header of a column chunk, from its first page through
  /// `total_compressed_size`, checking that each re-encodes to an equal header.
  static func walkPages(
    of chunk: ColumnMetaData, in file: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PageWalk {
    // The first page is the dictionary page if there is one. Offsets below 4 (inside the
    // leading magic) mean "absent": some writers put 0 in dictionary_page_offset, and
    // pyarrow writes data_page_offset 0 for a chunk that has only a dictionary page.
    let start = try #require(
      [chunk.dictionaryPageOffset, chunk.dataPageOffset].compactMap { $0 }.filter { $0 >= 4 }.min(),
      "chunk \(chunk.pathInSchema) has no page offset")
    let end = start + chunk.totalCompressedSize
    try #require(start >= 4 && end <= Int64(file.count), "chunk \(chunk.pathInSchema) lies outside the file")
    var walk = PageWalk()
    var position = Int(start)
    try file.withUnsafeBytes { buffer in
      while position < Int(end) {
        let (header, length) = try PageHeader.decode(
          UnsafeRawBufferPointer(rebasing: buffer[position..<Int(end)]))
        let reencoded = header.encoded()
        #expect(try PageHeader.decode(reencoded).header == header, sourceLocation: sourceLocation)
        walk.headers.append(header)
        if let v1 = header.dataPageHeader { walk.dataValues += Int64(v1.numValues) }
        if let v2 = header.dataPageHeaderV2 { walk.dataValues += Int64(v2.numValues) }
        try #require(header.compressedPageSize >= 0)
        position += length + Int(header.compressedPageSize)
      }
    }
    #expect(position == Int(end), "pages overrun the chunk", sourceLocation: sourceLocation)
    return walk
  }
}

/// A small deterministic generator (FormatFuzzRandom) so fuzz failures reproduce.
struct FormatFuzzRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
