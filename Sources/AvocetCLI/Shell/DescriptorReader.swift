#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Buffered reads from a file descriptor (standard input), retrying after signals.
struct DescriptorReader {
  let descriptor: Int32
  private var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
  /// Bytes of `buffer` read so far, and the next one to hand out.
  private var filled = 0
  private var position = 0
  private(set) var atEnd = false
  static let chunkSize = 4096

  init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  /// Whether bytes already read are waiting (more of a paste or an escape sequence).
  var hasBufferedBytes: Bool { position < filled }

  /// The next byte, waiting for it; nil at the end of input or on a read error.
  mutating func readByte() -> UInt8? {
    guard position < filled || fill() else { return nil }
    defer { position += 1 }
    return buffer[position]
  }

  /// Whether a byte can be read within `milliseconds` without blocking longer.
  mutating func waitForByte(milliseconds: Int32) -> Bool {
    if position < filled { return true }
    if atEnd { return false }
    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    while true {
      let ready = poll(&request, 1, milliseconds)
      if ready < 0 && errno == EINTR { continue }
      return ready > 0
    }
  }

  /// The next line without its `\n` (nor a `\r` before it); nil at the end of input. Invalid
  /// UTF-8 becomes U+FFFD.
  mutating func readLine() -> String? {
    var line: [UInt8] = []
    var sawAny = false
    while let byte = readByte() {
      sawAny = true
      if byte == UInt8(ascii: "\n") { break }
      line.append(byte)
    }
    guard sawAny else { return nil }
    if line.last == UInt8(ascii: "\r") { line.removeLast() }
    return String(decoding: line, as: UTF8.self)
  }

  private mutating func fill() -> Bool {
    guard !atEnd else { return false }
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        filled = count
        position = 0
        return true
      }
      if count < 0 && errno == EINTR { continue }
      if count < 0 && errno == EAGAIN {
        // A non-blocking descriptor: wait until it has input.
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&request, 1, -1)
        continue
      }
      atEnd = true
      filled = 0
      position = 0
      return false
    }
  }
}
