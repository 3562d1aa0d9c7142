public import Columnar
import Expr

/// An aggregate function of a GROUP BY.
public enum AggregateKind: String, Sendable {
  case countStar = "count_star", count, countDistinct = "count_distinct", sum, avg, min, max
  case anyValue = "any_value", approxCountDistinct = "approx_count_distinct"
}

/// One aggregate: its function, argument (none for COUNT(*)), optional FILTER (WHERE …) and output name.
public struct AggregateSpec: Sendable {
  public var kind: AggregateKind
  public var argument: PhysicalExpression?
  public var filter: PhysicalExpression?
  public var name: String
  public init(_ kind: AggregateKind, _ argument: PhysicalExpression? = nil, filter: PhysicalExpression? = nil, as name: String) {
    self.kind = kind
    self.argument = argument
    self.filter = filter
    self.name = name
  }
}

/// Hash aggregation with a partial / merge design: run `accumulate` on several instances (one per
/// partition or thread), `merge` them into one, then `finish`.
///
/// `accumulate` takes an optional selection (a WHERE clause's bitmap), so a filter below the
/// aggregate costs no copy: only selected rows are hashed and folded. Group keys of any types
/// are hashed as bytes; a single string key (plain or dictionary-encoded) is hashed straight
/// from the column, a dictionary's entries once per batch and only those that are used.
/// Accumulators are flat typed arrays indexed by group id.
public struct HashAggregate: Sendable {
  public let groupBy: [PhysicalExpression]
  public let groupNames: [String]
  public let aggregates: [AggregateSpec]
  let budget: MemoryBudget
  var table: ByteKeyTable
  var states: [AggregateState]
  var keyTypes: [DataType]? = nil
  var charged = 0
  /// Group id of the NULL key, for a single-column grouping.
  var nullGroup: Int32 = -1

  /// - Parameter expectedGroups: a hint (from statistics) that sizes the hash table up front.
  public init(
    groupBy: [PhysicalExpression], groupNames: [String], aggregates: [AggregateSpec],
    budget: MemoryBudget = .unlimited(), expectedGroups: Int = 0
  ) {
    self.groupBy = groupBy
    self.groupNames = groupNames
    self.aggregates = aggregates
    self.budget = budget
    self.table = ByteKeyTable(capacity: Swift.max(1024, expectedGroups))
    self.states = aggregates.map { _ in AggregateState() }
  }

  public var groupCount: Int { table.count }

  /// Adds the rows of `batch` that are set in `selection` (all rows when nil).
  public mutating func accumulate(_ batch: RecordBatch, selection: Bitmap? = nil) throws(ExecError) {
    let inputs = try prepare(batch, selection: selection)
    let gids = try groupIDs(inputs.keys, rows: inputs.rows, rowCount: inputs.rowCount)
    try fold(inputs, gids: gids, rows: inputs.rows)
  }

  /// Evaluates a batch's keys, aggregate arguments and FILTER masks, and lists the selected rows.
  func prepare(_ batch: RecordBatch, selection: Bitmap?) throws(ExecError) -> AggregateInputs {
    let n = batch.rowCount
    if let selection, selection.count != n {
      throw ExecError(.invalidPlan, "a selection of \(selection.count) rows for a batch of \(n) (HashAggregate)")
    }
    var inputs = AggregateInputs(rowCount: n)
    for expression in groupBy { inputs.keys.append(try expression.evaluate(batch)) }
    if let selection, !selection.allSet {
      inputs.rows = selection.setIndices()
    } else {
      inputs.rows = (0..<Int32(truncatingIfNeeded: n)).map { $0 }
    }
    for spec in aggregates {
      inputs.masks.append(try spec.filter.map { (filter) throws(ExecError) in try filter.selection(batch) })
      inputs.arguments.append(try spec.argument.map { (argument) throws(ExecError) in try argument.evaluate(batch) })
    }
    return inputs
  }

  /// Folds the listed rows into the aggregates; `gids[j]` is the group of row `rows[j]`, already in the table.
  mutating func fold(_ inputs: AggregateInputs, gids: [Int32], rows: [Int32]) throws(ExecError) {
    if keyTypes == nil { keyTypes = inputs.keys.map(\.type) }
    for (k, spec) in aggregates.enumerated() {
      try update(k, spec, inputs.arguments[k], inputs.masks[k], gids, rows)
    }
    try chargeGrowth()
  }

  mutating func chargeGrowth() throws(ExecError) {
    var bytes = table.memoryBytes
    for s in states { bytes += s.memoryBytes }
    if bytes > charged {
      try budget.charge(bytes - charged, by: "HashAggregate")
      charged = bytes
    }
  }

