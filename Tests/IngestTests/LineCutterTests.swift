import Testing

@testable import Ingest

@Suite struct LineCutterTests {
  static func cut(_ text: String, final: Bool) -> (lines: [String], ends: [Int], consumed: Int) {
    var lines: [String] = []
    var ends: [Int] = []
    let bytes = Array(text.utf8)
    let consumed = bytes.withUnsafeBufferPointer { buffer in
      LineCutter.forEachLine(in: buffer, final: final) { line, end in
        lines.append(String(decoding: line, as: UTF8.self))
        ends.append(end)
      }
    }
    return (lines, ends, consumed)
  }

  @Test func linesEndsAndTheRest() {
    let text = "a\r\n\nbc\nlast"
    let open = Self.cut(text, final: false)
    #expect(open.lines == ["a", "", "bc"])
    #expect(open.ends == [3, 4, 7])
    #expect(open.consumed == 7)
    let closed = Self.cut(text, final: true)
    #expect(closed.lines == ["a", "", "bc", "last"])
    #expect(closed.consumed == text.utf8.count)
    #expect(Self.cut("no newline", final: false).lines.isEmpty)
    #expect(Self.cut("", final: true).lines.isEmpty)
    #expect(Self.cut("\n", final: true).lines == [""])
  }
}
