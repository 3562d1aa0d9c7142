import ArgumentParser
import Delta
import Foundation
import Ingest
import Kafka

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `avocet ingest file|stdin`: security logs into Delta tables, exactly once.
struct IngestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Ingest security logs (osquery, Zeek, S3 access, VPC flow, CloudTrail, JSON lines, CSV) into Delta tables.",
    subcommands: [FileSource.self, StdinSource.self, KafkaSource.self])

  struct FileSource: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "file",
      abstract: "Ingest files (plain or .gz), folders or globs; with --follow, tail them through rotation.")

    @OptionGroup var common: IngestArguments

    @Argument(help: "Files, folders or globs (quote globs so that avocet expands them and sees new files), or s3://bucket/prefix/.")
    var paths: [String]

    @Flag(help: "Keep reading: new lines, new files, rotated and truncated files, until SIGTERM or SIGINT.")
    var follow = false

    @Option(name: .customLong("poll-interval"), help: "Seconds between looks for new data with --follow.")
    var pollInterval: Double = 0.25

    func run() throws {
      let pipeline = try common.pipeline(sourceKind: "file")
      let format = try common.logFormat()
      var progress = IngestProgress()
      let remote = paths.filter { $0.hasPrefix("s3://") }
      if !remote.isEmpty {
        guard remote.count == paths.count else { throw ValidationError("give either s3:// prefixes or local paths, not both") }
        try ingestObjects(remote, pipeline: pipeline, format: format, progress: &progress)
        return
      }
      let ingestor = FileIngestor(patterns: paths, pipeline: pipeline, makeDecoder: { format.makeDecoder(timeField: common.timeField) })
      do {
        if follow {
          StopSignal.install()
          try ingestor.follow(pollInterval: pollInterval, shouldStop: { StopSignal.isRaised }, progress: { progress.report($0) })
        } else {
          try ingestor.ingestOnce(progress: { progress.report($0) })
        }
      } catch let error as IngestError {
        throw ValidationError(error.message)
      }
      progress.finish(pipeline.statistics)
    }

    /// `s3://bucket/prefix/`: the objects after the last one ingested, in key order.
    func ingestObjects(_ urls: [String], pipeline: IngestPipeline, format: LogFormat, progress: inout IngestProgress) throws {
      if follow { StopSignal.install() }
      do {
        for url in urls {
          let ingestor = try S3ObjectIngestor(url: url, pipeline: pipeline, makeDecoder: { format.makeDecoder(timeField: common.timeField) })
          if follow {
            try ingestor.follow(pollInterval: max(pollInterval, 1), shouldStop: { StopSignal.isRaised }, progress: { progress.report($0) })
          } else {
            try ingestor.ingestOnce(progress: { progress.report($0) })
          }
        }
      } catch let error as IngestError {
        throw ValidationError(error.message)
      }
      progress.finish(pipeline.statistics)
    }
  }

  struct StdinSource: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stdin", abstract: "Ingest standard input until it ends (or SIGTERM), flushing as it goes.")

    @OptionGroup var common: IngestArguments

    func run() throws {
      let pipeline = try common.pipeline(sourceKind: "stdin")
      let format = try common.logFormat()
      StopSignal.install()
      var progress = IngestProgress()
      let ingestor = StreamIngestor(pipeline: pipeline, decoder: format.makeDecoder(timeField: common.timeField))
      try ingestor.run(shouldStop: { StopSignal.isRaised }, progress: { progress.report($0) })
      progress.finish(pipeline.statistics)
    }
  }
}

