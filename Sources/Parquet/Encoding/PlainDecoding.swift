/// An INT96 value as legacy writers (Impala, Hive, Spark) store timestamps: nanoseconds within
/// the day, then the Julian day number.
struct Int96: Sendable, Hashable {
  var nanosOfDay: Int64
  var julianDay: Int32

  /// Julian day of 1970-01-01.
  static let unixEpochJulianDay: Int64 = 2_440_588
  static let nanosPerDay: Int64 = 86_400_000_000_000

  /// Nanoseconds since the Unix epoch, or nil outside Int64 (before 1677 or after 2262).
  var nanosSinceEpoch: Int64? {
    // 128-bit so that a day just past the range can still be pulled back by its nanoseconds.
    let days = Int128(julianDay) - Int128(Int96.unixEpochJulianDay)
    return Int64(exactly: days * Int128(Int96.nanosPerDay) + Int128(nanosOfDay))
  }

  init(nanosOfDay: Int64, julianDay: Int32) {
    self.nanosOfDay = nanosOfDay
    self.julianDay = julianDay
  }

  /// The INT96 form of nanoseconds since the Unix epoch (always representable).
  init(nanosSinceEpoch nanos: Int64) {
    let (days, rem) = nanos.quotientAndRemainder(dividingBy: Int96.nanosPerDay)
    let floorDays = rem < 0 ? days &- 1 : days
    self.nanosOfDay = rem < 0 ? rem &+ Int96.nanosPerDay : rem
    self.julianDay = Int32(truncatingIfNeeded: floorDays &+ Int96.unixEpochJulianDay)
  }
}

/// PLAIN decoding of one page's values, batch by batch. The page bytes must outlive it.
struct PlainDecoder {
  let bytes: UnsafeRawBufferPointer
  /// Byte offset of the next value (for booleans: of the byte holding the next bit).
  private(set) var offset = 0
  /// Booleans only: bits consumed within the byte at `offset`.
  private var bitShift = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// Bytes consumed so far (a partly read boolean byte counts).
  var consumed: Int { offset &+ (bitShift > 0 ? 1 : 0) }
  var remainingBytes: Int { bytes.count &- offset }

  // MARK: Fixed width

  mutating func decode(into out: UnsafeMutableBufferPointer<Int32>) throws(ParquetError) {
    try copyValues(into: UnsafeMutableRawBufferPointer(out), width: 4, type: "INT32")
    #if _endian(big)
      for i in out.indices { out[i] = Int32(littleEndian: out[i]) }
    #endif
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) {
    try copyValues(into: UnsafeMutableRawBufferPointer(out), width: 8, type: "INT64")
    #if _endian(big)
      for i in out.indices { out[i] = Int64(littleEndian: out[i]) }
    #endif
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Float>) throws(ParquetError) {
    try copyValues(into: UnsafeMutableRawBufferPointer(out), width: 4, type: "FLOAT")
    #if _endian(big)
      for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
    #endif
  }

  mutating func decode(into out: UnsafeMutableBufferPointer<Double>) throws(ParquetError) {
    try copyValues(into: UnsafeMutableRawBufferPointer(out), width: 8, type: "DOUBLE")
    #if _endian(big)
      for i in out.indices { out[i] = Double(bitPattern: UInt64(littleEndian: out[i].bitPattern)) }
    #endif
  }

