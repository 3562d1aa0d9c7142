#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few POSIX file operations the server needs, with the durability steps spelled out:
/// `fsync` of a file before it counts as written, of its folder once a name appears or changes.
enum DurableFile {
  static func errorText() -> String { String(cString: strerror(errno)) }

  /// The whole file, or nil when it cannot be read.
  static func readAll(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { return nil }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  /// Writes all of `bytes`; returns how many were written before an error (with `errno` set).
  static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    var done = 0
    while done < bytes.count {
      let count = write(fd, bytes.baseAddress.unsafelyUnwrapped + done, bytes.count - done)
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return done }
      done += count
    }
    return done
  }

  /// Replaces the file at `path` with `bytes` so that a crash leaves the old or the new
  /// content: a temporary file, `fsync`, `rename`, `fsync` of the folder.
  static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(ServerError) {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ServerError("cannot create \(temporary): \(errorText())") }
    let written = bytes.withUnsafeBytes { writeAll(fd, $0) }
    let synced = written == bytes.count && fsync(fd) == 0
    let problem = errorText()
    close(fd)
    guard synced else {
      unlink(temporary)
      throw ServerError("cannot write \(temporary): \(problem)")
    }
    guard rename(temporary, path) == 0 else {
      throw ServerError("cannot rename \(temporary) to \(path): \(errorText())")
    }
    syncFolder(of: path)
  }

  /// `fsync` of the folder holding `path`, so that a new or renamed name survives a power loss.
  static func syncFolder(of path: String) {
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    syncFolder(folder.isEmpty ? "/" : folder)
  }

  static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }

  /// Creates a folder and its missing parents.
  static func makeFolder(_ path: String) throws(ServerError) {
    var partial = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      partial += "/" + component
      if mkdir(partial, 0o700) != 0, errno != EEXIST {
        throw ServerError("cannot create the folder \(partial): \(errorText())")
      }
    }
    guard isFolder(path) else { throw ServerError("\(path) is not a folder") }
  }

  static func isFolder(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// The size of the file at `path`, or nil when there is none.
  static func size(_ path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int64(info.st_size)
  }

  /// The names in a folder (not `.` and `..`), sorted.
  static func names(in folder: String) -> [String] {
    guard let directory = opendir(folder) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != ".", name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
