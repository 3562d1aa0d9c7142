import Columnar
import Expr

/// Hive-style partition directories and the URI-encoded paths the log stores.
enum PartitionPath {
  /// The directory name of a null partition value.
  static let nullDirectoryValue = "__HIVE_DEFAULT_PARTITION__"

  /// A partition value as `partitionValues` text (nil for null): dates `YYYY-MM-DD`, timestamps
  /// `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, numbers in decimal, booleans `true`/`false`.
  static func valueText(_ value: ScalarValue) -> String? {
    switch value {
    case .null: return nil
    case .timestamp(let micros, _):
      // `render()` writes ISO 8601 for UTC timestamps; the log uses the space-separated form.
      return ScalarValue.timestamp(micros, utc: false).render()
    default: return value.render()
    }
  }

  /// `name=value/…` for the partition values, escaped as Spark escapes directory names.
  static func directory(columns: [String], values: [String: String]) -> String {
    var out = ""
    for column in columns {
      out += escape(column) + "=" + (values[column].map { $0.isEmpty ? nullDirectoryValue : escape($0) } ?? nullDirectoryValue) + "/"
    }
    return out
  }

  /// Spark's `escapePathName`: `%XX` (uppercase hex) for control characters and
  /// `" # % ' * / : = ? \ { [ ] ^` and DEL.
  static func escape(_ text: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      if byte < 0x20 || byte == 0x7F || Self.sparkEscaped.contains(byte) {
        appendPercent(byte, to: &out)
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static let sparkEscaped: Set<UInt8> = Set("\"#%'*/:=?\\{[]^".utf8)

  /// A relative path as an RFC 2396 URI path (`add.path`): everything but unreserved characters,
  /// `/` and a few safe punctuation marks is percent-encoded, so `%3A` on disk is `%253A` in the log.
  static func uriEncoded(_ path: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(path.utf8.count)
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        out.append(byte)
      case _ where "-._~/!$&'()*+,;=:@".utf8.contains(byte):
        out.append(byte)
      default:
        appendPercent(byte, to: &out)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func appendPercent(_ byte: UInt8, to out: inout [UInt8]) {
    let hex = Array("0123456789ABCDEF".utf8)
    out.append(UInt8(ascii: "%"))
    out.append(hex[Int(byte >> 4)])
    out.append(hex[Int(byte & 0xF)])
  }
}

/// Random version-4 UUIDs for file names and table ids.
enum UUIDText {
  static func random() -> String {
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
    bytes[6] = bytes[6] & 0x0F | 0x40
    bytes[8] = bytes[8] & 0x3F | 0x80
    var out: [UInt8] = []
    bytes.withUnsafeBufferPointer { ValueFormatting.appendUUID($0, to: &out) }
    return String(decoding: out, as: UTF8.self)
  }
}
