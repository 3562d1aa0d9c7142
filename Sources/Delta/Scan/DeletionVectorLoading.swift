import Columnar
import Storage

/// Loads the deletion vector of a data file for a scan (the format itself is decoded by
/// ``DeletionVectorDescriptor/loadDeletedRows(tableRoot:read:)``).
enum DeletionVectorLoading {
  /// The deleted rows of `add`, or nil when it has no deletion vector.
  static func deletedRows(for add: AddFile, snapshot: Snapshot) throws(DeltaError) -> DeletedRows? {
    guard let descriptor = add.deletionVector else { return nil }
    let storage = snapshot.storage
    var openFile: (path: String, file: any ReadableFile)?
    do {
      return try descriptor.loadDeletedRows(tableRoot: snapshot.tableRoot) { path, offset, length in
        if openFile?.path != path { openFile = (path, try storage.openFile(path)) }
        guard let file = openFile?.file else { return [] }
        return try file.read(offset: offset, length: length)
      }
    } catch {
      var code: DeltaError.Code = .corruptLog
      if let cause = error.cause as? DeltaError, cause.code == .missingFile {
        code = .missingFile
      } else if error.code == .io {
        code = .io
      } else if error.code == .unsupported {
        code = .unsupportedFeature
      }
      throw DeltaError(
        code, "deletion vector of data file '\(add.path)': \(error)", path: snapshot.tableRoot, cause: error)
    }
  }
}
