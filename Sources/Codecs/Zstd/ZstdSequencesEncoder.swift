/// Code tables from values to symbols for literal and match lengths.
enum ZstdSymbolCodes {
  /// Literal length code for lengths below 64.
  static let literalLengthCodes: [UInt8] = makeCodes(base: ZstdFormat.llBase, bits: ZstdFormat.llBits, below: 64)
  /// Match length code for (length - 3) below 128.
  static let matchLengthCodes: [UInt8] = makeCodes(
    base: ZstdFormat.mlBase.map { $0 - 3 }, bits: ZstdFormat.mlBits, below: 128)

  private static func makeCodes(base: [UInt32], bits: [UInt8], below limit: Int) -> [UInt8] {
    var codes = [UInt8](repeating: 0, count: limit)
    for code in 0..<base.count {
      let from = Int(base[code])
      let to = min(limit, from + (1 << Int(bits[code])))
      if from < limit { for v in from..<to { codes[v] = UInt8(code) } }
    }
    return codes
  }

  @inline(__always)
  static func literalLengthCode(_ length: Int) -> Int {
    length < 64 ? Int(literalLengthCodes[length]) : zstdHighBit32(UInt32(length)) + 19
  }

  @inline(__always)
  static func matchLengthCode(_ lengthMinus3: Int) -> Int {
    lengthMinus3 < 128 ? Int(matchLengthCodes[lengthMinus3]) : zstdHighBit32(UInt32(lengthMinus3)) + 36
  }
}

extension ZstdBlockEncoder {
  /// How one of the three sequence fields is coded in this block.
  private struct FieldCoding {
    var mode: Int  // 0 predefined, 1 RLE, 2 FSE-compressed
    var table: ZstdFSEEncodeTable
    var description: [UInt8]
  }

  /// Picks the cheapest of RLE, the predefined table and a table fitted to these counts.
  private func chooseCoding(
    counts: [Int], total: Int, defaultNorm: [Int16], defaultLog: Int, maxLog: Int
  ) -> FieldCoding {
    var maxSymbol = counts.count - 1
    while maxSymbol > 0 && counts[maxSymbol] == 0 { maxSymbol -= 1 }
    let distinct = counts.filter { $0 > 0 }.count
    if distinct == 1 {
      return FieldCoding(mode: 1, table: ZstdFSEEncodeTable(), description: [UInt8(maxSymbol)])
    }
    let used = Array(counts[0...maxSymbol])
    let log = ZstdFSENormalizer.tableLog(maxLog: maxLog, total: total, maxSymbol: maxSymbol, distinct: distinct)
    let norm = ZstdFSENormalizer.normalize(used, total: total, tableLog: log)
    var description: [UInt8] = []
    _ = ZstdFSENormalizer.writeDescription(norm, tableLog: log, into: &description)
    let customCost = (ZstdFSENormalizer.cost(used, norm: norm, tableLog: log) ?? .infinity) + Double(8 * description.count)
    if let predefinedCost = ZstdFSENormalizer.cost(used, norm: defaultNorm, tableLog: defaultLog), predefinedCost <= customCost {
      return FieldCoding(mode: 0, table: ZstdFSEEncodeTable(norm: defaultNorm, tableLog: defaultLog), description: [])
    }
    return FieldCoding(mode: 2, table: ZstdFSEEncodeTable(norm: norm, tableLog: log), description: description)
  }

