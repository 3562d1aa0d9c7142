public import Columnar

/// Schema enforcement and evolution for writes: decides the table schema after a write and turns
/// each batch into that schema, or explains, before anything is written, why the data does not fit.
public enum SchemaEnforcement {
  /// The table schema a write of `data` into a table of schema `table` produces. With
  /// `mergeSchema`, new columns (nested struct fields too) are appended, a `void` table column takes
  /// the data's type, and narrower data (byte→short→int→long, float→double) is accepted and cast up.
  /// Without it, any difference but a missing nullable column is an error.
  public static func resultSchema(table: Schema, data: Schema, mergeSchema: Bool) throws(DeltaError) -> Schema {
    var problems: [String] = []
    let fields = merge(table.fields, data.fields, path: "", mergeSchema: mergeSchema, problems: &problems)
    if !problems.isEmpty {
      throw DeltaError(
        .schemaMismatch,
        "the data does not match the table schema:\n" + problems.map { "  - " + $0 }.joined(separator: "\n")
          + (mergeSchema ? "" : "\n(use mergeSchema to add columns)") + "\n" + sideBySide(table: table, data: data))
    }
    return Schema(fields, metadata: table.metadata)
  }

  /// Checks the data's own column names: no two may differ only by case.
  public static func checkNames(_ data: Schema) throws(DeltaError) {
    var seen: [String: String] = [:]
    for field in data.fields {
      if let other = seen[field.name.lowercased()] {
        throw DeltaError(
          .schemaMismatch, "the data has columns '\(other)' and '\(field.name)', which differ only by case")
      }
      seen[field.name.lowercased()] = field.name
    }
  }

  private static func merge(
    _ table: [Field], _ data: [Field], path: String, mergeSchema: Bool, problems: inout [String]
  ) -> [Field] {
    var result = table
    for field in data {
      let name = path + field.name
      if let index = table.firstIndex(where: { $0.name == field.name }) {
        result[index].type = mergeType(
          table[index].type, field.type, path: name, mergeSchema: mergeSchema, problems: &problems)
      } else if let other = table.first(where: { $0.name.lowercased() == field.name.lowercased() }) {
        problems.append("column '\(name)' differs only by case from the table's '\(path + other.name)'")
      } else if mergeSchema {
        var added = field
        added.nullable = true
        result.append(added)
      } else {
        problems.append("column '\(name)' (\(DeltaSchema.typeName(field.type))) is not in the table")
      }
    }
    for field in table where !field.nullable && !data.contains(where: { $0.name == field.name }) {
      problems.append("non-nullable column '\(path + field.name)' is missing from the data")
    }
    return result
  }

  private static func mergeType(
    _ table: DataType, _ data: DataType, path: String, mergeSchema: Bool, problems: inout [String]
  ) -> DataType {
    if table == data { return table }
    switch (table, data) {
    case (.structure(let tableFields), .structure(let dataFields)):
      return .structure(merge(tableFields, dataFields, path: path + ".", mergeSchema: mergeSchema, problems: &problems))
    case (.list(let t), .list(let d)):
      var element = t
      element.type = mergeType(t.type, d.type, path: path + ".element", mergeSchema: mergeSchema, problems: &problems)
      return .list(element)
    case (.map(let tk, let tv), .map(let dk, let dv)):
      var key = tk
      var value = tv
      key.type = mergeType(tk.type, dk.type, path: path + ".key", mergeSchema: mergeSchema, problems: &problems)
      value.type = mergeType(tv.type, dv.type, path: path + ".value", mergeSchema: mergeSchema, problems: &problems)
      return .map(key: key, value: value)
    case (_, .null):
      return table
    case (.null, _) where mergeSchema:
      return data
    default:
      if mergeSchema, isUpcast(from: data, to: table) { return table }
      problems.append(
        "column '\(path)' is \(DeltaSchema.typeName(data)) in the data but \(DeltaSchema.typeName(table)) in the table")
      return table
    }
  }

  /// Widening conversions applied to data on write: byte→short→int→long and float→double.
  static func isUpcast(from: DataType, to: DataType) -> Bool {
    let integers: [DataType] = [.int8, .int16, .int32, .int64]
    if let a = integers.firstIndex(of: from), let b = integers.firstIndex(of: to) { return a < b }
    return from == .float32 && to == .float64
  }

  /// The two schemas in two columns, for error messages.
  public static func sideBySide(table: Schema, data: Schema) -> String {
    func lines(_ schema: Schema) -> [String] {
      schema.fields.map { "\($0.name): \(DeltaSchema.typeName($0.type))\($0.nullable ? "" : " not null")" }
    }
    let left = ["table schema", "------------"] + lines(table)
    let right = ["data schema", "-----------"] + lines(data)
    let width = (left.map(\.count).max() ?? 0) + 2
    var out: [String] = []
    for index in 0..<max(left.count, right.count) {
      let l = index < left.count ? left[index] : ""
      let r = index < right.count ? right[index] : ""
      out.append("  " + l + String(repeating: " ", count: width - l.count) + "| " + r)
    }
    return out.joined(separator: "\n")
  }

  /// `batch` in the shape of `schema`: columns matched by name (exactly; the names were checked),
  /// missing ones filled with nulls, narrower types cast up; nulls in non-nullable columns rejected.
  public static func conform(_ batch: RecordBatch, to schema: Schema) throws(DeltaError) -> RecordBatch {
    let columns = try conformFields(
      schema.fields, from: batch.schema.fields, columns: batch.columns, count: batch.rowCount, path: "")
    do {
      return try RecordBatch(schema: schema, columns: columns, rowCount: batch.rowCount)
    } catch {
      throw DeltaError(.schemaMismatch, "\(error)")
    }
  }

  private static func conformFields(
    _ fields: [Field], from dataFields: [Field], columns: [ColumnVector], count: Int, path: String
  ) throws(DeltaError) -> [ColumnVector] {
    let caster = ColumnConformer(mode: .none, filePath: "")
    var result: [ColumnVector] = []
    result.reserveCapacity(fields.count)
    for field in fields {
      let name = path + field.name
      guard let index = dataFields.firstIndex(where: { $0.name == field.name }) else {
        if !field.nullable { throw DeltaError(.schemaMismatch, "non-nullable column '\(name)' is missing from the data") }
        result.append(.nulls(field.type, count: count))
        continue
      }
      var column = columns[index]
      if !field.nullable, column.nullCount > 0 {
        throw DeltaError(
          .schemaMismatch, "column '\(name)' is not nullable, but the data has \(column.nullCount) null value(s)")
      }
      switch (field.type, column.storage) {
      case (.structure(let children), .structure(let childColumns)):
        guard case .structure(let dataChildren) = column.type else { break }
        let conformed = try conformFields(
          children, from: dataChildren, columns: childColumns, count: column.count, path: name + ".")
        column = ColumnVector(
          type: field.type, count: column.count, validity: column.validity, storage: .structure(conformed))
      default:
        if column.type != field.type {
          column = try caster.conform(column, to: field, path: name)
        }
      }
      result.append(column)
    }
    return result
  }
}
