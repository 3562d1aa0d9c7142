import Codecs
import Columnar
import Storage

/// The typed half of a leaf's writer: holds the open page's values and the dictionary.
protocol LeafValueEncoder {
  /// Takes the dense values of a slice; ``appendToPage(_:)`` then refers to them by index.
  mutating func load(_ shredded: ShreddedLeaf) throws(ParquetError)
  /// Adds loaded values `range` to the open page (PLAIN values straight into `page`).
  mutating func appendToPage(_ range: Range<Int>, page: PageBuffer) throws(ParquetError)
  /// Lets go of the loaded slice once its values are in pages: a file that waits between
  /// batches must not keep the last batch's buffers alive.
  mutating func unload()
  /// The open page's encoded value bytes not yet in the page buffer, estimated.
  var pageByteEstimate: Int { get }
  /// The bytes the dictionary holds.
  var dictionaryByteSize: Int { get }
  /// Completes the open page's values in `page` and tells the encoding used.
  mutating func flushPage(into page: PageBuffer) throws(ParquetError) -> Encoding
  /// The PLAIN dictionary page body and its entry count, if a page of the chunk used it.
  func dictionaryPage() -> (body: [UInt8], count: Int)?
  /// The chunk's statistics.
  mutating func statistics(nullCount: Int) -> Statistics
  /// Forgets the chunk for the next row group.
  mutating func resetChunk()
}

/// The settings of one leaf, resolved from ``ParquetWriteOptions``.
struct ColumnSettings: Sendable {
  var codec: CompressionCodec
  var compressionLevel: Int?
  var storesIncompressiblePages: Bool
  var pageVersion: ParquetWriteOptions.DataPageVersion
  var pageSize: Int
  var pageRowLimit: Int
  var statistics: Bool
  var dictionary: Bool
  var dictionaryLimit: Int
  /// The value encoding of pages that are not dictionary-encoded.
  var encoding: Encoding
}

/// Writes one leaf's column chunks: levels, page cutting at row boundaries, page headers and
/// compression; the values are `Values`'s business.
final class LeafChunkWriter<Values: LeafValueEncoder> {
  let plan: LeafColumn
  let settings: ColumnSettings
  private var values: Values
  private var definitionEncoder: RLEHybridEncoder
  private var repetitionEncoder: RLEHybridEncoder

  // The open page.
  private var pageLevels = 0
  private var pageRows = 0
  private var pageNulls = 0

  // The chunk in progress.
  private var dataPages = BufferedPages()
  private var chunkLevels: Int64 = 0
  private var chunkNulls = 0
  private var uncompressedSize: Int64 = 0
  private var compressedSize: Int64 = 0
  private var pageEncodings: [Encoding: Int32] = [:]
  /// Data pages still to store as Snappy literals, and the length of the last such run
  /// (``ParquetWriteOptions/storesIncompressiblePages``).
  private var literalPagesLeft = 0
  private var literalRun = 0

  // Scratch buffers reused from page to page.
  private let page = PageBuffer()
  private var levels: [UInt8] = []
  private var stored: [UInt8] = []

  /// Levels handed to the page per step between page-size checks.
  private static var stepRows: Int { 1024 }

  init(plan: LeafColumn, settings: ColumnSettings, values: Values) {
    self.plan = plan
    self.settings = settings
    self.values = values
    definitionEncoder = RLEHybridEncoder(bitWidth: BitPacking.bitWidth(of: UInt64(plan.maxDefinitionLevel)))
    repetitionEncoder = RLEHybridEncoder(bitWidth: BitPacking.bitWidth(of: UInt64(plan.maxRepetitionLevel)))
  }

  var bufferedByteCount: Int {
    dataPages.count + openPageEstimate + values.dictionaryByteSize
  }

  private var openPageEstimate: Int {
    definitionEncoder.encodedByteCount + repetitionEncoder.encodedByteCount + page.count + values.pageByteEstimate
  }

