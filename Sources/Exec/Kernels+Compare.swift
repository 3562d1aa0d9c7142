import Columnar
import Expr

/// The vectorized kernels behind ``PhysicalExpression``: one loop per physical type.
enum Kernels {}

/// Numbers of one column in a common representation.
enum NumericArray {
  case ints([Int64])
  case doubles([Double])
  case decimals([Int128], scale: Int)
}

extension Kernels {
  // MARK: Views

  /// The values of an integer-stored (non-temporal) column as `Int64`.
  static func int64Values(_ v: ColumnVector) -> [Int64]? {
    switch v.storage {
    case .int8(let x): return x.map { Int64($0) }
    case .int16(let x): return x.map { Int64($0) }
    case .int32(let x): return x.map { Int64($0) }
    case .int64(let x): return x
    case .uint8(let x): return x.map { Int64($0) }
    case .uint16(let x): return v.type == .float16 ? nil : x.map { Int64($0) }
    case .uint32(let x): return x.map { Int64($0) }
    case .uint64(let x): return x.map { Int64(truncatingIfNeeded: $0) }
    default: return nil
    }
  }

  static func isTemporal(_ type: DataType) -> Bool {
    switch type {
    case .date, .timestamp, .time: true
    default: false
    }
  }

  static func isNumeric(_ type: DataType) -> Bool {
    switch type {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float32, .float64, .decimal: true
    default: false
    }
  }

  static func isInteger(_ type: DataType) -> Bool {
    switch type {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
    default: false
    }
  }

  /// A numeric column's values as integers, doubles or decimals.
  static func numeric(_ v: ColumnVector) -> NumericArray? {
    guard isNumeric(v.type) else { return nil }
    switch v.storage {
    case .float32(let x): return .doubles(x.map { Double($0) })
    case .float64(let x): return .doubles(x)
    case .uint16(let x) where v.type == .float16:
      return .doubles(x.map { ScalarValue(from: ColumnVector(type: .float16, count: 1, storage: .uint16([$0])), row: 0).doubleValue ?? 0 })
    case .int128(let x):
      if case .decimal(_, let s) = v.type { return .decimals(x, scale: s) }
      return .decimals(x, scale: 0)
    case .uint64(let x) where x.contains(where: { $0 > UInt64(Int64.max) }):
      return .decimals(x.map { Int128($0) }, scale: 0)
    default: return int64Values(v).map { .ints($0) }
    }
  }

  /// Temporal values on one scale: dates as days when `asMicros` is false, else microseconds.
  static func temporalValues(_ v: ColumnVector, asMicros: Bool) -> [Int64]? {
    switch (v.type, v.storage) {
    case (.date, .int32(let days)):
      return asMicros ? days.map { Int64($0) &* 86_400_000_000 } : days.map { Int64($0) }
    case (.timestamp(let unit, _), .int64(let x)), (.time(let unit), .int64(let x)):
      switch unit {
      case .microsecond: return x
      case .millisecond: return x.map { $0 &* 1000 }
      case .nanosecond: return x.map { CalendarFormatting.floorDiv($0, 1000) }
      }
    default: return nil
    }
  }

  static func scalarMicros(_ s: ScalarValue) -> Int64? {
    switch s {
    case .date(let d): return Int64(d) &* 86_400_000_000
    case .timestamp(let t, _): return t
    default: return nil
    }
  }

  // MARK: Bits

  @inline(__always)
  static func bits<T: Comparable>(_ op: ComparisonOperator, _ count: Int, _ a: (Int) -> T, _ b: (Int) -> T) -> Bitmap {
    switch op {
    case .equal: return Bitmap.build(count: count) { a($0) == b($0) }
    case .notEqual: return Bitmap.build(count: count) { a($0) != b($0) }
    case .less: return Bitmap.build(count: count) { a($0) < b($0) }
    case .lessOrEqual: return Bitmap.build(count: count) { a($0) <= b($0) }
    case .greater: return Bitmap.build(count: count) { a($0) > b($0) }
    case .greaterOrEqual: return Bitmap.build(count: count) { a($0) >= b($0) }
    }
  }

