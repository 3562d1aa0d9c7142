import Columnar

/// Per-group state of one aggregate, as flat arrays indexed by group id.
///
/// Only the arrays the aggregate needs are grown: `counts` always (it also says whether a group
/// saw a value), `wides` for integer and decimal sums and decimal extremes, `doubles` for float
/// values, `ints` for integer, temporal and boolean extremes, `strings` for string extremes.
struct AggregateState: Sendable {
  var counts: [Int64] = []
  var wides: [Int128] = []
  var doubles: [Double] = []
  var ints: [Int64] = []
  var strings: [[UInt8]] = []
  var usesWides = false
  var usesDoubles = false
  var usesInts = false
  var usesStrings = false
  /// Keys are group id (4 bytes) + the value's key encoding.
  var distinct = ByteKeyTable(capacity: 16)
  /// The argument type, learned from the first batch.
  var type: DataType? = nil
  /// Values are floats (doubles) rather than integers or decimals (wides/ints).
  var floating = false
  var decimalScale = 0

  mutating func grow(to groups: Int) {
    Self.extend(&counts, to: groups, with: 0)
    if usesWides { Self.extend(&wides, to: groups, with: 0) }
    if usesDoubles { Self.extend(&doubles, to: groups, with: 0) }
    if usesInts { Self.extend(&ints, to: groups, with: 0) }
    if usesStrings { Self.extend(&strings, to: groups, with: []) }
  }

  /// Grows every accumulator, used or not, so that results can be read for groups no row reached.
  mutating func growAll(to groups: Int) {
    Self.extend(&counts, to: groups, with: 0)
    Self.extend(&wides, to: groups, with: 0)
    Self.extend(&doubles, to: groups, with: 0)
    Self.extend(&ints, to: groups, with: 0)
    Self.extend(&strings, to: groups, with: [])
  }

  private static func extend<T>(_ array: inout [T], to count: Int, with value: T) {
    guard array.count < count else { return }
    if array.capacity < count { array.reserveCapacity(Swift.max(count, array.capacity * 2)) }
    array.append(contentsOf: repeatElement(value, count: count - array.count))
  }

  /// Approximate heap bytes held.
  var memoryBytes: Int {
    counts.capacity * 8 + wides.capacity * 16 + doubles.capacity * 8 + ints.capacity * 8 + strings.capacity * 8
      + distinct.memoryBytes
  }
}

/// Calls `body(j, row)` for each listed row `rows[j]` that is set in `valid` (every row when nil).
@inline(__always)
func forEachRow(
  _ rows: UnsafeBufferPointer<Int32>, _ valid: Bitmap?, _ body: (_ j: Int, _ row: Int) -> Void
) {
  if let valid {
    valid.words.withUnsafeBufferPointer { w in
      for j in 0..<rows.count {
        let row = Int(truncatingIfNeeded: rows[j])
        if w[row &>> 6] &>> UInt64(row & 63) & 1 != 0 { body(j, row) }
      }
    }
  } else {
    for j in 0..<rows.count { body(j, Int(truncatingIfNeeded: rows[j])) }
  }
}


extension AggregateState {
  /// Chooses the accumulator arrays from the aggregate and its argument type.
  mutating func learn(_ kind: AggregateKind, _ type: DataType) {
    switch kind {
    case .sum, .avg:
      switch type {
      case .float16, .float32, .float64:
        floating = true
        usesDoubles = true
      case .decimal(_, let scale):
        decimalScale = scale
        usesWides = true
      default: usesWides = true
      }
    case .min, .max, .anyValue:
      switch type {
      case _ where type.isBinaryLike: usesStrings = true
      case .float16, .float32, .float64:
        floating = true
        usesDoubles = true
      case .decimal(_, let scale):
        decimalScale = scale
        usesWides = true
      default: usesInts = true
      }
    case .countStar, .count, .countDistinct, .approxCountDistinct: break
    }
  }

