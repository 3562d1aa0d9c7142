import Foundation
import Synchronization

/// The broker the integration tests talk to: `AVOCET_TEST_KAFKA_BROKERS` when set (see
/// `scripts/start-kafka-broker.sh`), else a noida-db this test process starts once from
/// `.venv-oracles` and SIGKILLs when it exits.
enum KafkaTestBroker {
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static var venv: URL {
    if let custom = ProcessInfo.processInfo.environment["AVOCET_ORACLE_VENV"] { return URL(fileURLWithPath: custom) }
    return repositoryRoot.appendingPathComponent(".venv-oracles")
  }

  static var python: String { venv.appendingPathComponent("bin/python").path }

  /// True when a broker is configured, or the venv has noida-db and confluent-kafka.
  static let isAvailable: Bool = {
    if ProcessInfo.processInfo.environment["AVOCET_TEST_KAFKA_BROKERS"] != nil { return true }
    let packages = (try? FileManager.default.contentsOfDirectory(atPath: venv.appendingPathComponent("lib").path)) ?? []
    return packages.contains { version in
      let site = venv.appendingPathComponent("lib/\(version)/site-packages")
      return FileManager.default.fileExists(atPath: site.appendingPathComponent("noida_db").path)
        && FileManager.default.fileExists(atPath: site.appendingPathComponent("confluent_kafka").path)
    }
  }()

  struct Failure: Error, CustomStringConvertible { var description: String }

  private static let startedPID = Mutex<Int32>(0)

  /// `host:port` of the broker, starting one if needed.
  static let brokers: Result<String, Failure> = {
    if let configured = ProcessInfo.processInfo.environment["AVOCET_TEST_KAFKA_BROKERS"] { return .success(configured) }
    let script = repositoryRoot.appendingPathComponent("scripts/start-kafka-broker.sh").path
    let output = run(["bash", script])
    guard output.status == 0 else { return .failure(Failure(description: "cannot start noida-db: \(output.stderr)")) }
    // "export AVOCET_TEST_KAFKA_BROKERS=127.0.0.1:PORT AVOCET_KAFKA_BROKER_PID=PID"
    var address: String?
    for word in output.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
      if word.hasPrefix("AVOCET_TEST_KAFKA_BROKERS=") {
        address = String(word.dropFirst("AVOCET_TEST_KAFKA_BROKERS=".count))
      }
      if word.hasPrefix("AVOCET_KAFKA_BROKER_PID="), let pid = Int32(word.dropFirst("AVOCET_KAFKA_BROKER_PID=".count)) {
        startedPID.withLock { $0 = pid }
        atexit {
          let pid = KafkaTestBroker.startedPID.withLock { $0 }
          if pid > 0 { kill(pid, SIGKILL) }
        }
      }
    }
    guard let address else { return .failure(Failure(description: "unexpected output: \(output.stdout)")) }
    return .success(address)
  }()

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs a command (posix_spawn and waitpid: Foundation's `Process` sometimes missed the
  /// exit of a script that leaves a daemon behind) with output in temporary files.
  static func run(_ arguments: [String]) -> Output {
    let directory = FileManager.default.temporaryDirectory
    let outPath = directory.appendingPathComponent("avocet-kafka-\(UUID().uuidString).out").path
    let errPath = directory.appendingPathComponent("avocet-kafka-\(UUID().uuidString).err").path
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
    guard spawned == 0 else { return Output(status: -1, stdout: "", stderr: "posix_spawn failed: \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    let exitStatus: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Output(status: exitStatus, stdout: stdout, stderr: stderr)
  }

  /// Runs a Python snippet with the oracle interpreter; throws with its stderr on failure.
  @discardableResult
  static func python(_ source: String, _ arguments: [String] = []) throws -> String {
    let output = run([python, "-c", source] + arguments)
    guard output.status == 0 else {
      throw Failure(description: "python failed (\(output.status)): \(output.stderr.suffix(2000))")
    }
    return output.stdout
  }

  /// A topic or group name no other test (or earlier run against the same broker) uses.
  static func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
  }
}
