import Columnar

/// The row loops shared by the function library: one string argument is transformed row by row
/// while the body reads the other arguments by row. When that argument is dictionary-encoded
/// and the others hold one value for every row (constants), the body runs once per dictionary
/// entry instead, and string results keep the input's indices.
extension Kernels {
  /// Rows where every vector is valid; nil when none has a NULL.
  static func validRows(_ vectors: [ColumnVector]) -> Bitmap? {
    var validity: Bitmap? = nil
    for v in vectors { validity = intersectValidity(validity, v.effectiveValidity) }
    return validity
  }

  static func isAllNull(_ v: ColumnVector) -> Bool {
    if case .none = v.storage { return true }
    return false
  }

  /// True when every row of `v` holds the same non-NULL value, as a constant argument does.
  static func isUniform(_ v: ColumnVector) -> Bool {
    guard v.effectiveValidity == nil else { return false }
    switch v.storage {
    case .binary, .dictionary: return StringColumn(v)?.isUniform ?? false
    case .int64(let x): return x.allSatisfy { $0 == x[0] }
    case .int32(let x): return x.allSatisfy { $0 == x[0] }
    case .float64(let x): return x.allSatisfy { $0 == x[0] }
    default: return v.count <= 1
    }
  }

  /// The string column of argument `v`, or a type error naming `function`.
  static func strings(_ v: ColumnVector, _ function: String) throws(ExecError) -> StringColumn {
    guard let column = StringColumn(v) else {
      throw ExecError(.typeMismatch, "\(function) needs a string, not \(FunctionCall.typeName(v.type))")
    }
    return column
  }

  /// String to string. `body` appends the result for `text` (row `row`) to `out` and returns
  /// false for a NULL result.
  static func mapEachString(
    _ function: String, _ input: ColumnVector, others: [ColumnVector], rowCount n: Int, type: DataType = .string,
    _ body: (_ row: Int, _ text: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) throws(ExecError) -> Bool
  ) throws(ExecError) -> ColumnVector {
    if isAllNull(input) || others.contains(where: isAllNull) { return .nulls(type, count: n) }
    let column = try strings(input, function)
    if case .dictionary(let indices, let dictionary) = input.storage, dictionary.count <= n,
      others.allSatisfy(isUniform)
    {
      let entries = try mapEachString(function, dictionary, others: [], rowCount: dictionary.count, type: type) {
        (_, text, out) throws(ExecError) -> Bool in try body(0, text, &out)
      }
      return dictionaryResult(entries, indices: indices, validity: input.effectiveValidity, type: type)
    }
    let validity = validRows([input] + others)
    var builder = StringBuilder(rows: n, validity: validity, byteCapacity: column.estimatedByteCount)
    try column.withRows { (rows) throws(ExecError) in
      for i in 0..<n {
        if let validity, !validity[i] {
          builder.endRow()
          continue
        }
        let start = builder.bytes.count
        if try body(i, rows[i], &builder.bytes) { builder.endRow() } else { builder.endNullRow(start: start) }
      }
    }
    return try builder.finish(type, function: function)
  }

  /// A dictionary vector over transformed entries; entries that became NULL make their rows NULL.
  static func dictionaryResult(_ entries: ColumnVector, indices: [Int32], validity: Bitmap?, type: DataType)
    -> ColumnVector
  {
    var dictionary = entries
    var outValidity = validity
    if let entryValidity = entries.validity {
      dictionary.validity = nil
      let size = entries.count
      let valid = indices.withUnsafeBufferPointer { k in
        Bitmap.build(count: k.count) { i in
          let entry = Int(k[i])
          return (validity?[i] ?? true) && entry >= 0 && entry < size && entryValidity[entry]
        }
      }
      outValidity = valid.allSet ? nil : valid
    }
    return ColumnVector(
      type: type, count: indices.count, validity: outValidity,
      storage: .dictionary(indices: indices, dictionary: dictionary))
  }

  /// String to a fixed-width value: `body` returns nil for a NULL result. The values of NULL
  /// rows are `zero`.
  static func mapEachStringToValues<T>(
    _ function: String, _ input: ColumnVector, others: [ColumnVector], rowCount n: Int, zero: T,
    _ body: (_ row: Int, _ text: UnsafeBufferPointer<UInt8>) throws(ExecError) -> T?
  ) throws(ExecError) -> (values: [T], validity: Bitmap?) {
    if isAllNull(input) || others.contains(where: isAllNull) {
      return ([T](repeating: zero, count: n), Bitmap(repeating: false, count: n))
    }
    let column = try strings(input, function)
    var values = [T](repeating: zero, count: n)
    if case .dictionary(let indices, let dictionary) = input.storage, dictionary.count <= n,
      others.allSatisfy(isUniform)
    {
      let (entries, entryValidity) = try mapEachStringToValues(
        function, dictionary, others: [], rowCount: dictionary.count, zero: zero
      ) {
        (_, text) throws(ExecError) -> T? in try body(0, text)
      }
      var valid = input.effectiveValidity ?? Bitmap(repeating: true, count: n)
      let size = entries.count
      for i in 0..<n where valid[i] {
        let entry = Int(indices[i])
        if entry >= 0 && entry < size && (entryValidity?[entry] ?? true) {
          values[i] = entries[entry]
        } else {
          valid[i] = false
        }
      }
      return (values, valid.allSet ? nil : valid)
    }
    let inputValidity = validRows([input] + others)
    var nullResults: [Int] = []
    try values.withUnsafeMutableBufferPointer { (out) throws(ExecError) in
      try column.withRows { (rows) throws(ExecError) in
        for i in 0..<n {
          if let inputValidity, !inputValidity[i] { continue }
          if let value = try body(i, rows[i]) { out[i] = value } else { nullResults.append(i) }
        }
      }
    }
    guard !nullResults.isEmpty else { return (values, inputValidity) }
    var validity = inputValidity ?? Bitmap(repeating: true, count: n)
    for i in nullResults { validity[i] = false }
    return (values, validity.allSet ? nil : validity)
  }

  static func mapEachStringToBoolean(
    _ function: String, _ input: ColumnVector, others: [ColumnVector], rowCount n: Int,
    _ body: (_ row: Int, _ text: UnsafeBufferPointer<UInt8>) throws(ExecError) -> Bool?
  ) throws(ExecError) -> ColumnVector {
    let (values, validity) = try mapEachStringToValues(function, input, others: others, rowCount: n, zero: false, body)
    let bits = values.withUnsafeBufferPointer { v in Bitmap.build(count: n) { v[$0] } }
    return .boolean(bits, validity: validity)
  }

  static func mapEachStringToInt64(
    _ function: String, _ input: ColumnVector, others: [ColumnVector], rowCount n: Int,
    _ body: (_ row: Int, _ text: UnsafeBufferPointer<UInt8>) throws(ExecError) -> Int64?
  ) throws(ExecError) -> ColumnVector {
    let (values, validity) = try mapEachStringToValues(
      function, input, others: others, rowCount: n, zero: Int64(0), body)
    return ColumnVector(type: .int64, count: n, validity: validity, storage: .int64(values))
  }

  /// The values of an integer argument as `Int64` (an all-NULL argument reads as zeros).
  static func integers(_ v: ColumnVector, _ function: String) throws(ExecError) -> [Int64] {
    if isAllNull(v) { return [Int64](repeating: 0, count: v.count) }
    guard isInteger(v.type), let values = int64Values(v) else {
      throw ExecError(.typeMismatch, "\(function) needs an integer, not \(FunctionCall.typeName(v.type))")
    }
    return values
  }
}
