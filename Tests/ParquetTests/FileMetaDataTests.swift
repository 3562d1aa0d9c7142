import Foundation
import Parquet
import Testing

/// What pyarrow reported about the fixtures (`Fixtures/format/facts.json`, written by
/// `make_format_fixtures.py`).
struct FormatFacts: Decodable {
  enum Scalar: Decodable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case string(String)

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Bool.self) {
        self = .bool(value)
      } else if let value = try? container.decode(Int.self) {
        self = .int(value)
      } else {
        self = .string(try container.decode(String.self))
      }
    }

    var description: String {
      switch self {
      case .bool(let value): "\(value)"
      case .int(let value): "\(value)"
      case .string(let value): value
      }
    }
  }

  struct Leaf: Decodable {
    var path: String
    var physicalType: String
    var convertedType: String
    var logicalType: [String: Scalar]?
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
  }

  struct Stats: Decodable {
    var nullCount: Int64?
    var distinctCount: Int64?
    var min: String?
    var max: String?
  }

  struct Chunk: Decodable {
    var pathInSchema: String
    var physicalType: String
    var compression: String
    var encodings: [String]
    var numValues: Int64
    var totalCompressedSize: Int64
    var totalUncompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var hasColumnIndex: Bool
    var hasOffsetIndex: Bool
    var statistics: Stats?
  }

  struct Group: Decodable {
    var numRows: Int64
    var totalByteSize: Int64
    var columns: [Chunk]
  }

  struct File: Decodable {
    var numRows: Int64
    var numColumns: Int
    var createdBy: String
    var formatVersion: String
    var serializedSize: Int
    var keyValueMetadata: [String: String]
    var leaves: [Leaf]
    var rowGroups: [Group]
  }

  var pyarrow: String
  var files: [String: File]

  static func load() throws -> FormatFacts {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let data = try Data(contentsOf: FormatFixtures.directory.appendingPathComponent("facts.json"))
    return try decoder.decode(FormatFacts.self, from: data)
  }
}

/// A leaf of the schema tree with the levels its ancestors imply.
struct FormatSchemaLeaf {
  var path: [String]
  var element: SchemaElement
  var maxDefinitionLevel: Int
  var maxRepetitionLevel: Int
}

/// Rebuilds the leaves from the depth-first schema list.
func formatSchemaLeaves(_ schema: [SchemaElement]) throws -> [FormatSchemaLeaf] {
  var leaves: [FormatSchemaLeaf] = []
  var index = 1
  func visit(path: [String], definition: Int, repetition: Int) throws {
    let element = try #require(index < schema.count ? schema[index] : nil)
    index += 1
    let definition = definition + (element.repetitionType == .required ? 0 : 1)
    let repetition = repetition + (element.repetitionType == .repeated ? 1 : 0)
    let path = path + [element.name]
    if let children = element.numChildren {
      for _ in 0..<children { try visit(path: path, definition: definition, repetition: repetition) }
    } else {
      leaves.append(
        FormatSchemaLeaf(path: path, element: element, maxDefinitionLevel: definition, maxRepetitionLevel: repetition))
    }
  }
  let root = try #require(schema.first)
  for _ in 0..<(root.numChildren ?? 0) { try visit(path: [], definition: 0, repetition: 0) }
  #expect(index == schema.count, "schema has elements outside the tree")
  return leaves
}

