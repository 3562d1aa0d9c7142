import Foundation
import Testing

@testable import AvocetCLI

#if canImport(Glibc)
  import Glibc
#endif

/// The shell's line editor: key decoding, editing, history navigation and persistence, drawing,
/// and `LineEditor` itself over a pipe and over a pseudo-terminal.
@Suite struct LineBufferTests {
  /// Decodes `bytes` fed one at a time; every byte before the last must complete no key.
  static func decodeOne(_ bytes: [UInt8], decoder: inout KeyDecoder) -> Key? {
    for byte in bytes.dropLast() {
      if let key = decoder.feed(byte) { Issue.record("\(bytes): \(byte) completed \(key) early") }
    }
    return bytes.last.flatMap { decoder.feed($0) }
  }

  static func decodeAll(_ bytes: [UInt8]) -> [Key] {
    var decoder = KeyDecoder()
    return bytes.compactMap { decoder.feed($0) }
  }

  /// A buffer holding `text`, the cursor at its end.
  static func buffer(_ text: String, history: [String] = []) -> LineBuffer {
    var line = LineBuffer(history: history)
    for character in text { _ = line.apply(.insert(character)) }
    return line
  }

  static func apply(_ keys: [Key], to line: inout LineBuffer) -> [LineBuffer.Action] {
    keys.map { line.apply($0) }
  }

  // MARK: Decoding

  @Suite struct Decoding {
    static let escape: UInt8 = 0x1B
    static func sequence(_ text: String) -> [UInt8] { [escape] + Array(text.utf8) }

    static let sequences: [(String, [UInt8], Key)] = [
      ("Left", sequence("[D"), .left), ("Left SS3", sequence("OD"), .left), ("Ctrl-B", [0x02], .left),
      ("Right", sequence("[C"), .right), ("Right SS3", sequence("OC"), .right), ("Ctrl-F", [0x06], .right),
      ("Up", sequence("[A"), .up), ("Up SS3", sequence("OA"), .up), ("Ctrl-P", [0x10], .up),
      ("Down", sequence("[B"), .down), ("Down SS3", sequence("OB"), .down), ("Ctrl-N", [0x0E], .down),
      ("Home", sequence("[H"), .home), ("Home SS3", sequence("OH"), .home), ("Home 1~", sequence("[1~"), .home),
      ("Home 7~", sequence("[7~"), .home), ("Ctrl-A", [0x01], .home),
      ("End", sequence("[F"), .end), ("End SS3", sequence("OF"), .end), ("End 4~", sequence("[4~"), .end),
      ("End 8~", sequence("[8~"), .end), ("Ctrl-E", [0x05], .end),
      ("Ctrl-Left", sequence("[1;5D"), .wordLeft), ("Alt-Left", sequence("[1;3D"), .wordLeft),
      ("Alt-B", sequence("b"), .wordLeft),
      ("Ctrl-Right", sequence("[1;5C"), .wordRight), ("Alt-Right", sequence("[1;3C"), .wordRight),
      ("Alt-F", sequence("f"), .wordRight),
      ("Shift-Left", sequence("[1;2D"), .left),
      ("Backspace DEL", [0x7F], .backspace), ("Backspace BS", [0x08], .backspace),
      ("Delete", sequence("[3~"), .delete), ("Ctrl-D", [0x04], .deleteOrEndOfInput),
      ("Ctrl-K", [0x0B], .killToEnd), ("Ctrl-U", [0x15], .killToStart), ("Ctrl-W", [0x17], .killWordBackward),
      ("Ctrl-Y", [0x19], .yank), ("Tab", [0x09], .tab), ("Ctrl-L", [0x0C], .clearScreen),
      ("Ctrl-C", [0x03], .interrupt), ("Ctrl-Z", [0x1A], .suspend),
      ("Enter CR", [0x0D], .enter), ("Enter LF", [0x0A], .enter),
      ("space", [0x20], .insert(" ")), ("letter", [0x61], .insert("a")), ("tilde", [0x7E], .insert("~")),
      ("2-byte UTF-8", Array("é".utf8), .insert("é")), ("3-byte UTF-8", Array("€".utf8), .insert("€")),
      ("4-byte UTF-8", Array("😀".utf8), .insert("😀")),
    ]

