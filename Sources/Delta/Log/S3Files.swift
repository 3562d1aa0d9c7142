import Dispatch
import ObjectStore
import Storage
import Synchronization

/// An S3 object read with ranged GETs. The first read near the end fetches the last 64 KiB at
/// once, so a Parquet footer (length, then metadata) costs one request.
final class S3ReadableFile: ReadableFile, Sendable {
  let client: S3Client
  let location: S3Location
  let size: Int
  var path: String { location.description }
  private let tail = Mutex<(start: Int, bytes: [UInt8])?>(nil)
  /// Ranges fetched ahead by ``prefetch(_:)`` (those of the row group being read).
  private let fetched = Mutex<[(start: Int, bytes: [UInt8])]>([])
  static let tailSize = 64 << 10
  /// Ranges closer than this are fetched as one (the gap costs less than another request).
  static let coalesceGap = 1 << 20

  init(client: S3Client, location: S3Location, size: Int) {
    self.client = client
    self.location = location
    self.size = size
  }

  func read(offset: Int, length: Int) throws -> [UInt8] {
    guard offset >= 0, length >= 0, offset <= size, length <= size - offset else {
      throw StorageError(.outOfRange, path: path, "range \(offset)+\(length) outside \(size) bytes")
    }
    if let cached = tail.withLock({ $0 }), offset >= cached.start {
      let start = offset - cached.start
      return Array(cached.bytes[start..<start + length])
    }
    if let piece = fetched.withLock({ pieces in
      pieces.first { offset >= $0.start && offset + length <= $0.start + $0.bytes.count }
    }) {
      let start = offset - piece.start
      return Array(piece.bytes[start..<start + length])
    }
    let start = max(0, size - Self.tailSize)
    if offset >= start, tail.withLock({ $0 == nil }) {
      let bytes = try client.get(location, range: start..<size)
      tail.withLock { $0 = (start, bytes) }
      let from = offset - start
      return Array(bytes[from..<from + length])
    }
    return try client.get(location, range: offset..<offset + length)
  }

  /// Fetches the ranges ahead, nearby ones merged, all requests at once; replaces what an
  /// earlier prefetch held. A failed fetch is left for `read` to retry and report.
  func prefetch(_ ranges: [Range<Int>]) {
    let sorted = ranges.filter { !$0.isEmpty && $0.upperBound <= size }.sorted { $0.lowerBound < $1.lowerBound }
    var merged: [Range<Int>] = []
    for range in sorted {
      if let last = merged.last, range.lowerBound <= last.upperBound + Self.coalesceGap {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    guard !merged.isEmpty else { return }
    let requests = merged
    let results = Mutex<[(start: Int, bytes: [UInt8])]>([])
    DispatchQueue.concurrentPerform(iterations: requests.count) { index in
      let range = requests[index]
      if let bytes = try? client.get(location, range: range) {
        results.withLock { $0.append((range.lowerBound, bytes)) }
      }
    }
    let pieces = results.withLock { $0 }
    fetched.withLock { $0 = pieces }
  }
}

/// A new S3 object: one PUT on close when small, otherwise a multipart upload whose parts go
/// out as they fill; nothing is visible before `close()`, and `abort()` leaves nothing.
struct S3WritableFile: WritableFile {
  let client: S3Client
  let location: S3Location
  let path: String
  private(set) var position = 0
  private var buffer: [UInt8] = []
  private var uploadID: String?
  private var etags: [String] = []

  init(client: S3Client, location: S3Location, path: String) {
    self.client = client
    self.location = location
    self.path = path
  }

  mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    buffer.append(contentsOf: bytes)
    position += bytes.count
    let configuration = client.configuration
    if uploadID == nil, buffer.count >= configuration.multipartThreshold {
      uploadID = try client.createMultipartUpload(location)
    }
    while uploadID != nil, buffer.count >= configuration.partSize {
      try uploadPart(Array(buffer[..<configuration.partSize]))
      buffer.removeFirst(configuration.partSize)
    }
  }

  private mutating func uploadPart(_ bytes: [UInt8]) throws {
    guard let uploadID else { return }
    do {
      etags.append(try client.uploadPart(location, uploadID: uploadID, number: etags.count + 1, bytes: bytes))
    } catch {
      abort()
      throw error
    }
  }

  mutating func close() throws {
    if let uploadID {
      if !buffer.isEmpty || etags.isEmpty { try uploadPart(buffer) }
      buffer = []
      do {
        try client.completeMultipartUpload(location, uploadID: uploadID, etags: etags)
      } catch {
        abort()
        throw error
      }
      self.uploadID = nil
    } else {
      try client.put(location, bytes: buffer)
      buffer = []
    }
  }

  mutating func abort() {
    if let uploadID { client.abortMultipartUpload(location, uploadID: uploadID) }
    uploadID = nil
    buffer = []
  }
}
