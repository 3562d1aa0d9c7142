import SQLParser

/// The identifiers a query mentions anywhere, lowercased: scans read only the columns named
/// here (a superset of what the query needs, since keywords and aliases are collected too).
enum NameCollector {
  static func names(in query: Query) -> Set<String> {
    names(inText: query.description)
  }

  /// Words and quoted identifiers of SQL text; single-quoted strings are skipped.
  static func names(inText text: String) -> Set<String> {
    var result = Set<String>()
    let bytes = Array(text.utf8)
    var i = 0
    func isWord(_ b: UInt8) -> Bool {
      (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 95 || b >= 0x80
    }
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "`") {
        var j = i + 1
        var value: [UInt8] = []
        while j < bytes.count {
          if bytes[j] == b {
            if j + 1 < bytes.count, bytes[j + 1] == b {
              value.append(b)
              j += 2
              continue
            }
            break
          }
          value.append(bytes[j])
          j += 1
        }
        if b != UInt8(ascii: "'") {
          let name = String(decoding: value, as: UTF8.self)
          result.insert(name)
          result.insert(name.lowercased())
        }
        i = j + 1
      } else if isWord(b) {
        var j = i
        while j < bytes.count, isWord(bytes[j]) { j += 1 }
        result.insert(String(decoding: bytes[i..<j], as: UTF8.self).lowercased())
        i = j
      } else {
        i += 1
      }
    }
    return result
  }
}