    @Test(arguments: sequences) func decodesKey(name: String, bytes: [UInt8], key: Key) {
      var decoder = KeyDecoder()
      #expect(LineBufferTests.decodeOne(bytes, decoder: &decoder) == key, "\(name)")
      #expect(!decoder.isPending)
      // The decoder is back at the start: the same key again decodes the same.
      #expect(LineBufferTests.decodeOne(bytes, decoder: &decoder) == key, "\(name) again")
    }

    @Test func keysSplitAcrossFeedsDecodeAsWhole() {
      var decoder = KeyDecoder()
      let input: [UInt8] = Array("a".utf8) + Self.sequence("[1;5D") + Array("€😀".utf8) + Self.sequence("[3~")
      var keys: [Key] = []
      // Feed in uneven pieces, as reads might deliver them.
      var start = 0
      for size in [2, 3, 1, 4, 2, 100] where start < input.count {
        let end = min(start + size, input.count)
        for byte in input[start..<end] { if let key = decoder.feed(byte) { keys.append(key) } }
        start = end
      }
      #expect(keys == [.insert("a"), .wordLeft, .insert("€"), .insert("😀"), .delete])
    }

    @Test func partialSequencesArePending() {
      var decoder = KeyDecoder()
      for byte in Self.sequence("[1;5") {
        #expect(decoder.feed(byte) == nil)
        #expect(decoder.isPending)
      }
      #expect(decoder.feed(UInt8(ascii: "C")) == .wordRight)
      for byte in Array("😀".utf8).dropLast() {
        #expect(decoder.feed(byte) == nil)
        #expect(decoder.isPending)
      }
      #expect(decoder.feed(Array("😀".utf8)[3]) == .insert("😀"))
    }

    @Test func loneEscapeIsDroppedByReset() {
      var decoder = KeyDecoder()
      #expect(decoder.feed(0x1B) == nil)
      #expect(decoder.isPending)
      decoder.reset()
      #expect(!decoder.isPending)
      #expect(decoder.feed(UInt8(ascii: "[")) == .insert("["))
    }

    @Test func escapeBeforeOtherByteDecodesTheByte() {
      #expect(LineBufferTests.decodeAll(Self.sequence("x")) == [.insert("x")])
      #expect(LineBufferTests.decodeAll([0x1B, 0x1B] + Array("[D".utf8)) == [.left])
      #expect(LineBufferTests.decodeAll([0x1B, 0x0D]) == [.enter])
    }

    @Test func unknownSequencesAreSwallowedWhole() {
      let insert = Self.sequence("[2~")
      let f5 = Self.sequence("[15~")
      let mouse = Self.sequence("[<0;3;4M")
      let ss3 = Self.sequence("OP")
      #expect(LineBufferTests.decodeAll(insert + f5 + mouse + ss3 + Array("a".utf8)) == [.insert("a")])
    }

    @Test func overlongControlSequenceIsDropped() {
      let long = Self.sequence("[" + String(repeating: "1;", count: 20) + "D")
      var decoder = KeyDecoder()
      #expect(long.compactMap { decoder.feed($0) } == [])
      #expect(!decoder.isPending)
      #expect(decoder.feed(UInt8(ascii: "a")) == .insert("a"))
    }

    @Test func controlSequenceCutByControlByteDecodesThatByte() {
      #expect(LineBufferTests.decodeAll(Self.sequence("[1") + [0x0D]) == [.enter])
    }

