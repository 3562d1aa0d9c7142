public import Columnar
public import Expr

/// The frame of a window aggregate: which rows around the current one it sees.
public struct WindowFrame: Sendable, Equatable {
  /// ROWS counts physical rows; RANGE treats peers (rows equal under ORDER BY) as one.
  public enum Unit: Sendable, Equatable { case rows, range }
  public enum Bound: Sendable, Equatable {
    case unboundedPreceding, preceding(Int), currentRow, following(Int), unboundedFollowing
  }
  public var unit: Unit
  public var start: Bound
  public var end: Bound

  public init(_ unit: Unit, from start: Bound, to end: Bound) {
    self.unit = unit
    self.start = start
    self.end = end
  }

  /// SQL's default: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included).
  public static let `default` = WindowFrame(.range, from: .unboundedPreceding, to: .currentRow)
}

/// One window function: `kind(argument) OVER (PARTITION BY … ORDER BY … frame)`.
public struct WindowFunction: Sendable {
  public enum Kind: String, Sendable {
    case rowNumber = "row_number", rank, denseRank = "dense_rank", lag, lead
    case firstValue = "first_value", lastValue = "last_value"
    case countStar = "count_star", count, sum, avg, min, max
  }
  public var kind: Kind
  public var argument: PhysicalExpression?
  /// LAG/LEAD: how many rows back or ahead.
  public var offset: Int
  /// LAG/LEAD: the value when that row is outside the partition.
  public var defaultValue: ScalarValue
  public var partitionBy: [PhysicalExpression]
  public var orderBy: [SortKey]
  /// Used by FIRST_VALUE, LAST_VALUE and the aggregates; ignored by the ranking functions.
  public var frame: WindowFrame
  public var name: String

  public init(
    _ kind: Kind, _ argument: PhysicalExpression? = nil, offset: Int = 1, default defaultValue: ScalarValue = .null,
    partitionBy: [PhysicalExpression] = [], orderBy: [SortKey] = [], frame: WindowFrame = .default, as name: String
  ) {
    self.kind = kind
    self.argument = argument
    self.offset = offset
    self.defaultValue = defaultValue
    self.partitionBy = partitionBy
    self.orderBy = orderBy
    self.frame = frame
    self.name = name
  }
}

/// Window functions over all input: buffers batches (charged to the budget), then computes each
/// function over its partitions in sort order. The output is the input columns, in input row
/// order, followed by one column per function.
public struct Window: Sendable {
  public let functions: [WindowFunction]
  let budget: MemoryBudget
  var batches: [RecordBatch] = []
  var schema: Schema?

  public init(_ functions: [WindowFunction], budget: MemoryBudget = .unlimited()) {
    self.functions = functions
    self.budget = budget
  }

  public mutating func accumulate(_ batch: RecordBatch) throws(ExecError) {
    if schema == nil { schema = batch.schema }
    try budget.charge(batch.estimatedBytes, by: "Window")
    batches.append(batch)
  }

  public func finish() throws(ExecError) -> RecordBatch {
    guard let schema else { return RecordBatch.empty(Schema([])) }
    let all = try RecordBatch.concatenate(batches, schema: schema)
    var fields = schema.fields
    var columns = all.columns
    for function in functions {
      let column = try WindowEvaluation(function, all).column()
      fields.append(Field(function.name, column.type))
      columns.append(column)
    }
    return try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: all.rowCount)
  }
}

/// The layout of one window function's input: rows in partition-then-ORDER-BY order, with the
/// partition and peer group around each sorted position.
struct WindowEvaluation {
  let function: WindowFunction
  let batch: RecordBatch
  let n: Int
  /// Sorted position `p` holds input row `order[p]`.
  var order: [Int32] = []
  /// For each sorted position: where its partition and its peer group start and end.
  var partitionStart: [Int32] = []
  var partitionEnd: [Int32] = []
  var peerStart: [Int32] = []
  var peerEnd: [Int32] = []

  init(_ function: WindowFunction, _ batch: RecordBatch) throws(ExecError) {
    self.function = function
    self.batch = batch
    n = batch.rowCount
    try layOut()
  }

