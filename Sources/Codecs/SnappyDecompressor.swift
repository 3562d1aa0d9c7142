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
    let written = try elementTable.withUnsafeBufferPointer { (table) throws(CodecError) -> Int in
      var decoder = ElementDecoder(
        input: inBase, from: inBase + preamble, end: inBase + input.count,
        output: outBase, end: outBase + length, table: table)
      try decoder.decodeFast()
      try decoder.decodeChecked()
      return decoder.op - outBase
    }
    guard written == length else {
      throw CodecError(
        .sizeMismatch, codec: codec,
        "block decodes to \(written) bytes but declares \(length)", offset: input.count)
    }
    return length
  }

  /// The element loop's state. Writes stay inside `[outStart, opEnd)`.
  private struct ElementDecoder {
    var ip: UnsafeRawPointer
    let ipEnd: UnsafeRawPointer
    let inputStart: UnsafeRawPointer
    var op: UnsafeMutableRawPointer
    let outStart: UnsafeMutableRawPointer
    let opEnd: UnsafeMutableRawPointer
    /// `elementTable`, which has an entry for every tag byte.
    let table: UnsafeBufferPointer<UInt64>

    init(
      input: UnsafeRawPointer, from start: UnsafeRawPointer, end ipEnd: UnsafeRawPointer,
      output: UnsafeMutableRawPointer, end opEnd: UnsafeMutableRawPointer,
      table: UnsafeBufferPointer<UInt64>
    ) {
      ip = start
      self.ipEnd = ipEnd
      inputStart = input
      op = output
      outStart = output
      self.opEnd = opEnd
      self.table = table
    }

    @inline(__always)
    func entry(_ tag: UInt8) -> UInt64 {
      // In bounds: the table has 256 entries.
      table.baseAddress.unsafelyUnwrapped[Int(tag)]
    }

    /// Input the fast loop needs for one element: the tag and a 64-byte literal move.
    static let elementInputSlop = 1 + 64
    /// Output the fast loop needs for one element: a 64-byte literal or match move, or
    /// `copyMatchOverrunning`'s whole words.
    static let elementOutputSlop = max(64, LZCopy.overrunningMatchSpan)

    /// Decodes elements while enough input and output remain for two of them, so that
    /// most need no bounds checks. Two per check, to halve the loop's overhead; after a
    /// detour (see `decodeElementFast`) the bounds are checked again.
    @inline(__always)
    mutating func decodeFast() throws(CodecError) {
      let inputSlop = 2 * Self.elementInputSlop
      let outputSlop = 2 * Self.elementOutputSlop
      guard ipEnd - ip > inputSlop && opEnd - op > outputSlop else { return }
      let ipLimit = ipEnd - inputSlop
      let opLimit = opEnd - outputSlop
      // Locals rather than stored properties, so they stay in registers.
      var ip = self.ip
      var op = self.op
      defer {
        self.ip = ip
        self.op = op
      }
      while ip < ipLimit && op < opLimit {
        for _ in 0..<2 {
          guard try decodeElementFast(&ip, &op) else { break }
        }
      }
    }

    /// Decodes one element at `ip` with `elementInputSlop` input and `elementOutputSlop`
    /// output to spare. Literals and copies share one branch-free path: pick the source
    /// (the input, or the output `offset` back) and move a fixed-size block that may run
    /// past the element, into output that later elements overwrite. The next tag's position
    /// depends only on the tag, so the CPU can decode ahead of the copies.
    ///
    /// Returns false after a detour for a rare element (a long literal, a copy that
    /// overlaps its own output, a bad offset), which may have used up the slop.
    @inline(__always)
    mutating func decodeElementFast(
      _ ip: inout UnsafeRawPointer, _ op: inout UnsafeMutableRawPointer
    ) throws(CodecError) -> Bool {
      let tag = ip.load(as: UInt8.self)
      let entry = entry(tag)
      let length = ElementEntry.length(entry)
      let offset = ElementEntry.offset(entry, following: LZCopy.load32(ip + 1))
      let isLiteral = tag & 3 == tagLiteral
      // Negative for a long literal, or when the offset is outside `length...written`: a
      // bad offset, a copy overlapping its own output, or (at the very start of the output)
      // a literal, whose table offset is its length.
      let written = op - outStart
      if (offset &- length) | (written &- offset) | ElementEntry.flag(entry) < 0 {
        self.ip = ip
        self.op = op
        if isLiteral {
          try copyLiteral(tag: tag)
        } else {
          try copyOverlapping(tag: tag, offset: offset, length: length)
        }
        ip = self.ip
        op = self.op
        return false
      }
      // A copy with `offset >= length` reads only bytes that are already in place.
      let source = isLiteral ? UnsafeRawPointer(ip + 1) : UnsafeRawPointer(op - offset)
      LZCopy.copy16(from: source, to: op)
      if length > 16 {
        LZCopy.copy64(from: source, to: op)
      }
      ip += Self.elementSize(tag: tag)
      op += length
      return true
    }

    /// The bytes from a tag to the next tag (for literals, including their data; at most
    /// 61 for those whose length is in the tag). Computed rather than looked up, since it
    /// is the critical path from one tag to the next. Copy-1, -2, -4 take 2, 3, 5 bytes.
    @inline(__always)
    static func elementSize(tag: UInt8) -> Int {
      let kind = Int(tag & 3)
      let copySize = 1 &+ kind &+ (kind &>> 1 & kind)
      let literalSize = Int(tag &>> 2) &+ 2
      return kind == 0 ? literalSize : copySize
    }

    /// The fast loop's copy of a match that overlaps its own output, or one with a bad
    /// offset. There is room for `elementOutputSlop` bytes of output.
    @inline(never)
    mutating func copyOverlapping(tag: UInt8, offset: Int, length: Int) throws(CodecError) {
      guard offset > 0 && offset <= op - outStart else {
        throw badOffset(offset, at: ip, written: op - outStart)
      }
      LZCopy.copyMatchOverrunning(to: op, offset: offset, length: length)
      ip += Self.elementSize(tag: tag)
      op += length
    }

    /// Decodes the remaining elements, checking every read and write.
    mutating func decodeChecked() throws(CodecError) {
      while ip < ipEnd {
        let tagAt = ip
        let tag = ip.load(as: UInt8.self)
        if tag & 3 == tagLiteral {
          try copyLiteral(tag: tag)
          continue
        }
        let size = Self.elementSize(tag: tag)
        guard ipEnd - ip >= size else { throw truncated(at: tagAt) }
        var following: UInt32 = 0
        for index in 1..<size {
          following |= UInt32(ip.load(fromByteOffset: index, as: UInt8.self)) << (8 * (index - 1))
        }
        let entry = entry(tag)
        let length = ElementEntry.length(entry)
        let offset = ElementEntry.offset(entry, following: following)
        guard offset > 0 && offset <= op - outStart else {
          throw badOffset(offset, at: tagAt, written: op - outStart)
        }
        guard opEnd - op >= length else { throw overflow(at: tagAt) }
        LZCopy.copyMatch(to: op, offset: offset, length: length, limit: opEnd)
        ip += size
        op += length
      }
    }

    /// Copies a literal element of any length, with checks on both sides.
    @inline(never)
    mutating func copyLiteral(tag: UInt8) throws(CodecError) {
      let tagAt = ip
      ip += 1
      var length = Int(tag >> 2) &+ 1
      if length > 60 {
        // 61...64 mean the length minus one follows in 1...4 little-endian bytes.
        let extra = length &- 60
        guard ipEnd - ip >= extra else { throw truncated(at: tagAt) }
        var value = 0
        for index in 0..<extra {
          value |= Int(ip.load(fromByteOffset: index, as: UInt8.self)) << (8 * index)
        }
        length = value &+ 1
        ip += extra
      }
      guard ipEnd - ip >= length else { throw truncated(at: tagAt) }
      guard opEnd - op >= length else { throw overflow(at: tagAt) }
      op.copyMemory(from: ip, byteCount: length)
      ip += length
      op += length
    }

    func truncated(at p: UnsafeRawPointer) -> CodecError {
      CodecError(
        .truncatedInput, codec: codec, "element runs past the end of the input",
        offset: p - inputStart)
    }

    func overflow(at p: UnsafeRawPointer) -> CodecError {
      CodecError(
        .corruptInput, codec: codec, "element writes past the declared length",
        offset: p - inputStart)
    }

    func badOffset(_ offset: Int, at p: UnsafeRawPointer, written: Int) -> CodecError {
      CodecError(
        .corruptInput, codec: codec, "copy offset \(offset) with only \(written) bytes of output",
        offset: p - inputStart)
    }
  }

  /// `ElementEntry` values for every tag byte, like the reference's `char_table`.
  private static let elementTable: [UInt64] = (0...255).map { ElementEntry.make(tag: UInt8($0)) }

  /// What a tag byte says, packed so the fast loop decodes any element without branching
  /// on its kind: bits 0-7 the length, bits 8-18 the part of the offset in the tag (for
  /// a literal, its length instead), bits 24-55 a mask for the offset bytes after the tag
  /// (none for literals), bit 63 set for literals whose length follows the tag.
  private enum ElementEntry {
    static func make(tag: UInt8) -> UInt64 {
      let high = UInt64(tag >> 2)
      switch tag & 3 {
      case tagLiteral:
        let length = high + 1
        return length > 60 ? 1 << 63 : length | length << 8
      case tagCopy1:
        return (4 + high & 7) | (high >> 3) << 16 | 0xff << 24
      case tagCopy2:
        return (high + 1) | 0xffff << 24
      default:
        return (high + 1) | 0xffff_ffff << 24
      }
    }

    /// -1 for a long literal, else 0.
    @inline(__always)
    static func flag(_ entry: UInt64) -> Int {
      Int(truncatingIfNeeded: Int64(bitPattern: entry) >> 63)
    }

    @inline(__always)
    static func length(_ entry: UInt64) -> Int {
      Int(truncatingIfNeeded: entry & 0xff)
    }

    /// The copy offset, given the (little-endian) bytes that follow the tag.
    @inline(__always)
    static func offset(_ entry: UInt64, following: UInt32) -> Int {
      Int(truncatingIfNeeded: entry >> 8 & 0x7ff)
        | Int(following & UInt32(truncatingIfNeeded: entry >> 24))
    }
  }
}
