import Columnar

extension ColumnVector {
  /// The rows whose bit is set in `keep` (which has one bit per row), in order. Used to drop the
  /// rows a deletion vector marks as deleted.
  func filtered(_ keep: Bitmap) -> ColumnVector {
    let kept = keep.setCount
    if kept == count { return self }
    let rows = Self.selectedRows(keep, count: kept)
    return gathered(rows)
  }

  /// The row indices of the set bits.
  static func selectedRows(_ keep: Bitmap, count kept: Int) -> [Int32] {
    [Int32](unsafeUninitializedCapacity: kept) { out, initialized in
      var next = 0
      let words = keep.words
      for w in 0..<words.count {
        var word = words[w]
        while word != 0 {
          let bit = word.trailingZeroBitCount
          out[next] = Int32(w << 6 + bit)
          next += 1
          word &= word - 1
        }
      }
      initialized = next
    }
  }

  /// The rows at `rows` (ascending or not), as a new vector.
  func gathered(_ rows: [Int32]) -> ColumnVector {
    let n = rows.count
    let newValidity: Bitmap? = validity.map { bits in
      var out = Bitmap(repeating: false, count: n)
      for (index, row) in rows.enumerated() where bits[Int(row)] { out[index] = true }
      return out
    }
    let newStorage: ColumnStorage
    switch storage {
    case .none: return ColumnVector(type: type, count: n, storage: .none)
    case .boolean(let bits):
      var out = Bitmap(repeating: false, count: n)
      for (index, row) in rows.enumerated() where bits[Int(row)] { out[index] = true }
      newStorage = .boolean(out)
    case .int8(let values): newStorage = .int8(Self.gather(values, rows))
    case .int16(let values): newStorage = .int16(Self.gather(values, rows))
    case .int32(let values): newStorage = .int32(Self.gather(values, rows))
    case .int64(let values): newStorage = .int64(Self.gather(values, rows))
    case .uint8(let values): newStorage = .uint8(Self.gather(values, rows))
    case .uint16(let values): newStorage = .uint16(Self.gather(values, rows))
    case .uint32(let values): newStorage = .uint32(Self.gather(values, rows))
    case .uint64(let values): newStorage = .uint64(Self.gather(values, rows))
    case .float32(let values): newStorage = .float32(Self.gather(values, rows))
    case .float64(let values): newStorage = .float64(Self.gather(values, rows))
    case .int128(let values): newStorage = .int128(Self.gather(values, rows))
    case .binary(let offsets, let bytes):
      var newOffsets: [Int32] = [0]
      newOffsets.reserveCapacity(n + 1)
      var newBytes: [UInt8] = []
      for row in rows {
        let start = Int(offsets[Int(row)])
        let end = Int(offsets[Int(row) + 1])
        newBytes.append(contentsOf: bytes[start..<end])
        newOffsets.append(Int32(newBytes.count))
      }
      newStorage = .binary(offsets: newOffsets, bytes: newBytes)
    case .dictionary(let indices, let dictionary):
      newStorage = .dictionary(indices: Self.gather(indices, rows), dictionary: dictionary)
    case .structure(let children):
      newStorage = .structure(children.map { $0.gathered(rows) })
    case .list(let offsets, let values):
      let (newOffsets, elements) = Self.gatherRanges(offsets, rows)
      newStorage = .list(offsets: newOffsets, values: values.gathered(elements))
    case .map(let offsets, let keys, let values):
      let (newOffsets, entries) = Self.gatherRanges(offsets, rows)
      newStorage = .map(offsets: newOffsets, keys: keys.gathered(entries), values: values.gathered(entries))
    }
    return ColumnVector(type: type, count: n, validity: newValidity, storage: newStorage)
  }

  private static func gather<T>(_ values: [T], _ rows: [Int32]) -> [T] {
    rows.map { values[Int($0)] }
  }

  /// New offsets for the selected rows of a list or map, and the child indices they cover.
  private static func gatherRanges(_ offsets: [Int32], _ rows: [Int32]) -> ([Int32], [Int32]) {
    var newOffsets: [Int32] = [0]
    newOffsets.reserveCapacity(rows.count + 1)
    var children: [Int32] = []
    for row in rows {
      let start = offsets[Int(row)]
      let end = offsets[Int(row) + 1]
      if end > start { children.append(contentsOf: start..<end) }
      newOffsets.append(Int32(children.count))
    }
    return (newOffsets, children)
  }
}

extension RecordBatch {
  /// The rows whose bit is set in `keep`.
  func filtered(_ keep: Bitmap) throws(DeltaError) -> RecordBatch {
    let kept = keep.setCount
    if kept == rowCount { return self }
    let rows = ColumnVector.selectedRows(keep, count: kept)
    do {
      return try RecordBatch(schema: schema, columns: columns.map { $0.gathered(rows) }, rowCount: kept)
    } catch {
      throw DeltaError(.incompatibleData, "cannot drop deleted rows: \(error.message)")
    }
  }
}
