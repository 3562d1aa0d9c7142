#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a spool file holds, read at start-up: its frames (with how much of each is there) and
/// where its last complete line ends.
struct SpoolScan {
  struct Frame {
    var marker: SpoolFrame.Marker
    /// Complete data lines after the marker, and their bytes.
    var lines = 0
    var bytes = 0

    /// How much of the request the file holds.
    var delivery: Delivery {
      let complete = bytes == marker.byteCount && lines == marker.total - marker.first
      return Delivery(delivered: complete ? marker.total : min(marker.first + lines, marker.total), total: marker.total)
    }
  }

  var frames: [Frame] = []
  /// The offset just past the last `\n`: bytes after it are a line cut short.
  var completeLength: Int64 = 0
  var size: Int64 = 0

  /// Reads the file at `path` in chunks.
  static func readFile(_ path: String) throws(ServerError) -> SpoolScan {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ServerError("cannot open the spool file \(path): \(DurableFile.errorText())") }
    defer { close(fd) }
    var scan = SpoolScan()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var offset: Int64 = 0
    /// The current line: whether it is a marker (its bytes are kept) and its length so far.
    var lineStart = true
    var markerLine: [UInt8]?
    var lineLength = 0
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { throw ServerError("cannot read the spool file \(path): \(DurableFile.errorText())") }
      if count == 0 { break }
      for index in 0..<count {
        let byte = chunk[index]
        if lineStart {
          lineStart = false
          markerLine = byte == SpoolFrame.separator ? [] : nil
        }
        if byte == UInt8(ascii: "\n") {
          if let line = markerLine {
            if let marker = SpoolFrame.marker(line) { scan.frames.append(Frame(marker: marker)) }
          } else if !scan.frames.isEmpty {
            scan.frames[scan.frames.count - 1].lines += 1
            scan.frames[scan.frames.count - 1].bytes += lineLength + 1
          }
          scan.completeLength = offset + Int64(index) + 1
          lineStart = true
          markerLine = nil
          lineLength = 0
        } else {
          markerLine?.append(byte)
          lineLength += 1
        }
      }
      offset += Int64(count)
    }
    scan.size = offset
    return scan
  }
}
