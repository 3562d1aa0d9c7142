/// The line being edited, its cursor and the history behind it: all of a line editor that needs
/// no terminal.
///
/// History navigation keeps edits: Up saves the line being typed (and any edits to a recalled
/// entry) and Down brings them back, until the line is submitted or interrupted.
struct LineBuffer: Sendable {
  /// What the editor does after a key.
  enum Action: Hashable, Sendable {
    /// Nothing changed.
    case none
    /// The line or the cursor changed: draw the line again.
    case redraw
    /// Clear the screen, then draw the line.
    case clearScreen
    /// Enter: the line, now cleared for the next one.
    case submit(String)
    /// Ctrl-C: the line was cleared.
    case interrupt
    /// Ctrl-D on an empty line.
    case endOfInput
    /// Ctrl-Z: suspend the process, then draw the line again.
    case suspend
  }

  private(set) var characters: [Character] = []
  /// Index into `characters` of the character under the cursor (`characters.count` at the end).
  private(set) var cursor = 0
  /// Entries, oldest first.
  private(set) var history: [String]
  let maxHistory: Int
  /// Which entry is shown: `history.count` for the line being typed.
  private(set) var historyIndex: Int
  /// Lines edited during history navigation, by history index (`history.count` is the new line).
  private var edits: [Int: [Character]] = [:]
  /// The text last killed by Ctrl-K, Ctrl-U or Ctrl-W, for Ctrl-Y.
  private(set) var killed: [Character] = []
  /// Spaces Tab inserts.
  static let tabWidth = 2

  init(history: [String] = [], maxHistory: Int = 1000) {
    self.maxHistory = max(0, maxHistory)
    self.history = Array(history.suffix(self.maxHistory))
    historyIndex = self.history.count
  }

  /// The line as text.
  var text: String { String(characters) }

  /// Replaces the line (the cursor goes to its end).
  mutating func setText(_ text: String) {
    characters = Array(text)
    cursor = characters.count
  }

  /// Adds an entry to the history unless it is blank or repeats the last entry; drops the oldest
  /// past `maxHistory`. Returns whether it was added. Navigation starts again from the newest.
  @discardableResult mutating func addHistory(_ entry: String) -> Bool {
    defer {
      historyIndex = history.count
      edits = [:]
    }
    guard !entry.allSatisfy(\.isWhitespace), entry != history.last, maxHistory > 0 else { return false }
    history.append(entry)
    if history.count > maxHistory { history.removeFirst(history.count - maxHistory) }
    return true
  }

  /// Applies one key.
  mutating func apply(_ key: Key) -> Action {
    switch key {
    case .insert(let character):
      insert([character])
    case .tab:
      insert(Array(repeating: " ", count: Self.tabWidth))
    case .yank:
      guard !killed.isEmpty else { return .none }
      insert(killed)
    case .left:
      return moveCursor(to: cursor - 1)
    case .right:
      return moveCursor(to: cursor + 1)
    case .home:
      return moveCursor(to: 0)
    case .end:
      return moveCursor(to: characters.count)
    case .wordLeft:
      return moveCursor(to: startOfWord(before: cursor))
    case .wordRight:
      return moveCursor(to: endOfWord(after: cursor))
    case .backspace:
      guard cursor > 0 else { return .none }
      cursor -= 1
      characters.remove(at: cursor)
    case .delete:
      guard cursor < characters.count else { return .none }
      characters.remove(at: cursor)
    case .deleteOrEndOfInput:
      if characters.isEmpty {
        reset()
        return .endOfInput
      }
      guard cursor < characters.count else { return .none }
      characters.remove(at: cursor)
    case .killToEnd:
      guard cursor < characters.count else { return .none }
      kill(cursor..<characters.count)
    case .killToStart:
      guard cursor > 0 else { return .none }
      kill(0..<cursor)
    case .killWordBackward:
      guard cursor > 0 else { return .none }
      kill(startOfWord(before: cursor)..<cursor)
    case .up:
      return showHistory(at: historyIndex - 1)
    case .down:
      return showHistory(at: historyIndex + 1)
    case .clearScreen:
      return .clearScreen
    case .suspend:
      return .suspend
    case .interrupt:
      reset()
      return .interrupt
    case .enter:
      let line = text
      reset()
      return .submit(line)
    }
    return .redraw
  }

  /// Empties the line and ends history navigation.
  private mutating func reset() {
    characters = []
    cursor = 0
    historyIndex = history.count
    edits = [:]
  }

  /// Inserts at the cursor; a character that combines with the one before the cursor (a
  /// combining accent typed after its letter) joins it, so the cursor moves by whole characters.
  private mutating func insert(_ inserted: [Character]) {
    for character in inserted {
      if cursor > 0 {
        let joined = String(characters[cursor - 1]) + String(character)
        if joined.count == 1, let single = joined.first {
          characters[cursor - 1] = single
          continue
        }
      }
      characters.insert(character, at: cursor)
      cursor += 1
    }
  }

  private mutating func moveCursor(to position: Int) -> Action {
    let clamped = min(max(position, 0), characters.count)
    guard clamped != cursor else { return .none }
    cursor = clamped
    return .redraw
  }

  private mutating func kill(_ range: Range<Int>) {
    killed = Array(characters[range])
    characters.removeSubrange(range)
    cursor = range.lowerBound
  }

  /// Where the word ending at or before `position` starts: whitespace, then non-whitespace,
  /// backwards (as Ctrl-W does in a shell).
  private func startOfWord(before position: Int) -> Int {
    var index = position
    while index > 0 && characters[index - 1].isWhitespace { index -= 1 }
    while index > 0 && !characters[index - 1].isWhitespace { index -= 1 }
    return index
  }

  /// Where the word starting at or after `position` ends.
  private func endOfWord(after position: Int) -> Int {
    var index = position
    while index < characters.count && characters[index].isWhitespace { index += 1 }
    while index < characters.count && !characters[index].isWhitespace { index += 1 }
    return index
  }

  /// Shows history entry `index` (`history.count`: the line being typed), keeping the edits of
  /// the line shown before.
  private mutating func showHistory(at index: Int) -> Action {
    guard index >= 0, index <= history.count, index != historyIndex else { return .none }
    edits[historyIndex] = characters
    historyIndex = index
    characters = edits[index] ?? (index < history.count ? Array(history[index]) : [])
    cursor = characters.count
    return .redraw
  }
}
