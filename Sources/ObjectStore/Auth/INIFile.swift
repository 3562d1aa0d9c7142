/// The INI dialect of the AWS shared config files, per the SDKs' shared-config spec.
enum INIFile {
  struct Section {
    var name: String
    var values: [String: String]
  }

  /// Sections in file order (a repeated name appears twice; callers merge). Rules:
  /// - whole-line comments start with `#` or `;`; in a value, a `#` or `;` after whitespace starts
  ///   a comment (secrets and tokens contain no whitespace, so they are never cut);
  /// - keys are lowercased, keys and values trimmed;
  /// - an indented `key = value` under a key with an empty value is a sub-setting, stored as
  ///   `parent.key` (e.g. `s3.addressing_style`);
  /// - lines before the first section, malformed headers and their sections, and lines without `=`
  ///   are ignored.
  static func sections(_ text: String) -> [Section] {
    var sections: [Section] = []
    var parent: String?
    var inValidSection = false
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let content = trimmed(line)
      if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }
      if content.hasPrefix("[") {
        parent = nil
        guard let close = content.firstIndex(of: "]") else {
          inValidSection = false
          continue
        }
        let name = trimmed(content[content.index(after: content.startIndex)..<close])
        inValidSection = !name.isEmpty
        if inValidSection { sections.append(Section(name: String(name), values: [:])) }
        continue
      }
      guard inValidSection, let equals = content.firstIndex(of: "=") else { continue }
      let key = trimmed(content[..<equals]).lowercased()
      let value = trimmed(withoutComment(content[content.index(after: equals)...]))
      guard !key.isEmpty else { continue }
      let indented = line.first == " " || line.first == "\t"
      if indented, let parent {
        sections[sections.count - 1].values["\(parent).\(key)"] = String(value)
      } else {
        sections[sections.count - 1].values[key] = String(value)
        parent = value.isEmpty ? key : nil
      }
    }
    return sections
  }

  /// The value up to a `#` or `;` that follows whitespace.
  static func withoutComment(_ value: Substring) -> Substring {
    var previous: Character = "="
    for index in value.indices {
      let character = value[index]
      if character == "#" || character == ";", previous == " " || previous == "\t" { return value[..<index] }
      previous = character
    }
    return value
  }

  static func trimmed(_ text: Substring) -> Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
    else { return text[text.endIndex...] }
    return text[first...last]
  }
}
