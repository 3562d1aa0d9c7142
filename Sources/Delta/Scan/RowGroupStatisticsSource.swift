import Columnar
import Expr
import Parquet

/// Where the values of one predicate column come from in a data file.
enum RowGroupColumn: Sendable {
  /// A partition column: one value for the whole file.
  case partition(ScalarValue)
  /// A column the file does not hold (added to the table after the file was written), or of
  /// type `void`: every row reads as null.
  case allNull
  /// A primitive column stored in the file's leaf column `leaf`, read as `type` (the table's).
  case leaf(Int, type: DataType)
  /// Nothing is known: not a column of the table, or not a primitive one held by the file.
  case unknown
}

/// The predicate's logical columns resolved against one data file, shared by its row groups.
struct RowGroupColumns: Sendable {
  var columns: [ColumnPath: RowGroupColumn] = [:]
  /// Per leaf: whether its min/max may be used (INT96 and unknown sort orders may not).
  private var trustedBounds: [Int: Bool] = [:]

  /// Resolves `paths` (logical) through the table schema, the column mapping and the file's
  /// schema, as ``DataFileReader`` matches columns when it reads them.
  init(
    paths: Set<ColumnPath>, tableFields: [Field], partitionValues: [String: ScalarValue],
    partitionNames: Set<String>, conformer: ColumnConformer, reader: ParquetFileReader
  ) {
    for path in paths {
      let column = Self.resolve(
        path, tableFields: tableFields, partitionValues: partitionValues, partitionNames: partitionNames,
        conformer: conformer, reader: reader)
      columns[path] = column
      if case .leaf(let leaf, _) = column { trustedBounds[leaf] = Self.hasTrustedBounds(leaf: leaf, reader) }
    }
  }

  func boundsAreTrusted(leaf: Int) -> Bool { trustedBounds[leaf] ?? false }

  private static func resolve(
    _ path: ColumnPath, tableFields: [Field], partitionValues: [String: ScalarValue], partitionNames: Set<String>,
    conformer: ColumnConformer, reader: ParquetFileReader
  ) -> RowGroupColumn {
    guard let first = path.first else { return .unknown }
    if path.count == 1, partitionNames.contains(first) { return .partition(partitionValues[first] ?? .null) }
    var tableFields = tableFields
    // Nil once the file lacks a field on the path: the column then reads as nulls.
    var fileFields: [Field]? = reader.schema.schema.fields
    var filePath: [String] = []
    for (depth, name) in path.enumerated() {
      guard let field = tableFields.first(where: { $0.name == name }) else { return .unknown }
      let isLast = depth == path.count - 1
      if !isLast {
        guard case .structure(let children) = field.type else { return .unknown }
        tableFields = children
      }
      guard let candidates = fileFields, let index = conformer.match(field, in: candidates) else {
        fileFields = nil
        continue
      }
      let fileField = candidates[index]
      filePath.append(fileField.name)
      if isLast {
        if field.type == .null { return .allNull }
        // The leaf must be a primitive in both (a repeated primitive of the file folds into a list).
        guard field.type.isPrimitive, fileField.type.isPrimitive, let leaf = reader.leafIndex(path: filePath) else {
          return .unknown
        }
        return .leaf(leaf, type: field.type)
      }
      // A struct of the table that the file holds as something else: do not guess.
      guard case .structure(let children) = fileField.type else { return .unknown }
      fileFields = children
    }
    return .allNull
  }

  /// Whether the min/max of `leaf` follow an order this reader knows: not INT96 (whose
  /// statistics writers get wrong), and a type-defined or IEEE 754 column order when the footer
  /// names one.
  private static func hasTrustedBounds(leaf: Int, _ reader: ParquetFileReader) -> Bool {
    if let orders = reader.metadata.columnOrders {
      guard leaf < orders.count else { return false }
      switch orders[leaf] {
      case .typeDefinedOrder, .ieee754TotalOrder: break
      default: return false
      }
    }
    for group in reader.metadata.rowGroups where leaf < group.columns.count {
      if group.columns[leaf].metaData?.type == .int96 { return false }
    }
    return true
  }
}

/// What the Parquet statistics of one row group say about the predicate's columns, in the
/// table's types and logical column paths.
///
/// Bounds are converted to the table's type the way ``ColumnConformer`` converts values, and
/// only where that conversion preserves order; integer bounds that do not fit a narrower table
/// type are dropped (the values would wrap). Partition columns are exact; a column the file does
/// not hold is all null.
struct RowGroupStatisticsSource: StatisticsSource {
  private struct Column {
    var min: ScalarValue?
    var max: ScalarValue?
    var nullCount: Int64?
    var exact = false
    var isMaxExact = true
  }

  let rowCount: Int64?
  private var statistics: [ColumnPath: Column] = [:]

