/// Writes the Thrift compact protocol into a growing byte array.
///
/// Structs are bracketed by ``writeStructBegin()`` and ``writeStructEnd()``; the writer
/// keeps the last field id of every open struct so field headers use the short delta
/// form whenever the id grows by 1…15.
public struct ThriftCompactWriter: Sendable {
  /// Everything written so far.
  public private(set) var bytes: [UInt8]
  private var lastFieldID: Int16 = 0
  private var enclosingFieldIDs: [Int16] = []

  public init(reservingCapacity capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  // MARK: Primitives

  /// Appends one raw byte.
  public mutating func writeByte(_ byte: UInt8) {
    bytes.append(byte)
  }

  /// Appends raw bytes.
  public mutating func writeBytes(_ raw: some Sequence<UInt8>) {
    bytes.append(contentsOf: raw)
  }

  /// Appends an unsigned LEB128 varint.
  public mutating func writeVarint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  /// Appends an `i8` as one raw byte.
  public mutating func writeI8(_ value: Int8) {
    bytes.append(UInt8(bitPattern: value))
  }

  /// Appends a zigzag `i16`.
  public mutating func writeI16(_ value: Int16) {
    writeI32(Int32(value))
  }

  /// Appends a zigzag `i32`.
  public mutating func writeI32(_ value: Int32) {
    writeVarint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
  }

  /// Appends a zigzag `i64`.
  public mutating func writeI64(_ value: Int64) {
    writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  /// Appends a little-endian IEEE 754 double.
  public mutating func writeDouble(_ value: Double) {
    let bits = value.bitPattern
    for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(index)))) }
  }

  /// Appends length-prefixed binary.
  public mutating func writeBinary(_ value: some Collection<UInt8>) {
    writeVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  /// Appends a length-prefixed UTF-8 string.
  public mutating func writeString(_ value: String) {
    writeBinary(value.utf8)
  }

  /// Appends a 16-byte UUID (shorter input is zero-padded, longer input cut, so the
  /// encoding stays well formed).
  public mutating func writeUUID(_ value: [UInt8]) {
    for index in 0..<16 { bytes.append(index < value.count ? value[index] : 0) }
  }

  /// Appends a boolean list or map element (one byte).
  public mutating func writeBoolElement(_ value: Bool) {
    bytes.append(value ? 1 : 0)
  }

  // MARK: Structs and fields

  /// Opens a struct: field ids start again from 0.
  public mutating func writeStructBegin() {
    enclosingFieldIDs.append(lastFieldID)
    lastFieldID = 0
  }

  /// Closes the innermost struct with a stop field.
  public mutating func writeStructEnd() {
    bytes.append(0)
    lastFieldID = enclosingFieldIDs.popLast() ?? 0
  }

  private mutating func writeFieldHeader(_ id: Int16, code: UInt8) {
    let delta = Int(id) - Int(lastFieldID)
    if delta > 0, delta <= 15 {
      bytes.append(UInt8(delta) << 4 | code)
    } else {
      bytes.append(code)
      writeI16(id)
    }
    lastFieldID = id
  }

  /// Appends a field header; the value must follow. Boolean fields carry their value in
  /// the header, so write them with ``writeField(_:bool:)`` instead.
  public mutating func writeFieldBegin(_ id: Int16, _ type: ThriftType) {
    precondition(type != .bool, "boolean fields are written with writeField(_:bool:)")
    writeFieldHeader(id, code: type.rawValue)
  }

  /// Appends a list or set header.
  public mutating func writeListBegin(_ elementType: ThriftType, count: Int) {
    if count < 15 {
      bytes.append(UInt8(count) << 4 | elementType.rawValue)
    } else {
      bytes.append(0xF0 | elementType.rawValue)
      writeVarint(UInt64(count))
    }
  }

  /// Appends a map header.
  public mutating func writeMapBegin(_ keyType: ThriftType, _ valueType: ThriftType, count: Int) {
    writeVarint(UInt64(count))
    if count > 0 { bytes.append(keyType.rawValue << 4 | valueType.rawValue) }
  }

  // MARK: Whole fields

  /// Appends a boolean field (value in the header).
  public mutating func writeField(_ id: Int16, bool value: Bool) {
    writeFieldHeader(id, code: value ? 1 : 2)
  }

  /// Appends an `i8` field.
  public mutating func writeField(_ id: Int16, i8 value: Int8) {
    writeFieldBegin(id, .i8)
    writeI8(value)
  }

  /// Appends an `i16` field.
  public mutating func writeField(_ id: Int16, i16 value: Int16) {
    writeFieldBegin(id, .i16)
    writeI16(value)
  }

  /// Appends an `i32` field.
  public mutating func writeField(_ id: Int16, i32 value: Int32) {
    writeFieldBegin(id, .i32)
    writeI32(value)
  }

  /// Appends an `i64` field.
  public mutating func writeField(_ id: Int16, i64 value: Int64) {
    writeFieldBegin(id, .i64)
    writeI64(value)
  }

  /// Appends a `double` field.
  public mutating func writeField(_ id: Int16, double value: Double) {
    writeFieldBegin(id, .double)
    writeDouble(value)
  }

  /// Appends a `binary` field.
  public mutating func writeField(_ id: Int16, binary value: [UInt8]) {
    writeFieldBegin(id, .binary)
    writeBinary(value)
  }

  /// Appends a `string` field.
  public mutating func writeField(_ id: Int16, string value: String) {
    writeFieldBegin(id, .binary)
    writeString(value)
  }

  /// Appends a struct field.
  public mutating func writeField(_ id: Int16, struct value: some ThriftStruct) {
    writeFieldBegin(id, .struct)
    value.write(to: &self)
  }

  /// Appends a list field whose elements `element` writes.
  public mutating func writeField<C: Collection>(
    _ id: Int16, list values: C, of elementType: ThriftType,
    _ element: (inout ThriftCompactWriter, C.Element) -> Void
  ) {
    writeFieldBegin(id, .list)
    writeListBegin(elementType, count: values.count)
    for value in values { element(&self, value) }
  }

  /// Appends a `list<struct>` field.
  public mutating func writeField<T: ThriftStruct>(_ id: Int16, structs values: [T]) {
    writeField(id, list: values, of: .struct) { $1.write(to: &$0) }
  }

  /// Appends a `list<i32>` field.
  public mutating func writeField(_ id: Int16, i32List values: [Int32]) {
    writeField(id, list: values, of: .i32) { $0.writeI32($1) }
  }

  /// Appends a `list<i64>` field.
  public mutating func writeField(_ id: Int16, i64List values: [Int64]) {
    writeField(id, list: values, of: .i64) { $0.writeI64($1) }
  }

  /// Appends a `list<string>` field.
  public mutating func writeField(_ id: Int16, stringList values: [String]) {
    writeField(id, list: values, of: .binary) { $0.writeString($1) }
  }

  /// Appends a `list<binary>` field.
  public mutating func writeField(_ id: Int16, binaryList values: [[UInt8]]) {
    writeField(id, list: values, of: .binary) { $0.writeBinary($1) }
  }

  /// Appends a `list<bool>` field.
  public mutating func writeField(_ id: Int16, boolList values: [Bool]) {
    writeField(id, list: values, of: .bool) { $0.writeBoolElement($1) }
  }

  /// Appends a field holding an empty struct (the members of marker unions).
  public mutating func writeEmptyStructField(_ id: Int16) {
    writeFieldBegin(id, .struct)
    bytes.append(0)
  }
}
