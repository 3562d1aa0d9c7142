import ArgumentParser
import Columnar
import Parquet

/// `avocet parquet …`: look inside Parquet files.
struct ParquetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parquet", abstract: "Inspect Parquet files.",
    subcommands: [ParquetSchemaCommand.self, ParquetMetaCommand.self])
}

/// `avocet parquet schema FILE`.
struct ParquetSchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema", abstract: "Print the Parquet schema and the columns Avocet reads from it.")

  @Argument(help: "The Parquet file.")
  var path: String

  func run() throws {
    try reportingErrors {
      let reader = try ParquetFileReader.open(path)
      var out = StandardOutput()
      out.write(SchemaText.parquet(reader.metadata.schema))
      out.write("\ncolumns:\n")
      for field in reader.schema.schema.fields {
        out.write("  \(field.name): \(SchemaText.type(field.type))\(field.nullable ? "" : " not null")\n")
      }
      out.flush()
    }
  }
}

/// `avocet parquet meta FILE`.
struct ParquetMetaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "meta",
    abstract: "Print file metadata: row groups, column chunks, encodings, codecs, sizes and statistics.")

  @Argument(help: "The Parquet file.")
  var path: String

  func run() throws {
    try reportingErrors {
      let reader = try ParquetFileReader.open(path)
      var out = StandardOutput()
      let meta = reader.metadata
      out.write("file: \(path)\n")
      out.write("size: \(reader.file.size) bytes\n")
      out.write("created by: \(meta.createdBy ?? "unknown")\n")
      out.write("format version: \(meta.version)\n")
      out.write("rows: \(meta.numRows)\n")
      out.write("row groups: \(meta.rowGroups.count)\n")
      for pair in meta.keyValueMetadata ?? [] {
        let value = pair.value ?? ""
        let shown = value.count > 200 ? String(value.prefix(200)) + "… (\(value.utf8.count) bytes)" : value
        out.write("metadata \(pair.key): \(shown)\n")
      }
      for (index, group) in meta.rowGroups.enumerated() {
        out.write(
          "\nrow group \(index): \(group.numRows) rows, \(group.totalByteSize) bytes uncompressed"
            + (group.totalCompressedSize.map { ", \($0) compressed" } ?? "") + "\n")
        for (leaf, chunk) in group.columns.enumerated() {
          guard let column = chunk.metaData else {
            out.write("  column \(leaf): no metadata\n")
            continue
          }
          let encodings = column.encodings.map(\.description).joined(separator: ",")
          out.write(
            "  \(column.pathInSchema.joined(separator: ".")): \(column.type) \(column.codec) [\(encodings)] "
              + "values=\(column.numValues) compressed=\(column.totalCompressedSize) "
              + "uncompressed=\(column.totalUncompressedSize)\n")
          let stats = reader.statistics(rowGroup: index, leaf: leaf).description
          if !stats.isEmpty { out.write("    stats: \(stats)\n") }
        }
      }
      out.flush()
    }
  }
}

/// Text forms of schemas.
enum SchemaText {
  /// The Parquet schema in the `message … { … }` notation of parquet-mr.
  static func parquet(_ elements: [SchemaElement]) -> String {
    var text = ""
    var position = 0
    func emit(depth: Int) {
      guard position < elements.count else { return }
      let element = elements[position]
      position += 1
      let indent = String(repeating: "  ", count: depth)
      var annotation = ""
      if let logical = element.logicalType {
        annotation = " (\(logical))"
      } else if let converted = element.convertedType {
        annotation = " (\(converted))"
      }
      let fieldID = element.fieldID.map { " = \($0)" } ?? ""
      if depth == 0 {
        text += "message \(element.name) {\n"
      } else if element.type == nil {
        text += "\(indent)\(element.repetitionType.map { "\($0)" } ?? "required") group \(element.name)\(annotation)\(fieldID) {\n"
      } else {
        var physical = element.type.map { "\($0)" } ?? "?"
        if let length = element.typeLength, element.type == .fixedLenByteArray { physical += "(\(length))" }
        text += "\(indent)\(element.repetitionType.map { "\($0)" } ?? "required") \(physical) \(element.name)\(annotation)\(fieldID);\n"
        return
      }
      for _ in 0..<Int(element.numChildren ?? 0) { emit(depth: depth + 1) }
      text += "\(indent)}\n"
    }
    emit(depth: 0)
    return text
  }

  /// A Columnar type in SQL-like notation.
  static func type(_ type: DataType) -> String {
    switch type {
    case .null: "null"
    case .boolean: "boolean"
    case .int8: "tinyint"
    case .int16: "smallint"
    case .int32: "int"
    case .int64: "bigint"
    case .uint8: "utinyint"
    case .uint16: "usmallint"
    case .uint32: "uint"
    case .uint64: "ubigint"
    case .float16: "half"
    case .float32: "float"
    case .float64: "double"
    case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
    case .string: "string"
    case .binary: "binary"
    case .fixedBinary(let width): "fixed_binary(\(width))"
    case .uuid: "uuid"
    case .date: "date"
    case .time(let unit): "time(\(unit.rawValue))"
    case .timestamp(let unit, let utc):
      (utc ? "timestamp" : "timestamp_ntz") + (unit == .microsecond ? "" : "(\(unit.rawValue))")
    case .structure(let fields):
      "struct<" + fields.map { "\($0.name): \(Self.type($0.type))" }.joined(separator: ", ") + ">"
    case .list(let element): "array<\(Self.type(element.type))>"
    case .map(let key, let value): "map<\(Self.type(key.type)), \(Self.type(value.type))>"
    }
  }
}