/// The logical type as pyarrow's `LogicalType.to_json()` spells the keys we model.
func formatPyarrowView(of type: LogicalType?) -> [String: FormatFacts.Scalar]? {
  func unit(_ unit: ParquetTimeUnit) -> FormatFacts.Scalar {
    switch unit {
    case .millis: .string("milliseconds")
    case .micros: .string("microseconds")
    case .nanos: .string("nanoseconds")
    }
  }
  guard let type else { return nil }
  switch type {
  case .string: return ["Type": .string("String")]
  case .map: return ["Type": .string("Map")]
  case .list: return ["Type": .string("List")]
  case .enum: return ["Type": .string("Enum")]
  case .decimal(let scale, let precision):
    return ["Type": .string("Decimal"), "scale": .int(Int(scale)), "precision": .int(Int(precision))]
  case .date: return ["Type": .string("Date")]
  case .time(let utc, let u): return ["Type": .string("Time"), "isAdjustedToUTC": .bool(utc), "timeUnit": unit(u)]
  case .timestamp(let utc, let u):
    return ["Type": .string("Timestamp"), "isAdjustedToUTC": .bool(utc), "timeUnit": unit(u)]
  case .integer(let bits, let signed):
    return ["Type": .string("Int"), "bitWidth": .int(Int(bits)), "isSigned": .bool(signed)]
  case .unknown: return ["Type": .string("Null")]
  case .json: return ["Type": .string("JSON")]
  case .bson: return ["Type": .string("BSON")]
  case .uuid: return ["Type": .string("UUID")]
  case .float16: return ["Type": .string("Float16")]
  default: return ["Type": .string("\(type)")]
  }
}

func formatHex(_ bytes: [UInt8]?) -> String? {
  bytes.map { $0.map { String(format: "%02x", $0) }.joined() }
}

@Suite("FileMetaData and PageHeader on pyarrow fixtures")
struct FileMetaDataTests {
  static let fixtureNames = [
    "primitives_snappy.parquet", "nested_zstd.parquet", "dictionary_v2_pages.parquet",
    "encodings_v1_uncompressed.parquet", "empty.parquet",
  ]

