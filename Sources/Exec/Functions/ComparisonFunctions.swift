import Columnar
import Expr

/// `abs(x)`: the magnitude, in the input's own type. `abs` of a signed type's minimum overflows.
struct AbsKernel: ScalarFunctionKernel {
  let name = "abs"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let v = arguments[0]
    func same(_ storage: ColumnStorage) -> ColumnVector {
      ColumnVector(type: v.type, count: v.count, validity: v.validity, storage: storage)
    }
    switch v.storage {
    case .none, .uint8, .uint32, .uint64: return v
    case .uint16(let x): return v.type == .float16 ? same(.uint16(x.map { $0 & 0x7FFF })) : v
    case .int8(let x): return same(.int8(try magnitudes(x, v)))
    case .int16(let x): return same(.int16(try magnitudes(x, v)))
    case .int32(let x): return same(.int32(try magnitudes(x, v)))
    case .int64(let x): return same(.int64(try magnitudes(x, v)))
    case .int128(let x): return same(.int128(try magnitudes(x, v)))
    case .float32(let x): return same(.float32(x.map { Swift.abs($0) }))
    case .float64(let x): return same(.float64(x.map { Swift.abs($0) }))
    default: throw ExecError(.typeMismatch, "abs needs a number, not \(FunctionCall.typeName(v.type))")
    }
  }

  private func magnitudes<T: FixedWidthInteger & SignedInteger>(_ values: [T], _ v: ColumnVector) throws(ExecError)
    -> [T]
  {
    var out = values
    for i in 0..<out.count where out[i] < 0 {
      if out[i] == T.min {
        if !v.isNull(i) { throw ExecError(.overflow, "integer overflow in abs(\(out[i]))") }
        out[i] = 0
      } else {
        out[i] = 0 - out[i]
      }
    }
    return out
  }
}

/// `nullif(a, b)`: NULL where `a = b`, else `a` (a NULL `b` never matches).
struct NullIfKernel: ScalarFunctionKernel {
  let name = "nullif"

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let a = arguments[0]
    let b = arguments[1]
    if Kernels.isAllNull(a) || Kernels.isAllNull(b) { return a }
    let context = PhysicalExpression.function(.custom(self), [.column(0), .column(1)])
    let equal: ColumnVector
    if n > 0, Kernels.isUniform(b) {
      equal = try Kernels.compareScalar(.equal, a, ScalarValue(from: b, row: 0), context: context)
    } else {
      equal = try Kernels.compareVectors(.equal, a, b, context: context)
    }
    let matches = try equal.trueMask()
    guard matches.setCount > 0 else { return a }
    var out = a
    let keep = intersectValidity(a.effectiveValidity, matches.inverted)
    out.validity = keep
    return out
  }
}

/// `greatest(...)` / `least(...)`: the largest / smallest non-NULL argument of each row, NULL
/// only when every argument is. Integers compare as `int64`, mixed numbers as `float64` (NaN
/// above everything, as in DuckDB), strings by their bytes, dates and timestamps as instants.
struct ExtremumKernel: ScalarFunctionKernel {
  let name: String
  let greatest: Bool
  /// The common type of the arguments, chosen by ``commonType(_:name:)``.
  let resultType: DataType

  /// The type every argument converts to, or a type error when they cannot be compared.
  static func commonType(_ types: [DataType], name: String) throws(ExecError) -> DataType {
    let typed = types.filter { $0 != .null }
    guard let first = typed.first else { return .null }
    func mismatch() -> ExecError {
      ExecError(.typeMismatch, "\(name) cannot compare \(typed.map(FunctionCall.typeName).joined(separator: " with "))")
    }
    if typed.allSatisfy(Kernels.isInteger) { return .int64 }
    if typed.allSatisfy(Kernels.isNumeric) {
      if case .decimal = first, typed.allSatisfy({ $0 == first }) { return first }
      return .float64
    }
    if typed.allSatisfy({ $0 == .string }) { return .string }
    if typed.allSatisfy(\.isBinaryLike) { return .binary }
    if typed.allSatisfy({ $0 == .boolean }) { return .boolean }
    if typed.allSatisfy({ $0 == .date }) { return .date }
    var utc: Bool? = nil
    for type in typed {
      switch type {
      case .date: continue
      case .timestamp(_, let u):
        if let utc, utc != u { throw mismatch() }
        utc = u
      default: throw mismatch()
      }
    }
    return .timestamp(.microsecond, utc: utc ?? false)
  }