  init(rowGroup: Int, rowCount: Int64, reader: ParquetFileReader, columns: RowGroupColumns) {
    self.rowCount = rowCount
    for (path, source) in columns.columns {
      switch source {
      case .unknown:
        continue
      case .allNull:
        statistics[path] = Column(nullCount: rowCount)
      case .partition(let value):
        statistics[path] =
          value.isNull
          ? Column(nullCount: rowCount, exact: true) : Column(min: value, max: value, nullCount: 0, exact: true)
      case .leaf(let leaf, let type):
        let chunk = reader.statistics(rowGroup: rowGroup, leaf: leaf)
        var column = Column()
        column.nullCount = chunk.nullCount.map { Int64($0) }
        if columns.boundsAreTrusted(leaf: leaf), let min = chunk.min, let max = chunk.max,
          let low = Self.bound(min, as: type), let high = Self.bound(max, as: type)
        {
          column.min = low
          column.max = high
          column.isMaxExact = chunk.isMaxExact
          column.exact = Self.hasExactBounds(file: max.type, table: type)
        }
        statistics[path] = column
      }
    }
  }

  func minValue(_ column: ColumnPath) -> ScalarValue? { statistics[column]?.min }
  func maxValue(_ column: ColumnPath) -> ScalarValue? { statistics[column]?.max }
  func nullCount(_ column: ColumnPath) -> Int64? { statistics[column]?.nullCount }
  func isMaxExact(_ column: ColumnPath) -> Bool { statistics[column]?.isMaxExact ?? true }
  func hasExactBounds(_ column: ColumnPath) -> Bool { statistics[column]?.exact ?? false }

  /// Whether bounds of a file type read as `table` are exact. Timestamps in ms or µs are (Parquet
  /// statistics are not truncated to milliseconds as Delta's are); nanoseconds are not (the value
  /// read is truncated toward zero, the bound rounded down). Strings never are: some writers
  /// truncate them without saying so.
  static func hasExactBounds(file: DataType, table: DataType) -> Bool {
    guard case .timestamp = table else { return false }
    switch file {
    case .timestamp(let unit, _): return unit != .nanosecond
    case .date, .int64: return true
    default: return false
    }
  }

  /// A one-row statistics vector of the file as a bound of the values read as `type`, or nil
  /// when the conversion the reader applies would not keep it a bound.
  static func bound(_ vector: ColumnVector, as type: DataType) -> ScalarValue? {
    guard vector.count == 1 else { return nil }
    let source = vector.type
    let value = ScalarValue(from: vector, row: 0)
    if value.isNull { return nil }
    switch type {
    case .boolean:
      return source == .boolean ? value : nil
    case .int8, .int16, .int32, .int64:
      guard source.isInteger, case .int64(let integer) = value, type.integerRange?.contains(integer) == true else {
        return nil
      }
      return value
    case .float32, .float64:
      switch (source, value) {
      case (_, .int64(let integer)) where source.isInteger:
        return .float64(type == .float32 ? Double(Float(integer)) : Double(integer))
      case (.float32, .float64(let number)), (.float64, .float64(let number)):
        return .float64(type == .float32 ? Double(Float(number)) : number)
      default: return nil
      }
    case .decimal:
      switch (source, value) {
      case (.decimal, .decimal): return StatisticsValue.coerce(value, to: type)
      case (_, .int64) where source.isInteger: return StatisticsValue.coerce(value, to: type)
      default: return nil
      }
    case .date:
      switch (source, value) {
      case (.date, .date): return value
      case (.int32, .int64(let days)): return Int32(exactly: days).map { .date($0) }
      default: return nil
      }
    case .timestamp(_, let utc):
      switch (source, value) {
      case (.timestamp, .timestamp(let micros, _)), (.int64, .int64(let micros)):
        return .timestamp(micros, utc: utc)
      case (.date, .date(let days)):
        let (micros, overflow) = Int64(days).multipliedReportingOverflow(by: 86_400_000_000)
        return overflow ? nil : .timestamp(micros, utc: utc)
      default: return nil
      }
    case .string:
      switch value {
      case .string: return source == .string || source == .binary ? value : nil
      case .binary(let bytes) where source == .binary:
        return String(validating: bytes, as: UTF8.self).map { .string($0) } ?? value
      default: return nil
      }
    case .binary:
      switch value {
      case .binary: return source == .binary || source == .string ? value : nil
      case .string(let text) where source == .string: return .binary(Array(text.utf8))
      default: return nil
      }
    default:
      return nil
    }
  }
}

extension DataType {
  fileprivate var isInteger: Bool {
    switch self {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
    default: false
    }
  }

  /// The values a signed integer type holds.
  fileprivate var integerRange: ClosedRange<Int64>? {
    switch self {
    case .int8: Int64(Int8.min)...Int64(Int8.max)
    case .int16: Int64(Int16.min)...Int64(Int16.max)
    case .int32: Int64(Int32.min)...Int64(Int32.max)
    case .int64: Int64.min...Int64.max
    default: nil
    }
  }
}
