import CZlib

/// One inflate pass over a whole input, resumable with more output room. Handles the
/// gzip/zlib header auto-detection, concatenated gzip members and trailing zero padding.
final class GzipInflater {
  private let input: UnsafeRawBufferPointer
  /// zlib's state points back at its z_stream, so the stream lives at a fixed heap address.
  private let stream: UnsafeMutablePointer<z_stream>
  /// Input bytes consumed so far.
  private(set) var consumed = 0
  /// Output bytes produced so far, over all calls to `run`.
  private(set) var produced = 0

  init(_ input: UnsafeRawBufferPointer) throws(CodecError) {
    self.input = input
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 32: a 32 KiB window, and accept either a gzip or a zlib header.
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

  /// Inflates into `count` bytes at `out`. Returns true when the data is complete, false
  /// when the output room ran out first (call again with more room).
  func run(into out: UnsafeMutableRawPointer?, count: Int) throws(CodecError) -> Bool {
    let z = stream
    // zlib rejects a null next_out even with no room, so point an empty buffer somewhere.
    var scratch: UInt8 = 0
    return try withUnsafeMutablePointer(to: &scratch) { (scratchPointer) throws(CodecError) -> Bool in
      let outBase = out ?? UnsafeMutableRawPointer(scratchPointer)
      let room = out == nil ? 0 : count
      var written = 0
      while true {
        let inChunk = min(input.count - consumed, Int(UInt32.max))
        let outChunk = min(room - written, Int(UInt32.max))
        z.pointee.next_in = UnsafeMutablePointer(
          mutating: input.baseAddress.map { ($0 + consumed).assumingMemoryBound(to: Bytef.self) })
        z.pointee.avail_in = uInt(inChunk)
        z.pointee.next_out = (outBase + written).assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(outChunk)
        let result = inflate(z, Z_NO_FLUSH)
        consumed += inChunk - Int(z.pointee.avail_in)
        written += outChunk - Int(z.pointee.avail_out)
        produced += outChunk - Int(z.pointee.avail_out)
        switch result {
        case Z_OK:
          continue  // progress was made
        case Z_STREAM_END:
          if try !nextMember() { return true }
        case Z_BUF_ERROR:
          // No progress possible: out of input (truncated) or out of output room.
          if consumed == input.count {
            throw CodecError(.truncatedInput, codec: Gzip.codec, "stream ends early", offset: consumed)
          }
          if written == room { return false }
          // Only a 4 GiB chunk (zlib's limit per call) ran out: go on with the next one.
          if z.pointee.avail_in == 0 || z.pointee.avail_out == 0 { continue }
          throw CodecError(.corruptInput, codec: Gzip.codec, "zlib made no progress", offset: consumed)
        case Z_NEED_DICT:
          throw CodecError(.unsupported, codec: Gzip.codec, "stream needs a preset dictionary", offset: consumed)
        case Z_MEM_ERROR:
          throw CodecError(.unsupported, codec: Gzip.codec, "zlib ran out of memory", offset: consumed)
        default:
          let message = z.pointee.msg.map { String(cString: $0) } ?? "zlib error \(result)"
          throw CodecError(.corruptInput, codec: Gzip.codec, message, offset: consumed)
        }
      }
    }
  }

  /// After a member ends: true to go on with another member, false when the input is done.
  /// Zero bytes after a member are padding (some writers append it); like Python's gzip
  /// module we skip them, also between members.
  private func nextMember() throws(CodecError) -> Bool {
    guard let base = input.baseAddress else { return false }
    var index = consumed
    while index < input.count && base.load(fromByteOffset: index, as: UInt8.self) == 0 { index += 1 }
    consumed = index
    if index == input.count { return false }
    let status = inflateReset(stream)
    guard status == Z_OK else {
      throw CodecError(.unsupported, codec: Gzip.codec, "zlib inflateReset failed with \(status)", offset: consumed)
    }
    return true
  }
}
