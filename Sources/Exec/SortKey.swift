public import Columnar
import Expr

/// One ORDER BY key.
public struct SortKey: Sendable {
  public var expression: PhysicalExpression
  public var descending: Bool
  /// Where NULLs go; DuckDB's default is NULLS LAST for both directions.
  public var nullsFirst: Bool
  public init(_ expression: PhysicalExpression, descending: Bool = false, nullsFirst: Bool = false) {
    self.expression = expression
    self.descending = descending
    self.nullsFirst = nullsFirst
  }
}

/// Evaluated sort keys of one batch, compared row against row without boxing.
struct SortKeyColumns {
  enum Values {
    case ints([Int64]), doubles([Double]), wides([Int128]), bytes([Int32], [UInt8]), none
  }
  var values: [Values] = []
  var validity: [Bitmap?] = []
  var keys: [SortKey]

  init(_ keys: [SortKey], batch: RecordBatch) throws(ExecError) {
    self.keys = keys
    for key in keys {
      let v = try key.expression.evaluate(batch)
      validity.append(v.effectiveValidity)
      if v.type.isBinaryLike, case .binary(let o, let b) = v.decodedDictionary().storage {
        values.append(.bytes(o, b))
      } else if Kernels.isTemporal(v.type), let t = Kernels.temporalValues(v, asMicros: v.type != .date) {
        values.append(.ints(t))
      } else if case .boolean(let bits) = v.storage {
        values.append(.ints((0..<v.count).map { bits[$0] ? 1 : 0 }))
      } else if case .none = v.storage {
        values.append(.none)
      } else if let n = Kernels.numeric(v) {
        switch n {
        case .ints(let x): values.append(.ints(x))
        case .doubles(let x): values.append(.doubles(x))
        case .decimals(let x, _): values.append(.wides(x))
        }
      } else {
        throw ExecError(.unsupported, "cannot sort by \(v.type)")
      }
    }
  }

  /// Negative when row `a` sorts before row `b` (ties broken by row number, so sorts are stable).
  @inline(__always) func compare(_ a: Int, _ b: Int) -> Int {
    let order = compareValues(a, b)
    if order != 0 { return order }
    return a < b ? -1 : (a > b ? 1 : 0)
  }

  /// The order of rows `a` and `b` by the keys alone: 0 when they are peers.
  @inline(__always) func compareValues(_ a: Int, _ b: Int) -> Int {
    for k in 0..<values.count {
      let key = keys[k]
      if let valid = validity[k] {
        let na = !valid[a]
        let nb = !valid[b]
        if na || nb {
          if na && nb { continue }
          return (na ? -1 : 1) * (key.nullsFirst ? 1 : -1)
        }
      }
      var order = 0
      switch values[k] {
      case .ints(let x): order = x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
      case .doubles(let x):
        let p = x[a]
        let q = x[b]
        order = p.isNaN ? (q.isNaN ? 0 : 1) : (q.isNaN ? -1 : (p < q ? -1 : (p > q ? 1 : 0)))
      case .wides(let x): order = x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
      case .bytes(let o, let bytes):
        order = bytes.withUnsafeBytes { raw in
          let sa = Int(o[a])
          let sb = Int(o[b])
          return ByteHashing.compare(raw.baseAddress.map { $0 + sa }, Int(o[a + 1]) - sa, raw.baseAddress.map { $0 + sb }, Int(o[b + 1]) - sb)
        }
      case .none: order = 0
      }
      if order != 0 { return key.descending ? -order : order }
    }
    return 0
  }
}

/// Sorting and top-N selection over whole batches.
public enum Sorting {
  /// The row order of `batch` under `keys`: multi-key, ASC/DESC, NULLS FIRST/LAST, stable.
  public static func sortedIndices(_ batch: RecordBatch, keys: [SortKey]) throws(ExecError) -> [Int32] {
    let columns = try SortKeyColumns(keys, batch: batch)
    var indices = (0..<Int32(batch.rowCount)).map { $0 }
    indices.sort { columns.compare(Int($0), Int($1)) < 0 }
    return indices
  }

  /// The first `limit` rows of `batch` in sort order, found with a bounded heap (no full sort).
  public static func topIndices(_ batch: RecordBatch, keys: [SortKey], limit: Int) throws(ExecError) -> [Int32] {
    guard limit > 0 else { return [] }
    let columns = try SortKeyColumns(keys, batch: batch)
    // Max-heap on sort order: the root is the worst row kept.
    var heap: [Int] = []
    heap.reserveCapacity(limit + 1)
    func less(_ a: Int, _ b: Int) -> Bool { columns.compare(a, b) > 0 }  // heap order: worse first
    for row in 0..<batch.rowCount {
      if heap.count < limit {
        heap.append(row)
        var c = heap.count - 1
        while c > 0 {
          let p = (c - 1) / 2
          if less(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
        }
      } else if columns.compare(row, heap[0]) < 0 {
        heap[0] = row
        var p = 0
        while true {
          let l = 2 * p + 1
          let r = l + 1
          var m = p
          if l < heap.count && less(heap[l], heap[m]) { m = l }
          if r < heap.count && less(heap[r], heap[m]) { m = r }
          if m == p { break }
          heap.swapAt(p, m)
          p = m
        }
      }
    }
    heap.sort { columns.compare($0, $1) < 0 }
    return heap.map { Int32($0) }
  }
}
