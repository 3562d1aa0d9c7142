import Codecs

/// The LZ4 frame format (lz4_Frame_format.md), which Kafka's lz4 codec uses around LZ4
/// blocks: a magic number, a frame descriptor, blocks each with a 4-byte size (high bit set
/// for a stored, uncompressed block), an end mark, and optional checksums.
///
/// Checksums (header, block, content) are skipped, not verified: the record batch's CRC-32C
/// already covers the compressed bytes. Skippable frames are passed over and concatenated
/// frames decoded one after another.
///
/// Linked blocks (matches may reach into the previous 64 KiB of output) are decoded with the
/// `Codecs` block decoder, which has no dictionary input, by handing it a rewritten block
/// whose first literal run is prefixed with that history; the history is then dropped from
/// the output. Java and librdkafka producers write independent blocks, so that path is rare.
enum LZ4Frame {
  static let magic: UInt32 = 0x184D_2204
  static let historySize = 65536

  static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaError) -> [UInt8] {
    var output: [UInt8] = []
    var pos = 0
    func fail(_ what: String) -> KafkaError { .corrupt("lz4 frame: \(what) at byte \(pos)") }
    func u32(_ at: Int) throws(KafkaError) -> UInt32 {
      guard at + 4 <= input.count else { throw fail("truncated input") }
      return UInt32(input[at]) | UInt32(input[at + 1]) << 8 | UInt32(input[at + 2]) << 16 | UInt32(input[at + 3]) << 24
    }

    var block: [UInt8] = []
    repeat {
      let frameMagic = try u32(pos)
      if frameMagic & 0xFFFF_FFF0 == 0x184D_2A50 {  // skippable frame
        let size = Int(try u32(pos + 4))
        guard size <= input.count - pos - 8 else { throw fail("truncated skippable frame") }
        pos += 8 + size
        continue
      }
      guard frameMagic == magic else { throw fail("bad magic number 0x\(String(frameMagic, radix: 16))") }
      pos += 4
      guard pos + 2 <= input.count else { throw fail("truncated frame descriptor") }
      let flags = input[pos]
      let bd = input[pos + 1]
      pos += 2
      guard flags >> 6 == 1 else { throw fail("unsupported frame version \(flags >> 6)") }
      let independent = flags & 0x20 != 0
      let blockChecksum = flags & 0x10 != 0
      let contentSize = flags & 0x08 != 0
      let contentChecksum = flags & 0x04 != 0
      let dictionaryID = flags & 0x01 != 0
      let blockMaxSize: Int
      switch (bd >> 4) & 7 {
      case 4: blockMaxSize = 64 << 10
      case 5: blockMaxSize = 256 << 10
      case 6: blockMaxSize = 1 << 20
      case 7: blockMaxSize = 4 << 20
      default: throw fail("bad block maximum size code \((bd >> 4) & 7)")
      }
      if contentSize { pos += 8 }
      if dictionaryID { throw fail("frames with a dictionary id are not supported") }
      pos += 1  // header checksum
      guard pos <= input.count else { throw fail("truncated frame descriptor") }

      while true {
        let word = try u32(pos)
        pos += 4
        if word == 0 { break }  // end mark
        let stored = word & 0x8000_0000 != 0
        let size = Int(word & 0x7FFF_FFFF)
        guard size <= input.count - pos else { throw fail("truncated block of \(size) bytes") }
        guard size <= blockMaxSize + 16 else { throw fail("block of \(size) bytes exceeds the frame's maximum") }
        let data = UnsafeRawBufferPointer(rebasing: input[pos..<pos + size])
        if stored {
          guard output.count + size <= limit else { throw tooLarge(limit) }
          output.append(contentsOf: data)
        } else if independent || output.isEmpty {
          try decodeBlock(data, maxSize: blockMaxSize, history: [], into: &output, scratch: &block, limit: limit)
        } else {
          let history = Array(output.suffix(historySize))
          try decodeBlock(data, maxSize: blockMaxSize, history: history, into: &output, scratch: &block, limit: limit)
        }
        pos += size
        if blockChecksum { pos += 4 }
      }
      if contentChecksum { pos += 4 }
      guard pos <= input.count else { throw fail("truncated checksum") }
    } while pos < input.count
    return output
  }

  static func tooLarge(_ limit: Int) -> KafkaError {
    .corrupt("lz4 frame: decompressed data exceeds the \(limit)-byte limit")
  }

  /// Decodes one compressed block, with `history` (the previous output) visible to its
  /// matches, and appends the new bytes to `output`.
  private static func decodeBlock(
    _ data: UnsafeRawBufferPointer, maxSize: Int, history: [UInt8], into output: inout [UInt8],
    scratch: inout [UInt8], limit: Int
  ) throws(KafkaError) {
    let source: [UInt8]
    if history.isEmpty {
      source = []
    } else {
      source = try prefixed(data, with: history)
    }
    let capacity = history.count + maxSize
    if scratch.count < capacity { scratch = [UInt8](repeating: 0, count: capacity) }
    let result: Result<Int, CodecError> = scratch.withUnsafeMutableBytes { out in
      if history.isEmpty {
        return Result { () throws(CodecError) in try LZ4Raw.decompress(data, into: out) }
      }
      return source.withUnsafeBytes { src in Result { () throws(CodecError) in try LZ4Raw.decompress(src, into: out) } }
    }
    let written: Int
    switch result {
    case .success(let count): written = count
    case .failure(let error): throw KafkaError("lz4 frame: \(error)", code: .corruptData, underlying: error)
    }
    let produced = written - history.count
    guard produced >= 0, output.count + produced <= limit else { throw tooLarge(limit) }
    output.append(contentsOf: scratch[history.count..<written])
  }

  /// Rewrites a block so its first sequence begins with `history` as extra literals: decoding
  /// the result yields history + the block's own output, with back-references into history
  /// resolved.
  static func prefixed(_ block: UnsafeRawBufferPointer, with history: [UInt8]) throws(KafkaError) -> [UInt8] {
    guard !block.isEmpty else { throw KafkaError.corrupt("lz4 frame: empty block") }
    let token = block[0]
    var literals = Int(token >> 4)
    var pos = 1
    if literals == 15 {
      while true {
        guard pos < block.count else { throw KafkaError.corrupt("lz4 frame: truncated literal length") }
        let byte = block[pos]
        pos += 1
        literals += Int(byte)
        if byte != 255 { break }
      }
    }
    let total = literals + history.count
    var out: [UInt8] = []
    out.reserveCapacity(block.count + history.count + total / 255 + 2)
    out.append(UInt8(min(total, 15)) << 4 | token & 0x0f)
    if total >= 15 {
      var rest = total - 15
      while rest >= 255 {
        out.append(255)
        rest -= 255
      }
      out.append(UInt8(rest))
    }
    out.append(contentsOf: history)
    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[pos...]))
    return out
  }
}
