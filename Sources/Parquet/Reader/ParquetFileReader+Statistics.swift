public import Columnar

/// The statistics of one column chunk, decoded into the leaf's Columnar type.
public struct ChunkStatistics: Sendable {
  public var nullCount: Int?
  /// One-row vectors holding the lower and upper bounds, when the file has trustworthy ones.
  public var min: ColumnVector?
  public var max: ColumnVector?
  /// False when the writer marked a bound as not exact (truncated strings, for example).
  public var isMinExact: Bool
  public var isMaxExact: Bool
}

extension ChunkStatistics: CustomStringConvertible {
  public var description: String {
    var parts: [String] = []
    if let nullCount { parts.append("nulls=\(nullCount)") }
    if let min { parts.append("min=\(ValueRenderer.text(min, row: 0))") }
    if let max { parts.append("max=\(ValueRenderer.text(max, row: 0))") }
    return parts.joined(separator: " ")
  }
}

extension ParquetFileReader {
  /// The statistics of the chunk of leaf column `leaf` in row group `rowGroup`.
  ///
  /// Bounds come from `min_value`/`max_value`; the deprecated `min`/`max` are used only where
  /// their signed ordering agrees with the type's (they were written with a wrong, signed byte
  /// order for strings, decimals and unsigned integers by older writers).
  public func statistics(rowGroup: Int, leaf: Int) -> ChunkStatistics {
    var result = ChunkStatistics(nullCount: nil, min: nil, max: nil, isMinExact: true, isMaxExact: true)
    guard rowGroup >= 0, rowGroup < metadata.rowGroups.count, leaf >= 0, leaf < schema.leaves.count,
      leaf < metadata.rowGroups[rowGroup].columns.count,
      let stats = metadata.rowGroups[rowGroup].columns[leaf].metaData?.statistics
    else { return result }
    let description = schema.leaves[leaf]
    result.nullCount = stats.nullCount.map { Int($0) }
    var minBytes = stats.minValue
    var maxBytes = stats.maxValue
    if minBytes == nil && maxBytes == nil && Self.legacyOrderIsRight(description) {
      minBytes = stats.min
      maxBytes = stats.max
    }
    result.min = minBytes.flatMap { decodeBound($0, description) }
    result.max = maxBytes.flatMap { decodeBound($0, description) }
    result.isMinExact = stats.isMinValueExact ?? true
    result.isMaxExact = stats.isMaxValueExact ?? true
    return result
  }

  /// The index of the leaf column at a dotted path such as `a.b.c`.
  public func leafIndex(path: [String]) -> Int? {
    schema.leaves.firstIndex { $0.path == path }
  }

  private static func legacyOrderIsRight(_ leaf: ColumnDescriptor) -> Bool {
    switch leaf.type {
    case .boolean, .int8, .int16, .int32, .int64, .float32, .float64, .date, .timestamp, .time: true
    default: false
    }
  }

  private func decodeBound(_ bytes: [UInt8], _ leaf: ColumnDescriptor) -> ColumnVector? {
    var values = DenseValues.empty(leaf.physicalType)
    let decoded: Bool = bytes.withUnsafeBytes { raw in
      switch leaf.physicalType {
      case .byteArray:
        // Statistics hold the raw bytes, without PLAIN's length prefix.
        guard bytes.count <= Int(Int32.max) else { return false }
        values = .bytes(offsets: [0, Int32(bytes.count)], data: bytes)
        return true
      default:
        return (try? ValueDecoding.decode(
          encoding: .plain, physical: leaf.physicalType, typeLength: leaf.typeLength, count: 1, bytes: raw,
          into: &values)) != nil
      }
    }
    guard decoded, values.count == 1 else { return nil }
    return try? LeafConversionKernels.convert(values, leaf: leaf)
  }
}
