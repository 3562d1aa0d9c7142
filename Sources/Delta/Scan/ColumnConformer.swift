import Columnar

/// Turns a column read from a data file into the table's column: nested fields matched by
/// logical name, physical name or field id (column mapping), missing nested fields filled with
/// nulls, and values cast to the table's type where the file holds a narrower or differently
/// encoded one (type widening, INT96 and millisecond timestamps, unannotated strings).
struct ColumnConformer {
  let mode: ColumnMappingMode
  /// The data file, for error messages.
  let filePath: String

  /// The index of the file field that holds `field`, among `fileFields`.
  func match(_ field: Field, in fileFields: [Field]) -> Int? {
    switch mode {
    case .none:
      if let index = fileFields.firstIndex(where: { $0.name == field.name }) { return index }
      let lower = field.name.lowercased()
      return fileFields.firstIndex { $0.name.lowercased() == lower }
    case .name:
      let physical = field.physicalName(.name)
      return fileFields.firstIndex { $0.name == physical }
    case .id:
      if let id = field.columnMappingID, fileFields.contains(where: { $0.fieldID != nil }) {
        return fileFields.firstIndex { $0.fieldID == id }
      }
      // A file without field ids: fall back to physical names.
      let physical = field.physicalName(.id)
      return fileFields.firstIndex { $0.name == physical }
    }
  }

  /// `vector` (a column of the file) as a column of type `field.type`.
  func conform(_ vector: ColumnVector, to field: Field, path: String) throws(DeltaError) -> ColumnVector {
    let target = field.type
    switch target {
    case .null:
      return ColumnVector(type: .null, count: vector.count, storage: .none)
    case .structure(let fields):
      if case .none = vector.storage { return .nulls(target, count: vector.count) }
      guard case .structure(let fileFields) = vector.type, case .structure(let children) = vector.storage else {
        throw mismatch(vector.type, target, path)
      }
      var conformed: [ColumnVector] = []
      conformed.reserveCapacity(fields.count)
      for child in fields {
        if let index = match(child, in: fileFields) {
          conformed.append(try conform(children[index], to: child, path: path + "." + child.name))
        } else {
          conformed.append(.nulls(child.type, count: vector.count))
        }
      }
      return ColumnVector(type: target, count: vector.count, validity: vector.validity, storage: .structure(conformed))
    case .list(let element):
      if case .none = vector.storage { return .nulls(target, count: vector.count) }
      guard case .list(let offsets, let values) = vector.storage else { throw mismatch(vector.type, target, path) }
      let elements = try conform(values, to: element, path: path + ".element")
      return ColumnVector(
        type: target, count: vector.count, validity: vector.validity, storage: .list(offsets: offsets, values: elements)
      )
    case .map(let keyField, let valueField):
      if case .none = vector.storage { return .nulls(target, count: vector.count) }
      guard case .map(let offsets, let keys, let values) = vector.storage else {
        throw mismatch(vector.type, target, path)
      }
      return ColumnVector(
        type: target, count: vector.count, validity: vector.validity,
        storage: .map(
          offsets: offsets, keys: try conform(keys, to: keyField, path: path + ".key"),
          values: try conform(values, to: valueField, path: path + ".value")))
    default:
      return try cast(vector, to: target, path: path)
    }
  }

  private func mismatch(_ from: DataType, _ to: DataType, _ path: String) -> DeltaError {
    DeltaError(
      .incompatibleData,
      "column '\(path)' is \(DeltaSchema.typeName(from)) in the data file but \(DeltaSchema.typeName(to)) in the table schema",
      path: filePath)
  }

