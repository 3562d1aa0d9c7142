import CZlib

/// Inflates gzip (or zlib) data fed in chunks, so a large `.gz` log is read in bounded memory.
/// Concatenated members (as `cat a.gz b.gz` and rotating loggers make) are read one after another.
public final class GzipStream {
  private let stream: UnsafeMutablePointer<z_stream>
  private var memberDone = false
  /// Compressed bytes consumed so far.
  public private(set) var consumed = 0

  public init() throws(CodecError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      stream.deallocate()
      throw CodecError(.unsupported, codec: Gzip.codec, "zlib inflateInit2 failed with \(status)")
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
  }

  /// True between members: all input so far formed complete members.
  public var isAtMemberEnd: Bool { memberDone || consumed == 0 }

  /// Inflates all of `input`, appending the output to `output`.
  public func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(CodecError) {
    guard let base = input.baseAddress, input.count > 0 else { return }
    var offset = 0
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while offset < input.count {
      if memberDone {
        // Zero padding between or after members is skipped, as Python's gzip module does.
        while offset < input.count && base.load(fromByteOffset: offset, as: UInt8.self) == 0 { offset += 1 }
        if offset == input.count { break }
        let status = inflateReset(stream)
        guard status == Z_OK else {
          throw CodecError(.unsupported, codec: Gzip.codec, "zlib inflateReset failed with \(status)", offset: consumed + offset)
        }
        memberDone = false
      }
      let available = min(input.count - offset, Int(UInt32.max))
      stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
      stream.pointee.avail_in = uInt(available)
      var status: Int32 = Z_OK
      repeat {
        status = chunk.withUnsafeMutableBytes { room -> Int32 in
          stream.pointee.next_out = room.baseAddress!.assumingMemoryBound(to: Bytef.self)
          stream.pointee.avail_out = uInt(room.count)
          return CZlib.inflate(stream, Z_NO_FLUSH)
        }
        let produced = chunk.count - Int(stream.pointee.avail_out)
        output.append(contentsOf: chunk[0..<produced])
        if status == Z_BUF_ERROR && stream.pointee.avail_in == 0 { status = Z_OK }
      } while status == Z_OK && (stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0)
      let used = available - Int(stream.pointee.avail_in)
      switch status {
      case Z_OK, Z_BUF_ERROR:
        break
      case Z_STREAM_END:
        memberDone = true
      case Z_NEED_DICT:
        throw CodecError(.unsupported, codec: Gzip.codec, "stream needs a preset dictionary", offset: consumed + offset)
      default:
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        throw CodecError(.corruptInput, codec: Gzip.codec, message, offset: consumed + offset)
      }
      offset += used
      if used == 0 && !memberDone { break }
    }
    consumed += offset
  }
}
