/// Reads Kafka protocol primitives from a byte array, throwing (never trapping) on truncated
/// or malformed input.
///
/// A reader can be narrowed to a sub-range (`subReader`) without copying: record sets inside a
/// fetch response are parsed in place.
struct KafkaReader {
  let bytes: [UInt8]
  private(set) var position: Int
  let end: Int
  /// Names what is being read, for error messages ("Fetch v12 response").
  var context: String

  init(_ bytes: [UInt8], context: String) {
    self.bytes = bytes
    self.position = 0
    self.end = bytes.count
    self.context = context
  }

  init(_ bytes: [UInt8], range: Range<Int>, context: String) {
    self.bytes = bytes
    self.position = range.lowerBound
    self.end = range.upperBound
    self.context = context
  }

  var remaining: Int { end - position }
  var isAtEnd: Bool { position >= end }

  func truncated(_ what: String) -> KafkaError {
    .corrupt("\(context): truncated \(what) at byte \(position)")
  }

  func malformed(_ what: String) -> KafkaError {
    .corrupt("\(context): \(what) at byte \(position)")
  }

  private mutating func need(_ count: Int, _ what: String) throws(KafkaError) {
    guard count >= 0, remaining >= count else { throw truncated(what) }
  }

  mutating func int8() throws(KafkaError) -> Int8 {
    try need(1, "int8")
    defer { position += 1 }
    return Int8(bitPattern: bytes[position])
  }

  mutating func bool() throws(KafkaError) -> Bool { try int8() != 0 }

  mutating func int16() throws(KafkaError) -> Int16 {
    try need(2, "int16")
    defer { position += 2 }
    return Int16(bitPattern: UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1]))
  }

  mutating func uint32() throws(KafkaError) -> UInt32 {
    try need(4, "int32")
    defer { position += 4 }
    return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
      | UInt32(bytes[position + 3])
  }

  mutating func int32() throws(KafkaError) -> Int32 { Int32(bitPattern: try uint32()) }

  mutating func int64() throws(KafkaError) -> Int64 {
    try need(8, "int64")
    var v: UInt64 = 0
    for i in 0..<8 { v = v << 8 | UInt64(bytes[position + i]) }
    position += 8
    return Int64(bitPattern: v)
  }

  mutating func unsignedVarint() throws(KafkaError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < end else { throw truncated("varint") }
      let byte = bytes[position]
      position += 1
      result |= UInt64(byte & 0x7f) << shift
      if byte < 0x80 { return result }
      shift += 7
      guard shift < 64 else { throw malformed("varint longer than 10 bytes") }
    }
  }

  /// A zigzag varint that must fit in 32 bits.
  mutating func varint() throws(KafkaError) -> Int32 {
    let raw = try unsignedVarint()
    guard raw <= UInt64(UInt32.max) else { throw malformed("varint exceeds 32 bits") }
    let u = UInt32(raw)
    return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
  }

  mutating func varlong() throws(KafkaError) -> Int64 {
    let u = try unsignedVarint()
    return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
  }

  /// A length: int16/int32 (classic) or unsigned varint minus one (compact); -1 means null.
  private mutating func length(flexible: Bool, classic16: Bool) throws(KafkaError) -> Int {
    if flexible {
      let raw = try unsignedVarint()
      guard raw <= UInt64(Int32.max) else { throw malformed("compact length \(raw) too large") }
      return Int(raw) - 1
    }
    return classic16 ? Int(try int16()) : Int(try int32())
  }

  mutating func nullableString(flexible: Bool) throws(KafkaError) -> String? {
    let count = try length(flexible: flexible, classic16: true)
    if count < 0 { return nil }
    try need(count, "string")
    defer { position += count }
    return String(decoding: bytes[position..<position + count], as: UTF8.self)
  }

  mutating func string(flexible: Bool) throws(KafkaError) -> String {
    guard let value = try nullableString(flexible: flexible) else {
      throw malformed("null string where one is required")
    }
    return value
  }

  /// The range of a (nullable) bytes field, without copying it.
  mutating func nullableBytesRange(flexible: Bool) throws(KafkaError) -> Range<Int>? {
    let count = try length(flexible: flexible, classic16: false)
    if count < 0 { return nil }
    try need(count, "bytes")
    defer { position += count }
    return position..<position + count
  }

  mutating func nullableBytes(flexible: Bool) throws(KafkaError) -> [UInt8]? {
    guard let range = try nullableBytesRange(flexible: flexible) else { return nil }
    return Array(bytes[range])
  }

  mutating func bytes(flexible: Bool) throws(KafkaError) -> [UInt8] {
    try nullableBytes(flexible: flexible) ?? []
  }

  /// Raw bytes with a known count.
  mutating func rawBytes(_ count: Int) throws(KafkaError) -> [UInt8] {
    try need(count, "bytes")
    defer { position += count }
    return Array(bytes[position..<position + count])
  }

  /// The next `count` bytes without copying them.
  mutating func rawSlice(_ count: Int) throws(KafkaError) -> ArraySlice<UInt8> {
    try need(count, "bytes")
    defer { position += count }
    return bytes[position..<position + count]
  }

  mutating func skip(_ count: Int) throws(KafkaError) {
    try need(count, "field")
    position += count
  }

  /// An array's element count, or nil for a null array. Rejects counts the remaining bytes
  /// cannot hold (each element takes at least one byte), so a forged count cannot make us
  /// allocate.
  mutating func nullableArrayCount(flexible: Bool) throws(KafkaError) -> Int? {
    let count = try length(flexible: flexible, classic16: false)
    if count < 0 { return nil }
    guard count <= remaining else { throw malformed("array count \(count) exceeds the \(remaining) remaining bytes") }
    return count
  }

  mutating func arrayCount(flexible: Bool) throws(KafkaError) -> Int {
    try nullableArrayCount(flexible: flexible) ?? 0
  }

  mutating func array<Element>(
    flexible: Bool, _ element: (inout KafkaReader) throws(KafkaError) -> Element
  ) throws(KafkaError) -> [Element] {
    let count = try arrayCount(flexible: flexible)
    var result: [Element] = []
    result.reserveCapacity(count)
    for _ in 0..<count { result.append(try element(&self)) }
    return result
  }

  mutating func int32Array(flexible: Bool) throws(KafkaError) -> [Int32] {
    try array(flexible: flexible) { (r: inout KafkaReader) throws(KafkaError) in try r.int32() }
  }

  mutating func uuid() throws(KafkaError) -> [UInt8] { try rawBytes(16) }

  /// Skips a tagged-field section (flexible versions only): a count, then (tag, size, data).
  mutating func skipTaggedFields(flexible: Bool) throws(KafkaError) {
    guard flexible else { return }
    let count = try unsignedVarint()
    guard count <= UInt64(remaining) else { throw malformed("tagged field count \(count) too large") }
    for _ in 0..<count {
      _ = try unsignedVarint()
      let size = try unsignedVarint()
      guard size <= UInt64(remaining) else { throw truncated("tagged field") }
      position += Int(size)
    }
  }
}
