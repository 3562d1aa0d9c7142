import Foundation
import Testing

@testable import Kafka

/// `scripts/kafka-secure-proxy.py` in front of noida-db: a broker with TLS (certificates made by
/// `openssl` for this test process) and SASL with a real credential check, on 127.0.0.2 at
/// noida's port.
enum SecureProxy {
  static let script = KafkaTestBroker.repositoryRoot.appendingPathComponent("scripts/kafka-secure-proxy.py").path
  static let user = "alice"
  /// Has a comma and an equals sign, which SCRAM escapes in names (not passwords) and PLAIN
  /// sends as they are.
  static let password = "wonder,land=42"

  static let hasOpenSSL: Bool = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"].contains {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// noida-db and confluent-kafka in the oracle venv, and openssl; a configured broker only when
  /// it listens on 127.0.0.1 (the proxy takes the same port on 127.0.0.2).
  static let isAvailable: Bool = {
    if let configured = ProcessInfo.processInfo.environment["AVOCET_TEST_KAFKA_BROKERS"],
      !configured.hasPrefix("127.0.0.1:")
    {
      return false
    }
    return KafkaTestBroker.isAvailable && hasOpenSSL
  }()

  /// A directory with ca.pem, server.pem/key (for IP 127.0.0.2), named-server.pem/key (for
  /// broker.avocet.test only), client.pem/key, and other-ca.pem, other-client.pem/key from an
  /// unrelated CA.
  static let certificates: Result<String, KafkaTestBroker.Failure> = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "avocet-kafka-certs-\(UUID().uuidString.prefix(8))"
    ).path
    let output = KafkaTestBroker.run([KafkaTestBroker.python, script, "certs", directory])
    guard output.status == 0 else {
      return .failure(KafkaTestBroker.Failure(description: "cannot make certificates: \(output.stderr)"))
    }
    atexit {
      if case .success(let directory) = SecureProxy.certificates {
        try? FileManager.default.removeItem(atPath: directory)
      }
    }
    return .success(directory)
  }()

  static func certificate(_ name: String) throws -> String { try certificates.get() + "/" + name }

  /// A running proxy; `stop` sends SIGTERM and waits.
  final class Running {
    let process: Process
    let logPath: String
    let port: Int

    init(process: Process, logPath: String, port: Int) {
      self.process = process
      self.logPath = logPath
      self.port = port
    }

    var brokers: String { "127.0.0.2:\(port)" }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func stop() {
      if process.isRunning {
        process.terminate()
        process.waitUntilExit()
      }
      try? FileManager.default.removeItem(atPath: logPath)
    }
  }

  enum Mode {
    case plaintext
    case tls
    case mutualTLS
  }

  /// Starts the proxy in front of the shared noida-db and waits for READY.
  static func start(_ mode: Mode, sasl: Bool, server: String = "server", extra: [String] = []) throws -> Running {
    let brokers = try KafkaTestBroker.brokers.get()
    guard let port = Int(brokers.split(separator: ":").last ?? "") else {
      throw KafkaTestBroker.Failure(description: "no port in \(brokers)")
    }
    var arguments = [script, "--port", String(port)]
    if mode != .plaintext {
      arguments += ["--tls-cert", try certificate("\(server).pem"), "--tls-key", try certificate("\(server).key")]
    }
    if mode == .mutualTLS { arguments += ["--tls-client-ca", try certificate("ca.pem")] }
    if sasl { arguments += ["--sasl-user", user, "--sasl-password", password] }
    arguments += extra
    let logPath = FileManager.default.temporaryDirectory.appendingPathComponent(
      "avocet-proxy-\(UUID().uuidString).log"
    ).path
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: KafkaTestBroker.python)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let running = Running(process: process, logPath: logPath, port: port)
    var output = Data()
    while !output.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      output += chunk
    }
    guard String(decoding: output, as: UTF8.self).hasPrefix("READY") else {
      running.stop()
      throw KafkaTestBroker.Failure(description: "the proxy did not start: \(running.log)")
    }
    return running
  }

  /// confluent-kafka settings for the proxy's mode.
  static func clientSettings(_ mode: Mode, mechanism: String?, password: String = password) throws -> [String: String] {
    var settings: [String: String] = [:]
    if mode != .plaintext { settings["ssl.ca.location"] = try certificate("ca.pem") }
    if mode == .mutualTLS {
      settings["ssl.certificate.location"] = try certificate("client.pem")
      settings["ssl.key.location"] = try certificate("client.key")
    }
    if let mechanism {
      settings["sasl.mechanism"] = mechanism
      settings["sasl.username"] = user
      settings["sasl.password"] = password
    }
    settings["security.protocol"] =
      switch (mode != .plaintext, mechanism != nil) {
      case (false, false): "PLAINTEXT"
      case (true, false): "SSL"
      case (false, true): "SASL_PLAINTEXT"
      case (true, true): "SASL_SSL"
      }
    return settings
  }

  static let produceScript = """
    import json, sys
    from confluent_kafka import Producer
    from confluent_kafka.admin import AdminClient, NewTopic
    spec = json.loads(sys.argv[1])
    conf = dict(spec['settings'], **{'bootstrap.servers': spec['brokers']})
    admin = AdminClient(conf)
    for f in admin.create_topics([NewTopic(spec['topic'], num_partitions=3, replication_factor=1,
            config={'retention.ms': '-1'})], operation_timeout=10).values():
        f.result()
    p = Producer(dict(conf, **{'linger.ms': 20, 'enable.idempotence': False, 'acks': 'all'}))
    errors = []
    for i in range(spec['count']):
        p.produce(spec['topic'], key=f'key-{i}'.encode(), value=f'value-{i}'.encode(), partition=i % 3,
                  on_delivery=lambda err, msg: errors.append(str(err)) if err else None)
        p.poll(0)
    left = p.flush(30)
    if left or errors:
        sys.exit(f'not delivered: {left} left, errors {errors[:3]}')
    """

  struct ProduceSpec: Encodable {
    var brokers: String
    var topic: String
    var count: Int
    var settings: [String: String]
  }

  /// Creates a 3-partition topic and produces `count` messages through the proxy with confluent-kafka.
  static func produce(_ proxy: Running, topic: String, count: Int, settings: [String: String]) throws {
    let spec = ProduceSpec(brokers: proxy.brokers, topic: topic, count: count, settings: settings)
    try KafkaTestBroker.python(produceScript, [String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)])
  }

  /// What librdkafka reports when it connects with `settings` (its error callback), in 5 s.
  static let rejectionScript = """
    import json, sys, time
    from confluent_kafka import Producer
    spec = json.loads(sys.argv[1])
    errors = []
    p = Producer(dict(spec['settings'], **{'bootstrap.servers': spec['brokers'],
        'error_cb': lambda err: errors.append(str(err)), 'log_level': 0}))
    deadline = time.time() + 5
    while time.time() < deadline and not errors:
        p.poll(0.2)
    print(errors[0] if errors else 'no error')
    """

  static func librdkafkaError(_ proxy: Running, settings: [String: String]) throws -> String {
    let spec = ProduceSpec(brokers: proxy.brokers, topic: "", count: 0, settings: settings)
    return try KafkaTestBroker.python(
      rejectionScript, [String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)])
  }
}