  /// Folds the rows `rows[j]` set in `valid` (all when nil) into their groups `gid[j]`.
  mutating func updateRows(
    _ spec: AggregateSpec, _ argument: ColumnVector?, _ valid: Bitmap?, _ gid: UnsafeBufferPointer<Int32>,
    _ rows: UnsafeBufferPointer<Int32>, groups: Int
  ) throws(ExecError) {
    if let argument { learn(spec.kind, argument.type) }
    grow(to: groups)
    switch spec.kind {
    case .countStar, .count:
      counts.withUnsafeMutableBufferPointer { c in
        forEachRow(rows, valid) { j, _ in c[Int(truncatingIfNeeded: gid[j])] &+= 1 }
      }
    case .sum, .avg:
      guard let argument, let values = Kernels.numeric(argument) else {
        throw ExecError(.typeMismatch, "\(spec.kind.rawValue) needs a number, not \(argument?.type ?? .null) (\(spec.name))")
      }
      counts.withUnsafeMutableBufferPointer { c in
        switch values {
        case .ints(let v):
          v.withUnsafeBufferPointer { v in
            wides.withUnsafeMutableBufferPointer { w in
              forEachRow(rows, valid) { j, row in
                let g = Int(truncatingIfNeeded: gid[j])
                c[g] &+= 1
                w[g] &+= Int128(v[row])
              }
            }
          }
        case .decimals(let v, _):
          v.withUnsafeBufferPointer { v in
            wides.withUnsafeMutableBufferPointer { w in
              forEachRow(rows, valid) { j, row in
                let g = Int(truncatingIfNeeded: gid[j])
                c[g] &+= 1
                w[g] &+= v[row]
              }
            }
          }
        case .doubles(let v):
          v.withUnsafeBufferPointer { v in
            doubles.withUnsafeMutableBufferPointer { d in
              forEachRow(rows, valid) { j, row in
                let g = Int(truncatingIfNeeded: gid[j])
                c[g] &+= 1
                d[g] += v[row]
              }
            }
          }
        }
      }
    case .min, .max, .anyValue:
      guard let argument else { throw ExecError(.invalidPlan, "\(spec.kind.rawValue) needs an argument (\(spec.name))") }
      try updateExtremes(spec, argument, valid, gid, rows)
    case .countDistinct, .approxCountDistinct:
      guard let argument else { throw ExecError(.invalidPlan, "\(spec.kind.rawValue) needs an argument (\(spec.name))") }
      var listed: [Int32] = []
      var listedGroups: [Int32] = []
      forEachRow(rows, valid) { j, row in
        listed.append(Int32(truncatingIfNeeded: row))
        listedGroups.append(gid[j])
      }
      let keys = try KeyEncoding.encode([argument], rows: listed, rowCount: argument.count)
      // Each distinct key is the group id followed by the value's encoding.
      let m = listed.count
      var offsets = [Int](repeating: 0, count: m + 1)
      for i in 0..<m { offsets[i + 1] = keys.offsets[i + 1] + 4 * (i + 1) }
      var bytes = [UInt8](repeating: 0, count: offsets[m])
      bytes.withUnsafeMutableBytes { out in
        keys.bytes.withUnsafeBytes { src in
          for i in 0..<m {
            out.storeBytes(of: listedGroups[i], toByteOffset: offsets[i], as: Int32.self)
            let length = keys.offsets[i + 1] - keys.offsets[i]
            if length > 0 {
              (out.baseAddress! + offsets[i] + 4).copyMemory(from: src.baseAddress! + keys.offsets[i], byteCount: length)
            }
          }
        }
      }
      var ids = [Int32](repeating: 0, count: m)
      var next = Int32(truncatingIfNeeded: distinct.count)
      bytes.withUnsafeBytes { raw in
        offsets.withUnsafeBufferPointer { off in
          ids.withUnsafeMutableBufferPointer { out in
            distinct.findOrInsert(DenseOffsetKeys(base: raw.baseAddress, offsets: off, count: m), into: out)
          }
        }
      }
      // New ids are handed out in order of first appearance.
      for i in 0..<m where ids[i] == next {
        counts[Int(listedGroups[i])] += 1
        next += 1
      }
    }
  }

