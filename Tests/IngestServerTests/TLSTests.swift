import AsyncHTTPClient
import Foundation
import Testing

@testable import IngestServer

/// HTTPS, as osqueryd needs it, with a certificate made by `openssl` (skipped without it).
@Suite struct TLSTests {
  static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  @Test(.enabled(if: openssl != nil)) func servesHTTPSWithTheConfiguredCertificate() async throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(Self.openssl))
    process.arguments = [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", root + "/key.pem", "-out", root + "/cert.pem",
      "-days", "1", "-subj", "/CN=localhost",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)

    var configuration = TestServer.configuration(root: root)
    try configuration.set(.tlsCert, to: root + "/cert.pem", source: "--tls-cert")
    try configuration.set(.tlsKey, to: root + "/key.pem", source: "--tls-key")
    configuration.enrollSecret = "s"
    let server = try await TestServer.start(configuration, root: root)
    #expect(server.url.hasPrefix("https://127.0.0.1:"))
    var clientConfiguration = HTTPClient.Configuration()
    clientConfiguration.tlsConfiguration = .makeClientConfiguration()
    clientConfiguration.tlsConfiguration?.certificateVerification = .none
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    do {
      let health = try await ServerTestSupport.send(client, server.url + "/health", get: true)
      #expect(health.status == 200)
      let enrolled = try await ServerTestSupport.post(
        client, server.url + "/osquery/enroll", json: #"{"enroll_secret":"s","host_identifier":"h"}"#)
      #expect(enrolled.json["node_invalid"] as? Bool == false)
    } catch {
      Issue.record(error)
    }
    try await client.shutdown()
    try await server.stop()
  }
}
