#if os(Linux)
  import CMalloc
#endif

/// Keeps freed column buffers in the process for the next batch to reuse.
///
/// A scan allocates and frees buffers of a few megabytes per column chunk. glibc serves those
/// with fresh `mmap`s and unmaps them on free, so every batch paid page faults and kernel page
/// zeroing (a tenth of a query's CPU). Raising the mmap threshold to its maximum (32 MiB) and
/// the trim threshold lets them come from the heap's free lists instead; memory freed in bulk
/// is still returned once more than 256 MiB sits unused at the heap's top.
public enum AllocatorTuning {
  public static func apply() {
    #if os(Linux)
      _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
      _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    #endif
  }
}
