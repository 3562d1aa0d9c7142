import Ingest
import ArgumentParser
import Columnar
import Delta
import Expr
import Parquet
import Synthetic

/// `avocet create TABLE --schema 'a long, b string'`: an empty Delta table.
struct CreateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create an empty Delta table with a schema and partitioning.")

  @Argument(help: "The table directory to create.")
  var table: String

  @Option(help: "Columns as 'name type, …' with Delta type names (long, integer, string, double, date, timestamp, decimal(p,s), …); append 'not null' to forbid nulls.")
  var schema: String

  @Option(name: .customLong("partition-by"), help: "Comma-separated partition columns.")
  var partitionBy: String?

  @Option(help: "The table name stored in the metadata.")
  var name: String?

  @Option(help: "The table description stored in the metadata.")
  var description: String?

  @Option(name: .customLong("property"), help: "A table property key=value (repeatable).")
  var properties: [String] = []

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      let parsed = try WriteArguments.parse(schema)
      var configuration: [String: String] = [:]
      for property in properties {
        guard let equals = property.firstIndex(of: "=") else {
          throw ValidationError("--property must be key=value, not '\(property)'")
        }
        configuration[String(property[..<equals])] = String(property[property.index(after: equals)...])
      }
      let version = try TableWriter.createTable(
        path: table, schema: parsed, partitionBy: WriteArguments.list(partitionBy), name: name, description: description,
        configuration: configuration)
      var out = StandardOutput()
      out.write("created \(table) at version \(version)\n")
      out.flush()
    }
  }
}

/// `avocet write TABLE --input FILE… --format parquet`: one atomic commit of the inputs' rows.
struct WriteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "write", abstract: "Write files into a Delta table as one atomic commit.")

  @Argument(help: "The Delta table directory (created if it does not exist).")
  var table: String

  @Option(name: .customLong("input"), parsing: .upToNextOption, help: "Input files.")
  var inputs: [String]

  @Option(help: "Input format: parquet, jsonl (one JSON object per line) or csv (a header row; RFC 4180 quoting).")
  var format: String = "parquet"

  @Option(help: "For jsonl/csv into a new table: columns as 'name type, …' (default: the table's schema, or inferred from the data).")
  var schema: String?

  @Option(name: .customLong("batch-rows"), help: "Rows per batch when reading jsonl/csv.")
  var batchRows: Int = 65536

  @Option(help: "append, overwrite, error or ignore.")
  var mode: String = "append"

  @Option(name: .customLong("partition-by"), help: "Comma-separated partition columns (new tables).")
  var partitionBy: String?

  @Flag(name: .customLong("merge-schema"), help: "Add new columns of the data to the table schema.")
  var mergeSchema = false

  @Flag(name: .customLong("overwrite-schema"), help: "With --mode overwrite: replace the schema.")
  var overwriteSchema = false

  @Option(name: .customLong("replace-where"), help: "With --mode overwrite: replace only partitions matching \"col = 'v' AND …\".")
  var replaceWhere: String?

  @Option(name: .customLong("target-file-size"), help: "Bytes per data file before rolling to a new one.")
  var targetFileSize: Int = 100 << 20

  @OptionGroup var s3: S3Options

  func run() throws {
    s3.apply()
    try reportingErrors {
      guard format == "parquet" || InputFormat(rawValue: format) != nil else {
        throw ValidationError("--format must be parquet, jsonl or csv, not '\(format)'")
      }
      guard let saveMode = SaveMode(rawValue: mode) else {
        throw ValidationError("--mode must be append, overwrite, error or ignore")
      }
      var options = WriteOptions(mode: saveMode)
      options.partitionBy = partitionBy.map { WriteArguments.list($0) }
      options.mergeSchema = mergeSchema
      options.overwriteSchema = overwriteSchema
      options.replaceWhere = try replaceWhere.map { try WriteArguments.predicate($0) }
      options.targetFileSize = targetFileSize
      guard let first = inputs.first else { throw ValidationError("give at least one --input") }
      if let textFormat = InputFormat(rawValue: format) {
        try writeRecords(textFormat, options: options)
        return
      }
      if schema != nil { throw ValidationError("--schema applies to jsonl and csv input only") }
      let schema = try ParquetFileReader.open(first).schema.schema
      let writer = try TableWriter(path: table, schema: schema, options: options)
      for input in inputs {
        let reader = try ParquetFileReader.open(input)
        for group in 0..<reader.rowGroupCount {
          do {
            try writer.write(try reader.readRowGroup(group, columns: nil))
          } catch {
            writer.abort()
            throw DeltaError(.invalidArgument, "\(input), row group \(group): \(error)")
          }
        }
      }
      let result = try writer.commit()
      var out = StandardOutput()
      if let version = result.version {
        out.write("committed version \(version): \(result.rowsWritten) rows in \(result.filesAdded) files\n")
      } else {
        out.write("nothing written (the table exists and mode is \(mode))\n")
      }
      out.flush()
    }
  }
}

