/// The input formats `avocet ingest` reads, by the name users give with `--format`.
public enum LogFormat: String, Sendable, CaseIterable {
  case osquery, zeek, s3access, vpcflow, cloudtrail, jsonl, csv

  /// A fresh decoder (each input file gets its own, since headers are per file).
  /// `timeField` names the event-time field of jsonl and csv input.
  public func makeDecoder(timeField: String? = nil) -> any RecordDecoder {
    switch self {
    case .osquery: OsqueryDecoder()
    case .zeek: ZeekDecoder()
    case .s3access: S3AccessDecoder()
    case .vpcflow: VPCFlowDecoder()
    case .cloudtrail: CloudTrailDecoder()
    case .jsonl: JSONLinesRecordDecoder(timeField: timeField)
    case .csv: CSVRecordDecoder(timeColumn: timeField)
    }
  }

  /// True when records go to one table per sub-table (osquery: one per query name) under the target folder.
  public var routesToSubTables: Bool { self == .osquery }

  public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
