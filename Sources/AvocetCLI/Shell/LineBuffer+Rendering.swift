/// What the terminal shows of a line: the visible text after the prompt and the cursor's column.
struct LineRendering: Hashable, Sendable {
  /// The visible part of the line as drawn (control characters shown as `^X`, newlines as `↵`).
  var text: String
  /// The cursor's column, counting the prompt, from 0.
  var cursorColumn: Int
}

extension LineBuffer {
  /// The line as it fits on one terminal row after a prompt `promptWidth` columns wide: when it
  /// is too long, the view scrolls sideways so the cursor stays visible.
  func rendering(promptWidth: Int, columns: Int) -> LineRendering {
    let space = max(1, columns - promptWidth)
    let widths = characters.map(Self.displayWidth)
    var start = 0
    var widthBeforeCursor = widths[0..<cursor].reduce(0, +)
    // Keep the cursor's column inside the row (it may sit just past the last character).
    while widthBeforeCursor >= space && start < cursor {
      widthBeforeCursor -= widths[start]
      start += 1
    }
    var end = start
    var used = 0
    while end < characters.count && used + widths[end] <= space {
      used += widths[end]
      end += 1
    }
    end = max(end, cursor)
    var text = ""
    for character in characters[start..<end] { Self.appendDisplay(of: character, to: &text) }
    return LineRendering(text: text, cursorColumn: promptWidth + widthBeforeCursor)
  }

  /// Columns a character takes: one per Unicode scalar, none for combining marks; control
  /// characters show as `^X` (two), a newline as `↵` (one). Wide East Asian characters count one
  /// column, as in most simple editors.
  static func displayWidth(of character: Character) -> Int {
    var width = 0
    for scalar in character.unicodeScalars {
      if scalar == "\n" {
        width += 1
      } else if scalar.value < 0x20 || scalar.value == 0x7F {
        width += 2
      } else {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: break
        default: width += 1
        }
      }
    }
    return width
  }

  /// Columns a text takes (for a prompt).
  static func displayWidth(of text: String) -> Int {
    text.reduce(0) { $0 + displayWidth(of: $1) }
  }

  /// The text as drawn: control characters as `^X`, newlines as `↵`.
  static func displayText(of text: String) -> String {
    var shown = ""
    for character in text { appendDisplay(of: character, to: &shown) }
    return shown
  }

  private static func appendDisplay(of character: Character, to text: inout String) {
    guard character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
      text.append(character)
      return
    }
    for scalar in character.unicodeScalars {
      if scalar == "\n" {
        text += "↵"
      } else if scalar.value < 0x20 {
        text += "^"
        text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar.value) + 0x40))
      } else if scalar.value == 0x7F {
        text += "^?"
      } else {
        text.unicodeScalars.append(scalar)
      }
    }
  }
}