  /// INT96 as (nanoseconds of day, Julian day).
  mutating func decode(into out: UnsafeMutableBufferPointer<Int96>) throws(ParquetError) {
    guard let dst = out.baseAddress else { return }
    let start = try take(out.count, width: 12, type: "INT96")
    for i in 0..<out.count {
      let at = start &+ i &* 12
      dst[i] = Int96(
        nanosOfDay: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)),
        julianDay: Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at &+ 8, as: Int32.self)))
    }
  }

  /// INT96 straight to nanoseconds since the Unix epoch. Like Arrow, a value outside Int64
  /// nanoseconds (years before 1677 or after 2262) wraps around rather than failing the page;
  /// decode `Int96` to see such values exactly.
  mutating func decodeInt96AsNanos(into out: UnsafeMutableBufferPointer<Int64>) throws(ParquetError) {
    guard let dst = out.baseAddress else { return }
    let start = try take(out.count, width: 12, type: "INT96")
    for i in 0..<out.count {
      let at = start &+ i &* 12
      let nanosOfDay = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self))
      let julianDay = Int64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at &+ 8, as: UInt32.self)))
      dst[i] = (julianDay &- Int96.unixEpochJulianDay) &* Int96.nanosPerDay &+ nanosOfDay
    }
  }

  /// Fixed-width values of `width` bytes copied as they are (FIXED_LEN_BYTE_ARRAY into a flat
  /// buffer, or any type read raw).
  mutating func decodeRaw(into out: UnsafeMutableRawBufferPointer, width: Int) throws(ParquetError) {
    try copyValues(into: out, width: width, type: "FIXED_LEN_BYTE_ARRAY")
  }

  mutating func skip(_ count: Int, width: Int) throws(ParquetError) {
    _ = try take(count, width: width, type: "fixed-width")
  }

  /// Checks that `count` values of `width` bytes remain, consumes them, returns their offset.
  @inline(__always)
  private mutating func take(_ count: Int, width: Int, type: StaticString) throws(ParquetError) -> Int {
    let (length, overflow) = count.multipliedReportingOverflow(by: width)
    guard !overflow, count >= 0, length <= bytes.count &- offset else {
      throw ParquetError(
        .truncated,
        "PLAIN \(type): \(count) values of \(width) bytes at byte \(offset) run past the end (\(bytes.count) bytes)")
    }
    let start = offset
    offset &+= length
    return start
  }

  @inline(__always)
  private mutating func copyValues(into out: UnsafeMutableRawBufferPointer, width: Int, type: StaticString)
    throws(ParquetError)
  {
    let start = try take(out.count / width, width: width, type: type)
    guard let dst = out.baseAddress, let src = bytes.baseAddress else { return }
    dst.copyMemory(from: src + start, byteCount: out.count / width &* width)
  }

  // MARK: Booleans

  /// Booleans, bit-packed LSB first, as 0/1 bytes.
  mutating func decodeBooleans(into out: UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) {
    let n = out.count
    guard n <= (bytes.count &- offset) &* 8 &- bitShift else {
      throw ParquetError(
        .truncated,
        "PLAIN BOOLEAN: \(n) values at byte \(offset) bit \(bitShift) run past the end (\(bytes.count) bytes)")
    }
    guard n > 0, let dst = out.baseAddress, let src = bytes.baseAddress else { return }
    var i = 0
    // Finish a byte a previous batch started.
    while i < n && bitShift != 0 {
      dst[i] = (src.load(fromByteOffset: offset, as: UInt8.self) &>> UInt8(bitShift)) & 1
      i &+= 1
      bitShift = (bitShift &+ 1) & 7
      if bitShift == 0 { offset &+= 1 }
    }
    // Whole bytes: spread 8 bits over 8 bytes with one multiply, then turn each byte's single
    // bit into 0 or 1.
    while n &- i >= 8 {
      let byte = UInt64(src.load(fromByteOffset: offset, as: UInt8.self))
      let spread = (byte &* 0x0101_0101_0101_0101) & 0x8040_2010_0804_0201
      let ones = ((spread &+ 0x7F7F_7F7F_7F7F_7F7F) &>> 7) & 0x0101_0101_0101_0101
      (dst + i).storeBytesLE(ones)
      i &+= 8
      offset &+= 1
    }
    while i < n {
      dst[i] = (src.load(fromByteOffset: offset, as: UInt8.self) &>> UInt8(bitShift)) & 1
      i &+= 1
      bitShift &+= 1
    }
  }

  mutating func skipBooleans(_ count: Int) throws(ParquetError) {
    guard count >= 0, count <= (bytes.count &- offset) &* 8 &- bitShift else {
      throw ParquetError(.truncated, "PLAIN BOOLEAN: skipping \(count) values at byte \(offset) runs past the end")
    }
    let bits = bitShift &+ count
    offset &+= bits &>> 3
    bitShift = bits & 7
  }

  // MARK: Byte arrays

  /// Appends `count` BYTE_ARRAY values (4-byte little-endian length, then the bytes): their
  /// bytes to `bytes` and their end offsets to `offsets` (a leading 0 first if it is empty).
  mutating func decodeByteArrays(count: Int, offsets: inout [Int32], bytes out: inout [UInt8]) throws(ParquetError) {
    if offsets.isEmpty { offsets.append(0) }
    guard count > 0 else { return }
    // Pass 1: walk the lengths, checking every one, to size the output once.
    var at = offset
    var total = 0
    for _ in 0..<count {
      guard bytes.count &- at >= 4 else {
        throw ParquetError(
          .truncated, "PLAIN BYTE_ARRAY: length at byte \(at) runs past the end (\(bytes.count) bytes)")
      }
      let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: at))
      guard length <= Int(Int32.max) else {
        throw ParquetError(
          .corrupt, "PLAIN BYTE_ARRAY: negative length \(Int32(truncatingIfNeeded: length)) at byte \(at)")
      }
      guard length <= bytes.count &- at &- 4 else {
        throw ParquetError(
          .truncated,
          "PLAIN BYTE_ARRAY: value of \(length) bytes at byte \(at) runs past the end (\(bytes.count) bytes)")
      }
      at &+= 4 &+ length
      total &+= length
    }
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: out.count, adding: total, encoding: "PLAIN BYTE_ARRAY")
    // Pass 2: copy.
    guard let src = bytes.baseAddress else { return }
    var from = offset
    EncodingBuffer.appendZeroed(&out, total) { dstBytes in
      EncodingBuffer.appendZeroed(&offsets, count) { dstOffsets in
        var end = 0
        for i in 0..<count {
          let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: from))
          if length > 0, let d = dstBytes.baseAddress {
            (d + end).update(from: (src + (from &+ 4)).assumingMemoryBound(to: UInt8.self), count: length)
          }
          end &+= length
          from &+= 4 &+ length
          dstOffsets[i] = Int32(truncatingIfNeeded: base &+ end)
        }
      }
    }
    offset = from
  }

  mutating func skipByteArrays(_ count: Int) throws(ParquetError) {
    var at = offset
    for _ in 0..<max(0, count) {
      guard bytes.count &- at >= 4 else {
        throw ParquetError(
          .truncated, "PLAIN BYTE_ARRAY: length at byte \(at) runs past the end (\(bytes.count) bytes)")
      }
      let length = Int(EncodingBuffer.loadUInt32LE(bytes, at: at))
      guard length <= bytes.count &- at &- 4 else {
        throw ParquetError(.truncated, "PLAIN BYTE_ARRAY: value of \(length) bytes at byte \(at) runs past the end")
      }
      at &+= 4 &+ length
    }
    offset = at
  }

  /// Appends `count` FIXED_LEN_BYTE_ARRAY values of `width` bytes in offsets/bytes form.
  mutating func decodeFixedLenByteArrays(
    count: Int, width: Int, offsets: inout [Int32], bytes out: inout [UInt8]
  ) throws(ParquetError) {
    guard width >= 0 else {
      throw ParquetError(.corrupt, "PLAIN FIXED_LEN_BYTE_ARRAY: negative width \(width)")
    }
    let start = try take(count, width: width, type: "FIXED_LEN_BYTE_ARRAY")
    let total = count &* width
    let base = try ByteArrayOutput.prepare(
      offsets: &offsets, byteCount: out.count, adding: total, encoding: "PLAIN FIXED_LEN_BYTE_ARRAY")
    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start &+ total)]))
    ByteArrayOutput.appendFixedOffsets(&offsets, count: count, width: width, base: base)
  }
}

