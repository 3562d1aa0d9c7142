import Columnar
import Delta

/// Units that could not be decoded and records that do not fit their table, with their raw text,
/// the error, and where they came from; committed to the dead-letter table.
struct DeadLetters {
  static let schema = Schema([
    Field("ingested_at", .timestamp(.microsecond, utc: true)),
    Field("source", .string),
    Field("stream", .string),
    Field("position", .int64),
    Field("table", .string),
    Field("error", .string),
    Field("raw", .string),
  ])

  private var ingestedAt: [Int64] = []
  private var sources: [String] = []
  private var streams: [String] = []
  private var positions: [Int64] = []
  private var tables: [String?] = []
  private var errors: [String] = []
  private var raws: [String] = []

  var count: Int { errors.count }

  mutating func add(source: String, stream: String, position: Int64, table: String?, error: String, raw: String, at time: Int64) {
    ingestedAt.append(time)
    sources.append(source)
    streams.append(stream)
    positions.append(position)
    tables.append(table)
    errors.append(error)
    raws.append(raw)
  }

  /// The letters as a batch; the buffer starts over.
  mutating func take() throws -> RecordBatch {
    func strings(_ values: [String?]) -> ColumnVector {
      var offsets: [Int32] = [0]
      var bytes: [UInt8] = []
      var validity = Bitmap()
      for value in values {
        if let value { bytes.append(contentsOf: value.utf8) }
        validity.append(value != nil)
        offsets.append(Int32(bytes.count))
      }
      let hasNull = values.contains { $0 == nil }
      return ColumnVector(
        type: .string, count: values.count, validity: hasNull ? validity : nil, storage: .binary(offsets: offsets, bytes: bytes))
    }
    let count = errors.count
    let batch = try RecordBatch(
      schema: Self.schema,
      columns: [
        ColumnVector(type: .timestamp(.microsecond, utc: true), count: count, storage: .int64(ingestedAt)),
        strings(sources), strings(streams),
        ColumnVector(type: .int64, count: count, storage: .int64(positions)),
        strings(tables), strings(errors), strings(raws),
      ], rowCount: count)
    self = DeadLetters()
    return batch
  }
}
