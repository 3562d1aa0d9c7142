import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Duration {
  var timeAmount: TimeAmount {
    let (seconds, attoseconds) = components
    return .nanoseconds(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
  }

  /// Whole milliseconds, clamped to Int32 (as protocol fields hold them).
  var int32Milliseconds: Int32 {
    let (seconds, attoseconds) = components
    let ms = seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
    return Int32(clamping: ms)
  }
}

/// Blocks the calling thread (never an event loop) for a while: a retry backoff.
func pauseThread(_ duration: Duration) {
  let (seconds, attoseconds) = duration.components
  guard seconds > 0 || attoseconds > 0 else { return }
  var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
  var remaining = timespec()
  while nanosleep(&request, &remaining) != 0 { request = remaining }
}