    @Test func carriageReturnLineFeedIsOneEnter() {
      #expect(LineBufferTests.decodeAll([0x0D, 0x0A]) == [.enter])
      #expect(LineBufferTests.decodeAll([0x0D, 0x0A, 0x0A]) == [.enter, .enter])
      #expect(LineBufferTests.decodeAll([0x0A, 0x0A]) == [.enter, .enter])
      #expect(LineBufferTests.decodeAll([0x0D, 0x0D]) == [.enter, .enter])
      #expect(LineBufferTests.decodeAll([0x0D, 0x61, 0x0A]) == [.enter, .insert("a"), .enter])
    }

    @Test func invalidUTF8IsDropped() {
      // A lead byte cut short: the next byte decodes alone.
      #expect(LineBufferTests.decodeAll([0xC3, 0x41]) == [.insert("A")])
      #expect(LineBufferTests.decodeAll([0xE2, 0x82, 0x0D]) == [.enter])
      // Stray continuation, bytes UTF-8 never uses, overlong forms, surrogates, C1 controls.
      #expect(LineBufferTests.decodeAll([0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xFF]) == [])
      #expect(LineBufferTests.decodeAll([0xE0, 0x80, 0x80]) == [])
      #expect(LineBufferTests.decodeAll([0xED, 0xA0, 0x80]) == [])
      #expect(LineBufferTests.decodeAll([0xF4, 0x90, 0x80, 0x80]) == [])
      #expect(LineBufferTests.decodeAll([0xC2, 0x85]) == [])
      #expect(LineBufferTests.decodeAll([0xC3, 0xA9, 0xFF, 0x62]) == [.insert("é"), .insert("b")])
    }

    @Test func unboundControlCharactersAreDropped() {
      #expect(LineBufferTests.decodeAll([0x00, 0x07, 0x0F, 0x11, 0x12, 0x13, 0x14, 0x16, 0x18, 0x1C, 0x1F]) == [])
    }
  }

  // MARK: Editing

  @Suite struct Editing {
    @Test func insertsAtTheCursor() {
      var line = LineBufferTests.buffer("selct")
      #expect(line.apply(.left) == .redraw)
      #expect(line.apply(.left) == .redraw)
      #expect(line.apply(.insert("e")) == .redraw)
      #expect(line.text == "select")
      #expect(line.cursor == 4)
    }

    @Test func multiByteCharactersAreOneCharacter() {
      var line = LineBufferTests.buffer("")
      var decoder = KeyDecoder()
      for byte in Array("né😀".utf8) { if let key = decoder.feed(byte) { _ = line.apply(key) } }
      #expect(line.characters == ["n", "é", "😀"])
      #expect(line.cursor == 3)
      _ = line.apply(.backspace)
      #expect(line.text == "né")
    }

    @Test func combiningMarkJoinsThePreviousCharacter() {
      var line = LineBufferTests.buffer("e")
      _ = line.apply(.insert("\u{301}"))
      #expect(line.characters.count == 1)
      #expect(line.cursor == 1)
      #expect(line.text == "e\u{301}")
      // At the start of the line there is nothing to join.
      _ = line.apply(.home)
      _ = line.apply(.insert("\u{301}"))
      #expect(line.characters.count == 2)
    }

    @Test func cursorMovesStopAtTheEnds() {
      var line = LineBufferTests.buffer("ab")
      #expect(line.apply(.right) == .none)
      #expect(line.apply(.end) == .none)
      #expect(line.apply(.home) == .redraw)
      #expect(line.cursor == 0)
      #expect(line.apply(.left) == .none)
      #expect(line.apply(.home) == .none)
      #expect(line.apply(.right) == .redraw)
      #expect(line.cursor == 1)
      #expect(line.apply(.end) == .redraw)
      #expect(line.cursor == 2)
    }

    @Test func wordMovesSkipSpacesThenTheWord() {
      var line = LineBufferTests.buffer("select  a.b from t")
      #expect(line.apply(.wordLeft) == .redraw)
      #expect(line.cursor == 17)
      _ = line.apply(.wordLeft)
      #expect(line.cursor == 12)
      _ = line.apply(.wordLeft)
      _ = line.apply(.wordLeft)
      #expect(line.cursor == 0)
      #expect(line.apply(.wordLeft) == .none)
      _ = line.apply(.wordRight)
      #expect(line.cursor == 6)
      _ = line.apply(.wordRight)
      #expect(line.cursor == 11)
    }

