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

  private static func milliseconds(_ info: stat) -> Int64 {
    #if canImport(Darwin)
      return Int64(info.st_mtimespec.tv_sec) * 1000 + Int64(info.st_mtimespec.tv_nsec) / 1_000_000
    #else
      return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    #endif
  }
}
