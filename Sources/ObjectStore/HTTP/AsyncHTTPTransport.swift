import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// ``HTTPTransport`` over AsyncHTTPClient (SwiftNIO): one shared connection pool, requests waited
/// for synchronously from the calling thread (never from an event loop).
public final class AsyncHTTPTransport: HTTPTransport, @unchecked Sendable {
  /// The process-wide transport; its client lives as long as the process.
  public static let shared = AsyncHTTPTransport()

  private let client: HTTPClient
  private let defaultTimeout: Duration

  public init(defaultTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(5)) {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.decompression = .disabled
    configuration.timeout = HTTPClient.Configuration.Timeout(
      connect: .nanoseconds(connectTimeout.nanoseconds), read: .nanoseconds(defaultTimeout.nanoseconds))
    configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.defaultTimeout = defaultTimeout
  }

  deinit { try? client.syncShutdown() }

  public func send(_ request: HTTPRequest) throws(ObjectStoreError) -> HTTPResponse {
    let prepared: HTTPClient.Request
    do {
      var headers = HTTPHeaders()
      for header in request.headers { headers.add(name: header.name, value: header.value) }
      prepared = try HTTPClient.Request(
        url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
        body: request.body.isEmpty && request.method != "PUT" && request.method != "POST" ? nil : .bytes(request.body))
    } catch {
      throw ObjectStoreError(.invalidArgument, "cannot build the request: \(error)", location: Self.redacted(request.url))
    }
    let timeout = request.timeout ?? defaultTimeout
    let response: HTTPClient.Response
    do {
      response = try client.execute(request: prepared, deadline: .now() + .nanoseconds(timeout.nanoseconds)).wait()
    } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
      throw ObjectStoreError(.timeout, "no answer within \(timeout)", location: Self.redacted(request.url))
    } catch {
      throw ObjectStoreError(.network, "\(error)", location: Self.redacted(request.url))
    }
    var body: [UInt8] = []
    if var buffer = response.body { body = buffer.readBytes(length: buffer.readableBytes) ?? [] }
    let headers = response.headers.map { (name: $0.name, value: $0.value) }
    // A body cut short must not pass for a whole one.
    if request.method != "HEAD", let announced = response.headers.first(name: "content-length").flatMap(Int.init),
      announced != body.count
    {
      throw ObjectStoreError(
        .network, "the body ended after \(body.count) of \(announced) bytes", location: Self.redacted(request.url))
    }
    return HTTPResponse(status: Int(response.status.code), headers: headers, body: body)
  }

  /// The URL without its query (presigned parameters and tokens stay out of messages).
  static func redacted(_ url: String) -> String {
    String(url.prefix { $0 != "?" })
  }
}

extension Duration {
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