  static func integerBits<T: BinaryInteger>(_ op: ComparisonOperator, _ values: [T], _ literal: Int64) -> Bitmap {
    values.withUnsafeBufferPointer { p in
      bits(op, p.count, { Int64(truncatingIfNeeded: p[$0]) }, { _ in literal })
    }
  }

  static func nullBooleans(_ count: Int) -> ColumnVector {
    .boolean(Bitmap(repeating: false, count: count), validity: Bitmap(repeating: false, count: count))
  }

  // MARK: Compare

  static func compare(
    _ op: ComparisonOperator, _ l: Datum, _ r: Datum, count: Int, context: PhysicalExpression
  ) throws(ExecError) -> Datum {
    switch (l, r) {
    case (.scalar(let a), .scalar(let b)):
      if a.isNull || b.isNull { return .scalar(.null) }
      guard let order = ScalarValue.compare(a, b) ?? nanOrder(a, b) else {
        throw ExecError(.typeMismatch, "cannot compare \(a) with \(b) in \(context)")
      }
      return .scalar(.boolean(op.holds(order)))
    case (.vector(let v), .scalar(let s)): return .vector(try compareScalar(op, v, s, context: context))
    case (.scalar(let s), .vector(let v)): return .vector(try compareScalar(op.flipped, v, s, context: context))
    case (.vector(let a), .vector(let b)): return .vector(try compareVectors(op, a, b, context: context))
    }
  }

  /// DuckDB orders NaN above every other number and equal to itself.
  static func nanOrder(_ a: ScalarValue, _ b: ScalarValue) -> Int? {
    guard a.isNaN || b.isNaN else { return nil }
    guard a.doubleValue != nil, b.doubleValue != nil else { return nil }
    if a.isNaN && b.isNaN { return 0 }
    return a.isNaN ? 1 : -1
  }

  static func compareScalar(
    _ op: ComparisonOperator, _ v: ColumnVector, _ s: ScalarValue, context: PhysicalExpression
  ) throws(ExecError) -> ColumnVector {
    let n = v.count
    if s.isNull { return nullBooleans(n) }
    if case .none = v.storage { return nullBooleans(n) }
    let validity = v.effectiveValidity
    switch (v.storage, s) {
    case (.dictionary(let indices, let dictionary), .string), (.dictionary(let indices, let dictionary), .binary):
      // Compare each dictionary entry once, then map the indices.
      let entries = try compareScalar(op, dictionary, s, context: context)
      guard case .boolean(let entryBits) = entries.storage else { break }
      let table = (0..<dictionary.count).map { entryBits[$0] && !dictionary.isNull($0) ? UInt8(1) : 0 }
      let size = table.count
      let result = table.withUnsafeBufferPointer { t in
        indices.withUnsafeBufferPointer { idx in
          Bitmap.build(count: n) { i in
            let k = Int(idx[i])
            return k >= 0 && k < size && t[k] != 0
          }
        }
      }
      return .boolean(result, validity: validity)
    case (.binary(let offsets, let bytes), .string), (.binary(let offsets, let bytes), .binary):
      var literal: [UInt8]
      if case .string(let text) = s { literal = Array(text.utf8) } else if case .binary(let b) = s { literal = b } else { literal = [] }
      let result = literal.withUnsafeBytes { lit in
        offsets.withUnsafeBufferPointer { o in
          bytes.withUnsafeBytes { b in
            let base = b.baseAddress
            let litBase = lit.baseAddress
            let litCount = lit.count
            if op == .equal || op == .notEqual {
              let want = op == .equal
              return Bitmap.build(count: n) { i in
                let start = Int(o[i])
                let length = Int(o[i + 1]) - start
                return (length == litCount && ByteHashing.equal(base.map { $0 + start }, litBase, length)) == want
              }
            }
            return Bitmap.build(count: n) { i in
              let start = Int(o[i])
              let order = ByteHashing.compare(base.map { $0 + start }, Int(o[i + 1]) - start, litBase, litCount)
              return op.holds(order)
            }
          }
        }
      }
      return .boolean(result, validity: validity)
    case (.int32(let values), .int64(let literal)) where isInteger(v.type):
      return .boolean(integerBits(op, values, literal), validity: validity)
    case (.int64(let values), .int64(let literal)) where isInteger(v.type):
      return .boolean(integerBits(op, values, literal), validity: validity)
    case (.int8(let values), .int64(let literal)): return .boolean(integerBits(op, values, literal), validity: validity)
    case (.int16(let values), .int64(let literal)): return .boolean(integerBits(op, values, literal), validity: validity)
    case (.uint8(let values), .int64(let literal)): return .boolean(integerBits(op, values, literal), validity: validity)
    case (.uint32(let values), .int64(let literal)): return .boolean(integerBits(op, values, literal), validity: validity)
    case (.int32(let values), .date(let literal)) where v.type == .date:
      return .boolean(integerBits(op, values, Int64(literal)), validity: validity)
    case (.int64(let values), .timestamp(let micros, _)):
      if case .timestamp(.microsecond, _) = v.type {
        return .boolean(integerBits(op, values, micros), validity: validity)
      }
    case (.boolean(let b), .boolean(let literal)):
      let result = Bitmap.build(count: n) { i in op.holds(b[i] == literal ? 0 : (b[i] ? 1 : -1)) }
      return .boolean(result, validity: validity)
    default: break
    }
    return try compareVectors(op, v, ColumnVector.constant(s, count: n), context: context)
  }

