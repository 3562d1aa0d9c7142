/// The parsed header of a zstd frame (RFC 8878 section 3.1.1.1).
struct ZstdFrameHeader {
  var headerSize: Int
  var contentSize: Int?
  var windowSize: Int
  var hasChecksum: Bool

  /// Largest decompressed size of one block in this frame.
  var blockSizeMax: Int { min(windowSize, ZstdFormat.blockSizeMax) }

  /// Parses the header of the zstd frame starting at `input[at]` (after checking its magic number).
  static func parse(_ input: UnsafeRawBufferPointer, at start: Int) throws(CodecError) -> ZstdFrameHeader {
    var pos = start + 4
    guard pos < input.count else { throw .zstd(.truncatedInput, "frame header truncated", at: start) }
    let descriptor = input[pos]
    pos += 1
    let fcsFlag = Int(descriptor >> 6)
    let singleSegment = descriptor & 0x20 != 0
    guard descriptor & 0x08 == 0 else { throw .zstd(.corruptInput, "reserved frame header bit set", at: start + 4) }
    let hasChecksum = descriptor & 0x04 != 0
    let dictionaryIDSize = [0, 1, 2, 4][Int(descriptor & 3)]
    let fcsSize = fcsFlag == 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]
    let headerEnd = pos + (singleSegment ? 0 : 1) + dictionaryIDSize + fcsSize
    guard headerEnd <= input.count else { throw .zstd(.truncatedInput, "frame header truncated", at: start) }

    var windowSize = 0
    if !singleSegment {
      let w = input[pos]
      pos += 1
      let windowLog = 10 + Int(w >> 3)
      guard windowLog <= ZstdFormat.windowLogMax else {
        throw .zstd(.unsupported, "window size too large", at: pos - 1)
      }
      let windowBase = 1 << windowLog
      windowSize = windowBase + (windowBase / 8) * Int(w & 7)
    }
    var dictionaryID: UInt32 = 0
    for i in 0..<dictionaryIDSize { dictionaryID |= UInt32(input[pos + i]) << (8 * UInt32(i)) }
    // A zero ID means "no dictionary" (RFC 8878), so only a real ID is refused.
    guard dictionaryID == 0 else {
      throw .zstd(.unsupported, "dictionaries unsupported (frame needs dictionary \(dictionaryID))", at: pos)
    }
    pos += dictionaryIDSize
    var contentSize: Int?
    if fcsSize > 0 {
      var value: UInt64 = 0
      for i in 0..<fcsSize { value |= UInt64(input[pos + i]) << (8 * UInt64(i)) }
      if fcsSize == 2 { value += 256 }
      guard value <= UInt64(Int.max) else { throw .zstd(.unsupported, "frame content size too large", at: pos) }
      contentSize = Int(value)
      pos += fcsSize
    }
    if singleSegment {
      windowSize = contentSize ?? 0
    }
    return ZstdFrameHeader(
      headerSize: pos - start, contentSize: contentSize, windowSize: windowSize, hasChecksum: hasChecksum)
  }
}
