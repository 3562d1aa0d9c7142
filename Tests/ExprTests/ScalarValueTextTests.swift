import Columnar
import Testing

@testable import Expr

@Suite struct ScalarValueTextTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let text: String
    let type: DataType
    let expected: ScalarValue
    var testDescription: String { "'\(text)' as \(type)" }
    init(_ text: String, _ type: DataType, _ expected: ScalarValue) {
      self.text = text
      self.type = type
      self.expected = expected
    }
  }

  static let day = Int64(86_400_000_000)

  /// Values as Delta writers put them in partition values and statistics (several taken from
  /// the conformance corpus logs).
  static let cases: [Case] = [
    Case("true", .boolean, .boolean(true)),
    Case("FALSE", .boolean, .boolean(false)),
    Case("0", .int8, int(0)),
    Case("-128", .int8, int(-128)),
    Case("9223372036854775807", .int64, int(.max)),
    Case("-9223372036854775808", .int64, int(.min)),
    Case("2021.0", .int32, int(2021)),
    Case("+7", .int16, int(7)),
    Case("4294967295", .uint32, int(4_294_967_295)),
    Case("18446744073709551615", .uint64, dec(Int128(UInt64.max), 0, precision: 20)),
    Case("0.0", .float64, dbl(0)),
    Case("4.661261177E7", .float64, dbl(46_612_611.77)),
    Case("-2342342.23423", .float64, dbl(-2_342_342.23423)),
    Case("NaN", .float64, dbl(.nan)),
    Case("Infinity", .float64, dbl(.infinity)),
    Case("-Infinity", .float64, dbl(-.infinity)),
    // A float32 statistic stands for the Float nearest to it, not the Double.
    Case("46.566", .float32, dbl(Double(Float(46.566)))),
    Case("12.000000000000000000", .decimal(precision: 38, scale: 18), dec(12_000_000_000_000_000_000, 18)),
    Case("0.00004", .decimal(precision: 10, scale: 5), dec(4, 5, precision: 10)),
    Case("24580.48", .decimal(precision: 10, scale: 2), dec(2_458_048, 2, precision: 10)),
    Case("12345678901.23456", .decimal(precision: 20, scale: 7), dec(123_456_789_012_345_600, 7, precision: 20)),
    Case("-1.5", .decimal(precision: 5, scale: 3), dec(-1500, 3, precision: 5)),
    Case("1.25E+3", .decimal(precision: 6, scale: 1), dec(12500, 1, precision: 6)),
    Case("1E-2", .decimal(precision: 4, scale: 2), dec(1, 2, precision: 4)),
    Case("3.10", .decimal(precision: 4, scale: 1), dec(31, 1, precision: 4)),
    Case("0", .decimal(precision: 4, scale: 2), dec(0, 2, precision: 4)),
    Case("hello", .string, str("hello")),
    Case("😈", .string, str("😈")),
    Case("", .string, str("")),
    Case("null", .string, str("null")),
    Case("\u{1}\u{2}", .binary, .binary([1, 2])),
    Case(
      "0123456789abcdef0123456789ABCDEF", .uuid,
      .binary([
        0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
      ])),
    Case("2021-09-08", .date, .date(18878)),
    Case("1970-01-01", .date, .date(0)),
    Case("1969-12-31", .date, .date(-1)),
    Case("2024-02-29", .date, .date(19782)),
    Case("+10000-01-01", .date, .date(2_932_897)),
    Case("-0001-01-01", .date, .date(-719_893)),
    // Timestamps: the partition forms and the statistics forms.
    Case("1970-01-02 08:45:00", .timestamp(.microsecond, utc: true), ts(day + 31_500_000_000)),
    Case("2024-01-01T10:00:00.000000Z", .timestamp(.microsecond, utc: true), ts(1_704_103_200_000_000)),
    Case("1970-01-01T00:00:00.003Z", .timestamp(.microsecond, utc: true), ts(3000)),
    Case("2000-01-01T00:00:00.000-08:00", .timestamp(.microsecond, utc: true), ts(946_713_600_000_000)),
    Case("2000-01-01T08:00:00+0000", .timestamp(.microsecond, utc: true), ts(946_713_600_000_000)),
    Case("2000-01-01 09:00:00 +01", .timestamp(.microsecond, utc: true), ts(946_713_600_000_000)),
    Case("2000-01-01 08:00:00 UTC", .timestamp(.microsecond, utc: true), ts(946_713_600_000_000)),
    Case("2020-01-01 08:09:10.001", .timestamp(.microsecond, utc: true), ts(1_577_866_150_001_000)),
    Case("1969-01-01 00:00:00", .timestamp(.microsecond, utc: true), ts(-31_536_000_000_000)),
    Case("1970-01-01 00:00:00.123456789", .timestamp(.nanosecond, utc: true), ts(123_456)),
    Case("1970-01-01 00:00", .timestamp(.microsecond, utc: true), ts(0)),
    Case("1970-01-02", .timestamp(.microsecond, utc: true), ts(day)),
    Case("2021-11-18 02:30:00.123456", .timestamp(.microsecond, utc: false), ts(1_637_202_600_123_456, utc: false)),
    Case("1971-06-24T11:56:06.000", .timestamp(.microsecond, utc: false), ts(46_612_566_000_000, utc: false)),
    // A wall-clock timestamp ignores a zone.
    Case("1970-01-01T01:00:00+01:00", .timestamp(.microsecond, utc: false), ts(3_600_000_000, utc: false)),
    Case("12:30:00.5", .time(.microsecond), int(45_000_500_000)),
    // The empty string is null for every type but strings and binaries.
    Case("", .int64, .null),
    Case("", .date, .null),
    Case("", .binary, .binary([])),
  ]

  @Test(arguments: cases)
  func parse(_ testCase: Case) throws {
    let value = try ScalarValue.parse(testCase.text, as: testCase.type)
    if testCase.expected.isNaN {
      #expect(value.isNaN)
    } else {
      #expect(value == testCase.expected)
    }
  }

  struct BadCase: CustomTestStringConvertible, Sendable {
    let text: String
    let type: DataType
    let code: ExprError.Code
    var testDescription: String { "'\(text)' as \(type)" }
    init(_ text: String, _ type: DataType, _ code: ExprError.Code) {
      self.text = text
      self.type = type
      self.code = code
    }
  }

  static let badCases: [BadCase] = [
    BadCase("yes", .boolean, .invalidValue),
    BadCase("12a", .int64, .invalidValue),
    BadCase("1.2.3", .int64, .invalidValue),
    BadCase("128", .int8, .outOfRange),
    BadCase("-1", .uint16, .outOfRange),
    BadCase("9223372036854775808", .int64, .outOfRange),
    BadCase("2021.5", .int32, .outOfRange),
    BadCase("0x10", .float64, .invalidValue),
    BadCase("nan(0x1)", .float64, .invalidValue),
    BadCase("1.005", .decimal(precision: 5, scale: 2), .outOfRange),
    BadCase("1000", .decimal(precision: 5, scale: 2), .outOfRange),
    BadCase("1e", .decimal(precision: 5, scale: 2), .invalidValue),
    BadCase("2021-13-01", .date, .outOfRange),
    BadCase("2021-02-29", .date, .outOfRange),
    BadCase("2021-1-01", .date, .invalidValue),
    BadCase("21-01-01", .date, .invalidValue),
    BadCase("2021-01-01x", .date, .invalidValue),
    BadCase("2021-01-01 25:00:00", .timestamp(.microsecond, utc: true), .outOfRange),
    BadCase("2021-01-01T10:00:00+25:00", .timestamp(.microsecond, utc: true), .outOfRange),
    BadCase("yesterday", .timestamp(.microsecond, utc: true), .invalidValue),
    BadCase("0123", .uuid, .invalidValue),
    BadCase("{}", .structure([]), .unsupportedType),
  ]

  @Test(arguments: badCases)
  func rejects(_ testCase: BadCase) {
    #expect {
      try ScalarValue.parse(testCase.text, as: testCase.type)
    } throws: { error in
      guard let error = error as? ExprError else { return false }
      return error.code == testCase.code && (error.message.contains(testCase.text) || error.code == .unsupportedType)
    }
  }

  @Test func partitionValuesTreatEmptyAndMissingAsNull() throws {
    #expect(try ScalarValue.parsePartitionValue(nil, as: .string) == .null)
    #expect(try ScalarValue.parsePartitionValue("", as: .string) == .null)
    #expect(try ScalarValue.parsePartitionValue("", as: .int32) == .null)
    #expect(try ScalarValue.parsePartitionValue("x", as: .string) == str("x"))
    let partition = try PartitionValues(
      parsing: ["year": "2024", "region": nil, "day": "2024-01-02"],
      types: ["year": .int32, "day": .date])
    #expect(partition.values == ["year": int(2024), "region": .null, "day": .date(19724)])
    #expect {
      try PartitionValues(parsing: ["year": "20x4"], types: ["year": .int32])
    } throws: { error in
      (error as? ExprError)?.message.contains("partition column 'year'") == true
    }
  }

  static let renderCases: [(ScalarValue, DataType, String)] = [
    (.null, .int64, ""),
    (.boolean(true), .boolean, "true"),
    (int(-42), .int64, "-42"),
    (dbl(1.5), .float64, "1.5"),
    (dbl(1e-7), .float64, "1e-07"),
    (dbl(.nan), .float64, "NaN"),
    (dbl(-.infinity), .float64, "-Infinity"),
    (dec(1250, 2, precision: 5), .decimal(precision: 5, scale: 2), "12.50"),
    (dec(-5, 3, precision: 5), .decimal(precision: 5, scale: 3), "-0.005"),
    (str("a b/c"), .string, "a b/c"),
    (.date(-1), .date, "1969-12-31"),
    (.date(2_932_897), .date, "+10000-01-01"),
    (ts(1_704_103_200_000_001), .timestamp(.microsecond, utc: true), "2024-01-01T10:00:00.000001Z"),
    (ts(-1, utc: false), .timestamp(.microsecond, utc: false), "1969-12-31 23:59:59.999999"),
  ]

  @Test func renderWritesDeltaPartitionText() throws {
    for (value, type, text) in Self.renderCases {
      #expect(value.render() == text)
      let back = try ScalarValue.parse(text, as: type)
      #expect(back == value || (back.isNaN && value.isNaN) || (value.isNull && text.isEmpty))
    }
  }

  @Test func renderRoundTripsRandomValues() throws {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<3000 {
      let micros = Int64.random(in: -8_000_000_000_000_000...8_000_000_000_000_000, using: &generator)
      let utc = Bool.random(using: &generator)
      let timestamp = ts(micros, utc: utc)
      #expect(try ScalarValue.parse(timestamp.render(), as: .timestamp(.microsecond, utc: utc)) == timestamp)
      let days = Int32.random(in: -800_000...3_000_000, using: &generator)
      #expect(try ScalarValue.parse(ScalarValue.date(days).render(), as: .date) == .date(days))
      let scale = Int.random(in: 0...38, using: &generator)
      let unscaled =
        Int128(Int64.random(in: .min ... .max, using: &generator)) * Int128(Int32.random(in: -9...9, using: &generator))
      let decimal = dec(unscaled, scale)
      #expect(try ScalarValue.parse(decimal.render(), as: .decimal(precision: 38, scale: scale)) == decimal)
      let double = Double(bitPattern: UInt64.random(in: 0 ... .max, using: &generator))
      let parsed = try ScalarValue.parse(dbl(double).render(), as: .float64)
      #expect(parsed == dbl(double) || (double.isNaN && parsed.isNaN))
      let integer = Int64.random(in: .min ... .max, using: &generator)
      #expect(try ScalarValue.parse(int(integer).render(), as: .int64) == int(integer))
    }
  }

  @Test func descriptionIsSQLLiteral() {
    #expect(ScalarValue.null.description == "NULL")
    #expect(str("it's").description == "'it''s'")
    #expect(ScalarValue.binary([0x0A, 0xFF]).description == "X'0AFF'")
    #expect(ScalarValue.date(0).description == "DATE '1970-01-01'")
    #expect(ts(0).description == "TIMESTAMP '1970-01-01 00:00:00.000000+00:00'")
    #expect(ts(0, utc: false).description == "TIMESTAMP_NTZ '1970-01-01 00:00:00.000000'")
    #expect(dbl(.nan).description == "CAST('NaN' AS DOUBLE)")
    #expect(dec(-5, 1).description == "-0.5")
  }
}
