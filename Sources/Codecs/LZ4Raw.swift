/// The LZ4 block format with no frame around it, as Parquet's LZ4_RAW codec stores it.
///
/// A block is a run of sequences: a token (literal length in the high nibble, match length
/// minus 4 in the low nibble, 15 meaning "more bytes follow"), the literals, a 2-byte
/// little-endian offset and the match. The last sequence stops after its literals.
/// Blocks do not record their uncompressed size; the caller must know it.
///
/// The compressor lives in `LZ4RawCompressor.swift`, the decompressor in
/// `LZ4RawDecompressor.swift`.
public enum LZ4Raw {
  static let codec = "LZ4_RAW"

  static let minMatch = 4
  /// The last match must start at least this many bytes before the end of the block.
  static let mfLimit = 12
  /// The last this-many bytes of a block are always literals.
  static let lastLiterals = 5
  static let maxOffset = 65535

  /// The worst-case compressed size of `count` input bytes (LZ4_compressBound).
  public static func maxCompressedLength(_ count: Int) -> Int {
    count + count / 255 + 16
  }
}
