extension DeltaError.Code {
  /// A commit or file that must be new already exists (put-if-absent lost, `errorIfExists` on a table).
  public static let alreadyExists = DeltaError.Code(name: "already exists")
  /// A concurrent commit made this transaction's commit invalid; the message names its version.
  public static let concurrentModification = DeltaError.Code(name: "concurrent modification")
  /// The data does not fit the table schema (schema enforcement).
  public static let schemaMismatch = DeltaError.Code(name: "schema mismatch")
}
