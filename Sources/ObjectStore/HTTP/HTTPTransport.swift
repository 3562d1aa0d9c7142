/// One HTTP request, whole: S3 calls and credential endpoints are small or ranged, so bodies are
/// byte arrays rather than streams.
public struct HTTPRequest: Sendable {
  public var method: String
  /// Absolute URL: scheme, host, optional port, path (percent-encoded as sent) and query.
  public var url: String
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// Time allowed for the whole exchange; nil: the transport's default.
  public var timeout: Duration?

  public init(
    method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    timeout: Duration? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
  }
}

public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first header of that name, compared case-insensitively.
  public func header(_ name: String) -> String? {
    let lower = name.lowercased()
    return headers.first { $0.name.lowercased() == lower }?.value
  }

  public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests synchronously (the Delta layer's storage calls are synchronous). Errors are
/// transport failures (`.network`, `.timeout`); any HTTP status is a response.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) throws(ObjectStoreError) -> HTTPResponse
}
