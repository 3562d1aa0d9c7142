/// Turning decoded dictionary indices into values. Every index is checked against the
/// dictionary first, in a branch-free pass, so the gathers themselves index unchecked.
enum DictionaryGather {
  /// Throws `.corrupt` naming the first index that is negative or not below `dictionaryCount`.
  static func validateIndices(_ indices: UnsafeBufferPointer<Int32>, dictionaryCount: Int) throws(ParquetError) {
    // As UInt32, a negative index is huge, so one maximum covers both bounds.
    var largest: UInt32 = 0
    for i in indices { largest = max(largest, UInt32(bitPattern: i)) }
    if Int(largest) < dictionaryCount { return }
    for (position, index) in indices.enumerated() where index < 0 || Int(index) >= dictionaryCount {
      throw ParquetError(
        .corrupt,
        "RLE_DICTIONARY: index \(index) at value \(position) is out of range for a dictionary of \(dictionaryCount) entries"
      )
    }
  }

  /// Fixed-width values: `out[i] = dictionary[indices[i]]`.
  static func gather<T: BitwiseCopyable>(
    _ dictionary: UnsafeBufferPointer<T>, indices: UnsafeBufferPointer<Int32>, into out: UnsafeMutablePointer<T>
  ) throws(ParquetError) {
    try validateIndices(indices, dictionaryCount: dictionary.count)
    guard let dict = dictionary.baseAddress else { return }
    for i in 0..<indices.count { out[i] = dict[Int(indices[i])] }
  }

  /// FIXED_LEN_BYTE_ARRAY (or any raw fixed-width) values of `width` bytes.
  static func gatherRaw(
    _ dictionary: UnsafeRawBufferPointer, width: Int, indices: UnsafeBufferPointer<Int32>,
    into out: UnsafeMutableRawPointer
  ) throws(ParquetError) {
    guard width > 0 else { return }
    try validateIndices(indices, dictionaryCount: dictionary.count / width)
    guard let dict = dictionary.baseAddress else { return }
    for i in 0..<indices.count {
      (out + i &* width).copyMemory(from: dict + Int(indices[i]) &* width, byteCount: width)
    }
  }

  /// Byte arrays: appends the selected dictionary values to `offsets`/`bytes` (a leading 0 first
  /// if `offsets` is empty). The dictionary is in the same offsets/bytes form.
  static func gatherByteArrays(
    dictionaryOffsets: UnsafeBufferPointer<Int32>, dictionaryBytes: UnsafeRawBufferPointer,
    indices: UnsafeBufferPointer<Int32>, offsets: inout [Int32], bytes out: inout [UInt8]
  ) throws(ParquetError) {
    let entries = max(0, dictionaryOffsets.count &- 1)
    try validateIndices(indices, dictionaryCount: entries)
    if offsets.isEmpty { offsets.append(0) }
    guard !indices.isEmpty, let dictOffsets = dictionaryOffsets.baseAddress else { return }
    // Size the output once; this pass also checks the entries used.
    var total = 0
    for i in indices {
      let start = Int(dictOffsets[Int(i)])
      let end = Int(dictOffsets[Int(i) &+ 1])
      guard start >= 0 && start <= end && end <= dictionaryBytes.count else {
        throw ParquetError(
          .corrupt, "dictionary entry \(i) has offsets \(start)..<\(end) outside its \(dictionaryBytes.count) bytes")
      }
      total &+= end &- start
    }
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: out.count, adding: total, encoding: "RLE_DICTIONARY")
    EncodingBuffer.appendZeroed(&out, total) { dst in
      EncodingBuffer.appendZeroed(&offsets, indices.count) { ends in
        var at = 0
        for (k, i) in indices.enumerated() {
          let start = Int(dictOffsets[Int(i)])
          let length = Int(dictOffsets[Int(i) &+ 1]) &- start
          if length > 0, let d = dst.baseAddress, let s = dictionaryBytes.baseAddress {
            (d + at).update(from: (s + start).assumingMemoryBound(to: UInt8.self), count: length)
          }
          at &+= length
          ends[k] = Int32(truncatingIfNeeded: base &+ at)
        }
      }
    }
  }
}
