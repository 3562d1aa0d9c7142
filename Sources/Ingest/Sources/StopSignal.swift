#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// SIGTERM and SIGINT ask a running ingest to flush what it holds and exit cleanly.
public enum StopSignal {
  private static let raised = Atomic<Bool>(false)

  /// Installs the handlers (once per process) and unblocks both signals: a parent that had them
  /// blocked (test runners, some supervisors) passes its mask on to the processes it starts.
  public static func install() {
    signal(SIGTERM) { _ in StopSignal.raised.store(true, ordering: .relaxed) }
    signal(SIGINT) { _ in StopSignal.raised.store(true, ordering: .relaxed) }
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTERM)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  public static var isRaised: Bool { raised.load(ordering: .relaxed) }
}