  private mutating func layOut() throws(ExecError) {
    // Partition ids by hashing the partition keys (numbered in order of first appearance), a
    // counting sort by partition id, then a sort of each partition by the ORDER BY keys: most
    // partitions are small, so this is far cheaper than one comparison sort of every row.
    var partitionIDs = [Int32](repeating: 0, count: n)
    var partitions = n > 0 ? 1 : 0
    if !function.partitionBy.isEmpty, n > 0 {
      var keyColumns: [ColumnVector] = []
      for e in function.partitionBy { keyColumns.append(try e.evaluate(batch)) }
      let keys = try KeyEncoding.encode(keyColumns, rowCount: n)
      var table = ByteKeyTable(capacity: 1024)
      keys.bytes.withUnsafeBytes { raw in
        keys.offsets.withUnsafeBufferPointer { off in
          partitionIDs.withUnsafeMutableBufferPointer { out in
            table.findOrInsert(DenseOffsetKeys(base: raw.baseAddress, offsets: off, count: n), into: out)
          }
        }
      }
      partitions = table.count
    }
    var bounds = [Int](repeating: 0, count: partitions + 1)
    for id in partitionIDs { bounds[Int(id) + 1] += 1 }
    for q in 0..<partitions { bounds[q + 1] += bounds[q] }
    order = [Int32](repeating: 0, count: n)
    var cursor = bounds
    for row in 0..<n {
      let q = Int(partitionIDs[row])
      order[cursor[q]] = Int32(truncatingIfNeeded: row)
      cursor[q] += 1
    }
    let peers = try SortKeyColumns(function.orderBy, batch: batch)
    if !function.orderBy.isEmpty {
      for q in 0..<partitions where bounds[q + 1] - bounds[q] > 1 {
        order[bounds[q]..<bounds[q + 1]].sort { peers.compare(Int($0), Int($1)) < 0 }
      }
    }
    partitionStart = [Int32](repeating: 0, count: n)
    partitionEnd = [Int32](repeating: 0, count: n)
    peerStart = [Int32](repeating: 0, count: n)
    peerEnd = [Int32](repeating: 0, count: n)
    for q in 0..<partitions {
      let p = bounds[q]
      let end = bounds[q + 1]
      var start = p
      while start < end {
        var peerEndAt = start + 1
        while peerEndAt < end && peers.compareValues(Int(order[start]), Int(order[peerEndAt])) == 0 { peerEndAt += 1 }
        for r in start..<peerEndAt {
          partitionStart[r] = Int32(p)
          partitionEnd[r] = Int32(end)
          peerStart[r] = Int32(start)
          peerEnd[r] = Int32(peerEndAt)
        }
        start = peerEndAt
      }
    }
  }

  /// The frame `[start, end)` of sorted position `p`, in sorted positions (empty when start >= end).
  func frame(_ p: Int) throws(ExecError) -> (start: Int, end: Int) {
    let frame = function.frame
    let ps = Int(partitionStart[p])
    let pe = Int(partitionEnd[p])
    func position(_ bound: WindowFrame.Bound, isEnd: Bool) throws(ExecError) -> Int {
      // An end bound names the last row inside the frame; +1 makes it exclusive.
      let shift = isEnd ? 1 : 0
      switch bound {
      case .unboundedPreceding: return ps
      case .unboundedFollowing: return pe
      case .currentRow:
        if frame.unit == .range { return isEnd ? Int(peerEnd[p]) : Int(peerStart[p]) }
        return p + shift
      case .preceding(let k), .following(let k):
        guard frame.unit == .rows else {
          throw ExecError(.unsupported, "RANGE frames with an offset are not supported yet (\(function.name))")
        }
        guard k >= 0 else { throw ExecError(.invalidPlan, "a window frame offset must not be negative (\(function.name))") }
        let at = bound == .preceding(k) ? p - k : p + k
        return Swift.min(Swift.max(at + shift, ps), pe)
      }
    }
    let start = try position(frame.start, isEnd: false)
    let end = try position(frame.end, isEnd: true)
    return (start, Swift.max(start, end))
  }