  static func compareVectors(
    _ op: ComparisonOperator, _ a: ColumnVector, _ b: ColumnVector, context: PhysicalExpression
  ) throws(ExecError) -> ColumnVector {
    let n = a.count
    if case .none = a.storage { return nullBooleans(n) }
    if case .none = b.storage { return nullBooleans(n) }
    let validity = intersectValidity(a.effectiveValidity, b.effectiveValidity)
    if a.type.isBinaryLike && b.type.isBinaryLike {
      let x = a.decodedDictionary()
      let y = b.decodedDictionary()
      guard case .binary(let ao, let ab) = x.storage, case .binary(let bo, let bb) = y.storage else {
        throw ExecError(.typeMismatch, "cannot compare \(a.type) with \(b.type) in \(context)")
      }
      let result = ab.withUnsafeBytes { pa in
        bb.withUnsafeBytes { pb in
          Bitmap.build(count: n) { i in
            let s1 = Int(ao[i])
            let s2 = Int(bo[i])
            return op.holds(
              ByteHashing.compare(pa.baseAddress.map { $0 + s1 }, Int(ao[i + 1]) - s1, pb.baseAddress.map { $0 + s2 }, Int(bo[i + 1]) - s2))
          }
        }
      }
      return .boolean(result, validity: validity)
    }
    if isTemporal(a.type) && isTemporal(b.type) {
      let micros = !(a.type == .date && b.type == .date)
      if case .timestamp(_, let u1) = a.type, case .timestamp(_, let u2) = b.type, u1 != u2 {
        throw ExecError(.typeMismatch, "cannot compare a timestamp with time zone to one without in \(context)")
      }
      guard let x = temporalValues(a, asMicros: micros), let y = temporalValues(b, asMicros: micros) else {
        throw ExecError(.typeMismatch, "cannot compare \(a.type) with \(b.type) in \(context)")
      }
      return .boolean(bits(op, n, { x[$0] }, { y[$0] }), validity: validity)
    }
    if let x = numeric(a), let y = numeric(b) {
      switch (x, y) {
      case (.ints(let p), .ints(let q)):
        return .boolean(bits(op, n, { p[$0] }, { q[$0] }), validity: validity)
      case (.decimals(let p, let s1), .decimals(let q, let s2)):
        let (pp, qq) = try alignDecimals(p, s1, q, s2, context: context)
        return .boolean(bits(op, n, { pp[$0] }, { qq[$0] }), validity: validity)
      case (.decimals(let p, let s1), .ints(let q)):
        let (pp, qq) = try alignDecimals(p, s1, q.map { Int128($0) }, 0, context: context)
        return .boolean(bits(op, n, { pp[$0] }, { qq[$0] }), validity: validity)
      case (.ints(let p), .decimals(let q, let s2)):
        let (pp, qq) = try alignDecimals(p.map { Int128($0) }, 0, q, s2, context: context)
        return .boolean(bits(op, n, { pp[$0] }, { qq[$0] }), validity: validity)
      default:
        let p = doubles(x)
        let q = doubles(y)
        // NaN sorts above everything and equals itself, as in DuckDB.
        let result = Bitmap.build(count: n) { i in
          let u = p[i]
          let w = q[i]
          let order = u.isNaN ? (w.isNaN ? 0 : 1) : (w.isNaN ? -1 : (u < w ? -1 : (u > w ? 1 : 0)))
          return op.holds(order)
        }
        return .boolean(result, validity: validity)
      }
    }
    if case .boolean(let p) = a.storage, case .boolean(let q) = b.storage {
      return .boolean(bits(op, n, { p[$0] ? 1 : 0 }, { q[$0] ? 1 : 0 }), validity: validity)
    }
    throw ExecError(.typeMismatch, "cannot compare \(a.type) with \(b.type) in \(context)")
  }

