import Testing

@testable import Columnar

@Suite struct ScatterTests {
  func validity(_ bits: [Bool]) -> Bitmap {
    var bitmap = Bitmap()
    for bit in bits { bitmap.append(bit) }
    return bitmap
  }

  @Test func fixedWidthValuesLandInValidSlots() throws {
    let pattern = (0..<150).map { $0 % 7 != 3 }
    let dense = ColumnVector(type: .int64, count: pattern.filter { $0 }.count,
      storage: .int64((0..<pattern.filter { $0 }.count).map { Int64($0) }))
    let spread = try dense.scattered(over: validity(pattern))
    guard case .int64(let values) = spread.storage else { Issue.record("wrong storage"); return }
    var next: Int64 = 0
    for (slot, valid) in pattern.enumerated() {
      #expect(spread.isNull(slot) == !valid)
      if valid {
        #expect(values[slot] == next)
        next += 1
      } else {
        #expect(values[slot] == 0)
      }
    }
  }

  @Test func stringsKeepTheirBytes() throws {
    let dense = ColumnVector(type: .string, count: 2, storage: .binary(offsets: [0, 2, 5], bytes: Array("abcde".utf8)))
    let spread = try dense.scattered(over: validity([false, true, false, true, false]))
    #expect(ValueRenderer.text(spread, row: 1) == "ab")
    #expect(ValueRenderer.text(spread, row: 3) == "cde")
    #expect(spread.isNull(4))
  }

  @Test func countMismatchThrows() {
    let dense = ColumnVector(type: .int32, count: 1, storage: .int32([1]))
    #expect(throws: ColumnarError.self) { try dense.scattered(over: validity([true, true])) }
  }
}
