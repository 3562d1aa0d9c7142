/// The serialized bitmap of a deletion vector (PROTOCOL.md "Deletion Vector Format"): a magic
/// number, then a 64-bit Roaring bitmap as buckets of standard 32-bit Roaring bitmaps, each
/// holding the rows whose high 32 bits are the bucket's key.
///
/// Two layouts exist:
/// - portable (magic 1681511377, the one the protocol specifies; little-endian): bucket count
///   as a 64-bit integer, then for each bucket its 32-bit key and bitmap;
/// - native (magic 1681511376, written by early Delta versions and used in the protocol's own
///   inline example; big-endian framing): bitmap count as a 32-bit integer, then for each bitmap
///   its byte size and bitmap, the key being its position.
///
/// Each 32-bit bitmap follows the RoaringFormatSpec: a cookie (12346, or 12347 with run
/// containers and the container count in its high 16 bits), run flags, a key and cardinality
/// per container of 2¹⁶ values, an offset header (except for fewer than four containers with
/// runs), then array, bitmap or run containers.
///
/// Decoding checks everything it relies on, so corrupt or hostile bytes throw: sizes and counts
/// are checked against the bytes left before anything is allocated, keys and values must
/// ascend, runs must not overlap, cardinalities must match the containers, offsets must match
/// where the containers are. Memory stays proportional to the input (runs stay runs).
enum RoaringBitmapArray {
  static let portableMagic: UInt32 = 1_681_511_377
  static let nativeMagic: UInt32 = 1_681_511_376
  /// Cookie of a 32-bit bitmap without run containers; the container count follows.
  static let cookieNoRuns: UInt32 = 12346
  /// Low 16 bits of the cookie of a 32-bit bitmap with run containers.
  static let cookieWithRuns: UInt32 = 12347
  /// With run containers, the offset header is present only from this many containers on.
  static let noOffsetThreshold = 4
  /// The smallest serialized 32-bit bitmap: the cookie 12346 and a zero container count.
  static let minimumBitmapSize = 8

  // MARK: Decoding

  /// The rows of the serialized bitmap `bytes` (magic number included, nothing after it).
  static func decode(_ bytes: [UInt8]) throws(DeletionVectorError) -> DeletedRows {
    var reader = DeletionVectorBytes(bytes)
    try reader.require(4, for: "the magic number")
    let littleEndian =
      UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    let bigEndian = littleEndian.byteSwapped
    var rows = DeletedRows()
    if littleEndian == portableMagic {
      _ = try reader.skip(4, for: "the magic number")
      try decodePortable(&reader, into: &rows)
    } else if bigEndian == nativeMagic {
      _ = try reader.skip(4, for: "the magic number")
      try decodeNative(&reader, into: &rows)
    } else {
      throw DeletionVectorError(
        .corrupt,
        "magic number \(littleEndian) is not \(portableMagic) (the portable RoaringBitmapArray format)")
    }
    guard reader.remaining == 0 else {
      throw DeletionVectorError(
        .corrupt, "\(reader.remaining) bytes follow the bitmap, which ends at byte \(reader.position)")
    }
    return rows
  }

  private static func decodePortable(
    _ reader: inout DeletionVectorBytes, into rows: inout DeletedRows
  ) throws(DeletionVectorError) {
    let bucketCount = try reader.uint64LE("the bucket count")
    let perBucket = 4 + minimumBitmapSize
    guard bucketCount <= UInt64(reader.remaining / perBucket) else {
      throw DeletionVectorError(
        .corrupt, "bucket count \(bucketCount) cannot fit in the \(reader.remaining) bytes that follow it")
    }
    var previousKey: Int64 = -1
    for bucket in 0..<Int(bucketCount) {
      let keyPosition = reader.position
      let key = try reader.uint32LE("the key of bucket \(bucket)")
      guard key & 0x8000_0000 == 0 else {
        throw DeletionVectorError(
          .corrupt, "bucket \(bucket) at byte \(keyPosition) has key \(key), whose high bit must be 0")
      }
      guard Int64(key) > previousKey else {
        throw DeletionVectorError(
          .corrupt, "bucket \(bucket) at byte \(keyPosition) has key \(key), not above the previous key \(previousKey)")
      }
      previousKey = Int64(key)
      try decodeBitmap32(&reader, highKey: UInt64(key), name: "bucket \(bucket) (key \(key))", into: &rows)
    }
  }

