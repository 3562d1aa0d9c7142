import AsyncHTTPClient
import Foundation
import Testing

@testable import IngestServer

/// A client that behaves like osqueryd with the TLS plugins (security-log-formats.md §1.3).
@Suite struct OsqueryRemoteAPITests {
  static let secret = "enroll-s3cret"
  static let header =
    #""hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850"#
    + #","epoch":0,"counter":1,"numerics":false"#

  static func event(_ query: String, _ columns: String, action: String = "added") -> String {
    #"{"name":"\#(query)",\#(header),"columns":{\#(columns)},"action":"\#(action)"}"#
  }

  static func logBody(_ key: String, type: String = "result", _ data: [String]) -> String {
    #"{"node_key":"\#(key)","log_type":"\#(type)","data":[\#(data.joined(separator: ","))]}"#
  }

  static func configuration(root: String) -> ServerConfiguration {
    var configuration = TestServer.configuration(root: root)
    configuration.enrollSecret = secret
    configuration.osqueryConfig = .init([
      ("schedule", .object(.init([("processes", .object(.init([("query", .string("SELECT * FROM processes"))])))])))
    ])
    return configuration
  }

  @Test func anOsquerydClientEnrollsFetchesItsConfigAndItsLogsLandInPerQueryTables() async throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let server = try await TestServer.start(Self.configuration(root: root), root: root)
    let url = server.url
    typealias S = ServerTestSupport
    try await S.withClient { client in
      // Enroll: a wrong or missing secret is refused the way osquery expects (200, node_invalid).
      let refused = try await S.post(
        client, url + "/osquery/enroll", json: #"{"enroll_secret":"nope","host_identifier":"host-01"}"#)
      #expect(refused.status == 200)
      #expect(refused.json["node_invalid"] as? Bool == true)
      #expect(refused.json["node_key"] == nil)
      let missing = try await S.post(client, url + "/osquery/enroll", json: #"{"host_identifier":"host-01"}"#)
      #expect(missing.json["node_invalid"] as? Bool == true)
      let enrolled = try await S.post(
        client, url + "/osquery/enroll",
        json: #"{"enroll_secret":"\#(Self.secret)","host_identifier":"host-01","host_details":{"os_version":{}}}"#)
      #expect(enrolled.status == 200)
      #expect(enrolled.json["node_invalid"] as? Bool == false)
      let key = try #require(enrolled.json["node_key"] as? String)
      #expect(key.count == 64)

      // Config: the node key in the body or in `Authorization: NodeKey`.
      let config = try await S.post(client, url + "/osquery/config", json: #"{"node_key":"\#(key)"}"#)
      #expect(config.status == 200)
      #expect(config.json["node_invalid"] as? Bool == false)
      let schedule = config.json["schedule"] as? [String: Any]
      #expect((schedule?["processes"] as? [String: Any])?["query"] as? String == "SELECT * FROM processes")
      let byHeader = try await S.post(
        client, url + "/osquery/config", json: "{}", headers: [("Authorization", "NodeKey \(key)")])
      #expect(byHeader.json["node_invalid"] as? Bool == false)
      let stranger = try await S.post(client, url + "/osquery/config", json: #"{"node_key":"not-a-node"}"#)
      #expect(stranger.status == 200)
      #expect(stranger.json["node_invalid"] as? Bool == true)

      // Result logs: event format (with one element that is not a log object), batch, snapshot.
      let events = Self.logBody(
        key,
        [
          Self.event("processes", #""name":"osqueryd","pid":"97830""#),
          Self.event("processes", #""name":"bash","pid":"4242""#, action: "removed"),
          #""garbage""#,
          Self.event("users", #""username":"root","uid":"0""#),
        ])
      #expect(try await S.post(client, url + "/osquery/log", json: events).json["node_invalid"] as? Bool == false)
      let batch = Self.logBody(
        key,
        [#"{"diffResults":{"added":[{"pid":"1001"}],"removed":[{"pid":"1002"}]},"name":"processes",\#(Self.header)}"#])
      #expect(try await S.post(client, url + "/osquery/log", json: batch).status == 200)
      let snapshot = Self.logBody(
        key,
        [#"{"snapshot":[{"port":"22"},{"port":"443"}],"action":"snapshot","name":"listening_ports",\#(Self.header)}"#])
      #expect(try await S.post(client, url + "/osquery/log", json: snapshot).status == 200)

      // Status logs.
      let status = Self.logBody(
        key, type: "status",
        [
          #"{"hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:30 2014 UTC","unixTime":1412123850,"severity":0,"filename":"scheduler.cpp","line":83,"message":"Executing scheduled query processes","version":"5.12.1"}"#,
          #"{"hostIdentifier":"host-01","calendarTime":"Tue Sep 30 17:37:31 2014 UTC","unixTime":1412123851,"severity":1,"filename":"config.cpp","line":7,"message":"a warning","version":"5.12.1"}"#,
        ])
      #expect(try await S.post(client, url + "/osquery/log", json: status).status == 200)

      // A gzip body (--logger_tls_compress), with the node key in the header only.
      let info = Self.logBody("", [Self.event("osquery_info", #""version":"5.12.1""#)])
      let compressed = try await S.send(
        client, url + "/osquery/log", body: S.gzip(info),
        headers: [("Content-Encoding", "gzip"), ("Authorization", "NodeKey \(key)")])
      #expect(compressed.status == 200)
      #expect(compressed.json["node_invalid"] as? Bool == false)

      // An unknown node is told to enroll again, and nothing of its log is kept.
      let unknown = try await S.post(
        client, url + "/osquery/log", json: Self.logBody("forged", [Self.event("processes", #""pid":"666""#)]))
      #expect(unknown.status == 200)
      #expect(unknown.json["node_invalid"] as? Bool == true)

      // Retries count once: the same body again, and a client request id sent twice.
      #expect(try await S.post(client, url + "/osquery/log", json: events).status == 200)
      let keyed = Self.logBody(key, [Self.event("users", #""username":"alice","uid":"501""#)])
      for _ in 0..<2 {
        let reply = try await S.post(client, url + "/osquery/log", json: keyed, headers: [("Idempotency-Key", "req-7")])
        #expect(reply.status == 200)
      }

      // Malformed bodies are HTTP errors with a message.
      let malformed = try await S.post(client, url + "/osquery/log", json: #"{"node_key":"\#(key)","data":["#)
      #expect(malformed.status == 400)
      #expect(malformed.body.contains("not valid JSON"), "\(malformed.body)")
      let badType = try await S.post(client, url + "/osquery/log", json: Self.logBody(key, type: "metrics", []))
      #expect(badType.status == 400)

      // Distributed queries: nothing to run, answers accepted.
      let read = try await S.post(client, url + "/osquery/distributed/read", json: #"{"node_key":"\#(key)"}"#)
      #expect(read.json["queries"] as? [String: Any] != nil)
      let write = try await S.post(
        client, url + "/osquery/distributed/write", json: #"{"node_key":"\#(key)","queries":{},"statuses":{}}"#)
      #expect(write.status == 200)
      #expect(write.json["node_invalid"] == nil)
      let readUnknown = try await S.post(client, url + "/osquery/distributed/read", json: #"{"node_key":"x"}"#)
      #expect(readUnknown.json["node_invalid"] as? Bool == true)

      // The tables, once flushed.
      let tables = server.tables
      let arrived = try await S.eventually {
        try S.rows(tables + "/processes").count == 4 && S.rows(tables + "/users").count == 2
          && S.rows(tables + "/listening_ports").count == 2 && S.rows(tables + "/osquery_info").count == 1
          && S.rows(tables + "/osquery_status").count == 2 && S.rows(tables + "_dead_letters").count == 1
      }
      #expect(arrived)
      #expect(
        try S.rows(tables + "/processes", columns: ["action", "pid", "host_identifier"]) == [
          #"{"action":"added","pid":1001,"host_identifier":"host-01"}"#,
          #"{"action":"added","pid":97830,"host_identifier":"host-01"}"#,
          #"{"action":"removed","pid":1002,"host_identifier":"host-01"}"#,
          #"{"action":"removed","pid":4242,"host_identifier":"host-01"}"#,
        ])
      #expect(
        try S.rows(tables + "/users", columns: ["username", "uid"]) == [
          #"{"username":"alice","uid":501}"#, #"{"username":"root","uid":0}"#,
        ])
      #expect(
        try S.rows(tables + "/listening_ports", columns: ["action", "port"]) == [
          #"{"action":"snapshot","port":22}"#, #"{"action":"snapshot","port":443}"#,
        ])
      #expect(try S.rows(tables + "/osquery_info", columns: ["version"]) == [#"{"version":"5.12.1"}"#])
      #expect(
        try S.rows(tables + "/osquery_status", columns: ["severity", "filename", "line", "message"]) == [
          #"{"severity":0,"filename":"scheduler.cpp","line":83,"message":"Executing scheduled query processes"}"#,
          #"{"severity":1,"filename":"config.cpp","line":7,"message":"a warning"}"#,
        ])
      #expect(
        try S.rows(tables + "_dead_letters", columns: ["source", "raw"]) == [#"{"source":"http","raw":"\"garbage\""}"#])

      // Metrics.
      let metrics = try await S.send(client, url + "/metrics", get: true)
      #expect(metrics.status == 200)
      #expect(metrics.body.contains(#"avocet_records_written_total{channel="osquery"} 11"#), "\(metrics.body)")
      #expect(metrics.body.contains(#"avocet_records_dead_lettered_total{channel="osquery"} 1"#))
      #expect(metrics.body.contains(#"avocet_duplicate_requests_total{channel="osquery"} 2"#))
      #expect(metrics.body.contains(#"avocet_spooled_requests_total{channel="osquery"} 6"#))
      #expect(metrics.body.contains(#"avocet_http_requests_total{route="/osquery/log",status="200"} 9"#))
      #expect(metrics.body.contains(#"avocet_http_requests_total{route="/osquery/log",status="400"} 2"#))
      #expect(metrics.body.contains(#"avocet_http_requests_total{route="/osquery/enroll",status="200"} 3"#))
      #expect(metrics.body.contains("avocet_lag_seconds{channel=\"osquery\"} "))
      #expect(metrics.body.contains("avocet_flush_seconds_count{channel=\"osquery\"} "))
      let health = try await S.send(client, url + "/health", get: true)
      #expect(health.status == 200)
    }
    try await server.stop()

    // A restart keeps the node keys and still recognises the requests it spooled.
    let again = try await TestServer.start(Self.configuration(root: root), root: root)
    try await S.withClient { client in
      let enrolled = try await S.post(
        client, again.url + "/osquery/enroll", json: #"{"enroll_secret":"\#(Self.secret)","host_identifier":"host-02"}"#
      )
      let key = try #require(enrolled.json["node_key"] as? String)
      let keyed = Self.logBody(key, [Self.event("users", #""username":"alice","uid":"501""#)])
      #expect(
        try await S.post(client, again.url + "/osquery/log", json: keyed, headers: [("Idempotency-Key", "req-7")])
          .status == 200)
      let nodes = try String(contentsOfFile: root + "/spool/nodes.json", encoding: .utf8)
      #expect(nodes.contains("host-01") && nodes.contains("host-02"))
    }
    try await again.stop()
    #expect(try S.rows(server.tables + "/users").count == 2)
    #expect(try S.rows(server.tables + "/processes").count == 4)
  }

  @Test func aNodeKeyOutlivesARestart() async throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    typealias S = ServerTestSupport
    let first = try await TestServer.start(Self.configuration(root: root), root: root)
    let key = try await S.withClient { client in
      let enrolled = try await S.post(
        client, first.url + "/osquery/enroll", json: #"{"enroll_secret":"\#(Self.secret)","host_identifier":"h"}"#)
      return try #require(enrolled.json["node_key"] as? String)
    }
    try await first.stop()
    let second = try await TestServer.start(Self.configuration(root: root), root: root)
    try await S.withClient { client in
      let config = try await S.post(client, second.url + "/osquery/config", json: #"{"node_key":"\#(key)"}"#)
      #expect(config.json["node_invalid"] as? Bool == false)
    }
    try await second.stop()
  }

  @Test func withoutAnEnrollSecretNoHostCanEnroll() async throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let server = try await TestServer.start(TestServer.configuration(root: root), root: root)
    try await ServerTestSupport.withClient { client in
      let reply = try await ServerTestSupport.post(
        client, server.url + "/osquery/enroll", json: #"{"enroll_secret":"","host_identifier":"h"}"#)
      #expect(reply.json["node_invalid"] as? Bool == true)
    }
    try await server.stop()
  }
}
