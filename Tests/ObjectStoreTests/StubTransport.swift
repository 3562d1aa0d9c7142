import ObjectStore
import Synchronization

/// An ``HTTPTransport`` that answers from canned responses keyed by method and exact URL, and
/// records every request. A route given several answers plays them in order, then repeats the
/// last (for retries); a request without a route fails with `.network`, as an unreachable host does.
final class StubTransport: HTTPTransport {
  enum Answer: Sendable {
    case response(HTTPResponse)
    case failure(ObjectStoreError)
  }

  private struct State {
    var routes: [String: [Answer]] = [:]
    var requests: [HTTPRequest] = []
  }

  private let state = Mutex(State())

  init() {}

  /// Answers `method url` with a response.
  func on(
    _ method: String, _ url: String, status: Int = 200, body: String = "", headers: [(name: String, value: String)] = []
  ) {
    on(method, url, .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8))))
  }

  /// Answers `method url` with each answer in turn.
  func on(_ method: String, _ url: String, _ answers: Answer...) {
    state.withLock { $0.routes[Self.key(method, url), default: []].append(contentsOf: answers) }
  }

  /// Every request sent, in order.
  var requests: [HTTPRequest] { state.withLock { $0.requests } }

  func send(_ request: HTTPRequest) throws(ObjectStoreError) -> HTTPResponse {
    let answer: Answer? = state.withLock { state in
      state.requests.append(request)
      let key = Self.key(request.method, request.url)
      guard var answers = state.routes[key], let first = answers.first else { return nil }
      if answers.count > 1 {
        answers.removeFirst()
        state.routes[key] = answers
      }
      return first
    }
    switch answer {
    case .response(let response): return response
    case .failure(let error): throw error
    case nil: throw ObjectStoreError(.network, "stub: connection refused", location: request.url)
    }
  }

  private static func key(_ method: String, _ url: String) -> String { "\(method) \(url)" }
}

extension HTTPRequest {
  /// The first header of that name, compared case-insensitively.
  func firstHeader(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  var bodyString: String { String(decoding: body, as: UTF8.self) }
}
