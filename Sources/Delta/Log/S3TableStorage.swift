public import ObjectStore
public import Storage
import Synchronization

/// Delta tables on S3 and S3-compatible stores, with paths written `s3://bucket/key`.
///
/// Directories are key prefixes (listed with the `/` delimiter, from a start key so that a log
/// is listed from its checkpoint on); commits are `PUT` with `If-None-Match: *`, where a 412 is
/// a lost race. A store that ignores the condition is detected on the first commit to a bucket
/// and refused, unless the configuration opts into single-writer mode.
public final class S3TableStorage: TableStorage, Sendable {
  public let client: S3Client
  /// Buckets whose conditional-write support was probed: true when honoured.
  private let probed = Mutex<[String: Bool]>([:])

  public init(client: S3Client) { self.client = client }

  /// The storage for the process environment (shared, so connections and credentials are reused).
  public static let fromEnvironment: S3TableStorage = {
    var environment: [String: String] = [:]
    for (key, value) in ProcessEnvironment.variables { environment[key] = value }
    return S3TableStorage(client: .fromEnvironment(environment))
  }()

  func location(_ path: String) throws(DeltaError) -> S3Location {
    guard let location = S3Location(url: path) else {
      throw DeltaError(.invalidArgument, "not an s3:// path", path: path)
    }
    return location
  }

  static func deltaError(_ error: ObjectStoreError, _ path: String) -> DeltaError {
    let code: DeltaError.Code
    switch error.code {
    case .notFound: code = .missingFile
    case .preconditionFailed: code = .alreadyExists
    case .invalidArgument: code = .invalidArgument
    default: code = .io
    }
    let message = error.message + (error.status.map { " (HTTP \($0))" } ?? "")
    return DeltaError(code, message, path: error.location ?? path, cause: error)
  }

  public func listDirectory(_ directory: String, startingAt: String?) throws(DeltaError) -> [StoredObject] {
    var base = try location(directory)
    if !base.key.isEmpty, !base.key.hasSuffix("/") { base.key += "/" }
    // S3 lists keys strictly after `start-after`; a proper prefix of `startingAt` sorts before it.
    let startAfter = startingAt.flatMap { $0.isEmpty ? nil : base.key + $0.dropLast() }
    let listing: (objects: [S3ObjectInfo], prefixes: [String])
    do {
      listing = try client.list(bucket: base.bucket, prefix: base.key, delimiter: "/", startAfter: startAfter)
    } catch {
      throw Self.deltaError(error, directory)
    }
    var entries: [StoredObject] = []
    for object in listing.objects {
      let name = String(object.key.dropFirst(base.key.count))
      guard !name.isEmpty else { continue }
      entries.append(StoredObject(name: name, size: object.size, modificationTime: object.lastModified))
    }
    for prefix in listing.prefixes {
      var name = String(prefix.dropFirst(base.key.count))
      if name.hasSuffix("/") { name.removeLast() }
      if !name.isEmpty { entries.append(StoredObject(name: name, size: 0, modificationTime: 0, isDirectory: true)) }
    }
    if let startingAt { entries.removeAll { $0.name < startingAt } }
    // A prefix with nothing under it is a missing directory, as on a file system.
    if entries.isEmpty, startingAt == nil || listing.objects.isEmpty && listing.prefixes.isEmpty {
      let any: (objects: [S3ObjectInfo], prefixes: [String])
      do {
        any = try client.list(bucket: base.bucket, prefix: base.key, delimiter: "/")
      } catch {
        throw Self.deltaError(error, directory)
      }
      if any.objects.isEmpty && any.prefixes.isEmpty {
        throw DeltaError(.notATable, "cannot list the directory: nothing under this prefix", path: directory)
      }
    }
    entries.sort { $0.name < $1.name }
    return entries
  }

  public func readFile(_ path: String) throws(DeltaError) -> [UInt8] {
    let object = try location(path)
    do { return try client.get(object) } catch { throw Self.deltaError(error, path) }
  }