  func evaluate(_ arguments: [ColumnVector], rowCount n: Int) throws(ExecError) -> ColumnVector {
    let present = arguments.filter { !Kernels.isAllNull($0) }
    let validities = present.map(\.effectiveValidity)
    let greatest = self.greatest
    switch resultType {
    case .null: return .nulls(.null, count: n)
    case .int64:
      var columns: [[Int64]] = []
      for v in present { columns.append(try Kernels.integers(v, name)) }
      let (values, validity) = Self.pick(columns, validities, count: n, zero: 0) { greatest ? $0 > $1 : $0 < $1 }
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(values))
    case .float64:
      var columns: [[Double]] = []
      for v in present {
        guard let numbers = Kernels.numeric(v) else { throw typeError(v) }
        columns.append(Kernels.doubles(numbers))
      }
      // NaN sorts above every number.
      let (values, validity) = Self.pick(columns, validities, count: n, zero: 0) { a, b in
        let above = a.isNaN ? !b.isNaN : (!b.isNaN && a > b)
        let below = b.isNaN ? !a.isNaN : (!a.isNaN && a < b)
        return greatest ? above : below
      }
      return ColumnVector(type: .float64, count: n, validity: validity, storage: .float64(values))
    case .decimal:
      var columns: [[Int128]] = []
      for v in present {
        guard case .int128(let x) = v.storage else { throw typeError(v) }
        columns.append(x)
      }
      let (values, validity) = Self.pick(columns, validities, count: n, zero: 0) { greatest ? $0 > $1 : $0 < $1 }
      return ColumnVector(type: resultType, count: n, validity: validity, storage: .int128(values))
    case .boolean:
      var columns: [[Bool]] = []
      for v in present {
        guard case .boolean(let bits) = v.storage else { throw typeError(v) }
        columns.append((0..<n).map { bits[$0] })
      }
      let (values, validity) = Self.pick(columns, validities, count: n, zero: false) {
        greatest ? ($0 && !$1) : (!$0 && $1)
      }
      return .boolean(Bitmap.build(count: n) { values[$0] }, validity: validity)
    case .date:
      var columns: [[Int64]] = []
      for v in present {
        guard let days = Kernels.temporalValues(v, asMicros: false) else { throw typeError(v) }
        columns.append(days)
      }
      let (values, validity) = Self.pick(columns, validities, count: n, zero: 0) { greatest ? $0 > $1 : $0 < $1 }
      return ColumnVector(
        type: .date, count: n, validity: validity, storage: .int32(values.map { Int32(truncatingIfNeeded: $0) }))
    case .timestamp:
      var columns: [[Int64]] = []
      for v in present {
        guard let micros = Kernels.temporalValues(v, asMicros: true) else { throw typeError(v) }
        columns.append(micros)
      }
      let (values, validity) = Self.pick(columns, validities, count: n, zero: 0) { greatest ? $0 > $1 : $0 < $1 }
      return ColumnVector(type: resultType, count: n, validity: validity, storage: .int64(values))
    default:
      return try pickStrings(present, validities, count: n)
    }
  }

  private func typeError(_ v: ColumnVector) -> ExecError {
    ExecError(
      .typeMismatch, "\(name) cannot convert \(FunctionCall.typeName(v.type)) to \(FunctionCall.typeName(resultType))")
  }

  /// Column at a time: the best value of each row so far, replaced when `better`.
  static func pick<T>(
    _ columns: [[T]], _ validities: [Bitmap?], count n: Int, zero: T, better: (T, T) -> Bool
  ) -> ([T], Bitmap?) {
    var out = [T](repeating: zero, count: n)
    var found = Bitmap(repeating: false, count: n)
    for (c, values) in columns.enumerated() {
      let validity = validities[c]
      for i in 0..<n where validity?[i] ?? true {
        if !found[i] {
          out[i] = values[i]
          found[i] = true
        } else if better(values[i], out[i]) {
          out[i] = values[i]
        }
      }
    }
    return (out, found.allSet ? nil : found)
  }

  private func pickStrings(_ vectors: [ColumnVector], _ validities: [Bitmap?], count n: Int) throws(ExecError)
    -> ColumnVector
  {
    var columns: [StringColumn] = []
    for v in vectors { columns.append(try Kernels.strings(v, name)) }
    let greatest = self.greatest
    return try Self.withRows(columns[...], pinned: []) { (rows) throws(ExecError) -> ColumnVector in
      var builder = StringBuilder(rows: n, validity: nil)
      for i in 0..<n {
        var best: UnsafeBufferPointer<UInt8>? = nil
        for (c, column) in rows.enumerated() where validities[c]?[i] ?? true {
          let text = column[i]
          if let current = best {
            let order = ByteHashing.compare(
              UnsafeRawPointer(text.baseAddress), text.count, UnsafeRawPointer(current.baseAddress), current.count)
            if greatest ? order > 0 : order < 0 { best = text }
          } else {
            best = text
          }
        }
        if let best {
          builder.bytes.append(contentsOf: best)
          builder.endRow()
        } else {
          builder.endNullRow(start: builder.bytes.count)
        }
      }
      return try builder.finish(resultType, function: name)
    }
  }

  /// Pins every column's buffers, then runs `body` with all of them.
  private static func withRows<R>(
    _ columns: ArraySlice<StringColumn>, pinned: [StringRows], _ body: ([StringRows]) throws(ExecError) -> R
  ) throws(ExecError) -> R {
    guard let first = columns.first else { return try body(pinned) }
    return try first.withRows { (rows) throws(ExecError) -> R in
      try withRows(columns.dropFirst(), pinned: pinned + [rows], body)
    }
  }
}
