extension ZstdDecoder {
  /// Decodes the literals section at the start of `block` into `literals`.
  /// Returns the number of literals and the section's size in bytes.
  func decodeLiterals(_ block: UnsafeRawBufferPointer, offset: Int, blockMax: Int) throws(CodecError) -> (count: Int, size: Int) {
    guard block.count >= 1 else { throw .zstd(.truncatedInput, "literals section missing", at: offset) }
    let b0 = Int(block[0])
    let type = b0 & 3
    let sizeFormat = (b0 >> 2) & 3
    switch type {
    case 0, 1:
      // Raw or RLE literals: 1, 2 or 3 header bytes.
      var count: Int
      var headerSize: Int
      switch sizeFormat {
      case 0, 2:
        count = b0 >> 3
        headerSize = 1
      case 1:
        guard block.count >= 2 else { throw .zstd(.truncatedInput, "literals header truncated", at: offset) }
        count = (b0 >> 4) + (Int(block[1]) << 4)
        headerSize = 2
      default:
        guard block.count >= 3 else { throw .zstd(.truncatedInput, "literals header truncated", at: offset) }
        count = (b0 >> 4) + (Int(block[1]) << 4) + (Int(block[2]) << 12)
        headerSize = 3
      }
      guard count <= blockMax else { throw .zstd(.corruptInput, "too many literals", at: offset) }
      ensureLiteralsCapacity(count)
      if type == 0 {
        guard count <= block.count - headerSize else { throw .zstd(.truncatedInput, "raw literals truncated", at: offset) }
        if count > 0, let src = block.baseAddress {
          UnsafeMutableRawPointer(literals).copyMemory(from: src + headerSize, byteCount: count)
        }
        return (count, headerSize + count)
      }
      guard block.count > headerSize else { throw .zstd(.truncatedInput, "RLE literals truncated", at: offset) }
      literals.initialize(repeating: block[headerSize], count: count)
      return (count, headerSize + 1)
    default:
      // Huffman-coded literals, with a new tree (2) or the previous block's tree (3).
      let headerSize = sizeFormat <= 1 ? 3 : sizeFormat + 2
      guard block.count >= headerSize else { throw .zstd(.truncatedInput, "literals header truncated", at: offset) }
      var value: UInt64 = 0
      for i in 0..<headerSize { value |= UInt64(block[i]) << (8 * UInt64(i)) }
      let fieldBits: UInt64 = sizeFormat <= 1 ? 10 : (sizeFormat == 2 ? 14 : 18)
      let mask: UInt64 = (1 << fieldBits) - 1
      let count = Int((value >> 4) & mask)
      let compressedSize = Int((value >> (4 + fieldBits)) & mask)
      guard count <= blockMax else { throw .zstd(.corruptInput, "too many literals", at: offset) }
      guard compressedSize <= block.count - headerSize else {
        throw .zstd(.truncatedInput, "compressed literals truncated", at: offset)
      }
      var src = UnsafeRawBufferPointer(rebasing: block[headerSize..<headerSize + compressedSize])
      var srcOffset = offset + headerSize
      if type == 2 {
        let treeSize = try huffman.readTable(src, offset: srcOffset)
        src = UnsafeRawBufferPointer(rebasing: src[treeSize...])
        srcOffset += treeSize
      } else {
        guard huffman.isValid else {
          throw .zstd(.corruptInput, "treeless literals without a previous Huffman tree", at: offset)
        }
      }
      ensureLiteralsCapacity(count)
      if sizeFormat == 0 {
        try huffman.decode1X(src, into: literals, count: count, offset: srcOffset)
      } else {
        try huffman.decode4X(src, into: literals, count: count, offset: srcOffset)
      }
      return (count, headerSize + compressedSize)
    }
  }
}
