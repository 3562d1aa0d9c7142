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
  static let tailSize = 64 << 10

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
    let start = max(0, size - Self.tailSize)
    if offset >= start, tail.withLock({ $0 == nil }) {
      let bytes = try client.get(location, range: start..<size)
      tail.withLock { $0 = (start, bytes) }
      let from = offset - start
      return Array(bytes[from..<from + length])
    }
    return try client.get(location, range: offset..<offset + length)
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
