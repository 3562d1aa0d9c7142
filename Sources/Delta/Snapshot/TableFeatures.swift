/// The protocol versions and table features Avocet reads (PROTOCOL.md "Table Features",
/// "Reader Version Requirements").
public enum TableFeatures {
  /// Reader versions 1 (plain), 2 (column mapping) and 3 (reader table features).
  public static let maxReaderVersion = 3

  /// Reader features Avocet implements. Writer-only features never stop a reader.
  public static let supportedReaderFeatures: Set<String> = [
    "columnMapping", "deletionVectors", "timestampNtz", "timestampWithoutTimezone", "v2Checkpoint",
    "vacuumProtocolCheck", "typeWidening", "typeWidening-preview", "domainMetadata", "appendOnly", "invariants",
    "checkConstraints", "changeDataFeed", "generatedColumns", "identityColumns", "rowTracking", "clustering",
    "inCommitTimestamp", "icebergCompatV1", "icebergCompatV2", "allowColumnDefaults", "checkpointProtection",
    "materializePartitionColumns",
  ]

  /// Throws unless Avocet can read a table with this protocol, naming the version or feature it lacks.
  public static func checkReadable(_ deltaProtocol: DeltaProtocol, path: String? = nil) throws(DeltaError) {
    let reader = deltaProtocol.minReaderVersion
    guard reader >= 1 else {
      throw DeltaError(.corruptLog, "invalid protocol: minReaderVersion \(reader) is below 1", path: path)
    }
    guard reader <= maxReaderVersion else {
      throw DeltaError(
        .unsupportedFeature,
        "the table requires reader version \(reader); Avocet reads reader versions 1 to \(maxReaderVersion)", path: path
      )
    }
    guard reader == 3 else { return }
    guard let features = deltaProtocol.readerFeatures else {
      throw DeltaError(.corruptLog, "invalid protocol: reader version 3 without 'readerFeatures'", path: path)
    }
    let unsupported = features.filter { !supportedReaderFeatures.contains($0) }
    if unsupported.count == 1 {
      throw DeltaError(
        .unsupportedFeature, "the table requires reader feature '\(unsupported[0])', which Avocet does not support",
        path: path)
    }
    if !unsupported.isEmpty {
      let names = unsupported.map { "'\($0)'" }.joined(separator: ", ")
      throw DeltaError(
        .unsupportedFeature, "the table requires reader features \(names), which Avocet does not support", path: path)
    }
  }

  /// True when the protocol lists (or, for legacy versions, implies) reader feature `name`.
  public static func isReaderFeatureSupported(_ name: String, by deltaProtocol: DeltaProtocol) -> Bool {
    if deltaProtocol.minReaderVersion >= 3 { return deltaProtocol.readerFeatures?.contains(name) ?? false }
    return name == "columnMapping" && deltaProtocol.minReaderVersion == 2
  }
}
