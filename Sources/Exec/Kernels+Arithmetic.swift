import Columnar
import Expr

extension Kernels {
  static func arithmetic(
    _ op: ArithmeticOperator, _ l: Datum, _ r: Datum, count: Int, context: PhysicalExpression
  ) throws(ExecError) -> Datum {
    if case .scalar(let a) = l, case .scalar(let b) = r {
      if a.isNull || b.isNull { return .scalar(.null) }
      let v = try arithmeticVectors(op, .constant(a, count: 1), .constant(b, count: 1), context: context)
      return .scalar(ScalarValue(from: v, row: 0))
    }
    if case .scalar(let a) = l, a.isNull { return .scalar(.null) }
    if case .scalar(let b) = r, b.isNull { return .scalar(.null) }
    return .vector(try arithmeticVectors(op, try l.vector(count: count), try r.vector(count: count), context: context))
  }

  static func arithmeticVectors(
    _ op: ArithmeticOperator, _ a: ColumnVector, _ b: ColumnVector, context: PhysicalExpression
  ) throws(ExecError) -> ColumnVector {
    let n = a.count
    if case .none = a.storage { return .nulls(.null, count: n) }
    if case .none = b.storage { return .nulls(.null, count: n) }
    var validity = intersectValidity(a.effectiveValidity, b.effectiveValidity)
    // Date arithmetic: date ± integer days, date - date in days.
    if a.type == .date, case .int32(let days) = a.storage, let q = int64Values(b), op == .add || op == .subtract {
      var out = [Int32](repeating: 0, count: n)
      for i in 0..<n {
        let r = op == .add ? Int64(days[i]) + q[i] : Int64(days[i]) - q[i]
        guard let d = Int32(exactly: r) else {
          if validity?[i] == false { continue }
          throw ExecError(.overflow, "date out of range in \(context)")
        }
        out[i] = d
      }
      return ColumnVector(type: .date, count: n, validity: validity, storage: .int32(out))
    }
    if isTemporal(a.type), isTemporal(b.type), op == .subtract,
      let p = temporalValues(a, asMicros: !(a.type == .date && b.type == .date)),
      let q = temporalValues(b, asMicros: !(a.type == .date && b.type == .date))
    {
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(zip(p, q).map { $0 &- $1 }))
    }
    guard let x = numeric(a), let y = numeric(b) else {
      throw ExecError(.typeMismatch, "cannot apply \(op.rawValue) to \(a.type) and \(b.type) in \(context)")
    }
    switch (x, y, op) {
    case (.ints(let p), .ints(let q), .add), (.ints(let p), .ints(let q), .subtract), (.ints(let p), .ints(let q), .multiply):
      var out = [Int64](repeating: 0, count: n)
      var overflowAt = -1
      p.withUnsafeBufferPointer { pp in
        q.withUnsafeBufferPointer { qq in
          out.withUnsafeMutableBufferPointer { o in
            for i in 0..<n {
              let (r, overflow): (Int64, Bool)
              switch op {
              case .add: (r, overflow) = pp[i].addingReportingOverflow(qq[i])
              case .subtract: (r, overflow) = pp[i].subtractingReportingOverflow(qq[i])
              default: (r, overflow) = pp[i].multipliedReportingOverflow(by: qq[i])
              }
              o[i] = r
              if overflow && overflowAt < 0 && validity?[i] != false { overflowAt = i }
            }
          }
        }
      }
      if overflowAt >= 0 {
        throw ExecError(.overflow, "integer overflow in \(context) (\(p[overflowAt]) \(op.rawValue) \(q[overflowAt]))")
      }
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(out))
    case (.ints(let p), .ints(let q), .integerDivide), (.ints(let p), .ints(let q), .modulo):
      var out = [Int64](repeating: 0, count: n)
      var valid = validity ?? Bitmap(repeating: true, count: n)
      for i in 0..<n where q[i] == 0 || (q[i] == -1 && p[i] == .min) {
        if q[i] == 0 {
          valid[i] = false
        } else if op == .integerDivide && valid[i] {
          throw ExecError(.overflow, "integer overflow in \(context)")
        }
      }
      for i in 0..<n where q[i] != 0 && !(q[i] == -1 && p[i] == .min) {
        out[i] = op == .integerDivide ? p[i] / q[i] : p[i] % q[i]
      }
      validity = valid.allSet ? nil : valid
      return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(out))
    case (.decimals, _, .add), (.decimals, _, .subtract), (_, .decimals, .add), (_, .decimals, .subtract),
      (.decimals, _, .multiply), (_, .decimals, .multiply):
      if case .doubles = x { break }
      if case .doubles = y { break }
      let (p, sp) = decimalParts(x)
      let (q, sq) = decimalParts(y)
      var result: [Int128]
      let scale: Int
      if op == .multiply {
        scale = sp + sq
        result = []
        result.reserveCapacity(n)
        for i in 0..<n {
          let (r, o) = p[i].multipliedReportingOverflow(by: q[i])
          if o && validity?[i] != false { throw ExecError(.overflow, "decimal overflow in \(context)") }
          result.append(r)
        }
      } else {
        let (pp, qq) = try alignDecimals(p, sp, q, sq, context: context)
        scale = max(sp, sq)
        result = []
        result.reserveCapacity(n)
        for i in 0..<n {
          let (r, o) = op == .add ? pp[i].addingReportingOverflow(qq[i]) : pp[i].subtractingReportingOverflow(qq[i])
          if o && validity?[i] != false { throw ExecError(.overflow, "decimal overflow in \(context)") }
          result.append(r)
        }
      }
      return ColumnVector(type: .decimal(precision: 38, scale: scale), count: n, validity: validity, storage: .int128(result))
    default: break
    }
    let p = doubles(x)
    let q = doubles(y)
    var out = [Double](repeating: 0, count: n)
    switch op {
    case .add: for i in 0..<n { out[i] = p[i] + q[i] }
    case .subtract: for i in 0..<n { out[i] = p[i] - q[i] }
    case .multiply: for i in 0..<n { out[i] = p[i] * q[i] }
    case .divide: for i in 0..<n { out[i] = p[i] / q[i] }
    case .integerDivide, .modulo:
      var valid = validity ?? Bitmap(repeating: true, count: n)
      for i in 0..<n {
        if q[i] == 0 {
          valid[i] = false
        } else {
          out[i] = op == .modulo ? p[i].truncatingRemainder(dividingBy: q[i]) : (p[i] / q[i]).rounded(.towardZero)
        }
      }
      validity = valid.allSet ? nil : valid
    }
    return ColumnVector(type: .float64, count: n, validity: validity, storage: .float64(out))
  }

  static func decimalParts(_ x: NumericArray) -> ([Int128], Int) {
    switch x {
    case .ints(let v): return (v.map { Int128($0) }, 0)
    case .decimals(let v, let s): return (v, s)
    case .doubles(let v): return (v.map { Int128($0) }, 0)
    }
  }

  // MARK: CASE and COALESCE

  /// Row `i` of the result is row `i` of `choices[choice[i]]`, or NULL where `choice[i]` is -1.
  static func pick(_ choices: [ColumnVector], _ choice: [Int32], context: PhysicalExpression) throws(ExecError) -> ColumnVector {
    let n = choice.count
    let type = try commonType(choices.map(\.type), context: context)
    if type == .null { return ColumnVector(type: .null, count: n, storage: .none) }
    var cast: [ColumnVector] = []
    for c in choices { cast.append(try Kernels.cast(c, to: type, safe: false, context: context).decodedDictionary()) }
    let all = try ColumnVector.concatenate(cast, type: type)
    var indices = [Int32](repeating: -1, count: n)
    for i in 0..<n where choice[i] >= 0 { indices[i] = choice[i] * Int32(n) + Int32(i) }
    return try all.gather(indices)
  }

  /// The type every one of `types` converts to without loss (NULL fits anything).
  static func commonType(_ types: [DataType], context: PhysicalExpression) throws(ExecError) -> DataType {
    var result: DataType = .null
    for type in types where type != .null {
      if result == .null || result == type { result = type; continue }
      if isInteger(result) && isInteger(type) { result = .int64; continue }
      if isNumeric(result) && isNumeric(type) {
        if case .decimal(_, let s1) = result, case .decimal(_, let s2) = type { result = .decimal(precision: 38, scale: max(s1, s2)); continue }
        if case .decimal(_, let s) = result, isInteger(type) { result = .decimal(precision: 38, scale: s); continue }
        if case .decimal(_, let s) = type, isInteger(result) { result = .decimal(precision: 38, scale: s); continue }
        result = .float64
        continue
      }
      if result.isBinaryLike && type.isBinaryLike { result = result == .string || type == .string ? .string : .binary; continue }
      if isTemporal(result) && isTemporal(type) {
        if case .timestamp = result { continue }
        result = type
        continue
      }
      throw ExecError(.typeMismatch, "\(result) and \(type) have no common type in \(context)")
    }
    return result
  }

  static func caseWhen(
    _ branches: [CaseBranch], _ otherwise: PhysicalExpression?, _ batch: RecordBatch, context: PhysicalExpression
  ) throws(ExecError) -> Datum {
    let n = batch.rowCount
    var choice = [Int32](repeating: -1, count: n)
    var open = Bitmap(repeating: true, count: n)
    var results: [ColumnVector] = []
    for (k, branch) in branches.enumerated() {
      let hit = try branch.condition.selection(batch)
      let taken = Bitmap.combine(hit, open) { $0 & $1 }
      for i in taken.setIndices() { choice[Int(i)] = Int32(k) }
      open = Bitmap.combine(open, taken) { $0 & ~$1 }
      results.append(try branch.result.evaluate(batch))
    }
    if let otherwise {
      for i in open.setIndices() { choice[Int(i)] = Int32(results.count) }
      results.append(try otherwise.evaluate(batch))
    }
    return .vector(try pick(results, choice, context: context))
  }

  static func coalesce(_ values: [Datum], count: Int, context: PhysicalExpression) throws(ExecError) -> Datum {
    var choice = [Int32](repeating: -1, count: count)
    var vectors: [ColumnVector] = []
    var open = Bitmap(repeating: true, count: count)
    for (k, value) in values.enumerated() {
      let v = try value.vector(count: count)
      vectors.append(v)
      let valid = v.effectiveValidity ?? Bitmap(repeating: true, count: count)
      let taken = Bitmap.combine(valid, open) { $0 & $1 }
      for i in taken.setIndices() { choice[Int(i)] = Int32(k) }
      open = Bitmap.combine(open, taken) { $0 & ~$1 }
    }
    return .vector(try pick(vectors, choice, context: context))
  }
}
