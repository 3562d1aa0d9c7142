/// Appends bits LSB-first into a caller-provided buffer, the layout zstd's backward readers expect.
/// Writing past `end` is refused (the `overflowed` flag is set) rather than corrupting memory.
struct ZstdForwardBitWriter {
  private(set) var ptr: UnsafeMutableRawPointer
  let start: UnsafeMutableRawPointer
  /// Last position where an 8-byte store still fits.
  private let storeLimit: UnsafeMutableRawPointer
  private var container: UInt64 = 0
  private var count = 0
  private(set) var overflowed = false

  init(_ buffer: UnsafeMutableRawPointer, capacity: Int) {
    start = buffer
    ptr = buffer
    storeLimit = buffer + max(capacity - 8, 0)
    overflowed = capacity < 8
  }

  /// Adds the low `n` bits of `value` (n <= 32; higher bits of `value` must be zero).
  @inline(__always)
  mutating func add(_ value: UInt64, _ n: Int) {
    if count &+ n > 63 { flush() }
    container |= value &<< UInt64(truncatingIfNeeded: count)
    count &+= n
  }

  /// Adds without checking for room: the caller flushes at least every 56 bits.
  @inline(__always)
  mutating func addUnchecked(_ value: UInt64, _ n: Int) {
    container |= value &<< UInt64(truncatingIfNeeded: count)
    count &+= n
  }

  /// Adds the low `n` bits of `value`, masking the rest.
  @inline(__always)
  mutating func addMasked(_ value: UInt64, _ n: Int) {
    add(value & ((1 &<< UInt64(truncatingIfNeeded: n)) &- 1), n)
  }

  @inline(__always)
  mutating func flush() {
    guard ptr <= storeLimit else {
      overflowed = true
      container = 0
      count = 0
      return
    }
    ptr.storeBytes(of: container.littleEndian, as: UInt64.self)
    let bytes = count &>> 3
    ptr += bytes
    container = bytes == 8 ? 0 : container &>> UInt64(bytes &* 8)
    count &= 7
  }

  /// Writes the end marker bit and pads to a byte; returns the stream size in bytes.
  mutating func finish() -> Int {
    add(1, 1)
    flush()
    if count > 0 { ptr += 1 }
    count = 0
    return ptr - start
  }
}
