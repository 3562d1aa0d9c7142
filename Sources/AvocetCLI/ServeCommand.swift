import ArgumentParser
import Dispatch
import IngestServer
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `avocet serve`: an ingest server for osquery's TLS remote API and JSON-lines posts.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve osquery's remote API (enroll, config, log) and POST /ingest/{table}, ingesting into Delta tables.",
    discussion: """
      Requests are spooled to disk and answered once synced; a background ingest per spool folder \
      commits them to the tables exactly once (a retried request counts once). SIGTERM or SIGINT \
      stops taking requests, flushes and exits. Flags override the --config file, a JSON object whose \
      keys are the flag names with '_': listen, table, spool, enroll_secret, enroll_secret_file, \
      ingest_tokens (an array), osquery_config (an object or a file), partition_by, max_latency, \
      max_rows, max_bytes, target_file_size, time_field, spool_file_size, max_body_bytes, \
      poll_interval, tls_cert, tls_key.
      """)

  @Option(help: "A JSON configuration file.")
  var config: String?

  @Option(help: "The address to listen on, HOST:PORT (port 0: any free port). Default 127.0.0.1:8080.")
  var listen: String?

  @Option(help: "The folder of the tables: one per osquery query, osquery_status, one per /ingest/{table}.")
  var table: String?

  @Option(help: "The spool folder (default: TABLE_spool).")
  var spool: String?

  @Option(
    name: .customLong("enroll-secret-file"),
    help: "The file holding osquery's enroll secret (no secret: enrollment is off).")
  var enrollSecretFile: String?

  @Option(
    name: .customLong("ingest-token"),
    help: "A bearer token POST /ingest/{table} accepts (repeatable; none: no token needed).")
  var ingestTokens: [String] = []

  @Option(
    name: .customLong("osquery-config"),
    help: "A JSON file with the config osquery hosts fetch (default {\"schedule\":{}}).")
  var osqueryConfig: String?

  @Option(name: .customLong("partition-by"), help: "Event-time partitions of new tables: year/month/day, date or none.")
  var partitionBy: String?

  @Option(name: .customLong("max-latency"), help: "Flush after this long (10s, 500ms, 2m). Default 10s.")
  var maxLatency: String?

  @Option(name: .customLong("max-rows"), help: "Flush after this many records. Default 100000.")
  var maxRows: String?

  @Option(name: .customLong("max-bytes"), help: "Flush after this much input (32MB).")
  var maxBytes: String?

  @Option(name: .customLong("target-file-size"), help: "Data file size goal (128MB).")
  var targetFileSize: String?

  @Option(name: .customLong("time-field"), help: "The event-time member of /ingest/{table} JSON lines.")
  var timeField: String?

  @Option(name: .customLong("spool-file-size"), help: "Start a new spool file past this size (64MB).")
  var spoolFileSize: String?

  @Option(name: .customLong("max-body-bytes"), help: "The largest request body, compressed or not (64MB); 413 beyond.")
  var maxBodyBytes: String?

  @Option(name: .customLong("poll-interval"), help: "How often the spool is looked at for new requests (250ms).")
  var pollInterval: String?

  @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (osqueryd only speaks HTTPS).")
  var tlsCert: String?

  @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
  var tlsKey: String?

  /// The configuration from the file and the flags.
  func serverConfiguration() throws -> ServerConfiguration {
    var configuration = ServerConfiguration()
    do throws(ServerError) {
      if let config { try configuration.apply(file: config) }
      let flags: [(ServerConfiguration.Key, String?)] = [
        (.listen, listen), (.table, table), (.spool, spool), (.enrollSecretFile, enrollSecretFile),
        (.osqueryConfig, osqueryConfig), (.partitionBy, partitionBy), (.maxLatency, maxLatency), (.maxRows, maxRows),
        (.maxBytes, maxBytes), (.targetFileSize, targetFileSize), (.timeField, timeField),
        (.spoolFileSize, spoolFileSize), (.maxBodyBytes, maxBodyBytes), (.pollInterval, pollInterval),
        (.tlsCert, tlsCert), (.tlsKey, tlsKey),
      ]
      for case (let key, let value?) in flags { try configuration.set(key, to: value, source: key.flag) }
      if !ingestTokens.isEmpty {
        configuration.ingestTokens = []
        for token in ingestTokens { try configuration.set(.ingestTokens, to: token, source: "--ingest-token") }
      }
      try configuration.validate()
    } catch {
      throw ValidationError(error.message)
    }
    return configuration
  }

  func run() throws {
    let configuration = try serverConfiguration()
    try reportingErrors {
      if configuration.enrollSecret == nil {
        printError(label: "avocet serve", "no enroll secret (--enroll-secret-file): osquery enrollment is off")
      }
      let server = try IngestHTTPServer(configuration: configuration)
      let outcome = Mutex<(any Error)?>(nil)
      let done = DispatchSemaphore(value: 0)
      Task {
        do {
          try await server.run(handleSignals: true) { url in
            var out = StandardOutput()
            out.write("listening on \(url)\n")
            out.flush()
          }
        } catch {
          outcome.withLock { $0 = error }
        }
        done.signal()
      }
      done.wait()
      if let error = outcome.withLock({ $0 }) { throw error }
    }
  }
}