    @Test func backspaceDeletesBeforeTheCursor() {
      var line = LineBufferTests.buffer("abc")
      #expect(line.apply(.backspace) == .redraw)
      #expect(line.text == "ab")
      _ = line.apply(.home)
      #expect(line.apply(.backspace) == .none)
      _ = line.apply(.right)
      _ = line.apply(.backspace)
      #expect(line.text == "b")
      #expect(line.cursor == 0)
    }

    @Test func deleteRemovesUnderTheCursor() {
      var line = LineBufferTests.buffer("abc")
      #expect(line.apply(.delete) == .none)
      _ = line.apply(.home)
      #expect(line.apply(.delete) == .redraw)
      #expect(line.text == "bc")
      #expect(line.cursor == 0)
    }

    @Test func controlDDeletesOrEndsInput() {
      var line = LineBufferTests.buffer("ab")
      #expect(line.apply(.deleteOrEndOfInput) == .none)
      _ = line.apply(.left)
      #expect(line.apply(.deleteOrEndOfInput) == .redraw)
      #expect(line.text == "a")
      _ = line.apply(.backspace)
      #expect(line.apply(.deleteOrEndOfInput) == .endOfInput)
    }

    @Test func killsAndYank() {
      var line = LineBufferTests.buffer("select a from t")
      for _ in 0..<6 { _ = line.apply(.left) }
      #expect(line.apply(.killToEnd) == .redraw)
      #expect(line.text == "select a ")
      #expect(line.apply(.killToEnd) == .none)
      _ = line.apply(.end)
      #expect(line.apply(.yank) == .redraw)
      #expect(line.text == "select a from t")
      _ = line.apply(.wordLeft)
      #expect(line.apply(.killToStart) == .redraw)
      #expect(line.text == "t")
      #expect(line.cursor == 0)
      #expect(line.apply(.killToStart) == .none)
      _ = line.apply(.yank)
      #expect(line.text == "select a from t")
      #expect(line.cursor == 14)
    }

    @Test func controlWDeletesThePreviousWord() {
      var line = LineBufferTests.buffer("select  foo.bar  ")
      #expect(line.apply(.killWordBackward) == .redraw)
      #expect(line.text == "select  ")
      _ = line.apply(.killWordBackward)
      #expect(line.text == "")
      #expect(line.apply(.killWordBackward) == .none)
      var middle = LineBufferTests.buffer("ab cd")
      _ = middle.apply(.left)
      _ = middle.apply(.killWordBackward)
      #expect(middle.text == "ab d")
      #expect(middle.cursor == 3)
    }

    @Test func yankWithNothingKilledDoesNothing() {
      var line = LineBufferTests.buffer("a")
      #expect(line.apply(.yank) == .none)
    }

    @Test func tabInsertsSpaces() {
      var line = LineBufferTests.buffer("a")
      _ = line.apply(.tab)
      #expect(line.text == "a  ")
    }

    @Test func enterSubmitsAndClears() {
      var line = LineBufferTests.buffer("select 1;")
      _ = line.apply(.home)
      #expect(line.apply(.enter) == .submit("select 1;"))
      #expect(line.text == "")
      #expect(line.cursor == 0)
      #expect(line.apply(.enter) == .submit(""))
    }

    @Test func controlCClearsTheLine() {
      var line = LineBufferTests.buffer("select")
      #expect(line.apply(.interrupt) == .interrupt)
      #expect(line.text == "")
      #expect(line.cursor == 0)
    }

    @Test func screenAndSuspendKeepTheLine() {
      var line = LineBufferTests.buffer("abc")
      #expect(line.apply(.clearScreen) == .clearScreen)
      #expect(line.apply(.suspend) == .suspend)
      #expect(line.text == "abc")
    }

