/// Zstandard (RFC 8878) compression and decompression, in pure Swift.
///
/// Frames with dictionaries are refused (`CodecError.Code.unsupported`); everything else in the
/// format decodes, including skippable frames and several frames back to back.
public enum Zstd {
  /// Appends one zstd frame holding `input` to `output`. Level 1...9 trades speed for ratio (at least two distinct behaviours; 3 is the default).
  ///
  /// The frame records the content size and an XXH64 content checksum. Levels outside 1...9 are
  /// clamped.
  public static func compress(_ input: UnsafeRawBufferPointer, level: Int = 3, into output: inout [UInt8]) {
    ZstdCompressor(level: level).compress(input, into: &output)
  }

  /// The content size declared by the first frame header, if present.
  ///
  /// Leading skippable frames are passed over. Throws when the input does not start with a valid
  /// frame header.
  public static func frameContentSize(_ input: UnsafeRawBufferPointer) throws(CodecError) -> Int? {
    var pos = 0
    while true {
      guard input.count - pos >= 4 else { throw .zstd(.truncatedInput, "no frame header", at: pos) }
      let magic = UInt32(input[pos]) | UInt32(input[pos + 1]) << 8 | UInt32(input[pos + 2]) << 16
        | UInt32(input[pos + 3]) << 24
      if magic & ZstdFormat.skippableMagicMask == ZstdFormat.skippableMagic {
        guard input.count - pos >= 8 else { throw .zstd(.truncatedInput, "skippable frame header truncated", at: pos) }
        let size = Int(UInt32(input[pos + 4]) | UInt32(input[pos + 5]) << 8 | UInt32(input[pos + 6]) << 16
          | UInt32(input[pos + 7]) << 24)
        guard size <= input.count - pos - 8 else { throw .zstd(.truncatedInput, "skippable frame truncated", at: pos) }
        pos += 8 + size
        continue
      }
      guard magic == ZstdFormat.frameMagic else { throw .zstd(.corruptInput, "unknown frame magic number", at: pos) }
      return try ZstdFrameHeader.parse(input, at: pos).contentSize
    }
  }

  /// Decompresses all frames into `output`; returns bytes written. Throws (never traps) when input is
  /// corrupt or truncated, or when the content would not fit in output.count.
  public static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CodecError) -> Int {
    let buffer = ZstdOutputBuffer(fixed: output)
    try ZstdDecoder(input: input, output: buffer).decodeAll()
    return buffer.position
  }

  /// For callers that do not know the size: grows up to `limit` bytes, then throws .outputTooLarge.
  ///
  /// The first allocation follows the declared content size but is bounded by the input size, so a
  /// forged header cannot force a huge allocation.
  public static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> [UInt8] {
    let limit = max(0, limit)
    let declared = (try? frameContentSize(input)) ?? nil
    let bound = input.count.multipliedReportingOverflow(by: 256).partialValue &+ 65536
    let initial = min(limit, declared ?? max(4 * input.count, 65536), max(bound, 0))
    let buffer = ZstdOutputBuffer(initialCapacity: initial, limit: limit)
    try ZstdDecoder(input: input, output: buffer).decodeAll()
    return buffer.toArray()
  }
}