  @Test("footers match what pyarrow reports", arguments: fixtureNames)
  func footerFacts(name: String) throws {
    let facts = try #require(try FormatFacts.load().files[name])
    let file = try FormatFixtures.fixture(name)
    let footer = try FormatFixtures.footer(of: file)
    #expect(footer.count == facts.serializedSize)
    let metadata = try FileMetaData.decode(footer)
    #expect(try file.withUnsafeBytes { try FileMetaData.decode(fileTail: $0) } == metadata)

    #expect(metadata.numRows == facts.numRows)
    #expect(metadata.createdBy == facts.createdBy)
    #expect(metadata.version == (facts.formatVersion == "1.0" ? 1 : 2))
    var keyValues: [String: String] = [:]
    for pair in metadata.keyValueMetadata ?? [] { keyValues[pair.key] = pair.value ?? "" }
    #expect(keyValues == facts.keyValueMetadata)

    let leaves = try formatSchemaLeaves(metadata.schema)
    try #require(leaves.count == facts.leaves.count)
    #expect(leaves.count == facts.numColumns)
    for (leaf, expected) in zip(leaves, facts.leaves) {
      #expect(leaf.path.joined(separator: ".") == expected.path)
      #expect(leaf.element.type?.description == expected.physicalType)
      let converted = leaf.element.convertedType?.description ?? "NONE"
      if expected.convertedType == "NONE", case .timestamp(false, _)? = leaf.element.logicalType {
        // parquet-cpp also writes TIMESTAMP_* for local timestamps, for old readers, but
        // pyarrow reports the converted type implied by the logical type, which is none.
        #expect(converted == "NONE" || converted.hasPrefix("TIMESTAMP_"), "\(expected.path)")
      } else {
        #expect(converted == expected.convertedType, "\(expected.path)")
      }
      #expect(leaf.maxDefinitionLevel == expected.maxDefinitionLevel, "\(expected.path)")
      #expect(leaf.maxRepetitionLevel == expected.maxRepetitionLevel, "\(expected.path)")
      let ours = formatPyarrowView(of: leaf.element.logicalType)
      if let theirs = expected.logicalType, let ours {
        for (key, value) in ours { #expect(theirs[key] == value, "\(expected.path) logical type \(key)") }
      } else {
        #expect(ours == nil && expected.logicalType == nil, "\(expected.path) logical type")
      }
    }
    if let orders = metadata.columnOrders { #expect(orders.count == leaves.count) }

    try #require(metadata.rowGroups.count == facts.rowGroups.count)
    for (group, expected) in zip(metadata.rowGroups, facts.rowGroups) {
      #expect(group.numRows == expected.numRows)
      #expect(group.totalByteSize == expected.totalByteSize)
      try #require(group.columns.count == expected.columns.count)
      for (chunk, expectedChunk) in zip(group.columns, expected.columns) {
        let meta = try #require(chunk.metaData)
        let path = expectedChunk.pathInSchema
        #expect(meta.pathInSchema.joined(separator: ".") == path)
        #expect(meta.type.description == expectedChunk.physicalType)
        #expect(meta.codec.description == expectedChunk.compression)
        #expect(meta.encodings.map(\.description).sorted() == expectedChunk.encodings.sorted(), "\(path)")
        #expect(meta.numValues == expectedChunk.numValues)
        #expect(meta.totalCompressedSize == expectedChunk.totalCompressedSize)
        #expect(meta.totalUncompressedSize == expectedChunk.totalUncompressedSize)
        #expect(meta.dataPageOffset == expectedChunk.dataPageOffset)
        #expect(meta.dictionaryPageOffset == expectedChunk.dictionaryPageOffset)
        #expect((chunk.columnIndexOffset != nil) == expectedChunk.hasColumnIndex)
        #expect((chunk.offsetIndexOffset != nil) == expectedChunk.hasOffsetIndex)
        if let stats = expectedChunk.statistics {
          let ours = try #require(meta.statistics, "\(path) has no statistics")
          #expect(ours.nullCount == stats.nullCount, "\(path)")
          #expect(ours.distinctCount == stats.distinctCount, "\(path)")
          #expect(formatHex(ours.minValue ?? ours.min) == stats.min, "\(path) min")
          #expect(formatHex(ours.maxValue ?? ours.max) == stats.max, "\(path) max")
        }
      }
    }
  }

  @Test("footers re-encode to equal metadata (and to the same bytes)", arguments: fixtureNames)
  func reencode(name: String) throws {
    let footer = try FormatFixtures.footer(of: try FormatFixtures.fixture(name))
    let metadata = try FileMetaData.decode(footer)
    let encoded = metadata.encoded()
    #expect(try FileMetaData.decode(encoded) == metadata)
    // We model every field pyarrow writes, in its field order, so the bytes agree too.
    #expect(encoded == footer)
  }

  @Test("every page header of every column chunk decodes", arguments: fixtureNames)
  func pageHeaders(name: String) throws {
    let file = try FormatFixtures.fixture(name)
    let metadata = try FileMetaData.decode(try FormatFixtures.footer(of: file))
    var pageTypes: Set<PageType> = []
    for group in metadata.rowGroups {
      for chunk in group.columns {
        let meta = try #require(chunk.metaData)
        let walk = try FormatFixtures.walkPages(of: meta, in: file)
        #expect(walk.dataValues == meta.numValues, "\(meta.pathInSchema)")
        #expect((walk.headers.first?.type == .dictionaryPage) == (meta.dictionaryPageOffset != nil))
        #expect(walk.headers.dropFirst().allSatisfy { $0.type != .dictionaryPage })
        for header in walk.headers {
          pageTypes.insert(header.type)
          switch header.type {
          case .dataPage: #expect(header.dataPageHeader != nil)
          case .dataPageV2: #expect(header.dataPageHeaderV2 != nil)
          case .dictionaryPage: #expect(header.dictionaryPageHeader != nil)
          default: Issue.record("unexpected page type \(header.type)")
          }
        }
      }
    }
    switch name {
    case "dictionary_v2_pages.parquet": #expect(pageTypes == [.dictionaryPage, .dataPageV2])
    case "empty.parquet": #expect(pageTypes.isSubset(of: [.dataPage, .dictionaryPage]))
    default: #expect(pageTypes.isSubset(of: [.dataPage, .dictionaryPage]) && pageTypes.contains(.dataPage))
    }
  }

  @Test("the dictionary/v2 fixture has page indexes, CRCs, sorting columns and a bloom filter")
  func dictionaryFixtureDetails() throws {
    let file = try FormatFixtures.fixture("dictionary_v2_pages.parquet")
    let metadata = try FileMetaData.decode(try FormatFixtures.footer(of: file))
    #expect(metadata.rowGroups.count == 3)
    for group in metadata.rowGroups {
      #expect(group.sortingColumns == [SortingColumn(columnIdx: 1, descending: false, nullsFirst: true)])
      #expect(group.fileOffset != nil && group.totalCompressedSize != nil)
      for chunk in group.columns {
        #expect(chunk.offsetIndexOffset != nil && chunk.offsetIndexLength != nil)
        let meta = try #require(chunk.metaData)
        #expect(meta.codec == .gzip)
        #expect((meta.bloomFilterOffset != nil) == (meta.pathInSchema == ["color"]))
        let walk = try FormatFixtures.walkPages(of: meta, in: file)
        #expect(walk.headers.allSatisfy { $0.crc != nil })
        if meta.pathInSchema == ["x"] {
          // 100 plain doubles in pages of about 256 bytes.
          #expect(walk.headers.count >= 2, "small pages give several data pages per chunk")
        }

        // The offset index lists the same data pages the walk found.
        let offsetIndexStart = Int(try #require(chunk.offsetIndexOffset))
        let offsetIndexLength = Int(try #require(chunk.offsetIndexLength))
        let offsets = try OffsetIndex(
          compactBytes: Array(file[offsetIndexStart..<(offsetIndexStart + offsetIndexLength)]))
        #expect(offsets.pageLocations.count == walk.headers.filter { $0.type == .dataPageV2 }.count)
        #expect(offsets.pageLocations.first?.firstRowIndex == 0)
        if let columnIndexStart = chunk.columnIndexOffset.map(Int.init), let length = chunk.columnIndexLength {
          let columnIndex = try ColumnIndex(
            compactBytes: Array(file[columnIndexStart..<(columnIndexStart + Int(length))]))
          #expect(columnIndex.nullPages.count == offsets.pageLocations.count)
          #expect(columnIndex.minValues.count == offsets.pageLocations.count)
        }
      }
      let color = try #require(group.columns.first?.metaData)
      #expect(color.encodingStats?.contains { $0.pageType == .dictionaryPage } == true)
    }
  }

  @Test("nested fixture: LIST and MAP groups carry their annotations")
  func nestedAnnotations() throws {
    let metadata = try FileMetaData.decode(
      try FormatFixtures.footer(of: try FormatFixtures.fixture("nested_zstd.parquet")))
    let byName = Dictionary(metadata.schema.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(byName["tags"]?.logicalType == .list)
    #expect(byName["tags"]?.convertedType == .list)
    #expect(byName["scores"]?.logicalType == .map)
    #expect(byName["scores"]?.convertedType == .map)
    #expect(byName["key_value"]?.repetitionType == .repeated)
    #expect(byName["point"]?.numChildren == 2)
  }

  @Test("primitives fixture: physical details pyarrow does not report")
  func primitiveDetails() throws {
    let metadata = try FileMetaData.decode(
      try FormatFixtures.footer(of: try FormatFixtures.fixture("primitives_snappy.parquet")))
    let byName = Dictionary(metadata.schema.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(byName["fixed"]?.typeLength == 4)
    #expect(byName["uuid"]?.typeLength == 16)
    #expect(byName["f16"]?.typeLength == 2)
    #expect(byName["dec38"]?.scale == 10 && byName["dec38"]?.precision == 38)
    #expect(byName["nulls"]?.logicalType == .unknown)
    #expect(metadata.columnOrders?.allSatisfy { $0 == .typeDefinedOrder } == true)
  }
}
