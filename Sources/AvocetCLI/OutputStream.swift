#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Buffered writes to standard output; a closed pipe (`avocet cat … | head`) ends output quietly.
struct StandardOutput {
  private var buffer: [UInt8] = []
  private(set) var closed = false
  /// The file descriptor written to: standard output unless a command writes to a file.
  let descriptor: Int32

  init(descriptor: Int32 = 1) {
    self.descriptor = descriptor
    buffer.reserveCapacity(1 << 16)
  }

  mutating func write(_ bytes: [UInt8]) {
    buffer.append(contentsOf: bytes)
    if buffer.count >= 1 << 16 { flush() }
  }

  mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  mutating func flush() {
    guard !buffer.isEmpty, !closed else {
      buffer.removeAll(keepingCapacity: true)
      return
    }
    buffer.withUnsafeBytes { bytes in
      var done = 0
      while done < bytes.count {
        let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          closed = true
          return
        }
        done += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// Prints a one-line error to standard error.
func printError(_ message: String) {
  var line = Array("avocet: error: \(message)\n".utf8)
  line.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}