/// Our consumer through the secure proxy: TLS, mutual TLS, SASL PLAIN and SCRAM, their
/// combinations, and the failures a user must be able to read.
@Suite(
  .serialized, .enabled(if: SecureProxy.isAvailable, "needs noida-db and confluent-kafka in .venv-oracles, and openssl")
)
struct KafkaSecurityIntegrationTests {
  func configuration(
    _ proxy: SecureProxy.Running, group: String? = nil, topics: [String], tls: KafkaTLS? = nil, sasl: KafkaSASL? = nil
  ) -> KafkaConsumerConfiguration {
    var configuration = KafkaConsumerConfiguration(brokers: proxy.brokers, groupID: group, topics: topics)
    configuration.requestTimeout = .seconds(10)
    configuration.connectTimeout = .seconds(5)
    configuration.fetchMaxWait = .milliseconds(100)
    configuration.sessionTimeout = .seconds(6)
    configuration.heartbeatInterval = .milliseconds(300)
    configuration.rebalanceTimeout = .seconds(10)
    configuration.tls = tls
    configuration.sasl = sasl
    return configuration
  }

  func trustingTestCA() throws -> KafkaTLS { KafkaTLS(caFile: try SecureProxy.certificate("ca.pem")) }

  func sasl(_ mechanism: KafkaSASL.Mechanism, password: String = SecureProxy.password) -> KafkaSASL {
    KafkaSASL(mechanism: mechanism, username: SecureProxy.user, password: password)
  }