  func append(_ shredded: ShreddedLeaf) throws(ParquetError) {
    try values.load(shredded)
    defer { values.unload() }
    let levelCount = shredded.levelCount
    let maxDefinition = plan.maxDefinitionLevel
    let hasDefinition = maxDefinition > 0
    let hasRepetition = plan.maxRepetitionLevel > 0
    let definitions = shredded.definitionLevels
    let repetitions = shredded.repetitionLevels
    var level = 0
    var value = 0
    while level < levelCount {
      let rowBudget = Swift.min(Self.stepRows, settings.pageRowLimit - pageRows)
      var end: Int
      var rows: Int
      if hasRepetition {
        // Pages end on row boundaries: a row starts at repetition level 0.
        end = level + 1
        rows = 1
        while end < levelCount {
          if repetitions[end] == 0 {
            if rows == rowBudget { break }
            rows += 1
          }
          end += 1
        }
      } else {
        end = Swift.min(levelCount, level + rowBudget)
        rows = end - level
      }
      var present = end - level
      if hasDefinition && shredded.allDefined {
        let definition = Int32(maxDefinition)
        for _ in level..<end { definitionEncoder.append(definition) }
      } else if hasDefinition {
        present = 0
        for index in level..<end {
          let definition = definitions[index]
          if definition == maxDefinition { present += 1 }
          definitionEncoder.append(Int32(definition))
        }
      }
      if hasRepetition {
        for index in level..<end { repetitionEncoder.append(Int32(repetitions[index])) }
      }
      try values.appendToPage(value..<(value + present), page: page)
      pageLevels += end - level
      pageRows += rows
      pageNulls += end - level - present
      level = end
      value += present
      if pageRows >= settings.pageRowLimit || openPageEstimate >= settings.pageSize {
        try flushPage()
      }
    }
  }

  func writeChunk(to file: inout any WritableFile) throws(ParquetError) -> ColumnMetaData {
    try flushPage()
    var encodings: Set<Int32> = []
    var encodingStats: [PageEncodingStats] = []
    var dictionaryOffset: Int64?
    if let dictionary = values.dictionaryPage() {
      let stored = try compressed(dictionary.body)
      let header = PageHeader(
        type: .dictionaryPage, uncompressedPageSize: try pageSize(dictionary.body.count),
        compressedPageSize: try pageSize(stored.count),
        dictionaryPageHeader: DictionaryPageHeader(numValues: try pageSize(dictionary.count), encoding: .plain))
      let headerBytes = header.compactEncoded()
      dictionaryOffset = Int64(file.position)
      try ParquetFileWriter.write(headerBytes, to: &file)
      try ParquetFileWriter.write(stored, to: &file)
      uncompressedSize += Int64(headerBytes.count + dictionary.body.count)
      compressedSize += Int64(headerBytes.count + stored.count)
      encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
      encodings.insert(Encoding.plain.rawValue)
    }
    let dataOffset = Int64(file.position)
    try dataPages.forEach { (page) throws(ParquetError) in try ParquetFileWriter.write(page, to: &file) }
    let dataPageType: PageType = settings.pageVersion == .v1 ? .dataPage : .dataPageV2
    for (encoding, count) in pageEncodings.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      encodingStats.append(PageEncodingStats(pageType: dataPageType, encoding: encoding, count: count))
      encodings.insert(encoding.rawValue)
    }
    if plan.maxDefinitionLevel > 0 || plan.maxRepetitionLevel > 0 { encodings.insert(Encoding.rle.rawValue) }
    let metadata = ColumnMetaData(
      type: plan.physicalType, encodings: encodings.sorted().map { Encoding(rawValue: $0) }, pathInSchema: plan.path,
      codec: settings.codec, numValues: chunkLevels, totalUncompressedSize: uncompressedSize,
      totalCompressedSize: compressedSize, dataPageOffset: dataOffset, dictionaryPageOffset: dictionaryOffset,
      statistics: settings.statistics ? values.statistics(nullCount: chunkNulls) : nil, encodingStats: encodingStats)

