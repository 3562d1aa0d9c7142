/// Snappy's raw block format, as Parquet's SNAPPY codec stores it: a varint holding the
/// uncompressed length, then literal and copy elements. (Not the framing format.)
///
/// The compressor lives in `SnappyCompressor.swift`, the decompressor in
/// `SnappyDecompressor.swift`.
public enum Snappy {
  static let codec = "SNAPPY"

  /// Snappy lengths are 32-bit: the preamble never holds more.
  static let maxLength = Int(UInt32.max)

  /// Element tags: the low two bits of each element's first byte.
  static let tagLiteral: UInt8 = 0
  static let tagCopy1: UInt8 = 1
  static let tagCopy2: UInt8 = 2
  static let tagCopy4: UInt8 = 3

  /// The most output one input byte can produce: a 3-byte copy-2 element yields at most
  /// 64 bytes. A declared length above this bound cannot be honest, so we reject it
  /// before any caller allocates for it.
  static let maxExpansion = 22

  /// The worst-case compressed size of `count` input bytes (the reference's bound).
  public static func maxCompressedLength(_ count: Int) -> Int {
    32 + count + count / 6
  }

  /// The uncompressed length declared in the preamble.
  ///
  /// Throws when the varint is truncated or too long, or when the declared length could
  /// not possibly be produced by the rest of the input (a forged length).
  public static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(CodecError) -> Int {
    let (length, preamble) = try readPreamble(input)
    if length > (input.count - preamble) * maxExpansion {
      throw CodecError(
        .corruptInput, codec: codec,
        "declared length \(length) is impossible for \(input.count) input bytes", offset: 0)
    }
    return length
  }

  /// Decodes the varint preamble: the declared length and how many bytes it took.
  static func readPreamble(_ input: UnsafeRawBufferPointer) throws(CodecError) -> (Int, Int) {
    var value = 0
    var shift = 0
    for index in 0..<min(input.count, 5) {
      let byte = Int(input[index])
      value |= (byte & 0x7f) << shift
      if byte < 0x80 {
        guard value <= maxLength else {
          throw CodecError(.corruptInput, codec: codec, "length preamble exceeds 32 bits", offset: 0)
        }
        return (value, index + 1)
      }
      shift += 7
    }
    if input.count < 5 {
      throw CodecError(.truncatedInput, codec: codec, "truncated length preamble", offset: input.count)
    }
    throw CodecError(.corruptInput, codec: codec, "length preamble longer than 5 bytes", offset: 0)
  }
}
