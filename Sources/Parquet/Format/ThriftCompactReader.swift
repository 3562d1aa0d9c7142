/// The value types of the Thrift compact protocol.
///
/// Booleans are one type here; on the wire a boolean *field* carries its value in the
/// field header (codes 1 and 2), while a boolean list element is one byte.
public enum ThriftType: UInt8, Sendable, CustomStringConvertible {
  case bool = 2
  case i8 = 3
  case i16 = 4
  case i32 = 5
  case i64 = 6
  case double = 7
  case binary = 8
  case list = 9
  case set = 10
  case map = 11
  case `struct` = 12
  case uuid = 13

  /// The type named by a 4-bit wire code; both boolean codes (1 and 2) mean `.bool`,
  /// since writers disagree on which one marks a boolean list element.
  init?(code: UInt8) {
    if code == 1 { self = .bool } else { self.init(rawValue: code) }
  }

  /// The fewest bytes one value of this type takes inside a container; used to reject
  /// forged element counts before anything is allocated.
  var minimumElementSize: Int {
    switch self {
    case .double: 8
    case .uuid: 16
    default: 1
    }
  }

  public var description: String {
    switch self {
    case .bool: "bool"
    case .i8: "i8"
    case .i16: "i16"
    case .i32: "i32"
    case .i64: "i64"
    case .double: "double"
    case .binary: "binary"
    case .list: "list"
    case .set: "set"
    case .map: "map"
    case .struct: "struct"
    case .uuid: "uuid"
    }
  }
}

/// A decoded field header: the field id, its type and, for booleans, the value that the
/// compact protocol stores in the header itself.
public struct ThriftFieldHeader: Sendable, Equatable {
  public var id: Int16
  public var type: ThriftType
  /// The value of a boolean field (meaningless for other types).
  public var boolValue: Bool

  public init(id: Int16, type: ThriftType, boolValue: Bool = false) {
    self.id = id
    self.type = type
    self.boolValue = boolValue
  }
}

/// The name of a Thrift struct and of its fields, used only to word error messages.
public struct ThriftStructDescriptor: Sendable {
  public let name: String
  /// Field names indexed by field id; "" or out of range means unnamed.
  public let fieldNames: [String]

  public init(_ name: String, fields: [String]) {
    self.name = name
    self.fieldNames = fields
  }

  func fieldName(_ id: Int16) -> String {
    let index = Int(id)
    if index >= 0, index < fieldNames.count, !fieldNames[index].isEmpty { return fieldNames[index] }
    return "#\(id)"
  }
}

/// A Thrift struct in the compact protocol: decoded from a reader, written to a writer.
public protocol ThriftStruct: Sendable {
  /// Decodes one struct (through its stop field) at the reader's position.
  init(from reader: inout ThriftCompactReader) throws
  /// Appends the struct, including its stop field.
  func write(to writer: inout ThriftCompactWriter)
}

extension ThriftStruct {
  /// Decodes a struct that starts at the first byte of `bytes`; trailing bytes are ignored.
  public init(compactBytes bytes: UnsafeRawBufferPointer) throws {
    var reader = ThriftCompactReader(bytes)
    self = try Self(from: &reader)
  }

  /// Decodes a struct that starts at the first byte of `bytes`; trailing bytes are ignored.
  public init(compactBytes bytes: [UInt8]) throws {
    self = try bytes.withUnsafeBytes { try Self(compactBytes: $0) }
  }

  /// The struct in the compact protocol.
  public func compactEncoded() -> [UInt8] {
    var writer = ThriftCompactWriter()
    write(to: &writer)
    return writer.bytes
  }
}

/// Reads the Thrift compact protocol from borrowed memory.
///
/// Every length and count is checked against the bytes left before anything is
/// allocated, varints are limited to 10 bytes and nesting to ``maxDepth``, so hostile
/// input ends in a thrown ``ParquetError`` (`.truncated` when the input ends before
/// what it announced, `.corrupt` otherwise), never in a trap or a huge allocation.
///
/// The reader borrows `buffer`: use it only while that memory is valid, typically
/// inside `withUnsafeBytes`.
public struct ThriftCompactReader {
  /// How many structs and containers may be open at once.
  public static let maxDepth = 64

