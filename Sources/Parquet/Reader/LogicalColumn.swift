public import Columnar

/// How a Parquet leaf's physical values become a Columnar type.
enum LeafConversion: Sendable, Equatable {
  case boolean
  case int32  // INT32 kept as is (int32, date)
  case int64  // INT64 kept as is (int64, timestamps, time in µs/ns)
  case int32Narrow  // INT32 → int8/int16/uint8/uint16
  case int32Unsigned  // INT32 → uint32
  case int64Unsigned  // INT64 → uint64
  case int32ToInt64  // INT32 time in milliseconds → time(ms) stored as Int64
  case float, double
  case int96Timestamp
  case decimalInt32, decimalInt64, decimalBytes
  case bytes  // BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY kept as offsets + bytes
  case float16Bits  // FIXED_LEN_BYTE_ARRAY(2) little-endian half floats
}

/// A leaf column of the file: where it sits in the schema and how to decode it.
struct ColumnDescriptor: Sendable {
  /// Position among the file's leaf columns (the column chunk index in each row group).
  var index: Int
  /// Dotted path of the leaf in the Parquet schema, for messages.
  var path: [String]
  var physicalType: PhysicalType
  var typeLength: Int
  var maxDefinitionLevel: Int
  var maxRepetitionLevel: Int
  var type: DataType
  var conversion: LeafConversion
}

/// The Parquet schema folded into Columnar's nesting: structs, lists and maps, each knowing the
/// definition level at which it is present and, for lists and maps, the repetition level of the
/// repeated group (Dremel's encoding, see the reader's `RecordAssembler`).
indirect enum LogicalColumn: Sendable {
  /// A value of `leaf`, non-null when the definition level reaches `present`.
  case leaf(field: Field, leaf: Int, present: Int)
  case structure(field: Field, children: [LogicalColumn], present: Int)
  /// Non-null at `present`; has at least one element at `hasElements`; elements repeat at `repetition`.
  case list(field: Field, element: LogicalColumn, present: Int, hasElements: Int, repetition: Int)
  case map(field: Field, key: LogicalColumn, value: LogicalColumn, present: Int, hasElements: Int, repetition: Int)

  var field: Field {
    switch self {
    case .leaf(let field, _, _), .structure(let field, _, _), .list(let field, _, _, _, _),
      .map(let field, _, _, _, _, _):
      field
    }
  }

  var present: Int {
    switch self {
    case .leaf(_, _, let present), .structure(_, _, let present), .list(_, _, let present, _, _),
      .map(_, _, _, let present, _, _):
      present
    }
  }

  /// The leaf columns below this node, in schema order.
  var leaves: [Int] {
    switch self {
    case .leaf(_, let leaf, _): [leaf]
    case .structure(_, let children, _): children.flatMap(\.leaves)
    case .list(_, let element, _, _, _): element.leaves
    case .map(_, let key, let value, _, _, _): key.leaves + value.leaves
    }
  }
}
