import Columnar
import Expr

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Accumulates a data file's `stats` (PROTOCOL.md "Per-file Statistics") over the batches written
/// to it: `numRecords`, and `minValues`, `maxValues`, `nullCount` for the indexed leaf columns.
///
/// Min/max are kept for numbers, dates, timestamps, decimals and strings; booleans, binaries,
/// lists and maps only get a null count, as in Spark. Strings are cut to
/// ``stringPrefixLength`` characters; a cut max gets U+10FFFF appended so it stays an upper bound.
/// Timestamps are written in milliseconds, rounded down (readers widen a max by one millisecond).
struct StatisticsCollector {
  static let stringPrefixLength = 32

  private var numRecords: Int64 = 0
  private var root: Node

  /// `schema` is the data file schema; `indexed` decides which leaf paths get statistics.
  init(schema: Schema, indexed: (ColumnPath) -> Bool) {
    root = Node(name: "", type: .structure(schema.fields), path: [], indexed: indexed)
  }

  /// Which leaves of `schema` are indexed under `configuration`: the columns named by
  /// `delta.dataSkippingStatsColumns` (comma-separated, dotted for nested fields), else the first
  /// `delta.dataSkippingNumIndexedCols` leaves (default 32, -1 for all).
  static func indexedColumns(schema: Schema, configuration: [String: String]) -> Set<ColumnPath> {
    var leaves: [ColumnPath] = []
    func visit(_ field: Field, _ prefix: ColumnPath) {
      let path = prefix + [field.name]
      if case .structure(let children) = field.type {
        for child in children { visit(child, path) }
      } else {
        leaves.append(path)
      }
    }
    for field in schema.fields { visit(field, []) }
    if let listed = configuration["delta.dataSkippingStatsColumns"] {
      let wanted = listed.split(separator: ",").map {
        $0.trimmingCharacters(in: " ").lowercased().split(separator: ".").map(String.init)
      }
      return Set(
        leaves.filter { leaf in
          let lower = leaf.map { $0.lowercased() }
          return wanted.contains { lower.starts(with: $0) }
        })
    }
    let count = configuration["delta.dataSkippingNumIndexedCols"].flatMap { Int($0) } ?? 32
    return Set(count < 0 ? leaves : Array(leaves.prefix(count)))
  }

  mutating func add(_ batch: RecordBatch) { add(batch, rows: 0..<batch.rowCount) }

  /// Adds the rows `rows` of `batch`.
  mutating func add(_ batch: RecordBatch, rows: Range<Int>) {
    numRecords += Int64(rows.count)
    for (index, column) in batch.columns.enumerated() where index < root.children.count {
      root.children[index].update(column, rows: rows, parentNulls: nil)
    }
  }

  /// The `stats` JSON text.
  func json() -> String {
    var min: [(key: String, value: JSONValue)] = []
    var max: [(key: String, value: JSONValue)] = []
    var nulls: [(key: String, value: JSONValue)] = []
    for child in root.children {
      if let value = child.minJSON() { min.append((child.name, value)) }
      if let value = child.maxJSON() { max.append((child.name, value)) }
      if let value = child.nullCountJSON() { nulls.append((child.name, value)) }
    }
    return JSONValue.object(
      JSONObject([
        ("numRecords", .number(String(numRecords))), ("minValues", .object(JSONObject(min))),
        ("maxValues", .object(JSONObject(max))), ("nullCount", .object(JSONObject(nulls))),
      ])
    ).jsonText
  }

  /// One field of the schema and its running statistics.
  struct Node {
    let name: String
    let type: DataType
    let indexed: Bool
    var children: [Node] = []
    var nullCount: Int64 = 0
    var minInt: Int64 = .max
    var maxInt: Int64 = .min
    var minDouble: Double = .infinity
    var maxDouble: Double = -.infinity
    var minDecimal: Int128 = .max
    var maxDecimal: Int128 = .min
    var minBytes: [UInt8]?
    var maxBytes: [UInt8]?
    var hasValue = false

    init(name: String, type: DataType, path: ColumnPath, indexed: (ColumnPath) -> Bool) {
      self.name = name
      self.type = type
      if case .structure(let fields) = type {
        self.indexed = false
        children = fields.map { Node(name: $0.name, type: $0.type, path: path + [$0.name], indexed: indexed) }
      } else {
        self.indexed = indexed(path)
      }
    }

    /// Which of `rows` of `vector` hold a value (nil: all of them); rows outside are not set.
    private static func validity(_ vector: ColumnVector, rows: Range<Int>, parentNulls: Bitmap?) -> Bitmap? {
      var valid = vector.validity
      if case .none = vector.storage { valid = Bitmap(repeating: false, count: vector.count) }
      if let parentNulls {
        var combined = Bitmap(repeating: false, count: vector.count)
        for row in rows { combined[row] = parentNulls[row] && (valid.map { $0[row] } ?? true) }
        valid = combined
      }
      return valid
    }

