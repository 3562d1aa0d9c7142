#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Input paths as users give them: files, folders (their files, not hidden ones) and globs.
enum PathExpansion {
  /// The files the patterns name now, sorted, without repeats. A plain path that does not
  /// exist is an error unless `allowMissing` (a followed log may appear later).
  static func files(_ patterns: [String], allowMissing: Bool) throws(IngestError) -> [String] {
    var result: [String] = []
    var seen = Set<String>()
    for pattern in patterns {
      var matches: [String]
      if OpenFile.isDirectory(pattern) {
        matches = directoryFiles(pattern)
      } else if pattern.contains(where: { "*?[".contains($0) }) {
        matches = glob(pattern).filter { OpenFile.isRegularFile($0) }
      } else if OpenFile.isRegularFile(pattern) {
        matches = [pattern]
      } else {
        if allowMissing { continue }
        throw IngestError("\(pattern): no such file")
      }
      matches.sort()
      for path in matches where seen.insert(path).inserted { result.append(path) }
    }
    return result
  }

  static func directoryFiles(_ path: String) -> [String] {
    guard let directory = opendir(path) else { return [] }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard !name.hasPrefix(".") else { continue }
      let full = path.hasSuffix("/") ? path + name : path + "/" + name
      if OpenFile.isRegularFile(full) { names.append(full) }
    }
    return names
  }

  static func glob(_ pattern: String) -> [String] {
    var found = glob_t()
    defer { globfree(&found) }
    guard Glibc.glob(pattern, 0, nil, &found) == 0 else { return [] }
    var paths: [String] = []
    for index in 0..<Int(found.gl_pathc) {
      if let path = found.gl_pathv[index] { paths.append(String(cString: path)) }
    }
    return paths
  }
}
