public import Columnar
public import Expr

/// Serializes the values of key columns (group-by or join keys) into comparable byte strings:
/// per column a null flag byte, then integers and temporals as 8 bytes, floats as normalized
/// double bits, decimals as 16 bytes, booleans as 1 byte, strings as 4-byte length + bytes.
/// Equal SQL values give equal bytes, so `int32` and `int64` keys join.
enum KeyEncoding {
  /// Row keys of a batch: key `i` is `bytes[offsets[i]..<offsets[i+1]]`.
  struct Keys {
    var offsets: [Int]
    var bytes: [UInt8]
    /// Rows where some key column is NULL.
    var anyNull: Bitmap?
  }

  static func encode(_ columns: [ColumnVector], rowCount n: Int) throws(ExecError) -> Keys {
    var sizes = [Int](repeating: 0, count: n)
    let decoded = columns.map { $0.decodedDictionary() }
    for column in decoded {
      switch column.storage {
      case .binary(let o, _): for i in 0..<n { sizes[i] += 5 + Int(o[i + 1] - o[i]) }
      case .int128: for i in 0..<n { sizes[i] += 17 }
      case .boolean, .none: for i in 0..<n { sizes[i] += 2 }
      default: for i in 0..<n { sizes[i] += 9 }
      }
    }
    var offsets = [Int](repeating: 0, count: n + 1)
    for i in 0..<n { offsets[i + 1] = offsets[i] + sizes[i] }
    var bytes = [UInt8](repeating: 0, count: offsets[n])
    var cursor = offsets
    var anyNull: Bitmap? = nil
    for column in decoded {
      if let validity = column.effectiveValidity {
        anyNull = Bitmap.combine(anyNull ?? Bitmap(repeating: false, count: n), validity.inverted) { $0 | $1 }
      }
      let ints = Kernels.isTemporal(column.type) ? Kernels.temporalValues(column, asMicros: column.type != .date) : Kernels.int64Values(column)
      var floats: [Double] = []
      switch column.storage {
      case .float32, .float64, .uint16:
        if case .doubles(let ds)? = Kernels.numeric(column) { floats = ds }
      case .binary, .int128, .boolean, .none: break
      default:
        if ints == nil { throw ExecError(.unsupported, "cannot use \(column.type) as a key") }
      }
      bytes.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) in
        for i in 0..<n {
          let null = column.isNull(i)
          out[cursor[i]] = null ? 1 : 0
          cursor[i] += 1
          switch column.storage {
          case .binary(let o, let b):
            let start = Int(o[i])
            let length = null ? 0 : Int(o[i + 1]) - start
            out.storeBytes(of: UInt32(length).littleEndian, toByteOffset: cursor[i], as: UInt32.self)
            for k in 0..<length { out[cursor[i] + 4 + k] = b[start + k] }
            cursor[i] += 4 + length
          case .int128(let v):
            out.storeBytes(of: null ? 0 : v[i], toByteOffset: cursor[i], as: Int128.self)
            cursor[i] += 16
          case .boolean(let bits):
            out[cursor[i]] = !null && bits[i] ? 1 : 0
            cursor[i] += 1
          case .none:
            cursor[i] += 1
          case .float32, .float64, .uint16:
            var d: Double = null || floats.isEmpty ? 0 : floats[i]
            if d == 0 { d = 0 }  // -0.0 equals 0.0
            let bitsValue = d.isNaN ? Double.nan.bitPattern : d.bitPattern
            out.storeBytes(of: null ? 0 : bitsValue, toByteOffset: cursor[i], as: UInt64.self)
            cursor[i] += 8
          default:
            out.storeBytes(of: null ? 0 : (ints?[i] ?? 0), toByteOffset: cursor[i], as: Int64.self)
            cursor[i] += 8
          }
        }
      }
    }
    return Keys(offsets: offsets, bytes: bytes, anyNull: anyNull)
  }

  /// Rebuilds key columns of `types` from encoded keys.
  static func decode(_ keys: [ArraySlice<UInt8>], types: [DataType]) throws(ExecError) -> [ColumnVector] {
    var values = [[ScalarValue]](repeating: [], count: types.count)
    for key in keys {
      key.withUnsafeBytes { raw in
        var at = 0
        for (c, type) in types.enumerated() {
          let null = raw[at] != 0
          at += 1
          var value = ScalarValue.null
          switch type {
          case .string, .binary, .fixedBinary, .uuid:
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            at += 4
            let bytes = Array(raw[at..<(at + length)])
            value = type == .string ? .string(String(decoding: bytes, as: UTF8.self)) : .binary(bytes)
            at += length
          case .decimal(let p, let s):
            value = .decimal(raw.loadUnaligned(fromByteOffset: at, as: Int128.self), precision: p, scale: s)
            at += 16
          case .boolean:
            value = .boolean(raw[at] != 0)
            at += 1
          case .null:
            at += 1
          case .float16, .float32, .float64:
            value = .float64(Double(bitPattern: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            at += 8
          case .date:
            value = .date(Int32(truncatingIfNeeded: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            at += 8
          case .timestamp(_, let utc):
            value = .timestamp(raw.loadUnaligned(fromByteOffset: at, as: Int64.self), utc: utc)
            at += 8
          default:
            value = .int64(raw.loadUnaligned(fromByteOffset: at, as: Int64.self))
            at += 8
          }
          values[c].append(null ? .null : value)
        }
      }
    }
    var out: [ColumnVector] = []
    for (c, type) in types.enumerated() { out.append(try ColumnVector.from(values[c], type: type)) }
    return out
  }
}
