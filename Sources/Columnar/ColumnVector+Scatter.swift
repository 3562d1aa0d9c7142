extension ColumnVector {
  /// Spreads the values of this null-free vector over the set bits of `validity`: row `i` of the
  /// result holds the next value where bit `i` is set, and is null elsewhere. This is how dense
  /// Parquet values become one slot per row.
  public func scattered(over validity: Bitmap) throws(ColumnarError) -> ColumnVector {
    let setCount = validity.setCount
    guard setCount == count else {
      throw ColumnarError("\(count) values cannot fill \(setCount) non-null slots")
    }
    if setCount == validity.count { return self }
    let slots = validity.count
    let storage: ColumnStorage
    switch self.storage {
    case .none: return ColumnVector(type: type, count: slots, storage: .none)
    case .boolean(let bits):
      var out = Bitmap(repeating: false, count: slots)
      var next = 0
      for slot in 0..<slots where validity[slot] {
        if bits[next] { out[slot] = true }
        next += 1
      }
      storage = .boolean(out)
    case .int8(let v): storage = .int8(Self.scatter(v, validity))
    case .int16(let v): storage = .int16(Self.scatter(v, validity))
    case .int32(let v): storage = .int32(Self.scatter(v, validity))
    case .int64(let v): storage = .int64(Self.scatter(v, validity))
    case .uint8(let v): storage = .uint8(Self.scatter(v, validity))
    case .uint16(let v): storage = .uint16(Self.scatter(v, validity))
    case .uint32(let v): storage = .uint32(Self.scatter(v, validity))
    case .uint64(let v): storage = .uint64(Self.scatter(v, validity))
    case .float32(let v): storage = .float32(Self.scatter(v, validity))
    case .float64(let v): storage = .float64(Self.scatter(v, validity))
    case .int128(let v): storage = .int128(Self.scatter(v, validity))
    case .binary(let offsets, let bytes):
      storage = .binary(offsets: Self.scatterOffsets(offsets, validity), bytes: bytes)
    case .dictionary(let indices, let dictionary):
      storage = .dictionary(indices: Self.scatter(indices, validity), dictionary: dictionary)
    case .structure, .list, .map:
      throw ColumnarError("scattering nested vectors is not supported")
    }
    return ColumnVector(type: type, count: slots, validity: validity, storage: storage)
  }

  /// Copies values to their slots a word of validity at a time; all-valid words copy as a block.
  static func scatter<T: BitwiseCopyable & Numeric>(_ dense: [T], _ validity: Bitmap) -> [T] {
    let slots = validity.count
    return [T](unsafeUninitializedCapacity: slots) { out, initialized in
      dense.withUnsafeBufferPointer { values in
        var next = 0
        let words = validity.words
        for w in 0..<words.count {
          let base = w << 6
          let width = Swift.min(64, slots - base)
          let word = words[w]
          if width == 64 && word == ~0 {
            (out.baseAddress! + base).initialize(from: values.baseAddress! + next, count: 64)
            next += 64
            continue
          }
          for bit in 0..<width {
            if word & (1 << UInt64(bit)) != 0 {
              (out.baseAddress! + base + bit).initialize(to: values[next])
              next += 1
            } else {
              (out.baseAddress! + base + bit).initialize(to: .zero)
            }
          }
        }
      }
      initialized = slots
    }
  }

  /// Offsets for slots: a null slot repeats the previous end, so it holds zero bytes.
  static func scatterOffsets(_ dense: [Int32], _ validity: Bitmap) -> [Int32] {
    let slots = validity.count
    return [Int32](unsafeUninitializedCapacity: slots + 1) { out, initialized in
      out[0] = dense.first ?? 0
      var next = 0
      for slot in 0..<slots {
        if validity[slot] { next += 1 }
        out[slot + 1] = dense[next]
      }
      initialized = slots + 1
    }
  }
}