  private static func decodeNative(
    _ reader: inout DeletionVectorBytes, into rows: inout DeletedRows
  ) throws(DeletionVectorError) {
    let bitmapCount = try reader.uint32BE("the bitmap count")
    let perBitmap = 4 + minimumBitmapSize
    guard bitmapCount <= UInt32(reader.remaining / perBitmap) else {
      throw DeletionVectorError(
        .corrupt, "bitmap count \(bitmapCount) cannot fit in the \(reader.remaining) bytes that follow it")
    }
    for index in 0..<Int(bitmapCount) {
      let size = Int(try reader.uint32BE("the size of bitmap \(index)"))
      let start = reader.position
      try reader.require(size, for: "bitmap \(index)")
      try decodeBitmap32(&reader, highKey: UInt64(index), name: "bitmap \(index)", into: &rows)
      guard reader.position - start == size else {
        throw DeletionVectorError(
          .corrupt, "bitmap \(index) at byte \(start) is \(reader.position - start) bytes long, not \(size)")
      }
    }
  }

  /// Decodes one standard 32-bit Roaring bitmap whose rows have `highKey` as their high 32 bits.
  private static func decodeBitmap32(
    _ reader: inout DeletionVectorBytes, highKey: UInt64, name: String, into rows: inout DeletedRows
  ) throws(DeletionVectorError) {
    let start = reader.position
    let cookie = try reader.uint32LE("the cookie of \(name)")
    let containerCount: Int
    var runFlags: ArraySlice<UInt8>? = nil
    if cookie & 0xFFFF == cookieWithRuns {
      containerCount = Int(cookie >> 16) + 1
      runFlags = try reader.skip((containerCount + 7) / 8, for: "the run flags of \(name)")
    } else if cookie == cookieNoRuns {
      let count = try reader.uint32LE("the container count of \(name)")
      guard count <= 1 << 16 else {
        throw DeletionVectorError(.corrupt, "\(name) at byte \(start) claims \(count) containers (at most 65536)")
      }
      containerCount = Int(count)
    } else {
      throw DeletionVectorError(
        .corrupt, "\(name) at byte \(start) starts with cookie \(cookie), neither 12346 nor 12347")
    }
    let hasOffsets = runFlags == nil || containerCount >= noOffsetThreshold
    try reader.require(containerCount * (hasOffsets ? 8 : 4), for: "the container headers of \(name)")
    var keys: [UInt16] = []
    var cardinalities: [Int] = []
    keys.reserveCapacity(containerCount)
    cardinalities.reserveCapacity(containerCount)
    for _ in 0..<containerCount {
      keys.append(try reader.uint16LE("a container key"))
      cardinalities.append(Int(try reader.uint16LE("a container cardinality")) + 1)
    }
    var offsets: [UInt32] = []
    if hasOffsets {
      offsets.reserveCapacity(containerCount)
      for _ in 0..<containerCount { offsets.append(try reader.uint32LE("a container offset")) }
    }

    for index in 0..<containerCount {
      let position = reader.position
      func container() -> String { "container \(index) (key \(keys[index])) of \(name) at byte \(position)" }
      if index > 0 && keys[index] <= keys[index - 1] {
        throw DeletionVectorError(.corrupt, "\(container()): key not above the previous key \(keys[index - 1])")
      }
      if hasOffsets && Int(offsets[index]) != reader.position - start {
        throw DeletionVectorError(
          .corrupt,
          "\(container()): the offset header says it starts at \(offsets[index]), not \(reader.position - start)")
      }
      let isRun = runFlags.map { $0[$0.startIndex + index / 8] & (1 << UInt8(index % 8)) != 0 } ?? false
      let cardinality = cardinalities[index]
      let chunk: RowChunk
      if isRun {
        chunk = try decodeRuns(&reader, cardinality: cardinality, container: container())
      } else if cardinality <= RowChunk.maxSortedCount {
        try reader.require(2 * cardinality, for: "\(container()) with \(cardinality) values")
        var values: [UInt16] = []
        values.reserveCapacity(cardinality)
        for _ in 0..<cardinality {
          let value = try reader.uint16LE("a value")
          if let last = values.last, value <= last {
            throw DeletionVectorError(.corrupt, "\(container()): value \(value) follows \(last)")
          }
          values.append(value)
        }
        chunk = .sorted(values)
      } else {
        try reader.require(8 * RowChunk.denseWordCount, for: "\(container()), a bitmap container")
        var words: [UInt64] = []
        words.reserveCapacity(RowChunk.denseWordCount)
        var setBits = 0
        for _ in 0..<RowChunk.denseWordCount {
          let word = try reader.uint64LE("a bitmap word")
          setBits += word.nonzeroBitCount
          words.append(word)
        }
        guard setBits == cardinality else {
          throw DeletionVectorError(
            .corrupt, "\(container()): the bitmap has \(setBits) bits set; the header says \(cardinality)")
        }
        chunk = .dense(words)
      }
      rows.append(key: highKey << 16 | UInt64(keys[index]), chunk: chunk)
    }
  }

