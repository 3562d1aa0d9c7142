import Codecs

extension CompressionCodec {
  /// Decompresses the records section of a batch. `limit` bounds the output, so a small
  /// hostile batch cannot make the consumer allocate without bound.
  func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaError) -> [UInt8] {
    switch self {
    case .none:
      return Array(input)
    case .gzip:
      do throws(CodecError) { return try Gzip.decompress(input, limit: limit) } catch {
        throw KafkaError("gzip: \(error)", code: .corruptData, underlying: error)
      }
    case .snappy:
      return try SnappyFraming.decompress(input, limit: limit)
    case .lz4:
      return try LZ4Frame.decompress(input, limit: limit)
    case .zstd:
      do throws(CodecError) { return try Zstd.decompress(input, limit: limit) } catch {
        throw KafkaError("zstd: \(error)", code: .corruptData, underlying: error)
      }
    }
  }
}