  /// The group id of each listed row.
  mutating func groupIDs(_ keys: [ColumnVector], rows: [Int32], rowCount n: Int) throws(ExecError) -> [Int32] {
    let m = rows.count
    if keys.isEmpty {
      if table.count == 0 { _ = table.findOrInsert(nil, 0, hash: ByteHashing.hash(nil, 0)) }
      return [Int32](repeating: 0, count: m)
    }
    var gids = [Int32](repeating: 0, count: m)
    if keys.count == 1, keys[0].type.isBinaryLike {
      let key = keys[0]
      let validity = key.effectiveValidity
      switch key.storage {
      case .dictionary(let indices, let dictionary):
        guard case .binary(let o, let b) = dictionary.storage else { break }
        // Only the entries the selected rows use become groups.
        var entryGroups = [Int32](repeating: -1, count: dictionary.count)
        var needed: [Int32] = []
        var nullRows = false
        for j in 0..<m {
          let row = Int(rows[j])
          if let validity, !validity[row] {
            nullRows = true
            continue
          }
          let e = Int(indices[row])
          guard e >= 0, e < entryGroups.count else {
            throw ExecError(.invalidPlan, "dictionary index \(e) out of range (HashAggregate)")
          }
          if entryGroups[e] == -1 {
            entryGroups[e] = -2
            needed.append(Int32(e))
          }
        }
        let nullID = nullRows ? nullKeyGroup() : -1
        var ids = [Int32](repeating: 0, count: needed.count)
        b.withUnsafeBytes { raw in
          o.withUnsafeBufferPointer { off in
            needed.withUnsafeBufferPointer { need in
              ids.withUnsafeMutableBufferPointer { out in
                table.findOrInsert(OffsetKeys(base: raw.baseAddress, offsets: off, rows: need), into: out)
              }
            }
          }
        }
        for (e, id) in zip(needed, ids) { entryGroups[Int(e)] = id }
        for j in 0..<m {
          let row = Int(rows[j])
          if let validity, !validity[row] { gids[j] = nullID } else { gids[j] = entryGroups[Int(indices[row])] }
        }
        return gids
      case .binary(let o, let b):
        var probeRows = rows
        if let validity {
          probeRows = rows.filter { validity[Int($0)] }
        }
        var ids = [Int32](repeating: 0, count: probeRows.count)
        b.withUnsafeBytes { raw in
          o.withUnsafeBufferPointer { off in
            probeRows.withUnsafeBufferPointer { probe in
              ids.withUnsafeMutableBufferPointer { out in
                table.findOrInsert(OffsetKeys(base: raw.baseAddress, offsets: off, rows: probe), into: out)
              }
            }
          }
        }
        guard let validity, probeRows.count < m else { return ids }
        let nullID = nullKeyGroup()
        var next = 0
        for j in 0..<m {
          if validity[Int(rows[j])] {
            gids[j] = ids[next]
            next += 1
          } else {
            gids[j] = nullID
          }
        }
        return gids
      default: break
      }
    }
    let encoded = try KeyEncoding.encode(keys, rows: rows, rowCount: n)
    encoded.bytes.withUnsafeBytes { raw in
      encoded.offsets.withUnsafeBufferPointer { off in
        gids.withUnsafeMutableBufferPointer { out in
          table.findOrInsert(DenseOffsetKeys(base: raw.baseAddress, offsets: off, count: m), into: out)
        }
      }
    }
    return gids
  }

  /// The hash the NULL group of a single string key is filed under.
  static let nullKeyHash: UInt64 = 0x5EED_0000_0000_0001

  /// The NULL group of a single string key: an empty key under a marker hash (an empty string
  /// hashes differently, so the two never meet).
  mutating func nullKeyGroup() -> Int32 {
    if nullGroup < 0 {
      nullGroup = table.findOrInsert(nil, 0, hash: Self.nullKeyHash).id
    }
    return nullGroup
  }

  /// Folds the listed rows into aggregate `k`; `gids[j]` is the group of row `rows[j]`.
  mutating func update(
    _ k: Int, _ spec: AggregateSpec, _ argument: ColumnVector?, _ mask: Bitmap?, _ gids: [Int32], _ rows: [Int32]
  ) throws(ExecError) {
    var st = AggregateState()
    swap(&st, &states[k])
    defer { swap(&st, &states[k]) }
    if st.type == nil, let argument { st.type = argument.type }
    if let argument, case .none = argument.storage {
      // An all-NULL argument adds nothing (but COUNT(*) never has an argument).
      st.grow(to: table.count)
      return
    }
    var valid = mask
    if let argument, let validity = argument.effectiveValidity {
      valid = valid.map { Bitmap.combine($0, validity) { $0 & $1 } } ?? validity
    }
    if let v = valid, v.allSet { valid = nil }
    try rows.withUnsafeBufferPointer { (r) throws(ExecError) in
      try gids.withUnsafeBufferPointer { (gid) throws(ExecError) in
        try st.updateRows(spec, argument, valid, gid, r, groups: table.count)
      }
    }
  }

