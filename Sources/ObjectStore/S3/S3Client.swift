import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The S3 REST calls Avocet needs, signed with SigV4 and retried with exponential backoff and
/// full jitter on 5xx, 429/SlowDown, timeouts and dropped connections.
///
/// Calls are synchronous (the storage layer above is); they may be made from many threads at
/// once. Credentials come from the AWS chain on first use and are refreshed before they expire.
public final class S3Client: Sendable {
  public let configuration: S3Configuration
  let transport: any HTTPTransport
  private let chain: CredentialChain?
  private let state = Mutex<State>(State())

  private struct State {
    var credentials: AWSCredentials?
    /// Regions learned from `x-amz-bucket-region`.
    var regions: [String: String] = [:]
  }

  /// A client whose credentials come from `chain` (resolved on first use).
  public init(configuration: S3Configuration, chain: CredentialChain, transport: any HTTPTransport) {
    self.configuration = configuration
    self.chain = chain
    self.transport = transport
  }

  /// A client with fixed credentials.
  public init(configuration: S3Configuration, credentials: AWSCredentials, transport: any HTTPTransport) {
    self.configuration = configuration
    self.chain = nil
    self.transport = transport
    state.withLock { $0.credentials = credentials }
  }

  /// A client configured from the process environment and the AWS files, over the shared transport.
  public static func fromEnvironment(_ environment: [String: String]) -> S3Client {
    let transport = AsyncHTTPTransport.shared
    let chain = CredentialChain(environment: environment, transport: transport)
    return S3Client(
      configuration: .fromEnvironment(environment, region: chain.region()), chain: chain, transport: transport)
  }

  // MARK: Requests

  /// One S3 call: method, object (or bucket with an empty key), query, extra headers, body.
  struct Call {
    var method: String
    var location: S3Location
    var query: [(String, String)] = []
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// Statuses that are answers, not failures (404 for a HEAD, 412 for a conditional PUT).
    var accepted: Set<Int> = []
  }

  /// Sends the call, retrying what can be retried; returns a 2xx response or one of `accepted`.
  func send(_ call: Call) throws(ObjectStoreError) -> HTTPResponse {
    var attempt = 0
    var regionRetried = false
    while true {
      attempt += 1
      let region = self.region(for: call.location.bucket)
      let response: HTTPResponse
      do {
        var request = try build(call, region: region)
        let credentials = try currentCredentials()
        SigV4.sign(
          &request, credentials: credentials, region: region, service: "s3",
          payloadHash: SigV4.sha256Hex(call.body), time: Self.now())
        response = try transport.send(request)
      } catch {
        guard Self.isRetryable(error), attempt < configuration.maxAttempts else { throw located(error, call) }
        Self.backoff(attempt: attempt)
        continue
      }
      if (200..<300).contains(response.status) || call.accepted.contains(response.status) { return response }
      // Wrong region: S3 names the right one; try again there once.
      if !regionRetried, let actual = response.header("x-amz-bucket-region"), actual != region {
        regionRetried = true
        state.withLock { $0.regions[call.location.bucket] = actual }
        attempt -= 1
        continue
      }
      let error = Self.error(from: response, call: call)
      if error.code == .server, attempt < configuration.maxAttempts {
        Self.backoff(attempt: attempt)
        continue
      }
      throw error
    }
  }

  private func located(_ error: ObjectStoreError, _ call: Call) -> ObjectStoreError {
    var error = error
    error.location = call.location.description
    return error
  }

  func region(for bucket: String) -> String {
    state.withLock { $0.regions[bucket] } ?? configuration.region ?? "us-east-1"
  }

  /// The request's URL: virtual-hosted on AWS, path-style on custom endpoints.
  private func build(_ call: Call, region: String) throws(ObjectStoreError) -> HTTPRequest {
    let key = SigV4.uriEncode(call.location.key, encodeSlash: false)
    var url: String
    if let endpoint = configuration.endpoint {
      if endpoint.hasPrefix("http://"), !configuration.allowHTTP {
        throw ObjectStoreError(
          .invalidArgument, "the endpoint \(endpoint) is plain HTTP; set AWS_ALLOW_HTTP=true to allow it")
      }
      guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
        throw ObjectStoreError(.invalidArgument, "the endpoint '\(endpoint)' must start with http:// or https://")
      }
      if configuration.pathStyle {
        url = endpoint + "/" + call.location.bucket + "/" + key
      } else {
        let scheme = endpoint.hasPrefix("https://") ? "https://" : "http://"
        url = scheme + call.location.bucket + "." + endpoint.dropFirst(scheme.count) + "/" + key
      }
    } else if configuration.pathStyle || call.location.bucket.contains(".") {
      url = "https://s3.\(region).amazonaws.com/\(call.location.bucket)/\(key)"
    } else {
      url = "https://\(call.location.bucket).s3.\(region).amazonaws.com/\(key)"
    }
    if !call.query.isEmpty {
      url += "?" + call.query.map { SigV4.uriEncode($0.0, encodeSlash: true) + "=" + SigV4.uriEncode($0.1, encodeSlash: true) }
        .joined(separator: "&")
    }
    var headers = call.headers
    if !call.body.isEmpty || call.method == "PUT" || call.method == "POST" {
      headers.append((name: "Content-Length", value: String(call.body.count)))
    }
    return HTTPRequest(method: call.method, url: url, headers: headers, body: call.body, timeout: configuration.requestTimeout)
  }

  private func currentCredentials() throws(ObjectStoreError) -> AWSCredentials {
    let now = Self.now()
    if let cached = state.withLock({ $0.credentials }) {
      // Refresh temporary credentials five minutes before they expire.
      if chain == nil || cached.expiration.map({ $0 - now > 300 }) ?? true { return cached }
    }
    guard let chain else { throw ObjectStoreError(.credentials, "no credentials") }
    let resolved = try chain.resolve().credentials
    state.withLock { $0.credentials = resolved }
    return resolved
  }

  // MARK: Errors and retries

  static func error(from response: HTTPResponse, call: Call) -> ObjectStoreError {
    let text = response.bodyText[...]
    let code = S3XML.value("Code", in: text)
    let message = S3XML.value("Message", in: text)
    let detail = [code, message].compactMap { $0 }.joined(separator: ": ")
    let what = "\(call.method) failed" + (detail.isEmpty ? "" : ": \(detail)")
    let kind: ObjectStoreError.Code
    switch response.status {
    case 404: kind = .notFound
    case 412: kind = .preconditionFailed
    case 401, 403: kind = .accessDenied
    case 429, 500...599: kind = .server
    case 400 where code == "RequestTimeout" || code == "SlowDown": kind = .server
    case 501: kind = .unsupported
    default: kind = .invalidResponse
    }
    return ObjectStoreError(kind, what, location: call.location.description, status: response.status)
  }

  static func isRetryable(_ error: ObjectStoreError) -> Bool {
    switch error.code {
    case .network, .timeout, .server: true
    default: false
    }
  }

  /// Sleeps a random time up to 50 ms × 2^attempt, capped at 5 s (full jitter).
  static func backoff(attempt: Int) {
    let cap = min(5_000_000, 50_000 << min(attempt, 10))
    usleep(UInt32(Int.random(in: 0...cap)))
  }

  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
