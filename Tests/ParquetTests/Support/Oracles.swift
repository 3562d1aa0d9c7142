import Foundation

/// The Python test oracles (pyarrow, DuckDB, deltalake) in the repository's virtualenv, set up
/// once per test run by `scripts/setup-oracles.sh`.
enum Oracles {
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static var venv: URL {
    if let custom = ProcessInfo.processInfo.environment["AVOCET_ORACLE_VENV"] { return URL(fileURLWithPath: custom) }
    return repositoryRoot.appendingPathComponent(".venv-oracles")
  }

  static var python: String { venv.appendingPathComponent("bin/python").path }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs the setup script once (it is idempotent and fast when the venv is current).
  static let ready: Result<Void, Failure> = {
    let result = run(["bash", repositoryRoot.appendingPathComponent("scripts/setup-oracles.sh").path])
    guard result.status == 0 else { return .failure(Failure(description: "oracle setup failed: \(result.stderr)")) }
    return .success(())
  }()

  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs a command and collects its output.
  static func run(_ arguments: [String], environment: [String: String] = [:]) -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    // Output goes to files: no pipe can fill up and block the child.
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("avocet-oracle-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("avocet-oracle-\(UUID().uuidString).err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    do {
      process.standardOutput = try FileHandle(forWritingTo: outURL)
      process.standardError = try FileHandle(forWritingTo: errURL)
      try process.run()
    } catch {
      return Output(status: -1, stdout: "", stderr: "\(error)")
    }
    process.waitUntilExit()
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
  }

  /// Runs a script of `Tests/Oracles` with the oracle Python.
  static func python(_ script: String, _ arguments: [String]) throws -> Output {
    try ready.get()
    return run([python, repositoryRoot.appendingPathComponent("Tests/Oracles/\(script)").path] + arguments)
  }

  /// Parses JSON lines.
  static func rows(_ text: String) throws -> [JSONValue] {
    try text.split(separator: "\n", omittingEmptySubsequences: true).map { try JSONValue.parse(String($0)) }
  }

  /// A fresh temporary directory.
  static func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
