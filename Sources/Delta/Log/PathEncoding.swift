/// The paths of the Delta log are URIs (RFC 2396): relative to the table root or absolute, and
/// percent-encoded. These helpers turn them into file system paths.
enum PathEncoding {
  /// `text` with `%XX` escapes decoded; returned unchanged (without copying) when it has none.
  /// A malformed escape is kept literally.
  static func decodedIfNeeded(_ text: String) -> String {
    let hasEscape =
      text.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "%")) }
      ?? text.utf8.contains(UInt8(ascii: "%"))
    guard hasEscape else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
        let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      {
        out.append(high << 4 | low)
        index += 3
      } else {
        out.append(byte)
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x41...0x46: byte - 0x41 + 10
    case 0x61...0x66: byte - 0x61 + 10
    default: nil
    }
  }

  /// The location of a log path: `file:` URIs and absolute paths are used as they are (decoded),
  /// other URIs (`s3://…`) unchanged, anything else is taken relative to `root`.
  static func resolve(_ logPath: String, root: String) -> String {
    if logPath.hasPrefix("file://") {
      var rest = logPath.dropFirst("file://".count)
      // `file:///x` has an empty authority; `file://localhost/x` names the local host.
      if rest.hasPrefix("localhost/") { rest = rest.dropFirst("localhost".count) }
      return decodedIfNeeded(String(rest))
    }
    if logPath.hasPrefix("file:") { return decodedIfNeeded(String(logPath.dropFirst("file:".count))) }
    // s3://… and other stores' URIs are locations already.
    if isRemoteURI(logPath) { return logPath }
    let decoded = decodedIfNeeded(logPath)
    if decoded.hasPrefix("/") { return decoded }
    return root.hasSuffix("/") ? root + decoded : root + "/" + decoded
  }

  /// True when the path names a location on another file system (`s3://…`), which only an object
  /// store backend can read.
  static func isRemoteURI(_ logPath: String) -> Bool {
    guard let colon = logPath.firstIndex(of: ":") else { return false }
    let scheme = logPath[..<colon]
    guard !scheme.isEmpty, scheme != "file",
      scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
    else { return false }
    return logPath[colon...].hasPrefix("://")
  }
}
