public import Columnar
public import Expr

/// An intermediate result: a whole vector, or one value standing for every row.
enum Datum {
  case vector(ColumnVector)
  case scalar(ScalarValue)

  func vector(count: Int) throws(ExecError) -> ColumnVector {
    switch self {
    case .vector(let v): return v
    case .scalar(let s): return ColumnVector.constant(s, count: count)
    }
  }
}

extension PhysicalExpression {
  /// Evaluates the expression over every row of `batch`.
  public func evaluate(_ batch: RecordBatch) throws(ExecError) -> ColumnVector {
    try datum(batch).vector(count: batch.rowCount)
  }

  /// Evaluates a boolean expression and returns the rows where it is true (not false, not NULL).
  public func selection(_ batch: RecordBatch) throws(ExecError) -> Bitmap {
    switch try datum(batch) {
    case .scalar(let s):
      if case .boolean(true) = s { return Bitmap(repeating: true, count: batch.rowCount) }
      if case .boolean(false) = s { return Bitmap(repeating: false, count: batch.rowCount) }
      if s.isNull { return Bitmap(repeating: false, count: batch.rowCount) }
      throw ExecError(.typeMismatch, "filter \(self) is not boolean")
    case .vector(let v):
      do { return try v.trueMask() } catch { throw ExecError(.typeMismatch, "filter \(self) is \(v.type), not boolean") }
    }
  }

  func datum(_ batch: RecordBatch) throws(ExecError) -> Datum {
    let count = batch.rowCount
    switch self {
    case .column(let index):
      guard index >= 0, index < batch.columns.count else {
        throw ExecError(.invalidPlan, "column #\(index) does not exist in a batch of \(batch.columns.count) columns")
      }
      return .vector(batch.columns[index])
    case .literal(let value):
      return .scalar(value)
    case .compare(let op, let a, let b):
      return try Kernels.compare(op, try a.datum(batch), try b.datum(batch), count: count, context: self)
    case .and(let a, let b):
      let left = try a.datum(batch)
      // Short cut: FALSE AND x is FALSE.
      if case .scalar(.boolean(false)) = left { return left }
      return try Kernels.kleene(and: true, left, try b.datum(batch), count: count, context: self)
    case .or(let a, let b):
      let left = try a.datum(batch)
      if case .scalar(.boolean(true)) = left { return left }
      return try Kernels.kleene(and: false, left, try b.datum(batch), count: count, context: self)
    case .not(let a):
      switch try a.datum(batch) {
      case .scalar(.boolean(let v)): return .scalar(.boolean(!v))
      case .scalar(.null): return .scalar(.null)
      case .scalar: throw ExecError(.typeMismatch, "NOT needs a boolean in \(self)")
      case .vector(let v):
        guard case .boolean(let bits) = v.storage else {
          if case .none = v.storage { return .vector(v) }
          throw ExecError(.typeMismatch, "NOT needs a boolean, not \(v.type), in \(self)")
        }
        var result = bits.inverted
        if let validity = v.validity { result = Bitmap.combine(result, validity) { $0 & $1 } }
        return .vector(.boolean(result, validity: v.validity))
      }
    case .isNull(let a, let negated):
      switch try a.datum(batch) {
      case .scalar(let s): return .scalar(.boolean(s.isNull != negated))
      case .vector(let v):
        let validity = v.effectiveValidity ?? Bitmap(repeating: true, count: v.count)
        return .vector(.boolean(negated ? validity : validity.inverted, validity: nil))
      }
    case .inList(let a, let list, let negated):
      return try Kernels.inList(try a.datum(batch), list, negated: negated, count: count, context: self)
    case .like(let a, let pattern, let negated):
      let input = try a.datum(batch)
      if case .scalar(let s) = input {
        guard case .string(var text) = s else { return .scalar(.null) }
        let hit = text.withUTF8 { pattern.matches($0) }
        return .scalar(.boolean(hit != negated))
      }
      return .vector(try Kernels.testStrings(try input.vector(count: count), context: self) { pattern.matches($0) != negated })
    case .arithmetic(let op, let a, let b):
      return try Kernels.arithmetic(op, try a.datum(batch), try b.datum(batch), count: count, context: self)
    case .negate(let a):
      return try Kernels.arithmetic(.subtract, .scalar(.int64(0)), try a.datum(batch), count: count, context: self)
    case .caseWhen(let branches, let otherwise):
      return try Kernels.caseWhen(branches, otherwise, batch, context: self)
    case .coalesce(let args):
      guard !args.isEmpty else { throw ExecError(.invalidPlan, "coalesce needs at least one argument") }
      var values: [Datum] = []
      for arg in args { values.append(try arg.datum(batch)) }
      return try Kernels.coalesce(values, count: count, context: self)
    case .cast(let a, let type, let safe):
      switch try a.datum(batch) {
      case .scalar(let s):
        let v = try Kernels.cast(ColumnVector.constant(s, count: 1), to: type, safe: safe, context: self)
        return .scalar(ScalarValue(from: v, row: 0))
      case .vector(let v): return .vector(try Kernels.cast(v, to: type, safe: safe, context: self))
      }
    case .function(let function, let args):
      var datums: [Datum] = []
      for arg in args { datums.append(try arg.datum(batch)) }
      let allScalar = datums.allSatisfy { if case .scalar = $0 { true } else { false } }
      let rows = allScalar ? 1 : count
      var values: [ColumnVector] = []
      for d in datums { values.append(try d.vector(count: rows)) }
      let v = try function.evaluate(values, rowCount: rows, context: self)
      if allScalar { return .scalar(v.count > 0 ? ScalarValue(from: v, row: 0) : .null) }
      return .vector(v)
    }
  }
}

extension ColumnVector {
  /// `count` copies of `value`. Strings become a one-entry dictionary so nothing is copied per row.
  public static func constant(_ value: ScalarValue, count: Int) -> ColumnVector {
    switch value {
    case .null: return ColumnVector(type: .null, count: count, storage: .none)
    case .boolean(let b):
      return .boolean(Bitmap(repeating: b, count: count), validity: nil)
    case .int64(let v): return ColumnVector(type: .int64, count: count, storage: .int64(Array(repeating: v, count: count)))
    case .float64(let v): return ColumnVector(type: .float64, count: count, storage: .float64(Array(repeating: v, count: count)))
    case .decimal(let v, let p, let s):
      return ColumnVector(type: .decimal(precision: p, scale: s), count: count, storage: .int128(Array(repeating: v, count: count)))
    case .string(let s):
      let bytes = Array(s.utf8)
      let dictionary = ColumnVector(type: .string, count: 1, storage: .binary(offsets: [0, Int32(bytes.count)], bytes: bytes))
      return ColumnVector(type: .string, count: count, storage: .dictionary(indices: Array(repeating: 0, count: count), dictionary: dictionary))
    case .binary(let bytes):
      let dictionary = ColumnVector(type: .binary, count: 1, storage: .binary(offsets: [0, Int32(bytes.count)], bytes: bytes))
      return ColumnVector(type: .binary, count: count, storage: .dictionary(indices: Array(repeating: 0, count: count), dictionary: dictionary))
    case .date(let d): return ColumnVector(type: .date, count: count, storage: .int32(Array(repeating: d, count: count)))
    case .timestamp(let t, let utc):
      return ColumnVector(type: .timestamp(.microsecond, utc: utc), count: count, storage: .int64(Array(repeating: t, count: count)))
    }
  }
}
