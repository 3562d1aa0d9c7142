import Columnar

/// Loads the deletion vector of a data file for a scan.
enum DeletionVectorLoading {
  /// The rows of `add` that are deleted, or nil when it has no deletion vector.
  static func deletedRows(for add: AddFile, snapshot: Snapshot) throws(DeltaError) -> DeletedRowMask? {
    guard let descriptor = add.deletionVector else { return nil }
    // TODO: wire DeletionVectorDescriptor.loadDeletedRows once Sources/Delta/DeletionVectors lands.
    throw DeltaError(
      .unsupportedFeature, "deletion vector \(descriptor.uniqueID) of '\(add.path)' cannot be read yet",
      path: snapshot.tableRoot)
  }
}

/// Which rows of a file survive its deletion vector.
struct DeletedRowMask {
  func keepMask(start: Int, count: Int) throws(DeltaError) -> Bitmap { Bitmap(repeating: true, count: count) }
}