  /// A primitive column cast to `target`.
  func cast(_ vector: ColumnVector, to target: DataType, path: String) throws(DeltaError) -> ColumnVector {
    let source = vector.type
    if source == target { return vector }
    if case .none = vector.storage { return .nulls(target, count: vector.count) }
    if source == .null { return .nulls(target, count: vector.count) }
    func relabel() -> ColumnVector {
      ColumnVector(type: target, count: vector.count, validity: vector.validity, storage: vector.storage)
    }
    func make(_ storage: ColumnStorage) -> ColumnVector {
      ColumnVector(type: target, count: vector.count, validity: vector.validity, storage: storage)
    }
    switch (target, vector.storage) {
    // Strings and binaries share their storage.
    case (.string, .binary), (.string, .dictionary), (.binary, .binary), (.binary, .dictionary):
      return relabel()
    // Integers widen (type widening) or narrow (writers that stored a byte in an INT32).
    case (.int8, _), (.int16, _), (.int32, _), (.int64, _):
      guard let integers = Self.integers(vector.storage) else { break }
      switch target {
      case .int8: return make(.int8(integers.map { Int8(truncatingIfNeeded: $0) }))
      case .int16: return make(.int16(integers.map { Int16(truncatingIfNeeded: $0) }))
      case .int32: return make(.int32(integers.map { Int32(truncatingIfNeeded: $0) }))
      default: return make(.int64(integers))
      }
    case (.float64, .float32(let values)): return make(.float64(values.map { Double($0) }))
    case (.float32, .float64(let values)): return make(.float32(values.map { Float($0) }))
    case (.float64, _), (.float32, _):
      guard let integers = Self.integers(vector.storage) else { break }
      if target == .float32 { return make(.float32(integers.map { Float($0) })) }
      return make(.float64(integers.map { Double($0) }))
    case (.decimal(_, let scale), .int128(let values)):
      guard case .decimal(_, let fromScale) = source else { break }
      if fromScale == scale { return relabel() }
      guard fromScale < scale else { break }
      let factor = Self.powerOfTen(scale - fromScale)
      return make(.int128(values.map { $0 &* factor }))
    case (.decimal(_, let scale), _):
      guard case .date = source else {
        guard let integers = Self.integers(vector.storage) else { break }
        let factor = Self.powerOfTen(scale)
        return make(.int128(integers.map { Int128($0) &* factor }))
      }
    case (.date, .int32):
      return relabel()
    case (.timestamp(let unit, _), .int32(let days)):
      guard case .date = source else { break }
      let perDay = 86_400 * unit.perSecond
      return make(.int64(days.map { Int64($0) &* perDay }))
    case (.timestamp(let unit, _), .int64(let values)):
      switch source {
      case .timestamp(let fromUnit, _):
        if fromUnit == unit { return relabel() }
        return make(.int64(values.map { Self.convert($0, from: fromUnit, to: unit) }))
      case .int64:
        // An unannotated INT64 under a timestamp column: microseconds, as Delta writes them.
        return relabel()
      default: break
      }
    default:
      break
    }
    throw mismatch(source, target, path)
  }

  private static func integers(_ storage: ColumnStorage) -> [Int64]? {
    switch storage {
    case .int8(let values): values.map { Int64($0) }
    case .int16(let values): values.map { Int64($0) }
    case .int32(let values): values.map { Int64($0) }
    case .int64(let values): values
    case .uint8(let values): values.map { Int64($0) }
    case .uint16(let values): values.map { Int64($0) }
    case .uint32(let values): values.map { Int64($0) }
    case .uint64(let values): values.map { Int64(truncatingIfNeeded: $0) }
    default: nil
    }
  }

  private static func powerOfTen(_ exponent: Int) -> Int128 {
    var value: Int128 = 1
    for _ in 0..<max(0, exponent) { value &*= 10 }
    return value
  }

  /// A timestamp in a coarser or finer unit. Going coarser truncates toward zero, as Arrow's
  /// casts do (Spark-written INT96 values are whole microseconds, where this agrees with flooring).
  private static func convert(_ value: Int64, from: TimeUnit, to: TimeUnit) -> Int64 {
    if from == to { return value }
    let fromPer = from.perSecond
    let toPer = to.perSecond
    if toPer > fromPer { return value &* (toPer / fromPer) }
    return value / (fromPer / toPer)
  }
}