  mutating func updateExtremes(
    _ spec: AggregateSpec, _ argument: ColumnVector, _ valid: Bitmap?, _ gid: UnsafeBufferPointer<Int32>,
    _ rows: UnsafeBufferPointer<Int32>
  ) throws(ExecError) {
    let wantLess = spec.kind == .min
    let first = spec.kind == .anyValue
    if argument.type.isBinaryLike {
      let plain = argument.decodedDictionary()
      guard case .binary(let o, let b) = plain.storage else {
        throw ExecError(.unsupported, "\(spec.kind.rawValue) of \(argument.type) is not supported (\(spec.name))")
      }
      b.withUnsafeBytes { raw in
        forEachRow(rows, valid) { j, row in
          let g = Int(gid[j])
          let start = Int(o[row])
          let length = Int(o[row + 1]) - start
          let value = raw.baseAddress.map { $0 + start }
          if counts[g] == 0 {
            strings[g] = Array(UnsafeRawBufferPointer(start: value, count: length))
          } else if !first {
            let order = strings[g].withUnsafeBytes { ByteHashing.compare(value, length, $0.baseAddress, $0.count) }
            if wantLess ? order < 0 : order > 0 { strings[g] = Array(UnsafeRawBufferPointer(start: value, count: length)) }
          }
          counts[g] += 1
        }
      }
      return
    }
    let values: NumericArray?
    if Kernels.isTemporal(argument.type) {
      values = Kernels.temporalValues(argument, asMicros: argument.type != .date).map(NumericArray.ints)
    } else if case .boolean(let bits) = argument.storage {
      values = .ints((0..<argument.count).map { bits[$0] ? 1 : 0 })
    } else {
      values = Kernels.numeric(argument)
    }
    guard let values else {
      throw ExecError(.unsupported, "\(spec.kind.rawValue) of \(argument.type) is not supported (\(spec.name))")
    }
    switch values {
    case .ints(let v):
      forEachRow(rows, valid) { j, row in
        let g = Int(gid[j])
        if counts[g] == 0 || (!first && (wantLess ? v[row] < ints[g] : v[row] > ints[g])) { ints[g] = v[row] }
        counts[g] += 1
      }
    case .doubles(let v):
      forEachRow(rows, valid) { j, row in
        let g = Int(gid[j])
        if counts[g] == 0 || (!first && (wantLess ? v[row] < doubles[g] : v[row] > doubles[g])) { doubles[g] = v[row] }
        counts[g] += 1
      }
    case .decimals(let v, _):
      if !usesWides {
        usesWides = true
        grow(to: counts.count)
      }
      forEachRow(rows, valid) { j, row in
        let g = Int(gid[j])
        if counts[g] == 0 || (!first && (wantLess ? v[row] < wides[g] : v[row] > wides[g])) { wides[g] = v[row] }
        counts[g] += 1
      }
    }
  }

  /// Folds `other`'s group `from[i]` into this state's group `to[i]`; `mapping` (other's id to
  /// this one's, -1 for groups not merged) is needed only for the DISTINCT sets.
  mutating func merge(_ other: AggregateState, kind: AggregateKind, from: [Int32], to: [Int32], mapping: [Int32]) {
    for (source, target) in zip(from, to) where Int(source) < other.counts.count && other.counts[Int(source)] > 0 {
      let g = Int(source)
      let t = Int(target)
      switch kind {
      case .countStar, .count: counts[t] += other.counts[g]
      case .sum, .avg:
        if other.usesWides { wides[t] += other.wides[g] }
        if other.usesDoubles { doubles[t] += other.doubles[g] }
        counts[t] += other.counts[g]
      case .min, .max, .anyValue:
        let fresh = counts[t] == 0
        let less = kind == .min
        var take = fresh
        if !fresh && kind != .anyValue {
          if other.usesStrings {
            take = less ? other.strings[g].lexicographicallyPrecedes(strings[t]) : strings[t].lexicographicallyPrecedes(other.strings[g])
          } else if other.usesDoubles {
            take = less ? other.doubles[g] < doubles[t] : other.doubles[g] > doubles[t]
          } else if other.usesWides {
            take = less ? other.wides[g] < wides[t] : other.wides[g] > wides[t]
          } else if other.usesInts {
            take = less ? other.ints[g] < ints[t] : other.ints[g] > ints[t]
          }
        }
        if take {
          if other.usesStrings { strings[t] = other.strings[g] }
          if other.usesDoubles { doubles[t] = other.doubles[g] }
          if other.usesWides { wides[t] = other.wides[g] }
          if other.usesInts { ints[t] = other.ints[g] }
        }
        counts[t] += other.counts[g]
      case .countDistinct, .approxCountDistinct: break
      }
    }
    guard kind == .countDistinct || kind == .approxCountDistinct else { return }
    for d in 0..<other.distinct.count {
      var key = Array(other.distinct.key(d))
      let g = key.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
      let t = mapping[Int(g)]
      if t < 0 { continue }
      withUnsafeBytes(of: t) { for b in 0..<4 { key[b] = $0[b] } }
      let inserted = key.withUnsafeBytes { raw in
        distinct.findOrInsert(raw.baseAddress, raw.count, hash: ByteHashing.hash(raw.baseAddress, raw.count)).inserted
      }
      if inserted { counts[Int(t)] += 1 }
    }
  }
}
