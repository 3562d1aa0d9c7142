import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The seed workflow on S3, as a user runs it against the emulator `scripts/test.sh` starts:
/// generate flow logs into `s3://…/deltalake/source=query_blog_lakehouse`, query them with
/// `avocet sql`, inspect them, maintain them; four writer processes committing at once.
@Suite(.serialized) struct S3CLITests {
  static let endpoint = ProcessInfo.processInfo.environment["AVOCET_TEST_S3_ENDPOINT"]
  static var available: Bool { endpoint != nil }

  static var environment: [String: String] {
    [
      "AWS_ENDPOINT_URL": endpoint ?? "", "AWS_ALLOW_HTTP": "true", "AWS_ACCESS_KEY_ID": "testing",
      "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
    ]
  }

  static func avocet(_ arguments: String...) throws -> CLITests.Result {
    try CLITests.avocet(arguments, environment: environment)
  }

  /// A new bucket, created through the emulator's REST API.
  static func bucket() throws -> String {
    let name = "avocet-cli-\(UUID().uuidString.lowercased().prefix(12))"
    let script = "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method='PUT'))"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = ["-c", script, "\(endpoint ?? "")/\(name)"]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "creating bucket \(name) failed")
    return name
  }

  @Test(.enabled(if: available)) func seedWorkflowOnS3() throws {
    let table = "s3://\(try Self.bucket())/deltalake/source=query_blog_lakehouse"
    let generated = try Self.avocet("generate", "netflow", "--rows", "20000", "--table", table, "--days", "3")
    #expect(generated.status == 0, "\(generated.stderr)")
    let query = try Self.avocet(
      "sql", "SELECT day, count(*) AS n FROM delta_scan('\(table)') GROUP BY day ORDER BY day", "--format", "csv")
    #expect(query.status == 0, "\(query.stderr)")
    let lines = query.stdout.split(separator: "\n")
    #expect(lines.first == "day,n" && lines.count == 4, "\(query.stdout)")
    #expect(lines.dropFirst().compactMap { Int($0.split(separator: ",")[1]) }.reduce(0, +) == 20000)
    let blocked = try Self.avocet(
      "sql", "SELECT count(*) FROM delta.`\(table)` WHERE action = 'block' AND day = 2", "--format", "csv")
    #expect(blocked.status == 0, "\(blocked.stderr)")
    let local = WriteCLITests.folder("s3-compare") + "/flows"
    #expect(try CLITests.avocet(["generate", "netflow", "--rows", "20000", "--table", local, "--days", "3"]).status == 0)
    let same = try CLITests.avocet(
      ["sql", "SELECT count(*) FROM delta.`\(local)` WHERE action = 'block' AND day = 2", "--format", "csv"])
    #expect(blocked.stdout == same.stdout, "S3 and local disk disagree")

    // The same through command options instead of variables.
    var bare = Self.environment
    bare["AWS_ENDPOINT_URL"] = nil
    bare["AWS_ALLOW_HTTP"] = nil
    let viaOptions = try CLITests.avocet(
      ["sql", "--s3-endpoint", Self.endpoint ?? "", "--allow-http", "SELECT count(*) FROM delta.`\(table)` WHERE action = 'block' AND day = 2", "--format", "csv"],
      environment: bare)
    #expect(viaOptions.stdout == blocked.stdout, "\(viaOptions.stderr)")

    // Parquet files on S3: globbed in SQL, read by cat and parquet meta.
    let parquet = try Self.avocet(
      "sql", "SELECT count(*) FROM read_parquet('\(table)/year=2024/month=1/*/*.parquet')", "--format", "csv")
    #expect(parquet.stdout == "count_star()\n20000\n", "\(parquet.stdout) \(parquet.stderr)")
    let files = try Self.avocet("files", table)
    let firstFile = try #require(files.stdout.split(separator: " ").first.map(String.init))
    let cat = try Self.avocet("cat", table + "/" + firstFile, "--limit", "2")
    #expect(cat.status == 0 && cat.stdout.split(separator: "\n").count == 2, "\(cat.stderr)")
    let meta = try Self.avocet("parquet", "meta", table + "/" + firstFile)
    #expect(meta.status == 0 && meta.stdout.contains("SNAPPY"), "\(meta.stdout) \(meta.stderr)")

    let describe = try Self.avocet("describe", table, "--json")
    #expect(describe.status == 0, "\(describe.stderr)")
    #expect(!describe.stdout.contains("testing"), "secrets in describe output")
    #expect(try Self.avocet("history", table).stdout.contains("CREATE TABLE"))
    let optimize = try Self.avocet("optimize", table, "--zorder-by", "client_ip")
    #expect(optimize.status == 0, "\(optimize.stderr)")
    let after = try Self.avocet(
      "sql", "SELECT count(*) FROM delta.`\(table)` WHERE action = 'block' AND day = 2", "--format", "csv")
    #expect(after.stdout == blocked.stdout)
    // VACUUM on S3 deletes exactly the files the z-order replaced.
    let replaced = try Self.avocet("files", table, "--version", "0").stdout.split(separator: "\n").count
    let vacuum = try Self.avocet("vacuum", table, "--retain-hours", "0", "--force")
    #expect(vacuum.status == 0, "\(vacuum.stderr)")
    #expect(vacuum.stdout.split(separator: "\n").count == replaced, "\(vacuum.stdout)")
    let vacuumed = try Self.avocet(
      "sql", "SELECT count(*) FROM delta.`\(table)` WHERE action = 'block' AND day = 2", "--format", "csv")
    #expect(vacuumed.stdout == blocked.stdout, "\(vacuumed.stderr)")
  }

  @Test(.enabled(if: available)) func fourWriterProcessesOnS3LoseNoCommit() throws {
    let table = "s3://\(try Self.bucket())/concurrent"
    let folder = WriteCLITests.folder("s3-writers")
    var processes: [Process] = []
    for writer in 0..<4 {
      let input = folder + "/rows-\(writer).jsonl"
      let rows = (0..<50).map { "{\"writer\": \(writer), \"n\": \($0)}" }.joined(separator: "\n") + "\n"
      try rows.write(toFile: input, atomically: false, encoding: .utf8)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      let binary = CLITests.binary
      // Five commits per writer, one after another.
      process.arguments = [
        "-c", "for i in 1 2 3 4 5; do '\(binary)' write '\(table)' --input '\(input)' --format jsonl || exit 1; done",
      ]
      process.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { _, new in new }
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      processes.append(process)
    }
    for process in processes { process.waitUntilExit() }
    #expect(processes.allSatisfy { $0.terminationStatus == 0 })
    let count = try Self.avocet("sql", "SELECT count(*) FROM delta_scan('\(table)')", "--format", "csv")
    #expect(count.stdout == "count_star()\n1000\n", "\(count.stdout) \(count.stderr)")
    let history = try Self.avocet("history", table, "--json")
    #expect(history.stdout.split(separator: "\n").count == 20)
  }

  @Test(.enabled(if: available)) func clearErrorsForBadS3Setups() throws {
    var environment = Self.environment
    environment["AWS_ALLOW_HTTP"] = "false"
    let plain = try CLITests.avocet(["describe", "s3://nobucket/t"], environment: environment)
    #expect(plain.status == 1 && plain.stderr.contains("AWS_ALLOW_HTTP"), "\(plain.stderr)")
    let missing = try Self.avocet("describe", "s3://\(try Self.bucket())/nothing-here")
    #expect(missing.status == 1 && missing.stderr.contains("not a Delta table"), "\(missing.stderr)")
    environment = Self.environment
    environment["AWS_SECRET_ACCESS_KEY"] = "sup3r-s3cret-value"
    let leaked = try CLITests.avocet(["describe", "s3://nobucket-\(UUID().uuidString.lowercased().prefix(8))/t"], environment: environment)
    #expect(!leaked.stderr.contains("sup3r-s3cret-value") && !leaked.stdout.contains("sup3r-s3cret-value"))
  }

  /// The fault proxy (`scripts/fault-proxy.py`) in front of the emulator; returns the process,
  /// its endpoint and the file its fault log goes to.
  static func faultProxy(rate: Double, seed: Int) throws -> (Process, String, String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("avocet-faults-\(UUID().uuidString).log").path
    let (process, port) = try server("fault-proxy.py", [endpoint ?? "", String(rate), String(seed), "2"], errorLog: log)
    return (process, "http://127.0.0.1:\(port)", log)
  }

  @Test(.enabled(if: available)) func faultsFailCleanlyAndNeverCorruptTheTable() throws {
    let table = "s3://\(try Self.bucket())/faulty"
    let (proxy, proxied, log) = try Self.faultProxy(rate: 0.15, seed: 5)
    defer { Self.stop(proxy) }
    var environment = Self.environment
    environment["AWS_ENDPOINT_URL"] = proxied
    environment["AVOCET_S3_REQUEST_TIMEOUT"] = "1"
    func run(_ arguments: [String]) throws -> CLITests.Result {
      let result = try CLITests.avocet(arguments, environment: environment)
      // Success, or one clear line on standard error; never a crash or a hang.
      #expect(result.status == 0 || result.status == 1, "status \(result.status): \(result.stderr)")
      if result.status == 1 {
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains("s3://"), "\(result.stderr)")
      }
      return result
    }
    var succeeded = 0
    for seed in 1...6 {
      let result = try run(["generate", "netflow", "--rows", "2000", "--table", table, "--seed", "\(seed)"])
      if result.status == 0 { succeeded += 1 }
      _ = try run(["sql", "SELECT count(*) FROM delta_scan('\(table)')", "--format", "csv"])
    }
    _ = try run(["optimize", table])
    let faults = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count
    #expect(faults >= 5, "the proxy injected only \(faults) faults")
    #expect(succeeded >= 1)

    // Straight to the emulator: every committed write is there whole, and delta-rs agrees.
    let history = try Self.avocet("history", table, "--json")
    let written = try history.stdout.split(separator: "\n").map { try DeltaCLITests.object($0) }
      .filter { (($0["commitInfo"] as? [String: Any])?["operation"] as? String ?? "").hasPrefix("CREATE") || (($0["commitInfo"] as? [String: Any])?["operation"] as? String) == "WRITE" }
      .count
    #expect(written >= succeeded)
    let count = try Self.avocet("sql", "SELECT count(*) FROM delta_scan('\(table)')", "--format", "csv")
    #expect(count.stdout == "count_star()\n\(written * 2000)\n", "\(count.stdout) \(count.stderr)")
    let script = """
      import sys, os, deltalake
      opts = {"AWS_ENDPOINT_URL": sys.argv[1], "AWS_ALLOW_HTTP": "true", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}
      print(deltalake.DeltaTable(sys.argv[2], storage_options=opts).to_pyarrow_table().num_rows, flush=True)
      os._exit(0)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = ["-c", script, Self.endpoint ?? "", table]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == String(written * 2000), "delta-rs read \(text)")
  }

  /// Kills a helper server outright (a signal it cannot ignore) and reaps it.
  static func stop(_ process: Process) {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// Starts a helper script that prints "listening PORT"; returns the process and the port.
  /// Its standard error goes to `errorLog` when given.
  static func server(_ script: String, _ arguments: [String], errorLog: String? = nil) throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: WriteCLITests.python)
    process.arguments = [CLITests.repository.appendingPathComponent("scripts/\(script)").path] + arguments
    let out = Pipe()
    process.standardOutput = out
    if let errorLog {
      _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
      process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
    } else {
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    let port = try #require(text.split(separator: " ").last.flatMap { Int($0) }, "\(script) said: \(text)")
    return (process, port)
  }

  @Test(.enabled(if: available)) func credentialsFromContainerAndInstanceMetadataEndpoints() throws {
    let table = "s3://\(try Self.bucket())/credentials"
    let (stub, port) = try Self.server("credentials-stub.py", ["AKIASTUBEXAMPLE", "stub-secret-value", "stub-session-token"])
    defer { Self.stop(stub) }
    var base = Self.environment
    base["AWS_ACCESS_KEY_ID"] = nil
    base["AWS_SECRET_ACCESS_KEY"] = nil
    base["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials"
    base["AWS_CONFIG_FILE"] = "/nonexistent/config"

    // ECS: the full URI with its authorization token.
    var ecs = base
    ecs["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:\(port)/ecs/credentials"
    ecs["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ecs-token"
    let written = try CLITests.avocet(["generate", "netflow", "--rows", "100", "--table", table], environment: ecs)
    #expect(written.status == 0, "\(written.stderr)")
    #expect(!written.stderr.contains("stub-secret-value") && !written.stdout.contains("stub-secret-value"))

    // IMDSv2: token, role, credentials.
    var imds = base
    imds["AWS_EC2_METADATA_DISABLED"] = "false"
    imds["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:\(port)"
    let read = try CLITests.avocet(["sql", "SELECT count(*) FROM delta_scan('\(table)')", "--format", "csv"], environment: imds)
    #expect(read.stdout == "count_star()\n100\n", "\(read.stderr)")

    // Nothing configured: one line naming what was tried.
    var none = base
    none["AWS_EC2_METADATA_DISABLED"] = "true"
    let refused = try CLITests.avocet(["describe", table], environment: none)
    #expect(refused.status == 1 && refused.stderr.contains("no AWS credentials"), "\(refused.stderr)")
  }
}