  /// Folds the groups and states of `other` (a partial aggregate of the same plan) into this one.
  public mutating func merge(_ other: HashAggregate) throws(ExecError) {
    try merge(other, groups: (0..<Int32(truncatingIfNeeded: other.table.count)).map { $0 })
  }

  /// Folds the listed groups of `other` into this one: the whole of it, or the groups a split
  /// files under one partition (so a split visits each group once, not once per partition).
  mutating func merge(_ other: HashAggregate, groups positions: [Int32]) throws(ExecError) {
    if keyTypes == nil { keyTypes = other.keyTypes }
    // One batch insert in `other`'s key order; the NULL key (empty bytes under its marker hash)
    // meets this table's NULL key, if any, like any other key.
    let ids = table.findOrInsert(keysOf: other.table, at: positions)
    if other.nullGroup >= 0, let i = positions.firstIndex(of: other.nullGroup) { nullGroup = ids[i] }
    // DISTINCT sets are keyed by group id, so they need the full map from `other`'s ids.
    var mapping: [Int32] = []
    if aggregates.contains(where: { $0.kind == .countDistinct || $0.kind == .approxCountDistinct }) {
      mapping = [Int32](repeating: -1, count: other.table.count)
      for (g, id) in zip(positions, ids) { mapping[Int(g)] = id }
    }
    for k in states.indices {
      let o = other.states[k]
      var st = AggregateState()
      swap(&st, &states[k])
      defer { swap(&st, &states[k]) }
      if st.type == nil { st.type = o.type }
      st.floating = st.floating || o.floating
      st.decimalScale = max(st.decimalScale, o.decimalScale)
      st.usesWides = st.usesWides || o.usesWides
      st.usesDoubles = st.usesDoubles || o.usesDoubles
      st.usesInts = st.usesInts || o.usesInts
      st.usesStrings = st.usesStrings || o.usesStrings
      st.grow(to: table.count)
      st.merge(o, kind: aggregates[k].kind, from: positions, to: ids, mapping: mapping)
    }
    try chargeGrowth()
  }

  /// The output schema: group columns, then one column per aggregate.
  public func outputSchema(inputSchemaTypes keyTypes: [DataType]) -> Schema {
    var fields: [Field] = []
    for (name, type) in zip(groupNames, keyTypes) { fields.append(Field(name, type)) }
    for (k, spec) in aggregates.enumerated() { fields.append(Field(spec.name, resultType(k))) }
    return Schema(fields)
  }

  func resultType(_ k: Int) -> DataType {
    let state = states[k]
    switch aggregates[k].kind {
    case .countStar, .count, .countDistinct, .approxCountDistinct: return .int64
    case .avg: return .float64
    case .sum:
      if state.floating { return .float64 }
      if case .decimal? = state.type { return .decimal(precision: 38, scale: state.decimalScale) }
      return .int64
    case .min, .max, .anyValue: return state.type ?? .null
    }
  }

