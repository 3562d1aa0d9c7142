public import Columnar
public import Expr

extension ColumnVector {
  /// A vector of `type` holding `values` (NULL where the value is `.null`); values are
  /// converted to the type's storage. For plan-time constants and tests, not for hot loops.
  public static func from(_ values: [ScalarValue], type: DataType) throws(ExecError) -> ColumnVector {
    let n = values.count
    let validity = Bitmap.build(count: n) { !values[$0].isNull }
    let v: Bitmap? = validity.allSet ? nil : validity
    func ints() throws(ExecError) -> [Int64] {
      var out: [Int64] = []
      for value in values {
        switch value {
        case .null: out.append(0)
        case .int64(let x): out.append(x)
        case .boolean(let b): out.append(b ? 1 : 0)
        default: throw ExecError(.typeMismatch, "\(value) is not an integer for a \(type) column")
        }
      }
      return out
    }
    let storage: ColumnStorage
    switch type {
    case .null: return ColumnVector(type: .null, count: n, storage: .none)
    case .boolean: storage = .boolean(Bitmap.build(count: n) { if case .boolean(true) = values[$0] { true } else { false } })
    case .int8: storage = .int8(try ints().map { Int8(truncatingIfNeeded: $0) })
    case .int16: storage = .int16(try ints().map { Int16(truncatingIfNeeded: $0) })
    case .int32: storage = .int32(try ints().map { Int32(truncatingIfNeeded: $0) })
    case .int64: storage = .int64(try ints())
    case .uint8: storage = .uint8(try ints().map { UInt8(truncatingIfNeeded: $0) })
    case .uint16: storage = .uint16(try ints().map { UInt16(truncatingIfNeeded: $0) })
    case .uint32: storage = .uint32(try ints().map { UInt32(truncatingIfNeeded: $0) })
    case .uint64: storage = .uint64(try ints().map { UInt64(truncatingIfNeeded: $0) })
    case .float16: storage = .uint16(values.map { Float16(Float($0.doubleValue ?? 0)).bitPattern })
    case .float32: storage = .float32(values.map { Float($0.doubleValue ?? 0) })
    case .float64: storage = .float64(values.map { $0.doubleValue ?? 0 })
    case .decimal(_, let scale):
      storage = .int128(values.map { value in
        switch value {
        case .decimal(let x, _, let s):
          if s == scale { return x }
          if s < scale { return x * (Kernels.pow10(scale - s) ?? 1) }
          return x / (Kernels.pow10(s - scale) ?? 1)
        case .int64(let x): return Int128(x) * (Kernels.pow10(scale) ?? 1)
        default: return 0
        }
      })
    case .date: storage = .int32(values.map { if case .date(let d) = $0 { d } else { 0 } })
    case .timestamp(let unit, _), .time(let unit):
      storage = .int64(values.map { value in
        let micros: Int64
        switch value {
        case .timestamp(let t, _): micros = t
        case .date(let d): micros = Int64(d) &* 86_400_000_000
        case .int64(let t): micros = t
        default: micros = 0
        }
        switch unit {
        case .microsecond: return micros
        case .millisecond: return CalendarFormatting.floorDiv(micros, 1000)
        case .nanosecond: return micros &* 1000
        }
      })
    case .string, .binary, .fixedBinary, .uuid:
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      for value in values {
        switch value {
        case .string(let s): bytes.append(contentsOf: s.utf8)
        case .binary(let b): bytes.append(contentsOf: b)
        case .null: break
        default: bytes.append(contentsOf: value.render().utf8)
        }
        offsets.append(Int32(bytes.count))
      }
      storage = .binary(offsets: offsets, bytes: bytes)
    case .structure, .list, .map:
      throw ExecError(.unsupported, "building \(type) vectors from scalars is not supported")
    }
    return ColumnVector(type: type, count: n, validity: v, storage: storage)
  }
}

