import Foundation
import Testing

@testable import IngestServer

@Suite struct ServerConfigurationTests {
  static func write(_ text: String, _ name: String, in folder: String) throws -> String {
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  @Test func aFileSetsEverySettingAndFlagsOverrideIt() throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let secret = try Self.write("from-file\n", "secret", in: root)
    let file = try Self.write(
      """
      {"listen": "0.0.0.0:9443", "table": "/data/osquery", "spool": "/var/spool/avocet",
       "enroll_secret_file": "\(secret)", "ingest_tokens": ["a", "b"],
       "osquery_config": {"schedule": {"p": {"query": "SELECT 1", "interval": 60}}},
       "partition_by": "date", "max_latency": "500ms", "max_rows": 1000, "max_bytes": "1MB",
       "spool_file_size": 4096, "time_field": "ts", "poll_interval": 0.1}
      """, "server.json", in: root)
    var configuration = ServerConfiguration()
    try configuration.apply(file: file)
    #expect(configuration.host == "0.0.0.0")
    #expect(configuration.port == 9443)
    #expect(configuration.table == "/data/osquery")
    #expect(configuration.spoolFolder == "/var/spool/avocet")
    #expect(configuration.enrollSecret == "from-file")
    #expect(configuration.ingestTokens == ["a", "b"])
    #expect(configuration.osqueryConfig["schedule"]?.objectValue?["p"] != nil)
    #expect(configuration.partitioning == .date)
    #expect(configuration.maxLatency == 0.5)
    #expect(configuration.maxRows == 1000)
    #expect(configuration.maxBytes == 1_000_000)
    #expect(configuration.spoolFileSize == 4096)
    #expect(configuration.timeField == "ts")
    #expect(configuration.pollInterval == 0.1)
    try configuration.set(.listen, to: "127.0.0.1:0", source: "--listen")
    try configuration.set(.maxLatency, to: "2m", source: "--max-latency")
    #expect(configuration.port == 0)
    #expect(configuration.maxLatency == 120)
    try configuration.validate()
  }

  @Test func defaultsNeedOnlyATable() throws {
    var configuration = ServerConfiguration()
    #expect(throws: ServerError.self) { try configuration.validate() }
    try configuration.set(.table, to: "/data/t/", source: "--table")
    try configuration.validate()
    #expect(try configuration.tableFolder() == "/data/t")
    #expect(configuration.spoolFolder == "/data/t_spool")
    #expect(configuration.host == "127.0.0.1" && configuration.port == 8080)
    #expect(configuration.enrollSecret == nil)
  }

  @Test(arguments: [
    (ServerConfiguration.Key.listen, "localhost", "--listen: expected HOST:PORT"),
    (.listen, "h:70000", "--listen"),
    (.maxLatency, "soon", "--max-latency: expected a duration"),
    (.maxRows, "-3", "--max-rows: expected a positive number"),
    (.maxBytes, "lots", "--max-bytes: expected a size"),
    (.partitionBy, "hour", "--partition-by: expected year/month/day"),
    (.enrollSecretFile, "/nonexistent/secret", "--enroll-secret-file: cannot read /nonexistent/secret"),
    (.osqueryConfig, "/nonexistent/config.json", "--osquery-config: cannot read"),
    (.tlsCert, "/nonexistent/cert.pem", "--tls-cert: cannot read"),
  ])
  func badFlagsAreClearErrors(key: ServerConfiguration.Key, value: String, message: String) {
    var configuration = ServerConfiguration()
    do {
      try configuration.set(key, to: value, source: key.flag)
      Issue.record("\(key.flag) \(value) was accepted")
    } catch {
      #expect(error.message.hasPrefix(message), "\(error.message)")
    }
  }

  @Test func badFilesNameTheKey() throws {
    let root = try ServerTestSupport.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    func message(_ text: String) throws -> String {
      let path = try Self.write(text, "c.json", in: root)
      var configuration = ServerConfiguration()
      do {
        try configuration.apply(file: path)
        return ""
      } catch {
        return error.message
      }
    }
    #expect(try message(#"{"tabel": "x"}"#).contains(#"unknown key "tabel""#))
    #expect(try message(#"{"max_rows": "many"}"#).contains(#""max_rows": expected a positive number"#))
    #expect(try message(#"{"ingest_tokens": "one"}"#).contains(#""ingest_tokens" must be an array of strings"#))
    #expect(try message(#"{"osquery_config": 3}"#).contains(#""osquery_config" must be a JSON object"#))
    #expect(try message(#"{"listen": true}"#).contains(#""listen" must be a string or a number"#))
    #expect(try message("[1]").contains("expected a JSON object"))
    #expect(try message("{").contains("not valid JSON"))
  }

  @Test func tlsNeedsBothFiles() throws {
    var configuration = ServerConfiguration()
    configuration.table = "/t"
    configuration.tlsCertificate = "/c.pem"
    #expect(throws: ServerError.self) { try configuration.validate() }
  }
}
