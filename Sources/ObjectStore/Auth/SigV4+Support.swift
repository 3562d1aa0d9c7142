import Columnar

extension SigV4 {
  /// The parts of an absolute URL that signing needs, split without Foundation's URL, which
  /// would re-encode the path.
  struct ParsedURL {
    var scheme = ""
    /// Host as written, IPv6 literals with their brackets.
    var host = ""
    var port: Int?
    /// Percent-encoded as sent; empty when the URL has none.
    var path: Substring = ""
    var query: Substring = ""

    init(_ url: String) {
      var rest = url[...]
      if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
      guard let separator = rest.range(of: "://") else {
        path = rest
        return
      }
      scheme = rest[..<separator.lowerBound].lowercased()
      rest = rest[separator.upperBound...]
      let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
      var authority = rest[..<authorityEnd]
      if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
      // The port's colon is the last one after any IPv6 literal's closing bracket.
      let portSearchStart = authority.lastIndex(of: "]") ?? authority.startIndex
      if let colon = authority[portSearchStart...].lastIndex(of: ":") {
        host = String(authority[..<colon])
        port = Int(authority[authority.index(after: colon)...])
      } else {
        host = String(authority)
      }
      let target = rest[authorityEnd...]
      if let question = target.firstIndex(of: "?") {
        path = target[..<question]
        query = target[target.index(after: question)...]
      } else {
        path = target
      }
    }

    var defaultPort: Int? {
      switch scheme {
      case "http": 80
      case "https": 443
      default: nil
      }
    }

    /// The Host header HTTP clients send: the port only when it is not the scheme's default.
    var hostHeader: String {
      guard let port, port != defaultPort else { return host }
      return "\(host):\(port)"
    }
  }

  /// `20130524T000000Z` and `20130524` for a time in seconds since 1970 (UTC).
  struct Timestamp {
    var dateTime: String
    var date: String

    init(_ time: Double) {
      let seconds = Int64((time.isFinite ? time : 0).rounded(.down))
      var days = seconds / 86_400
      var secondOfDay = seconds % 86_400
      if secondOfDay < 0 {
        days -= 1
        secondOfDay += 86_400
      }
      let (year, month, day) = CalendarFormatting.civil(fromDays: days)
      date = Self.pad(year, 4) + Self.pad(Int64(month), 2) + Self.pad(Int64(day), 2)
      dateTime =
        date + "T" + Self.pad(secondOfDay / 3600, 2) + Self.pad(secondOfDay / 60 % 60, 2)
        + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
  }
}
