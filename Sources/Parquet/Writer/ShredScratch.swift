import Columnar

/// One shredding buffer per leaf, reused across slices. Each slot is touched only by the task
/// encoding its leaf, which is what lets leaves be encoded concurrently.
final class ShredScratch: @unchecked Sendable {
  let slots: UnsafeMutablePointer<ShreddedLeaf>
  let count: Int

  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: max(count, 1))
    slots.initialize(repeating: ShreddedLeaf(), count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }
}

/// The rows of one slice, to be shredded and appended leaf by leaf, possibly in parallel.
/// Column writers are classes owned by the file writer; leaf `i` is only ever used by task `i`.
struct SliceWork: @unchecked Sendable {
  let columns: [ColumnWriter]
  let batch: RecordBatch
  let rows: Range<Int>
  let scratch: ShredScratch

  func run(_ index: Int) throws(ParquetError) {
    let column = columns[index]
    let plan = column.plan
    try scratch.slots[index].shred(batch.columns[plan.fieldIndex], plan: plan, rows: rows)
    try column.append(scratch.slots[index])
    // The slot's vector is a view of the batch: drop it so the batch can be freed.
    scratch.slots[index].leaf = ColumnVector(type: .null, count: 0, storage: .none)
  }
}
