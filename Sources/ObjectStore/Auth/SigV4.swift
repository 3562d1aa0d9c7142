import Crypto

/// AWS Signature Version 4 in the `Authorization` header, as S3 expects it: the path is signed as
/// sent (S3 does not normalize or double-encode), the payload hash is sent in
/// `X-Amz-Content-Sha256` and signed.
public enum SigV4 {
  static let algorithm = "AWS4-HMAC-SHA256"

  /// Headers that `sign` sets itself; stale copies from an earlier attempt are replaced.
  static let replacedHeaders: Set<String> = [
    "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
  ]

  /// Adds `Authorization`, `X-Amz-Date`, `X-Amz-Content-Sha256` and (with a session token)
  /// `X-Amz-Security-Token` to `request.headers`. `payloadHash` is the hex SHA-256 of the body or
  /// "UNSIGNED-PAYLOAD". `time` is seconds since 1970.
  ///
  /// Signs `host` (from the URL, with the port when it is not the scheme's default, unless the
  /// request has a Host header) and every header of the request except hop-by-hop ones and
  /// `user-agent`, which proxies and clients may rewrite. Signing again (a retry) replaces the
  /// previous signature headers.
  public static func sign(
    _ request: inout HTTPRequest, credentials: AWSCredentials, region: String, service: String,
    payloadHash: String, time: Double
  ) {
    let stamp = Timestamp(time)
    request.headers.removeAll { replacedHeaders.contains($0.name.lowercased()) }
    request.headers.append((name: "X-Amz-Date", value: stamp.dateTime))
    request.headers.append((name: "X-Amz-Content-Sha256", value: payloadHash))
    if let token = credentials.sessionToken, !token.isEmpty {
      request.headers.append((name: "X-Amz-Security-Token", value: token))
    }
    let canonical = canonicalRequest(
      method: request.method, url: request.url, headers: request.headers, payloadHash: payloadHash)
    let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
    let signature = self.signature(
      secret: credentials.secretAccessKey, date: stamp.date, region: region, service: service,
      stringToSign: stringToSign(dateTime: stamp.dateTime, scope: scope, canonicalRequest: canonical.text))
    request.headers.append(
      (
        name: "Authorization",
        value: "\(algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
          + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
      ))
  }

  /// Hex SHA-256 of bytes.
  public static func sha256Hex(_ bytes: [UInt8]) -> String {
    hex(SHA256.hash(data: bytes))
  }

  /// AWS URI encoding: RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) are kept, every
  /// other UTF-8 byte becomes `%XX` (uppercase); `/` is kept only when `encodeSlash` is false
  /// (object keys in paths), never in query parameters.
  public static func uriEncode(_ text: String, encodeSlash: Bool) -> String {
    uriEncode(bytes: Array(text.utf8), encodeSlash: encodeSlash)
  }

  // MARK: The steps, separately testable against AWS's published intermediate values

  static func stringToSign(dateTime: String, scope: String, canonicalRequest: String) -> String {
    [algorithm, dateTime, scope, sha256Hex(Array(canonicalRequest.utf8))].joined(separator: "\n")
  }

  /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
  static func signingKey(secret: String, date: String, region: String, service: String) -> [UInt8] {
    var key = Array("AWS4\(secret)".utf8)
    for part in [date, region, service, "aws4_request"] { key = hmac(key: key, part) }
    return key
  }

  static func signature(
    secret: String, date: String, region: String, service: String, stringToSign: String
  ) -> String {
    hex(hmac(key: signingKey(secret: secret, date: date, region: region, service: service), stringToSign))
  }

  static func hmac(key: [UInt8], _ message: String) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
  }

  static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func uriEncode(bytes: [UInt8], encodeSlash: Bool) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
        UInt8(ascii: "~"):
        out.append(byte)
      case UInt8(ascii: "/") where !encodeSlash:
        out.append(byte)
      default:
        out.append(UInt8(ascii: "%"))
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
