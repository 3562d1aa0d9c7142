/// Random-access reads of an immutable object: a local file, an S3 object, bytes in memory.
public protocol ReadableFile: Sendable {
  /// The path or URL, for error messages.
  var path: String { get }
  /// The total size in bytes.
  var size: Int { get }
  /// Exactly `length` bytes starting at `offset`; throws when the range is outside the object.
  func read(offset: Int, length: Int) throws -> [UInt8]
  /// A hint that `ranges` are about to be read: remote files fetch them ahead, coalescing nearby
  /// ones into fewer requests; local files ignore it.
  func prefetch(_ ranges: [Range<Int>])
}

extension ReadableFile {
  public func prefetch(_ ranges: [Range<Int>]) {}
}

/// An append-only byte sink that becomes visible as a whole on `close()`.
public protocol WritableFile {
  var path: String { get }
  /// Bytes written so far.
  var position: Int { get }
  mutating func write(_ bytes: UnsafeRawBufferPointer) throws
  /// Flushes and makes the object durable and visible.
  mutating func close() throws
  /// Abandons the object: nothing half-written stays behind.
  mutating func abort()
}

extension WritableFile {
  public mutating func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }
}

/// A file held in memory, for tests and small generated files.
public struct MemoryFile: ReadableFile {
  public let path: String
  public let bytes: [UInt8]
  public var size: Int { bytes.count }

  public init(path: String = "<memory>", bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
  }

  public func read(offset: Int, length: Int) throws -> [UInt8] {
    guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
      throw StorageError(.outOfRange, path: path, "range \(offset)+\(length) outside \(bytes.count) bytes")
    }
    return Array(bytes[offset..<offset + length])
  }
}
