import Columnar
import Testing

@testable import Expr

@Suite struct ScalarValueColumnVectorTests {
  func validity(_ bits: [Bool]) -> Bitmap {
    var bitmap = Bitmap()
    for bit in bits { bitmap.append(bit) }
    return bitmap
  }

  func values(_ vector: ColumnVector) -> [ScalarValue] {
    (0..<vector.count).map { ScalarValue(from: vector, row: $0) }
  }

  @Test func fixedWidthStorages() {
    let mask = validity([true, false, true])
    #expect(
      values(ColumnVector(type: .int8, count: 3, validity: mask, storage: .int8([-1, 0, 7])))
        == [int(-1), .null, int(7)])
    #expect(values(ColumnVector(type: .int16, count: 1, storage: .int16([300]))) == [int(300)])
    #expect(values(ColumnVector(type: .int32, count: 1, storage: .int32([-5]))) == [int(-5)])
    #expect(values(ColumnVector(type: .date, count: 1, storage: .int32([19782]))) == [.date(19782)])
    #expect(values(ColumnVector(type: .int64, count: 1, storage: .int64([.min]))) == [int(.min)])
    #expect(values(ColumnVector(type: .uint8, count: 1, storage: .uint8([255]))) == [int(255)])
    #expect(values(ColumnVector(type: .uint16, count: 1, storage: .uint16([65535]))) == [int(65535)])
    #expect(values(ColumnVector(type: .uint32, count: 1, storage: .uint32([.max]))) == [int(4_294_967_295)])
    #expect(
      values(ColumnVector(type: .uint64, count: 2, storage: .uint64([5, .max])))
        == [int(5), dec(Int128(UInt64.max), 0, precision: 20)])
    #expect(values(ColumnVector(type: .float32, count: 1, storage: .float32([1.5]))) == [dbl(1.5)])
    #expect(values(ColumnVector(type: .float64, count: 1, storage: .float64([-0.25]))) == [dbl(-0.25)])
    // Half precision 0x3E00 is 1.5; 0xFC00 is -infinity.
    #expect(
      values(ColumnVector(type: .float16, count: 2, storage: .uint16([0x3E00, 0xFC00])))
        == [dbl(1.5), dbl(-.infinity)])
    #expect(ScalarValue.halfToDouble(0x3E00) == 1.5)
    #expect(ScalarValue.halfToDouble(0x0001) == 0x1p-24)
    #expect(ScalarValue.halfToDouble(0x7E00).isNaN)
    #expect(
      values(ColumnVector(type: .decimal(precision: 9, scale: 2), count: 1, storage: .int128([-1250])))
        == [dec(-1250, 2, precision: 9)])
    #expect(
      values(ColumnVector(type: .boolean, count: 2, storage: .boolean(validity([true, false]))))
        == [.boolean(true), .boolean(false)])
  }

  @Test func timestampsBecomeMicroseconds() {
    #expect(
      values(ColumnVector(type: .timestamp(.millisecond, utc: true), count: 1, storage: .int64([1500])))
        == [ts(1_500_000)])
    #expect(
      values(ColumnVector(type: .timestamp(.nanosecond, utc: false), count: 2, storage: .int64([1999, -1])))
        == [ts(1, utc: false), ts(-1, utc: false)])
    #expect(
      values(ColumnVector(type: .timestamp(.millisecond, utc: true), count: 1, storage: .int64([.max])))
        == [ts(.max)])
    #expect(values(ColumnVector(type: .time(.millisecond), count: 1, storage: .int64([2]))) == [int(2000)])
  }

  @Test func bytesAndDictionaries() {
    let bytes = Array("héllo😀".utf8) + [0xFF]
    let offsets: [Int32] = [0, 0, 6, 10, 11]
    #expect(
      values(ColumnVector(type: .string, count: 4, storage: .binary(offsets: offsets, bytes: bytes)))
        == [str(""), str("héllo"), str("😀"), str("\u{FFFD}")])
    #expect(
      values(ColumnVector(type: .binary, count: 4, storage: .binary(offsets: offsets, bytes: bytes)))[3]
        == .binary([0xFF]))
    let dictionary = ColumnVector(
      type: .string, count: 2, storage: .binary(offsets: [0, 5, 9], bytes: Array("allowdeny".utf8)))
    let encoded = ColumnVector(
      type: .string, count: 4, validity: validity([true, true, false, true]),
      storage: .dictionary(indices: [1, 0, 0, 1], dictionary: dictionary))
    #expect(values(encoded) == [str("deny"), str("allow"), .null, str("deny")])
  }

  @Test func nullsAndNested() {
    #expect(values(ColumnVector.nulls(.int64, count: 2)) == [.null, .null])
    #expect(values(ColumnVector(type: .null, count: 1, storage: .none)) == [.null])
    let child = ColumnVector(type: .int64, count: 1, storage: .int64([1]))
    let nested = ColumnVector(
      type: .structure([Field("a", .int64)]), count: 1, storage: .structure([child]))
    #expect(values(nested) == [.null])
  }
}
