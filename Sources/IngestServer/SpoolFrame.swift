import Delta
import Ingest

/// The data lines of one request, each ending in `\n`, in one buffer.
struct SpoolLines: Sendable {
  private(set) var bytes: [UInt8] = []
  /// The offset just past each line's `\n`.
  private(set) var ends: [Int] = []

  init() {}

  var count: Int { ends.count }

  /// Appends a line (it must hold no `\n`) and its newline.
  mutating func append(_ line: some Collection<UInt8>) {
    bytes.append(contentsOf: line)
    bytes.append(UInt8(ascii: "\n"))
    ends.append(bytes.count)
  }

  /// Appends the compact JSON text of a value as one line (JSON text escapes every newline).
  mutating func append(json value: JSONValue) {
    value.append(to: &bytes)
    bytes.append(UInt8(ascii: "\n"))
    ends.append(bytes.count)
  }

  /// The bytes of the lines from `first` on.
  func bytes(from first: Int) -> ArraySlice<UInt8> {
    first == 0 ? bytes[...] : bytes[ends[first - 1]...]
  }
}

/// How requests sit in a spool file. A file starts with a header line and holds frames, one per
/// request, each written with one `write(2)`:
///
/// ```
/// \u{1E}spool <channel> <sequence> <nonce>
/// \u{1E}request <id> <first> <total> <bytes>
/// <data line first>
/// …
/// <data line total-1>
/// ```
///
/// Lines that start with the record separator (0x1E), which JSON text never does, are markers:
/// ``SpoolDecoder`` reads no records from them. The header (padded to the 1 KiB that
/// `FileIngestor` fingerprints) carries a random nonce: every file has distinct first bytes, so
/// its ingest position (keyed by inode and first bytes) is never taken for another file's. A frame normally holds all `total` lines of its request (`first` = 0); a
/// request whose frame was cut short (the server was killed inside the `write`) is completed
/// by a frame that starts at the first line the torn one did not hold. `bytes` is the length of
/// the data lines, so a torn frame is recognised when the spool is scanned at start-up.
enum SpoolFrame {
  static let separator: UInt8 = 0x1E

  /// The first line of a new spool file, padded with spaces to the length of the prefix that
  /// identifies a file to `FileIngestor`: no byte of a frame is ever part of that prefix, so
  /// cutting a torn frame off the end never changes the file's identity (and position).
  static func header(channel: String, sequence: UInt64, nonce: String) -> [UInt8] {
    var line = Array("\u{1E}spool \(channel) \(sequence) \(nonce)".utf8)
    let length = FileIngestor.identityPrefixLength
    if line.count < length - 1 { line += [UInt8](repeating: UInt8(ascii: " "), count: length - 1 - line.count) }
    line.append(UInt8(ascii: "\n"))
    return line
  }

  /// The marker line and data lines of one frame: lines `first..<lines.count` of a request.
  static func bytes(id: String, lines: SpoolLines, first: Int) -> (frame: [UInt8], markerLength: Int) {
    let data = lines.bytes(from: first)
    var frame = Array("\u{1E}request \(id) \(first) \(lines.count) \(data.count)\n".utf8)
    let markerLength = frame.count
    frame.append(contentsOf: data)
    return (frame, markerLength)
  }

  /// A frame's marker line, parsed.
  struct Marker: Equatable {
    var id: String
    var first: Int
    var total: Int
    var byteCount: Int
  }

  /// The marker of a `request` line (without its `\n`); nil for any other line.
  static func marker(_ line: some Collection<UInt8>) -> Marker? {
    guard line.first == separator else { return nil }
    let parts = String(decoding: line.dropFirst(), as: UTF8.self).split(separator: " ")
    guard parts.count == 5, parts[0] == "request", let first = Int(parts[2]), let total = Int(parts[3]),
      let byteCount = Int(parts[4]), first >= 0, first <= total, byteCount >= 0
    else { return nil }
    return Marker(id: String(parts[1]), first: first, total: total, byteCount: byteCount)
  }
}