extension IngestCommand {
  /// `avocet ingest kafka`: a consumer-group member that commits offsets with the data.
  struct KafkaSource: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "kafka",
      abstract: "Consume Kafka topics into Delta tables as a consumer group, exactly once (offsets in the table).")

    @OptionGroup var common: IngestArguments

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT…].")
    var brokers: String

    @Option(help: "Topics to consume, comma-separated.")
    var topic: String

    @Option(help: "Consumer group id (also the prefix of the positions stored in the table).")
    var group: String

    @Option(help: "Where a partition without a position starts: earliest or latest.")
    var from = "earliest"

    @Flag(
      name: .customLong("static-assignment"),
      help: "Read every partition without joining the group (a single consumer); positions stay per group in the table.")
    var staticAssignment = false

    @Flag(name: .customLong("until-caught-up"), help: "Stop once every assigned partition reaches the high watermark seen when it was assigned.")
    var untilCaughtUp = false

    @Flag(help: "Connect to the brokers with TLS (the other --tls-… options imply it).")
    var tls = false

    @Option(name: .customLong("tls-ca-file"), help: ArgumentHelp("PEM file of the CA certificates to trust for the brokers' certificates (default: the system's).", valueName: "path"))
    var tlsCAFile: String?

    @Option(name: .customLong("tls-cert-file"), help: ArgumentHelp("PEM client certificate for brokers that require mutual TLS; needs --tls-key-file.", valueName: "path"))
    var tlsCertFile: String?

    @Option(name: .customLong("tls-key-file"), help: ArgumentHelp("PEM private key (unencrypted) of --tls-cert-file.", valueName: "path"))
    var tlsKeyFile: String?

    @Flag(
      name: .customLong("tls-insecure"),
      help: "INSECURE: skip verifying the brokers' certificates and names. Still encrypted, but anyone in the path can pose as the broker and read the SASL credentials. For tests only.")
    var tlsInsecure = false

    @Option(
      name: .customLong("sasl-mechanism"),
      help: ArgumentHelp(
        "Authenticate with SASL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (PLAIN sends the password itself: use it with --tls). Needs --sasl-username and a password.",
        valueName: "mechanism"))
    var saslMechanism: String?

    @Option(name: .customLong("sasl-username"), help: ArgumentHelp("The SASL user name.", valueName: "name"))
    var saslUsername: String?

    @Option(
      name: .customLong("sasl-password-file"),
      help: ArgumentHelp(
        "A file whose first line is the SASL password; without it, the password comes from the environment variable \(Self.passwordVariable). (There is no password option: it would show in ps.)",
        valueName: "path"))
    var saslPasswordFile: String?

    static let passwordVariable = "AVOCET_KAFKA_SASL_PASSWORD"

    /// TLS settings from the options; nil without any.
    func tlsSettings() throws -> KafkaTLS? {
      guard tls || tlsInsecure || tlsCAFile != nil || tlsCertFile != nil || tlsKeyFile != nil else { return nil }
      if tlsCertFile != nil && tlsKeyFile == nil { throw ValidationError("--tls-cert-file needs --tls-key-file (its private key)") }
      if tlsKeyFile != nil && tlsCertFile == nil { throw ValidationError("--tls-key-file needs --tls-cert-file (its certificate)") }
      let settings = KafkaTLS(caFile: tlsCAFile, certificateFile: tlsCertFile, keyFile: tlsKeyFile, insecureSkipVerify: tlsInsecure)
      do {
        try settings.validate()
      } catch {
        throw ValidationError(error.message)
      }
      return settings
    }

    /// SASL settings from the options and the password's file or environment variable; nil
    /// without a mechanism. The password itself never appears in an error.
    func saslSettings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> KafkaSASL? {
      guard let saslMechanism else {
        if saslUsername != nil || saslPasswordFile != nil {
          throw ValidationError("--sasl-username and --sasl-password-file need --sasl-mechanism (\(KafkaSASL.Mechanism.names))")
        }
        return nil
      }
      guard let mechanism = KafkaSASL.Mechanism(name: saslMechanism) else {
        throw ValidationError("unknown --sasl-mechanism '\(saslMechanism)'; use one of \(KafkaSASL.Mechanism.names)")
      }
      guard let username = saslUsername, !username.isEmpty else {
        throw ValidationError("--sasl-mechanism \(mechanism.rawValue) needs --sasl-username")
      }
      let password: String
      if let saslPasswordFile {
        guard let data = FileManager.default.contents(atPath: saslPasswordFile) else {
          throw ValidationError("cannot read --sasl-password-file '\(saslPasswordFile)'")
        }
        password = String(decoding: data, as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
          .first.map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) } ?? ""
        guard !password.isEmpty else { throw ValidationError("--sasl-password-file '\(saslPasswordFile)' holds no password on its first line") }
      } else {
        guard let value = environment[Self.passwordVariable], !value.isEmpty else {
          throw ValidationError(
            "--sasl-mechanism \(mechanism.rawValue) needs a password: set \(Self.passwordVariable) or give --sasl-password-file")
        }
        password = value
      }
      return KafkaSASL(mechanism: mechanism, username: username, password: password)
    }

    func run() throws {
      guard from == "earliest" || from == "latest" else { throw ValidationError("--from must be earliest or latest, not '\(from)'") }
      let topics = topic.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      guard !topics.isEmpty else { throw ValidationError("give at least one --topic") }
      // Security settings first: a mistake there must stop the command before it touches a table.
      let tlsConfiguration = try tlsSettings()
      let saslConfiguration = try saslSettings()
      let pipeline = try common.pipeline(sourceKind: "kafka")
      let format = try common.logFormat()
      var configuration = KafkaConsumerConfiguration(brokers: brokers, groupID: group, topics: topics)
      configuration.fromBeginning = from == "earliest"
      configuration.tls = tlsConfiguration
      configuration.sasl = saslConfiguration
      StopSignal.install()
      var progress = IngestProgress()
      let ingestor: KafkaIngestor
      do {
        ingestor = try KafkaIngestor(
          configuration: configuration, staticAssignment: staticAssignment, pipeline: pipeline, makeDecoder: { format.makeDecoder(timeField: common.timeField) })
      } catch let error as KafkaError {
        throw ValidationError(error.message)
      }
      ingestor.onEvent = { line in FileHandle.standardError.write(Data(("avocet ingest kafka: " + line + "\n").utf8)) }
      try ingestor.run(untilCaughtUp: untilCaughtUp, shouldStop: { StopSignal.isRaised }, progress: { progress.report($0) })
      progress.finish(pipeline.statistics)
    }
  }
}

