extension SigV4 {
  /// Headers never signed: hop-by-hop ones and those that proxies or HTTP clients rewrite, as the
  /// AWS SDKs do (a changed signed header would make S3 reject the request).
  static let unsignedHeaders: Set<String> = [
    "authorization", "user-agent", "connection", "expect", "keep-alive", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "x-amzn-trace-id",
  ]

  /// The canonical request and the `SignedHeaders` list.
  static func canonicalRequest(
    method: String, url: String, headers: [(name: String, value: String)], payloadHash: String
  ) -> (text: String, signedHeaders: String) {
    let parsed = ParsedURL(url)
    // Values of repeated headers are joined with commas, in request order.
    var values: [String: [String]] = [:]
    for header in headers {
      let name = header.name.lowercased()
      guard !unsignedHeaders.contains(name) else { continue }
      values[name, default: []].append(trimAll(header.value))
    }
    if values["host"] == nil { values["host"] = [parsed.hostHeader] }
    let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    let canonicalHeaders = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
    let signedHeaders = names.joined(separator: ";")
    let text = [
      method.uppercased(), parsed.path.isEmpty ? "/" : String(parsed.path), canonicalQuery(parsed.query),
      canonicalHeaders, signedHeaders, payloadHash,
    ].joined(separator: "\n")
    return (text, signedHeaders)
  }

  /// Parameters decoded then re-encoded per the spec (so `a/b` and `a%2Fb` sign alike, as S3
  /// decodes both to the same value), sorted by key then value. `+` is taken literally, as S3
  /// does; a parameter without `=` has an empty value.
  static func canonicalQuery(_ query: Substring) -> String {
    var pairs: [(key: String, value: String)] = []
    for item in query.split(separator: "&") {
      let equals = item.firstIndex(of: "=")
      let key = equals.map { item[..<$0] } ?? item
      let value = equals.map { item[item.index(after: $0)...] } ?? ""
      pairs.append(
        (
          uriEncode(bytes: percentDecoded(key), encodeSlash: true),
          uriEncode(bytes: percentDecoded(value), encodeSlash: true)
        ))
    }
    pairs.sort {
      $0.key != $1.key
        ? $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) : $0.value.utf8.lexicographicallyPrecedes($1.value.utf8)
    }
    return pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
  }

  /// Bytes, not a String: a `%FF` that is not UTF-8 must come back out as `%FF`. A `%` not
  /// followed by two hex digits stays as it is.
  static func percentDecoded(_ text: Substring) -> [UInt8] {
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
        let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      {
        out.append(high << 4 | low)
        index += 3
      } else {
        out.append(bytes[index])
        index += 1
      }
    }
    return out
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// Leading and trailing whitespace removed, inner runs of spaces and tabs collapsed to one space.
  static func trimAll(_ value: String) -> String {
    value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }
}
