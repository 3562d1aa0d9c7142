import Storage

/// A leaf's writer, one case per value encoder, so every call reaches fully specialized code
/// (a generic class behind an existential would run unspecialized).
enum ColumnWriter {
  case boolean(LeafChunkWriter<BooleanValueEncoder>)
  case int32(LeafChunkWriter<FixedWidthValueEncoder<Int32>>)
  case int64(LeafChunkWriter<FixedWidthValueEncoder<Int64>>)
  case float(LeafChunkWriter<FixedWidthValueEncoder<Float>>)
  case double(LeafChunkWriter<FixedWidthValueEncoder<Double>>)
  case bytes(LeafChunkWriter<ByteArrayValueEncoder>)

  var plan: LeafColumn {
    switch self {
    case .boolean(let writer): writer.plan
    case .int32(let writer): writer.plan
    case .int64(let writer): writer.plan
    case .float(let writer): writer.plan
    case .double(let writer): writer.plan
    case .bytes(let writer): writer.plan
    }
  }

  /// Encodes one slice of rows, cutting pages as they fill.
  func append(_ shredded: ShreddedLeaf) throws(ParquetError) {
    switch self {
    case .boolean(let writer): try writer.append(shredded)
    case .int32(let writer): try writer.append(shredded)
    case .int64(let writer): try writer.append(shredded)
    case .float(let writer): try writer.append(shredded)
    case .double(let writer): try writer.append(shredded)
    case .bytes(let writer): try writer.append(shredded)
    }
  }

  /// Bytes held for the chunk in progress.
  var bufferedByteCount: Int {
    switch self {
    case .boolean(let writer): writer.bufferedByteCount
    case .int32(let writer): writer.bufferedByteCount
    case .int64(let writer): writer.bufferedByteCount
    case .float(let writer): writer.bufferedByteCount
    case .double(let writer): writer.bufferedByteCount
    case .bytes(let writer): writer.bufferedByteCount
    }
  }

  /// Ends the chunk, writes its pages to `file` and starts the next chunk empty.
  func writeChunk(to file: inout any WritableFile) throws(ParquetError) -> ColumnMetaData {
    switch self {
    case .boolean(let writer): try writer.writeChunk(to: &file)
    case .int32(let writer): try writer.writeChunk(to: &file)
    case .int64(let writer): try writer.writeChunk(to: &file)
    case .float(let writer): try writer.writeChunk(to: &file)
    case .double(let writer): try writer.writeChunk(to: &file)
    case .bytes(let writer): try writer.writeChunk(to: &file)
    }
  }
}

/// Picks each leaf's writer and settings from the options.
enum ColumnWriterFactory {
  static func makeWriter(for plan: LeafColumn, options: ParquetWriteOptions) throws(ParquetError) -> ColumnWriter {
    let settings = try settings(for: plan, options: options)
    switch plan.physicalType {
    case .boolean:
      return .boolean(
        LeafChunkWriter(plan: plan, settings: settings, values: BooleanValueEncoder(plan: plan, settings: settings)))
    case .int32:
      return .int32(
        LeafChunkWriter(plan: plan, settings: settings, values: FixedWidthValueEncoder(plan: plan, settings: settings)))
    case .int64:
      return .int64(
        LeafChunkWriter(plan: plan, settings: settings, values: FixedWidthValueEncoder(plan: plan, settings: settings)))
    case .float:
      return .float(
        LeafChunkWriter(plan: plan, settings: settings, values: FixedWidthValueEncoder(plan: plan, settings: settings)))
    case .double:
      return .double(
        LeafChunkWriter(plan: plan, settings: settings, values: FixedWidthValueEncoder(plan: plan, settings: settings)))
    case .byteArray, .fixedLenByteArray:
      return .bytes(
        LeafChunkWriter(plan: plan, settings: settings, values: ByteArrayValueEncoder(plan: plan, settings: settings)))
    case .int96:
      throw ParquetError(.unsupported, "column '\(plan.dottedPath)': INT96 is not written")
    }
  }

  static func settings(for plan: LeafColumn, options: ParquetWriteOptions) throws(ParquetError) -> ColumnSettings {
    let physical = plan.physicalType
    var encoding = options.setting(options.columnEncodings, path: plan.path) ?? .plain
    if physical == .boolean && options.dataPageVersion == .v2
      && options.setting(options.columnEncodings, path: plan.path) == nil
    {
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
      codec: options.compression, compressionLevel: options.compressionLevel,
      storesIncompressiblePages: options.storesIncompressiblePages, pageVersion: options.dataPageVersion,
      pageSize: options.dataPageSize, pageRowLimit: options.dataPageRowLimit, statistics: options.statisticsEnabled,
      dictionary: dictionary, dictionaryLimit: options.dictionaryPageSizeLimit, encoding: encoding)
  }
}
