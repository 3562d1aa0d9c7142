/// Picks each leaf's writer and settings from the options.
enum ColumnWriterFactory {
  static func makeWriter(for plan: LeafColumn, options: ParquetWriteOptions) throws(ParquetError)
    -> any ColumnChunkWriting
  {
    let settings = try settings(for: plan, options: options)
    switch plan.physicalType {
    case .boolean:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: BooleanValueEncoder(plan: plan, settings: settings))
    case .int32:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: FixedWidthValueEncoder<Int32>(plan: plan, settings: settings))
    case .int64:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: FixedWidthValueEncoder<Int64>(plan: plan, settings: settings))
    case .float:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: FixedWidthValueEncoder<Float>(plan: plan, settings: settings))
    case .double:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: FixedWidthValueEncoder<Double>(plan: plan, settings: settings))
    case .byteArray, .fixedLenByteArray:
      return LeafChunkWriter(
        plan: plan, settings: settings, values: ByteArrayValueEncoder(plan: plan, settings: settings))
    case .int96:
      throw ParquetError(.unsupported, "column '\(plan.dottedPath)': INT96 is not written")
    }
  }

  static func settings(for plan: LeafColumn, options: ParquetWriteOptions) throws(ParquetError) -> ColumnSettings {
    let physical = plan.physicalType
    var encoding = options.setting(options.columnEncodings, path: plan.path) ?? .plain
    if physical == .boolean && options.dataPageVersion == .v2 && options.setting(options.columnEncodings, path: plan.path) == nil {
      encoding = .rle
    }
    let allowed: [PhysicalType]
    switch encoding {
    case .plain: allowed = PhysicalType.allCases
    case .rle: allowed = [.boolean]
    case .deltaBinaryPacked: allowed = [.int32, .int64]
    case .deltaLengthByteArray: allowed = [.byteArray]
    case .deltaByteArray: allowed = [.byteArray, .fixedLenByteArray]
    case .byteStreamSplit: allowed = [.float, .double, .int32, .int64, .fixedLenByteArray]
    default: allowed = []
    }
    guard allowed.contains(physical) else {
      throw ParquetError(
        .invalidArgument, "column '\(plan.dottedPath)' (\(physical)) cannot be written with encoding \(encoding)")
    }
    let dictionary =
      physical != .boolean && plan.order != .none
      && (options.setting(options.columnDictionary, path: plan.path) ?? options.dictionaryEnabled)
    return ColumnSettings(
      codec: options.compression, compressionLevel: options.compressionLevel, pageVersion: options.dataPageVersion,
      pageSize: options.dataPageSize, pageRowLimit: options.dataPageRowLimit, statistics: options.statisticsEnabled,
      dictionary: dictionary, dictionaryLimit: options.dictionaryPageSizeLimit, encoding: encoding)
  }
}
