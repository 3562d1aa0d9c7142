import Testing

@testable import Columnar

@Suite struct ValueRendererTests {
  func json(_ column: ColumnVector, row: Int = 0) -> String {
    var out: [UInt8] = []
    ValueRenderer.appendValue(column, row: row, json: true, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  @Test(arguments: [
    (Int64(0), "1970-01-01"), (-1, "1969-12-31"), (18_628, "2021-01-01"), (2_932_896, "9999-12-31"),
    (2_932_897, "+10000-01-01"), (-719_528, "0000-01-01"), (-719_529, "-00001-12-31"),
  ])
  func dates(days: Int64, text: String) {
    var out: [UInt8] = []
    CalendarFormatting.appendDate(days: days, to: &out)
    #expect(String(decoding: out, as: UTF8.self) == text)
    let (year, month, day) = CalendarFormatting.civil(fromDays: days)
    #expect(CalendarFormatting.days(year: year, month: month, day: day) == days)
  }

  @Test func timestamps() {
    let micros = ColumnVector(type: .timestamp(.microsecond, utc: true), count: 2, storage: .int64([-1, 1_600_000_000_123_456]))
    #expect(json(micros, row: 0) == "\"1969-12-31T23:59:59.999999Z\"")
    #expect(json(micros, row: 1) == "\"2020-09-13T12:26:40.123456Z\"")
    let nanos = ColumnVector(type: .timestamp(.nanosecond, utc: false), count: 1, storage: .int64([1_000_000_001]))
    #expect(json(nanos) == "\"1970-01-01T00:00:01.000000001\"")
    let millis = ColumnVector(type: .time(.millisecond), count: 1, storage: .int64([3_723_004]))
    #expect(json(millis) == "\"01:02:03.004000\"")
  }

  @Test func extremeTimestampsDoNotOverflow() {
    let column = ColumnVector(
      type: .timestamp(.nanosecond, utc: true), count: 2, storage: .int64([Int64.min, Int64.max]))
    #expect(json(column, row: 0) == "\"1677-09-21T00:12:43.145224192Z\"")
    #expect(json(column, row: 1) == "\"2262-04-11T23:47:16.854775807Z\"")
    let micros = ColumnVector(type: .timestamp(.microsecond, utc: false), count: 1, storage: .int64([Int64.min]))
    #expect(json(micros).hasPrefix("\"-"))
  }

  @Test func decimals() {
    let column = ColumnVector(
      type: .decimal(precision: 38, scale: 3), count: 4,
      storage: .int128([12_000, -5, 0, Int128("99999999999999999999999999999999999999")!]))
    #expect(json(column, row: 0) == "\"12.000\"")
    #expect(json(column, row: 1) == "\"-0.005\"")
    #expect(json(column, row: 2) == "\"0.000\"")
    #expect(json(column, row: 3) == "\"99999999999999999999999999999999999.999\"")
  }

  @Test func floatsAndSpecials() {
    let floats = ColumnVector(type: .float32, count: 3, storage: .float32([36.504, .nan, -.infinity]))
    #expect(json(floats, row: 0) == "36.504")
    #expect(json(floats, row: 1) == "\"NaN\"")
    #expect(json(floats, row: 2) == "\"-Infinity\"")
  }

  @Test func binaryUUIDAndEscapes() {
    let binary = ColumnVector(type: .binary, count: 1, storage: .binary(offsets: [0, 4], bytes: [0, 1, 2, 255]))
    #expect(json(binary) == "\"AAEC/w==\"")
    let uuid = ColumnVector(type: .uuid, count: 1, storage: .binary(offsets: [0, 16], bytes: Array(0..<16)))
    #expect(json(uuid) == "\"00010203-0405-0607-0809-0a0b0c0d0e0f\"")
    let text = ColumnVector(type: .string, count: 1, storage: .binary(offsets: [0, 5], bytes: Array("a\"\\\n\u{1}".utf8)))
    #expect(json(text) == "\"a\\\"\\\\\\n\\u0001\"")
  }

  @Test func nestedValues() throws {
    let values = ColumnVector(type: .int32, count: 3, storage: .int32([1, 2, 3]))
    let list = ColumnVector(
      type: .list(Field("element", .int32)), count: 3, validity: Bitmap(words: [0b101], count: 3),
      storage: .list(offsets: [0, 2, 2, 3], values: values))
    #expect(json(list, row: 0) == "[1,2]")
    #expect(json(list, row: 1) == "null")
    #expect(json(list, row: 2) == "[3]")
    let keys = ColumnVector(type: .string, count: 1, storage: .binary(offsets: [0, 1], bytes: Array("k".utf8)))
    let mapValues = ColumnVector.nulls(.int64, count: 1)
    let map = ColumnVector(
      type: .map(key: Field("key", .string, nullable: false), value: Field("value", .int64)), count: 1,
      storage: .map(offsets: [0, 1], keys: keys, values: mapValues))
    #expect(json(map) == "[[\"k\",null]]")
    let structure = ColumnVector(
      type: .structure([Field("a", .int32), Field("b", .list(Field("element", .int32)))]), count: 1,
      storage: .structure([
        ColumnVector(type: .int32, count: 1, storage: .int32([7])),
        ColumnVector(type: .list(Field("element", .int32)), count: 1, storage: .list(offsets: [0, 0], values: values)),
      ]))
    #expect(json(structure) == "{\"a\":7,\"b\":[]}")
  }
}
