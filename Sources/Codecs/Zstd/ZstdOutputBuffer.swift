/// Where decoded bytes go: either the caller's fixed buffer or a buffer we grow up to a limit.
/// Matches reference earlier output by position, so growing (which may move the memory) is only
/// done between blocks, and hot loops re-read `base` afterwards.
final class ZstdOutputBuffer {
  private(set) var base: UnsafeMutableRawPointer
  /// Usable bytes at `base` (for a growable buffer, never more than `limit`).
  private(set) var capacity: Int
  var position = 0
  private let growable: Bool
  private let limit: Int

  /// Wraps the caller's buffer; nothing is ever allocated.
  init(fixed buffer: UnsafeMutableRawBufferPointer) {
    // A zero-sized buffer may have no address; one dummy byte keeps pointer arithmetic defined.
    if let address = buffer.baseAddress {
      base = address
      capacity = buffer.count
      ownsDummy = false
    } else {
      base = .allocate(byteCount: 1, alignment: 1)
      capacity = 0
      ownsDummy = true
    }
    growable = false
    limit = buffer.count
  }

  private let ownsDummy: Bool

  /// An owned buffer starting at `initialCapacity` bytes that may grow up to `limit`.
  init(initialCapacity: Int, limit: Int) {
    let first = max(1, min(initialCapacity, limit))
    base = .allocate(byteCount: first, alignment: 16)
    capacity = min(first, limit)
    growable = true
    self.limit = limit
    ownsDummy = false
  }

  deinit {
    if growable || ownsDummy { base.deallocate() }
  }

  /// Ensures room for `count` more bytes when growable (capped by the limit). A fixed buffer is
  /// left as is; writers check `capacity` and report overflow themselves.
  func reserve(_ count: Int) {
    guard growable else { return }
    let wanted = min(limit, position + count)
    guard wanted > capacity else { return }
    var newCapacity = max(capacity, 1)
    while newCapacity < wanted { newCapacity = newCapacity > limit / 2 ? limit : newCapacity * 2 }
    let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
    newBase.copyMemory(from: base, byteCount: position)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Whether `count` more bytes could ever be written (up to the fixed size or the limit).
  func canHold(_ count: Int) -> Bool { count <= limit - position }

  /// The error for output that does not fit.
  func overflowError(at offset: Int, declared: Bool = false) -> CodecError {
    if !growable {
      return .zstd(.outputTooLarge, "decompressed data does not fit in the \(limit)-byte output buffer", at: offset)
    }
    if capacity < limit && !declared {
      // Room for a whole block was reserved, so the block itself is oversized.
      return .zstd(.corruptInput, "block decompresses to more than its maximum size", at: offset)
    }
    return .zstd(.outputTooLarge, "decompressed data exceeds the limit of \(limit) bytes", at: offset)
  }

  /// Copies the bytes written so far into an array.
  func toArray() -> [UInt8] {
    [UInt8](UnsafeRawBufferPointer(start: base, count: position))
  }
}