    @Test func bytesToSubmittedLine() {
      var decoder = KeyDecoder()
      var line = LineBuffer()
      var actions: [LineBuffer.Action] = []
      let input = "ab\u{1B}[Dc\u{1B}OH\u{1B}[3~x\u{1B}[F!\u{7F}?\r"
      for byte in Array(input.utf8) {
        if let key = decoder.feed(byte) { actions.append(line.apply(key)) }
      }
      #expect(actions.last == .submit("xcb?"))
    }
  }

  // MARK: History

  @Suite struct History {
    @Test func upAndDownWalkTheHistory() {
      var line = LineBuffer(history: ["one", "two", "three"])
      #expect(line.apply(.down) == .none)
      #expect(line.apply(.up) == .redraw)
      #expect(line.text == "three")
      #expect(line.cursor == 5)
      _ = line.apply(.up)
      _ = line.apply(.up)
      #expect(line.text == "one")
      #expect(line.apply(.up) == .none)
      #expect(line.text == "one")
      _ = line.apply(.down)
      #expect(line.text == "two")
      _ = line.apply(.down)
      _ = line.apply(.down)
      #expect(line.text == "")
      #expect(line.apply(.down) == .none)
    }

    @Test func emptyHistoryHasNowhereToGo() {
      var line = LineBufferTests.buffer("draft")
      #expect(line.apply(.up) == .none)
      #expect(line.apply(.down) == .none)
      #expect(line.text == "draft")
    }

    @Test func theLineBeingTypedComesBackOnTheWayDown() {
      var line = LineBufferTests.buffer("sel", history: ["one", "two"])
      _ = line.apply(.left)
      _ = line.apply(.up)
      _ = line.apply(.up)
      #expect(line.text == "one")
      _ = line.apply(.down)
      _ = line.apply(.down)
      #expect(line.text == "sel")
      #expect(line.cursor == 3)
    }

    @Test func editsToRecalledEntriesLastUntilSubmit() {
      var line = LineBuffer(history: ["one", "two"])
      _ = line.apply(.up)
      _ = line.apply(.insert("!"))
      _ = line.apply(.up)
      _ = line.apply(.down)
      #expect(line.text == "two!")
      #expect(line.history == ["one", "two"])
      #expect(line.apply(.enter) == .submit("two!"))
      _ = line.apply(.up)
      #expect(line.text == "two")
    }

    @Test func interruptEndsNavigation() {
      var line = LineBuffer(history: ["one", "two"])
      _ = line.apply(.up)
      _ = line.apply(.up)
      _ = line.apply(.interrupt)
      _ = line.apply(.up)
      #expect(line.text == "two")
    }

    @Test func addHistorySkipsBlankAndRepeatedEntries() {
      var line = LineBuffer()
      #expect(line.addHistory("a") == true)
      #expect(line.addHistory("") == false)
      #expect(line.addHistory(" \n ") == false)
      #expect(line.addHistory("a") == false)
      #expect(line.addHistory("b") == true)
      #expect(line.addHistory("a") == true)
      #expect(line.history == ["a", "b", "a"])
    }

    @Test func addHistoryKeepsTheNewestEntries() {
      var line = LineBuffer(history: ["0", "1", "2", "3"], maxHistory: 3)
      #expect(line.history == ["1", "2", "3"])
      line.addHistory("4")
      #expect(line.history == ["2", "3", "4"])
      var none = LineBuffer(maxHistory: 0)
      #expect(none.addHistory("x") == false)
      #expect(none.apply(.up) == .none)
    }

    @Test func addHistoryRestartsNavigationFromTheNewest() {
      var line = LineBuffer(history: ["one", "two"])
      _ = line.apply(.up)
      _ = line.apply(.up)
      #expect(line.apply(.enter) == .submit("one"))
      line.addHistory("one")
      _ = line.apply(.up)
      #expect(line.text == "one")
      _ = line.apply(.up)
      #expect(line.text == "two")
    }

