import Testing

@testable import Parquet

@Suite struct EncodingDictionaryGatherTests {
  @Test func fixedWidth() throws {
    let dictionary: [Int64] = [10, 20, 30]
    let indices: [Int32] = [2, 0, 1, 1, 2]
    var out = [Int64](repeating: 0, count: 5)
    try dictionary.withUnsafeBufferPointer { d in
      try indices.withUnsafeBufferPointer { i in
        try out.withUnsafeMutableBufferPointer { try DictionaryGather.gather(d, indices: i, into: $0.baseAddress!) }
      }
    }
    #expect(out == [30, 10, 20, 20, 30])
    let raw: [UInt8] = [1, 2, 3, 4, 5, 6]
    var flba = [UInt8](repeating: 0, count: 6)
    try raw.withUnsafeBytes { d in
      try [Int32(1), 0].withUnsafeBufferPointer { i in
        try flba.withUnsafeMutableBytes {
          try DictionaryGather.gatherRaw(d, width: 3, indices: i, into: $0.baseAddress!)
        }
      }
    }
    #expect(flba == [4, 5, 6, 1, 2, 3])
  }

  @Test func byteArrays() throws {
    let words = [Array("apple".utf8), [], Array("kiwi".utf8)]
    let (dOffsets, dBytes) = joinValues(words)
    let indices: [Int32] = [2, 1, 0, 0, 2, 1]
    var offsets: [Int32] = []
    var bytes: [UInt8] = []
    try dOffsets.withUnsafeBufferPointer { o in
      try dBytes.withUnsafeBytes { b in
        try indices.withUnsafeBufferPointer { i in
          try DictionaryGather.gatherByteArrays(
            dictionaryOffsets: o, dictionaryBytes: b, indices: i, offsets: &offsets, bytes: &bytes)
        }
      }
    }
    #expect(splitValues(offsets, bytes) == indices.map { words[Int($0)] })
  }

  @Test func badIndices() throws {
    for bad: Int32 in [3, -1, .max, .min] {
      let indices: [Int32] = [0, 1, bad, 2]
      do {
        try indices.withUnsafeBufferPointer { try DictionaryGather.validateIndices($0, dictionaryCount: 3) }
        Issue.record("index \(bad) accepted")
      } catch let error as ParquetError {
        #expect(error.code == .corrupt)
        #expect(error.message.contains("index \(bad)") && error.message.contains("value 2"), "\(error)")
      }
    }
    // Empty dictionary: any index is bad, no index is fine.
    try [Int32]().withUnsafeBufferPointer { try DictionaryGather.validateIndices($0, dictionaryCount: 0) }
    expectParquetError {
      try [Int32(0)].withUnsafeBufferPointer { try DictionaryGather.validateIndices($0, dictionaryCount: 0) }
    }
    var out = [Int32](repeating: 0, count: 1)
    expectParquetError {
      try [Int32(5)].withUnsafeBufferPointer { d in
        try [Int32(1)].withUnsafeBufferPointer { i in
          try out.withUnsafeMutableBufferPointer { try DictionaryGather.gather(d, indices: i, into: $0.baseAddress!) }
        }
      }
    }
  }
}