  private static func decodeRuns(
    _ reader: inout DeletionVectorBytes, cardinality: Int, container: @autoclosure () -> String
  ) throws(DeletionVectorError) -> RowChunk {
    let runCount = Int(try reader.uint16LE("the run count of \(container())"))
    try reader.require(4 * runCount, for: "\(container()) with \(runCount) runs")
    var runs: [RowRun] = []
    runs.reserveCapacity(runCount)
    var total = 0
    var previousLast = -1
    for _ in 0..<runCount {
      let first = try reader.uint16LE("a run start")
      let length = try reader.uint16LE("a run length")
      let last = Int(first) + Int(length)
      guard last <= Int(UInt16.max) else {
        throw DeletionVectorError(.corrupt, "\(container()): run \(first)+\(length) passes 65535")
      }
      guard Int(first) > previousLast else {
        throw DeletionVectorError(
          .corrupt, "\(container()): run starting at \(first) overlaps or precedes the run ending at \(previousLast)")
      }
      previousLast = last
      total += Int(length) + 1
      runs.append(RowRun(first: first, last: UInt16(last)))
    }
    guard total == cardinality else {
      throw DeletionVectorError(
        .corrupt, "\(container()): the runs hold \(total) values; the header says \(cardinality)")
    }
    return .runs(runs)
  }

  // MARK: Encoding

  /// The portable serialization of `rows` (all below 2⁶³), choosing for each container the
  /// smallest of array, bitmap and runs as Roaring's `runOptimize` does.
  static func encode(_ rows: DeletedRows) -> [UInt8] {
    var writer = DeletionVectorByteWriter()
    writer.uint32LE(portableMagic)
    var buckets: [(key: UInt64, chunks: Range<Int>)] = []
    var index = 0
    while index < rows.chunks.count {
      let key = rows.chunkKeys[index] >> 16
      var end = index + 1
      while end < rows.chunks.count && rows.chunkKeys[end] >> 16 == key { end += 1 }
      buckets.append((key, index..<end))
      index = end
    }
    writer.uint64LE(UInt64(buckets.count))
    for bucket in buckets {
      writer.uint32LE(UInt32(truncatingIfNeeded: bucket.key))
      encodeBitmap32(
        keys: bucket.chunks.map { UInt16(truncatingIfNeeded: rows.chunkKeys[$0]) },
        chunks: bucket.chunks.map { rows.chunks[$0] }, to: &writer)
    }
    return writer.bytes
  }

  private enum Encoded {
    case array([UInt16])
    case bitmap([UInt64])
    case runs([RowRun])

    var size: Int {
      switch self {
      case .array(let values): 2 * values.count
      case .bitmap: 8 * RowChunk.denseWordCount
      case .runs(let runs): 2 + 4 * runs.count
      }
    }
  }

  private static func encodeBitmap32(keys: [UInt16], chunks: [RowChunk], to writer: inout DeletionVectorByteWriter) {
    let start = writer.bytes.count
    let count = chunks.count
    var cardinalities: [Int] = []
    var containers: [Encoded] = []
    for chunk in chunks {
      let cardinality = chunk.cardinality
      let plain: Encoded =
        cardinality <= RowChunk.maxSortedCount ? .array(chunk.valueList) : .bitmap(chunk.denseWords)
      let runs = Encoded.runs(chunk.runList)
      cardinalities.append(cardinality)
      containers.append(runs.size < plain.size ? runs : plain)
    }
    let isRun = containers.map { if case .runs = $0 { true } else { false } }
    let hasRuns = isRun.contains(true)
    if hasRuns {
      writer.uint32LE(cookieWithRuns | UInt32(count - 1) << 16)
      var flags = [UInt8](repeating: 0, count: (count + 7) / 8)
      for (index, run) in isRun.enumerated() where run { flags[index / 8] |= 1 << UInt8(index % 8) }
      writer.bytes.append(contentsOf: flags)
    } else {
      writer.uint32LE(cookieNoRuns)
      writer.uint32LE(UInt32(count))
    }
    for index in 0..<count {
      writer.uint16LE(keys[index])
      writer.uint16LE(UInt16(cardinalities[index] - 1))
    }
    if !hasRuns || count >= noOffsetThreshold {
      var offset = writer.bytes.count - start + 4 * count
      for container in containers {
        writer.uint32LE(UInt32(offset))
        offset += container.size
      }
    }
    for container in containers {
      switch container {
      case .array(let values):
        for value in values { writer.uint16LE(value) }
      case .bitmap(let words):
        for word in words { writer.uint64LE(word) }
      case .runs(let runs):
        writer.uint16LE(UInt16(runs.count))
        for run in runs {
          writer.uint16LE(run.first)
          writer.uint16LE(run.last - run.first)
        }
      }
    }
  }
}
