import Columnar

/// Rank-based bucket ids for clustering, as Spark's `range_partition_id` computes them: each
/// distinct value of a column gets its rank in the column's sort order, scaled onto `2^bits`
/// buckets. Ranks, unlike raw bytes (what delta-rs interleaves), spread every column evenly over
/// the curve whatever its type or distribution: IP addresses stored as strings, ports,
/// timestamps. Values order as the Delta statistics order them (strings by UTF-8 bytes), so that
/// files clustered on the buckets have tight min/max ranges. Nulls take bucket 0.
enum RankBuckets {
  /// One bucket id per row of the column, rows of `columns` (one vector per batch) in sequence.
  static func buckets(_ columns: [ColumnVector], bits: Int, name: String) throws(DeltaError) -> [UInt32] {
    let keys = try SortKeys(columns, name: name)
    let rowCount = keys.count
    var order = [Int32](unsafeUninitializedCapacity: rowCount) { out, initialized in
      for i in 0..<rowCount { out[i] = Int32(i) }
      initialized = rowCount
    }
    keys.sort(&order)
    // Dense ranks; nulls sort first and share rank 0.
    var ranks = [UInt32](repeating: 0, count: rowCount)
    var rank: UInt32 = 0
    var distinct = 0
    for (position, row) in order.enumerated() {
      let r = Int(row)
      if keys.isNull(r) { continue }
      // Nulls sort first, so the first non-null row has distinct == 0.
      if distinct == 0 || !keys.equal(Int(order[position - 1]), r) {
        rank += 1
        distinct += 1
      }
      ranks[r] = rank
    }
    guard distinct > 0 else { return ranks }
    // Scale ranks 1...distinct (0 for null) onto the buckets.
    let buckets = UInt64(1) << UInt64(bits)
    let levels = UInt64(distinct) + 1
    for i in 0..<rowCount {
      ranks[i] = UInt32(min(buckets - 1, UInt64(ranks[i]) * buckets / levels))
    }
    return ranks
  }
}

/// A column's values in a form that sorts as Delta statistics order them.
private struct SortKeys {
  enum Values {
    /// Integers, dates, timestamps, booleans and floats, mapped to order-preserving unsigned keys.
    case fixed([UInt64])
    case decimal([Int128])
    /// Strings and binaries: each row's byte range in `bytes`.
    case bytes(starts: [Int], lengths: [Int32], bytes: [UInt8])
  }

  let values: Values
  let nulls: [Bool]
  var count: Int { nulls.count }

  init(_ columns: [ColumnVector], name: String) throws(DeltaError) {
    var nulls: [Bool] = []
    var fixed: [UInt64] = []
    var decimals: [Int128] = []
    var starts: [Int] = []
    var lengths: [Int32] = []
    var bytes: [UInt8] = []
    // 1 fixed, 2 decimal, 3 bytes: from the type, since an all-null vector has no storage.
    var kind = 1
    switch columns.first?.type {
    case .decimal: kind = 2
    case .string, .binary, .fixedBinary, .uuid: kind = 3
    default: break
    }
    for column in columns {
      for i in 0..<column.count { nulls.append(column.isNull(i)) }
      func fixedKeys<T>(_ values: [T], _ map: (T) -> UInt64) {
        fixed.reserveCapacity(fixed.count + values.count)
        for v in values { fixed.append(map(v)) }
      }
      func appendBinary(_ offsets: [Int32], _ data: [UInt8], _ rows: [Int32]?) {
        let base = bytes.count - Int(offsets.first ?? 0)
        bytes.append(contentsOf: data)
        let n = rows?.count ?? (offsets.count - 1)
        for i in 0..<n {
          let row = rows.map { Int($0[i]) } ?? i
          guard row >= 0, row + 1 < offsets.count else {
            starts.append(0)
            lengths.append(0)
            continue
          }
          starts.append(base + Int(offsets[row]))
          lengths.append(offsets[row + 1] - offsets[row])
        }
      }
      switch column.storage {
      case .none:
        switch kind {
        case 2: decimals.append(contentsOf: repeatElement(0, count: column.count))
        case 3:
          starts.append(contentsOf: repeatElement(0, count: column.count))
          lengths.append(contentsOf: repeatElement(0, count: column.count))
        default: fixed.append(contentsOf: repeatElement(0, count: column.count))
        }
      case .boolean(let bits): fixedKeys(Array(0..<column.count)) { bits[$0] ? 1 : 0 }
      case .int8(let v): fixedKeys(v) { Self.signed(Int64($0)) }
      case .int16(let v): fixedKeys(v) { Self.signed(Int64($0)) }
      case .int32(let v): fixedKeys(v) { Self.signed(Int64($0)) }
      case .int64(let v): fixedKeys(v) { Self.signed($0) }
      case .uint8(let v): fixedKeys(v) { UInt64($0) }
      case .uint16(let v): fixedKeys(v) { UInt64($0) }
      case .uint32(let v): fixedKeys(v) { UInt64($0) }
      case .uint64(let v): fixedKeys(v) { $0 }
      case .float32(let v): fixedKeys(v) { Self.float(Double($0)) }
      case .float64(let v): fixedKeys(v) { Self.float($0) }
      case .int128(let v):
        decimals.append(contentsOf: v)
      case .binary(let offsets, let data): appendBinary(offsets, data, nil)
      case .dictionary(let indices, let dictionary):
        guard case .binary(let offsets, let data) = dictionary.storage else {
          throw DeltaError(.unsupportedFeature, "cannot cluster on column '\(name)' of type \(column.type)")
        }
        appendBinary(offsets, data, indices)
      case .structure, .list, .map:
        throw DeltaError(
          .invalidArgument, "cannot cluster on column '\(name)': it has the nested type \(column.type); z-order needs a primitive column")
      }
    }
    let filled = kind == 2 ? decimals.count : kind == 3 ? lengths.count : fixed.count
    guard filled == nulls.count else {
      throw DeltaError(.unsupportedFeature, "cannot cluster on column '\(name)': its vectors mix storage kinds")
    }
    self.nulls = nulls
    switch kind {
    case 2: values = .decimal(decimals)
    case 3: values = .bytes(starts: starts, lengths: lengths, bytes: bytes)
    default: values = .fixed(fixed)
    }
  }

