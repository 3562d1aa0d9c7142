import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `avocet ingest kafka` with TLS and SASL, through `scripts/kafka-secure-proxy.py` in front of
/// noida-db (started here from `.venv-oracles`); messages produced by confluent-kafka through
/// the same proxy.
@Suite(.serialized) struct IngestKafkaSecurityCLITests {
  static let proxyScript = WriteCLITests.root.appendingPathComponent("scripts/kafka-secure-proxy.py").path
  static let password = "pencil,with=comma"

  static var available: Bool {
    FileManager.default.fileExists(atPath: WriteCLITests.python)
      && FileManager.default.fileExists(
        atPath: WriteCLITests.root.appendingPathComponent("scripts/start-kafka-broker.sh").path)
      && ["/usr/bin/openssl", "/usr/local/bin/openssl"].contains { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs a command with posix_spawn and waitpid (Foundation's `Process` can miss the exit of a
  /// script that leaves a daemon behind), output in temporary files.
  static func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
    let directory = FileManager.default.temporaryDirectory
    let outPath = directory.appendingPathComponent("avocet-cli-kafka-\(UUID().uuidString).out").path
    let errPath = directory.appendingPathComponent("avocet-cli-kafka-\(UUID().uuidString).err").path
    defer {
      try? FileManager.default.removeItem(atPath: outPath)
      try? FileManager.default.removeItem(atPath: errPath)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
    guard spawned == 0 else { return (-1, "", "posix_spawn failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), stdout, stderr)
  }

  /// The secure proxy with TLS and SASL (user alice) on 127.0.0.2 at the broker's port, its
  /// certificates (ca.pem, …) in `certificates`.
  static func startProxy(brokers: String, certificates: String) throws -> (brokers: String, stop: () -> Void) {
    let port = String(brokers.split(separator: ":").last ?? "")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = [
      proxyScript, "--port", port, "--tls-cert", certificates + "/server.pem", "--tls-key",
      certificates + "/server.key",
      "--sasl-user", "alice", "--sasl-password", password,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var output = Data()
    while !output.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      output += chunk
    }
    let stop = {
      if process.isRunning {
        process.terminate()
        process.waitUntilExit()
      }
    }
    guard String(decoding: output, as: UTF8.self).hasPrefix("READY") else {
      stop()
      throw CLIFailure(description: "the secure proxy did not start")
    }
    return ("127.0.0.2:\(port)", stop)
  }

  struct CLIFailure: Error, CustomStringConvertible { var description: String }

  static func makeCertificates() throws -> String {
    let directory = WriteCLITests.folder("kafka-certs")
    let output = run([WriteCLITests.python, proxyScript, "certs", directory])
    try #require(output.status == 0, "making certificates failed: \(output.stderr)")
    return directory
  }

  /// Creates `topic` and produces `lines` through the proxy (SASL_SSL, SCRAM-SHA-256), line i to
  /// partition i % partitions.
  static func produce(_ brokers: String, certificates: String, topic: String, partitions: Int, lines: [String]) throws {
    try IngestKafkaCLITests.produce(
      brokers, topic: topic, partitions: partitions, lines: lines,
      settings: [
        "security.protocol": "SASL_SSL", "ssl.ca.location": certificates + "/ca.pem", "sasl.mechanism": "SCRAM-SHA-256",
        "sasl.username": "alice", "sasl.password": password,
      ])
  }

  @Test(.enabled(if: available)) func ingestsOverTLSWithScramAndRefusesAWrongPassword() throws {
    let broker = try IngestKafkaCLITests.startBroker()
    defer { broker.stop() }
    let certificates = try Self.makeCertificates()
    defer { try? FileManager.default.removeItem(atPath: certificates) }
    let proxy = try Self.startProxy(brokers: broker.brokers, certificates: certificates)
    defer { proxy.stop() }
    let dir = WriteCLITests.folder("ingest-kafka-secure")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Self.produce(
      proxy.brokers, certificates: certificates, topic: "osquery", partitions: 3, lines: (0..<300).map(IngestKafkaCLITests.osqueryLine)
    )
    let arguments = [
      "ingest", "kafka", "--brokers", proxy.brokers, "--topic", "osquery", "--group", "lake", "--format", "osquery",
      "--table", dir + "/osquery", "--until-caught-up", "--tls", "--tls-ca-file", certificates + "/ca.pem",
      "--sasl-mechanism", "SCRAM-SHA-256", "--sasl-username", "alice",
    ]

    // A wrong password: a clear error, nothing consumed, no table.
    let refused = try CLITests.avocet(arguments, environment: ["AVOCET_KAFKA_SASL_PASSWORD": "not-the-password"])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains(
        "SASL authentication as 'alice' with SCRAM-SHA-256 failed on \(proxy.brokers): "
          + "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256"),
      "\(refused.stderr)")
    #expect(!refused.stderr.contains("not-the-password"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/osquery/processes"))

    let first = try CLITests.avocet(arguments, environment: ["AVOCET_KAFKA_SASL_PASSWORD": Self.password])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("wrote 300"), "\(first.stdout)")
    #expect(Set(try IngestKafkaCLITests.ids(dir + "/osquery")) == Set(0..<300))

    // More data, read with the password from a file and SCRAM-SHA-512: only the new lines.
    try Self.produce(
      proxy.brokers, certificates: certificates, topic: "osquery", partitions: 3,
      lines: (300..<330).map(IngestKafkaCLITests.osqueryLine))
    let passwordFile = dir + "/password"
    try (Self.password + "\n").write(toFile: passwordFile, atomically: false, encoding: .utf8)
    var second = arguments
    second[second.firstIndex(of: "SCRAM-SHA-256")!] = "SCRAM-SHA-512"
    second += ["--sasl-password-file", passwordFile]
    let resumed = try CLITests.avocet(second, environment: ["AVOCET_KAFKA_SASL_PASSWORD": ""])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("wrote 30,"), "\(resumed.stdout)")
    let ids = try IngestKafkaCLITests.ids(dir + "/osquery")
    #expect(ids.count == 330)
    #expect(Set(ids) == Set(0..<330))
  }

  @Test(.enabled(if: available)) func anUntrustedBrokerCertificateIsAClearError() throws {
    let broker = try IngestKafkaCLITests.startBroker()
    defer { broker.stop() }
    let certificates = try Self.makeCertificates()
    defer { try? FileManager.default.removeItem(atPath: certificates) }
    let proxy = try Self.startProxy(brokers: broker.brokers, certificates: certificates)
    defer { proxy.stop() }
    let dir = WriteCLITests.folder("ingest-kafka-untrusted")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try CLITests.avocet(
      [
        "ingest", "kafka", "--brokers", proxy.brokers, "--topic", "t", "--group", "g", "--format", "jsonl", "--table",
        dir + "/t",
        "--tls-ca-file", certificates + "/other-ca.pem", "--until-caught-up",
      ])
    #expect(result.status != 0)
    #expect(
      result.stderr.contains("TLS handshake with \(proxy.brokers) failed: certificate verify failed"),
      "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/t/_delta_log"))
  }

