import Columnar
import Testing

@testable import Parquet

/// Dremel shredding of nested vectors, checked against hand-computed levels.
@Suite struct WriterShreddingTests {
  struct Levels: Equatable, CustomStringConvertible {
    var definitions: [Int16]
    var repetitions: [Int16]
    /// Positions of the non-null values in the leaf vector.
    var positions: [Int32]
    var description: String { "def \(definitions) rep \(repetitions) at \(positions)" }
  }

  /// Shreds the leaf at `path` of `batch`'s rows.
  static func levels(_ batch: RecordBatch, _ path: String, rows: Range<Int>? = nil) throws -> Levels {
    let schema = try WriterSchema(batch.schema)
    guard let plan = schema.leaves.first(where: { $0.dottedPath == path }) else {
      throw ParquetError(.invalidArgument, "no leaf \(path) in \(schema.leaves.map(\.dottedPath))")
    }
    var shredded = ShreddedLeaf()
    try shredded.shred(batch.columns[plan.fieldIndex], plan: plan, rows: rows ?? 0..<batch.rowCount)
    var definitions = shredded.definitionLevels
    if shredded.allDefined { definitions = Array(repeating: plan.maxDefinitionLevel, count: shredded.levelCount) }
    let positions = shredded.contiguousValues.map { $0.map { Int32($0) } } ?? shredded.valuePositions
    #expect(positions.count == shredded.valueCount)
    #expect(shredded.nullCount == definitions.filter { $0 < plan.maxDefinitionLevel }.count)
    return Levels(definitions: definitions, repetitions: shredded.repetitionLevels, positions: positions)
  }

  // MARK: The Dremel paper's document example

  static let language = [Field("Code", .string, nullable: false), Field("Country", .string)]
  static let name = [
    Field("Language", .list(Field("element", .structure(language), nullable: false)), nullable: false),
    Field("Url", .string),
  ]
  static let links = [
    Field("Backward", .list(Field("element", .int64, nullable: false)), nullable: false),
    Field("Forward", .list(Field("element", .int64, nullable: false)), nullable: false),
  ]
  static let documentSchema = Schema([
    Field("DocId", .int64, nullable: false),
    Field("Links", .structure(links)),
    Field("Name", .list(Field("element", .structure(name), nullable: false)), nullable: false),
  ])

  /// r1 and r2 of the paper (Melnik et al., "Dremel", figure 2).
  static func documents() throws -> RecordBatch {
    let int64 = Field("element", .int64, nullable: false)
    let linksVector = Build.structure(
      links,
      [
        Build.list(int64, lengths: [0, 2], values: Build.fixed([10, 30] as [Int64?], .int64) { .int64($0) }),
        Build.list(int64, lengths: [3, 1], values: Build.fixed([20, 40, 60, 80] as [Int64?], .int64) { .int64($0) }),
      ])
    // Names: r1 has three, r2 one. Languages per name: 2, 0, 1 | 0.
    let languages = Build.structure(
      language, [Build.strings(["en-us", "en", "en-gb"]), Build.strings(["us", nil, "gb"])])
    let names = Build.structure(
      name,
      [
        Build.list(Field("element", .structure(language), nullable: false), lengths: [2, 0, 1, 0], values: languages),
        Build.strings(["http://A", "http://B", nil, "http://C"]),
      ])
    return try RecordBatch(
      schema: documentSchema,
      columns: [
        Build.fixed([10, 20] as [Int64?], .int64) { .int64($0) }, linksVector,
        Build.list(Field("element", .structure(name), nullable: false), lengths: [3, 1], values: names),
      ], rowCount: 2)
  }

