import Columnar

/// osquery's `calendarTime`: asctime text in UTC, `Mon May  2 22:27:32 2016 UTC` (a space pads a
/// one-digit day, so words may be separated by more than one space).
enum CalendarTime {
  /// Microseconds since the epoch; nil when the text is not such a time. The weekday is not
  /// checked against the date; the zone, when present, must be `UTC` or `GMT`.
  static func micros(_ text: String) -> Int64? {
    var words: [Substring] = []
    words.reserveCapacity(6)
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      guard words.count < 6 else { return nil }
      words.append(word)
    }
    guard words.count == 5 || (words.count == 6 && (words[5] == "UTC" || words[5] == "GMT")),
      words[0].utf8.count == 3,
      let month = monthNumber(words[1]),
      let day = number(words[2], digits: 1...2),
      let year = number(words[4], digits: 4...4),
      day >= 1, day <= Int64(CalendarFormatting.daysInMonth(year: year, month: month))
    else { return nil }
    let clock = words[3].split(separator: ":", omittingEmptySubsequences: false)
    guard clock.count == 3,
      let hour = number(clock[0], digits: 2...2), hour < 24,
      let minute = number(clock[1], digits: 2...2), minute < 60,
      let second = number(clock[2], digits: 2...2), second < 61
    else { return nil }
    let days = CalendarFormatting.days(year: year, month: month, day: Int(day))
    return (days * 86_400 + hour * 3600 + minute * 60 + second) * 1_000_000
  }

  private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  private static func monthNumber(_ word: Substring) -> Int? {
    monthNames.firstIndex { $0 == word }.map { $0 + 1 }
  }

  /// A decimal number of `digits` digits and nothing else.
  private static func number(_ word: Substring, digits: ClosedRange<Int>) -> Int64? {
    guard digits.contains(word.utf8.count) else { return nil }
    var value: Int64 = 0
    for byte in word.utf8 {
      guard byte >= 0x30, byte <= 0x39 else { return nil }
      value = value * 10 + Int64(byte - 0x30)
    }
    return value
  }
}
