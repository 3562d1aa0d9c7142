public import Storage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An entry of a directory listing.
public struct StoredObject: Sendable, Hashable {
  /// The entry's name within the listed directory.
  public var name: String
  public var size: Int64
  /// Milliseconds since the epoch.
  public var modificationTime: Int64
  public var isDirectory: Bool

  public init(name: String, size: Int64, modificationTime: Int64, isDirectory: Bool = false) {
    self.name = name
    self.size = size
    self.modificationTime = modificationTime
    self.isDirectory = isDirectory
  }
}

/// What the Delta reader needs from a file system or object store: listing a directory, and
/// reading files. Paths are plain strings; the local backend uses file system paths.
public protocol TableStorage: Sendable {
  /// The entries of `directory` whose names sort at or after `startingAt` (all when nil), in
  /// ascending name order. Throws `.notFound`-coded `DeltaError`s (`.notATable`) for a missing directory.
  func listDirectory(_ directory: String, startingAt: String?) throws(DeltaError) -> [StoredObject]
  /// The whole contents of a (small) file: a commit, a checkpoint hint.
  func readFile(_ path: String) throws(DeltaError) -> [UInt8]
  /// A file opened for random access (Parquet data and checkpoint files).
  func openFile(_ path: String) throws(DeltaError) -> any ReadableFile
  /// Size and modification time of one file.
  func statFile(_ path: String) throws(DeltaError) -> StoredObject

  // Writing (used by `Sources/Delta/Write`). Backends that cannot write keep the defaults, which throw.

  /// Creates `path` holding `bytes` only if nothing exists there yet, atomically: exactly one of
  /// several concurrent callers succeeds, the others get a `.alreadyExists`-coded `DeltaError`.
  /// The file is complete when it appears (never a partial commit).
  func putIfAbsent(_ path: String, bytes: [UInt8]) throws(DeltaError)
  /// Writes `path` whole, replacing what is there (for `_last_checkpoint` hints, never for commits).
  func writeFile(_ path: String, bytes: [UInt8]) throws(DeltaError)
  /// A new file to stream into; it becomes visible on `close()` and leaves nothing on `abort()`.
  func createFile(_ path: String) throws(DeltaError) -> any WritableFile
  /// Creates a directory and its missing parents (a no-op on object stores).
  func createDirectory(_ path: String) throws(DeltaError)
  /// Deletes a file; deleting a missing file is not an error.
  func deleteFile(_ path: String) throws(DeltaError)
}

extension TableStorage {
  public func putIfAbsent(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    throw DeltaError(.unsupportedFeature, "this storage backend cannot write", path: path)
  }
  public func writeFile(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    throw DeltaError(.unsupportedFeature, "this storage backend cannot write", path: path)
  }
  public func createFile(_ path: String) throws(DeltaError) -> any WritableFile {
    throw DeltaError(.unsupportedFeature, "this storage backend cannot write", path: path)
  }
  public func createDirectory(_ path: String) throws(DeltaError) {
    throw DeltaError(.unsupportedFeature, "this storage backend cannot write", path: path)
  }
  public func deleteFile(_ path: String) throws(DeltaError) {
    throw DeltaError(.unsupportedFeature, "this storage backend cannot write", path: path)
  }
}

/// The local file system.
public struct LocalTableStorage: TableStorage {
  public init() {}

