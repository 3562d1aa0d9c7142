import Codecs
import Delta
import Hummingbird

/// A request the server turns down: the status and a message for the client.
struct HTTPFailure: Error {
  var status: HTTPResponse.Status
  var message: String

  init(_ status: HTTPResponse.Status, _ message: String) {
    self.status = status
    self.message = message
  }
}

/// Responses, and the request parts every route reads the same way.
enum HTTPReply {
  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var bytes: [UInt8] = []
    value.append(to: &bytes)
    bytes.append(UInt8(ascii: "\n"))
    return Response(
      status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  static func json(_ members: [(String, JSONValue)], status: HTTPResponse.Status = .ok) -> Response {
    json(.object(JSONObject(members)), status: status)
  }

  static func text(_ text: String, contentType: String) -> Response {
    Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  /// `{"error": message}` with the failure's status.
  static func failure(_ failure: HTTPFailure) -> Response {
    var response = json([("error", .string(failure.message))], status: failure.status)
    if failure.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
    return response
  }

  /// The body, decompressed when `Content-Encoding: gzip`; 413 when either form passes `limit`.
  static func readBody(_ request: Request, limit: Int) async throws(HTTPFailure) -> [UInt8] {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
      throw HTTPFailure(.contentTooLarge, "the body (\(length) bytes) is larger than the \(limit)-byte limit")
    }
    var bytes: [UInt8] = []
    do {
      for try await buffer in request.body {
        guard bytes.count + buffer.readableBytes <= limit else {
          throw HTTPFailure(.contentTooLarge, "the body is larger than the \(limit)-byte limit")
        }
        bytes.append(contentsOf: buffer.readableBytesView)
      }
    } catch let failure as HTTPFailure {
      throw failure
    } catch {
      throw HTTPFailure(.badRequest, "cannot read the body: \(error)")
    }
    let encoding = request.headers[.contentEncoding]?.lowercased().trimmingWhitespace ?? ""
    switch encoding {
    case "", "identity": return bytes
    case "gzip", "x-gzip":
      var result: Result<[UInt8], CodecError> = .success([])
      bytes.withUnsafeBytes { raw in
        do throws(CodecError) {
          result = .success(try Gzip.decompress(raw, limit: limit))
        } catch {
          result = .failure(error)
        }
      }
      switch result {
      case .success(let text): return text
      case .failure(let error) where error.code == .outputTooLarge:
        throw HTTPFailure(.contentTooLarge, "the decompressed body is larger than the \(limit)-byte limit")
      case .failure(let error):
        throw HTTPFailure(.badRequest, "the gzip body cannot be decompressed: \(error)")
      }
    default:
      throw HTTPFailure(.unsupportedMediaType, "Content-Encoding '\(encoding)' is not supported (use gzip or none)")
    }
  }

  /// The client's request id (`Idempotency-Key`, else `X-Request-Id`); 400 when it is malformed.
  static func clientRequestID(_ request: Request) throws(HTTPFailure) -> String? {
    for name in ["idempotency-key", "x-request-id"] {
      guard let field = request.headers.first(where: { $0.name.canonicalName == name }) else { continue }
      guard let id = RequestID.client(field.value) else {
        throw HTTPFailure(
          .badRequest, "\(field.name) must be 1–\(RequestID.maxLength) printable ASCII characters without spaces")
      }
      return id
    }
    return nil
  }

  /// The body as a JSON object; 400 with the parser's message otherwise.
  static func jsonObject(_ body: [UInt8], what: String) throws(HTTPFailure) -> JSONObject {
    let value: JSONValue
    do {
      value = try JSONParser.parse(body)
    } catch {
      throw HTTPFailure(.badRequest, "\(what): the body is not valid JSON: \(error)")
    }
    guard case .object(let object) = value else {
      throw HTTPFailure(.badRequest, "\(what): the body must be a JSON object")
    }
    return object
  }
}

/// Counts every answer of a route in the metrics and turns failures into JSON errors.
struct RouteCounter: Sendable {
  let metrics: ServerMetrics

  func respond(_ route: String, _ handler: () async throws(HTTPFailure) -> Response) async -> Response {
    let response: Response
    do {
      response = try await handler()
    } catch {
      response = HTTPReply.failure(error)
    }
    metrics.countRequest(route: route, status: response.status.code)
    return response
  }
}
