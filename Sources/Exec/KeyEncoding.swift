import Columnar
import Expr

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

    func key(_ row: Int) -> ArraySlice<UInt8> { bytes[offsets[row]..<offsets[row + 1]] }
  }

  /// The encoded keys of `rows` (all `rowCount` rows when nil), one key per listed row.
  ///
  /// Works a column at a time: each column's values are written into every key with one loop
  /// specialised to its storage, so the per-row work has no type dispatch.
  static func encode(_ columns: [ColumnVector], rows: [Int32]? = nil, rowCount n: Int) throws(ExecError) -> Keys {
    let rowList = rows ?? (0..<Int32(truncatingIfNeeded: n)).map { $0 }
    let m = rowList.count
    var parts: [Part] = []
    var fixed = 0
    for column in columns {
      let part = try Part(column)
      fixed += 1 + part.fixedWidth
      parts.append(part)
    }
    // Offsets: the fixed part plus the length of every variable-length value.
    var offsets = [Int](repeating: 0, count: m + 1)
    offsets.withUnsafeMutableBufferPointer { o in
      for j in 0..<m { o[j + 1] = o[j] &+ fixed }
      for part in parts {
        guard case .bytes(let entries, let valueOffsets, _) = part.values else { continue }
        valueOffsets.withUnsafeBufferPointer { vo in
          var extra = 0
          for j in 0..<m {
            var row = Int(rowList[j])
            if let validity = part.validity, !validity[row] {
              o[j + 1] &+= extra
              continue
            }
            if let entries { row = Int(entries[row]) }
            if row >= 0, row + 1 < vo.count { extra &+= Int(vo[row + 1]) &- Int(vo[row]) }
            o[j + 1] &+= extra
          }
        }
      }
    }
    var bytes = [UInt8](repeating: 0, count: offsets[m])
    var cursor = offsets
    var anyNull: Bitmap? = nil
    for part in parts {
      let validity = part.validity
      if let validity {
        let nulls = Bitmap.build(count: m) { !validity[Int(rowList[$0])] }
        anyNull = anyNull.map { Bitmap.combine($0, nulls) { $0 | $1 } } ?? nulls
      }
      rowList.withUnsafeBufferPointer { r in
        cursor.withUnsafeMutableBufferPointer { c in
          bytes.withUnsafeMutableBytes { out in
            func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }
            switch part.values {
            case .ints(let v):
              v.withUnsafeBufferPointer { v in
                for j in 0..<m {
                  let row = Int(r[j])
                  let null = isNull(row)
                  out[c[j]] = null ? 1 : 0
                  out.storeBytes(of: null ? 0 : v[row], toByteOffset: c[j] + 1, as: Int64.self)
                  c[j] += 9
                }
              }
            case .doubles(let v):
              v.withUnsafeBufferPointer { v in
                for j in 0..<m {
                  let row = Int(r[j])
                  let null = isNull(row)
                  var d = null ? 0 : v[row]
                  if d == 0 { d = 0 }  // -0.0 equals 0.0
                  out[c[j]] = null ? 1 : 0
                  out.storeBytes(of: d.isNaN ? Double.nan.bitPattern : d.bitPattern, toByteOffset: c[j] + 1, as: UInt64.self)
                  c[j] += 9
                }
              }
            case .wides(let v):
              v.withUnsafeBufferPointer { v in
                for j in 0..<m {
                  let row = Int(r[j])
                  let null = isNull(row)
                  out[c[j]] = null ? 1 : 0
                  out.storeBytes(of: null ? 0 : v[row], toByteOffset: c[j] + 1, as: Int128.self)
                  c[j] += 17
                }
              }
            case .booleans(let bits):
              for j in 0..<m {
                let row = Int(r[j])
                let null = isNull(row)
                out[c[j]] = null ? 1 : 0
                out[c[j] + 1] = !null && bits[row] ? 1 : 0
                c[j] += 2
              }
            case .nulls:
              for j in 0..<m {
                out[c[j]] = 1
                c[j] += 2
              }
            case .bytes(let entries, let valueOffsets, let valueBytes):
              valueOffsets.withUnsafeBufferPointer { vo in
                valueBytes.withUnsafeBytes { vb in
                  for j in 0..<m {
                    let row = Int(r[j])
                    let null = isNull(row)
                    var value = row
                    if let entries { value = Int(entries[row]) }
                    var length = 0
                    var start = 0
                    if !null, value >= 0, value + 1 < vo.count {
                      start = Int(vo[value])
                      length = Int(vo[value + 1]) - start
                    }
                    out[c[j]] = null ? 1 : 0
                    out.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: c[j] + 1, as: UInt32.self)
                    if length > 0 {
                      out.baseAddress!.advanced(by: c[j] + 5).copyMemory(from: vb.baseAddress! + start, byteCount: length)
                    }
                    c[j] += 5 + length
                  }
                }
              }
            }
          }
        }
      }
    }
    return Keys(offsets: offsets, bytes: bytes, anyNull: anyNull)
  }

  /// One key column's values in the form the encoder writes them.
  struct Part {
    enum Values {
      case ints([Int64]), doubles([Double]), wides([Int128]), booleans(Bitmap), nulls
      /// Strings: value `i` is entry `entries[i]` (or `i` itself) of `offsets`/`bytes`.
      case bytes(entries: [Int32]?, offsets: [Int32], bytes: [UInt8])
    }
    var values: Values
    var validity: Bitmap?

    init(_ column: ColumnVector) throws(ExecError) {
      validity = column.effectiveValidity
      switch column.storage {
      case .none: values = .nulls
      case .boolean(let bits): values = .booleans(bits)
      case .int128(let v): values = .wides(v)
      case .binary(let o, let b): values = .bytes(entries: nil, offsets: o, bytes: b)
      case .dictionary(let indices, let dictionary):
        guard case .binary(let o, let b) = dictionary.storage else {
          throw ExecError(.unsupported, "cannot use a \(column.type) dictionary as a key")
        }
        values = .bytes(entries: indices, offsets: o, bytes: b)
      default:
        switch column.type {
        case .float16, .float32, .float64:
          guard case .doubles(let d)? = Kernels.numeric(column) else {
            throw ExecError(.unsupported, "cannot use \(column.type) as a key")
          }
          values = .doubles(d)
        default:
          let ints = Kernels.isTemporal(column.type) ? Kernels.temporalValues(column, asMicros: column.type != .date) : Kernels.int64Values(column)
          guard let ints else { throw ExecError(.unsupported, "cannot use \(column.type) as a key") }
          values = .ints(ints)
        }
      }
    }

    /// Bytes after the null flag, not counting a string's bytes.
    var fixedWidth: Int {
      switch values {
      case .ints, .doubles: 8
      case .wides: 16
      case .booleans, .nulls: 1
      case .bytes: 4
      }
    }
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
