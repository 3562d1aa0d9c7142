public import Columnar
public import Expr

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

/// Per-group state of one aggregate, as flat arrays indexed by group id.
struct AggregateState: Sendable {
  var counts: [Int64] = []
  var wides: [Int128] = []
  var doubles: [Double] = []
  var ints: [Int64] = []
  var strings: [[UInt8]] = []
  /// Keys are group id (4 bytes) + the value's key encoding.
  var distinct = ByteKeyTable(capacity: 16)
  /// The argument type, learned from the first batch.
  var type: DataType? = nil
  /// Values are floats (doubles) rather than integers or decimals (wides/ints).
  var floating = false
  var decimalScale = 0

  mutating func grow(to groups: Int) {
    if counts.count < groups {
      let extra = groups - counts.count
      counts.append(contentsOf: repeatElement(0, count: extra))
      wides.append(contentsOf: repeatElement(0, count: extra))
      doubles.append(contentsOf: repeatElement(0, count: extra))
      ints.append(contentsOf: repeatElement(0, count: extra))
      strings.append(contentsOf: repeatElement([], count: extra))
    }
  }
}

/// Hash aggregation with a partial / merge design: run `accumulate` on several instances (one per
/// partition or thread), `merge` them into one, then `finish`. Group keys of any types are
/// hashed as bytes; a single string key (plain or dictionary-encoded) is hashed straight from
/// the column, a dictionary's entries once per batch.
public struct HashAggregate: Sendable {
  public let groupBy: [PhysicalExpression]
  public let groupNames: [String]
  public let aggregates: [AggregateSpec]
  let budget: MemoryBudget
  var table = ByteKeyTable(capacity: 1024)
  var states: [AggregateState]
  var keyTypes: [DataType]? = nil
  var charged = 0
  /// Group id of the NULL key, for a single-column grouping.
  var nullGroup: Int32 = -1

  public init(groupBy: [PhysicalExpression], groupNames: [String], aggregates: [AggregateSpec], budget: MemoryBudget = .unlimited()) {
    self.groupBy = groupBy
    self.groupNames = groupNames
    self.aggregates = aggregates
    self.budget = budget
    self.states = aggregates.map { _ in AggregateState() }
  }

  public var groupCount: Int { table.count }

  /// Adds the rows of `batch`.
  public mutating func accumulate(_ batch: RecordBatch) throws(ExecError) {
    let n = batch.rowCount
    var keyColumns: [ColumnVector] = []
    for expression in groupBy { keyColumns.append(try expression.evaluate(batch)) }
    if keyTypes == nil { keyTypes = keyColumns.map(\.type) }
    let gids = try groupIDs(keyColumns, rowCount: n)
    let groups = table.count + (nullGroup >= 0 && groupBy.count == 1 ? 0 : 0)
    for k in states.indices { states[k].grow(to: groups) }
    for (k, spec) in aggregates.enumerated() {
      var mask: Bitmap? = nil
      if let filter = spec.filter { mask = try filter.selection(batch) }
      var argument: ColumnVector? = nil
      if let a = spec.argument { argument = try a.evaluate(batch) }
      try update(k, spec, argument, mask, gids, n)
    }
    try chargeGrowth()
  }

  mutating func chargeGrowth() throws(ExecError) {
    var bytes = table.memoryBytes
    for s in states { bytes += s.counts.count * 48 + s.distinct.memoryBytes }
    if bytes > charged {
      try budget.charge(bytes - charged, by: "HashAggregate")
      charged = bytes
    }
  }

  /// Group id per row.
  mutating func groupIDs(_ keys: [ColumnVector], rowCount n: Int) throws(ExecError) -> [Int32] {
    if keys.isEmpty {
      if table.count == 0 { _ = table.findOrInsert(nil, 0, hash: ByteHashing.hash(nil, 0)) }
      return [Int32](repeating: 0, count: n)
    }
    var gids = [Int32](repeating: 0, count: n)
    if keys.count == 1, keys[0].type.isBinaryLike {
      let key = keys[0]
      let validity = key.effectiveValidity
      switch key.storage {
      case .dictionary(let indices, let dictionary):
        guard case .binary(let o, let b) = dictionary.storage else { break }
        var entryGroups = [Int32](repeating: -1, count: dictionary.count)
        b.withUnsafeBytes { raw in
          for e in 0..<dictionary.count {
            let start = Int(o[e])
            let length = Int(o[e + 1]) - start
            let p = raw.baseAddress.map { $0 + start }
            entryGroups[e] = table.findOrInsert(p, length, hash: ByteHashing.hash(p, length)).id
          }
        }
        for i in 0..<n {
          if let validity, !validity[i] {
            gids[i] = nullKeyGroup()
          } else {
            let e = Int(indices[i])
            guard e >= 0, e < entryGroups.count else { throw ExecError(.invalidPlan, "dictionary index \(e) out of range") }
            gids[i] = entryGroups[e]
          }
        }
        return gids
      case .binary(let o, let b):
        b.withUnsafeBytes { raw in
          o.withUnsafeBufferPointer { off in
            for i in 0..<n {
              if let validity, !validity[i] {
                gids[i] = nullKeyGroup()
                continue
              }
              let start = Int(off[i])
              let length = Int(off[i + 1]) - start
              let p = raw.baseAddress.map { $0 + start }
              gids[i] = table.findOrInsert(p, length, hash: ByteHashing.hash(p, length)).id
            }
          }
        }
        return gids
      default: break
      }
    }
    let encoded = try KeyEncoding.encode(keys, rowCount: n)
    encoded.bytes.withUnsafeBytes { raw in
      for i in 0..<n {
        let start = encoded.offsets[i]
        let length = encoded.offsets[i + 1] - start
        let p = raw.baseAddress.map { $0 + start }
        gids[i] = table.findOrInsert(p, length, hash: ByteHashing.hash(p, length)).id
      }
    }
    return gids
  }