/// Options every ingest source takes.
struct IngestArguments: ParsableArguments {
  @Option(help: "Input format: \(LogFormat.names).")
  var format: String

  @Option(help: "The Delta table; for osquery, the folder that gets one table per query name.")
  var table: String

  @Option(name: .customLong("partition-by"), help: "Event-time partitions of new tables: year/month/day, date or none.")
  var partitionBy = "year/month/day"

  @Option(name: .customLong("max-latency"), help: "Flush after this long (10s, 500ms, 2m).")
  var maxLatency = "10s"

  @Option(name: .customLong("max-rows"), help: "Flush after this many records.")
  var maxRows = 100_000

  @Option(name: .customLong("max-bytes"), help: "Flush after this much input (64MB, bytes).")
  var maxBytes = "32MB"

  @Option(name: .customLong("target-file-size"), help: "Data file size goal (128MB).")
  var targetFileSize = "128MB"

  @Option(name: .customLong("compact-every"), help: "Compact small files after this many commits to a table (0: never).")
  var compactEvery = 20

  @Option(name: .customLong("dead-letters"), help: "The dead-letter table (default: TABLE_dead_letters).")
  var deadLetters: String?

  @Option(name: .customLong("time-field"), help: "jsonl/csv: the field that holds each record's event time.")
  var timeField: String?

  @OptionGroup var s3: S3Options

  func logFormat() throws -> LogFormat {
    guard let format = LogFormat(rawValue: format.lowercased()) else {
      throw ValidationError("unknown --format '\(format)'; use one of \(LogFormat.names)")
    }
    return format
  }

  func pipeline(sourceKind: String) throws -> IngestPipeline {
    s3.apply()
    _ = try logFormat()
    var options = IngestOptions(target: table)
    guard let partitioning = Partitioning(argument: partitionBy) else {
      throw ValidationError("--partition-by must be year/month/day, date or none, not '\(partitionBy)'")
    }
    options.partitioning = partitioning
    guard let latency = Self.seconds(maxLatency), latency >= 0 else {
      throw ValidationError("--max-latency '\(maxLatency)' is not a duration (10s, 500ms, 2m)")
    }
    options.maxLatency = latency
    guard maxRows > 0 else { throw ValidationError("--max-rows must be positive") }
    options.maxRows = maxRows
    guard let bytes = ByteSize.parse(maxBytes), bytes > 0 else { throw ValidationError("--max-bytes '\(maxBytes)' is not a size") }
    options.maxBytes = bytes
    guard let fileSize = ByteSize.parse(targetFileSize), fileSize > 0 else {
      throw ValidationError("--target-file-size '\(targetFileSize)' is not a size")
    }
    options.targetFileSize = fileSize
    guard compactEvery >= 0 else { throw ValidationError("--compact-every must be 0 or more") }
    options.compactEvery = compactEvery
    options.deadLetterTable = deadLetters
    options.sourceKind = sourceKind
    return try IngestPipeline(options: options)
  }

  /// `10s`, `500ms`, `2m`, `1h` or plain seconds.
  static func seconds(_ text: String) -> Double? {
    let lower = text.lowercased()
    for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where lower.hasSuffix(suffix) {
      return Double(lower.dropLast(suffix.count)).map { $0 * scale }
    }
    return Double(lower)
  }
}

/// A progress line on a terminal (standard error), and a summary at the end.
struct IngestProgress {
  private let interactive = isatty(2) == 1
  private var lastShown: ContinuousClock.Instant?

  mutating func report(_ statistics: IngestStatistics) {
    guard interactive else { return }
    let now = ContinuousClock.now
    if let lastShown, now - lastShown < .milliseconds(250) { return }
    lastShown = now
    var line = "\r\u{1B}[K" + Self.summary(statistics)
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
  }

  func finish(_ statistics: IngestStatistics) {
    if interactive { "\r\u{1B}[K".utf8CString.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) } }
    var out = StandardOutput()
    out.write(Self.summary(statistics) + "\n")
    out.flush()
  }

  static func summary(_ statistics: IngestStatistics) -> String {
    let bytes = statistics.bytesRead < 1000 ? "\(statistics.bytesRead) B" : formatBytes(statistics.bytesRead)
    var text = "read \(statistics.recordsRead) records (\(bytes)), wrote \(statistics.recordsWritten)"
    text += ", dead letters \(statistics.deadLetters), commits \(statistics.commits)"
    if statistics.recordsSkipped > 0 { text += ", skipped \(statistics.recordsSkipped) already committed" }
    return text
  }
}