  /// The result: one row per group (one row in all for a global aggregate, even over no input).
  public func finish() throws(ExecError) -> RecordBatch {
    var me = self
    if groupBy.isEmpty && me.table.count == 0 {
      _ = me.table.findOrInsert(nil, 0, hash: ByteHashing.hash(nil, 0))
    }
    let groups = me.table.count
    for k in me.states.indices { me.states[k].growAll(to: groups) }
    var columns: [ColumnVector] = []
    let types = keyTypes ?? groupBy.map { _ in DataType.null }
    if !groupBy.isEmpty {
      if groupBy.count == 1, types[0].isBinaryLike {
        // Single string key: the arena already is a string column.
        guard (me.table.keyOffsets.last ?? 0) <= Int(Int32.max) else {
          throw ExecError(.unsupported, "group keys over 2 GiB in one string column (HashAggregate)")
        }
        let offsets = me.table.keyOffsets.map { Int32(truncatingIfNeeded: $0) }
        var validity: Bitmap? = nil
        if me.nullGroup >= 0 {
          var v = Bitmap(repeating: true, count: groups)
          v[Int(me.nullGroup)] = false
          validity = v
        }
        columns.append(ColumnVector(type: types[0], count: groups, validity: validity, storage: .binary(offsets: offsets, bytes: me.table.keyBytes)))
      } else {
        columns = try KeyEncoding.decode((0..<groups).map { me.table.key($0) }, types: types)
      }
    }
    for (k, spec) in aggregates.enumerated() {
      let s = me.states[k]
      let type = resultType(k)
      let has = Bitmap.build(count: groups) { s.counts[$0] > 0 }
      let validity: Bitmap? = has.allSet ? nil : has
      switch spec.kind {
      case .countStar, .count, .countDistinct, .approxCountDistinct:
        columns.append(ColumnVector(type: .int64, count: groups, storage: .int64(Array(s.counts.prefix(groups)))))
      case .avg:
        var out = [Double](repeating: 0, count: groups)
        let divisor = Kernels.pow10Double(s.decimalScale)
        for g in 0..<groups where s.counts[g] > 0 {
          out[g] = s.floating ? s.doubles[g] / Double(s.counts[g]) : Double(s.wides[g]) / divisor / Double(s.counts[g])
        }
        columns.append(ColumnVector(type: .float64, count: groups, validity: validity, storage: .float64(out)))
      case .sum:
        if s.floating {
          columns.append(ColumnVector(type: type, count: groups, validity: validity, storage: .float64(Array(s.doubles.prefix(groups)))))
        } else if case .decimal = type {
          columns.append(ColumnVector(type: type, count: groups, validity: validity, storage: .int128(Array(s.wides.prefix(groups)))))
        } else {
          var out = [Int64](repeating: 0, count: groups)
          for g in 0..<groups {
            guard let x = Int64(exactly: s.wides[g]) else {
              throw ExecError(.overflow, "integer overflow in SUM for \(spec.name) (HashAggregate)")
            }
            out[g] = x
          }
          columns.append(ColumnVector(type: .int64, count: groups, validity: validity, storage: .int64(out)))
        }
      case .min, .max, .anyValue:
        columns.append(try me.extremeColumn(k, type: type, groups: groups, validity: validity))
      }
    }
    let fields = (0..<columns.count).map { c in
      Field(c < groupBy.count ? groupNames[c] : aggregates[c - groupBy.count].name, columns[c].type)
    }
    return try RecordBatch.make(schema: Schema(fields), columns: columns, rowCount: groups)
  }

  func extremeColumn(_ k: Int, type: DataType, groups: Int, validity: Bitmap?) throws(ExecError) -> ColumnVector {
    let s = states[k]
    if type.isBinaryLike {
      var offsets = [Int32](repeating: 0, count: groups + 1)
      var bytes: [UInt8] = []
      for g in 0..<groups {
        bytes.append(contentsOf: s.strings[g])
        offsets[g + 1] = Int32(bytes.count)
      }
      return ColumnVector(type: type, count: groups, validity: validity, storage: .binary(offsets: offsets, bytes: bytes))
    }
    if s.floating {
      let v = ColumnVector(type: .float64, count: groups, validity: validity, storage: .float64(Array(s.doubles.prefix(groups))))
      return try Kernels.cast(v, to: type, safe: false, context: .literal(.null))
    }
    switch type {
    case .decimal: return ColumnVector(type: type, count: groups, validity: validity, storage: .int128(Array(s.wides.prefix(groups))))
    case .boolean: return .boolean(Bitmap.build(count: groups) { s.ints[$0] != 0 }, validity: validity)
    case .date: return ColumnVector(type: type, count: groups, validity: validity, storage: .int32(s.ints.prefix(groups).map { Int32(truncatingIfNeeded: $0) }))
    case .timestamp(let unit, let utc):
      let micros = ColumnVector(type: .timestamp(.microsecond, utc: utc), count: groups, validity: validity, storage: .int64(Array(s.ints.prefix(groups))))
      return unit == .microsecond ? micros : try Kernels.cast(micros, to: type, safe: false, context: .literal(.null))
    case .null: return ColumnVector(type: .null, count: groups, storage: .none)
    default:
      return try Kernels.narrowIntegers(Array(s.ints.prefix(groups)), validity: validity, to: type, safe: false, context: .literal(.null))
    }
  }
}

/// One batch's evaluated aggregate inputs: group keys, arguments and FILTER masks (by aggregate),
/// and the selected rows.
struct AggregateInputs {
  var keys: [ColumnVector] = []
  var arguments: [ColumnVector?] = []
  var masks: [Bitmap?] = []
  var rows: [Int32] = []
  var rowCount: Int
}