extension Kernels {
  static func cast(_ v: ColumnVector, to type: DataType, safe: Bool, context: PhysicalExpression) throws(ExecError) -> ColumnVector {
    if v.type == type { return v }
    let n = v.count
    if case .none = v.storage { return .nulls(type, count: n) }
    if v.type.isBinaryLike && type.isBinaryLike {
      var out = v
      out.type = type
      if case .dictionary(let i, var d) = out.storage {
        d.type = type
        out.storage = .dictionary(indices: i, dictionary: d)
      }
      return out
    }
    let validity = v.effectiveValidity
    // Integers to integers and floats, floats to integers (rounding half away from zero).
    if isNumeric(v.type) && isNumeric(type) && !(type.isDecimal) {
      if let ints = int64Values(v) {
        switch type {
        case .float64: return ColumnVector(type: type, count: n, validity: validity, storage: .float64(ints.map { Double($0) }))
        case .float32: return ColumnVector(type: type, count: n, validity: validity, storage: .float32(ints.map { Float($0) }))
        default: return try narrowIntegers(ints, validity: validity, to: type, safe: safe, context: context)
        }
      }
      if let x = numeric(v) {
        let ds = doubles(x)
        switch type {
        case .float64: return ColumnVector(type: type, count: n, validity: validity, storage: .float64(ds))
        case .float32: return ColumnVector(type: type, count: n, validity: validity, storage: .float32(ds.map { Float($0) }))
        default:
          var ints = [Int64](repeating: 0, count: n)
          var valid = validity ?? Bitmap(repeating: true, count: n)
          for i in 0..<n where valid[i] {
            // Half to even, as DuckDB casts doubles to integers (2.5 → 2, -2.5 → -2).
            let r = ds[i].rounded(.toNearestOrEven)
            if r.isFinite && r >= -9.223372036854775808e18 && r < 9.223372036854775808e18 {
              ints[i] = Int64(r)
            } else if safe {
              valid[i] = false
            } else {
              throw ExecError(.invalidCast, "\(ds[i]) is out of range for \(type) in \(context)")
            }
          }
          return try narrowIntegers(ints, validity: valid.allSet ? nil : valid, to: type, safe: safe, context: context)
        }
      }
    }
    if v.type == .date, case .int32(let days) = v.storage, isInteger(type) {
      let ints = ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(days.map { Int64($0) }))
      return try cast(ints, to: type, safe: safe, context: context)
    }
    if v.type == .boolean, case .boolean(let bits) = v.storage, isNumeric(type) {
      let ints = ColumnVector(type: .int64, count: n, validity: validity, storage: .int64((0..<n).map { bits[$0] ? 1 : 0 }))
      return try cast(ints, to: type, safe: safe, context: context)
    }
    if v.type == .date, case .timestamp(let unit, let utc) = type, case .int32(let days) = v.storage {
      let perDay = 86_400 * unit.perSecond
      return ColumnVector(type: .timestamp(unit, utc: utc), count: n, validity: validity, storage: .int64(days.map { Int64($0) &* perDay }))
    }
    if type == .date, case .timestamp(let unit, _) = v.type, case .int64(let t) = v.storage {
      let perDay = 86_400 * unit.perSecond
      return ColumnVector(type: .date, count: n, validity: validity, storage: .int32(t.map { Int32(truncatingIfNeeded: CalendarFormatting.floorDiv($0, perDay)) }))
    }
    if case .timestamp(_, let utc) = type, case .timestamp = v.type, let micros = temporalValues(v, asMicros: true) {
      let asMicros = ColumnVector(type: .timestamp(.microsecond, utc: utc), count: n, validity: validity, storage: .int64(micros))
      return try ColumnVector.from((0..<n).map { ScalarValue(from: asMicros, row: $0) }, type: type)
    }
    if type == .string {
      return renderStrings(v)
    }
    // Everything else goes through text, one value at a time (not a hot path).
    var values: [ScalarValue] = []
    values.reserveCapacity(n)
    for i in 0..<n {
      if v.isNull(i) {
        values.append(.null)
        continue
      }
      var text = ValueRenderer.text(v, row: i)
      if v.type.isBinaryLike { text = trimmed(text) }
      if type == .boolean, isNumeric(v.type) {
        values.append(.boolean(text != "0"))
        continue
      }
      do {
        var parsed = try ScalarValue.parse(text, as: type)
        if isInteger(type), case .decimal = parsed { parsed = .null }
        values.append(parsed)
      } catch {
        // Integers written with a fraction ("2.5") round, as DuckDB does for decimals.
        if isInteger(type), let d = Double(text), d.isFinite {
          let ints = try narrowIntegers([Int64(d.rounded(.toNearestOrAwayFromZero))], validity: nil, to: type, safe: safe, context: context)
          values.append(ScalarValue(from: ints, row: 0))
          continue
        }
        if type == .float64 || type == .float32, let d = Double(text) {
          values.append(.float64(d))
          continue
        }
        if safe {
          values.append(.null)
          continue
        }
        throw ExecError(.invalidCast, "could not convert '\(text)' to \(type) in \(context)", underlying: error)
      }
    }
    return try ColumnVector.from(values, type: type)
  }

  static func trimmed(_ text: String) -> String {
    var s = Substring(text)
    while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
    return String(s)
  }

  static func narrowIntegers(
    _ ints: [Int64], validity: Bitmap?, to type: DataType, safe: Bool, context: PhysicalExpression
  ) throws(ExecError) -> ColumnVector {
    let n = ints.count
    var valid = validity ?? Bitmap(repeating: true, count: n)
    func narrow<T: FixedWidthInteger>(_: T.Type) throws(ExecError) -> [T] {
      var out = [T](repeating: 0, count: n)
      for i in 0..<n {
        if let x = T(exactly: ints[i]) {
          out[i] = x
        } else if valid[i] {
          if safe { valid[i] = false } else { throw ExecError(.invalidCast, "\(ints[i]) is out of range for \(type) in \(context)") }
        }
      }
      return out
    }
    let storage: ColumnStorage
    switch type {
    case .int8: storage = .int8(try narrow(Int8.self))
    case .int16: storage = .int16(try narrow(Int16.self))
    case .int32: storage = .int32(try narrow(Int32.self))
    case .int64: storage = .int64(ints)
    case .uint8: storage = .uint8(try narrow(UInt8.self))
    case .uint16: storage = .uint16(try narrow(UInt16.self))
    case .uint32: storage = .uint32(try narrow(UInt32.self))
    case .uint64: storage = .uint64(try narrow(UInt64.self))
    default: throw ExecError(.invalidCast, "cannot cast integers to \(type) in \(context)")
    }
    return ColumnVector(type: type, count: n, validity: valid.allSet ? nil : valid, storage: storage)
  }

  /// Every value rendered as text (dictionary vectors render each entry once).
  static func renderStrings(_ v: ColumnVector) -> ColumnVector {
    let n = v.count
    var offsets = [Int32](repeating: 0, count: n + 1)
    var bytes: [UInt8] = []
    for i in 0..<n {
      if !v.isNull(i) {
        if case .boolean(let b) = v.storage {
          bytes.append(contentsOf: (b[i] ? "true" : "false").utf8)
        } else if case .timestamp(let unit, let utc) = v.type, case .int64(let t) = v.storage {
          CalendarFormatting.appendSQLTimestamp(t[i], unit: unit, utc: utc, to: &bytes)
        } else {
          ValueRenderer.appendValue(v, row: i, json: false, to: &bytes)
        }
      }
      offsets[i + 1] = Int32(bytes.count)
    }
    return ColumnVector(type: .string, count: n, validity: v.effectiveValidity, storage: .binary(offsets: offsets, bytes: bytes))
  }
}

extension DataType {
  var isDecimal: Bool {
    if case .decimal = self { return true }
    return false
  }
}

