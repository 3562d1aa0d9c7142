/// Decoder of DELTA_LENGTH_BYTE_ARRAY: DELTA_BINARY_PACKED lengths, then all value bytes back
/// to back. A batch's bytes are contiguous, so they are appended with one copy.
struct DeltaLengthByteArrayDecoder {
  let bytes: UnsafeRawBufferPointer
  let encoding: StaticString
  private var lengths: DeltaBinaryPackedDecoder
  /// Offset of the next value's bytes.
  private(set) var dataOffset: Int

  /// `maxValues` bounds the value count the lengths header may announce.
  init(
    _ bytes: UnsafeRawBufferPointer, maxValues: Int,
    encoding: StaticString = "DELTA_LENGTH_BYTE_ARRAY"
  ) throws(ParquetError) {
    self.bytes = bytes
    self.encoding = encoding
    lengths = try DeltaBinaryPackedDecoder(bytes, valueBits: 32, maxValues: maxValues, encoding: encoding)
    dataOffset = try lengths.endOffset()
  }

  /// Values in the page.
  var count: Int { lengths.totalCount }
  var remaining: Int { lengths.remaining }
  /// Bytes consumed so far; once every value is read, the length of the encoded data.
  var consumed: Int { dataOffset }

  /// Appends the next `count` values: bytes to `bytes`, end offsets to `offsets` (a leading 0
  /// first if it is empty).
  mutating func decode(count: Int, offsets: inout [Int32], bytes out: inout [UInt8]) throws(ParquetError) {
    if offsets.isEmpty { offsets.append(0) }
    guard count > 0 else { return }
    let base = out.count
    let firstNew = offsets.count
    do throws(ParquetError) {
      let total = try EncodingBuffer.appendZeroed(&offsets, count) { (ends) throws(ParquetError) -> Int in
        // Lengths land in the offsets' storage, then become running end offsets in place.
        try lengths.decode(into: ends)
        return try endsFromLengths(ends, base: base)
      }
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[dataOffset..<(dataOffset &+ total)]))
      dataOffset &+= total
    } catch {
      offsets.removeSubrange(firstNew...)
      throw error
    }
  }

  /// Decodes the next `count` lengths into `lengths` and consumes their bytes, returning where
  /// those start in `bytes` (DELTA_BYTE_ARRAY suffixes come through here).
  mutating func next(_ count: Int, lengths out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) -> Int {
    try lengths.decode(into: out)
    var total = 0
    for i in 0..<out.count {
      let length = Int(out[i])
      guard length >= 0 else {
        throw ParquetError(
          .corrupt, "\(encoding): negative length \(length) for value \(lengths.valuesRead &- out.count &+ i)")
      }
      total &+= length
    }
    guard total <= bytes.count &- dataOffset else {
      throw ParquetError(
        .truncated, "\(encoding): \(total) value bytes at byte \(dataOffset) run past the end (\(bytes.count) bytes)")
    }
    let start = dataOffset
    dataOffset &+= total
    return start
  }

  mutating func skip(_ count: Int) throws(ParquetError) {
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { (scratch) throws(ParquetError) in
      var left = count
      while left > 0 {
        let n = min(left, 256)
        _ = try next(n, lengths: UnsafeMutableBufferPointer(rebasing: scratch[0..<n]))
        left &-= n
      }
    }
  }

  /// Turns lengths into end offsets from `base`, checking each, and returns the bytes they span.
  private func endsFromLengths(_ ends: UnsafeMutableBufferPointer<Int32>, base: Int) throws(ParquetError) -> Int {
    let available = bytes.count &- dataOffset
    var end = base
    for i in 0..<ends.count {
      let length = Int(ends[i])
      guard length >= 0 else {
        throw ParquetError(
          .corrupt, "\(encoding): negative length \(length) for value \(lengths.valuesRead &- ends.count &+ i)")
      }
      end &+= length
      guard end &- base <= available else {
        throw ParquetError(
          .truncated, "\(encoding): value bytes at byte \(dataOffset) run past the end (\(bytes.count) bytes)")
      }
      guard end <= Int(Int32.max) else {
        throw ParquetError(.unsupported, "\(encoding): value bytes exceed the 2 GiB of 32-bit offsets")
      }
      ends[i] = Int32(truncatingIfNeeded: end)
    }
    return end &- base
  }
}

/// Encoder of DELTA_LENGTH_BYTE_ARRAY.
enum DeltaLengthByteArrayEncoder {
  /// Encodes the values given as `offsets` (count + 1 entries, non-decreasing) into `bytes`.
  static func encode(
    offsets: UnsafeBufferPointer<Int32>, bytes: UnsafeRawBufferPointer, into out: inout [UInt8]
  ) {
    let count = max(0, offsets.count &- 1)
    var lengths = DeltaBinaryPackedEncoder<Int32>()
    for i in 0..<count { lengths.append(offsets[i &+ 1] &- offsets[i]) }
    lengths.finish(into: &out)
    guard count > 0 else { return }
    let first = Int(offsets[0])
    let last = Int(offsets[count])
    precondition(first >= 0 && first <= last && last <= bytes.count, "byte array offsets out of range")
    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[first..<last]))
  }
}
