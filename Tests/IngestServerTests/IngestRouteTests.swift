import AsyncHTTPClient
import Foundation
import Testing

@testable import IngestServer

/// `POST /ingest/{table}`: JSON lines from any client, with bearer tokens.
@Suite struct IngestRouteTests {
  typealias S = ServerTestSupport

  @Test func jsonLinesLandInTheirTableWithTokensCheckedAndRetriesCountedOnce() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    var configuration = TestServer.configuration(root: root)
    configuration.ingestTokens = ["t0k3n", "other"]
    configuration.timeField = "ts"
    let server = try await TestServer.start(configuration, root: root)
    let url = server.url + "/ingest/events"
    let auth = [("Authorization", "Bearer t0k3n")]
    try await S.withClient { client in
      let lines = #"{"id":1,"ts":"2024-05-01T12:00:00Z"}"# + "\n\n" + #"{"id":2,"ts":"2024-05-02T12:00:00Z"}"# + "\r\n"
      #expect(try await S.post(client, url, json: lines).status == 401)
      #expect(try await S.post(client, url, json: lines, headers: [("Authorization", "Bearer wrong")]).status == 401)
      #expect(try await S.post(client, url, json: lines, headers: [("Authorization", "Basic dTpw")]).status == 401)
      let accepted = try await S.post(client, url, json: lines, headers: auth)
      #expect(accepted.status == 200)
      #expect(accepted.json["accepted"] as? Int == 2)
      // The same body again (no id: its digest is the id) is not spooled twice.
      #expect(try await S.post(client, url, json: lines, headers: auth).json["accepted"] as? Int == 2)
      // Idempotency-Key: a retried request counts once.
      for _ in 0..<3 {
        let reply = try await S.post(
          client, url, json: #"{"id":3,"ts":"2024-05-03T00:00:00Z"}"#,
          headers: [("Authorization", "Bearer other"), ("Idempotency-Key", "batch-3")])
        #expect(reply.json["accepted"] as? Int == 1)
      }
      // A gzip body; a malformed line becomes a dead letter; a JSON text sequence (RFC 7464)
      // line loses its record separator.
      let body =
        "{\"id\":4,\"ts\":\"2024-05-04T00:00:00Z\"}\n{\"id\": 5, broken\n\u{1E}{\"id\":6,\"ts\":\"2024-05-04T00:00:00Z\"}\n"
      let gzip = try await S.send(
        client, url, body: S.gzip(body), headers: auth + [("Content-Encoding", "gzip"), ("X-Request-Id", "gz-1")])
      #expect(gzip.status == 200, "\(gzip.body)")
      #expect(gzip.json["accepted"] as? Int == 3)
      // A second table gets its own spool channel; names outside [A-Za-z0-9_.-] are refused.
      #expect(
        try await S.post(client, server.url + "/ingest/dns.v1", json: #"{"q":"a.example"}"#, headers: auth).status
          == 200)
      let badName = try await S.post(client, server.url + "/ingest/bad$name", json: "{}", headers: auth)
      #expect(badName.status == 400)
      #expect(badName.body.contains("cannot name a table"))
      let badKey = try await S.post(client, url, json: "{}", headers: auth + [("Idempotency-Key", "has space")])
      #expect(badKey.status == 400)
      let badEncoding = try await S.send(
        client, url, body: Array("{}".utf8), headers: auth + [("Content-Encoding", "br")])
      #expect(badEncoding.status == 415)
      let notGzip = try await S.send(
        client, url, body: Array("{}".utf8), headers: auth + [("Content-Encoding", "gzip")])
      #expect(notGzip.status == 400)

      let tables = server.tables
      #expect(
        try await S.eventually {
          try S.rows(tables + "/events").count == 5 && S.rows(tables + "/events_dead_letters").count == 1
            && S.rows(tables + "/dns.v1").count == 1
        })
      #expect(try S.rows(tables + "/events", columns: ["id"]) == (1...4).map { #"{"id":\#($0)}"# } + [#"{"id":6}"#])
      #expect(
        try S.rows(tables + "/events_dead_letters", columns: ["raw"]) == [#"{"raw":"{\"id\": 5, broken"}"#])
      #expect(try S.rows(tables + "/dns.v1", columns: ["q"]) == [#"{"q":"a.example"}"#])
      let metrics = try await S.send(client, server.url + "/metrics", get: true).body
      #expect(metrics.contains(#"avocet_records_written_total{channel="ingest-events"} 5"#), "\(metrics)")
      #expect(metrics.contains(#"avocet_duplicate_requests_total{channel="ingest-events"} 3"#))
      #expect(metrics.contains(#"avocet_http_requests_total{route="/ingest/{table}",status="401"} 3"#))
    }
    try await server.stop()
  }

  @Test func withoutTokensNoAuthorizationIsNeeded() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let server = try await TestServer.start(TestServer.configuration(root: root), root: root)
    try await S.withClient { client in
      let reply = try await S.post(client, server.url + "/ingest/open", json: "{\"a\":1}\n{\"a\":2}")
      #expect(reply.json["accepted"] as? Int == 2)
    }
    try await server.stop()
    #expect(try S.rows(server.tables + "/open") == [#"{"a":1}"#, #"{"a":2}"#])
  }

  @Test func aBodyOverTheLimitIsRefused() async throws {
    let root = try S.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    var configuration = TestServer.configuration(root: root)
    configuration.maxBodyBytes = 1000
    let server = try await TestServer.start(configuration, root: root)
    try await S.withClient { client in
      let big = String(repeating: "{\"a\":1}\n", count: 200)
      #expect(try await S.post(client, server.url + "/ingest/t", json: big).status == 413)
      let bomb = try await S.send(
        client, server.url + "/ingest/t", body: S.gzip(big), headers: [("Content-Encoding", "gzip")])
      #expect(bomb.status == 413, "\(bomb.body)")
      #expect(try await S.post(client, server.url + "/ingest/t", json: "{\"a\":1}").status == 200)
    }
    try await server.stop()
  }
}
