/// Appends Kafka protocol primitives (big-endian integers, varints, strings, arrays, tagged
/// fields) to a byte array.
///
/// Every variable-length helper takes `flexible`: flexible versions (KIP-482) use "compact"
/// forms whose lengths are unsigned varints holding length + 1 (0 for null), and end each
/// structure with a tagged-field section.
struct KafkaWriter {
  var bytes: [UInt8]

  init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  mutating func int8(_ value: Int8) { bytes.append(UInt8(bitPattern: value)) }
  mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  mutating func int16(_ value: Int16) {
    let v = UInt16(bitPattern: value)
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    bytes.append(UInt8(truncatingIfNeeded: v))
  }

  mutating func int32(_ value: Int32) { uint32(UInt32(bitPattern: value)) }

  mutating func uint32(_ value: UInt32) {
    bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    bytes.append(UInt8(truncatingIfNeeded: value >> 16))
    bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    bytes.append(UInt8(truncatingIfNeeded: value))
  }

  mutating func int64(_ value: Int64) {
    let v = UInt64(bitPattern: value)
    for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
  }

  /// An unsigned LEB128 varint.
  mutating func unsignedVarint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// A zigzag-encoded signed varint (32-bit, as record fields use).
  mutating func varint(_ value: Int32) {
    unsignedVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
  }

  /// A zigzag-encoded signed varlong.
  mutating func varlong(_ value: Int64) {
    unsignedVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  mutating func string(_ value: String, flexible: Bool) {
    let utf8 = value.utf8
    if flexible { unsignedVarint(UInt64(utf8.count + 1)) } else { int16(Int16(truncatingIfNeeded: utf8.count)) }
    bytes.append(contentsOf: utf8)
  }

  mutating func nullableString(_ value: String?, flexible: Bool) {
    guard let value else {
      if flexible { unsignedVarint(0) } else { int16(-1) }
      return
    }
    string(value, flexible: flexible)
  }

  mutating func bytes(_ value: [UInt8], flexible: Bool) {
    if flexible { unsignedVarint(UInt64(value.count + 1)) } else { int32(Int32(truncatingIfNeeded: value.count)) }
    bytes.append(contentsOf: value)
  }

  mutating func nullableBytes(_ value: [UInt8]?, flexible: Bool) {
    guard let value else {
      if flexible { unsignedVarint(0) } else { int32(-1) }
      return
    }
    bytes(value, flexible: flexible)
  }

  /// An array's element count; the caller writes the elements.
  mutating func arrayCount(_ count: Int, flexible: Bool) {
    if flexible { unsignedVarint(UInt64(count + 1)) } else { int32(Int32(truncatingIfNeeded: count)) }
  }

  mutating func nullArray(flexible: Bool) {
    if flexible { unsignedVarint(0) } else { int32(-1) }
  }

  mutating func array<Element>(
    _ elements: [Element], flexible: Bool, _ body: (inout KafkaWriter, Element) -> Void
  ) {
    arrayCount(elements.count, flexible: flexible)
    for element in elements { body(&self, element) }
  }

  mutating func int32Array(_ values: [Int32], flexible: Bool) {
    arrayCount(values.count, flexible: flexible)
    for value in values { int32(value) }
  }

  /// An empty tagged-field section, written only in flexible versions.
  mutating func emptyTaggedFields(flexible: Bool) {
    if flexible { bytes.append(0) }
  }

  mutating func uuid(_ value: [UInt8]) {
    precondition(value.count == 16, "a UUID has 16 bytes")
    bytes.append(contentsOf: value)
  }

  mutating func raw(_ value: [UInt8]) { bytes.append(contentsOf: value) }

  /// Overwrites 4 bytes at `index` with a big-endian value (to patch a length prefix).
  mutating func patchInt32(_ value: Int32, at index: Int) {
    let v = UInt32(bitPattern: value)
    bytes[index] = UInt8(truncatingIfNeeded: v >> 24)
    bytes[index + 1] = UInt8(truncatingIfNeeded: v >> 16)
    bytes[index + 2] = UInt8(truncatingIfNeeded: v >> 8)
    bytes[index + 3] = UInt8(truncatingIfNeeded: v)
  }
}
