#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A local file opened for positional reads (`pread`), safe to share between threads.
public final class LocalFile: ReadableFile, @unchecked Sendable {
  public let path: String
  public let size: Int
  private let descriptor: Int32

  public init(path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw LocalFile.error(path: path, operation: "open") }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let failure = LocalFile.error(path: path, operation: "stat")
      close(fd)
      throw failure
    }
    guard info.st_mode & S_IFMT != S_IFDIR else {
      close(fd)
      throw StorageError(.io, path: path, "is a directory, not a file")
    }
    self.path = path
    self.size = Int(info.st_size)
    self.descriptor = fd
  }

  deinit { close(descriptor) }

  public func read(offset: Int, length: Int) throws -> [UInt8] {
    guard offset >= 0, length >= 0, offset <= size, length <= size - offset else {
      throw StorageError(.outOfRange, path: path, "range \(offset)+\(length) outside \(size) bytes")
    }
    return try [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
      if let base = buffer.baseAddress { HugePages.advise(base, byteCount: length) }
      var done = 0
      while done < length {
        let n = pread(descriptor, buffer.baseAddress! + done, length - done, off_t(offset + done))
        if n < 0 {
          if errno == EINTR { continue }
          throw LocalFile.error(path: path, operation: "read")
        }
        if n == 0 { throw StorageError(.outOfRange, path: path, "file shrank while reading at \(offset + done)") }
        done += n
      }
      initialized = length
    }
  }

  static func error(path: String, operation: String) -> StorageError {
    let code: StorageError.Code
    switch errno {
    case ENOENT: code = .notFound
    case EACCES, EPERM: code = .permissionDenied
    case EEXIST: code = .alreadyExists
    default: code = .io
    }
    let reason = String(cString: strerror(errno))
    return StorageError(code, path: path, "\(operation) failed: \(reason)")
  }
}

/// A local file written through a temporary name and renamed into place on `close()`, so that a
/// reader never sees a half-written file and a crash leaves only a hidden temporary behind.
///
/// Writes go through 1 MiB buffers handed to a background queue, so the kernel's copying
/// overlaps with the caller's encoding on another core; at most 8 MiB are in flight.
public struct LocalWritableFile: WritableFile {
  public let path: String
  public private(set) var position = 0
  private let temporaryPath: String
  private var sink: WriteBehind?
  private var buffer: [UInt8] = []
  private static let bufferLimit = 1 << 20

  /// Creates the file; throws `.alreadyExists` if `path` exists and `overwrite` is false.
  public init(path: String, overwrite: Bool = false) throws {
    if !overwrite, access(path, F_OK) == 0 {
      throw StorageError(.alreadyExists, path: path, "refusing to overwrite an existing file")
    }
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    self.path = path
    self.temporaryPath = "\(directory)/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw LocalFile.error(path: path, operation: "create") }
    sink = WriteBehind(descriptor: fd, path: path)
    buffer.reserveCapacity(Self.bufferLimit)
  }

  public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let sink else { throw StorageError(.io, path: path, "write after close") }
    position += bytes.count
    var rest = bytes
    while buffer.count + rest.count >= Self.bufferLimit {
      let take = Self.bufferLimit - buffer.count
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
      rest = UnsafeRawBufferPointer(rebasing: rest[take...])
      let full = buffer
      buffer = []
      buffer.reserveCapacity(Self.bufferLimit)
      try sink.submit(full)
    }
    buffer.append(contentsOf: rest)
  }

  public mutating func close() throws {
    guard let sink else { return }
    do {
      if !buffer.isEmpty { try sink.submit(buffer) }
      buffer = []
      try sink.finish()
    } catch {
      abort()
      throw error
    }
    self.sink = nil
    guard rename(temporaryPath, path) == 0 else {
      let failure = LocalFile.error(path: path, operation: "rename")
      unlink(temporaryPath)
      throw failure
    }
  }

  public mutating func abort() {
    guard let sink else { return }
    sink.cancel()
    self.sink = nil
    unlink(temporaryPath)
  }
}