  public func listDirectory(_ directory: String, startingAt: String?) throws(DeltaError) -> [StoredObject] {
    guard let handle = opendir(directory) else {
      let reason = String(cString: strerror(errno))
      let code: DeltaError.Code = errno == ENOENT || errno == ENOTDIR ? .notATable : .io
      throw DeltaError(code, "cannot list the directory: \(reason)", path: directory)
    }
    defer { closedir(handle) }
    var entries: [StoredObject] = []
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    while let entry = readdir(handle) {
      let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
      }
      if name == "." || name == ".." { continue }
      if let startingAt, name < startingAt { continue }
      var info = stat()
      guard stat(prefix + name, &info) == 0 else { continue }
      entries.append(
        StoredObject(
          name: name, size: Int64(info.st_size), modificationTime: Self.milliseconds(info),
          isDirectory: info.st_mode & S_IFMT == S_IFDIR))
    }
    entries.sort { $0.name < $1.name }
    return entries
  }

  public func readFile(_ path: String) throws(DeltaError) -> [UInt8] {
    let file = try openFile(path)
    do {
      return try file.read(offset: 0, length: file.size)
    } catch {
      throw DeltaError(.io, "cannot read: \(error)", path: path, cause: error)
    }
  }

  public func openFile(_ path: String) throws(DeltaError) -> any ReadableFile {
    do {
      return try LocalFile(path: path)
    } catch let error as StorageError {
      let code: DeltaError.Code = error.code == .notFound ? .missingFile : .io
      let message = error.code == .notFound ? "file not found" : error.message
      throw DeltaError(code, message, path: path, cause: error)
    } catch {
      throw DeltaError(.io, "\(error)", path: path)
    }
  }

  public func statFile(_ path: String) throws(DeltaError) -> StoredObject {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code: DeltaError.Code = errno == ENOENT ? .missingFile : .io
      throw DeltaError(code, String(cString: strerror(errno)), path: path)
    }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return StoredObject(
      name: name, size: Int64(info.st_size), modificationTime: Self.milliseconds(info),
      isDirectory: info.st_mode & S_IFMT == S_IFDIR)
  }

  /// Writes a hidden temporary file in the same directory, syncs it, then `link()`s it to `path`:
  /// `link` fails with `EEXIST` when `path` exists, so a commit is never overwritten, and the
  /// file appears complete.
  public func putIfAbsent(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    let temporary = try writeTemporary(besides: path, bytes: bytes)
    defer { unlink(temporary) }
    guard link(temporary, path) == 0 else {
      if errno == EEXIST { throw DeltaError(.alreadyExists, "the file already exists", path: path) }
      throw DeltaError(.io, "cannot create: \(String(cString: strerror(errno)))", path: path)
    }
    Self.syncDirectory(of: path)
  }

  public func writeFile(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    let temporary = try writeTemporary(besides: path, bytes: bytes)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw DeltaError(.io, "cannot write: \(reason)", path: path)
    }
  }

  public func createFile(_ path: String) throws(DeltaError) -> any WritableFile {
    do {
      return try LocalWritableFile(path: path)
    } catch {
      throw DeltaError(.io, "cannot create: \(error)", path: path, cause: error)
    }
  }

  public func createDirectory(_ path: String) throws(DeltaError) {
    var current = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      current += "/" + component
      if mkdir(current, 0o755) != 0 && errno != EEXIST {
        throw DeltaError(.io, "cannot create the directory: \(String(cString: strerror(errno)))", path: current)
      }
    }
  }

  public func deleteFile(_ path: String) throws(DeltaError) {
    if unlink(path) != 0 && errno != ENOENT {
      throw DeltaError(.io, "cannot delete: \(String(cString: strerror(errno)))", path: path)
    }
  }

  private func writeTemporary(besides path: String, bytes: [UInt8]) throws(DeltaError) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let temporary = "\(directory)/.\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DeltaError(.io, "cannot create a temporary file: \(String(cString: strerror(errno)))", path: temporary)
    }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw DeltaError(.io, "cannot write: \(reason)", path: temporary)
      }
      done += n
    }
    guard fsync(fd) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw DeltaError(.io, "cannot sync: \(reason)", path: temporary)
    }
    return temporary
  }

  private static func syncDirectory(of path: String) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let fd = open(directory, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }

  private static func milliseconds(_ info: stat) -> Int64 {
    #if canImport(Darwin)
      return Int64(info.st_mtimespec.tv_sec) * 1000 + Int64(info.st_mtimespec.tv_nsec) / 1_000_000
    #else
      return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    #endif
  }
}
