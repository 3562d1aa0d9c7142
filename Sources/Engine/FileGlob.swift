import Delta

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shell-style globbing of local paths (`logs/*.parquet`, `data/2024-*/part-?.parquet`) and of
/// `s3://` keys.
enum FileGlob {
  /// The matching paths in sorted order; a pattern without wildcards names itself when it exists.
  static func expand(_ pattern: String) throws(EngineError) -> [String] {
    if pattern.hasPrefix("s3://") || pattern.hasPrefix("s3a://") {
      do {
        return try ObjectPaths.expand(pattern)
      } catch {
        throw EngineError(.table, error.description)
      }
    }
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(pattern, 0, nil, &result) == 0 else { return [] }
    var paths: [String] = []
    for index in 0..<Int(result.gl_pathc) {
      if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
    }
    return paths.sorted()
  }
}
