extension Snappy {
  /// Decompresses a raw Snappy block into `output`, which must hold at least the length
  /// declared in the preamble; returns the number of bytes written (that length).
  ///
  /// Throws, never traps, when the input is corrupt or truncated, when a copy refers to
  /// bytes before the start of the output, or when the data would not fit in `output`.
  /// Bytes of `output` past the declared length are left untouched.
  public static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws(CodecError) -> Int {
    let (length, preamble) = try readPreamble(input)
    guard length <= output.count else {
      throw CodecError(
        .sizeMismatch, codec: codec,
        "declared length \(length) exceeds the output buffer (\(output.count) bytes)", offset: 0)
    }
    guard length > 0 else {
      guard preamble == input.count else {
        throw CodecError(.corruptInput, codec: codec, "data after an empty block", offset: preamble)
      }
      return 0
    }
    // `length > 0` makes both buffers non-empty, so both have base addresses.
    guard let inBase = input.baseAddress, let outBase = output.baseAddress else {
      throw CodecError(.corruptInput, codec: codec, "missing buffer", offset: 0)
    }
    let written = try decodeElements(
      from: inBase + preamble, end: inBase + input.count, inputStart: inBase,
      to: outBase, end: outBase + length)
    guard written == length else {
      throw CodecError(
        .sizeMismatch, codec: codec,
        "block decodes to \(written) bytes but declares \(length)", offset: input.count)
    }
    return length
  }

  /// The element loop. Writes only inside `[outStart, outEnd)`; returns bytes written.
  private static func decodeElements(
    from start: UnsafeRawPointer, end ipEnd: UnsafeRawPointer, inputStart: UnsafeRawPointer,
    to outStart: UnsafeMutableRawPointer, end opEnd: UnsafeMutableRawPointer
  ) throws(CodecError) -> Int {
    var ip = start
    var op = outStart
    while ip < ipEnd {
      let tagAt = ip
      let tag = ip.load(as: UInt8.self)
      ip += 1
      var length: Int
      let offset: Int
      switch tag & 3 {
      case tagLiteral:
        length = Int(tag >> 2) &+ 1
        // Short literal with room on both sides: one fixed 16-byte copy, no memcpy call.
        if length <= 16 && ipEnd - ip >= 16 && opEnd - op >= 16 {
          LZCopy.copy16(from: ip, to: op)
          ip += length
          op += length
          continue
        }
        if length > 60 {
          // 61...64 mean the length minus one follows in 1...4 little-endian bytes.
          let extra = length &- 60
          guard ipEnd - ip >= extra else { throw truncated(at: tagAt, inputStart) }
          var value = 0
          for index in 0..<extra {
            value |= Int(ip.load(fromByteOffset: index, as: UInt8.self)) << (8 * index)
          }
          length = value &+ 1
          ip += extra
        }
        guard ipEnd - ip >= length else { throw truncated(at: tagAt, inputStart) }
        guard opEnd - op >= length else { throw overflow(at: tagAt, inputStart) }
        op.copyMemory(from: ip, byteCount: length)
        ip += length
        op += length
        continue
      case tagCopy1:
        guard ip < ipEnd else { throw truncated(at: tagAt, inputStart) }
        length = 4 &+ Int((tag >> 2) & 7)
        offset = Int(tag >> 5) << 8 | Int(ip.load(as: UInt8.self))
        ip += 1
      case tagCopy2:
        guard ipEnd - ip >= 2 else { throw truncated(at: tagAt, inputStart) }
        length = Int(tag >> 2) &+ 1
        offset = Int(UInt16(littleEndian: ip.loadUnaligned(as: UInt16.self)))
        ip += 2
      default:
        guard ipEnd - ip >= 4 else { throw truncated(at: tagAt, inputStart) }
        length = Int(tag >> 2) &+ 1
        offset = Int(LZCopy.load32(ip))
        ip += 4
      }
      guard offset > 0 && offset <= op - outStart else {
        throw CodecError(
          .corruptInput, codec: codec,
          "copy offset \(offset) with only \(op - outStart) bytes of output",
          offset: tagAt - inputStart)
      }
      guard opEnd - op >= length else { throw overflow(at: tagAt, inputStart) }
      if offset >= 8 && length <= 16 && opEnd - op >= 16 {
        // The common short copy: two 8-byte moves; the second may read the first's output.
        LZCopy.copy8(from: op - offset, to: op)
        LZCopy.copy8(from: op - offset + 8, to: op + 8)
      } else {
        LZCopy.copyMatch(to: op, offset: offset, length: length, limit: opEnd)
      }
      op += length
    }
    return op - outStart
  }

  private static func truncated(at p: UnsafeRawPointer, _ start: UnsafeRawPointer) -> CodecError {
    CodecError(.truncatedInput, codec: codec, "element runs past the end of the input", offset: p - start)
  }

  private static func overflow(at p: UnsafeRawPointer, _ start: UnsafeRawPointer) -> CodecError {
    CodecError(.corruptInput, codec: codec, "element writes past the declared length", offset: p - start)
  }
}
