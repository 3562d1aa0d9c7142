import Columnar

/// One leaf column of the Parquet schema as the writer sees it: where its values live in a
/// record batch, its levels, its physical type and how its values are ordered.
struct LeafColumn: Sendable {
  /// The names from the top-level field down to the leaf, as `ColumnMetaData.path_in_schema`.
  var path: [String]
  /// The index of the top-level field in the schema.
  var fieldIndex: Int
  /// How to walk from the top-level column vector down to the leaf vector, one step per node.
  var steps: [ShredStep]
  /// The Columnar type of the leaf.
  var type: DataType
  var physicalType: PhysicalType
  /// The byte width of FIXED_LEN_BYTE_ARRAY values, 0 otherwise.
  var typeLength: Int
  var maxDefinitionLevel: Int16
  var maxRepetitionLevel: Int16
  /// How min/max statistics compare values.
  var order: ValueOrder
  /// True when the deprecated `min`/`max` statistics (signed order) agree with the logical order.
  var writesLegacyStatistics: Bool

  /// The dotted path, for error messages.
  var dottedPath: String { path.joined(separator: ".") }

  /// True for a top-level primitive column: no nesting, levels straight from the validity bitmap.
  var isFlat: Bool { steps.count == 1 }
}

/// How a leaf's statistics order its values.
enum ValueOrder: Sendable, Equatable {
  /// false < true.
  case boolean
  /// Two's complement integers.
  case signed
  /// Integers compared as unsigned (UINT_32, UINT_64).
  case unsigned
  /// IEEE floats, NaN ignored, -0.0 < +0.0 for the written bounds.
  case float
  /// FLOAT16: 2-byte little-endian halves, ordered as `.float`.
  case float16
  /// Bytes compared lexicographically as unsigned (strings, binary, UUID).
  case unsignedBytes
  /// Big-endian two's complement bytes of equal width, compared numerically (FLBA decimals).
  case signedBigEndian
  /// No order: the null type, whose values are all null.
  case none
}

/// One node on the path from a top-level column to a leaf.
struct ShredStep: Sendable {
  enum Kind: Sendable, Equatable {
    /// The leaf itself.
    case leaf
    /// A struct; the path continues into child `index`.
    case structure(child: Int)
    /// A list; the path continues into its element vector.
    case list
    /// A map; the path continues into its key vector.
    case mapKeys
    /// A map; the path continues into its value vector.
    case mapValues
  }

  var kind: Kind
  /// The field's name, for error messages.
  var name: String
  /// True when the node is OPTIONAL in the Parquet schema.
  var nullable: Bool
  /// The definition level of an entry that is null at this node.
  var nullLevel: Int16
  /// The definition level of an entry where this node is present (for a list or map, present
  /// but empty).
  var presentLevel: Int16
  /// The repetition level entries of this node start with: the number of repeated ancestors.
  var repetitionLevel: Int16
}
