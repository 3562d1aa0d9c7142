import Storage
import Testing

@testable import Delta

/// `DeletionVectorDescriptor.filePath` and `loadDeletedRows`: DV paths, the DV file framing
/// (version byte, size, CRC-32) and inline deletion vectors, including hostile descriptors.
@Suite struct DeletionVectorDescriptorTests {
  // MARK: Paths

  @Test func relativePathWithRandomPrefix() throws {
    // PROTOCOL.md, "JSON Example 1".
    let descriptor = DeletionVectorDescriptor(
      storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, sizeInBytes: 40, cardinality: 6)
    let expected = "s3://mytable/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"
    #expect(try descriptor.filePath(tableRoot: "s3://mytable") == expected)
    #expect(try descriptor.filePath(tableRoot: "s3://mytable/") == expected)
  }

  @Test func relativePathWithoutPrefix() throws {
    let descriptor = DeletionVectorDescriptor(
      storageType: "u", pathOrInlineDv: "vBn[lx{q8@P<9BNH/isA", offset: 1, sizeInBytes: 36, cardinality: 2)
    #expect(
      try descriptor.filePath(tableRoot: "/data/t")
        == "/data/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin")
  }

  @Test func absolutePaths() throws {
    func path(_ text: String) throws -> String? {
      try DeletionVectorDescriptor(storageType: "p", pathOrInlineDv: text, offset: 1, sizeInBytes: 36, cardinality: 2)
        .filePath(tableRoot: "/ignored")
    }
    #expect(try path("file:///tmp/t/deletion_vector_x.bin") == "/tmp/t/deletion_vector_x.bin")
    #expect(try path("file:/tmp/a%20b/dv.bin") == "/tmp/a b/dv.bin")
    #expect(try path("file://localhost/tmp/dv.bin") == "/tmp/dv.bin")
    #expect(try path("/tmp/plain/dv.bin") == "/tmp/plain/dv.bin")
    #expect(try path("s3://bucket/t/dv.bin") == "s3://bucket/t/dv.bin")
    #expect(throws: DeletionVectorError.self) { try path("file://otherhost/tmp/dv.bin") }
    #expect(throws: DeletionVectorError.self) { try path("file:/tmp/bad%zzescape") }
  }

  @Test func inlineHasNoPath() throws {
    let descriptor = DeletionVectorDescriptor(
      storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", offset: nil,
      sizeInBytes: 40, cardinality: 6)
    #expect(try descriptor.filePath(tableRoot: "/t") == nil)
  }

  @Test(arguments: [
    ("x", "vBn[lx{q8@P<9BNH/isA"),  // unknown storage type
    ("u", "short"),  // no 20-character UUID
    ("u", "vBn[lx{q8@P<9BNH/is "),  // not Z85
    ("u", "../vBn[lx{q8@P<9BNH/isA"),  // a prefix that leaves the table
    ("u", "/vBn[lx{q8@P<9BNH/isA"),
    ("u", "a/./vBn[lx{q8@P<9BNH/isA"),
    ("u", "vBn[lx{q8@P<9BNH##000"),  // a short Z85 tail is not a UUID
  ])
  func malformedDescriptorsThrow(storageType: String, text: String) {
    let descriptor = DeletionVectorDescriptor(
      storageType: storageType, pathOrInlineDv: text, offset: 1, sizeInBytes: 36, cardinality: 2)
    #expect(throws: DeletionVectorError.self) { try descriptor.filePath(tableRoot: "/t") }
  }

  // MARK: Inline

  @Test func inlineProtocolExample() throws {
    // PROTOCOL.md, "JSON Example 3".
    let descriptor = DeletionVectorDescriptor(
      storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", offset: nil,
      sizeInBytes: 40, cardinality: 6)
    let rows = try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.noFiles)
    #expect(Array(rows) == [3, 4, 7, 11, 18, 29])
  }

  @Test func inlineZeroPaddedAndShortTail() throws {
    // 34 bytes: Delta pads with two zero bytes, the Rust z85 crate writes "##093"-style tails.
    let bytes = RoaringBitmapArray.encode(DeletedRows([3]))
    #expect(bytes.count == 34)
    let padded = DeletionVectorDescriptor(
      storageType: "i", pathOrInlineDv: Z85.encode(bytes), offset: nil, sizeInBytes: 34, cardinality: 1)
    #expect(Array(try padded.loadDeletedRows(tableRoot: "/t", read: Self.noFiles)) == [3])
    let short = DeletionVectorDescriptor(
      storageType: "i", pathOrInlineDv: "^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093", offset: nil,
      sizeInBytes: 34, cardinality: 1)
    #expect(Array(try short.loadDeletedRows(tableRoot: "/t", read: Self.noFiles)) == [3])
  }

  @Test func inlineMismatchesThrow() {
    let text = Z85.encode(RoaringBitmapArray.encode(DeletedRows([1, 2])))
    let cases = [
      DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: 36, cardinality: 3),
      DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: 40, cardinality: 2),
      DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: 32, cardinality: 2),
      DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: -1, cardinality: 2),
      DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: 36, cardinality: -2),
      DeletionVectorDescriptor(
        storageType: "i", pathOrInlineDv: String(text.dropLast()) + "~", offset: nil, sizeInBytes: 36, cardinality: 2),
    ]
    for descriptor in cases {
      #expect(throws: DeletionVectorError.self, "\(descriptor)") {
        try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.noFiles)
      }
    }
  }

  @Test func cardinalityMismatchIsReported() {
    let text = Z85.encode(RoaringBitmapArray.encode(DeletedRows([1, 2])))
    let descriptor = DeletionVectorDescriptor(
      storageType: "i", pathOrInlineDv: text, offset: nil, sizeInBytes: 36, cardinality: 3)
    do {
      _ = try descriptor.loadDeletedRows(tableRoot: "/tables/t1", read: Self.noFiles)
      Issue.record("loaded a deletion vector whose cardinality is wrong")
    } catch {
      #expect(error.code == .cardinalityMismatch)
      #expect(error.description.contains("/tables/t1"))
      #expect(error.description.contains("2 rows"))
    }
  }

  // MARK: DV files

  static let uuidText = "vBn[lx{q8@P<9BNH/isA"
  static let fileName = "/t/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"

  /// A DV file holding `sets`, and the offset and size of each.
  static func dvFile(_ sets: [[UInt64]]) -> (bytes: [UInt8], entries: [(offset: Int, size: Int)]) {
    var bytes: [UInt8] = [1]
    var entries: [(Int, Int)] = []
    for rows in sets {
      let bitmap = RoaringBitmapArray.encode(DeletedRows(rows))
      entries.append((bytes.count, bitmap.count))
      appendBigEndian(UInt32(bitmap.count), to: &bytes)
      bytes += bitmap
      appendBigEndian(CRC32.checksum(bitmap), to: &bytes)
    }
    return (bytes, entries)
  }

  static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 24, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
    }
  }

  static func reader(_ files: [String: [UInt8]]) -> (String, Int, Int) throws -> [UInt8] {
    { path, offset, length in
      guard let bytes = files[path] else { throw StorageError(.notFound, path: path, "no such file") }
      return try MemoryFile(path: path, bytes: bytes).read(offset: offset, length: length)
    }
  }

  static func noFiles(_ path: String, _ offset: Int, _ length: Int) throws -> [UInt8] {
    throw StorageError(.notFound, path: path, "no files in this test")
  }

  static func descriptor(offset: Int?, size: Int, cardinality: Int) -> DeletionVectorDescriptor {
    DeletionVectorDescriptor(
      storageType: "u", pathOrInlineDv: uuidText, offset: offset, sizeInBytes: size, cardinality: Int64(cardinality))
  }

  @Test func readsEachDeletionVectorOfAFile() throws {
    let farOffRows = (0..<5000).map { UInt64($0 * 7) }
    let dense = (0..<40_000).map { UInt64($0 * 2) }  // two bitmap containers, 16 KiB
    let sets: [[UInt64]] = [[0, 9], Array(100..<200_000), dense, [1 << 33], farOffRows]
    let file = Self.dvFile(sets)
    let read = Self.reader([Self.fileName: file.bytes])
    for (rows, entry) in zip(sets, file.entries) {
      let descriptor = Self.descriptor(offset: entry.offset, size: entry.size, cardinality: rows.count)
      #expect(Array(try descriptor.loadDeletedRows(tableRoot: "/t", read: read)) == rows)
    }
    #expect(file.entries[4].offset > 4096)  // also exercises the separate version-byte read
  }

  @Test func absentOffsetMeansTheFirstDeletionVector() throws {
    let file = Self.dvFile([[4, 5]])
    let descriptor = Self.descriptor(offset: nil, size: file.entries[0].size, cardinality: 2)
    #expect(
      Array(try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.reader([Self.fileName: file.bytes]))) == [4, 5])
  }

  @Test func absolutePathDeletionVector() throws {
    let file = Self.dvFile([[4, 5]])
    let descriptor = DeletionVectorDescriptor(
      storageType: "p", pathOrInlineDv: "file:///elsewhere/dv%201.bin", offset: 1, sizeInBytes: file.entries[0].size,
      cardinality: 2)
    let rows = try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.reader(["/elsewhere/dv 1.bin": file.bytes]))
    #expect(Array(rows) == [4, 5])
  }

  @Test func everyByteFlipOfAFileIsCaught() {
    let file = Self.dvFile([[0, 9, 70_000, 1 << 32]])
    let size = file.entries[0].size
    for position in file.bytes.indices {
      for flip: UInt8 in [0x01, 0x80] {
        var bytes = file.bytes
        bytes[position] ^= flip
        let descriptor = Self.descriptor(offset: 1, size: size, cardinality: 4)
        #expect(throws: DeletionVectorError.self, "flip at \(position)") {
          try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.reader([Self.fileName: bytes]))
        }
      }
    }
  }

  @Test func everyTruncationOfAFileIsCaught() {
    let file = Self.dvFile([[0, 9, 70_000]])
    for length in 0..<file.bytes.count {
      let descriptor = Self.descriptor(offset: 1, size: file.entries[0].size, cardinality: 3)
      #expect(throws: DeletionVectorError.self) {
        try descriptor.loadDeletedRows(
          tableRoot: "/t", read: Self.reader([Self.fileName: Array(file.bytes.prefix(length))]))
      }
    }
  }

  @Test func checksumMismatchNamesTheFile() {
    var file = Self.dvFile([[0, 9]])
    file.bytes[file.bytes.count - 1] ^= 0xFF
    let descriptor = Self.descriptor(offset: 1, size: file.entries[0].size, cardinality: 2)
    do {
      _ = try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.reader([Self.fileName: file.bytes]))
      Issue.record("accepted a bad checksum")
    } catch {
      #expect(error.code == .checksumMismatch)
      #expect(error.description.contains(Self.fileName + "@1"))
    }
  }

  @Test func forgedDescriptorsThrow() {
    let file = Self.dvFile([[0, 9]])
    let size = file.entries[0].size
    let read = Self.reader([Self.fileName: file.bytes])
    let cases = [
      Self.descriptor(offset: 0, size: size, cardinality: 2),  // the version byte
      Self.descriptor(offset: -5, size: size, cardinality: 2),
      Self.descriptor(offset: 2, size: size, cardinality: 2),  // misaligned
      Self.descriptor(offset: Int.max - 3, size: size, cardinality: 2),  // overflowing
      Self.descriptor(offset: 1, size: size + 1, cardinality: 2),  // size disagrees with the file
      Self.descriptor(offset: 1, size: Int(Int32.max) + 1, cardinality: 2),  // larger than the format allows
      Self.descriptor(offset: 1, size: 3, cardinality: 2),
      Self.descriptor(offset: 1, size: size, cardinality: 1),
    ]
    for descriptor in cases {
      #expect(throws: DeletionVectorError.self, "\(descriptor)") {
        try descriptor.loadDeletedRows(tableRoot: "/t", read: read)
      }
    }
  }

  @Test func unknownVersionByteThrows() {
    var file = Self.dvFile([[0, 9]])
    file.bytes[0] = 2
    let descriptor = Self.descriptor(offset: 1, size: file.entries[0].size, cardinality: 2)
    #expect(throws: DeletionVectorError.self) {
      try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.reader([Self.fileName: file.bytes]))
    }
  }

  @Test func readFailuresKeepTheirCause() {
    let descriptor = Self.descriptor(offset: 1, size: 36, cardinality: 2)
    do {
      _ = try descriptor.loadDeletedRows(tableRoot: "/t", read: Self.noFiles)
      Issue.record("read a file that does not exist")
    } catch {
      #expect(error.code == .io)
      #expect(error.cause is StorageError)
      #expect(error.file == Self.fileName)
    }
    // A reader that returns fewer bytes than asked for.
    let short: (String, Int, Int) throws -> [UInt8] = { _, _, length in [UInt8](repeating: 1, count: length / 2) }
    #expect(throws: DeletionVectorError.self) { try descriptor.loadDeletedRows(tableRoot: "/t", read: short) }
  }
}
