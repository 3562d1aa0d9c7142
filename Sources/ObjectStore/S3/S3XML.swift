import Foundation

/// Just enough XML for S3's answers: the text of elements by tag name, in document order. S3's
/// responses are flat and machine-written, so tag scanning is exact for them.
enum S3XML {
  /// The contents of every `<tag>…</tag>` in `text` (not unescaped).
  static func elements(_ tag: String, in text: Substring) -> [Substring] {
    var results: [Substring] = []
    let open = "<\(tag)>"
    let close = "</\(tag)>"
    var rest = text[...]
    while let start = rest.range(of: open) {
      guard let end = rest[start.upperBound...].range(of: close) else { break }
      results.append(rest[start.upperBound..<end.lowerBound])
      rest = rest[end.upperBound...]
    }
    return results
  }

  /// The unescaped text of the first `<tag>` element.
  static func value(_ tag: String, in text: Substring) -> String? {
    elements(tag, in: text).first.map { unescape($0) }
  }

  static func unescape(_ text: Substring) -> String {
    guard text.contains("&") else { return String(text) }
    var out = String(text)
    for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#13;", "\r"), ("&#10;", "\n")] {
      out = out.replacingOccurrences(of: entity, with: character)
    }
    return out.replacingOccurrences(of: "&amp;", with: "&")
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
