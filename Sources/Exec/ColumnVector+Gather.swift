public import Columnar

extension ColumnVector {
  /// The rows at `indices`, in that order. An index of -1 yields a null row (for outer joins).
  public func gather(_ indices: [Int32]) throws(ExecError) -> ColumnVector {
    let n = indices.count
    var hasMissing = false
    for index in indices where index < 0 {
      hasMissing = true
      break
    }
    var newValidity: Bitmap? = nil
    if let validity = effectiveValidity {
      newValidity = Bitmap.build(count: n) { i in
        let index = indices[i]
        return index >= 0 && validity[Int(index)]
      }
    } else if hasMissing {
      newValidity = Bitmap.build(count: n) { indices[$0] >= 0 }
    }
    let storage: ColumnStorage
    switch self.storage {
    case .none: return ColumnVector(type: type, count: n, storage: .none)
    case .boolean(let bits): storage = .boolean(Bitmap.build(count: n) { i in indices[i] >= 0 && bits[Int(indices[i])] })
    case .int8(let v): storage = .int8(Self.gatherValues(v, indices))
    case .int16(let v): storage = .int16(Self.gatherValues(v, indices))
    case .int32(let v): storage = .int32(Self.gatherValues(v, indices))
    case .int64(let v): storage = .int64(Self.gatherValues(v, indices))
    case .uint8(let v): storage = .uint8(Self.gatherValues(v, indices))
    case .uint16(let v): storage = .uint16(Self.gatherValues(v, indices))
    case .uint32(let v): storage = .uint32(Self.gatherValues(v, indices))
    case .uint64(let v): storage = .uint64(Self.gatherValues(v, indices))
    case .float32(let v): storage = .float32(Self.gatherValues(v, indices))
    case .float64(let v): storage = .float64(Self.gatherValues(v, indices))
    case .int128(let v): storage = .int128(Self.gatherValues(v, indices))
    case .binary(let offsets, let bytes):
      let (o, b) = Self.gatherBinary(offsets, bytes, indices)
      storage = .binary(offsets: o, bytes: b)
    case .dictionary(let keys, let dictionary):
      storage = .dictionary(indices: Self.gatherValues(keys, indices), dictionary: dictionary)
    case .structure(let children):
      var out: [ColumnVector] = []
      for child in children { out.append(try child.gather(indices)) }
      storage = .structure(out)
    case .list, .map:
      throw ExecError(.unsupported, "gathering list and map columns is not supported yet")
    }
    return ColumnVector(type: type, count: n, validity: newValidity, storage: storage)
  }

  static func gatherValues<T: BitwiseCopyable & Numeric>(_ values: [T], _ indices: [Int32]) -> [T] {
    let n = indices.count
    return [T](unsafeUninitializedCapacity: n) { out, initialized in
      values.withUnsafeBufferPointer { src in
        indices.withUnsafeBufferPointer { idx in
          for i in 0..<n {
            let index = idx[i]
            out[i] = index >= 0 ? src[Int(index)] : .zero
          }
        }
      }
      initialized = n
    }
  }

