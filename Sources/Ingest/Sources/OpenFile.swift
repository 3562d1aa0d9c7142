#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file opened for reading by descriptor, so that a tailed log can be drained to its end after
/// it was renamed or deleted (log rotation).
final class OpenFile {
  let path: String
  private let descriptor: Int32

  init(path: String) throws(IngestError) {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw IngestError("cannot open \(path): \(String(cString: strerror(errno)))") }
    descriptor = fd
  }

  deinit { close(descriptor) }

  /// The file's inode and size now.
  func status() throws(IngestError) -> (inode: UInt64, size: Int64) {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw IngestError("cannot stat \(path): \(String(cString: strerror(errno)))")
    }
    return (UInt64(info.st_ino), Int64(info.st_size))
  }

  /// Up to `count` bytes at `offset` (fewer at the end of the file).
  func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(IngestError) -> Int {
    if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
    let got = buffer.withUnsafeMutableBytes { room in pread(descriptor, room.baseAddress, count, off_t(offset)) }
    guard got >= 0 else { throw IngestError("cannot read \(path): \(String(cString: strerror(errno)))") }
    return got
  }

  /// The inode at `path` now (nil when no file is there).
  static func inode(at path: String) -> UInt64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt64(info.st_ino)
  }

  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return (info.st_mode & S_IFMT) == S_IFDIR
  }

  static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return (info.st_mode & S_IFMT) == S_IFREG
  }
}

/// A problem with an ingest source or its options, said plainly.
public struct IngestError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