    /// Folds rows `rows` of `vector` in. `parentNulls`: rows where an enclosing struct is null
    /// (those rows are null here too).
    mutating func update(_ vector: ColumnVector, rows: Range<Int>, parentNulls: Bitmap?) {
      // A constant, so that the per-row checks below capture it without exclusivity checks.
      let valid = Self.validity(vector, rows: rows, parentNulls: parentNulls)
      if case .structure(let columns) = vector.storage {
        for index in children.indices where index < columns.count {
          children[index].update(columns[index], rows: rows, parentNulls: valid)
        }
        return
      }
      guard indexed else { return }
      if let valid {
        if rows.count == valid.count {
          nullCount += Int64(rows.count - valid.setCount)
        } else {
          for row in rows where !valid[row] { nullCount += 1 }
        }
      }
      func isValid(_ row: Int) -> Bool { valid.map { $0[row] } ?? true }
      switch type {
      case .int8, .int16, .int32, .int64, .date, .timestamp:
        func scan<T: BinaryInteger>(_ values: [T]) {
          var low = minInt
          var high = maxInt
          var any = false
          values.withUnsafeBufferPointer { values in
            if let valid {
              for row in rows where valid[row] {
                let value = Int64(values[row])
                low = Swift.min(low, value)
                high = Swift.max(high, value)
                any = true
              }
            } else if !rows.isEmpty {
              // No nulls: a branch-free loop the compiler vectorizes.
              for row in rows {
                let value = Int64(values[row])
                low = Swift.min(low, value)
                high = Swift.max(high, value)
              }
              any = true
            }
          }
          minInt = low
          maxInt = high
          hasValue = hasValue || any
        }
        switch vector.storage {
        case .int8(let values): scan(values)
        case .int16(let values): scan(values)
        case .int32(let values): scan(values)
        case .int64(let values): scan(values)
        default: break
        }
      case .float32, .float64:
        func scan<T: BinaryFloatingPoint>(_ values: [T]) {
          for row in rows where isValid(row) {
            let value = Double(values[row])
            if value.isNaN { continue }
            if value < minDouble { minDouble = value }
            if value > maxDouble { maxDouble = value }
            hasValue = true
          }
        }
        switch vector.storage {
        case .float32(let values): scan(values)
        case .float64(let values): scan(values)
        default: break
        }
      case .decimal:
        guard case .int128(let values) = vector.storage else { return }
        for row in rows where isValid(row) {
          minDecimal = Swift.min(minDecimal, values[row])
          maxDecimal = Swift.max(maxDecimal, values[row])
          hasValue = true
        }
      case .string:
        switch vector.storage {
        case .binary(let offsets, let bytes):
          if let valid {
            scanStrings(rows.lazy.filter { valid[$0] }, offsets: offsets, bytes: bytes)
          } else {
            scanStrings(rows, offsets: offsets, bytes: bytes)
          }
        case .dictionary(let indices, let dictionary):
          guard case .binary(let offsets, let bytes) = dictionary.storage else { return }
          let entries = offsets.count - 1
          guard entries <= 2 * rows.count else {
            // A dictionary much larger than the rows: compare the rows' entries.
            let used = rows.lazy.filter { valid?[$0] ?? true }.map { Int(indices[$0]) }
            scanStrings(used.filter { $0 >= 0 && $0 < entries }, offsets: offsets, bytes: bytes)
            return
          }
          // Each entry a valid row uses is compared once.
          var used = [Bool](repeating: false, count: max(0, entries))
          for row in rows where valid?[row] ?? true {
            let entry = Int(indices[row])
            if entry >= 0 && entry < entries { used[entry] = true }
          }
          scanStrings(used.indices.lazy.filter { used[$0] }, offsets: offsets, bytes: bytes)
        default: break
        }
      default:
        break
      }
    }