  static func gatherBinary(_ offsets: [Int32], _ bytes: [UInt8], _ indices: [Int32]) -> ([Int32], [UInt8]) {
    let n = indices.count
    var total = 0
    offsets.withUnsafeBufferPointer { o in
      for index in indices where index >= 0 {
        total += Int(o[Int(index) + 1] - o[Int(index)])
      }
    }
    var newOffsets = [Int32](repeating: 0, count: n + 1)
    let newBytes = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
      offsets.withUnsafeBufferPointer { o in
        bytes.withUnsafeBufferPointer { src in
          newOffsets.withUnsafeMutableBufferPointer { no in
            var at = 0
            for i in 0..<n {
              let index = Int(indices[i])
              if index >= 0 {
                let start = Int(o[index])
                let length = Int(o[index + 1]) - start
                if length > 0 {
                  (out.baseAddress! + at).initialize(from: src.baseAddress! + start, count: length)
                }
                at += length
              }
              no[i + 1] = Int32(at)
            }
          }
        }
      }
      initialized = total
    }
    return (newOffsets, newBytes)
  }

  /// A dictionary vector decoded to plain `.binary` storage (other vectors are returned as is).
  public func decodedDictionary() -> ColumnVector {
    guard case .dictionary(let keys, let dictionary) = storage,
      case .binary(let offsets, let bytes) = dictionary.storage
    else { return self }
    var indices = keys
    if let validity {
      // Null slots may hold any index; point them at entry 0 only if it exists.
      for i in 0..<count where !validity[i] { indices[i] = dictionary.count > 0 ? 0 : -1 }
    }
    let (o, b) = Self.gatherBinary(offsets, bytes, indices)
    return ColumnVector(type: type, count: count, validity: validity, storage: .binary(offsets: o, bytes: b))
  }

  /// One vector holding the rows of `vectors` one after another (all of one type).
  public static func concatenate(_ vectors: [ColumnVector], type: DataType) throws(ExecError) -> ColumnVector {
    if vectors.count == 1 { return vectors[0] }
    let total = vectors.reduce(0) { $0 + $1.count }
    if vectors.isEmpty { return ColumnVector.nulls(type, count: 0).withoutValidity() }
    var validity: Bitmap? = nil
    if vectors.contains(where: { $0.effectiveValidity != nil }) {
      var bits = Bitmap()
      for vector in vectors {
        if let v = vector.effectiveValidity {
          for i in 0..<vector.count { bits.append(v[i]) }
        } else {
          bits.append(repeating: true, count: vector.count)
        }
      }
      validity = bits
    }
    // Dictionary vectors sharing one dictionary stay encoded; otherwise strings are decoded.
    if case .dictionary(_, let first) = vectors[0].storage,
      vectors.allSatisfy({ if case .dictionary(_, let d) = $0.storage { return sameBinary(d, first) } else { return false } })
    {
      var keys: [Int32] = []
      keys.reserveCapacity(total)
      for vector in vectors { if case .dictionary(let k, _) = vector.storage { keys.append(contentsOf: k) } }
      return ColumnVector(type: type, count: total, validity: validity, storage: .dictionary(indices: keys, dictionary: first))
    }
    let parts = vectors.map { $0.decodedDictionary() }
    let storage: ColumnStorage
    switch parts[0].storage {
    case .none: return ColumnVector(type: type, count: total, storage: .none)
    case .boolean:
      var bits = Bitmap()
      for part in parts {
        guard case .boolean(let b) = part.storage else { throw mismatch(type) }
        for i in 0..<part.count { bits.append(b[i]) }
      }
      storage = .boolean(bits)
    case .int8: storage = .int8(try joined(parts, type) { if case .int8(let v) = $0 { v } else { nil } })
    case .int16: storage = .int16(try joined(parts, type) { if case .int16(let v) = $0 { v } else { nil } })
    case .int32: storage = .int32(try joined(parts, type) { if case .int32(let v) = $0 { v } else { nil } })
    case .int64: storage = .int64(try joined(parts, type) { if case .int64(let v) = $0 { v } else { nil } })
    case .uint8: storage = .uint8(try joined(parts, type) { if case .uint8(let v) = $0 { v } else { nil } })
    case .uint16: storage = .uint16(try joined(parts, type) { if case .uint16(let v) = $0 { v } else { nil } })
    case .uint32: storage = .uint32(try joined(parts, type) { if case .uint32(let v) = $0 { v } else { nil } })
    case .uint64: storage = .uint64(try joined(parts, type) { if case .uint64(let v) = $0 { v } else { nil } })
    case .float32: storage = .float32(try joined(parts, type) { if case .float32(let v) = $0 { v } else { nil } })
    case .float64: storage = .float64(try joined(parts, type) { if case .float64(let v) = $0 { v } else { nil } })
    case .int128: storage = .int128(try joined(parts, type) { if case .int128(let v) = $0 { v } else { nil } })
    case .binary:
      var offsets: [Int32] = [0]
      offsets.reserveCapacity(total + 1)
      var bytes: [UInt8] = []
      for part in parts {
        guard case .binary(let o, let b) = part.storage else { throw mismatch(type) }
        let start = Int(o[0])
        let end = Int(o[part.count])
        let shift = Int32(bytes.count) - o[0]
        guard bytes.count + (end - start) <= Int(Int32.max) else {
          throw ExecError(.unsupported, "a string column over 2 GiB cannot be concatenated")
        }
        bytes.append(contentsOf: b[start..<end])
        for i in stride(from: 1, through: part.count, by: 1) { offsets.append(o[i] + shift) }
      }
      storage = .binary(offsets: offsets, bytes: bytes)
    case .dictionary, .structure, .list, .map:
      throw ExecError(.unsupported, "concatenating \(type) columns is not supported yet")
    }
    return ColumnVector(type: type, count: total, validity: validity, storage: storage)
  }

  private static func mismatch(_ type: DataType) -> ExecError {
    ExecError(.typeMismatch, "cannot concatenate vectors of different storage as \(type)")
  }

  private static func joined<T>(
    _ parts: [ColumnVector], _ type: DataType, _ extract: (ColumnStorage) -> [T]?
  ) throws(ExecError) -> [T] {
    var out: [T] = []
    out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
    for part in parts {
      guard let values = extract(part.storage) else { throw mismatch(type) }
      out.append(contentsOf: values)
    }
    return out
  }

  static func sameBinary(_ a: ColumnVector, _ b: ColumnVector) -> Bool {
    guard case .binary(let ao, let ab) = a.storage, case .binary(let bo, let bb) = b.storage else { return false }
    return ao == bo && ab == bb
  }

  func withoutValidity() -> ColumnVector {
    var copy = self
    copy.validity = nil
    return copy
  }
}

