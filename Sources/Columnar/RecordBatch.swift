/// A set of equally long columns described by a schema: the unit every operator works on.
public struct RecordBatch: Sendable {
  public var schema: Schema
  public var columns: [ColumnVector]
  public var rowCount: Int

  /// Builds a batch, checking that there is one column per field and all have `rowCount` rows.
  public init(schema: Schema, columns: [ColumnVector], rowCount: Int) throws(ColumnarError) {
    guard schema.fields.count == columns.count else {
      throw ColumnarError("record batch has \(columns.count) columns for \(schema.fields.count) fields")
    }
    for (field, column) in zip(schema.fields, columns) where column.count != rowCount {
      throw ColumnarError("column '\(field.name)' has \(column.count) rows, expected \(rowCount)")
    }
    self.schema = schema
    self.columns = columns
    self.rowCount = rowCount
  }

  /// The column named `name`, if any.
  public func column(named name: String) -> ColumnVector? {
    schema.index(of: name).map { columns[$0] }
  }
}

/// An inconsistency in columnar data: mismatched lengths, a type that does not fit its storage.
public struct ColumnarError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
