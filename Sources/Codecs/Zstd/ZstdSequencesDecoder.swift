/// Symbol-to-value tables of the three sequence fields (literal length, offset, match length),
/// 64 entries per field, in the layout `ZstdFSEDecodeTable.build` wants.
final class ZstdValueTables {
  let base = UnsafeMutablePointer<UInt32>.allocate(capacity: 3 * 64)
  let bits = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * 64)

  init() {
    base.initialize(repeating: 0, count: 3 * 64)
    bits.initialize(repeating: 0, count: 3 * 64)
    for (i, v) in ZstdFormat.llBase.enumerated() { base[i] = v }
    for (i, v) in ZstdFormat.llBits.enumerated() { bits[i] = v }
    for i in 0...31 {
      base[64 + i] = UInt32(1) << UInt32(i)
      bits[64 + i] = UInt8(i)
    }
    for (i, v) in ZstdFormat.mlBase.enumerated() { base[128 + i] = v }
    for (i, v) in ZstdFormat.mlBits.enumerated() { bits[128 + i] = v }
  }

  deinit {
    base.deallocate()
    bits.deallocate()
  }
}

extension ZstdDecoder {
  private enum Field: Int { case literalLength = 0, offset = 1, matchLength = 2 }

  /// Decodes the sequences section and executes it: interleaves literal runs and matches into
  /// the output.
  func decodeSequences(_ src: UnsafeRawBufferPointer, offset: Int, literalCount: Int) throws(CodecError) {
    guard src.count >= 1 else { throw .zstd(.truncatedInput, "sequences section missing", at: offset) }
    let b0 = Int(src[0])
    var pos: Int
    var sequenceCount: Int
    if b0 == 0 {
      guard src.count == 1 else { throw .zstd(.corruptInput, "data after an empty sequences section", at: offset) }
      try copyFinalLiterals(from: literals, count: literalCount, offset: offset)
      return
    } else if b0 < 128 {
      sequenceCount = b0
      pos = 1
    } else if b0 < 255 {
      guard src.count >= 2 else { throw .zstd(.truncatedInput, "sequence count truncated", at: offset) }
      sequenceCount = ((b0 - 128) << 8) + Int(src[1])
      pos = 2
    } else {
      guard src.count >= 3 else { throw .zstd(.truncatedInput, "sequence count truncated", at: offset) }
      sequenceCount = Int(src[1]) + (Int(src[2]) << 8) + 0x7F00
      pos = 3
    }
    guard pos < src.count else { throw .zstd(.truncatedInput, "sequence modes missing", at: offset) }
    let modes = Int(src[pos])
    guard modes & 3 == 0 else { throw .zstd(.corruptInput, "reserved sequence mode bits set", at: offset + pos) }
    pos += 1
    pos += try setUpTable(.literalLength, mode: modes >> 6, src, pos, offset)
    pos += try setUpTable(.offset, mode: (modes >> 4) & 3, src, pos, offset)
    pos += try setUpTable(.matchLength, mode: (modes >> 2) & 3, src, pos, offset)
    guard pos < src.count else { throw .zstd(.truncatedInput, "sequences bitstream missing", at: offset + pos) }
    try executeSequences(
      UnsafeRawBufferPointer(rebasing: src[pos...]), count: sequenceCount, offset: offset + pos,
      literalCount: literalCount)
  }

  /// Prepares one field's decoding table; returns the bytes its description took.
  private func setUpTable(
    _ field: Field, mode: Int, _ src: UnsafeRawBufferPointer, _ pos: Int, _ offset: Int
  ) throws(CodecError) -> Int {
    let table: ZstdFSEDecodeTable
    let maxSymbol: Int
    let maxLog: Int
    switch field {
    case .literalLength: (table, maxSymbol, maxLog) = (llTable, ZstdFormat.llMaxSymbol, ZstdFormat.llMaxLog)
    case .offset: (table, maxSymbol, maxLog) = (ofTable, ZstdFormat.ofMaxSymbol, ZstdFormat.ofMaxLog)
    case .matchLength: (table, maxSymbol, maxLog) = (mlTable, ZstdFormat.mlMaxSymbol, ZstdFormat.mlMaxLog)
    }
    switch mode {
    case 0:
      if table.isValid && table.predefinedTag == field.rawValue { return 0 }
      let (defaults, log): ([Int16], Int) =
        switch field {
        case .literalLength: (ZstdFormat.llDefaultNorm, ZstdFormat.llDefaultLog)
        case .offset: (ZstdFormat.ofDefaultNorm, ZstdFormat.ofDefaultLog)
        case .matchLength: (ZstdFormat.mlDefaultNorm, ZstdFormat.mlDefaultLog)
        }
      for (i, n) in defaults.enumerated() { self.norm[i] = n }
      try build(table, field, norm: self.norm, symbolCount: defaults.count, tableLog: log)
      table.predefinedTag = field.rawValue
      return 0
    case 1:
      guard pos < src.count else { throw .zstd(.truncatedInput, "RLE sequence symbol missing", at: offset + pos) }
      let symbol = Int(src[pos])
      guard symbol <= maxSymbol else { throw .zstd(.corruptInput, "RLE sequence symbol out of range", at: offset + pos) }
      table.buildRLE(symbol: symbol, base: valueBase(field), addBits: valueBits(field))
      return 1
    case 2:
      let d = try ZstdFSEDescription.read(
        UnsafeRawBufferPointer(rebasing: src[pos...]), maxSymbol: maxSymbol, maxLog: maxLog, into: norm,
        offset: offset + pos)
      try build(table, field, norm: norm, symbolCount: d.symbolCount, tableLog: d.tableLog)
      return d.size
    default:
      guard table.isValid else { throw .zstd(.corruptInput, "repeat mode without a previous table", at: offset + pos) }
      return 0
    }
  }

  private func build(
    _ table: ZstdFSEDecodeTable, _ field: Field, norm: UnsafePointer<Int16>, symbolCount: Int, tableLog: Int
  ) throws(CodecError) {
    try table.build(
      norm: norm, symbolCount: symbolCount, tableLog: tableLog, base: valueBase(field), addBits: valueBits(field))
  }

  private func valueBase(_ field: Field) -> UnsafePointer<UInt32> { UnsafePointer(valueTables.base + 64 * field.rawValue) }
  private func valueBits(_ field: Field) -> UnsafePointer<UInt8> { UnsafePointer(valueTables.bits + 64 * field.rawValue) }

  /// Copies the literals left after the last sequence.
  func copyFinalLiterals(from lit: UnsafeMutablePointer<UInt8>, count: Int, offset: Int) throws(CodecError) {
    guard count <= out.capacity - out.position else { throw out.overflowError(at: offset) }
    if count > 0 {
      (out.base + out.position).copyMemory(from: lit, byteCount: count)
      out.position += count
    }
  }
}
