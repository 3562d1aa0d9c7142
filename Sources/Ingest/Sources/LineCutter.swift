#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cuts text into lines for the line-framed sources (files, standard input, S3 objects, Kafka
/// messages), so they all agree on what a line is: its bytes without `\n` and a trailing `\r`.
enum LineCutter {
  /// Calls `body` with each complete line of `bytes` and the offset just past its newline.
  /// With `final`, text after the last newline is a line too. Returns the bytes consumed.
  @discardableResult
  static func forEachLine(
    in bytes: UnsafeBufferPointer<UInt8>, final: Bool, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
  ) rethrows -> Int {
    var start = 0
    if let base = bytes.baseAddress {
      // memchr: the newline search runs over every byte ingested.
      while start < bytes.count, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) {
        let index = UnsafeRawPointer(base).distance(to: found)
        try body(trimmed(bytes, start, index), index + 1)
        start = index + 1
      }
    }
    if final, start < bytes.count {
      try body(trimmed(bytes, start, bytes.count), bytes.count)
      start = bytes.count
    }
    return start
  }

  @inline(__always) private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> UnsafeBufferPointer<UInt8>
  {
    let last = end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
    return UnsafeBufferPointer(rebasing: bytes[start..<last])
  }
}
