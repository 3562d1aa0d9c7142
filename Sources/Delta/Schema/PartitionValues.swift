import Columnar
import Expr
import Foundation

/// How to read a `timestamp` partition value written without a zone (`2021-09-08 11:11:11`).
///
/// PROTOCOL.md "Partition Value Serialization": such a value "should be interpreted using the time
/// zone of the system which wrote to the table". Nothing in the log records that zone, so the
/// reader must be told; when it is not, Avocet assumes the writer ran in UTC (what delta-rs and
/// delta-kernel-rs assume). Values written as ISO 8601 with a zone (Spark's default since 3.x)
/// are exact either way.
public struct WriterTimeZone: Sendable, Hashable {
  /// The zone identifier (`UTC`, `America/Los_Angeles`).
  public let identifier: String
  private let zone: TimeZone?

  public static let utc = WriterTimeZone(checked: "UTC", zone: nil)

  /// A named IANA zone; nil when the system does not know it.
  public init?(identifier: String) {
    if identifier == "UTC" || identifier == "Z" {
      self = .utc
      return
    }
    guard let zone = TimeZone(identifier: identifier) else { return nil }
    self.init(checked: identifier, zone: zone)
  }

  private init(checked identifier: String, zone: TimeZone?) {
    self.identifier = identifier
    self.zone = zone
  }

  public static func == (a: WriterTimeZone, b: WriterTimeZone) -> Bool { a.identifier == b.identifier }
  public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

  /// The UTC instant (microseconds) of a wall-clock time (microseconds since 1970-01-01T00:00) in this zone.
  func instant(ofWallClock local: Int64) -> Int64 {
    guard let zone else { return local }
    let localSeconds = CalendarFormatting.floorDiv(local, 1_000_000)
    let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds)))
    var offset = first
    let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(localSeconds - Int64(first))))
    if second != first { offset = second }
    return local - Int64(offset) * 1_000_000
  }
}

/// Partition values: the strings of `add.partitionValues` and the typed values they stand for.
enum PartitionValueText {
  /// The typed value of a partition value string for a column of Delta type `type`
  /// (PROTOCOL.md "Partition Value Serialization"). Nil and the empty string mean null. A
  /// `timestamp` written without a zone is read in `writerTimeZone`.
  static func scalar(_ text: String?, type: DataType, column: String, writerTimeZone: WriterTimeZone) throws(DeltaError)
    -> ScalarValue
  {
    let value: ScalarValue
    do {
      value = try ScalarValue.parsePartitionValue(text, as: type)
    } catch {
      throw DeltaError(.corruptLog, "partition column '\(column)': \(error.message)")
    }
    if case .timestamp(let micros, utc: true) = value, writerTimeZone != .utc, let text, !hasZone(text) {
      return .timestamp(writerTimeZone.instant(ofWallClock: micros), utc: true)
    }
    return value
  }

  /// Whether a timestamp text ends with a zone (`Z`, `UTC`, `+01:00`, `-0800`).
  static func hasZone(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    // The time starts after the date's separator (a space or `T`), past the year's sign.
    guard
      let separator = bytes.indices.dropFirst(8).first(where: { bytes[$0] == 0x20 || bytes[$0] == UInt8(ascii: "T") })
    else { return false }
    for byte in bytes[(separator + 1)...] {
      switch byte {
      case UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "U"): return true
      default: continue
      }
    }
    return false
  }

  /// Partition value strings from a checkpoint's `partitionValues_parsed` struct.
  static func strings(fromParsed column: ColumnVector, row: Int) -> [String: String] {
    guard case .structure(let fields) = column.type, case .structure(let children) = column.storage else { return [:] }
    var map: [String: String] = [:]
    for (field, child) in zip(fields, children) {
      guard let text = text(of: ScalarValue(from: child, row: row)) else { continue }
      map[field.name] = text
    }
    return map
  }

  /// The partition value string of a typed value (nil for null); timestamps in ISO 8601 UTC.
  static func text(of value: ScalarValue) -> String? {
    var out: [UInt8] = []
    switch value {
    case .null: return nil
    case .boolean(let b): return b ? "true" : "false"
    case .int64(let v): return String(v)
    case .float64(let v): return String(v)
    case .decimal(let v, _, let scale): ValueFormatting.appendDecimal(v, scale: scale, to: &out)
    case .string(let s): return s
    case .binary(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .date(let days): CalendarFormatting.appendDate(days: Int64(days), to: &out)
    case .timestamp(let micros, let utc):
      CalendarFormatting.appendTimestamp(micros, unit: .microsecond, utc: utc, to: &out)
      if !utc, let t = out.firstIndex(of: UInt8(ascii: "T")) { out[t] = UInt8(ascii: " ") }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
