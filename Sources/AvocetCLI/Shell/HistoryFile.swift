#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A line editor's history on disk: one entry per line, oldest first, with a newline in an entry
/// written as `\n`, a carriage return as `\r` and a backslash as `\\`.
struct HistoryFile: Sendable {
  let path: String

  /// Why the history file could not be read or written.
  struct Error: Swift.Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
  }

  /// The entries; none if the file does not exist.
  func readEntries() throws(Error) -> [String] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      if errno == ENOENT { return [] }
      throw failure("cannot open history")
    }
    defer { close(descriptor) }
    var reader = DescriptorReader(descriptor: descriptor)
    var entries: [String] = []
    while let line = reader.readLine() {
      if !line.isEmpty { entries.append(Self.unescape(line)) }
    }
    return entries
  }

  /// Appends one entry, creating the file (readable by its owner only) if need be.
  func appendEntry(_ entry: String) throws(Error) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw failure("cannot open history") }
    defer { close(descriptor) }
    guard writeAll(Self.escape(entry) + "\n", to: descriptor) else { throw failure("cannot write history") }
  }

  /// Replaces the file's entries (to trim it), by writing a temporary file and renaming it.
  func writeEntries(_ entries: [String]) throws(Error) {
    let temporary = path + ".tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw failure("cannot create \(temporary)") }
    var text = ""
    for entry in entries { text += Self.escape(entry) + "\n" }
    guard writeAll(text, to: descriptor) else {
      let error = failure("cannot write \(temporary)")
      close(descriptor)
      unlink(temporary)
      throw error
    }
    close(descriptor)
    guard rename(temporary, path) == 0 else {
      let error = failure("cannot rename \(temporary)")
      unlink(temporary)
      throw error
    }
  }

  /// The entry as one line.
  static func escape(_ entry: String) -> String {
    var line = ""
    line.unicodeScalars.reserveCapacity(entry.unicodeScalars.count)
    for scalar in entry.unicodeScalars {
      switch scalar {
      case "\\": line += "\\\\"
      case "\n": line += "\\n"
      case "\r": line += "\\r"
      default: line.unicodeScalars.append(scalar)
      }
    }
    return line
  }

  /// The entry a line holds; a backslash before any other character is kept as it is.
  static func unescape(_ line: String) -> String {
    var entry = ""
    var escaped = false
    for scalar in line.unicodeScalars {
      if escaped {
        escaped = false
        switch scalar {
        case "\\": entry += "\\"
        case "n": entry += "\n"
        case "r": entry += "\r"
        default:
          entry += "\\"
          entry.unicodeScalars.append(scalar)
        }
      } else if scalar == "\\" {
        escaped = true
      } else {
        entry.unicodeScalars.append(scalar)
      }
    }
    if escaped { entry += "\\" }
    return entry
  }

  private func failure(_ message: String) -> Error {
    Error(path: path, message: "\(message): \(String(cString: strerror(errno)))")
  }
}