  /// Mistakes in the security options stop the command before it connects or touches a table.
  @Test(
    arguments: [
      (["--sasl-mechanism", "SCRAM-SHA-256"], [:], "--sasl-mechanism SCRAM-SHA-256 needs --sasl-username"),
      (
        ["--sasl-mechanism", "PLAIN", "--sasl-username", "u"], [:],
        "needs a password: set AVOCET_KAFKA_SASL_PASSWORD or give --sasl-password-file"
      ),
      (
        ["--sasl-mechanism", "GSSAPI", "--sasl-username", "u"], ["AVOCET_KAFKA_SASL_PASSWORD": "p"],
        "unknown --sasl-mechanism 'GSSAPI'; use one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"
      ),
      (["--sasl-username", "u"], [:], "--sasl-username and --sasl-password-file need --sasl-mechanism"),
      (
        ["--sasl-mechanism", "PLAIN", "--sasl-username", "u", "--sasl-password-file", "/nonexistent/pw"], [:],
        "cannot read --sasl-password-file '/nonexistent/pw'"
      ),
      (["--tls", "--tls-cert-file", "/tmp/client.pem"], [:], "--tls-cert-file needs --tls-key-file"),
      (["--tls-key-file", "/tmp/client.key"], [:], "--tls-key-file needs --tls-cert-file"),
      (
        ["--tls-ca-file", "/nonexistent/ca.pem"], [:],
        "cannot read the TLS CA file '/nonexistent/ca.pem': no such file or directory"
      ),
    ] as [([String], [String: String], String)])
  func invalidSecurityOptionsAreClearErrors(options: [String], environment: [String: String], message: String) throws {
    let dir = WriteCLITests.folder("ingest-kafka-options")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var environment = environment
    if environment["AVOCET_KAFKA_SASL_PASSWORD"] == nil { environment["AVOCET_KAFKA_SASL_PASSWORD"] = "" }
    let result = try CLITests.avocet(
      [
        "ingest", "kafka", "--brokers", "127.0.0.1:9", "--topic", "t", "--group", "g", "--format", "jsonl", "--table",
        dir + "/t",
      ]
        + options,
      environment: environment)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stderr.contains("cannot connect"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/t"))
  }

  @Test func helpDocumentsTheSecurityOptions() throws {
    let help = try CLITests.avocet("ingest", "kafka", "--help")
    for option in [
      "--tls", "--tls-ca-file", "--tls-cert-file", "--tls-key-file", "--tls-insecure", "--sasl-mechanism",
      "--sasl-username",
      "--sasl-password-file", "AVOCET_KAFKA_SASL_PASSWORD",
    ] {
      #expect(help.stdout.contains(option), "\(option)")
    }
    #expect(help.stdout.contains("INSECURE"))
    #expect(!help.stdout.contains("--sasl-password "))
  }
}