  /// Produces 30 messages through the proxy and reads them back with `configuration`.
  func roundTrip(
    _ proxy: SecureProxy.Running, mode: SecureProxy.Mode, mechanism: KafkaSASL.Mechanism?, tls: KafkaTLS?,
    group: String? = nil
  ) throws {
    let topic = KafkaTestBroker.uniqueName("secure")
    try SecureProxy.produce(
      proxy, topic: topic, count: 30, settings: try SecureProxy.clientSettings(mode, mechanism: mechanism?.rawValue))
    let consumer = try KafkaConsumer(
      configuration: configuration(proxy, group: group, topics: [topic], tls: tls, sasl: mechanism.map { sasl($0) }))
    defer { try? consumer.close() }
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(20)
    var messages: [KafkaMessage] = []
    while messages.count < 30 && clock.now < deadline { messages += try consumer.poll(timeout: .milliseconds(500)) }
    #expect(messages.count == 30, "proxy log: \(proxy.log.suffix(2000))")
    #expect(
      Set(messages.map { String(decoding: $0.value ?? [], as: UTF8.self) }) == Set((0..<30).map { "value-\($0)" }))
    if group != nil {
      let partitions = (0..<Int32(3)).map { TopicPartition(topic, $0) }
      try consumer.commit(offsets: [partitions[0]: 10, partitions[1]: 10, partitions[2]: 7])
      #expect(try consumer.committedOffsets(partitions) == [partitions[0]: 10, partitions[1]: 10, partitions[2]: 7])
    }
  }

  func expectError(
    _ configuration: KafkaConsumerConfiguration, code: KafkaError.Code, _ check: (String) -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(sourceLocation: sourceLocation) {
      _ = try KafkaConsumer(configuration: configuration)
    } throws: { error in
      let error = error as? KafkaError
      return error?.code == code && check(error?.message ?? "")
    }
  }

  @Test func consumesOverTLS() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false)
    defer { proxy.stop() }
    try roundTrip(proxy, mode: .tls, mechanism: nil, tls: try trustingTestCA())
  }

  @Test func consumesOverMutualTLS() throws {
    let proxy = try SecureProxy.start(.mutualTLS, sasl: false)
    defer { proxy.stop() }
    var tls = try trustingTestCA()
    tls.certificateFile = try SecureProxy.certificate("client.pem")
    tls.keyFile = try SecureProxy.certificate("client.key")
    try roundTrip(proxy, mode: .mutualTLS, mechanism: nil, tls: tls)
  }

  @Test func mutualTLSRefusesAClientWithoutATrustedCertificate() throws {
    let proxy = try SecureProxy.start(.mutualTLS, sasl: false)
    defer { proxy.stop() }
    for client in [nil, "other-client"] {
      var tls = try trustingTestCA()
      if let client {
        tls.certificateFile = try SecureProxy.certificate("\(client).pem")
        tls.keyFile = try SecureProxy.certificate("\(client).key")
      }
      expectError(configuration(proxy, topics: ["t"], tls: tls), code: .connection) {
        $0.hasPrefix("TLS handshake with \(proxy.brokers) failed: ")
          || $0.hasPrefix("TLS connection to \(proxy.brokers) failed: ")
      }
    }
  }

  @Test func consumesWithSaslPlain() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true)
    defer { proxy.stop() }
    try roundTrip(proxy, mode: .plaintext, mechanism: .plain, tls: nil)
  }

  @Test func consumesWithScramSHA256() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true)
    defer { proxy.stop() }
    try roundTrip(proxy, mode: .plaintext, mechanism: .scramSHA256, tls: nil)
  }

  /// A consumer group too: the coordinator connection goes through TLS and SCRAM as well.
  @Test func consumesWithScramSHA512OverTLSInAGroup() throws {
    let proxy = try SecureProxy.start(.tls, sasl: true)
    defer { proxy.stop() }
    try roundTrip(
      proxy, mode: .tls, mechanism: .scramSHA512, tls: try trustingTestCA(), group: KafkaTestBroker.uniqueName("g"))
  }

  @Test(arguments: KafkaSASL.Mechanism.allCases)
  func aWrongPasswordIsAnAuthenticationError(mechanism: KafkaSASL.Mechanism) throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true)
    defer { proxy.stop() }
    let wrong = configuration(proxy, topics: ["t"], sasl: sasl(mechanism, password: "not-the-password"))
    expectError(wrong, code: .authentication) {
      $0 == "SASL authentication as 'alice' with \(mechanism.rawValue) failed on \(proxy.brokers): "
        + "Authentication failed during authentication due to invalid credentials with SASL mechanism \(mechanism.rawValue)"
    }
    // An independent client is refused the same way (the proxy's check is real).
    let settings = try SecureProxy.clientSettings(.plaintext, mechanism: mechanism.rawValue, password: "nope")
    #expect(try SecureProxy.librdkafkaError(proxy, settings: settings).contains("Authentication failed"))
  }

  /// With several bootstrap brokers, one refusing the credentials is the error, not a merged
  /// "cannot connect to any broker".
  @Test func aRefusalAmongSeveralBootstrapBrokersIsTheError() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true)
    defer { proxy.stop() }
    var wrong = configuration(proxy, topics: ["t"], sasl: sasl(.scramSHA256, password: "not-the-password"))
    wrong.brokers = "127.0.0.1:9," + proxy.brokers
    expectError(wrong, code: .authentication) {
      $0.hasPrefix("SASL authentication as 'alice' with SCRAM-SHA-256 failed on \(proxy.brokers): ")
    }
  }

  @Test func theErrorNeverShowsThePassword() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true, extra: ["--sasl-mechanisms", "PLAIN"])
    defer { proxy.stop() }
    for mechanism in KafkaSASL.Mechanism.allCases {
      #expect {
        _ = try KafkaConsumer(
          configuration: configuration(proxy, topics: ["t"], sasl: sasl(mechanism, password: "Sekr1t!")))
      } throws: { error in
        !"\(error)".contains("Sekr1t!") && !String(reflecting: error).contains("Sekr1t!")
      }
    }
  }

  @Test func aMechanismTheBrokerDoesNotOfferListsTheOffered() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true, extra: ["--sasl-mechanisms", "PLAIN,SCRAM-SHA-512"])
    defer { proxy.stop() }
    expectError(configuration(proxy, topics: ["t"], sasl: sasl(.scramSHA256)), code: .authentication) {
      $0 == "SASL authentication as 'alice' with SCRAM-SHA-256 failed on \(proxy.brokers): "
        + "the broker does not offer SCRAM-SHA-256; it offers PLAIN, SCRAM-SHA-512"
    }
  }

  /// A server that cannot prove it knows the credentials is not trusted, even when it lets the
  /// client in.
  @Test func aWrongServerSignatureIsAnAuthenticationError() throws {
    let proxy = try SecureProxy.start(.plaintext, sasl: true, extra: ["--tamper-server-signature"])
    defer { proxy.stop() }
    expectError(configuration(proxy, topics: ["t"], sasl: sasl(.scramSHA256)), code: .authentication) {
      $0.hasPrefix(
        "SASL authentication as 'alice' with SCRAM-SHA-256 failed on \(proxy.brokers): the server's signature does not match"
      )
    }
  }

  @Test func anUntrustedCAIsAClearTLSError() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false)
    defer { proxy.stop() }
    let tls = KafkaTLS(caFile: try SecureProxy.certificate("other-ca.pem"))
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .connection) {
      $0.hasPrefix("TLS handshake with \(proxy.brokers) failed: certificate verify failed")
    }
    // The system's roots do not know the test CA either.
    expectError(configuration(proxy, topics: ["t"], tls: KafkaTLS()), code: .connection) {
      $0.hasPrefix("TLS handshake with \(proxy.brokers) failed: certificate verify failed")
    }
  }

  @Test func insecureSkipVerifyAcceptsAnyCertificate() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false)
    defer { proxy.stop() }
    try roundTrip(proxy, mode: .tls, mechanism: nil, tls: KafkaTLS(insecureSkipVerify: true))
  }

  /// NIOSSL accepts a certificate whose subjectAltName has the IP address connected to, so
  /// this broker's certificate names only broker.avocet.test.
  @Test func aCertificateForAnotherNameIsRejectedUnlessTheServerNameSaysSo() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false, server: "named-server")
    defer { proxy.stop() }
    var tls = try trustingTestCA()
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .connection) {
      $0.hasPrefix("TLS handshake with \(proxy.brokers) failed: the broker's certificate does not name")
    }
    tls.serverName = "other.avocet.test"
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .connection) {
      $0.hasPrefix("TLS handshake with \(proxy.brokers) failed: the broker's certificate does not name")
    }
    tls.serverName = "broker.avocet.test"
    try KafkaConsumer(configuration: configuration(proxy, topics: [], tls: tls)).close()
    tls.serverName = nil
    tls.verifyHostname = false
    try KafkaConsumer(configuration: configuration(proxy, topics: [], tls: tls)).close()
  }

  /// noida-db itself is plaintext: a TLS client's hello gets no answer, so the handshake
  /// must give up at the connect timeout rather than hang.
  @Test func aTLSClientAtAPlaintextListenerFailsWithinTheTimeout() throws {
    let brokers = try KafkaTestBroker.brokers.get()
    var settings = KafkaConsumerConfiguration(brokers: brokers, topics: ["t"])
    settings.connectTimeout = .seconds(2)
    settings.requestTimeout = .seconds(3)
    settings.tls = try trustingTestCA()
    let clock = ContinuousClock()
    let start = clock.now
    #expect {
      _ = try KafkaConsumer(configuration: settings)
    } throws: { error in
      let message = (error as? KafkaError)?.message ?? ""
      return message.hasPrefix("TLS handshake with \(brokers) ") && message.contains("plaintext")
    }
    #expect(clock.now - start < .seconds(4))
  }

  /// A listener that accepts and never answers: the TLS handshake gives up at the connect
  /// timeout.
  @Test func aTLSHandshakeWithASilentListenerTimesOut() throws {
    let script = """
      import socket, time
      s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
      print(s.getsockname()[1], flush=True)
      conns = []
      deadline = time.time() + 20
      s.settimeout(0.5)
      while time.time() < deadline:
          try:
              conns.append(s.accept()[0])
          except socket.timeout:
              pass
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: KafkaTestBroker.python)
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    defer { process.terminate() }
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    var settings = KafkaConsumerConfiguration(brokers: "127.0.0.1:\(port)", topics: ["t"])
    settings.connectTimeout = .milliseconds(500)
    settings.tls = try trustingTestCA()
    let clock = ContinuousClock()
    let start = clock.now
    #expect {
      _ = try KafkaConsumer(configuration: settings)
    } throws: { error in
      "\(error)" == "TLS handshake with 127.0.0.1:\(port) timed out after 0.5 s (is its listener plaintext?)"
        && (error as? KafkaError)?.code == .timeout
    }
    #expect(clock.now - start < .seconds(3))
  }

  @Test func aPlaintextClientAtATLSListenerIsAClearError() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false)
    defer { proxy.stop() }
    var settings = configuration(proxy, topics: ["t"])
    settings.requestTimeout = .seconds(3)
    let clock = ContinuousClock()
    let start = clock.now
    expectError(settings, code: .connection) { $0.contains("TLS") }
    #expect(clock.now - start < .seconds(4))
  }

  @Test func unreadableCertificateFilesAreClearErrors() throws {
    let proxy = try SecureProxy.start(.tls, sasl: false)
    defer { proxy.stop() }
    expectError(
      configuration(proxy, topics: ["t"], tls: KafkaTLS(caFile: "/nonexistent/ca.pem")), code: .invalidArgument
    ) {
      $0 == "cannot read the TLS CA file '/nonexistent/ca.pem': no such file or directory"
    }
    var tls = try trustingTestCA()
    tls.certificateFile = try SecureProxy.certificate("client.pem")
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .invalidArgument) {
      $0 == "a TLS client certificate needs its private key (key file not set)"
    }
    tls.keyFile = try SecureProxy.certificate("ca.pem")
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .invalidArgument) {
      $0.hasPrefix("cannot read the TLS client key")
    }
    tls.keyFile = try SecureProxy.certificate("other-client.key")
    expectError(configuration(proxy, topics: ["t"], tls: tls), code: .invalidArgument) {
      $0.hasPrefix("cannot use the TLS client certificate")
    }
  }
}
