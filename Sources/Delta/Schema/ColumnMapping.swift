public import Columnar

/// How data files name their columns (PROTOCOL.md "Column Mapping").
public enum ColumnMappingMode: String, Sendable, Hashable {
  /// Files use the logical (display) names.
  case none
  /// Files use the physical names of `delta.columnMapping.physicalName`.
  case name
  /// Files are matched by Parquet field id (`delta.columnMapping.id`); the log uses physical names.
  case id
}

/// Column mapping metadata of schema fields.
public enum ColumnMapping {
  public static let idKey = "delta.columnMapping.id"
  public static let physicalNameKey = "delta.columnMapping.physicalName"
  public static let modeProperty = "delta.columnMapping.mode"

  /// The mode the table uses: `delta.columnMapping.mode`, honoured only when the protocol supports
  /// column mapping (reader version 2, or 3 with the `columnMapping` feature).
  static func mode(configuration: [String: String], protocol deltaProtocol: DeltaProtocol) throws(DeltaError)
    -> ColumnMappingMode
  {
    guard let text = configuration[modeProperty] else { return .none }
    let supported =
      deltaProtocol.minReaderVersion == 2
      || (deltaProtocol.minReaderVersion >= 3 && (deltaProtocol.readerFeatures ?? []).contains("columnMapping"))
    guard supported else { return .none }
    guard let mode = ColumnMappingMode(rawValue: text.lowercased()) else {
      throw DeltaError(.unsupportedFeature, "unknown column mapping mode '\(text)' (Avocet knows none, name and id)")
    }
    return mode
  }
}

extension Field {
  /// The name data files, statistics and partition values use for this field under `mode`.
  public func physicalName(_ mode: ColumnMappingMode) -> String {
    guard mode != .none else { return name }
    return metadata[ColumnMapping.physicalNameKey] ?? name
  }

  /// The column mapping id (`delta.columnMapping.id`).
  public var columnMappingID: Int32? {
    fieldID ?? metadata[ColumnMapping.idKey].flatMap { Int32($0) }
  }
}