/// The Arrow-style output of byte array decoders: `offsets` (count + 1 entries, the first 0)
/// and the concatenated `bytes`.
enum ByteArrayOutput {
  /// Adds the leading 0 to empty `offsets` and checks that `adding` more bytes keep every offset
  /// within Int32. Returns the current byte count, the base of the new offsets.
  static func prepare(
    offsets: inout [Int32], byteCount base: Int, adding: Int, encoding: StaticString
  ) throws(ParquetError) -> Int {
    if offsets.isEmpty { offsets.append(0) }
    guard adding <= Int(Int32.max) &- base else {
      throw ParquetError(
        .unsupported, "\(encoding): \(base) + \(adding) value bytes exceed the 2 GiB of 32-bit offsets")
    }
    return base
  }

  static func appendFixedOffsets(_ offsets: inout [Int32], count: Int, width: Int, base: Int) {
    EncodingBuffer.appendZeroed(&offsets, count) { dst in
      var end = base
      for i in 0..<count {
        end &+= width
        dst[i] = Int32(truncatingIfNeeded: end)
      }
    }
  }
}

extension UnsafeMutablePointer<UInt8> {
  /// Stores 8 bytes in little-endian order at an unaligned address.
  @inline(__always)
  fileprivate func storeBytesLE(_ value: UInt64) {
    UnsafeMutableRawPointer(self).storeBytes(of: value.littleEndian, as: UInt64.self)
  }
}
