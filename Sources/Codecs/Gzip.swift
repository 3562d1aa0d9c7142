import CZlib

/// GZIP (RFC 1952) through the system zlib, as Parquet's GZIP codec and Kafka use it.
///
/// Decompression also accepts a zlib-wrapped stream, several gzip members back to back
/// (some writers emit one member per chunk) and zero padding after or between members.
public enum Gzip {
  static let codec = "GZIP"

  /// Appends the gzip-wrapped deflate stream of `input` to `output`.
  ///
  /// `level` is zlib's: 0 (store) ... 9 (smallest), or -1 for zlib's default (6).
  /// Values outside that range are clamped into it.
  public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = 6, into output: inout [UInt8]) {
    // zlib's state points back at its z_stream, so the stream must stay put: heap, not a var.
    let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    z.initialize(to: z_stream())
    defer { z.deallocate() }
    let status = deflateInit2_(
      z, min(max(level, -1), 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
      ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    // Only an allocation failure can get here; the parameters are valid by construction.
    precondition(status == Z_OK, "zlib deflateInit2 failed with \(status)")
    defer { deflateEnd(z) }

    // deflateBound covers the whole stream when no flush happens before the end, so one
    // reservation suffices; the loop only splits inputs over zlib's 4 GiB per call.
    let room = Int(deflateBound(z, uLong(input.count)))
    output.appendCodecOutput(maxCount: room) { out in
      var consumed = 0
      var produced = 0
      while true {
        let inChunk = min(input.count - consumed, Int(UInt32.max))
        let outChunk = min(room - produced, Int(UInt32.max))
        z.pointee.next_in = UnsafeMutablePointer(
          mutating: input.baseAddress.map { ($0 + consumed).assumingMemoryBound(to: Bytef.self) })
        z.pointee.avail_in = uInt(inChunk)
        z.pointee.next_out = (out + produced).assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(outChunk)
        let flush = consumed + inChunk == input.count ? Z_FINISH : Z_NO_FLUSH
        let result = deflate(z, flush)
        consumed += inChunk - Int(z.pointee.avail_in)
        produced += outChunk - Int(z.pointee.avail_out)
        if result == Z_STREAM_END { return produced }
        // Z_OK means progress; anything else would mean the bound was wrong.
        precondition(result == Z_OK, "zlib deflate failed with \(result)")
      }
    }
  }

  /// Decompresses into `output`, which must be large enough; returns bytes written.
  ///
  /// Throws `.outputTooLarge` rather than writing past `output.count`, `.truncatedInput`
  /// when the stream ends early and `.corruptInput` for anything zlib rejects.
  public static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws(CodecError) -> Int {
    let inflater = try GzipInflater(input)
    let done = try inflater.run(into: output.baseAddress, count: output.count)
    guard done else {
      throw CodecError(
        .outputTooLarge, codec: codec,
        "data exceeds the \(output.count)-byte output buffer", offset: inflater.consumed)
    }
    return inflater.produced
  }

  /// Decompresses data of unknown size, growing the result up to `limit` bytes.
  ///
  /// Throws `.outputTooLarge` once the data would exceed `limit`, so a small hostile input
  /// (a "zip bomb") cannot make us allocate without bound.
  public static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> [UInt8] {
    let inflater = try GzipInflater(input)
    // Start near a typical ratio and double from there, copying what we have into each
    // larger buffer (uninitialized, so no time goes to zero-filling).
    let limit = max(limit, 0)
    var capacity = min(limit, max(input.count * 4, 1 << 16))
    var result = [UInt8]()
    while true {
      var failure: CodecError?
      var done = false
      let previous = result
      result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
        let base = buffer.baseAddress.map { UnsafeMutableRawPointer($0) }
        let start = inflater.produced
        if let base, start > 0 {
          previous.withUnsafeBytes { old in base.copyMemory(from: old.baseAddress.unsafelyUnwrapped, byteCount: start) }
        }
        do throws(CodecError) {
          done = try inflater.run(into: base.map { $0 + start }, count: capacity - start)
        } catch {
          failure = error
        }
        count = inflater.produced
      }
      if let failure { throw failure }
      if done { return result }
      guard capacity < limit else {
        throw CodecError(
          .outputTooLarge, codec: codec, "data exceeds the \(limit)-byte limit", offset: inflater.consumed)
      }
      capacity = capacity > limit / 2 ? limit : capacity * 2
    }
  }
}