  static func doubles(_ x: NumericArray) -> [Double] {
    switch x {
    case .ints(let v): return v.map { Double($0) }
    case .doubles(let v): return v
    case .decimals(let v, let scale):
      let divisor = pow10Double(scale)
      return v.map { Double($0) / divisor }
    }
  }

  static func pow10Double(_ n: Int) -> Double {
    var d = 1.0
    for _ in 0..<max(0, n) { d *= 10 }
    return d
  }

  static func pow10(_ n: Int) -> Int128? {
    guard n >= 0, n <= 38 else { return nil }
    var r: Int128 = 1
    for _ in 0..<n { r &*= 10 }
    return r
  }

  static func alignDecimals(
    _ a: [Int128], _ sa: Int, _ b: [Int128], _ sb: Int, context: PhysicalExpression
  ) throws(ExecError) -> ([Int128], [Int128]) {
    if sa == sb { return (a, b) }
    let up = sa < sb
    guard let factor = pow10(abs(sa - sb)) else { throw ExecError(.overflow, "decimal scale out of range in \(context)") }
    var scaled: [Int128] = []
    scaled.reserveCapacity(up ? a.count : b.count)
    for x in up ? a : b {
      let (p, o) = x.multipliedReportingOverflow(by: factor)
      if o { throw ExecError(.overflow, "decimal overflow aligning scales in \(context)") }
      scaled.append(p)
    }
    return up ? (scaled, b) : (a, scaled)
  }

  // MARK: Kleene logic

  static func kleene(and isAnd: Bool, _ l: Datum, _ r: Datum, count: Int, context: PhysicalExpression) throws(ExecError) -> Datum {
    let a = try l.vector(count: count)
    let b = try r.vector(count: count)
    let (at, af) = try truthSets(a, context: context)
    let (bt, bf) = try truthSets(b, context: context)
    let t: Bitmap
    let f: Bitmap
    if isAnd {
      t = Bitmap.combine(at, bt) { $0 & $1 }
      f = Bitmap.combine(af, bf) { $0 | $1 }
    } else {
      t = Bitmap.combine(at, bt) { $0 | $1 }
      f = Bitmap.combine(af, bf) { $0 & $1 }
    }
    let valid = Bitmap.combine(t, f) { $0 | $1 }
    return .vector(.boolean(t, validity: valid.allSet ? nil : valid))
  }

  /// The rows that are TRUE and the rows that are FALSE (the rest are NULL).
  static func truthSets(_ v: ColumnVector, context: PhysicalExpression) throws(ExecError) -> (Bitmap, Bitmap) {
    switch v.storage {
    case .none: return (Bitmap(repeating: false, count: v.count), Bitmap(repeating: false, count: v.count))
    case .boolean(let bits):
      guard let validity = v.validity else { return (bits, bits.inverted) }
      return (Bitmap.combine(bits, validity) { $0 & $1 }, Bitmap.combine(bits, validity) { ~$0 & $1 })
    default: throw ExecError(.typeMismatch, "AND/OR needs booleans, not \(v.type), in \(context)")
    }
  }

  // MARK: IN

