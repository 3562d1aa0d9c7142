#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shell-style globbing of local paths (`logs/*.parquet`, `data/2024-*/part-?.parquet`).
enum FileGlob {
  /// The matching paths in sorted order; a pattern without wildcards names itself when it exists.
  static func expand(_ pattern: String) -> [String] {
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
