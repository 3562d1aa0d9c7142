import Columnar

/// `Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT` to milliseconds since 1970.
enum HTTPDate {
  static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  static func milliseconds(_ text: String) -> Int64? {
    let parts = text.split(separator: " ")
    guard parts.count == 6, let day = Int(parts[1]), let month = months.firstIndex(of: String(parts[2])),
      let year = Int(parts[3])
    else { return nil }
    let time = parts[4].split(separator: ":").compactMap { Int($0) }
    guard time.count == 3 else { return nil }
    return ISO8601.epochMilliseconds(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2], millisecond: 0)
  }
}

/// `2026-11-21T10:00:00.000Z` to milliseconds since 1970.
enum ISO8601 {
  static func milliseconds(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[start..<start + count] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
      let minute = number(14, 2), let second = number(17, 2)
    else { return nil }
    var millisecond = 0
    if bytes.count > 19, bytes[19] == UInt8(ascii: "."), let fraction = number(20, 3) { millisecond = fraction }
    return epochMilliseconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
  }

  /// Milliseconds since 1970 of a UTC calendar time.
  static func epochMilliseconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) -> Int64? {
    guard (1...12).contains(month), (1...31).contains(day) else { return nil }
    let days = CalendarFormatting.days(year: Int64(year), month: month, day: day)
    return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
  }
}
