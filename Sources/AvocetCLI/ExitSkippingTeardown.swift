#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ends the process successfully at once, after output is flushed: freeing a snapshot of 100,000
/// files object by object only to exit takes longer than listing them (`avocet files`), so the
/// commands that hold one let the kernel reclaim the memory instead.
func exitSkippingTeardown() -> Never {
  exit(0)
}