  static func inList(_ input: Datum, _ list: InList, negated: Bool, count: Int, context: PhysicalExpression) throws(ExecError) -> Datum {
    if case .scalar(let s) = input {
      if s.isNull { return .scalar(.null) }
      let found = list.values.contains { ScalarValue.compare($0, s) == 0 }
      if found { return .scalar(.boolean(!negated)) }
      return list.containsNull ? .scalar(.null) : .scalar(.boolean(negated))
    }
    let v = try input.vector(count: count)
    let n = v.count
    if case .none = v.storage { return .vector(nullBooleans(n)) }
    var found: Bitmap? = nil
    switch v.storage {
    case .int32(let values) where isInteger(v.type) && list.integers != nil:
      found = values.withUnsafeBufferPointer { p in list.matchIntegers(count: n) { Int64(p[$0]) } }
    case .int64(let values) where isInteger(v.type) && list.integers != nil:
      found = values.withUnsafeBufferPointer { p in list.matchIntegers(count: n) { p[$0] } }
    case .dictionary(let indices, let dictionary) where list.byteStrings != nil:
      let entries = try inList(.vector(dictionary), list, negated: false, count: dictionary.count, context: context)
      let e = try entries.vector(count: dictionary.count)
      guard case .boolean(let entryBits) = e.storage else { break }
      let table = (0..<dictionary.count).map { entryBits[$0] && !e.isNull($0) ? UInt8(1) : 0 }
      let size = table.count
      found = table.withUnsafeBufferPointer { t in
        indices.withUnsafeBufferPointer { idx in
          Bitmap.build(count: n) { i in
            let k = Int(idx[i])
            return k >= 0 && k < size && t[k] != 0
          }
        }
      }
    case .binary(let offsets, let bytes) where list.byteStrings != nil:
      found = bytes.withUnsafeBufferPointer { b in
        offsets.withUnsafeBufferPointer { o in
          Bitmap.build(count: n) { i in
            list.containsBytes(UnsafeBufferPointer(rebasing: b[Int(o[i])..<Int(o[i + 1])]))
          }
        }
      }
    default: break
    }
    if found == nil {
      // General case: OR of equalities.
      var any = Bitmap(repeating: false, count: n)
      for item in list.values where !item.isNull {
        let eq = try compareScalar(.equal, v, item, context: context)
        if case .boolean(let bits) = eq.storage { any = Bitmap.combine(any, bits) { $0 | $1 } }
      }
      found = any
    }
    let hits = found ?? Bitmap(repeating: false, count: n)
    var validity = v.effectiveValidity
    if list.containsNull {
      // A miss against a list holding NULL is NULL.
      validity = Bitmap.combine(validity ?? Bitmap(repeating: true, count: n), hits) { $0 & $1 }
    }
    let result = negated ? hits.inverted : hits
    return .vector(.boolean(result, validity: validity))
  }

  // MARK: String predicates

  /// A boolean vector from a per-string test; dictionary vectors test each entry once.
  static func testStrings(
    _ v: ColumnVector, context: PhysicalExpression, _ test: (UnsafeBufferPointer<UInt8>) -> Bool
  ) throws(ExecError) -> ColumnVector {
    let n = v.count
    switch v.storage {
    case .none: return nullBooleans(n)
    case .dictionary(let indices, let dictionary):
      let entries = try testStrings(dictionary, context: context, test)
      guard case .boolean(let entryBits) = entries.storage else { return nullBooleans(n) }
      let size = dictionary.count
      let result = Bitmap.build(count: n) { i in
        let k = Int(indices[i])
        return k >= 0 && k < size && entryBits[k]
      }
      return .boolean(result, validity: v.effectiveValidity)
    case .binary(let offsets, let bytes):
      let result = bytes.withUnsafeBufferPointer { b in
        Bitmap.build(count: n) { i in test(UnsafeBufferPointer(rebasing: b[Int(offsets[i])..<Int(offsets[i + 1])])) }
      }
      return .boolean(result, validity: v.effectiveValidity)
    default:
      throw ExecError(.typeMismatch, "\(context) needs a string, not \(v.type)")
    }
  }
}

extension ScalarValue {
  /// The value as a double, for numbers.
  var doubleValue: Double? {
    switch self {
    case .int64(let v): return Double(v)
    case .float64(let v): return v
    case .decimal(let v, _, let scale): return Double(v) / Kernels.pow10Double(scale)
    default: return nil
    }
  }
}