  public func openFile(_ path: String) throws(DeltaError) -> any ReadableFile {
    let object = try location(path)
    do {
      let info = try client.head(object)
      return S3ReadableFile(client: client, location: object, size: Int(info.size))
    } catch {
      throw Self.deltaError(error, path)
    }
  }

  /// An object, or a "directory": a prefix with keys under it.
  public func statFile(_ path: String) throws(DeltaError) -> StoredObject {
    let object = try location(path)
    let name = object.key.split(separator: "/").last.map(String.init) ?? object.key
    do {
      let info = try client.head(object)
      return StoredObject(name: name, size: info.size, modificationTime: info.lastModified)
    } catch {
      guard error.code == .notFound else { throw Self.deltaError(error, path) }
    }
    let prefix = object.key.hasSuffix("/") || object.key.isEmpty ? object.key : object.key + "/"
    do {
      // One key proves the prefix; an empty first answer is checked with a bigger page, since a
      // key listed and deleted at once (a probe) can leave some stores' one-key page empty.
      for maxKeys in [1, 1000] {
        let listing = try client.list(bucket: object.bucket, prefix: prefix, delimiter: "/", maxKeys: maxKeys)
        if !listing.objects.isEmpty || !listing.prefixes.isEmpty {
          return StoredObject(name: name, size: 0, modificationTime: 0, isDirectory: true)
        }
      }
    } catch {
      throw Self.deltaError(error, path)
    }
    throw DeltaError(.missingFile, "no such object", path: path)
  }

  public func putIfAbsent(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    let object = try location(path)
    if client.configuration.singleWriter {
      // Single-writer mode: the caller promised no concurrent writers; still never overwrite.
      if (try? client.head(object)) != nil { throw DeltaError(.alreadyExists, "the file already exists", path: path) }
      do { try client.put(object, bytes: bytes) } catch { throw Self.deltaError(error, path) }
      return
    }
    try checkConditionalWrites(object)
    do {
      try client.put(object, bytes: bytes, ifNoneMatch: true)
    } catch {
      guard error.code == .preconditionFailed else { throw Self.deltaError(error, path) }
      // A retried PUT whose first attempt did land answers 412 too: that object is ours.
      if let existing = try? client.get(object), existing == bytes { return }
      throw DeltaError(.alreadyExists, "the file already exists", path: path)
    }
  }

  /// Probes once per bucket that `If-None-Match: *` is honoured: a second conditional PUT of the
  /// same key must fail with 412.
  private func checkConditionalWrites(_ object: S3Location) throws(DeltaError) {
    if let honoured = probed.withLock({ $0[object.bucket] }) {
      if honoured { return }
    } else {
      var probe = object
      let parent = object.key.split(separator: "/").dropLast().joined(separator: "/")
      probe.key = (parent.isEmpty ? "" : parent + "/") + ".avocet-conditional-put-probe-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
      var honoured = false
      do throws(ObjectStoreError) {
        try client.put(probe, bytes: [1], ifNoneMatch: true)
        do {
          try client.put(probe, bytes: [2], ifNoneMatch: true)
        } catch {
          honoured = error.code == .preconditionFailed
          if !honoured { throw error }
        }
      } catch {
        try? client.delete(probe)
        throw Self.deltaError(error, probe.description)
      }
      try? client.delete(probe)
      probed.withLock { $0[object.bucket] = honoured }
      if honoured { return }
    }
    throw DeltaError(
      .unsupportedFeature,
      "the store ignores conditional writes (If-None-Match), so concurrent commits could overwrite each other; set AVOCET_S3_SINGLE_WRITER=true if only one writer ever commits to this table",
      path: "s3://\(object.bucket)")
  }

  public func writeFile(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    let object = try location(path)
    do { try client.put(object, bytes: bytes) } catch { throw Self.deltaError(error, path) }
  }

  public func createFile(_ path: String) throws(DeltaError) -> any WritableFile {
    S3WritableFile(client: client, location: try location(path), path: path)
  }

  /// Object stores have no directories.
  public func createDirectory(_ path: String) throws(DeltaError) {}

  public func deleteFile(_ path: String) throws(DeltaError) {
    let object = try location(path)
    do { try client.delete(object) } catch { throw Self.deltaError(error, path) }
  }
}
