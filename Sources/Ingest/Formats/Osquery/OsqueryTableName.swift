/// The per-query table of an osquery result: the query name made safe as a directory name.
enum OsqueryTableName {
  /// `name` with every character outside `[A-Za-z0-9_.-]` (a `/` too) replaced by `_`; an empty
  /// name, `.` or `..` throws.
  static func sanitized(_ name: String) throws(DecodeError) -> String {
    guard !name.isEmpty, name != ".", name != ".." else {
      throw DecodeError("osquery result: query \"name\" \"\(name)\" cannot name a table")
    }
    if name.utf8.allSatisfy(isSafe) { return name }
    var safe = String.UnicodeScalarView()
    for scalar in name.unicodeScalars {
      safe.append(scalar.isASCII && isSafe(UInt8(scalar.value)) ? scalar : "_")
    }
    return String(safe)
  }

  private static func isSafe(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }
}