  /// The NULL group of a single string key: a key no string can equal (one 0xFF byte with a marker hash).
  mutating func nullKeyGroup() -> Int32 {
    if nullGroup < 0 {
      nullGroup = table.findOrInsert(nil, 0, hash: 0x5EED_0000_0000_0001).id
    }
    return nullGroup
  }

  mutating func update(_ k: Int, _ spec: AggregateSpec, _ argument: ColumnVector?, _ mask: Bitmap?, _ gids: [Int32], _ n: Int) throws(ExecError) {
    var st = AggregateState()
    swap(&st, &states[k])
    defer { swap(&st, &states[k]) }
    if st.type == nil, let argument { st.type = argument.type }
    var rows = mask ?? Bitmap(repeating: true, count: n)
    if let argument, let validity = argument.effectiveValidity {
      rows = Bitmap.combine(rows, validity) { $0 & $1 }
    }
    let all = rows.allSet
    switch spec.kind {
    case .countStar, .count:
      st.counts.withUnsafeMutableBufferPointer { c in
        if all { for i in 0..<n { c[Int(gids[i])] += 1 } } else { for i in rows.setIndices() { c[Int(gids[Int(i)])] += 1 } }
      }
    case .sum, .avg:
      guard let argument, let values = Kernels.numeric(argument) else {
        throw ExecError(.typeMismatch, "\(spec.kind.rawValue) needs a number, not \(argument?.type ?? .null)")
      }
      switch values {
      case .ints(let v):
        st.counts.withUnsafeMutableBufferPointer { c in
          st.wides.withUnsafeMutableBufferPointer { w in
            if all {
              for i in 0..<n { let g = Int(gids[i]); c[g] += 1; w[g] += Int128(v[i]) }
            } else {
              for i in rows.setIndices() { let g = Int(gids[Int(i)]); c[g] += 1; w[g] += Int128(v[Int(i)]) }
            }
          }
        }
      case .decimals(let v, let scale):
        st.decimalScale = scale
        for i in rows.setIndices() { let g = Int(gids[Int(i)]); st.counts[g] += 1; st.wides[g] += v[Int(i)] }
      case .doubles(let v):
        st.floating = true
        for i in rows.setIndices() { let g = Int(gids[Int(i)]); st.counts[g] += 1; st.doubles[g] += v[Int(i)] }
      }
    case .min, .max, .anyValue:
      guard let argument else { throw ExecError(.invalidPlan, "\(spec.kind.rawValue) needs an argument") }
      let wantLess = spec.kind == .min
      let first = spec.kind == .anyValue
      if argument.type.isBinaryLike {
        let plain = argument.decodedDictionary()
        guard case .binary(let o, let b) = plain.storage else { break }
        for i in rows.setIndices().map(Int.init) {
          let g = Int(gids[i])
          let value = b[Int(o[i])..<Int(o[i + 1])]
          if st.counts[g] == 0 {
            st.strings[g] = Array(value)
          } else if !first {
            let order = value.lexicographicallyPrecedes(st.strings[g]) ? -1 : (value.elementsEqual(st.strings[g]) ? 0 : 1)
            if wantLess ? order < 0 : order > 0 { st.strings[g] = Array(value) }
          }
          st.counts[g] += 1
        }
      } else if let values = Kernels.isTemporal(argument.type) ? Kernels.temporalValues(argument, asMicros: argument.type != .date).map(NumericArray.ints) : Kernels.numeric(argument) {
        switch values {
        case .ints(let v):
          for i in rows.setIndices().map(Int.init) {
            let g = Int(gids[i])
            if st.counts[g] == 0 || (!first && (wantLess ? v[i] < st.ints[g] : v[i] > st.ints[g])) { st.ints[g] = v[i] }
            st.counts[g] += 1
          }
        case .doubles(let v):
          st.floating = true
          for i in rows.setIndices().map(Int.init) {
            let g = Int(gids[i])
            if st.counts[g] == 0 || (!first && (wantLess ? v[i] < st.doubles[g] : v[i] > st.doubles[g])) { st.doubles[g] = v[i] }
            st.counts[g] += 1
          }
        case .decimals(let v, _):
          for i in rows.setIndices().map(Int.init) {
            let g = Int(gids[i])
            if st.counts[g] == 0 || (!first && (wantLess ? v[i] < st.wides[g] : v[i] > st.wides[g])) { st.wides[g] = v[i] }
            st.counts[g] += 1
          }
        }
      } else if case .boolean(let bits) = argument.storage {
        for i in rows.setIndices().map(Int.init) {
          let g = Int(gids[i])
          let x: Int64 = bits[i] ? 1 : 0
          if st.counts[g] == 0 || (!first && (wantLess ? x < st.ints[g] : x > st.ints[g])) { st.ints[g] = x }
          st.counts[g] += 1
        }
      } else {
        throw ExecError(.unsupported, "\(spec.kind.rawValue) of \(argument.type) is not supported")
      }
    case .countDistinct, .approxCountDistinct:
      guard let argument else { throw ExecError(.invalidPlan, "\(spec.kind.rawValue) needs an argument") }
      let keys = try KeyEncoding.encode([argument], rowCount: n)
      var buffer = [UInt8]()
      for i in rows.setIndices().map(Int.init) {
        buffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: gids[i]) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: keys.bytes[keys.offsets[i]..<keys.offsets[i + 1]])
        let inserted = buffer.withUnsafeBytes { raw in
          st.distinct.findOrInsert(raw.baseAddress, raw.count, hash: ByteHashing.hash(raw.baseAddress, raw.count)).inserted
        }
        if inserted { st.counts[Int(gids[i])] += 1 }
      }
    }
  }

  /// Folds the groups and states of `other` (a partial aggregate of the same plan) into this one.
  public mutating func merge(_ other: HashAggregate) throws(ExecError) {
    if keyTypes == nil { keyTypes = other.keyTypes }
    var mapping = [Int32](repeating: 0, count: other.table.count)
    for g in 0..<other.table.count {
      if g == Int(other.nullGroup) {
        mapping[g] = nullKeyGroup()
        continue
      }
      let key = other.table.key(g)
      mapping[g] = key.withUnsafeBytes { raw in
        table.findOrInsert(raw.baseAddress, raw.count, hash: other.table.hashes[g]).id
      }
    }
    for k in states.indices {
      states[k].grow(to: table.count)
      let o = other.states[k]
      if states[k].type == nil { states[k].type = o.type }
      states[k].floating = states[k].floating || o.floating
      states[k].decimalScale = max(states[k].decimalScale, o.decimalScale)
      let kind = aggregates[k].kind
      for g in 0..<o.counts.count where o.counts[g] > 0 || kind == .countStar {
        let t = Int(mapping[g])
        switch kind {
        case .countStar, .count: states[k].counts[t] += o.counts[g]
        case .sum, .avg:
          states[k].counts[t] += o.counts[g]
          states[k].wides[t] += o.wides[g]
          states[k].doubles[t] += o.doubles[g]
        case .min, .max, .anyValue:
          let fresh = states[k].counts[t] == 0
          let less = kind == .min
          let take: Bool
          if kind == .anyValue {
            take = fresh
          } else if let type = states[k].type, type.isBinaryLike {
            take = fresh || (less ? o.strings[g].lexicographicallyPrecedes(states[k].strings[t]) : states[k].strings[t].lexicographicallyPrecedes(o.strings[g]))
          } else if states[k].floating {
            take = fresh || (less ? o.doubles[g] < states[k].doubles[t] : o.doubles[g] > states[k].doubles[t])
          } else if case .decimal? = states[k].type {
            take = fresh || (less ? o.wides[g] < states[k].wides[t] : o.wides[g] > states[k].wides[t])
          } else {
            take = fresh || (less ? o.ints[g] < states[k].ints[t] : o.ints[g] > states[k].ints[t])
          }
          if take {
            states[k].strings[t] = o.strings[g]
            states[k].doubles[t] = o.doubles[g]
            states[k].wides[t] = o.wides[g]
            states[k].ints[t] = o.ints[g]
          }
          states[k].counts[t] += o.counts[g]
        case .countDistinct, .approxCountDistinct: break
        }
      }
      if kind == .countDistinct || kind == .approxCountDistinct {
        for d in 0..<o.distinct.count {
          var key = Array(o.distinct.key(d))
          let g = key.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
          let t = mapping[Int(g)]
          withUnsafeBytes(of: t) { for b in 0..<4 { key[b] = $0[b] } }
          let inserted = key.withUnsafeBytes { raw in
            states[k].distinct.findOrInsert(raw.baseAddress, raw.count, hash: ByteHashing.hash(raw.baseAddress, raw.count)).inserted
          }
          if inserted { states[k].counts[Int(t)] += 1 }
        }
      }
    }
    if other.nullGroup >= 0 { _ = nullKeyGroup() }
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
      for k in me.states.indices { me.states[k].grow(to: 1) }
    }
    let groups = me.table.count
    var columns: [ColumnVector] = []
    let types = keyTypes ?? groupBy.map { _ in DataType.null }
    if !groupBy.isEmpty {
      if groupBy.count == 1, types[0].isBinaryLike {
        // Single string key: the arena already is a string column.
        var offsets = [Int32](repeating: 0, count: groups + 1)
        for g in 0..<groups { offsets[g + 1] = Int32(me.table.keyOffsets[g + 1]) }
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