    static let awkwardEntries = [
      "select 1;", "select\n  2\nfrom t;", #"select 'C:\dir\' as p;"#, #"a\nb is not a newline"#,
      "ends with \\", "\\\\", "crlf\r\nline", "naïve 😀", "\\\n\\",
    ]

    @Test(arguments: awkwardEntries) func escapingRoundTrips(entry: String) {
      let line = HistoryFile.escape(entry)
      #expect(!line.contains("\n"))
      #expect(!line.contains("\r"))
      #expect(HistoryFile.unescape(line) == entry)
    }

    @Test func unescapeKeepsUnknownEscapes() {
      #expect(HistoryFile.unescape(#"a\tb\"#) == #"a\tb\"#)
      #expect(HistoryFile.escape("a\\n\nb") == #"a\\n\nb"#)
    }

    static func temporaryDirectory() throws -> String {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-history-\(UUID().uuidString)")
        .path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      return path
    }

    static func removeDirectory(_ path: String) {
      try? FileManager.default.removeItem(atPath: path)
    }

    static func contents(of path: String) throws -> String {
      try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func historyPersistsAcrossEditors() throws {
      let directory = try Self.temporaryDirectory()
      defer { Self.removeDirectory(directory) }
      let path = directory + "/history"
      var editor = LineEditor(historyFile: path)
      #expect(editor.history.isEmpty)
      for entry in Self.awkwardEntries { editor.addHistory(entry) }
      editor.addHistory("")
      editor.addHistory("\\\n\\")
      #expect(editor.history == Self.awkwardEntries)
      let text = try Self.contents(of: path)
      #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == Self.awkwardEntries.count + 1)
      #expect(text.hasPrefix("select 1;\nselect\\n  2\\nfrom t;\nselect 'C:\\\\dir\\\\' as p;\n"))
      let reloaded = LineEditor(historyFile: path)
      #expect(reloaded.history == Self.awkwardEntries)
      var recalled = LineBuffer(history: reloaded.history)
      for _ in 0..<3 { _ = recalled.apply(.up) }
      #expect(recalled.text == "crlf\r\nline")
    }

    @Test func longHistoryFileIsTrimmedOnLoad() throws {
      let directory = try Self.temporaryDirectory()
      defer { Self.removeDirectory(directory) }
      let path = directory + "/history"
      var editor = LineEditor(historyFile: path, maxHistory: 100)
      for index in 0..<10 { editor.addHistory("q\(index)\nx") }
      let trimmed = LineEditor(historyFile: path, maxHistory: 4)
      #expect(trimmed.history == (6..<10).map { "q\($0)\nx" })
      #expect(try Self.contents(of: path) == "q6\\nx\nq7\\nx\nq8\\nx\nq9\\nx\n")
      #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func missingHistoryFileIsEmptyAndCreatedOnFirstEntry() throws {
      let directory = try Self.temporaryDirectory()
      defer { Self.removeDirectory(directory) }
      let path = directory + "/history"
      var editor = LineEditor(historyFile: path)
      #expect(!FileManager.default.fileExists(atPath: path))
      editor.addHistory("select 1;")
      #expect(try Self.contents(of: path) == "select 1;\n")
      var noFile = LineEditor(historyFile: nil)
      noFile.addHistory("x")
      #expect(noFile.history == ["x"])
    }
  }

  // MARK: Drawing

  @Suite struct Drawing {
    @Test func shortLineShowsWhole() {
      var line = LineBufferTests.buffer("select")
      _ = line.apply(.left)
      #expect(line.rendering(promptWidth: 8, columns: 80) == LineRendering(text: "select", cursorColumn: 13))
    }

    @Test func combiningMarksTakeNoColumn() {
      let line = LineBufferTests.buffer("cafe\u{301}!")
      #expect(line.characters.count == 5)
      #expect(line.rendering(promptWidth: 2, columns: 80).cursorColumn == 7)
      #expect(LineBuffer.displayWidth(of: "e\u{301}\u{20DD}") == 1)
      #expect(LineBuffer.displayWidth(of: "> ") == 2)
    }