  func column() throws(ExecError) -> ColumnVector {
    switch function.kind {
    case .rowNumber, .rank, .denseRank:
      var out = [Int64](repeating: 0, count: n)
      var dense: Int64 = 0
      for p in 0..<n {
        let ps = Int(partitionStart[p])
        if p == ps { dense = 0 }
        if p == Int(peerStart[p]) { dense += 1 }
        let value: Int64
        switch function.kind {
        case .rowNumber: value = Int64(p - ps + 1)
        case .rank: value = Int64(Int(peerStart[p]) - ps + 1)
        default: value = dense
        }
        out[Int(order[p])] = value
      }
      return ColumnVector(type: .int64, count: n, storage: .int64(out))
    case .lag, .lead:
      let argument = try argumentColumn()
      var source = [Int32](repeating: -1, count: n)
      var missing = [Int32](repeating: 0, count: n)
      let offset = function.kind == .lag ? -function.offset : function.offset
      for p in 0..<n {
        let at = p + offset
        if at >= Int(partitionStart[p]) && at < Int(partitionEnd[p]) {
          source[Int(order[p])] = order[at]
        } else {
          missing[Int(order[p])] = 1
        }
      }
      let values = try argument.gather(source)
      if function.defaultValue.isNull { return values }
      let fallback = ColumnVector.constant(function.defaultValue, count: n)
      return try Kernels.pick([values, fallback], missing, context: function.argument ?? .literal(.null))
    case .firstValue, .lastValue:
      let argument = try argumentColumn()
      var source = [Int32](repeating: -1, count: n)
      for p in 0..<n {
        let (start, end) = try frame(p)
        if start < end { source[Int(order[p])] = order[function.kind == .firstValue ? start : end - 1] }
      }
      return try argument.gather(source)
    case .countStar:
      var out = [Int64](repeating: 0, count: n)
      for p in 0..<n {
        let (start, end) = try frame(p)
        out[Int(order[p])] = Int64(end - start)
      }
      return ColumnVector(type: .int64, count: n, storage: .int64(out))
    case .count, .sum, .avg:
      return try frameSums()
    case .min, .max:
      return try frameExtremes()
    }
  }

  func argumentColumn() throws(ExecError) -> ColumnVector {
    guard let argument = function.argument else {
      throw ExecError(.invalidPlan, "\(function.kind.rawValue) needs an argument (\(function.name))")
    }
    return try argument.evaluate(batch)
  }

