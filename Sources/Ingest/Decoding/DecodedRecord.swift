/// One record a decoder produced: named values, the table it belongs to and its event time.
public struct DecodedRecord: Sendable, Equatable {
  /// The sub-table under the target (an osquery query name); nil for the target table itself.
  public var table: String?
  /// Values in the decoder's column order; a name appears at most once.
  public var fields: [DecodedField]
  /// The record's own time in microseconds since the epoch (it picks the event-time partition);
  /// nil when the record has none.
  public var eventTime: Int64?

  public init(table: String? = nil, fields: [DecodedField] = [], eventTime: Int64? = nil) {
    self.table = table
    self.fields = fields
    self.eventTime = eventTime
  }

  /// The value named `name`, if present.
  public subscript(name: String) -> FieldValue? {
    for field in fields where field.name == name { return field.value }
    return nil
  }

  public mutating func append(_ name: String, _ value: FieldValue) {
    fields.append(DecodedField(name, value))
  }
}

/// A named value of a ``DecodedRecord``.
public struct DecodedField: Sendable, Equatable {
  public var name: String
  public var value: FieldValue

  public init(_ name: String, _ value: FieldValue) {
    self.name = name
    self.value = value
  }
}
