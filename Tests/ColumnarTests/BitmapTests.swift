import Testing

@testable import Columnar

@Suite struct BitmapTests {
  @Test(arguments: [0, 1, 63, 64, 65, 130])
  func repeatingKeepsTailClear(count: Int) {
    let ones = Bitmap(repeating: true, count: count)
    #expect(ones.setCount == count)
    #expect(ones.allSet)
    let zeros = Bitmap(repeating: false, count: count)
    #expect(zeros.setCount == 0)
  }

  @Test func appendAcrossWords() {
    var bitmap = Bitmap()
    var expected: [Bool] = []
    for index in 0..<200 {
      let bit = index % 3 == 0
      bitmap.append(bit)
      expected.append(bit)
    }
    bitmap.append(repeating: true, count: 70)
    expected += Array(repeating: true, count: 70)
    bitmap.append(repeating: false, count: 5)
    expected += Array(repeating: false, count: 5)
    #expect(bitmap.count == expected.count)
    for (index, bit) in expected.enumerated() { #expect(bitmap[index] == bit) }
    #expect(bitmap.setCount == expected.filter { $0 }.count)
  }

  @Test func packsBytes() {
    let bytes: [UInt8] = (0..<100).map { UInt8($0 % 2) }
    let bitmap = bytes.withUnsafeBufferPointer { Bitmap(bytes: $0) }
    #expect(bitmap.setCount == 50)
    #expect(bitmap[1] && !bitmap[0] && bitmap[99])
  }
}
