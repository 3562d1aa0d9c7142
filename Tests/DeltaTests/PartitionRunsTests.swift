import Columnar
import Testing

@testable import Delta

/// Rows whose partition values may differ from the previous row's are boundaries; a missed
/// boundary would put a row in the wrong partition directory.
@Suite struct PartitionRunsTests {
  @Test func typedColumnsMarkEveryChangeIncludingNulls() {
    var validity = Bitmap(repeating: true, count: 8)
    validity[3] = false
    validity[4] = false
    let years = ColumnVector(type: .int32, count: 8, validity: validity, storage: .int32([1, 1, 2, 7, 9, 9, 9, 9]))
    let names = ColumnVector(
      type: .string, count: 8,
      storage: .binary(offsets: [0, 1, 2, 3, 4, 5, 7, 9, 11], bytes: Array("aaaaabbbbcc".utf8)))
    // Rows: year 1,1,2,null,null,9,9,9 and name a,a,a,a,a,bb,bb,cc.
    #expect(PartitionRuns.boundaries([years], rowCount: 8) == [true, false, true, true, false, true, false, false])
    #expect(PartitionRuns.boundaries([names], rowCount: 8) == [true, false, false, false, false, true, false, true])
    #expect(
      PartitionRuns.boundaries([years, names], rowCount: 8) == [true, false, true, true, false, true, false, true])
  }

  @Test func dictionaryIndicesAndOtherStorage() {
    let dictionary = ColumnVector(type: .string, count: 2, storage: .binary(offsets: [0, 1, 2], bytes: Array("xy".utf8)))
    let codes = ColumnVector(type: .string, count: 4, storage: .dictionary(indices: [0, 0, 1, 1], dictionary: dictionary))
    #expect(PartitionRuns.boundaries([codes], rowCount: 4) == [true, false, true, false])
    let flags = ColumnVector(type: .boolean, count: 3, storage: .boolean(Bitmap(repeating: true, count: 3)))
    #expect(PartitionRuns.boundaries([flags], rowCount: 3) == [true, true, true])
    #expect(PartitionRuns.boundaries([], rowCount: 0) == [])
  }
}
