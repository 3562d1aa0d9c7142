/// Decodes a sequence of zstd and skippable frames into a `ZstdOutputBuffer`.
///
/// One instance decodes one input; the entropy tables and repeat offsets it keeps between blocks
/// are reset at every frame.
final class ZstdDecoder {
  let input: UnsafeRawBufferPointer
  let out: ZstdOutputBuffer

  let huffman = ZstdHuffmanDecoder()
  let llTable = ZstdFSEDecodeTable()
  let ofTable = ZstdFSEDecodeTable()
  let mlTable = ZstdFSEDecodeTable()
  /// Scratch for FSE table descriptions.
  let norm = UnsafeMutablePointer<Int16>.allocate(capacity: ZstdFSEDecodeTable.maxSymbols)
  let valueTables = ZstdValueTables()

  /// Decoded literals of the current block, with slack so copies may run 32 bytes past the end.
  var literals: UnsafeMutablePointer<UInt8>
  var literalsCapacity = 0
  static let slack = 32

  var rep0 = 1
  var rep1 = 4
  var rep2 = 8
  /// Output position where the current frame started: matches may not reach before it.
  var frameStart = 0

  init(input: UnsafeRawBufferPointer, output: ZstdOutputBuffer) {
    self.input = input
    self.out = output
    literals = .allocate(capacity: Self.slack)
  }

  deinit {
    norm.deallocate()
    literals.deallocate()
  }

  func ensureLiteralsCapacity(_ count: Int) {
    guard count > literalsCapacity else { return }
    literals.deallocate()
    literals = .allocate(capacity: count + Self.slack)
    literalsCapacity = count
  }

  @inline(__always)
  func readLE32(_ at: Int) -> UInt32 {
    UInt32(input[at]) | UInt32(input[at + 1]) << 8 | UInt32(input[at + 2]) << 16 | UInt32(input[at + 3]) << 24
  }

  /// Decodes every frame of the input.
  func decodeAll() throws(CodecError) {
    var pos = 0
    while pos < input.count {
      guard input.count - pos >= 4 else { throw .zstd(.truncatedInput, "incomplete frame magic number", at: pos) }
      let magic = readLE32(pos)
      if magic & ZstdFormat.skippableMagicMask == ZstdFormat.skippableMagic {
        guard input.count - pos >= 8 else { throw .zstd(.truncatedInput, "skippable frame header truncated", at: pos) }
        let size = Int(readLE32(pos + 4))
        guard size <= input.count - pos - 8 else { throw .zstd(.truncatedInput, "skippable frame truncated", at: pos) }
        pos += 8 + size
      } else if magic == ZstdFormat.frameMagic {
        pos = try decodeFrame(at: pos)
      } else {
        throw .zstd(.corruptInput, "unknown frame magic number", at: pos)
      }
    }
  }

  private func decodeFrame(at start: Int) throws(CodecError) -> Int {
    let header = try ZstdFrameHeader.parse(input, at: start)
    var pos = start + header.headerSize
    frameStart = out.position
    rep0 = 1
    rep1 = 4
    rep2 = 8
    huffman.isValid = false
    llTable.isValid = false
    ofTable.isValid = false
    mlTable.isValid = false
    if let size = header.contentSize, !out.canHold(size) {
      throw out.overflowError(at: start, declared: true)
    }
    let blockMax = header.blockSizeMax
    while true {
      guard input.count - pos >= 3 else { throw .zstd(.truncatedInput, "block header truncated", at: pos) }
      let bh = Int(input[pos]) | Int(input[pos + 1]) << 8 | Int(input[pos + 2]) << 16
      let isLast = bh & 1 != 0
      let blockType = (bh >> 1) & 3
      let blockSize = bh >> 3
      let headerPos = pos
      pos += 3
      switch blockType {
      case 0:
        guard blockSize <= blockMax else { throw .zstd(.corruptInput, "raw block larger than maximum", at: headerPos) }
        guard blockSize <= input.count - pos else { throw .zstd(.truncatedInput, "raw block truncated", at: headerPos) }
        out.reserve(blockSize)
        guard blockSize <= out.capacity - out.position else { throw out.overflowError(at: headerPos) }
        if blockSize > 0, let src = input.baseAddress {
          (out.base + out.position).copyMemory(from: src + pos, byteCount: blockSize)
        }
        out.position += blockSize
        pos += blockSize
      case 1:
        guard blockSize <= blockMax else { throw .zstd(.corruptInput, "RLE block larger than maximum", at: headerPos) }
        guard pos < input.count else { throw .zstd(.truncatedInput, "RLE block truncated", at: headerPos) }
        out.reserve(blockSize)
        guard blockSize <= out.capacity - out.position else { throw out.overflowError(at: headerPos) }
        (out.base + out.position).initializeMemory(as: UInt8.self, repeating: input[pos], count: blockSize)
        out.position += blockSize
        pos += 1
      case 2:
        guard blockSize <= blockMax else { throw .zstd(.corruptInput, "compressed block larger than maximum", at: headerPos) }
        guard blockSize <= input.count - pos else { throw .zstd(.truncatedInput, "compressed block truncated", at: headerPos) }
        out.reserve(blockMax)
        try decodeCompressedBlock(at: pos, size: blockSize, blockMax: blockMax)
        pos += blockSize
      default:
        throw .zstd(.corruptInput, "reserved block type", at: headerPos)
      }
      if isLast { break }
    }
    let produced = out.position - frameStart
    if header.hasChecksum {
      guard input.count - pos >= 4 else { throw .zstd(.truncatedInput, "content checksum truncated", at: pos) }
      let expected = readLE32(pos)
      let actual = UInt32(truncatingIfNeeded: XXHash64.hash(UnsafeRawBufferPointer(start: out.base + frameStart, count: produced)))
      guard expected == actual else { throw .zstd(.corruptInput, "content checksum mismatch", at: pos) }
      pos += 4
    }
    if let size = header.contentSize, size != produced {
      throw .zstd(.sizeMismatch, "frame declares \(size) bytes but holds \(produced)", at: start)
    }
    return pos
  }

  private func decodeCompressedBlock(at start: Int, size: Int, blockMax: Int) throws(CodecError) {
    let block = UnsafeRawBufferPointer(rebasing: input[start..<start + size])
    let (literalCount, literalsSize) = try decodeLiterals(block, offset: start, blockMax: blockMax)
    try decodeSequences(
      UnsafeRawBufferPointer(rebasing: block[literalsSize...]), offset: start + literalsSize,
      literalCount: literalCount)
  }
}
