#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Server messages on standard error, one line each.
enum ServerLog {
  static func note(_ message: String) {
    let line = Array("avocet serve: \(message)\n".utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  }
}
