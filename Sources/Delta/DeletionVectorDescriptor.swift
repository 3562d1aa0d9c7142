/// Where a data file's deleted rows are recorded (the `deletionVector` field of `add` and
/// `remove` actions, PROTOCOL.md "Deletion Vectors").
public struct DeletionVectorDescriptor: Sendable, Hashable, Codable {
  /// `u`: a file named by a UUID relative to the table; `i`: inline in `pathOrInlineDv`;
  /// `p`: an absolute path.
  public var storageType: String
  /// Z85 of the UUID (with an optional random prefix), the inline bitmap, or the path.
  public var pathOrInlineDv: String
  /// Byte offset of the bitmap in the file, for `u` and `p`.
  public var offset: Int?
  /// Size of the serialized bitmap in bytes.
  public var sizeInBytes: Int
  /// Number of deleted rows.
  public var cardinality: Int64

  public init(storageType: String, pathOrInlineDv: String, offset: Int?, sizeInBytes: Int, cardinality: Int64) {
    self.storageType = storageType
    self.pathOrInlineDv = pathOrInlineDv
    self.offset = offset
    self.sizeInBytes = sizeInBytes
    self.cardinality = cardinality
  }

  /// The protocol's unique id: storage type, path or inline data, and `@offset` when present.
  public var uniqueID: String {
    storageType + pathOrInlineDv + (offset.map { "@\($0)" } ?? "")
  }
}