extension WriteCommand {
  /// jsonl/csv: decode every input into batches of the target schema and commit them at once;
  /// any bad record aborts the write (nothing is committed) with its file and line.
  func writeRecords(_ format: InputFormat, options: WriteOptions) throws {
    let target = try targetSchema(format, options: options)
    let writer = try TableWriter(path: table, schema: target, options: options)
    do {
      var builder = try RecordBatchBuilder(schema: target)
      for input in inputs {
        var decoder = try format.decoder(path: input)
        while let record = try decoder.next() {
          try builder.append(record, file: input)
          if builder.rowCount >= max(1, batchRows) { try writer.write(try builder.flush()) }
        }
      }
      if builder.rowCount > 0 { try writer.write(try builder.flush()) }
    } catch {
      writer.abort()
      throw error
    }
    let result = try writer.commit()
    var out = StandardOutput()
    if let version = result.version {
      out.write("committed version \(version): \(result.rowsWritten) rows in \(result.filesAdded) files\n")
    } else {
      out.write("nothing written (the table exists and mode is \(mode))\n")
    }
    out.flush()
  }

  /// `--schema`; else the table's schema (plus inferred new columns with --merge-schema, or the
  /// inferred schema with --overwrite-schema); else the schema inferred from the data.
  func targetSchema(_ format: InputFormat, options: WriteOptions) throws -> Schema {
    if let schema { return try WriteArguments.parse(schema) }
    var tableSchema: Schema?
    if DeltaTable.isDeltaTable(path: table), !options.overwriteSchema {
      tableSchema = try DeltaTable.open(path: table).snapshot().schema
    }
    if let tableSchema, !options.mergeSchema { return tableSchema }
    var inference = SchemaInference()
    for input in inputs {
      var decoder = try format.decoder(path: input)
      while let record = try decoder.next() { inference.add(record) }
    }
    let inferred = inference.fields
    guard var merged = tableSchema else {
      guard !inferred.isEmpty else { throw ValidationError("no columns in the input; give --schema") }
      return Schema(inferred)
    }
    let known = Set(merged.fields.map(\.name))
    merged.fields.append(contentsOf: inferred.filter { !known.contains($0.name) })
    return merged
  }
}

/// `avocet generate netflow --rows N --table T`: synthetic flow logs into a Delta table.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Generate synthetic data sets.", subcommands: [NetflowCommand.self])

  struct NetflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "netflow",
      abstract: "Write synthetic firewall flow logs, partitioned by year/month/day, into a Delta table.")

    @Option(help: "Number of rows.")
    var rows: Int

    @Option(help: "The Delta table directory.")
    var table: String

    @Option(help: "Random seed (the same seed gives the same rows).")
    var seed: UInt64 = 42

    @Option(help: "Number of days the events span.")
    var days: Int = 1

    @Option(help: "First day, YYYY-MM-DD.")
    var start: String = "2024-01-01"

    @Option(help: "append, overwrite, error or ignore.")
    var mode: String = "append"

    @OptionGroup var s3: S3Options

    func run() throws {
      s3.apply()
      try reportingErrors {
        guard case .date(let startDay) = try ScalarValue.parse(start, as: .date) else {
          throw ValidationError("--start must be a date YYYY-MM-DD")
        }
        guard let saveMode = SaveMode(rawValue: mode) else {
          throw ValidationError("--mode must be append, overwrite, error or ignore")
        }
        var generator = NetflowGenerator(rows: rows, seed: seed, startDay: Int64(startDay), days: days)
        var options = WriteOptions(mode: saveMode)
        options.partitionBy = ["year", "month", "day"]
        let writer = try TableWriter(path: table, schema: NetflowGenerator.schema, options: options)
        while let batch = generator.next() { try writer.write(batch) }
        let result = try writer.commit()
        var out = StandardOutput()
        out.write(
          "wrote \(result.rowsWritten) rows in \(result.filesAdded) files to \(table) (version \(result.version.map(String.init) ?? "none"))\n")
        out.flush()
      }
    }
  }
}

/// Parsing of the CLI's schema, list and predicate texts.
enum WriteArguments {
  static func list(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
  }

  /// `a long, b decimal(10,2) not null, …`
  static func parse(_ text: String) throws -> Schema {
    var parts: [String] = []
    var depth = 0
    var current = ""
    for character in text {
      if character == "(" { depth += 1 }
      if character == ")" { depth -= 1 }
      if character == ",", depth == 0 {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    var fields: [Field] = []
    for part in parts {
      var words = part.trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      var nullable = true
      if words.count >= 3, words[words.count - 2].lowercased() == "not", words.last?.lowercased() == "null" {
        nullable = false
        words.removeLast(2)
      }
      guard words.count >= 2, let type = DeltaSchema.primitive(words.dropFirst().joined().lowercased()) else {
        throw ValidationError("cannot read column '\(part.trimmed)': expected 'name type' with a Delta type name")
      }
      fields.append(Field(words[0], type, nullable: nullable))
    }
    return Schema(fields)
  }

  /// `col = 'v' AND other = 3`: conjunctions of equalities on partition columns.
  static func predicate(_ text: String) throws -> Predicate {
    var terms: [Predicate] = []
    for clause in text.components(separatedBy: " AND ") + [] {
      let sides = clause.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
      guard sides.count == 2, !sides[0].isEmpty else {
        throw ValidationError("--replace-where supports \"col = value AND …\"; cannot read '\(clause)'")
      }
      var literal = sides[1]
      let value: ScalarValue
      if literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 {
        literal = String(literal.dropFirst().dropLast())
        value = .string(literal)
      } else if let number = Int64(literal) {
        value = .int64(number)
      } else {
        value = .string(literal)
      }
      terms.append(.comparison([sides[0]], .equal, value))
    }
    return terms.count == 1 ? terms[0] : .and(terms)
  }
}

extension String {
  fileprivate var trimmed: String {
    var text = Substring(self)
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return String(text)
  }

  fileprivate func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let range = rest.range(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}