    @Test func controlCharactersAreShownVisibly() {
      let line = LineBuffer(history: ["a\nb\u{7}c\u{7F}"])
      var recalled = line
      _ = recalled.apply(.up)
      let view = recalled.rendering(promptWidth: 0, columns: 80)
      #expect(view.text == "a↵b^Gc^?")
      #expect(view.cursorColumn == 8)
      #expect(LineBuffer.displayText(of: "x\r\ny") == "x^M↵y")
    }

    @Test func longLineScrollsToKeepTheCursorVisible() {
      var line = LineBufferTests.buffer("abcdefghijklmnopqrst")
      let end = line.rendering(promptWidth: 2, columns: 10)
      #expect(end == LineRendering(text: "nopqrst", cursorColumn: 9))
      _ = line.apply(.home)
      #expect(line.rendering(promptWidth: 2, columns: 10) == LineRendering(text: "abcdefgh", cursorColumn: 2))
      for _ in 0..<10 { _ = line.apply(.right) }
      let middle = line.rendering(promptWidth: 2, columns: 10)
      #expect(middle == LineRendering(text: "defghijk", cursorColumn: 9))
    }

    @Test func promptWiderThanTheTerminalStillShowsTheCursor() {
      let line = LineBufferTests.buffer("abc")
      #expect(line.rendering(promptWidth: 12, columns: 10) == LineRendering(text: "", cursorColumn: 12))
    }
  }

  // MARK: LineEditor

  @Suite struct Editor {
    @Test func pipedInputIsReadPlainly() throws {
      var descriptors: [Int32] = [0, 0]
      try #require(pipe(&descriptors) == 0)
      let text = "select 1;\r\nselect\u{1B}[D 2;\n\nnaïve 😀\nlast"
      _ = text.withCString { write(descriptors[1], $0, strlen($0)) }
      close(descriptors[1])
      defer { close(descriptors[0]) }
      let devNull = open("/dev/null", O_WRONLY)
      defer { close(devNull) }
      var editor = LineEditor(historyFile: nil, input: descriptors[0], output: devNull)
      #expect(!editor.isInteractive)
      var lines: [String] = []
      while let line = editor.readLine(prompt: "> ") { lines.append(line) }
      #expect(lines == ["select 1;", "select\u{1B}[D 2;", "", "naïve 😀", "last"])
      #expect(editor.readLine(prompt: "> ") == nil)
    }

    static let terminalAvailable: Bool = {
      guard let terminal = PseudoTerminal.open() else { return false }
      terminal.close()
      return true
    }()

    @Test(.enabled(if: terminalAvailable)) func editsOnATerminalAndRestoresIt() throws {
      let terminal = try #require(PseudoTerminal.open())
      defer { terminal.close() }
      var editor = LineEditor(historyFile: nil, input: terminal.secondary, output: terminal.secondary)
      #expect(editor.isInteractive)
      let before = terminal.localFlags()

      // Typed keys: edits, a split escape sequence, UTF-8, then Enter.
      terminal.typeWhenRaw(Array("selct\u{1B}[D\u{1B}[De\u{1B}[F 'é';\r".utf8))
      #expect(editor.readLine(prompt: "> ") == "select 'é';")
      #expect(terminal.localFlags() == before)
      #expect(before & tcflag_t(ICANON) != 0)
      let drawn = terminal.readOutput()
      #expect(drawn.hasPrefix("\r> \u{1B}[K\r\u{1B}[2C"))
      #expect(drawn.contains("\r> select 'é';\u{1B}[K\r\n"))
      editor.addHistory("select 'é';")

      // History, Ctrl-C, Ctrl-D.
      terminal.typeWhenRaw(Array("\u{1B}[A!\r".utf8))
      #expect(editor.readLine(prompt: "> ") == "select 'é';!")
      #expect(!editor.wasInterrupted)
      terminal.typeWhenRaw(Array("abc\u{1B}[D\u{03}".utf8))
      #expect(editor.readLine(prompt: "> ") == "")
      #expect(editor.wasInterrupted)
      #expect(terminal.readOutput().contains("> abc^C\u{1B}[K\r\n"))
      terminal.typeWhenRaw([0x04])
      #expect(editor.readLine(prompt: "> ") == nil)
      #expect(terminal.localFlags() == before)
    }

