import Columnar

/// The records of one table waiting for the next commit, kept column by column as decoded
/// values until ``build(tableSchema:partitionColumns:)`` settles each column's type.
struct TableBatch {
  private(set) var rowCount = 0
  /// Column names in order of first appearance.
  private(set) var names: [String] = []
  private var slots: [String: Int] = [:]
  private var foldedNames: [String: String] = [:]
  private var columns: [[FieldValue]] = []
  /// Each row's event time (the arrival time when the record had none).
  private(set) var eventTimes: [Int64] = []
  /// Each row's unit (an index into the batch's raw units, for dead letters).
  private(set) var units: [Int] = []

  /// The field names of the last record and their slots: records of one source mostly share
  /// their shape, and comparing names (often the same string storage) is cheaper than hashing them.
  private var shapeNames: [String] = []
  private var shapeSlots: [Int] = []

  /// Adds a record, moving its values out (it is left with nulls); returns why it cannot be
  /// added (two names that differ only by case), leaving it as it was.
  mutating func append(_ record: inout DecodedRecord, unit: Int, arrival: Int64) -> String? {
    if !hasShape(record) {
      for field in record.fields where slots[field.name] == nil {
        if let other = foldedNames[field.name.lowercased()], other != field.name {
          return "column '\(field.name)' differs only by case from column '\(other)'"
        }
      }
      shapeNames = record.fields.map(\.name)
      shapeSlots = record.fields.map { field in
        if let known = slots[field.name] { return known }
        let slot = columns.count
        slots[field.name] = slot
        foldedNames[field.name.lowercased()] = field.name
        names.append(field.name)
        columns.append([])
        columns[slot].reserveCapacity(max(rowCount + 1, 1024))
        return slot
      }
    }
    for index in record.fields.indices {
      let slot = shapeSlots[index]
      if columns[slot].count < rowCount {
        columns[slot].append(contentsOf: repeatElement(.null, count: rowCount - columns[slot].count))
      }
      if columns[slot].count == rowCount {
        // Moved, not copied: no reference counting of the strings inside.
        var value = FieldValue.null
        swap(&value, &record.fields[index].value)
        columns[slot].append(value)
      }
    }
    eventTimes.append(record.eventTime ?? arrival)
    units.append(unit)
    rowCount += 1
    return nil
  }

  private func hasShape(_ record: DecodedRecord) -> Bool {
    guard record.fields.count == shapeNames.count else { return false }
    for (index, field) in record.fields.enumerated() where field.name != shapeNames[index] { return false }
    return true
  }

  /// Drops the given rows.
  mutating func remove(rows: Set<Int>) {
    guard !rows.isEmpty else { return }
    func keep<T>(_ values: [T]) -> [T] {
      var kept: [T] = []
      kept.reserveCapacity(values.count - rows.count)
      for (row, value) in values.enumerated() where !rows.contains(row) { kept.append(value) }
      return kept
    }
    for slot in columns.indices {
      pad(slot)
      columns[slot] = keep(columns[slot])
    }
    eventTimes = keep(eventTimes)
    units = keep(units)
    rowCount -= rows.count
  }

  private mutating func pad(_ slot: Int) {
    if columns[slot].count < rowCount {
      columns[slot].append(contentsOf: repeatElement(.null, count: rowCount - columns[slot].count))
    }
  }

  /// The rows as one record batch: columns the table has take its types, new columns get the
  /// types their values share, and the event-time columns among `partitionColumns` are
  /// computed. Returns the batch and the units of the rows that do not fit (the batch holds none of them).
  mutating func build(tableSchema: Schema?, partitionColumns: [String]) throws -> (RecordBatch, [(unit: Int, message: String)]) {
    var rejected: [(unit: Int, message: String)] = []
    while true {
      var fields: [Field] = []
      var vectors: [ColumnVector] = []
      var failures: [(row: Int, message: String)] = []
      for slot in columns.indices {
        pad(slot)
        let name = names[slot]
        let type: DataType
        if let field = tableSchema?.fields.first(where: { $0.name == name }) {
          type = field.type
        } else if let inferred = ColumnTyping.inferType(columns[slot]) {
          if let other = tableSchema?.fields.first(where: { $0.name.lowercased() == name.lowercased() }) {
            for (row, value) in columns[slot].enumerated() where value.kind != nil {
              failures.append((row, "column '\(name)' differs only by case from the table's column '\(other.name)'"))
            }
            continue
          }
          type = inferred
        } else {
          continue
        }
        var conversion = ColumnConversion(name: name, type: type)
        vectors.append(conversion.convert(columns[slot]))
        fields.append(Field(name, type))
        failures.append(contentsOf: conversion.rejects)
      }
      for name in partitionColumns where Partitioning.computable.contains(name) && slots[name] == nil {
        guard let (field, vector) = Partitioning.column(name, times: eventTimes) else { continue }
        fields.append(field)
        vectors.append(vector)
      }
      if failures.isEmpty {
        let batch = try RecordBatch(schema: Schema(fields), columns: vectors, rowCount: rowCount)
        return (batch, rejected)
      }
      // Report each bad row once, by its unit, and build again without them.
      var seen = Set<Int>()
      for failure in failures where seen.insert(failure.row).inserted {
        rejected.append((units[failure.row], failure.message))
      }
      remove(rows: seen)
    }
  }
}
