import ArgumentParser
import Columnar
import Delta

/// `avocet describe TABLE`: what a Delta table is at a version.
struct DescribeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe",
    abstract:
      "Describe a Delta table: version, schema, partitioning, protocol and features, properties, files and size.")

  @Argument(help: "The Delta table directory.")
  var table: String

  @OptionGroup var selection: SnapshotOptions

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let snapshot = try selection.snapshot(of: table)
      let description = snapshot.describe()
      var out = StandardOutput()
      if json {
        out.write(description.jsonText + "\n")
      } else {
        out.write(Self.text(description))
      }
      out.flush()
    }
  }

  static func text(_ d: TableDescription) -> String {
    var text = "table: \(d.location)\n"
    text += "version: \(d.version) (committed \(Timestamps.text(milliseconds: d.timestamp)))\n"
    text += "id: \(d.id)\n"
    if let name = d.name { text += "name: \(name)\n" }
    if let description = d.description { text += "description: \(description)\n" }
    text += "protocol: reader \(d.deltaProtocol.minReaderVersion), writer \(d.deltaProtocol.minWriterVersion)\n"
    if let features = d.deltaProtocol.readerFeatures { text += "reader features: \(list(features))\n" }
    if let features = d.deltaProtocol.writerFeatures { text += "writer features: \(list(features))\n" }
    if d.columnMapping != .none { text += "column mapping: \(d.columnMapping.rawValue)\n" }
    text += "partition columns: \(d.partitionColumns.isEmpty ? "none" : d.partitionColumns.joined(separator: ", "))\n"
    text += "schema:\n"
    for field in d.schema.fields {
      text += "  \(field.name): \(DeltaSchema.typeName(field.type))\(field.nullable ? "" : " not null")\n"
    }
    if !d.properties.isEmpty {
      text += "properties:\n"
      for (key, value) in d.properties.sorted(by: { $0.key < $1.key }) { text += "  \(key) = \(value)\n" }
    }
    if !d.domains.isEmpty { text += "domains: \(d.domains.joined(separator: ", "))\n" }
    text += "files: \(d.numFiles) (\(d.sizeBytes) bytes)\n"
    text += "rows: \(d.numRecords.map(String.init) ?? "unknown (some files have no statistics)")\n"
    if let checkpoint = d.checkpointVersion { text += "read from checkpoint: version \(checkpoint)\n" }
    return text
  }

  private static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}

/// `avocet history TABLE`: the commits of a Delta table, newest first.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "List the commits of a Delta table, newest first, with their commitInfo.")

  @Argument(help: "The Delta table directory.")
  var table: String

  @Option(help: "Show at most this many commits.")
  var limit: Int?

  @Flag(help: "Print one JSON object per commit instead of text.")
  var json = false

  func validate() throws {
    if let limit, limit < 0 { throw ValidationError("--limit must be zero or more, not \(limit)") }
  }

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let entries = try DeltaTable.open(path: table).history(limit: limit)
      var out = StandardOutput()
      for entry in entries {
        if json {
          out.write(entry.jsonText + "\n")
          continue
        }
        let info = entry.commitInfo
        var line =
          "version \(entry.version)  \(Timestamps.text(milliseconds: entry.timestamp))  \(info?.operation ?? "-")"
        if let parameters = info?.operationParameters, !parameters.isEmpty {
          line +=
            "  parameters: "
            + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        }
        if let metrics = info?.operationMetrics, !metrics.isEmpty {
          line +=
            "  metrics: " + metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        }
        if let engine = info?.engineInfo ?? info?.clientVersion { line += "  engine: \(engine)" }
        out.write(line + "\n")
      }
      out.flush()
    }
  }
}

/// `avocet files TABLE`: the live data files of a Delta table.
struct FilesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "files", abstract: "List the live data files of a Delta table at a version.")

  @Argument(help: "The Delta table directory.")
  var table: String

  @OptionGroup var selection: SnapshotOptions

  @Flag(help: "Print each file's add action as a JSON object instead of text.")
  var json = false

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let snapshot = try selection.snapshot(of: table)
      var out = StandardOutput()
      FileListing.write(snapshot.files, json: json, to: &out)
      out.flush()
      exitSkippingTeardown()
    }
  }
}