extension RecordBatch {
  /// The rows at `indices` of every column.
  public func gather(_ indices: [Int32]) throws(ExecError) -> RecordBatch {
    var columns: [ColumnVector] = []
    columns.reserveCapacity(self.columns.count)
    for column in self.columns { columns.append(try column.gather(indices)) }
    return try RecordBatch.make(schema: schema, columns: columns, rowCount: indices.count)
  }

  /// Builds a batch, turning a columnar inconsistency into an `ExecError`.
  public static func make(schema: Schema, columns: [ColumnVector], rowCount: Int) throws(ExecError) -> RecordBatch {
    do {
      return try RecordBatch(schema: schema, columns: columns, rowCount: rowCount)
    } catch {
      throw ExecError(.invalidPlan, "inconsistent batch", underlying: error)
    }
  }

  /// An empty batch of `schema`.
  public static func empty(_ schema: Schema) -> RecordBatch {
    let columns = schema.fields.map { ColumnVector.nulls($0.type, count: 0).withoutValidity() }
    // Every column has zero rows, so this cannot fail.
    return (try? RecordBatch(schema: schema, columns: columns, rowCount: 0))!
  }

  /// All `batches` as one batch of `schema`.
  public static func concatenate(_ batches: [RecordBatch], schema: Schema) throws(ExecError) -> RecordBatch {
    let nonEmpty = batches.filter { $0.rowCount > 0 }
    if nonEmpty.isEmpty { return .empty(schema) }
    if nonEmpty.count == 1 { return nonEmpty[0] }
    var columns: [ColumnVector] = []
    for (index, field) in schema.fields.enumerated() {
      columns.append(try ColumnVector.concatenate(nonEmpty.map { $0.columns[index] }, type: field.type))
    }
    return try make(schema: schema, columns: columns, rowCount: nonEmpty.reduce(0) { $0 + $1.rowCount })
  }
}