    dataPages.removeAll()
    chunkLevels = 0
    chunkNulls = 0
    uncompressedSize = 0
    compressedSize = 0
    pageEncodings = [:]
    values.resetChunk()
    return metadata
  }

  /// Encodes, compresses and stores the open page.
  private func flushPage() throws(ParquetError) {
    guard pageLevels > 0 else { return }
    let hasDefinition = plan.maxDefinitionLevel > 0
    let hasRepetition = plan.maxRepetitionLevel > 0
    let isCompressed = settings.codec != .uncompressed
    let encoding = try values.flushPage(into: page)
    let header: PageHeader
    levels.removeAll(keepingCapacity: true)
    stored.removeAll(keepingCapacity: true)
    switch settings.pageVersion {
    case .v1:
      // [repetition levels][definition levels][values], compressed as one.
      if hasRepetition { repetitionEncoder.finish(into: &levels, lengthPrefixed: true) }
      if hasDefinition { definitionEncoder.finish(into: &levels, lengthPrefixed: true) }
      page.prepend(levels)
      let uncompressed = page.count
      try page.withUnsafeBytes { (body) throws(ParquetError) in
        if isCompressed {
          try compressDataPage(body, into: &stored)
        } else {
          stored.append(contentsOf: body)
        }
      }
      header = PageHeader(
        type: .dataPage, uncompressedPageSize: try pageSize(uncompressed),
        compressedPageSize: try pageSize(stored.count),
        dataPageHeader: DataPageHeader(
          numValues: try pageSize(pageLevels), encoding: encoding, definitionLevelEncoding: .rle,
          repetitionLevelEncoding: .rle))
      uncompressedSize += Int64(uncompressed)
    case .v2:
      // [repetition levels][definition levels] as they are, then the values compressed.
      if hasRepetition { repetitionEncoder.finish(into: &stored) }
      let repetitionLength = stored.count
      if hasDefinition { definitionEncoder.finish(into: &stored) }
      let definitionLength = stored.count - repetitionLength
      let uncompressed = stored.count + page.count
      try page.withUnsafeBytes { (body) throws(ParquetError) in
        if isCompressed {
          try compressDataPage(body, into: &stored)
        } else {
          stored.append(contentsOf: body)
        }
      }
      header = PageHeader(
        type: .dataPageV2, uncompressedPageSize: try pageSize(uncompressed),
        compressedPageSize: try pageSize(stored.count),
        dataPageHeaderV2: DataPageHeaderV2(
          numValues: try pageSize(pageLevels), numNulls: try pageSize(pageNulls), numRows: try pageSize(pageRows),
          encoding: encoding, definitionLevelsByteLength: Int32(definitionLength),
          repetitionLevelsByteLength: Int32(repetitionLength), isCompressed: isCompressed))
      uncompressedSize += Int64(uncompressed)
    }
    let headerBytes = header.compactEncoded()
    dataPages.append(header: headerBytes, body: stored)
    pageEncodings[encoding, default: 0] += 1
    uncompressedSize += Int64(headerBytes.count)
    compressedSize += Int64(headerBytes.count + stored.count)
    chunkLevels += Int64(pageLevels)
    chunkNulls += pageNulls
    page.removeAll()
    pageLevels = 0
    pageRows = 0
    pageNulls = 0
  }

  private func compressed(_ input: [UInt8]) throws(ParquetError) -> [UInt8] {
    guard settings.codec != .uncompressed else { return input }
    var output: [UInt8] = []
    var failure: ParquetError?
    input.withUnsafeBytes { raw in
      do throws(ParquetError) { try compress(raw, into: &output) } catch { failure = error }
    }
    if let failure { throw failure }
    return output
  }

  /// Appends a data page's body compressed to `output`, or stored as Snappy literals while the
  /// column has proved incompressible.
  private func compressDataPage(_ body: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ParquetError) {
    guard settings.codec == .snappy, settings.storesIncompressiblePages else {
      try compress(body, into: &output)
      return
    }
    if literalPagesLeft > 0 {
      literalPagesLeft -= 1
      Snappy.storeLiterally(body, into: &output)
      return
    }
    let before = output.count
    try compress(body, into: &output)
    if (output.count - before) * 16 > body.count * 15 {
      literalRun = min(64, max(4, literalRun * 2))
      literalPagesLeft = literalRun
    } else {
      literalRun = 0
    }
  }

  /// Appends `input` compressed with the column's codec to `output`.
  private func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ParquetError) {
    try PageCompression.compress(input, codec: settings.codec, level: settings.compressionLevel, into: &output)
  }

  private func pageSize(_ count: Int) throws(ParquetError) -> Int32 {
    guard let size = Int32(exactly: count) else {
      throw ParquetError(
        .invalidArgument, "column '\(plan.dottedPath)': a page of \(count) bytes or values is too large for Parquet")
    }
    return size
  }
}