  /// COUNT, SUM and AVG from running sums restarted at each partition, so a frame's total is a
  /// difference of two prefixes (and a running frame's total is exactly the running sum).
  func frameSums() throws(ExecError) -> ColumnVector {
    let argument = try argumentColumn()
    let validity = argument.effectiveValidity
    var values: NumericArray = .ints([Int64](repeating: 0, count: n))
    if function.kind != .count, argument.type != .null {
      guard let v = Kernels.numeric(argument) else {
        throw ExecError(.typeMismatch, "\(function.kind.rawValue) needs a number, not \(argument.type) (\(function.name))")
      }
      values = v
    }
    // prefix[k] covers the partition's first k rows; `base` is the partition's first slot.
    var counts = [Int64](repeating: 0, count: n + 1)
    var wides = [Int128](repeating: 0, count: 0)
    var doubles = [Double](repeating: 0, count: 0)
    switch values {
    case .doubles: doubles = [Double](repeating: 0, count: n + 1)
    default: wides = [Int128](repeating: 0, count: n + 1)
    }
    var outCounts = [Int64](repeating: 0, count: n)
    var outWides = [Int128](repeating: 0, count: doubles.isEmpty ? n : 0)
    var outDoubles = [Double](repeating: 0, count: doubles.isEmpty ? 0 : n)
    var p = 0
    while p < n {
      let ps = p
      let pe = Int(partitionEnd[p])
      // Prefix slot for sorted position q is q + 1, with slot ps holding zero for this partition.
      counts[ps] = 0
      if doubles.isEmpty { wides[ps] = 0 } else { doubles[ps] = 0 }
      for q in ps..<pe {
        let row = Int(order[q])
        let valid = argument.type != .null && (validity?[row] ?? true)
        counts[q + 1] = counts[q] + (valid ? 1 : 0)
        switch values {
        case .ints(let v): wides[q + 1] = wides[q] + (valid ? Int128(v[row]) : 0)
        case .decimals(let v, _): wides[q + 1] = wides[q] + (valid ? v[row] : 0)
        case .doubles(let v): doubles[q + 1] = doubles[q] + (valid ? v[row] : 0)
        }
      }
      for q in ps..<pe {
        let (start, end) = try frame(q)
        let row = Int(order[q])
        // Slot `start` of the first row is this partition's zero.
        let from = start == ps ? ps : start
        outCounts[row] = counts[end] - counts[from]
        if doubles.isEmpty {
          outWides[row] = wides[end] - wides[from]
        } else {
          outDoubles[row] = start == ps ? doubles[end] : doubles[end] - doubles[from]
        }
      }
      p = pe
    }
    let has = Bitmap.build(count: n) { outCounts[$0] > 0 }
    let validOut: Bitmap? = has.allSet ? nil : has
    switch function.kind {
    case .count:
      return ColumnVector(type: .int64, count: n, storage: .int64(outCounts))
    case .avg:
      var out = [Double](repeating: 0, count: n)
      for i in 0..<n where outCounts[i] > 0 {
        switch values {
        case .doubles: out[i] = outDoubles[i] / Double(outCounts[i])
        case .decimals(_, let scale): out[i] = Double(outWides[i]) / Kernels.pow10Double(scale) / Double(outCounts[i])
        case .ints: out[i] = Double(outWides[i]) / Double(outCounts[i])
        }
      }
      return ColumnVector(type: .float64, count: n, validity: validOut, storage: .float64(out))
    default:
      switch values {
      case .doubles: return ColumnVector(type: .float64, count: n, validity: validOut, storage: .float64(outDoubles))
      case .decimals(_, let scale):
        return ColumnVector(type: .decimal(precision: 38, scale: scale), count: n, validity: validOut, storage: .int128(outWides))
      case .ints:
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n {
          guard let x = Int64(exactly: outWides[i]) else {
            throw ExecError(.overflow, "integer overflow in SUM for \(function.name) (Window)")
          }
          out[i] = x
        }
        return ColumnVector(type: .int64, count: n, validity: validOut, storage: .int64(out))
      }
    }
  }

  /// MIN and MAX: the row holding the extreme of each frame, found with a monotonic queue (frame
  /// starts and ends only move forward within a partition), then gathered from the argument.
  func frameExtremes() throws(ExecError) -> ColumnVector {
    let argument = try argumentColumn()
    let validity = argument.effectiveValidity
    if argument.type == .null { return argument }
    let values = try SortKeyColumns([SortKey(.column(0))], batch: try RecordBatch.make(schema: Schema([Field("v", argument.type)]), columns: [argument], rowCount: n))
    let wantMax = function.kind == .max
    var source = [Int32](repeating: -1, count: n)
    var queue = [Int](repeating: 0, count: n)
    var p = 0
    while p < n {
      let pe = Int(partitionEnd[p])
      var head = 0
      var tail = 0
      var added = p
      for q in p..<pe {
        let (start, end) = try frame(q)
        while added < end {
          let row = Int(order[added])
          if validity?[row] ?? true {
            // Drop queued rows the new one beats; they can never be the extreme again.
            while tail > head {
              let order = values.compareValues(Int(self.order[queue[tail - 1]]), row)
              if wantMax ? order < 0 : order > 0 { tail -= 1 } else { break }
            }
            queue[tail] = added
            tail += 1
          }
          added += 1
        }
        while head < tail && queue[head] < start { head += 1 }
        if head < tail && start < end { source[Int(order[q])] = order[queue[head]] }
      }
      p = pe
    }
    return try argument.gather(source)
  }
}
