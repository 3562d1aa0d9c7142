/// The bytes of one page under construction: values appended at the back, and room kept in
/// front so the page's levels (known only when the page ends) can be put before the values
/// without moving them.
///
/// A single owner (one leaf's writer) uses it; the pointer code stays in this type.
final class PageBuffer {
  private var storage: UnsafeMutableRawPointer
  private var capacity: Int
  /// The free bytes kept in front of the content after ``removeAll()``.
  private var headroom = 256
  private var start: Int
  private var end: Int

  init(capacity: Int = 1 << 16) {
    self.capacity = Swift.max(capacity, 1024)
    storage = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    start = headroom
    end = headroom
  }

  deinit { storage.deallocate() }

  /// The content's size.
  var count: Int { end &- start }

  /// Empties the buffer, keeping its memory.
  func removeAll() {
    start = headroom
    end = headroom
  }

  /// Makes room for `extra` more bytes at the back.
  @inline(__always)
  func reserve(_ extra: Int) {
    if end &+ extra > capacity { grow(to: end &+ extra) }
  }

  private func grow(to needed: Int) {
    let newCapacity = Swift.max(needed, capacity &* 2)
    let newStorage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
    newStorage.copyMemory(from: storage, byteCount: end)
    storage.deallocate()
    storage = newStorage
    capacity = newCapacity
  }

  /// Appends `bytes`.
  @inline(__always)
  func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    (storage + end).copyMemory(from: source, byteCount: bytes.count)
    end &+= bytes.count
  }

  func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// Appends `count` bytes written by `body` through a pointer to them; `body` must write all.
  @inline(__always)
  func append(count: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
    reserve(count)
    body(storage + end)
    end &+= count
  }

  /// Puts `bytes` in front of the content. Without enough room in front, the content moves
  /// (once: the headroom grows for the following pages).
  func prepend(_ bytes: [UInt8]) {
    let needed = bytes.count
    guard needed > 0 else { return }
    if needed > start {
      headroom = Swift.max(headroom, needed &* 2)
      let shift = needed &- start
      reserve(shift)
      (storage + start + shift).copyMemory(from: storage + start, byteCount: end &- start)
      start &+= shift
      end &+= shift
    }
    start &-= needed
    bytes.withUnsafeBytes { (storage + start).copyMemory(from: $0.baseAddress!, byteCount: needed) }
  }

  /// Calls `body` with the content.
  func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    try body(UnsafeRawBufferPointer(start: storage + start, count: end &- start))
  }
}

extension Array where Element == Int32 {
  /// Appends `count` elements that `body` writes through a pointer to them; `body` must write
  /// every one. Grows geometrically, and does no per-element work beyond `body`'s.
  @inline(__always)
  mutating func appendUninitialized(_ count: Int, _ body: (UnsafeMutablePointer<Int32>) -> Void) {
    guard count > 0 else { return }
    let start = self.count
    if capacity < start &+ count { reserveCapacity(Swift.max(start &+ count, capacity &* 2)) }
    // Extend with a bulk copy of zeros from a static block, then overwrite in place.
    var remaining = count
    while remaining > 0 {
      let chunk = Swift.min(remaining, zeroInt32s.count)
      zeroInt32s.withUnsafeBufferPointer { append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<chunk])) }
      remaining &-= chunk
    }
    withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
  }
}

/// A block of zeros to extend arrays with in bulk.
private let zeroInt32s = [Int32](repeating: 0, count: 1024)
