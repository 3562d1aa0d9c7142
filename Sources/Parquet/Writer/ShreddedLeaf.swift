import Columnar

/// The Dremel shredding of one leaf over a range of rows: definition levels, repetition levels
/// and where the non-null values are in the leaf vector.
///
/// A value is reused from slice to slice so that its buffers keep their capacity.
struct ShreddedLeaf {
  /// The rows this shredding covers.
  var rowCount = 0
  /// The number of levels (one per leaf slot: value, null or empty list).
  var levelCount = 0
  /// One per level; empty when the leaf's maximum definition level is 0 or when
  /// ``allDefined`` is set.
  var definitionLevels: [Int16] = []
  /// Every level is the maximum definition level (a flat optional column without nulls):
  /// ``definitionLevels`` is left empty.
  var allDefined = false
  /// One per level; empty when the leaf's maximum repetition level is 0.
  var repetitionLevels: [Int16] = []
  /// The positions in ``leaf`` of the non-null values, in order, unless ``contiguousValues``
  /// is set.
  var valuePositions: [Int32] = []
  /// The non-null values are exactly `leaf[contiguousValues]` (flat columns without nulls).
  var contiguousValues: Range<Int>?
  /// The number of non-null values.
  var valueCount = 0
  /// The number of levels below the maximum definition level (nulls and empty lists).
  var nullCount = 0
  /// The vector the values come from.
  var leaf = ColumnVector(type: .null, count: 0, storage: .none)

  /// Shreds `rows` of `column` (the top-level vector of `plan.fieldIndex`) along `plan.steps`.
  mutating func shred(_ column: ColumnVector, plan: LeafColumn, rows: Range<Int>) throws(ParquetError) {
    definitionLevels.removeAll(keepingCapacity: true)
    repetitionLevels.removeAll(keepingCapacity: true)
    valuePositions.removeAll(keepingCapacity: true)
    contiguousValues = nil
    allDefined = false
    valueCount = 0
    nullCount = 0
    rowCount = rows.count
    guard rows.lowerBound >= 0, rows.upperBound <= column.count else {
      throw ParquetError(
        .invalidArgument, "rows \(rows) are outside column '\(plan.dottedPath)' of \(column.count) rows")
    }
    if plan.isFlat {
      try shredFlat(column, plan: plan, rows: rows)
    } else {
      var walker = try LevelWalker(column, plan: plan)
      try walker.write(depth: 0, rows, into: &self)
      leaf = walker.nodes[walker.nodes.count - 1].vector
    }
    levelCount = plan.maxDefinitionLevel > 0 && !allDefined ? definitionLevels.count : rowCount
    if plan.maxRepetitionLevel == 0 { repetitionLevels.removeAll(keepingCapacity: true) }
  }

  /// A top-level primitive: levels (if any) come from the validity bitmap.
  private mutating func shredFlat(_ column: ColumnVector, plan: LeafColumn, rows: Range<Int>) throws(ParquetError) {
    leaf = column
    let step = plan.steps[0]
    if case .none = column.storage {
      definitionLevels.append(contentsOf: repeatElement(0, count: rows.count))
      nullCount = rows.count
      return
    }
    guard step.nullable else {
      if let validity = column.validity, let row = Self.firstNull(validity, rows) {
        throw ParquetError(
          .invalidArgument, "column '\(plan.dottedPath)' is not nullable but row \(row) is null")
      }
      contiguousValues = rows
      valueCount = rows.count
      return
    }
    guard let validity = column.validity else {
      allDefined = true
      contiguousValues = rows
      valueCount = rows.count
      return
    }
    let count = rows.count
    let start = rows.lowerBound
    var found = 0
    validity.words.withUnsafeBufferPointer { words in
      definitionLevels = [Int16](unsafeUninitializedCapacity: count) { defs, defsInitialized in
        valuePositions = [Int32](unsafeUninitializedCapacity: count) { positions, positionsInitialized in
          for index in 0..<count {
            let row = start + index
            let bit = Int((words[row &>> 6] &>> UInt64(row & 63)) & 1)
            defs[index] = Int16(truncatingIfNeeded: bit)
            positions[found] = Int32(truncatingIfNeeded: row)
            found &+= bit
          }
          positionsInitialized = found
        }
        defsInitialized = count
      }
    }
    valueCount = found
    nullCount = count - found
  }

  /// The first null row of `rows`, if any.
  static func firstNull(_ validity: Bitmap, _ rows: Range<Int>) -> Int? {
    for row in rows where !validity[row] { return row }
    return nil
  }
}

/// Walks a nested column from the top-level vector down to one leaf, writing levels as it goes
/// (as arrow-rs's level builder): a node writes the levels of its null or empty entries itself
/// and hands ranges of present entries to its child, so the leaf appends whole ranges at once.
private struct LevelWalker {
  struct Node {
    var step: ShredStep
    var vector: ColumnVector
    var validity: Bitmap?
    var offsets: [Int32]
  }

  var nodes: [Node] = []
  let plan: LeafColumn

