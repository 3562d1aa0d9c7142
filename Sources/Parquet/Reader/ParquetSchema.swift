public import Columnar

/// A file's schema: the flat Parquet schema elements folded into Columnar fields, plus the leaf
/// columns the column chunks hold, each with its definition and repetition levels.
public struct ParquetSchema: Sendable {
  /// The file's columns as Columnar fields.
  public let schema: Schema
  let columns: [LogicalColumn]
  let leaves: [ColumnDescriptor]

  /// Folds `elements` (root first, depth-first, as in `FileMetaData.schema`).
  public init(elements: [SchemaElement]) throws(ParquetError) {
    guard let root = elements.first else { throw ParquetError(.corrupt, "the schema has no root element") }
    var position = 1
    let tree = try RawNode.parse(root, elements: elements, position: &position, depth: 0)
    guard position == elements.count else {
      throw ParquetError(.corrupt, "the schema has \(elements.count - position) elements not reachable from the root")
    }
    var folder = SchemaFolder()
    var columns: [LogicalColumn] = []
    for child in tree.children {
      columns.append(try folder.fold(child, parentDefinition: 0, parentRepetition: 0, path: []))
    }
    self.columns = columns
    self.leaves = folder.leaves
    self.schema = Schema(columns.map(\.field))
  }
}

/// A schema element with its children attached.
private struct RawNode {
  var element: SchemaElement
  var children: [RawNode]

  var isGroup: Bool { element.numChildren != nil && element.type == nil }

  static func parse(_ element: SchemaElement, elements: [SchemaElement], position: inout Int, depth: Int)
    throws(ParquetError) -> RawNode
  {
    guard depth < 128 else { throw ParquetError(.corrupt, "the schema nests deeper than 128 levels") }
    let childCount = Int(element.numChildren ?? 0)
    guard childCount >= 0, childCount <= elements.count - position else {
      throw ParquetError(
        .corrupt, "schema element '\(element.name)' claims \(childCount) children but \(elements.count - position) elements remain")
    }
    var children: [RawNode] = []
    children.reserveCapacity(childCount)
    for _ in 0..<childCount {
      let child = elements[position]
      position += 1
      children.append(try parse(child, elements: elements, position: &position, depth: depth + 1))
    }
    return RawNode(element: element, children: children)
  }
}

/// Walks the raw tree, assigning leaf indices in depth-first order (the column chunk order).
private struct SchemaFolder {
  var leaves: [ColumnDescriptor] = []

  mutating func fold(_ node: RawNode, parentDefinition: Int, parentRepetition: Int, path: [String])
    throws(ParquetError) -> LogicalColumn
  {
    let path = path + [node.element.name]
    switch node.element.repetitionType ?? .required {
    case .repeated:
      // A repeated field outside a LIST annotation is a list of required elements.
      let definition = parentDefinition + 1
      let repetition = parentRepetition + 1
      let element = try foldValue(node, definition: definition, repetition: repetition, nullable: false, path: path)
      let field = Field(node.element.name, .list(element.field), nullable: false, fieldID: node.element.fieldID)
      return .list(
        field: field, element: element, present: parentDefinition, hasElements: definition, repetition: repetition)
    case .optional:
      return try foldValue(
        node, definition: parentDefinition + 1, repetition: parentRepetition, nullable: true, path: path)
    case .required:
      return try foldValue(node, definition: parentDefinition, repetition: parentRepetition, nullable: false, path: path)
    }
  }

  /// Folds `node` as one value whose own level contribution is already in `definition`/`repetition`.
  mutating func foldValue(_ node: RawNode, definition: Int, repetition: Int, nullable: Bool, path: [String])
    throws(ParquetError) -> LogicalColumn
  {
    let element = node.element
    let name = element.name
    guard node.isGroup else {
      let (type, conversion) = try LeafTyping.type(of: element, path: path)
      let leaf = ColumnDescriptor(
        index: leaves.count, path: path, physicalType: element.type ?? .boolean,
        typeLength: Int(element.typeLength ?? 0), maxDefinitionLevel: definition, maxRepetitionLevel: repetition,
        type: type, conversion: conversion)
      leaves.append(leaf)
      let field = Field(name, type, nullable: nullable, fieldID: element.fieldID)
      return .leaf(field: field, leaf: leaf.index, present: definition)
    }
    if Self.isList(element) {
      guard node.children.count == 1, let repeated = node.children.first,
        repeated.element.repetitionType == .repeated
      else {
        throw ParquetError(.corrupt, "LIST group '\(path.joined(separator: "."))' must have exactly one repeated child")
      }
      let elementDefinition = definition + 1
      let elementRepetition = repetition + 1
      let elementColumn: LogicalColumn
      // Backward-compatibility rules of LogicalTypes.md: which node is the element.
      if !repeated.isGroup || repeated.children.count > 1 || repeated.element.name == "array"
        || repeated.element.name == name + "_tuple"
      {
        elementColumn = try foldValue(
          repeated, definition: elementDefinition, repetition: elementRepetition, nullable: false,
          path: path + [repeated.element.name])
      } else {
        guard let inner = repeated.children.first else {
          throw ParquetError(.corrupt, "LIST group '\(path.joined(separator: "."))' has an empty repeated group")
        }
        elementColumn = try fold(
          inner, parentDefinition: elementDefinition, parentRepetition: elementRepetition,
          path: path + [repeated.element.name])
      }
      let field = Field(name, .list(elementColumn.field), nullable: nullable, fieldID: element.fieldID)
      return .list(
        field: field, element: elementColumn, present: definition, hasElements: elementDefinition,
        repetition: elementRepetition)
    }
    if Self.isMap(element) {
      guard node.children.count == 1, let entries = node.children.first,
        entries.element.repetitionType == .repeated, entries.isGroup, entries.children.count == 2
      else {
        throw ParquetError(
          .unsupported, "MAP group '\(path.joined(separator: "."))' must have one repeated group of a key and a value")
      }
      let entryDefinition = definition + 1
      let entryRepetition = repetition + 1
      let entryPath = path + [entries.element.name]
      let key = try fold(
        entries.children[0], parentDefinition: entryDefinition, parentRepetition: entryRepetition, path: entryPath)
      let value = try fold(
        entries.children[1], parentDefinition: entryDefinition, parentRepetition: entryRepetition, path: entryPath)
      let field = Field(name, .map(key: key.field, value: value.field), nullable: nullable, fieldID: element.fieldID)
      return .map(
        field: field, key: key, value: value, present: definition, hasElements: entryDefinition,
        repetition: entryRepetition)
    }
    guard !node.children.isEmpty else {
      throw ParquetError(.unsupported, "group '\(path.joined(separator: "."))' has no fields")
    }
    var children: [LogicalColumn] = []
    for child in node.children {
      children.append(try fold(child, parentDefinition: definition, parentRepetition: repetition, path: path))
    }
    let field = Field(name, .structure(children.map(\.field)), nullable: nullable, fieldID: element.fieldID)
    return .structure(field: field, children: children, present: definition)
  }

  static func isList(_ element: SchemaElement) -> Bool {
    if case .list = element.logicalType { return true }
    return element.convertedType == .list
  }

  static func isMap(_ element: SchemaElement) -> Bool {
    if case .map = element.logicalType { return true }
    return element.convertedType == .map || element.convertedType == .mapKeyValue
  }
}