    /// Folds the smallest and largest of the strings `bytes[offsets[p]..<offsets[p + 1]]` at
    /// `positions` into the bounds.
    private mutating func scanStrings(_ positions: some Sequence<Int>, offsets: [Int32], bytes: [UInt8]) {
      offsets.withUnsafeBufferPointer { offsets in
        bytes.withUnsafeBufferPointer { buffer in
          // The batch's extremes as ranges first; only they are copied out. Each value's first
          // eight bytes as a big-endian number decide most comparisons without a call to memcmp:
          // a smaller key is a smaller string, and equal keys compare in full.
          var low: Range<Int>?
          var high: Range<Int>?
          var lowKey: UInt64 = 0
          var highKey: UInt64 = 0
          for position in positions {
            let value = Int(offsets[position])..<Int(offsets[position + 1])
            let key = Self.prefixKey(buffer, value)
            guard let currentLow = low, let currentHigh = high else {
              (low, high, lowKey, highKey) = (value, value, key, key)
              continue
            }
            if key < lowKey || (key == lowKey && Self.precedes(buffer, value, buffer, currentLow)) {
              low = value
              lowKey = key
            }
            if key > highKey || (key == highKey && Self.precedes(buffer, currentHigh, buffer, value)) {
              high = value
              highKey = key
            }
          }
          guard let low, let high else { return }
          if let current = minBytes {
            current.withUnsafeBufferPointer { old in
              if Self.precedes(buffer, low, old, 0..<old.count) { minBytes = Array(buffer[low]) }
            }
          } else {
            minBytes = Array(buffer[low])
          }
          if let current = maxBytes {
            current.withUnsafeBufferPointer { old in
              if Self.precedes(old, 0..<old.count, buffer, high) { maxBytes = Array(buffer[high]) }
            }
          } else {
            maxBytes = Array(buffer[high])
          }
          hasValue = true
        }
      }
    }

    /// The first eight bytes of `buffer[range]`, zero-padded, as a big-endian number: keys
    /// that differ order their strings the same way (a shorter string's padding sorts it first
    /// unless the other continues with zero bytes, and then the keys are equal).
    @inline(__always)
    static func prefixKey(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
      guard let base = buffer.baseAddress else { return 0 }
      if range.count >= 8 {
        return UInt64(bigEndian: UnsafeRawPointer(base + range.lowerBound).loadUnaligned(as: UInt64.self))
      }
      var key: UInt64 = 0
      var shift: UInt64 = 56
      for index in range {
        key |= UInt64(base[index]) << shift
        shift &-= 8
      }
      return key
    }

    /// Byte-wise lexicographic order (a prefix comes first), as `lexicographicallyPrecedes`.
    static func precedes(
      _ a: UnsafeBufferPointer<UInt8>, _ left: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ right: Range<Int>
    ) -> Bool {
      let common = min(left.count, right.count)
      if common > 0, let x = a.baseAddress, let y = b.baseAddress {
        let order = memcmp(x + left.lowerBound, y + right.lowerBound, common)
        if order != 0 { return order < 0 }
      }
      return left.count < right.count
    }

    func minJSON() -> JSONValue? { bound(max: false) }
    func maxJSON() -> JSONValue? { bound(max: true) }

    private func bound(max: Bool) -> JSONValue? {
      if case .structure = type {
        var entries: [(key: String, value: JSONValue)] = []
        for child in children {
          if let value = child.bound(max: max) { entries.append((child.name, value)) }
        }
        return entries.isEmpty ? nil : .object(JSONObject(entries))
      }
      guard indexed, hasValue else { return nil }
      switch type {
      case .int8, .int16, .int32, .int64:
        return .number(String(max ? maxInt : minInt))
      case .date:
        var out: [UInt8] = []
        CalendarFormatting.appendDate(days: max ? maxInt : minInt, to: &out)
        return .string(String(decoding: out, as: UTF8.self))
      case .timestamp(let unit, let utc):
        let micros = max ? maxInt : minInt
        let millis = CalendarFormatting.floorDiv(micros, unit.perSecond / 1000)
        var out: [UInt8] = []
        CalendarFormatting.appendTimestamp(millis, unit: .millisecond, utc: utc, to: &out)
        return .string(String(decoding: out, as: UTF8.self))
      case .float32, .float64:
        let value = max ? maxDouble : minDouble
        guard value.isFinite else { return nil }
        return .number(ValueFormatting.floatText(value))
      case .decimal(_, let scale):
        var out: [UInt8] = []
        ValueFormatting.appendDecimal(max ? maxDecimal : minDecimal, scale: scale, to: &out)
        return .number(String(decoding: out, as: UTF8.self))
      case .string:
        guard let bytes = max ? maxBytes : minBytes else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.unicodeScalars.count > StatisticsCollector.stringPrefixLength else { return .string(text) }
        var prefix = String(String.UnicodeScalarView(text.unicodeScalars.prefix(StatisticsCollector.stringPrefixLength)))
        if max { prefix.unicodeScalars.append("\u{10FFFF}") }
        return .string(prefix)
      default:
        return nil
      }
    }

    func nullCountJSON() -> JSONValue? {
      if case .structure = type {
        var entries: [(key: String, value: JSONValue)] = []
        for child in children {
          if let value = child.nullCountJSON() { entries.append((child.name, value)) }
        }
        return entries.isEmpty ? nil : .object(JSONObject(entries))
      }
      return indexed ? .number(String(nullCount)) : nil
    }
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var text = self
    while text.first == set { text.removeFirst() }
    while text.last == set { text.removeLast() }
    return String(text)
  }
}

