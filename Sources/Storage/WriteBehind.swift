import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Writes buffers to a file descriptor on a background queue, in order, with bounded memory.
/// The first failure is kept and reported by the next `submit` or by `finish`.
final class WriteBehind: Sendable {
  private let descriptor: Int32
  private let path: String
  private let queue = DispatchQueue(label: "avocet.storage.write-behind")
  private let slots = DispatchSemaphore(value: 8)
  private let failure = Mutex<StorageError?>(nil)

  init(descriptor: Int32, path: String) {
    self.descriptor = descriptor
    self.path = path
  }

  /// Queues `chunk`; blocks while 8 chunks are already in flight.
  func submit(_ chunk: [UInt8]) throws {
    if let error = failure.withLock({ $0 }) { throw error }
    slots.wait()
    queue.async {
      defer { self.slots.signal() }
      guard self.failure.withLock({ $0 }) == nil else { return }
      if let error = self.writeAll(chunk) { self.failure.withLock { $0 = error } }
    }
  }

  /// Waits for every queued write, makes the file durable and closes it.
  func finish() throws {
    queue.sync {}
    defer { close(descriptor) }
    if let error = failure.withLock({ $0 }) { throw error }
    guard fsync(descriptor) == 0 else { throw LocalFile.error(path: path, operation: "fsync") }
  }

  /// Drops what is queued and closes the file.
  func cancel() {
    failure.withLock { $0 = $0 ?? StorageError(.io, path: path, "write cancelled") }
    queue.sync {}
    close(descriptor)
  }

  private func writeAll(_ chunk: [UInt8]) -> StorageError? {
    chunk.withUnsafeBytes { bytes in
      var done = 0
      while done < bytes.count {
        let n = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          return LocalFile.error(path: path, operation: "write")
        }
        done += n
      }
      return nil
    }
  }
}
