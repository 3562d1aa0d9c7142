import Codecs

/// Compresses and decompresses page bodies with a Parquet compression codec.
enum PageCompression {
  /// Decompresses `input` into exactly `uncompressedSize` bytes.
  static func decompress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, uncompressedSize: Int)
    throws(ParquetError) -> [UInt8]
  {
    guard uncompressedSize >= 0 else {
      throw ParquetError(.corrupt, "negative uncompressed page size \(uncompressedSize)")
    }
    if codec == .uncompressed {
      guard input.count == uncompressedSize else {
        throw ParquetError(.corrupt, "uncompressed page of \(input.count) bytes declares \(uncompressedSize)")
      }
      return Array(input)
    }
    // A forged size must not make us allocate far beyond what the codec could produce.
    guard uncompressedSize <= maxExpansion(codec) * max(input.count, 64) else {
      throw ParquetError(
        .corrupt, "page claims \(uncompressedSize) bytes from \(input.count) compressed \(codec) bytes")
    }
    var written = 0
    let output: [UInt8]
    do {
      output = try [UInt8](unsafeUninitializedCapacity: uncompressedSize) { buffer, initialized in
        let raw = UnsafeMutableRawBufferPointer(buffer)
        switch codec {
        case .snappy: written = try Snappy.decompress(input, into: raw)
        case .gzip: written = try Gzip.decompress(input, into: raw)
        case .zstd: written = try Zstd.decompress(input, into: raw)
        case .lz4Raw: written = try LZ4Raw.decompress(input, into: raw)
        case .lz4: written = try decompressHadoopLZ4(input, into: raw)
        default: throw ParquetError(.unsupported, "compression codec \(codec) is not supported")
        }
        // Bytes past `written` are never read: a short page is rejected just below.
        initialized = written
      }
    } catch let error as ParquetError {
      throw error
    } catch let error as CodecError {
      throw ParquetError(.corrupt, "cannot decompress page", cause: error)
    } catch {
      throw ParquetError(.corrupt, "cannot decompress page: \(error)")
    }
    guard written == uncompressedSize else {
      throw ParquetError(.corrupt, "page decompressed to \(written) bytes, header says \(uncompressedSize)")
    }
    return output
  }

  /// Appends `input` compressed with `codec` to `output`.
  static func compress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, level: Int?, into output: inout [UInt8])
    throws(ParquetError)
  {
    switch codec {
    case .uncompressed: output.append(contentsOf: input)
    case .snappy: Snappy.compress(input, into: &output)
    case .gzip: Gzip.compress(input, level: Int32(level ?? 6), into: &output)
    case .zstd: Zstd.compress(input, level: level ?? 3, into: &output)
    case .lz4Raw: LZ4Raw.compress(input, into: &output)
    default: throw ParquetError(.unsupported, "writing with compression codec \(codec) is not supported")
    }
  }

  /// The deprecated LZ4 codec: Hadoop's framing (big-endian uncompressed and compressed lengths
  /// before each raw block) in most files, a bare raw block in a few.
  private static func decompressHadoopLZ4(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws -> Int
  {
    var position = 0
    var written = 0
    func bigEndian32(_ at: Int) -> Int {
      Int(input[at]) << 24 | Int(input[at + 1]) << 16 | Int(input[at + 2]) << 8 | Int(input[at + 3])
    }
    while position + 8 <= input.count {
      let expected = bigEndian32(position)
      let compressed = bigEndian32(position + 4)
      guard compressed <= input.count - position - 8, expected <= output.count - written else {
        return try LZ4Raw.decompress(input, into: output)
      }
      let block = UnsafeRawBufferPointer(rebasing: input[(position + 8)..<(position + 8 + compressed)])
      let target = UnsafeMutableRawBufferPointer(rebasing: output[written..<(written + expected)])
      written += try LZ4Raw.decompress(block, into: target)
      position += 8 + compressed
    }
    guard position == input.count else { return try LZ4Raw.decompress(input, into: output) }
    return written
  }

  private static func maxExpansion(_ codec: CompressionCodec) -> Int {
    switch codec {
    case .snappy: 64  // a 2-byte copy element yields at most 64 bytes
    case .lz4Raw, .lz4: 256
    case .zstd: 40_000  // an RLE block turns 4 bytes into up to 128 KiB
    default: 1100  // DEFLATE tops out near 1032:1
    }
  }
}
