/// Decoder of DELTA_BYTE_ARRAY (front coding) for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY: prefix
/// lengths (DELTA_BINARY_PACKED), then suffixes (DELTA_LENGTH_BYTE_ARRAY). Each value is the
/// first `prefix` bytes of the previous value followed by its suffix.
struct DeltaByteArrayDecoder {
  /// For FIXED_LEN_BYTE_ARRAY: the length every value must have.
  let fixedWidth: Int?
  private var prefixes: DeltaBinaryPackedDecoder
  private var suffixes: DeltaLengthByteArrayDecoder
  private let suffixesAt: Int
  /// The last value decoded: the source of the next value's prefix.
  private var previous: [UInt8] = []

  /// `maxValues` bounds the value count the headers may announce.
  init(_ bytes: UnsafeRawBufferPointer, maxValues: Int, fixedWidth: Int? = nil) throws(ParquetError) {
    if let fixedWidth, fixedWidth < 0 {
      throw ParquetError(.corrupt, "DELTA_BYTE_ARRAY: negative fixed width \(fixedWidth)")
    }
    self.fixedWidth = fixedWidth
    prefixes = try DeltaBinaryPackedDecoder(
      bytes, valueBits: 32, maxValues: maxValues, encoding: "DELTA_BYTE_ARRAY prefix lengths")
    suffixesAt = try prefixes.endOffset()
    suffixes = try DeltaLengthByteArrayDecoder(
      UnsafeRawBufferPointer(rebasing: bytes[suffixesAt...]), maxValues: maxValues,
      encoding: "DELTA_BYTE_ARRAY suffixes")
    guard suffixes.count == prefixes.totalCount else {
      throw ParquetError(
        .corrupt,
        "DELTA_BYTE_ARRAY: \(prefixes.totalCount) prefix lengths but \(suffixes.count) suffixes (at byte \(suffixesAt))"
      )
    }
  }

  var count: Int { prefixes.totalCount }
  var remaining: Int { prefixes.remaining }
  /// Bytes consumed so far; once every value is read, the length of the encoded data.
  var consumed: Int { suffixesAt &+ suffixes.consumed }

  /// Appends the next `count` values: bytes to `bytes`, end offsets to `offsets` (a leading 0
  /// first if it is empty).
  mutating func decode(count: Int, offsets: inout [Int32], bytes out: inout [UInt8]) throws(ParquetError) {
    if offsets.isEmpty { offsets.append(0) }
    guard count > 0 else { return }
    guard count <= remaining else {
      throw ParquetError(.corrupt, "DELTA_BYTE_ARRAY: \(count) values wanted, \(remaining) remain")
    }
    // 256 values at a time: prefix and suffix lengths on the stack, then one growth of each
    // output array and plain copies.
    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { (scratch) throws(ParquetError) in
      let prefixLengths = UnsafeMutableBufferPointer(rebasing: scratch[0..<256])
      let suffixLengths = UnsafeMutableBufferPointer(rebasing: scratch[256..<512])
      var left = count
      while left > 0 {
        let n = min(256, left)
        try decodeChunk(
          n, UnsafeMutableBufferPointer(rebasing: prefixLengths[0..<n]),
          UnsafeMutableBufferPointer(rebasing: suffixLengths[0..<n]), &offsets, &out)
        left &-= n
      }
    }
  }

  mutating func skip(_ count: Int) throws(ParquetError) {
    // The prefixes chain through every value, so skipping still rebuilds them.
    var offsets: [Int32] = []
    var bytes: [UInt8] = []
    var left = count
    while left > 0 {
      let n = min(left, 256)
      offsets.removeAll(keepingCapacity: true)
      bytes.removeAll(keepingCapacity: true)
      try decode(count: n, offsets: &offsets, bytes: &bytes)
      left &-= n
    }
  }

  private mutating func decodeChunk(
    _ n: Int, _ prefixLengths: UnsafeMutableBufferPointer<Int32>,
    _ suffixLengths: UnsafeMutableBufferPointer<Int32>, _ offsets: inout [Int32], _ out: inout [UInt8]
  ) throws(ParquetError) {
    let firstValue = prefixes.valuesRead
    try prefixes.decode(into: prefixLengths)
    let suffixStart = try suffixes.next(n, lengths: suffixLengths)
    // Sizes first: check every prefix against the value before it.
    var previousLength = previous.count
    var total = 0
    for i in 0..<n {
      let prefix = Int(prefixLengths[i])
      guard prefix >= 0 && prefix <= previousLength else {
        throw ParquetError(
          .corrupt,
          "DELTA_BYTE_ARRAY: prefix length \(prefix) of value \(firstValue &+ i) exceeds the previous value's \(previousLength) bytes"
        )
      }
      let length = prefix &+ Int(suffixLengths[i])
      if let fixedWidth, length != fixedWidth {
        throw ParquetError(
          .corrupt,
          "DELTA_BYTE_ARRAY: value \(firstValue &+ i) has \(length) bytes, FIXED_LEN_BYTE_ARRAY(\(fixedWidth)) expected"
        )
      }
      total &+= length
      previousLength = length
    }
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: out.count, adding: total, encoding: "DELTA_BYTE_ARRAY")
    let suffixBase = suffixes.bytes.baseAddress
    var suffixAt = suffixStart
    EncodingBuffer.appendZeroed(&out, total) { dst in
      EncodingBuffer.appendZeroed(&offsets, n) { ends in
        guard let d = dst.baseAddress else {
          // No bytes at all: every value is empty.
          ends.update(repeating: Int32(truncatingIfNeeded: base))
          previous.removeAll(keepingCapacity: true)
          return
        }
        var end = 0
        var lastStart = 0
        for i in 0..<n {
          let prefix = Int(prefixLengths[i])
          let suffix = Int(suffixLengths[i])
          if prefix > 0 {
            if i == 0 {
              previous.withUnsafeBufferPointer { p in
                if let pb = p.baseAddress { (d + end).update(from: pb, count: prefix) }
              }
            } else {
              (d + end).update(from: d + lastStart, count: prefix)
            }
          }
          if suffix > 0, let sb = suffixBase {
            (d + (end &+ prefix)).update(from: (sb + suffixAt).assumingMemoryBound(to: UInt8.self), count: suffix)
          }
          suffixAt &+= suffix
          lastStart = end
          end &+= prefix &+ suffix
          ends[i] = Int32(truncatingIfNeeded: base &+ end)
        }
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: UnsafeBufferPointer(start: d + lastStart, count: end &- lastStart))
      }
    }
  }
}