  /// Two's complement to an order-preserving unsigned key.
  static func signed(_ v: Int64) -> UInt64 { UInt64(bitPattern: v) ^ (1 << 63) }

  /// IEEE order to an unsigned key: negatives reversed below positives; NaN above everything.
  static func float(_ v: Double) -> UInt64 {
    if v.isNaN { return .max }
    let bits = (v == 0 ? 0.0 : v).bitPattern
    return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
  }

  func isNull(_ row: Int) -> Bool { nulls[row] }

  func equal(_ a: Int, _ b: Int) -> Bool {
    switch values {
    case .fixed(let v): return v[a] == v[b]
    case .decimal(let v): return v[a] == v[b]
    case .bytes(let starts, let lengths, let bytes):
      return lengths[a] == lengths[b] && Self.compare(bytes, starts[a], Int(lengths[a]), starts[b], Int(lengths[b])) == 0
    }
  }

  /// Sorts row numbers by value, nulls first.
  func sort(_ order: inout [Int32]) {
    let nulls = self.nulls
    switch values {
    case .fixed(let v):
      order.sort { a, b in
        let na = nulls[Int(a)]
        let nb = nulls[Int(b)]
        if na || nb { return na && !nb }
        return v[Int(a)] < v[Int(b)]
      }
    case .decimal(let v):
      order.sort { a, b in
        let na = nulls[Int(a)]
        let nb = nulls[Int(b)]
        if na || nb { return na && !nb }
        return v[Int(a)] < v[Int(b)]
      }
    case .bytes(let starts, let lengths, let bytes):
      // The first eight bytes as a big-endian integer decide most comparisons.
      var prefixes = [UInt64](repeating: 0, count: count)
      bytes.withUnsafeBufferPointer { p in
        for row in 0..<count {
          var prefix: UInt64 = 0
          let n = min(8, Int(lengths[row]))
          for i in 0..<8 { prefix = prefix << 8 | (i < n ? UInt64(p[starts[row] + i]) : 0) }
          prefixes[row] = prefix
        }
      }
      order.sort { a, b in
        let na = nulls[Int(a)]
        let nb = nulls[Int(b)]
        if na || nb { return na && !nb }
        let pa = prefixes[Int(a)]
        let pb = prefixes[Int(b)]
        if pa != pb { return pa < pb }
        return Self.compare(bytes, starts[Int(a)], Int(lengths[Int(a)]), starts[Int(b)], Int(lengths[Int(b)])) < 0
      }
    }
  }

  static func compare(_ bytes: [UInt8], _ a: Int, _ la: Int, _ b: Int, _ lb: Int) -> Int {
    bytes.withUnsafeBufferPointer { p in
      let n = min(la, lb)
      var i = 0
      while i < n {
        let x = p[a + i]
        let y = p[b + i]
        if x != y { return x < y ? -1 : 1 }
        i += 1
      }
      return la == lb ? 0 : (la < lb ? -1 : 1)
    }
  }
}