  /// Appends the sequences section for the sequences in `store`.
  func encodeSequences(_ store: ZstdSequenceStore, into out: inout [UInt8]) -> Bool {
    let n = store.count
    if n < 128 {
      out.append(UInt8(n))
    } else if n < 0x7F00 {
      out.append(UInt8(n >> 8 + 128))
      out.append(UInt8(truncatingIfNeeded: n))
    } else {
      out.append(255)
      out.append(UInt8(truncatingIfNeeded: n - 0x7F00))
      out.append(UInt8(truncatingIfNeeded: (n - 0x7F00) >> 8))
    }
    guard n > 0 else { return true }

    let llCodes = codes
    let mlCodes = codes + n
    let ofCodes = codes + 2 * n
    var llCounts = [Int](repeating: 0, count: ZstdFormat.llMaxSymbol + 1)
    var mlCounts = [Int](repeating: 0, count: ZstdFormat.mlMaxSymbol + 1)
    var ofCounts = [Int](repeating: 0, count: ZstdFormat.ofMaxSymbol + 1)
    ZstdSymbolCodes.literalLengthCodes.withUnsafeBufferPointer { llTable in
      ZstdSymbolCodes.matchLengthCodes.withUnsafeBufferPointer { mlTable in
        for i in 0..<n {
          let litLength = Int(store.literalLengths[i])
          let mlBase = Int(store.matchLengths[i]) &- 3
          let ll = litLength < 64 ? Int(llTable[litLength]) : zstdHighBit32(UInt32(litLength)) + 19
          let ml = mlBase < 128 ? Int(mlTable[mlBase]) : zstdHighBit32(UInt32(mlBase)) + 36
          let of = zstdHighBit32(store.offBases[i])
          llCodes[i] = UInt8(truncatingIfNeeded: ll)
          mlCodes[i] = UInt8(truncatingIfNeeded: ml)
          ofCodes[i] = UInt8(truncatingIfNeeded: of)
          llCounts[ll] += 1
          mlCounts[ml] += 1
          ofCounts[of] += 1
        }
      }
    }
    let llCoding = chooseCoding(
      counts: llCounts, total: n, defaultNorm: ZstdFormat.llDefaultNorm, defaultLog: ZstdFormat.llDefaultLog,
      maxLog: ZstdFormat.llMaxLog)
    let ofCoding = chooseCoding(
      counts: ofCounts, total: n, defaultNorm: ZstdFormat.ofDefaultNorm, defaultLog: ZstdFormat.ofDefaultLog,
      maxLog: ZstdFormat.ofMaxLog)
    let mlCoding = chooseCoding(
      counts: mlCounts, total: n, defaultNorm: ZstdFormat.mlDefaultNorm, defaultLog: ZstdFormat.mlDefaultLog,
      maxLog: ZstdFormat.mlMaxLog)
    out.append(UInt8(llCoding.mode << 6 | ofCoding.mode << 4 | mlCoding.mode << 2))
    out += llCoding.description
    out += ofCoding.description
    out += mlCoding.description

    var w = ZstdForwardBitWriter(scratch, capacity: scratchCapacity)
    let llTable = llCoding.table
    let ofTable = ofCoding.table
    let mlTable = mlCoding.table
    let last = n - 1
    var llState = llTable.initialState(Int(llCodes[last]))
    var ofState = ofTable.initialState(Int(ofCodes[last]))
    var mlState = mlTable.initialState(Int(mlCodes[last]))
    ZstdFormat.llBits.withUnsafeBufferPointer { llBits in
      ZstdFormat.mlBits.withUnsafeBufferPointer { mlBits in
        // Written back to front: the decoder reads the first sequence first.
        for i in stride(from: last, through: 0, by: -1) {
          let ll = Int(llCodes[i])
          let ml = Int(mlCodes[i])
          let of = Int(ofCodes[i])
          if i != last {
            ofTable.encode(of, state: &ofState, into: &w)
            mlTable.encode(ml, state: &mlState, into: &w)
            llTable.encode(ll, state: &llState, into: &w)
          }
          w.addMasked(UInt64(store.literalLengths[i]), Int(llBits[ll]))
          w.addMasked(UInt64(store.matchLengths[i] - 3), Int(mlBits[ml]))
          w.addMasked(UInt64(store.offBases[i]), of)
        }
      }
    }
    mlTable.flush(state: mlState, into: &w)
    ofTable.flush(state: ofState, into: &w)
    llTable.flush(state: llState, into: &w)
    let size = w.finish()
    guard !w.overflowed else { return false }
    out.append(contentsOf: UnsafeRawBufferPointer(start: scratch, count: size))
    return true
  }
}
