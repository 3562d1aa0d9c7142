extension LZ4Raw {
  /// Decompresses one LZ4 block into `output`; returns the number of bytes written.
  ///
  /// Throws, never traps, when the block is corrupt or truncated, when a match refers to
  /// bytes before the start of the output, or when the data would not fit in `output`.
  /// An empty input decodes to nothing. Bytes of `output` past the returned count may be
  /// overwritten: the fast paths copy in fixed 8- and 16-byte steps.
  public static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws(CodecError) -> Int {
    guard let inBase = input.baseAddress, !input.isEmpty else { return 0 }
    guard let outBase = output.baseAddress, !output.isEmpty else {
      // Nothing fits, so only the one-byte empty block (a zero token) is acceptable.
      guard input.count == 1 && input[0] == 0 else {
        throw CodecError(.outputTooLarge, codec: codec, "output buffer is empty", offset: 0)
      }
      return 0
    }
    return try decodeSequences(
      from: inBase, end: inBase + input.count, to: outBase, end: outBase + output.count)
  }

  private static func decodeSequences(
    from inStart: UnsafeRawPointer, end ipEnd: UnsafeRawPointer,
    to outStart: UnsafeMutableRawPointer, end opEnd: UnsafeMutableRawPointer
  ) throws(CodecError) -> Int {
    var ip = inStart
    var op = outStart

    while true {
      let tokenAt = ip
      guard ip < ipEnd else { throw truncated(at: tokenAt, inStart) }
      let token = ip.load(as: UInt8.self)
      ip += 1

      // Literals.
      var literals = Int(token >> 4)
      if literals == 15 {
        literals = try extendLength(15, &ip, ipEnd, limit: opEnd - outStart, tokenAt: tokenAt, inStart)
      }
      if literals <= 16 && ipEnd - ip >= 16 + 2 && opEnd - op >= 16 {
        // Short literals that are not the block's last (there are at least an offset's
        // bytes after them): one fixed 16-byte copy, no memcpy call.
        LZCopy.copy16(from: ip, to: op)
      } else {
        guard ipEnd - ip >= literals else { throw truncated(at: tokenAt, inStart) }
        guard opEnd - op >= literals else { throw tooLarge(at: tokenAt, inStart) }
        op.copyMemory(from: ip, byteCount: literals)
      }
      ip += literals
      op += literals
      // The last sequence ends the block right after its literals.
      if ip == ipEnd { return op - outStart }

      // Match.
      guard ipEnd - ip >= 2 else { throw truncated(at: tokenAt, inStart) }
      let offset = Int(UInt16(littleEndian: ip.loadUnaligned(as: UInt16.self)))
      ip += 2
      guard offset > 0 && offset <= op - outStart else {
        throw CodecError(
          .corruptInput, codec: codec,
          "match offset \(offset) with only \(op - outStart) bytes of output", offset: tokenAt - inStart)
      }
      var length = Int(token & 15)
      if length == 15 {
        length = try extendLength(15, &ip, ipEnd, limit: opEnd - outStart, tokenAt: tokenAt, inStart)
      }
      length &+= minMatch
      guard opEnd - op >= length else { throw tooLarge(at: tokenAt, inStart) }
      if offset >= 8 && length <= 16 && opEnd - op >= 16 {
        LZCopy.copy8(from: op - offset, to: op)
        LZCopy.copy8(from: op - offset + 8, to: op + 8)
      } else {
        LZCopy.copyMatch(to: op, offset: offset, length: length, limit: opEnd)
      }
      op += length
    }
  }

  /// Reads the 255-run extension of a length whose nibble was 15.
  @inline(__always)
  private static func extendLength(
    _ base: Int, _ ip: inout UnsafeRawPointer, _ ipEnd: UnsafeRawPointer, limit: Int,
    tokenAt: UnsafeRawPointer, _ inStart: UnsafeRawPointer
  ) throws(CodecError) -> Int {
    var length = base
    while true {
      guard ip < ipEnd else { throw truncated(at: tokenAt, inStart) }
      let byte = ip.load(as: UInt8.self)
      ip += 1
      length &+= Int(byte)
      if byte != 255 { return length }
      // A length past the output size is corrupt; stopping here also keeps a long run of
      // 255 bytes from overflowing (each byte adds at most 255 anyway).
      if length > limit {
        throw CodecError(.corruptInput, codec: codec, "length past the output size", offset: tokenAt - inStart)
      }
    }
  }

  private static func truncated(at p: UnsafeRawPointer, _ start: UnsafeRawPointer) -> CodecError {
    CodecError(.truncatedInput, codec: codec, "sequence runs past the end of the input", offset: p - start)
  }

  private static func tooLarge(at p: UnsafeRawPointer, _ start: UnsafeRawPointer) -> CodecError {
    CodecError(.outputTooLarge, codec: codec, "sequence writes past the end of the output", offset: p - start)
  }
}