    @Test(.enabled(if: terminalAvailable)) func typedAheadLinesAreKeptForTheNextRead() throws {
      let terminal = try #require(PseudoTerminal.open())
      defer { terminal.close() }
      var editor = LineEditor(historyFile: nil, input: terminal.secondary, output: terminal.secondary)
      terminal.typeWhenRaw(Array("one\rtwo\r".utf8))
      #expect(editor.readLine(prompt: "> ") == "one")
      #expect(editor.readLine(prompt: "> ") == "two")
    }

    @Test(.enabled(if: terminalAvailable)) func loneEscapeTimesOut() throws {
      let terminal = try #require(PseudoTerminal.open())
      defer { terminal.close() }
      var editor = LineEditor(historyFile: nil, input: terminal.secondary, output: terminal.secondary)
      terminal.typeWhenRaw([0x1B], then: Array("[x\r".utf8), after: 0.5)
      #expect(editor.readLine(prompt: "> ") == "[x")
    }
  }
}

extension LineBufferTests {
  /// A pseudo-terminal pair: the editor reads and writes the secondary side, the test types into
  /// and reads from the primary side.
  struct PseudoTerminal: Sendable {
    let primary: Int32
    let secondary: Int32

    /// Opens `/dev/ptmx`, unlocks the secondary side and opens it (neither becomes the
    /// controlling terminal).
    static func open() -> PseudoTerminal? {
      let primary = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
      guard primary >= 0 else { return nil }
      var unlock: Int32 = 0
      var number: UInt32 = 0
      // TIOCSPTLCK and TIOCGPTN (`_IOW`/`_IOR` macros Swift does not import), as on x86-64 and
      // arm64; elsewhere the ioctl fails and the terminal tests are skipped.
      let setLock: UInt = 0x4004_5431
      let getNumber: UInt = 0x8004_5430
      guard ioctl(primary, setLock, &unlock) == 0, ioctl(primary, getNumber, &number) == 0 else {
        Glibc.close(primary)
        return nil
      }
      let secondary = Glibc.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
      guard secondary >= 0 else {
        Glibc.close(primary)
        return nil
      }
      return PseudoTerminal(primary: primary, secondary: secondary)
    }

    func close() {
      Glibc.close(secondary)
      Glibc.close(primary)
    }

    func localFlags() -> tcflag_t {
      var settings = termios()
      _ = tcgetattr(secondary, &settings)
      return settings.c_lflag
    }

    /// Types `bytes` from another thread once the editor has put the terminal in raw mode (typed
    /// before, the terminal's own line editing would see them), then `later` after `delay` seconds.
    func typeWhenRaw(_ bytes: [UInt8], then later: [UInt8] = [], after delay: Double = 0) {
      let terminal = self
      let thread = Thread {
        let deadline = Date().addingTimeInterval(10)
        while terminal.localFlags() & tcflag_t(ICANON) != 0 && Date() < deadline { usleep(1000) }
        _ = bytes.withUnsafeBytes { write(terminal.primary, $0.baseAddress, $0.count) }
        guard !later.isEmpty else { return }
        usleep(UInt32(delay * 1_000_000))
        _ = later.withUnsafeBytes { write(terminal.primary, $0.baseAddress, $0.count) }
      }
      thread.start()
    }

    /// What the editor has drawn so far.
    func readOutput() -> String {
      var bytes: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 4096)
      var request = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
      while poll(&request, 1, 100) > 0 {
        let count = chunk.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
        guard count > 0 else { break }
        bytes += chunk[0..<count]
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }
}
