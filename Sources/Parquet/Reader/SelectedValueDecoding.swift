/// Decoding only some of a page's values: the rows a filter kept (late materialization).
///
/// `picks` are ascending indices among the page's `count` values. PLAIN fixed-width values are
/// gathered straight from the page and PLAIN strings copied only when picked, so the values a
/// filter dropped are never copied; other encodings are decoded whole, then gathered.
enum SelectedValueDecoding {
  static func decode(
    encoding: Encoding, physical: PhysicalType, typeLength: Int, count: Int, picks: [Int32],
    bytes: UnsafeRawBufferPointer, into values: inout DenseValues
  ) throws(ParquetError) {
    guard !picks.isEmpty else { return }
    if encoding == .plain {
      switch physical {
      case .int32:
        try checkFixed(count: count, width: 4, bytes: bytes)
        try values.appendInt32(picks.count) { (out) throws(ParquetError) in gather(picks, bytes, into: out) { $0 } }
        return
      case .int64:
        try checkFixed(count: count, width: 8, bytes: bytes)
        try values.appendInt64(picks.count) { (out) throws(ParquetError) in gather(picks, bytes, into: out) { $0 } }
        return
      case .float:
        try checkFixed(count: count, width: 4, bytes: bytes)
        try values.appendFloat(picks.count) { (out) throws(ParquetError) in
          gather(picks, bytes, into: out) { (bits: UInt32) in Float(bitPattern: bits) }
        }
        return
      case .double:
        try checkFixed(count: count, width: 8, bytes: bytes)
        try values.appendDouble(picks.count) { (out) throws(ParquetError) in
          gather(picks, bytes, into: out) { (bits: UInt64) in Double(bitPattern: bits) }
        }
        return
      case .byteArray:
        try values.appendBytes { (offsets, data) throws(ParquetError) in
          try gatherByteArrays(picks, count: count, bytes: bytes, offsets: &offsets, data: &data)
        }
        return
      case .boolean, .int96, .fixedLenByteArray:
        break
      }
    }
    var whole = DenseValues.empty(physical)
    _ = try ValueDecoding.decode(
      encoding: encoding, physical: physical, typeLength: typeLength, count: count, bytes: bytes, into: &whole)
    try ValueDecoding.gather(picks, from: whole, into: &values)
  }

  private static func checkFixed(count: Int, width: Int, bytes: UnsafeRawBufferPointer) throws(ParquetError) {
    guard count <= bytes.count / width else {
      throw ParquetError(.truncated, "PLAIN: \(count) values of \(width) bytes need more than the page's \(bytes.count)")
    }
  }

  /// Values `picks` of a page of little-endian fixed-width values (checked to hold them all),
  /// each loaded as `Raw` and converted.
  private static func gather<Raw: FixedWidthInteger, T>(
    _ picks: [Int32], _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<T>, _ convert: (Raw) -> T
  ) {
    for (i, pick) in picks.enumerated() {
      out[i] = convert(Raw(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(pick) &* MemoryLayout<Raw>.size, as: Raw.self)))
    }
  }

  /// PLAIN BYTE_ARRAY values `picks`: the lengths are walked (and checked) up to the last pick,
  /// and only the picked values' bytes are copied.
  private static func gatherByteArrays(
    _ picks: [Int32], count: Int, bytes: UnsafeRawBufferPointer, offsets: inout [Int32], data: inout [UInt8]
  ) throws(ParquetError) {
    guard let last = picks.last, Int(last) < count else {
      throw ParquetError(.corrupt, "PLAIN BYTE_ARRAY: a selected value lies past the page's \(count)")
    }
    var starts = [Int](repeating: 0, count: picks.count)
    var total = 0
    var at = 0
    var next = 0
    for value in 0...Int(last) {
      guard bytes.count &- at >= 4 else {
        throw ParquetError(.truncated, "PLAIN BYTE_ARRAY: length at byte \(at) runs past the end (\(bytes.count) bytes)")
      }
      let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: at))
      guard length <= bytes.count &- at &- 4 else {
        throw ParquetError(
          .truncated, "PLAIN BYTE_ARRAY: value of \(length) bytes at byte \(at) runs past the end (\(bytes.count) bytes)")
      }
      if value == Int(picks[next]) {
        starts[next] = at
        total &+= length
        next &+= 1
      }
      at &+= 4 &+ length
    }
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: data.count, adding: total, encoding: "PLAIN BYTE_ARRAY")
    guard let source = bytes.baseAddress else { return }
    EncodingBuffer.appendZeroed(&data, total) { destination in
      EncodingBuffer.appendZeroed(&offsets, picks.count) { out in
        var end = 0
        for (i, start) in starts.enumerated() {
          let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: start))
          if length > 0, let d = destination.baseAddress {
            (d + end).update(from: (source + (start &+ 4)).assumingMemoryBound(to: UInt8.self), count: length)
          }
          end &+= length
          out[i] = Int32(truncatingIfNeeded: base &+ end)
        }
      }
    }
  }
}
