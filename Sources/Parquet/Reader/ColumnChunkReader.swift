import Columnar

/// Decodes the pages of one column chunk into levels and dense values.
struct ColumnChunkReader {
  let leaf: ColumnDescriptor
  let metadata: ColumnMetaData
  /// Where the chunk starts in the file, to report page offsets.
  let fileOffset: Int

  /// Reads every page of `chunk` (the chunk's bytes, from its first page); with `selection`
  /// (ascending rows of a flat column) only those rows, skipping pages that hold none of them.
  func read(_ chunk: [UInt8], selection: [Int32]? = nil) throws(ParquetError) -> LeafData {
    let expectedValues = Int(metadata.numValues)
    guard expectedValues >= 0 else { throw corrupt("negative value count \(expectedValues)") }
    var state = PageState(
      leaf: leaf, expectedValues: expectedValues, chunkBytes: chunk.count,
      uncompressedBytes: Int(clamping: metadata.totalUncompressedSize), selection: selection)
    var position = 0
    try chunk.withRawBytes { (bytes) throws(ParquetError) in
      while state.rowsConsumed < expectedValues {
        guard position < bytes.count else {
          throw corrupt("ends after \(state.rowsConsumed) of \(expectedValues) values")
        }
        let (header, headerLength): (PageHeader, Int)
        do {
          (header, headerLength) = try PageHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[position...]))
        } catch {
          throw corrupt("bad page header at byte \(fileOffset + position)", cause: error)
        }
        let bodyStart = position + headerLength
        let compressedSize = Int(header.compressedPageSize)
        guard compressedSize >= 0, compressedSize <= bytes.count - bodyStart else {
          throw corrupt(
            "page at byte \(fileOffset + position) claims \(compressedSize) bytes; \(bytes.count - bodyStart) remain in the chunk")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + compressedSize)])
        do throws(ParquetError) {
          try state.readPage(header, body: body, codec: metadata.codec)
        } catch {
          throw ParquetError(
            error.code, "column '\(leaf.path.joined(separator: "."))', page at byte \(fileOffset + position): \(error.message)",
            cause: error.cause)
        }
        position = bodyStart + compressedSize
      }
    }
    return try state.finish()
  }

  private func corrupt(_ message: String, cause: (any Error & Sendable)? = nil) -> ParquetError {
    ParquetError(.corrupt, "column '\(leaf.path.joined(separator: "."))': \(message)", cause: cause)
  }
}
