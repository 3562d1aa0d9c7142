import ObjectStore
public import Storage

/// The storage a path names: `s3://…` on S3 (configured from the environment), anything else
/// on the local file system. The default of every Delta entry point.
public struct DefaultTableStorage: TableStorage {
  public init() {}

  @inline(__always)
  func backend(_ path: String) -> any TableStorage {
    S3Location.isS3(path) ? S3TableStorage.fromEnvironment : LocalTableStorage()
  }

  public func listDirectory(_ directory: String, startingAt: String?) throws(DeltaError) -> [StoredObject] {
    try backend(directory).listDirectory(directory, startingAt: startingAt)
  }
  public func readFile(_ path: String) throws(DeltaError) -> [UInt8] { try backend(path).readFile(path) }
  public func openFile(_ path: String) throws(DeltaError) -> any ReadableFile { try backend(path).openFile(path) }
  public func statFile(_ path: String) throws(DeltaError) -> StoredObject { try backend(path).statFile(path) }
  public func putIfAbsent(_ path: String, bytes: [UInt8]) throws(DeltaError) {
    try backend(path).putIfAbsent(path, bytes: bytes)
  }
  public func writeFile(_ path: String, bytes: [UInt8]) throws(DeltaError) { try backend(path).writeFile(path, bytes: bytes) }
  public func createFile(_ path: String) throws(DeltaError) -> any WritableFile { try backend(path).createFile(path) }
  public func createDirectory(_ path: String) throws(DeltaError) { try backend(path).createDirectory(path) }
  public func deleteFile(_ path: String) throws(DeltaError) { try backend(path).deleteFile(path) }
}
