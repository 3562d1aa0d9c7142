import Codecs

/// Kafka's snappy codec: librdkafka writes one raw snappy block, while Java producers write
/// snappy-java's "xerial" stream: the 8-byte magic `\x82SNAPPY\0`, two big-endian int32
/// versions, then chunks each a big-endian int32 length and a raw snappy block. Both decode.
enum SnappyFraming {
  static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]

  static func isXerial(_ input: UnsafeRawBufferPointer) -> Bool {
    input.count >= 16 && input.prefix(8).elementsEqual(xerialMagic)
  }

  static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(KafkaError) -> [UInt8] {
    var output: [UInt8] = []
    if !isXerial(input) {
      try appendBlock(input, to: &output, limit: limit)
      return output
    }
    var pos = 16
    while pos < input.count {
      guard pos + 4 <= input.count else {
        throw KafkaError.corrupt("snappy (xerial): truncated chunk length at byte \(pos)")
      }
      let size = Int(
        UInt32(input[pos]) << 24 | UInt32(input[pos + 1]) << 16 | UInt32(input[pos + 2]) << 8 | UInt32(input[pos + 3]))
      pos += 4
      guard size <= input.count - pos else {
        throw KafkaError.corrupt("snappy (xerial): truncated chunk of \(size) bytes at byte \(pos)")
      }
      try appendBlock(UnsafeRawBufferPointer(rebasing: input[pos..<pos + size]), to: &output, limit: limit)
      pos += size
    }
    return output
  }

  /// Decodes one raw snappy block onto the end of `output`.
  private static func appendBlock(_ block: UnsafeRawBufferPointer, to output: inout [UInt8], limit: Int)
    throws(KafkaError)
  {
    do throws(CodecError) {
      let length = try Snappy.uncompressedLength(block)
      guard output.count + length <= limit else {
        throw CodecError(.outputTooLarge, codec: "SNAPPY", "decompressed data exceeds the \(limit)-byte limit")
      }
      let start = output.count
      output.append(contentsOf: repeatElement(0, count: length))
      let written = try output.withUnsafeMutableBytes { out in
        Result { () throws(CodecError) in
          try Snappy.decompress(block, into: UnsafeMutableRawBufferPointer(rebasing: out[start...]))
        }
      }.get()
      guard written == length else {
        throw CodecError(.sizeMismatch, codec: "SNAPPY", "wrote \(written) bytes, declared \(length)")
      }
    } catch {
      throw KafkaError("snappy: \(error)", code: .corruptData, underlying: error)
    }
  }
}