  /// The bytes being read.
  public let buffer: UnsafeRawBufferPointer
  /// The offset of the next byte to read.
  public private(set) var position: Int
  /// Structs and containers currently open.
  public private(set) var depth = 0
  /// Path components gathered while an error unwinds, innermost first; turned into the
  /// message by the outermost struct so the success path builds no strings.
  private var errorPath: [String] = []

  /// A reader over `buffer`, starting at `position` (clamped to the buffer).
  public init(_ buffer: UnsafeRawBufferPointer, position: Int = 0) {
    self.buffer = buffer
    self.position = max(0, min(position, buffer.count))
  }

  /// Bytes between the position and the end of the buffer.
  public var remaining: Int { buffer.count - position }

  // MARK: Errors

  private func truncated(_ what: String) -> ParquetError {
    ParquetError(.truncated, "\(what) at byte \(position) of \(buffer.count)")
  }

  private func corrupt(_ what: String) -> ParquetError {
    ParquetError(.corrupt, "\(what) at byte \(position) of \(buffer.count)")
  }

  // MARK: Primitives

  /// Reads one raw byte.
  public mutating func readByte() throws -> UInt8 {
    guard position < buffer.count else { throw truncated("input ends inside a value") }
    let byte = buffer[position]
    position += 1
    return byte
  }