  @Test func dremelDocumentLevels() throws {
    let batch = try Self.documents()
    #expect(try Self.levels(batch, "DocId") == Levels(definitions: [], repetitions: [], positions: [0, 1]))
    #expect(
      try Self.levels(batch, "Links.Backward.list.element")
        == Levels(definitions: [1, 2, 2], repetitions: [0, 0, 1], positions: [0, 1]))
    #expect(
      try Self.levels(batch, "Links.Forward.list.element")
        == Levels(definitions: [2, 2, 2, 2], repetitions: [0, 1, 1, 0], positions: [0, 1, 2, 3]))
    #expect(
      try Self.levels(batch, "Name.list.element.Url")
        == Levels(definitions: [2, 2, 1, 2], repetitions: [0, 1, 1, 0], positions: [0, 1, 3]))
    #expect(
      try Self.levels(batch, "Name.list.element.Language.list.element.Code")
        == Levels(definitions: [2, 2, 1, 2, 1], repetitions: [0, 2, 1, 1, 0], positions: [0, 1, 2]))
    #expect(
      try Self.levels(batch, "Name.list.element.Language.list.element.Country")
        == Levels(definitions: [3, 2, 1, 3, 1], repetitions: [0, 2, 1, 1, 0], positions: [0, 2]))
  }

  @Test func dremelDocumentMaximumLevels() throws {
    let leaves = try WriterSchema(Self.documentSchema).leaves
    let levels = leaves.map { "\($0.dottedPath) \($0.maxDefinitionLevel) \($0.maxRepetitionLevel)" }
    #expect(
      levels == [
        "DocId 0 0", "Links.Backward.list.element 2 1", "Links.Forward.list.element 2 1",
        "Name.list.element.Language.list.element.Code 2 2",
        "Name.list.element.Language.list.element.Country 3 2", "Name.list.element.Url 2 1",
      ])
  }

  // MARK: Lists, maps, structs

  @Test func listWithNullsAndEmpties() throws {
    // [1, null], null, [], [2]
    let schema = Schema([Field("l", .list(Field("element", .int32)))])
    let elements = Build.fixed([1, nil, 2] as [Int32?], .int32) { .int32($0) }
    let batch = try RecordBatch(
      schema: schema, columns: [Build.list(Field("element", .int32), lengths: [2, nil, 0, 1], values: elements)],
      rowCount: 4)
    #expect(
      try Self.levels(batch, "l.list.element")
        == Levels(definitions: [3, 2, 0, 1, 3], repetitions: [0, 1, 0, 0, 0], positions: [0, 2]))
    // A slice starting inside: rows 1..<4.
    #expect(
      try Self.levels(batch, "l.list.element", rows: 1..<4)
        == Levels(definitions: [0, 1, 3], repetitions: [0, 0, 0], positions: [2]))
  }

  @Test func requiredListOfRequiredElements() throws {
    let element = Field("element", .int32, nullable: false)
    let schema = Schema([Field("l", .list(element), nullable: false)])
    let batch = try RecordBatch(
      schema: schema,
      columns: [
        Build.list(element, lengths: [3, 0, 1], values: Build.fixed([1, 2, 3, 4] as [Int32?], .int32) { .int32($0) })
      ],
      rowCount: 3)
    #expect(
      try Self.levels(batch, "l.list.element")
        == Levels(definitions: [1, 1, 1, 0, 1], repetitions: [0, 1, 1, 0, 0], positions: [0, 1, 2, 3]))
  }

  @Test func nullListEntriesIgnoreTheirOffsets() throws {
    // Row 1 is null but its offsets span two elements, as Arrow allows: they are skipped.
    let element = Field("element", .int32)
    let vector = ColumnVector(
      type: .list(element), count: 3, validity: Build.validity([true, false, true]),
      storage: .list(offsets: [0, 1, 3, 4], values: Build.fixed([1, 2, 3, 4] as [Int32?], .int32) { .int32($0) }))
    let batch = try RecordBatch(schema: Schema([Field("l", .list(element))]), columns: [vector], rowCount: 3)
    #expect(
      try Self.levels(batch, "l.list.element")
        == Levels(definitions: [3, 0, 3], repetitions: [0, 0, 0], positions: [0, 3]))
  }

  @Test func nestedLists() throws {
    // [[1, 2], [], null], [], null, [[3]]
    let inner = Field("element", .int32)
    let outer = Field("element", .list(inner))
    let values = Build.list(
      inner, lengths: [2, 0, nil, 1], values: Build.fixed([1, 2, 3] as [Int32?], .int32) { .int32($0) })
    let batch = try RecordBatch(
      schema: Schema([Field("l", .list(outer))]),
      columns: [Build.list(outer, lengths: [3, 0, nil, 1], values: values)],
      rowCount: 4)
    // Levels: l optional 1, list repeated 2, inner optional 3, inner list repeated 4, element optional 5.
    #expect(
      try Self.levels(batch, "l.list.element.list.element")
        == Levels(
          definitions: [5, 5, 3, 2, 1, 0, 5], repetitions: [0, 2, 1, 1, 0, 0, 0], positions: [0, 1, 2]))
  }

  @Test func mapLevels() throws {
    // {a: 1, b: null}, null, {}
    let key = Field("key", .string, nullable: false)
    let value = Field("value", .int32)
    let batch = try RecordBatch(
      schema: Schema([Field("m", .map(key: key, value: value))]),
      columns: [
        Build.map(
          key: key, value: value, lengths: [2, nil, 0], keys: Build.strings(["a", "b"]),
          values: Build.fixed([1, nil] as [Int32?], .int32) { .int32($0) })
      ], rowCount: 3)
    #expect(
      try Self.levels(batch, "m.key_value.key")
        == Levels(definitions: [2, 2, 0, 1], repetitions: [0, 1, 0, 0], positions: [0, 1]))
    #expect(
      try Self.levels(batch, "m.key_value.value")
        == Levels(definitions: [3, 2, 0, 1], repetitions: [0, 1, 0, 0], positions: [0]))
  }

  @Test func structsInLists() throws {
    // [{a: 1}, null, {a: null}], null
    let fields = [Field("a", .int32)]
    let element = Field("element", .structure(fields))
    let structs = Build.structure(
      fields, [Build.fixed([1, 7, nil] as [Int32?], .int32) { .int32($0) }], valid: [true, false, true])
    let batch = try RecordBatch(
      schema: Schema([Field("l", .list(element))]), columns: [Build.list(element, lengths: [3, nil], values: structs)],
      rowCount: 2)
    #expect(
      try Self.levels(batch, "l.list.element.a")
        == Levels(definitions: [4, 2, 3, 0], repetitions: [0, 1, 1, 0], positions: [0]))
  }

  @Test func structValidityHidesChildValues() throws {
    // A null struct hides whatever its child holds at that row.
    let fields = [Field("x", .int32, nullable: false), Field("y", .int32)]
    let batch = try RecordBatch(
      schema: Schema([Field("s", .structure(fields))]),
      columns: [
        Build.structure(
          fields,
          [
            Build.fixed([1, 2, 3] as [Int32?], .int32) { .int32($0) },
            Build.fixed([nil, 5, 6] as [Int32?], .int32) { .int32($0) },
          ], valid: [true, false, true])
      ], rowCount: 3)
    #expect(try Self.levels(batch, "s.x") == Levels(definitions: [1, 0, 1], repetitions: [], positions: [0, 2]))
    #expect(try Self.levels(batch, "s.y") == Levels(definitions: [1, 0, 2], repetitions: [], positions: [2]))
  }

  @Test func flatColumns() throws {
    let schema = Schema([
      Field("a", .int32), Field("b", .int32, nullable: false), Field("c", .string), Field("v", .null),
    ])
    let batch = try RecordBatch(
      schema: schema,
      columns: [
        Build.fixed([1, nil, 3, nil] as [Int32?], .int32) { .int32($0) },
        Build.fixed([1, 2, 3, 4] as [Int32?], .int32) { .int32($0) },
        Build.strings(["x", "y", "z", "w"]),
        ColumnVector(type: .null, count: 4, storage: .none),
      ], rowCount: 4)
    #expect(try Self.levels(batch, "a") == Levels(definitions: [1, 0, 1, 0], repetitions: [], positions: [0, 2]))
    #expect(try Self.levels(batch, "b") == Levels(definitions: [], repetitions: [], positions: [0, 1, 2, 3]))
    #expect(
      try Self.levels(batch, "c", rows: 1..<3) == Levels(definitions: [1, 1], repetitions: [], positions: [1, 2]))
    #expect(try Self.levels(batch, "v") == Levels(definitions: [0, 0, 0, 0], repetitions: [], positions: []))
  }

  @Test func dictionaryVectorInAList() throws {
    let element = Field("element", .string)
    let words = Build.dictionaryStrings([1, nil, 0], entries: ["a", "b"])
    let batch = try RecordBatch(
      schema: Schema([Field("l", .list(element))]), columns: [Build.list(element, lengths: [1, 2], values: words)],
      rowCount: 2)
    #expect(
      try Self.levels(batch, "l.list.element")
        == Levels(definitions: [3, 2, 3], repetitions: [0, 0, 1], positions: [0, 2]))
  }

  // MARK: Invalid input

  @Test func nullInRequiredColumnIsRejected() throws {
    let batch = try RecordBatch(
      schema: Schema([Field("a", .int32, nullable: false)]),
      columns: [Build.fixed([1, nil] as [Int32?], .int32) { .int32($0) }], rowCount: 2)
    #expect(throws: ParquetError.self) { try Self.levels(batch, "a") }
  }

  @Test func nullInRequiredListElementIsRejected() throws {
    let element = Field("element", .int32, nullable: false)
    let batch = try RecordBatch(
      schema: Schema([Field("l", .list(element))]),
      columns: [Build.list(element, lengths: [2], values: Build.fixed([1, nil] as [Int32?], .int32) { .int32($0) })],
      rowCount: 1)
    #expect(throws: ParquetError.self) { try Self.levels(batch, "l.list.element") }
  }

  @Test func offsetsBeyondTheValuesAreRejected() throws {
    let element = Field("element", .int32)
    let vector = ColumnVector(
      type: .list(element), count: 1,
      storage: .list(offsets: [0, 5], values: Build.fixed([1, 2] as [Int32?], .int32) { .int32($0) }))
    let batch = try RecordBatch(schema: Schema([Field("l", .list(element))]), columns: [vector], rowCount: 1)
    #expect(throws: ParquetError.self) { try Self.levels(batch, "l.list.element") }
  }

  @Test func storageThatDoesNotFitTheTypeIsRejected() throws {
    let vector = ColumnVector(type: .list(Field("element", .int32)), count: 1, storage: .int32([1]))
    let batch = try RecordBatch(
      schema: Schema([Field("l", .list(Field("element", .int32)))]), columns: [vector], rowCount: 1)
    #expect(throws: ParquetError.self) { try Self.levels(batch, "l.list.element") }
  }
}