  init(_ column: ColumnVector, plan: LeafColumn) throws(ParquetError) {
    self.plan = plan
    var vector = column
    nodes.reserveCapacity(plan.steps.count)
    for step in plan.steps {
      var offsets: [Int32] = []
      var child: ColumnVector?
      switch (step.kind, vector.storage) {
      case (.leaf, _): break
      case (.structure(let index), .structure(let children)) where index < children.count:
        child = children[index]
      case (.list, .list(let listOffsets, let values)):
        offsets = listOffsets
        child = values
      case (.mapKeys, .map(let mapOffsets, let keys, _)):
        offsets = mapOffsets
        child = keys
      case (.mapValues, .map(let mapOffsets, _, let values)):
        offsets = mapOffsets
        child = values
      default:
        throw ParquetError(
          .invalidArgument, "column '\(plan.dottedPath)': vector storage does not match its type at '\(step.name)'")
      }
      if step.kind.isRepeated, offsets.count < vector.count + 1 {
        throw ParquetError(
          .invalidArgument,
          "column '\(plan.dottedPath)': '\(step.name)' has \(offsets.count) offsets for \(vector.count) rows")
      }
      var validity = vector.validity
      if case .none = vector.storage { validity = Bitmap(repeating: false, count: vector.count) }
      nodes.append(Node(step: step, vector: vector, validity: validity, offsets: offsets))
      if let child { vector = child }
    }
  }

  func nullError(_ step: ShredStep, row: Int) -> ParquetError {
    ParquetError(
      .invalidArgument, "column '\(plan.dottedPath)': '\(step.name)' is not nullable but entry \(row) is null")
  }

  /// Writes the levels of entries `range` of node `depth`.
  mutating func write(depth: Int, _ range: Range<Int>, into out: inout ShreddedLeaf) throws(ParquetError) {
    let node = nodes[depth]
    let step = node.step
    guard range.upperBound <= node.vector.count else {
      throw ParquetError(
        .invalidArgument,
        "column '\(plan.dottedPath)': offsets reach entry \(range.upperBound) of '\(step.name)' which has \(node.vector.count)"
      )
    }
    if let validity = node.validity, !step.nullable, let row = ShreddedLeaf.firstNull(validity, range) {
      throw nullError(step, row: row)
    }
    switch step.kind {
    case .leaf:
      writeLeaf(node, range, into: &out)
    case .structure:
      guard let validity = node.validity, step.nullable else {
        try write(depth: depth + 1, range, into: &out)
        return
      }
      var row = range.lowerBound
      while row < range.upperBound {
        if validity[row] {
          var end = row + 1
          while end < range.upperBound && validity[end] { end += 1 }
          try write(depth: depth + 1, row..<end, into: &out)
          row = end
        } else {
          appendAbsent(level: step.nullLevel, repetition: step.repetitionLevel, into: &out)
          row += 1
        }
      }
    case .list, .mapKeys, .mapValues:
      try writeRepeated(depth: depth, node, range, into: &out)
    }
  }

  private mutating func writeRepeated(depth: Int, _ node: Node, _ range: Range<Int>, into out: inout ShreddedLeaf)
    throws(ParquetError)
  {
    let step = node.step
    let childIsLeaf = depth + 1 == nodes.count - 1
    var row = range.lowerBound
    while row < range.upperBound {
      if let validity = node.validity, !validity[row] {
        appendAbsent(level: step.nullLevel, repetition: step.repetitionLevel, into: &out)
        row += 1
        continue
      }
      let start = Int(node.offsets[row])
      let end = Int(node.offsets[row + 1])
      guard start <= end, start >= 0 else {
        throw ParquetError(
          .invalidArgument, "column '\(plan.dottedPath)': '\(step.name)' offsets decrease at entry \(row)")
      }
      if start == end {
        appendAbsent(level: step.presentLevel, repetition: step.repetitionLevel, into: &out)
        row += 1
        continue
      }
      if childIsLeaf {
        // Every child entry is one level: take the run of present, non-empty entries at once.
        var runEnd = row + 1
        var childEnd = end
        while runEnd < range.upperBound {
          if let validity = node.validity, !validity[runEnd] { break }
          let nextStart = Int(node.offsets[runEnd])
          let nextEnd = Int(node.offsets[runEnd + 1])
          guard nextStart == childEnd, nextEnd > nextStart else { break }
          childEnd = nextEnd
          runEnd += 1
        }
        let mark = out.repetitionLevels.count
        try write(depth: depth + 1, start..<childEnd, into: &out)
        for entry in row..<runEnd {
          out.repetitionLevels[mark + Int(node.offsets[entry]) - start] = step.repetitionLevel
        }
        row = runEnd
      } else {
        let mark = out.repetitionLevels.count
        try write(depth: depth + 1, start..<end, into: &out)
        out.repetitionLevels[mark] = step.repetitionLevel
        row += 1
      }
    }
  }

  private func appendAbsent(level: Int16, repetition: Int16, into out: inout ShreddedLeaf) {
    out.definitionLevels.append(level)
    out.repetitionLevels.append(repetition)
    out.nullCount += 1
  }

  private func writeLeaf(_ node: Node, _ range: Range<Int>, into out: inout ShreddedLeaf) {
    let step = node.step
    let count = range.count
    out.repetitionLevels.append(contentsOf: repeatElement(step.repetitionLevel, count: count))
    if let validity = node.validity, step.nullable {
      for row in range {
        if validity[row] {
          out.definitionLevels.append(step.presentLevel)
          out.valuePositions.append(Int32(truncatingIfNeeded: row))
        } else {
          out.definitionLevels.append(step.nullLevel)
          out.nullCount += 1
        }
      }
    } else {
      out.definitionLevels.append(contentsOf: repeatElement(step.presentLevel, count: count))
      out.valuePositions.append(contentsOf: range.lazy.map { Int32(truncatingIfNeeded: $0) })
    }
    out.valueCount = out.valuePositions.count
  }
}

extension ShredStep.Kind {
  fileprivate var isRepeated: Bool {
    switch self {
    case .list, .mapKeys, .mapValues: true
    case .leaf, .structure: false
    }
  }
}
