import Ingest
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The server's counters, updated from request handlers and channel threads, rendered for
/// `GET /metrics` in the Prometheus text format.
final class ServerMetrics: Sendable {
  struct Channel: Sendable {
    var statistics = IngestStatistics()
    var pendingBytes: Int64 = 0
    var spoolFiles = 0
    var framesSpooled = 0
    var bytesSpooled = 0
    var duplicates = 0
    var pipelineErrors = 0
  }

  struct RequestKey: Hashable, Sendable {
    var route: String
    var status: Int
  }

  private struct State: Sendable {
    var channels: [String: Channel] = [:]
    var requests: [RequestKey: Int] = [:]
  }

  private let state = Mutex(State())

  init() {}

  func countRequest(route: String, status: Int) {
    state.withLock { $0.requests[RequestKey(route: route, status: status), default: 0] += 1 }
  }

  func update(channel: String, statistics: IngestStatistics) {
    state.withLock { $0.channels[channel, default: Channel()].statistics = statistics }
  }

  func update(channel: String, pendingBytes: Int64, files: Int) {
    state.withLock { state in
      state.channels[channel, default: Channel()].pendingBytes = pendingBytes
      state.channels[channel, default: Channel()].spoolFiles = files
    }
  }

  func countSpooled(channel: String, bytes: Int, duplicate: Bool) {
    state.withLock { state in
      if duplicate {
        state.channels[channel, default: Channel()].duplicates += 1
      } else {
        state.channels[channel, default: Channel()].framesSpooled += 1
        state.channels[channel, default: Channel()].bytesSpooled += bytes
      }
    }
  }

  func countError(channel: String) {
    state.withLock { $0.channels[channel, default: Channel()].pipelineErrors += 1 }
  }

  /// The Prometheus text exposition of every counter.
  func prometheusText() -> String {
    let snapshot = state.withLock { $0 }
    let now = Self.nowMicros()
    let names = snapshot.channels.keys.sorted()
    var out = ""
    func family(_ name: String, _ type: String, _ help: String, _ value: (Channel) -> String?) {
      out += "# HELP avocet_\(name) \(help)\n# TYPE avocet_\(name) \(type)\n"
      for channel in names {
        guard let counters = snapshot.channels[channel], let text = value(counters) else { continue }
        out += "avocet_\(name){channel=\"\(Self.escaped(channel))\"} \(text)\n"
      }
    }
    family("records_read_total", "counter", "Records decoded from the spool.") { "\($0.statistics.recordsRead)" }
    family("records_written_total", "counter", "Records committed to their tables.") {
      "\($0.statistics.recordsWritten)"
    }
    family("records_dead_lettered_total", "counter", "Records and lines committed to the dead-letter table.") {
      "\($0.statistics.deadLetters)"
    }
    family("records_skipped_total", "counter", "Records skipped because their table already held them.") {
      "\($0.statistics.recordsSkipped)"
    }
    family("bytes_read_total", "counter", "Spool bytes read by the pipeline.") { "\($0.statistics.bytesRead)" }
    family("commits_total", "counter", "Delta commits made.") { "\($0.statistics.commits)" }
    family("flushes_total", "counter", "Flushes made.") { "\($0.statistics.flushes)" }
    out += "# HELP avocet_flush_seconds Time spent flushing.\n# TYPE avocet_flush_seconds summary\n"
    for channel in names {
      guard let counters = snapshot.channels[channel] else { continue }
      let label = "{channel=\"\(Self.escaped(channel))\"}"
      out += "avocet_flush_seconds_sum\(label) \(counters.statistics.totalFlushSeconds)\n"
      out += "avocet_flush_seconds_count\(label) \(counters.statistics.flushes)\n"
    }
    family("lag_seconds", "gauge", "Now minus the event time of the newest record written.") { counters in
      counters.statistics.newestEventTime.map { "\(Double(now - $0) / 1e6)" }
    }
    family("spool_pending_bytes", "gauge", "Spool bytes not yet committed to the tables.") { "\($0.pendingBytes)" }
    family("spool_files", "gauge", "Spool files present.") { "\($0.spoolFiles)" }
    family("spooled_requests_total", "counter", "Requests written to the spool.") { "\($0.framesSpooled)" }
    family("spooled_bytes_total", "counter", "Bytes of data lines written to the spool.") { "\($0.bytesSpooled)" }
    family("duplicate_requests_total", "counter", "Repeated requests answered without spooling them again.") {
      "\($0.duplicates)"
    }
    family("pipeline_errors_total", "counter", "Times a channel's pipeline failed and started over.") {
      "\($0.pipelineErrors)"
    }
    out += "# HELP avocet_http_requests_total HTTP requests by route and status.\n"
    out += "# TYPE avocet_http_requests_total counter\n"
    for key in snapshot.requests.keys.sorted(by: { ($0.route, $0.status) < ($1.route, $1.status) }) {
      out += "avocet_http_requests_total{route=\"\(Self.escaped(key.route))\",status=\"\(key.status)\"} "
      out += "\(snapshot.requests[key] ?? 0)\n"
    }
    return out
  }

  static func escaped(_ label: String) -> String {
    var text = ""
    for character in label {
      switch character {
      case "\\": text += "\\\\"
      case "\"": text += "\\\""
      case "\n": text += "\\n"
      default: text.append(character)
      }
    }
    return text
  }

  static func nowMicros() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec / 1000)
  }
}
