#if canImport(Glibc)
  import Glibc
#endif

/// Wall-clock time for progress and benchmark output.
struct Stopwatch {
  private var start = Stopwatch.now()

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  var seconds: Double { Stopwatch.now() - start }
  mutating func restart() { start = Stopwatch.now() }
}

/// "1.23 s", "456 ms".
func formatSeconds(_ seconds: Double) -> String {
  seconds >= 1 ? "\((seconds * 100).rounded() / 100) s" : "\(Int((seconds * 1000).rounded())) ms"
}

/// "12.3 MB", "4.5 GB".
func formatBytes(_ bytes: Int) -> String {
  let units = ["KB", "MB", "GB", "TB", "PB"]
  var value = Double(bytes) / 1000
  var unit = 0
  while value >= 1000 && unit < units.count - 1 {
    value /= 1000
    unit += 1
  }
  return "\((value * 10).rounded() / 10) \(units[unit])"
}

/// "1.2 M".
func formatCount(_ count: Double) -> String {
  count >= 1_000_000 ? "\((count / 100_000).rounded() / 10) M" : "\(Int(count.rounded()))"
}

extension Duration {
  /// The duration in seconds, for printing.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