  /// Reads `count` raw bytes, checking the count against the bytes left first.
  public mutating func readBytes(_ count: Int) throws -> [UInt8] {
    guard count >= 0 else { throw corrupt("negative length \(count)") }
    guard count <= remaining else {
      throw truncated("length \(count) exceeds the \(remaining) bytes left")
    }
    let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[position..<position + count]))
    position += count
    return bytes
  }

  /// Advances over `count` bytes.
  public mutating func skipBytes(_ count: Int) throws {
    guard count >= 0 else { throw corrupt("negative length \(count)") }
    guard count <= remaining else {
      throw truncated("length \(count) exceeds the \(remaining) bytes left")
    }
    position += count
  }

  /// Reads an unsigned LEB128 varint of at most 10 bytes.
  public mutating func readVarint() throws -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    for index in 0..<10 {
      guard position < buffer.count else { throw truncated("input ends inside a varint") }
      let byte = buffer[position]
      position += 1
      if index == 9 {
        // The tenth byte holds only bit 63.
        if byte & 0x80 != 0 { throw corrupt("varint longer than 10 bytes") }
        if byte > 1 { throw corrupt("varint overflows 64 bits") }
      }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
    throw corrupt("varint longer than 10 bytes")
  }

  /// Reads a varint that must fit in 32 bits (sizes and lengths).
  private mutating func readVarint32(_ what: String) throws -> UInt32 {
    let value = try readVarint()
    guard value <= UInt64(UInt32.max) else { throw corrupt("\(what) \(value) does not fit in 32 bits") }
    return UInt32(value)
  }

  /// Reads a length or count: a varint of at most `Int32.max`.
  private mutating func readSize(_ what: String) throws -> Int {
    let value = try readVarint()
    guard value <= UInt64(Int32.max) else { throw corrupt("\(what) \(value) is out of range") }
    return Int(value)
  }

  /// Reads an `i8` (one raw byte).
  public mutating func readI8() throws -> Int8 {
    Int8(bitPattern: try readByte())
  }

  /// Reads a zigzag `i16`.
  public mutating func readI16() throws -> Int16 {
    let value = try readI32()
    guard let narrow = Int16(exactly: value) else { throw corrupt("i16 value \(value) is out of range") }
    return narrow
  }

  /// Reads a zigzag `i32`.
  public mutating func readI32() throws -> Int32 {
    let zigzag = try readVarint32("i32 varint")
    return Int32(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
  }

  /// Reads a zigzag `i64`.
  public mutating func readI64() throws -> Int64 {
    let zigzag = try readVarint()
    return Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
  }

  /// Reads a little-endian IEEE 754 double.
  public mutating func readDouble() throws -> Double {
    guard remaining >= 8 else { throw truncated("input ends inside a double") }
    var bits: UInt64 = 0
    for index in 0..<8 { bits |= UInt64(buffer[position + index]) << (8 * UInt64(index)) }
    position += 8
    return Double(bitPattern: bits)
  }

  /// Reads length-prefixed binary.
  public mutating func readBinary() throws -> [UInt8] {
    let length = try readSize("binary length")
    guard length <= remaining else {
      throw truncated("binary length \(length) exceeds the \(remaining) bytes left")
    }
    return try readBytes(length)
  }

  /// Reads a length-prefixed string; invalid UTF-8 is repaired rather than rejected, so a
  /// stray byte in a name or a metadata value does not make a file unreadable.
  public mutating func readString() throws -> String {
    let length = try readSize("string length")
    guard length <= remaining else {
      throw truncated("string length \(length) exceeds the \(remaining) bytes left")
    }
    let slice = UnsafeRawBufferPointer(rebasing: buffer[position..<position + length])
    position += length
    return String(decoding: slice, as: UTF8.self)
  }

  /// Reads a 16-byte UUID.
  public mutating func readUUID() throws -> [UInt8] {
    try readBytes(16)
  }

  /// Reads a boolean list or map element (one byte).
  public mutating func readBoolElement() throws -> Bool {
    switch try readByte() {
    case 1: return true
    case 0, 2: return false  // 2 is the compact "false" code, which some writers emit
    case let other: throw corrupt("bool element has byte value \(other)")
    }
  }

  // MARK: Field headers

  /// Reads a field header; `nil` is the stop field. `previousID` is the id of the
  /// previous field of the same struct (0 for the first), against which short-form
  /// headers store a delta.
  public mutating func readFieldHeader(previousID: Int16) throws -> ThriftFieldHeader? {
    let byte = try readByte()
    if byte == 0 { return nil }
    let code = byte & 0x0F
    let delta = byte >> 4
    guard let type = ThriftType(code: code) else {
      position -= 1
      throw corrupt("invalid field type code \(code)")
    }
    let id: Int16
    if delta != 0 {
      let sum = Int(previousID) + Int(delta)
      guard sum <= Int(Int16.max) else { throw corrupt("field id \(sum) is out of range") }
      id = Int16(sum)
    } else {
      id = try readI16()
    }
    return ThriftFieldHeader(id: id, type: type, boolValue: code == 1)
  }

  /// Throws unless `field` has the wire type `expected`.
  public func expect(_ field: ThriftFieldHeader, _ expected: ThriftType) throws {
    guard field.type == expected else {
      throw corrupt("field has wire type \(field.type), expected \(expected)")
    }
  }

  // MARK: Containers

  private mutating func checkedCount(_ count: Int, _ size: Int, _ what: String) throws {
    // Multiplying would overflow for forged counts near Int32.max times 16 on 32-bit hosts.
    guard count <= remaining / size else {
      throw truncated("\(what) size \(count) exceeds the \(remaining) bytes left")
    }
  }

  /// Reads a list or set header. The count is checked against the bytes left, so it is
  /// safe to reserve capacity for it.
  public mutating func readListHeader() throws -> (elementType: ThriftType, count: Int) {
    let byte = try readByte()
    let shortCount = Int(byte >> 4)
    let count = shortCount == 15 ? try readSize("list size") : shortCount
    guard let type = ThriftType(code: byte & 0x0F) else {
      // An empty list's element type is never used; tolerate writers that leave it 0.
      if count == 0 { return (.i8, 0) }
      throw corrupt("invalid list element type code \(byte & 0x0F)")
    }
    try checkedCount(count, type.minimumElementSize, "list")
    return (type, count)
  }

  /// Reads a map header. The count is checked against the bytes left.
  public mutating func readMapHeader() throws -> (keyType: ThriftType, valueType: ThriftType, count: Int) {
    let count = try readSize("map size")
    if count == 0 { return (.i8, .i8, 0) }
    let types = try readByte()
    guard let keyType = ThriftType(code: types >> 4), let valueType = ThriftType(code: types & 0x0F) else {
      throw corrupt("invalid map key/value type codes \(types >> 4)/\(types & 0x0F)")
    }
    try checkedCount(count, keyType.minimumElementSize + valueType.minimumElementSize, "map")
    return (keyType, valueType, count)
  }

  /// Opens a struct or container, enforcing ``maxDepth``.
  private mutating func enter() throws {
    guard depth < Self.maxDepth else { throw corrupt("nesting deeper than \(Self.maxDepth)") }
    depth += 1
  }

  // MARK: Skipping

  /// Skips the value of a field whose header was just read (a boolean field has none).
  public mutating func skip(_ field: ThriftFieldHeader) throws {
    if field.type == .bool { return }
    try skip(field.type)
  }

  /// Skips one value of `type` as it appears in a container, recursing into nested
  /// structs and containers up to ``maxDepth``.
  public mutating func skip(_ type: ThriftType) throws {
    switch type {
    case .bool, .i8:
      try skipBytes(1)
    case .i16, .i32, .i64:
      _ = try readVarint()
    case .double:
      try skipBytes(8)
    case .uuid:
      try skipBytes(16)
    case .binary:
      try skipBytes(try readSize("binary length"))
    case .list, .set:
      try enter()
      defer { depth -= 1 }
      let (elementType, count) = try readListHeader()
      for _ in 0..<count { try skip(elementType) }
    case .map:
      try enter()
      defer { depth -= 1 }
      let (keyType, valueType, count) = try readMapHeader()
      for _ in 0..<count {
        try skip(keyType)
        try skip(valueType)
      }
    case .struct:
      try enter()
      defer { depth -= 1 }
      var previous: Int16 = 0
      while let field = try readFieldHeader(previousID: previous) {
        previous = field.id
        try skip(field)
      }
    }
  }

  // MARK: Structs

  /// Reads a struct field by field through its stop field, calling `body` for each
  /// field; `body` must consume the value (call ``skip(_:)-(ThriftFieldHeader)`` for
  /// fields it does not know).
  ///
  /// Errors thrown inside are rewritten by the outermost struct to name the path that
  /// led to them, e.g. `FileMetaData.row_groups[0].columns[2].meta_data.codec: …`.
  public mutating func readStruct(
    _ descriptor: ThriftStructDescriptor,
    _ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> Void
  ) throws {
    let outermost = depth == 0
    if outermost { errorPath.removeAll() }
    do {
      try enter()
      defer { depth -= 1 }
      var previous: Int16 = 0
      while let field = try readFieldHeader(previousID: previous) {
        previous = field.id
        do {
          try body(&self, field)
        } catch {
          errorPath.append("." + descriptor.fieldName(field.id))
          throw error
        }
      }
    } catch let error as ParquetError where outermost {
      var rewritten = error
      rewritten.message = descriptor.name + errorPath.reversed().joined() + ": " + error.message
      errorPath.removeAll()
      throw rewritten
    }
  }

  /// Reads a union: the first member is passed to `body`, which returns its value (or nil
  /// for an unknown member it skipped); any further members are skipped. Returns nil for
  /// an empty union.
  public mutating func readUnion<T>(
    _ descriptor: ThriftStructDescriptor,
    _ body: (inout ThriftCompactReader, ThriftFieldHeader) throws -> T
  ) throws -> T? {
    var result: T?
    try readStruct(descriptor) { reader, field in
      if result == nil {
        result = try body(&reader, field)
      } else {
        try reader.skip(field)
      }
    }
    return result
  }

  /// Reads a list field, checking the element type and calling `element` for each
  /// element. Errors name the failing element's index.
  public mutating func readList<T>(
    _ field: ThriftFieldHeader,
    of elementType: ThriftType,
    _ element: (inout ThriftCompactReader) throws -> T
  ) throws -> [T] {
    guard field.type == .list || field.type == .set else {
      throw corrupt("field has wire type \(field.type), expected list")
    }
    let (type, count) = try readListHeader()
    guard count == 0 || type == elementType else {
      throw corrupt("list has element type \(type), expected \(elementType)")
    }
    var result: [T] = []
    // The count is bounded by the bytes left, but elements can be far larger in memory
    // than on the wire, so reserve only a modest amount up front.
    result.reserveCapacity(Swift.min(count, 1024))
    for index in 0..<count {
      do {
        result.append(try element(&self))
      } catch {
        errorPath.append("[\(index)]")
        throw error
      }
    }
    return result
  }

  // MARK: Typed field values

  /// Reads the value of a boolean field.
  public func readBool(_ field: ThriftFieldHeader) throws -> Bool {
    try expect(field, .bool)
    return field.boolValue
  }

  /// Reads the value of an `i8` field.
  public mutating func readI8(_ field: ThriftFieldHeader) throws -> Int8 {
    try expect(field, .i8)
    return try readI8()
  }

  /// Reads the value of an `i16` field.
  public mutating func readI16(_ field: ThriftFieldHeader) throws -> Int16 {
    try expect(field, .i16)
    return try readI16()
  }

  /// Reads the value of an `i32` field.
  public mutating func readI32(_ field: ThriftFieldHeader) throws -> Int32 {
    try expect(field, .i32)
    return try readI32()
  }

  /// Reads the value of an `i64` field.
  public mutating func readI64(_ field: ThriftFieldHeader) throws -> Int64 {
    try expect(field, .i64)
    return try readI64()
  }

  /// Reads the value of a `double` field.
  public mutating func readDouble(_ field: ThriftFieldHeader) throws -> Double {
    try expect(field, .double)
    return try readDouble()
  }

  /// Reads the value of a `binary` field.
  public mutating func readBinary(_ field: ThriftFieldHeader) throws -> [UInt8] {
    try expect(field, .binary)
    return try readBinary()
  }

  /// Reads the value of a `string` field.
  public mutating func readString(_ field: ThriftFieldHeader) throws -> String {
    try expect(field, .binary)
    return try readString()
  }

  /// Reads the value of a struct field.
  public mutating func readStruct<T: ThriftStruct>(_ field: ThriftFieldHeader, as: T.Type = T.self) throws -> T {
    try expect(field, .struct)
    return try T(from: &self)
  }

  /// Reads a `list<struct>` field.
  public mutating func readStructList<T: ThriftStruct>(_ field: ThriftFieldHeader, of: T.Type = T.self) throws -> [T] {
    try readList(field, of: .struct) { try T(from: &$0) }
  }

  /// Reads a `list<i32>` field.
  public mutating func readI32List(_ field: ThriftFieldHeader) throws -> [Int32] {
    try readList(field, of: .i32) { try $0.readI32() }
  }

  /// Reads a `list<i64>` field.
  public mutating func readI64List(_ field: ThriftFieldHeader) throws -> [Int64] {
    try readList(field, of: .i64) { try $0.readI64() }
  }

  /// Reads a `list<string>` field.
  public mutating func readStringList(_ field: ThriftFieldHeader) throws -> [String] {
    try readList(field, of: .binary) { try $0.readString() }
  }

  /// Reads a `list<binary>` field.
  public mutating func readBinaryList(_ field: ThriftFieldHeader) throws -> [[UInt8]] {
    try readList(field, of: .binary) { try $0.readBinary() }
  }

  /// Reads a `list<bool>` field.
  public mutating func readBoolList(_ field: ThriftFieldHeader) throws -> [Bool] {
    try readList(field, of: .bool) { try $0.readBoolElement() }
  }
}

/// The error for a required field that a struct lacks.
func missingField(_ structName: String, _ field: String) -> ParquetError {
  ParquetError(.corrupt, "\(structName) is missing required field '\(field)'")
}
