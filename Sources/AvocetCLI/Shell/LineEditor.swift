#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads lines from the terminal with editing and history; falls back to plain reading when
/// standard input is not a terminal.
///
/// Keys: Left/Right, Home/End (or Ctrl-A/Ctrl-E), Ctrl-Left/Ctrl-Right (or Alt-B/Alt-F) by word,
/// Backspace, Delete, Ctrl-D (delete under the cursor; end of input on an empty line), Up/Down
/// through the history (the line being typed comes back on the way down), Ctrl-K / Ctrl-U / Ctrl-W
/// kill to the end / to the start / the previous word, Ctrl-Y puts the killed text back, Ctrl-L
/// clears the screen, Ctrl-Z suspends, Ctrl-C abandons the line, Enter (CR or LF) submits it.
/// A line too long for the terminal scrolls sideways.
///
/// The terminal is in raw mode only inside ``readLine(prompt:)``; output written between calls
/// behaves as usual (but must be flushed before the next call, which writes straight to the
/// terminal). History is best effort: a file that cannot be read or written is reported once on
/// standard error and the shell goes on without it.
struct LineEditor {
  /// Whether standard input and standard output are terminals.
  let isInteractive: Bool
  /// Whether the last ``readLine(prompt:)`` ended with Ctrl-C.
  private(set) var wasInterrupted = false
  private let canEdit: Bool
  private var line: LineBuffer
  private var decoder = KeyDecoder()
  private var input: DescriptorReader
  private let output: Int32
  private let historyFile: HistoryFile?
  private var reportedHistoryError = false
  /// How long a lone ESC waits for the rest of an escape sequence.
  static let escapeTimeoutMilliseconds: Int32 = 100
  /// Columns assumed when the terminal does not tell its width.
  static let defaultColumns = 80

  /// Loads the history from `historyFile` (the last `maxHistory` entries; a longer file is
  /// trimmed). Entries are kept one per line, a newline in an entry written `\n` and a backslash
  /// `\\`.
  init(historyFile: String?, maxHistory: Int = 1000) {
    self.init(historyFile: historyFile, maxHistory: maxHistory, input: 0, output: 1)
  }

  /// An editor over other descriptors (for tests: a pipe or a pseudo-terminal).
  init(historyFile: String?, maxHistory: Int = 1000, input: Int32, output: Int32) {
    isInteractive = isatty(input) == 1 && isatty(output) == 1
    let terminal = getenv("TERM").map { String(cString: $0) }
    canEdit = isInteractive && terminal != "dumb"
    self.input = DescriptorReader(descriptor: input)
    self.output = output
    self.historyFile = historyFile.map(HistoryFile.init)
    var entries: [String] = []
    if let file = self.historyFile {
      do {
        entries = try file.readEntries()
        if entries.count > maxHistory {
          entries.removeFirst(entries.count - max(0, maxHistory))
          try file.writeEntries(entries)
        }
      } catch {
        Self.reportHistoryError(error)
        reportedHistoryError = true
      }
    }
    line = LineBuffer(history: entries, maxHistory: maxHistory)
  }

  /// The history, oldest first.
  var history: [String] { line.history }

  /// Shows `prompt`, returns the line without the newline; nil at end of input (Ctrl-D on an
  /// empty line, or EOF).
  ///
  /// Ctrl-C clears the current line and returns "" (with ``wasInterrupted`` set), so the caller
  /// can reset a statement that spans lines. When input or output is not a terminal, the line is
  /// read as it comes, without a prompt (a trailing `\r` is dropped).
  mutating func readLine(prompt: String) -> String? {
    wasInterrupted = false
    guard canEdit, let mode = TerminalMode(descriptor: input.descriptor), mode.enterRaw() else {
      if isInteractive { writeAll(prompt, to: output) }
      return input.readLine()
    }
    defer { mode.restore() }
    return readEditedLine(prompt: prompt, mode: mode)
  }

  /// Adds to history (skips empty and consecutive duplicates) and appends to the history file.
  mutating func addHistory(_ entry: String) {
    guard line.addHistory(entry), let historyFile else { return }
    do {
      try historyFile.appendEntry(entry)
    } catch {
      if !reportedHistoryError { Self.reportHistoryError(error) }
      reportedHistoryError = true
    }
  }

  private mutating func readEditedLine(prompt: String, mode: TerminalMode) -> String? {
    let promptWidth = LineBuffer.displayWidth(of: prompt)
    drawLine(prompt: prompt, promptWidth: promptWidth)
    var needsDrawing = false
    while true {
      if needsDrawing && !input.hasBufferedBytes {
        drawLine(prompt: prompt, promptWidth: promptWidth)
        needsDrawing = false
      }
      if decoder.isPending && !input.waitForByte(milliseconds: Self.escapeTimeoutMilliseconds) {
        decoder.reset()
      }
      guard let byte = input.readByte() else {
        // The terminal went away: a line typed so far still counts.
        let text = line.text
        _ = line.apply(.interrupt)
        writeAll("\n", to: output)
        return text.isEmpty ? nil : text
      }
      guard let key = decoder.feed(byte) else { continue }
      let abandoned = key == .interrupt ? line.text : ""
      switch line.apply(key) {
      case .none:
        break
      case .redraw:
        needsDrawing = true
      case .clearScreen:
        writeAll("\u{1B}[H\u{1B}[2J", to: output)
        needsDrawing = true
      case .submit(let text):
        writeAll("\r" + prompt + LineBuffer.displayText(of: text) + "\u{1B}[K\n", to: output)
        return text
      case .interrupt:
        writeAll("\r" + prompt + LineBuffer.displayText(of: abandoned) + "^C\u{1B}[K\n", to: output)
        wasInterrupted = true
        return ""
      case .endOfInput:
        writeAll("\n", to: output)
        return nil
      case .suspend:
        writeAll("\n", to: output)
        mode.restore()
        kill(0, SIGTSTP)
        _ = mode.enterRaw()
        needsDrawing = true
      }
    }
  }

  /// Draws the line on the cursor's row: `\r`, prompt, visible text, erase to the end of the row,
  /// then the cursor moved to its column.
  private func drawLine(prompt: String, promptWidth: Int) {
    let columns = TerminalMode.readColumns(descriptor: output) ?? Self.defaultColumns
    let view = line.rendering(promptWidth: promptWidth, columns: columns)
    var text = "\r" + prompt + view.text + "\u{1B}[K\r"
    if view.cursorColumn > 0 { text += "\u{1B}[\(view.cursorColumn)C" }
    writeAll(text, to: output)
  }

  private static func reportHistoryError(_ error: HistoryFile.Error) {
    writeAll("avocet: warning: \(error)\n", to: 2)
  }
}
