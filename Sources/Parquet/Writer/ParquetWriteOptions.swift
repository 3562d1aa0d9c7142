/// How ``ParquetFileWriter`` lays out, encodes and compresses a file.
///
/// The defaults follow parquet-mr: SNAPPY, dictionary encoding with a 1 MiB dictionary limit,
/// 1 MiB data pages of at most 20,000 rows, data page v1, 128 MiB row groups of at most 1 M
/// rows, and statistics for every column.
///
/// Per-column settings (``columnDictionary``, ``columnEncodings``) are keyed by a column's
/// dotted path in the Parquet schema (`"address.city"`, `"tags.list.element"`,
/// `"attributes.key_value.value"`) or by the name of its top-level field, which then covers
/// every leaf below it. The dotted path wins over the top-level name.
public struct ParquetWriteOptions: Sendable {
  /// The version of the data pages.
  public enum DataPageVersion: Sendable, Hashable {
    /// `DATA_PAGE`: levels and values compressed together, levels with a 4-byte length prefix.
    case v1
    /// `DATA_PAGE_V2`: levels stored uncompressed before the compressed values.
    case v2
  }

  /// The compression of every page: `.snappy`, `.zstd`, `.gzip`, `.lz4Raw` or `.uncompressed`.
  public var compression: CompressionCodec = .snappy
  /// The codec's level (ZSTD 1...22, GZIP 1...9); nil for the codec's default.
  public var compressionLevel: Int?
  /// With SNAPPY, store a column's data pages as Snappy literals (still valid SNAPPY, read by
  /// every reader) for a while after a page shrank by less than 1/16: hashes and random ids
  /// barely compress, and searching them for matches is most of a write's CPU time. A page is
  /// compressed for real again after 4 stored pages, then 8, … up to 64 while it keeps failing.
  public var storesIncompressiblePages = true
  /// Dictionary-encode columns unless ``columnDictionary`` says otherwise for a column.
  public var dictionaryEnabled = true
  /// Per-column dictionary switches, overriding ``dictionaryEnabled``.
  public var columnDictionary: [String: Bool] = [:]
  /// The largest PLAIN-encoded dictionary of a column chunk: past it the chunk falls back to
  /// the column's non-dictionary encoding for the rest of its pages.
  public var dictionaryPageSizeLimit = 1 << 20
  /// The uncompressed size at which a data page is cut.
  public var dataPageSize = 1 << 20
  /// The most rows in one data page.
  public var dataPageRowLimit = 20_000
  public var dataPageVersion: DataPageVersion = .v1
  /// The buffered (encoded, compressed) size at which a row group is written out.
  public var rowGroupSize = 128 << 20
  /// The most rows in one row group.
  public var rowGroupRowLimit = 1_000_000
  /// Write min/max/null count statistics for every column chunk.
  public var statisticsEnabled = true
  /// Per-column value encodings for pages that are not dictionary-encoded: `.plain`,
  /// `.deltaBinaryPacked` (INT32, INT64), `.deltaLengthByteArray` (BYTE_ARRAY),
  /// `.deltaByteArray` (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) or `.byteStreamSplit` (FLOAT, DOUBLE,
  /// INT32, INT64, FIXED_LEN_BYTE_ARRAY). Columns not listed use PLAIN.
  public var columnEncodings: [String: Encoding] = [:]
  /// The footer's `created_by`, parquet-mr style: `<application> version <version> (build <hash>)`.
  public var createdBy = "avocet version 0.1.0"

  public init() {}

  /// Options with the given codec and everything else at its default.
  public init(compression: CompressionCodec) {
    self.compression = compression
  }

  /// The setting of `table` for a leaf at `path`: the dotted path first, then the top-level name.
  func setting<Value>(_ table: [String: Value], path: [String]) -> Value? {
    guard !table.isEmpty else { return nil }
    if let value = table[path.joined(separator: ".")] { return value }
    if let top = path.first { return table[top] }
    return nil
  }

  /// Checks the numbers make sense.
  func validate() throws(ParquetError) {
    func check(_ ok: Bool, _ message: String) throws(ParquetError) {
      if !ok { throw ParquetError(.invalidArgument, "ParquetWriteOptions: \(message)") }
    }
    try check(dataPageSize > 0, "dataPageSize must be positive, not \(dataPageSize)")
    try check(dataPageRowLimit > 0, "dataPageRowLimit must be positive, not \(dataPageRowLimit)")
    try check(rowGroupSize > 0, "rowGroupSize must be positive, not \(rowGroupSize)")
    try check(rowGroupRowLimit > 0, "rowGroupRowLimit must be positive, not \(rowGroupRowLimit)")
    try check(dictionaryPageSizeLimit >= 0, "dictionaryPageSizeLimit must not be negative")
    let codecs: [CompressionCodec] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw]
    try check(codecs.contains(compression), "cannot write with compression \(compression)")
  }
}
