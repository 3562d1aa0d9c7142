#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A terminal's settings, saved so raw mode can be entered and left again.
struct TerminalMode {
  let descriptor: Int32
  private let original: termios

  /// Saves the settings of terminal `descriptor`; nil if it is not a terminal.
  init?(descriptor: Int32) {
    var settings = termios()
    guard tcgetattr(descriptor, &settings) == 0 else { return nil }
    self.descriptor = descriptor
    original = settings
  }

  /// Switches to raw mode: bytes arrive one by one as typed, unechoed, with Ctrl-C, Ctrl-Z,
  /// Ctrl-V, Ctrl-S/Ctrl-Q and CR left to the editor; output processing (`\n` to CR LF) stays.
  /// Returns false if the terminal refused.
  func enterRaw() -> Bool {
    var raw = original
    raw.c_iflag &= ~tcflag_t(ICRNL | IXON)
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
    withUnsafeMutableBytes(of: &raw.c_cc) { characters in
      characters[Int(VMIN)] = 1
      characters[Int(VTIME)] = 0
    }
    return setAttributes(raw)
  }

  /// Puts the saved settings back.
  func restore() {
    _ = setAttributes(original)
  }

  /// TCSADRAIN, not TCSAFLUSH: input typed ahead (a pasted statement) is kept.
  private func setAttributes(_ settings: termios) -> Bool {
    var settings = settings
    while tcsetattr(descriptor, TCSADRAIN, &settings) != 0 {
      guard errno == EINTR else { return false }
    }
    return true
  }

  /// The width of terminal `descriptor` in columns, or nil if unknown.
  static func readColumns(descriptor: Int32) -> Int? {
    var size = winsize()
    guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}

/// Writes all of `text` to `descriptor`, retrying after signals; false if writing failed.
@discardableResult func writeAll(_ text: String, to descriptor: Int32) -> Bool {
  var text = text
  return text.withUTF8 { bytes in
    var done = 0
    while done < bytes.count {
      let written = write(descriptor, bytes.baseAddress.map { $0 + done }, bytes.count - done)
      if written < 0 {
        if errno == EINTR { continue }
        return false
      }
      done += written
    }
    return true
  }
}
