import Columnar

/// One leaf column chunk, decoded: its levels and its dense (non-null) values already in the
/// leaf's Columnar type.
struct LeafData: Sendable {
  var levelCount: Int
  /// Nil when the leaf's maximum definition level is 0 (no level can be absent).
  var definitionLevels: [Int32]?
  /// Nil when the leaf's maximum repetition level is 0.
  var repetitionLevels: [Int32]?
  var values: ColumnVector
}

/// Which level entries of a leaf start the slots (values) of a node: every entry, or a list.
enum Slots {
  case all(Int)
  case entries([Int32])

  var count: Int {
    switch self {
    case .all(let count): count
    case .entries(let entries): entries.count
    }
  }
}

/// Rebuilds nested vectors from leaf levels (Dremel record assembly).
///
/// Each node's slots are a subset of each leaf's level entries: at the top, the entries with
/// repetition level 0 (one per row); below a list, the entries that start an element. A node is
/// non-null in a slot when the entry's definition level reaches the node's `present` level. Every
/// leaf below a node yields the same slots, so validity and offsets come from the first leaf and
/// each leaf carries its own entry positions down.
struct RecordAssembler {
  let leaves: [LeafData]
  let descriptions: [ColumnDescriptor]

  /// The top-level column `column` with `rowCount` rows.
  func assemble(_ column: LogicalColumn, rowCount: Int) throws(ParquetError) -> ColumnVector {
    var slots: [(leaf: Int, slots: Slots)] = []
    for leaf in column.leaves {
      let data = leaves[leaf]
      if let repetition = data.repetitionLevels {
        var entries: [Int32] = []
        entries.reserveCapacity(min(rowCount, repetition.count))
        for (index, level) in repetition.enumerated() where level == 0 { entries.append(Int32(index)) }
        slots.append((leaf, .entries(entries)))
      } else {
        slots.append((leaf, .all(data.levelCount)))
      }
      guard slots[slots.count - 1].slots.count == rowCount else {
        throw corrupt(leaf, "holds \(slots[slots.count - 1].slots.count) rows, the row group \(rowCount)")
      }
    }
    return try build(column, slots: slots)
  }

  private func build(_ column: LogicalColumn, slots: [(leaf: Int, slots: Slots)]) throws(ParquetError) -> ColumnVector {
    guard let first = slots.first else { throw ParquetError(.corrupt, "a column has no leaf") }
    let count = first.slots.count
    switch column {
    case .leaf(let field, let leaf, let present):
      let data = leaves[leaf]
      if case .null = field.type { return .nulls(.null, count: count) }
      guard let validity = validity(present: present, leaf: data, slots: first.slots) else {
        guard data.values.count == count else {
          throw corrupt(leaf, "has \(data.values.count) values for \(count) non-null slots")
        }
        return data.values
      }
      do {
        return try data.values.scattered(over: validity)
      } catch {
        throw corrupt(leaf, error.message)
      }
    case .structure(let field, let children, let present):
      let validity = field.nullable ? validity(present: present, leaf: leaves[first.leaf], slots: first.slots) : nil
      var vectors: [ColumnVector] = []
      vectors.reserveCapacity(children.count)
      for child in children {
        let wanted = Set(child.leaves)
        vectors.append(try build(child, slots: slots.filter { wanted.contains($0.leaf) }))
      }
      return ColumnVector(type: field.type, count: count, validity: validity, storage: .structure(vectors))
    case .list(let field, let element, let present, let hasElements, let repetition):
      let (offsets, validity, elementSlots) = try repeatedLevels(
        slots, present: present, hasElements: hasElements, repetition: repetition, nullable: field.nullable)
      let values = try build(element, slots: elementSlots)
      return ColumnVector(
        type: field.type, count: count, validity: validity, storage: .list(offsets: offsets, values: values))
    case .map(let field, let key, let value, let present, let hasElements, let repetition):
      let (offsets, validity, entrySlots) = try repeatedLevels(
        slots, present: present, hasElements: hasElements, repetition: repetition, nullable: field.nullable)
      let keyLeaves = Set(key.leaves)
      let keys = try build(key, slots: entrySlots.filter { keyLeaves.contains($0.leaf) })
      let values = try build(value, slots: entrySlots.filter { !keyLeaves.contains($0.leaf) })
      return ColumnVector(
        type: field.type, count: count, validity: validity,
        storage: .map(offsets: offsets, keys: keys, values: values))
    }
  }

  /// Validity of a node's slots, or nil when every slot is non-null. Counts first, so the
  /// common all-present case builds no bitmap; then packs 64 slots a word.
  private func validity(present: Int, leaf: LeafData, slots: Slots) -> Bitmap? {
    guard present > 0, let definition = leaf.definitionLevels else { return nil }
    let threshold = Int32(present)
    let count = slots.count
    return definition.withUnsafeBufferPointer { levels -> Bitmap? in
      func level(_ slot: Int) -> Int32 {
        switch slots {
        case .all: levels[slot]
        case .entries(let entries): levels[Int(entries[slot])]
        }
      }
      var valid = 0
      if case .all = slots {
        for slot in 0..<count where levels[slot] >= threshold { valid &+= 1 }
      } else {
        for slot in 0..<count where level(slot) >= threshold { valid &+= 1 }
      }
      if valid == count { return nil }
      var words = [UInt64](repeating: 0, count: (count + 63) >> 6)
      for slot in 0..<count where level(slot) >= threshold {
        words[slot >> 6] |= 1 << UInt64(slot & 63)
      }
      return Bitmap(words: words, count: count)
    }
  }

  /// Offsets and validity of a list or map, and for every leaf below it the entries that start
  /// an element: the slot's own entry when it holds elements, then each following entry at the
  /// list's repetition level, until one at a lower level starts the next slot.
  private func repeatedLevels(
    _ slots: [(leaf: Int, slots: Slots)], present: Int, hasElements: Int, repetition: Int, nullable: Bool
  ) throws(ParquetError) -> ([Int32], Bitmap?, [(leaf: Int, slots: Slots)]) {
    var offsets: [Int32] = []
    var validity: Bitmap?
    var elementSlots: [(leaf: Int, slots: Slots)] = []
    for (position, (leaf, leafSlots)) in slots.enumerated() {
      let data = leaves[leaf]
      guard let definition = data.definitionLevels, let repetitionLevels = data.repetitionLevels else {
        throw corrupt(leaf, "is inside a list but has no repetition levels")
      }
      let collectOffsets = position == 0
      var leafOffsets: [Int32] = []
      var bitmap = Bitmap(repeating: true, count: collectOffsets ? leafSlots.count : 0)
      var anyNull = false
      if collectOffsets {
        leafOffsets.reserveCapacity(leafSlots.count + 1)
        leafOffsets.append(0)
      }
      var entries: [Int32] = []
      entries.reserveCapacity(data.levelCount)
      let level = Int32(repetition)
      definition.withUnsafeBufferPointer { def in
        repetitionLevels.withUnsafeBufferPointer { rep in
          let total = def.count
          for slot in 0..<leafSlots.count {
            let start: Int
            switch leafSlots {
            case .all: start = slot
            case .entries(let list): start = Int(list[slot])
            }
            let d = Int(def[start])
            if d >= hasElements {
              entries.append(Int32(start))
              var next = start + 1
              while next < total, rep[next] >= level {
                if rep[next] == level { entries.append(Int32(next)) }
                next += 1
              }
            } else if d < present, collectOffsets {
              bitmap[slot] = false
              anyNull = true
            }
            if collectOffsets { leafOffsets.append(Int32(truncatingIfNeeded: entries.count)) }
          }
        }
      }
      if collectOffsets {
        guard entries.count <= Int(Int32.max) else { throw corrupt(leaf, "has more than 2^31 list elements") }
        offsets = leafOffsets
        validity = nullable && anyNull ? bitmap : nil
      } else if entries.count != Int(offsets.last ?? 0) {
        throw corrupt(leaf, "disagrees with its sibling columns on the number of list elements")
      }
      elementSlots.append((leaf, .entries(entries)))
    }
    return (offsets, validity, elementSlots)
  }

  private func corrupt(_ leaf: Int, _ message: String) -> ParquetError {
    ParquetError(.corrupt, "column '\(descriptions[leaf].path.joined(separator: "."))' \(message)")
  }
}
