import Columnar
import Testing

@testable import Delta

/// The RoaringBitmapArray format and `DeletedRows`: hand-built bitmaps for every container kind,
/// round trips, hostile bytes, and the queries a scan uses.
@Suite struct DeletionVectorRoaringTests {
  // MARK: Hand-built bitmaps

  /// rows 3, 4, 7, 11, 18, 29: one bucket, one array container, cookie 12346.
  static var arrayContainer: [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)  // magic
    b.u64(1)  // one bucket
    b.u32(0)  // bucket key
    b.u32(12346)  // cookie without runs
    b.u32(1)  // one container
    b.u16(0)  // container key
    b.u16(5)  // cardinality - 1
    b.u32(16)  // offset of the container from the cookie
    for value: UInt16 in [3, 4, 7, 11, 18, 29] { b.u16(value) }
    return b.bytes
  }

  @Test func decodesAnArrayContainer() throws {
    let rows = try RoaringBitmapArray.decode(Self.arrayContainer)
    #expect(Array(rows) == [3, 4, 7, 11, 18, 29])
    #expect(rows.count == 6)
    #expect(rows.chunks == [.sorted([3, 4, 7, 11, 18, 29])])
  }

  /// The even numbers 0, 2, …, 9998 of container key 1: 5000 values, so a bitmap container.
  static var bitmapContainer: [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)
    b.u64(1)
    b.u32(0)
    b.u32(12346)
    b.u32(1)
    b.u16(1)  // container key 1: rows 65536...131071
    b.u16(4999)
    b.u32(16)
    var words = [UInt64](repeating: 0, count: 1024)
    for value in stride(from: 0, to: 10000, by: 2) { words[value / 64] |= 1 << UInt64(value % 64) }
    for word in words { b.u64(word) }
    return b.bytes
  }

  @Test func decodesABitmapContainer() throws {
    let rows = try RoaringBitmapArray.decode(Self.bitmapContainer)
    #expect(rows.count == 5000)
    let expected: [UInt64] = stride(from: 65536, to: 65536 + 10000, by: 2).map { UInt64($0) }
    #expect(Array(rows) == expected)
    #expect(rows.contains(65536 + 9998))
    #expect(!rows.contains(65536 + 9999))
    #expect(!rows.contains(0))
  }

  /// Runs [10, 109] and [1000, 1000] of container key 2, then an array container of key 3;
  /// cookie 12347 and, with fewer than four containers, no offset header.
  static var runContainer: [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)
    b.u64(1)
    b.u32(0)
    b.u32(12347 | (2 - 1) << 16)  // cookie with runs, two containers
    b.u8(0b01)  // container 0 is a run container
    b.u16(2)
    b.u16(100)  // 101 values
    b.u16(3)
    b.u16(1)  // 2 values
    b.u16(2)  // two runs
    b.u16(10)
    b.u16(99)
    b.u16(1000)
    b.u16(0)
    b.u16(7)  // the array container
    b.u16(65535)
    return b.bytes
  }

  @Test func decodesARunContainer() throws {
    let rows = try RoaringBitmapArray.decode(Self.runContainer)
    let key2: UInt64 = 2 << 16
    let key3: UInt64 = 3 << 16
    let expected: [UInt64] = Array(key2 + 10...key2 + 109) + [key2 + 1000, key3 + 7, key3 + 65535]
    #expect(Array(rows) == expected)
    #expect(rows.count == 103)
    #expect(rows.contains(key2 + 10) && rows.contains(key2 + 109) && !rows.contains(key2 + 110))
    #expect(!rows.contains(key2 + 9) && !rows.contains(key2 + 999) && rows.contains(key2 + 1000))
  }

  /// Five containers with runs, so the offset header is present.
  static var runContainersWithOffsets: [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)
    b.u64(1)
    b.u32(0)
    b.u32(12347 | (5 - 1) << 16)
    b.u8(0b10101)  // containers 0, 2, 4 are runs
    for key: UInt16 in 0..<5 {
      b.u16(key)
      b.u16(key % 2 == 0 ? 2 : 0)  // runs of three values, single array values
    }
    // Offsets: cookie 4 + flags 1 + headers 20 + offsets 20 = 45.
    var offset: UInt32 = 45
    for key in 0..<5 {
      b.u32(offset)
      offset += key % 2 == 0 ? 6 : 2
    }
    for key: UInt16 in 0..<5 {
      if key % 2 == 0 {
        b.u16(1)
        b.u16(key * 10)
        b.u16(2)
      } else {
        b.u16(key)
      }
    }
    return b.bytes
  }

  @Test func decodesRunContainersWithAnOffsetHeader() throws {
    let rows = try RoaringBitmapArray.decode(Self.runContainersWithOffsets)
    let expected: [UInt64] = [
      0, 1, 2, 1 << 16 | 1, 2 << 16 | 20, 2 << 16 | 21, 2 << 16 | 22, 3 << 16 | 3, 4 << 16 | 40, 4 << 16 | 41,
      4 << 16 | 42,
    ]
    #expect(Array(rows) == expected)
  }

  /// Buckets 0, 1 and 5: rows above 2³².
  static var severalBuckets: [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)
    b.u64(3)
    for (key, value): (UInt32, UInt16) in [(0, 1), (1, 2), (5, 65535)] {
      b.u32(key)
      b.u32(12346)
      b.u32(1)
      b.u16(7)  // container key 7
      b.u16(0)
      b.u32(16)
      b.u16(value)
    }
    return b.bytes
  }

  @Test func decodesSeveralHighKeys() throws {
    let rows = try RoaringBitmapArray.decode(Self.severalBuckets)
    let base: UInt64 = 7 << 16
    let expected: [UInt64] = [base | 1, 1 << 32 | base | 2, 5 << 32 | base | 65535]
    #expect(Array(rows) == expected)
    #expect(rows.contains(5 << 32 | base | 65535))
    #expect(!rows.contains(base + 65535))
  }

  @Test func decodesEmptyBitmaps() throws {
    var none = DeletionVectorTestBytes()
    none.u32(1_681_511_377)
    none.u64(0)
    #expect(try RoaringBitmapArray.decode(none.bytes).isEmpty)

    // Delta writes an empty 32-bit bitmap for each unused key below the largest.
    var emptyBucket = DeletionVectorTestBytes()
    emptyBucket.u32(1_681_511_377)
    emptyBucket.u64(2)
    emptyBucket.u32(0)
    emptyBucket.u32(12346)
    emptyBucket.u32(0)
    emptyBucket.u32(1)
    emptyBucket.u32(12346)
    emptyBucket.u32(1)
    emptyBucket.u16(0)
    emptyBucket.u16(0)
    emptyBucket.u32(16)
    emptyBucket.u16(42)
    let expected: [UInt64] = [1 << 32 | 42]
    #expect(Array(try RoaringBitmapArray.decode(emptyBucket.bytes)) == expected)
  }

  @Test func decodesTheNativeLayoutOfTheProtocolExample() throws {
    let bytes = try Z85.decode("wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L")
    #expect(Array(try RoaringBitmapArray.decode(bytes)) == [3, 4, 7, 11, 18, 29])
  }

  // MARK: Round trips

  static func randomRowSets() -> [[UInt64]] {
    var random = DeletionVectorTestRandom(seed: 42)
    var sets: [[UInt64]] = [
      [], [0], [UInt64(Int64.max)], [65535, 65536], Array(0..<70000), Array(0..<4096), Array(0..<4097),
    ]
    for shape in 0..<24 {
      var rows: Set<UInt64> = []
      let size = Int(random.next() % 20000)
      let spread: UInt64 = [100, 70_000, 1 << 20, 1 << 34][shape % 4]
      for _ in 0..<size { rows.insert(random.next() % spread) }
      if shape % 3 == 0 {  // some long runs too
        let start = random.next() % spread
        for row in start..<start + random.next() % 100_000 { rows.insert(row) }
      }
      sets.append(rows.sorted())
    }
    return sets
  }

  @Test func roundTripsRandomSets() throws {
    for rows in Self.randomRowSets() {
      let deleted = DeletedRows(rows)
      #expect(Array(deleted) == rows)
      #expect(deleted.count == rows.count)
      let bytes = RoaringBitmapArray.encode(deleted)
      let decoded = try RoaringBitmapArray.decode(bytes)
      #expect(decoded == deleted)
      #expect(Array(decoded) == rows)
      #expect(RoaringBitmapArray.encode(decoded) == bytes)
    }
  }

  @Test func encoderPicksEveryContainerKind() throws {
    // A run, a sparse array and a dense bitmap in one bucket.
    let rows =
      Array(0..<50_000) + stride(from: 65536, to: 65536 + 300, by: 3).map { $0 }
      + stride(from: 131072, to: 131072 + 30000, by: 3).map { $0 }
    let decoded = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(rows.map { UInt64($0) })))
    #expect(decoded.chunks.count == 3)
    if case .runs = decoded.chunks[0] {} else { Issue.record("expected a run container, got \(decoded.chunks[0])") }
    if case .sorted = decoded.chunks[1] {} else { Issue.record("expected an array container") }
    if case .dense = decoded.chunks[2] {} else { Issue.record("expected a bitmap container") }
    #expect(Array(decoded) == rows.map { UInt64($0) })
  }

  // MARK: Queries

  @Test func containsAgreesWithASet() throws {
    var random = DeletionVectorTestRandom(seed: 7)
    for rows in Self.randomRowSets() {
      let deleted = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(rows)))
      let set = Set(rows)
      for row in rows.prefix(200) { #expect(deleted.contains(row)) }
      for _ in 0..<300 {
        let probe =
          rows.isEmpty ? random.next() % 1000 : rows[Int(random.next() % UInt64(rows.count))] &+ random.next() % 5 &- 2
        #expect(deleted.contains(probe) == set.contains(probe))
      }
    }
  }

  @Test func keepMaskAgreesWithContains() throws {
    var random = DeletionVectorTestRandom(seed: 9)
    for rows in Self.randomRowSets() {
      let deleted = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(rows)))
      for _ in 0..<10 {
        let anchor = rows.isEmpty ? 0 : rows[Int(random.next() % UInt64(rows.count))]
        let start = anchor > 100 ? anchor - random.next() % 100 : 0
        let count = Int(random.next() % 20_000)
        let mask = deleted.keepMask(start: start, count: count)
        #expect(mask.count == count)
        var mismatches = 0
        for index in 0..<count where mask[index] == deleted.contains(start + UInt64(index)) { mismatches += 1 }
        #expect(mismatches == 0, "start \(start) count \(count)")
        #expect(deleted.count(start: start, count: count) == count - mask.setCount)
      }
    }
  }

  @Test func keepMaskEdges() {
    let deleted = DeletedRows([0, 63, 64, 127, 128, 1000])
    #expect(deleted.keepMask(start: 0, count: 0).count == 0)
    let mask = deleted.keepMask(start: 0, count: 130)
    #expect(mask.setCount == 125)
    #expect(!mask[0] && !mask[63] && !mask[64] && !mask[127] && !mask[128] && mask[1] && mask[129])
    let shifted = deleted.keepMask(start: 64, count: 64)
    #expect(shifted.setCount == 62 && !shifted[0] && !shifted[63])
    #expect(deleted.keepMask(start: 2000, count: 100) == Bitmap(repeating: true, count: 100))
    #expect(DeletedRows().keepMask(start: 5, count: 10) == Bitmap(repeating: true, count: 10))
    #expect(deleted.keepMask(start: UInt64.max - 3, count: 10).setCount == 10)
  }

  @Test func largestRowOfEachChunkKind() throws {
    #expect(DeletedRows().largestRow == nil)
    #expect(DeletedRows().isEmpty)
    #expect(DeletedRows([5, 70_000, 3]).largestRow == 70_000)
    let dense = (0..<5000).map { UInt64($0 * 3) }
    #expect(DeletedRows(dense).largestRow == 14_997)
    let runs = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(Array(10..<60_000) + [1 << 40])))
    #expect(runs.largestRow == 1 << 40)
    let onlyRuns = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(Array(10..<60_000))))
    #expect(onlyRuns.largestRow == 59_999)
    #expect(onlyRuns.count(start: 0, count: 100) == 90)
  }

  @Test func keepMaskOverDenseAndRunChunksAtOddOffsets() throws {
    let rows = (0..<20_000).map { UInt64($0 * 3) } + (200_000..<300_000).map { UInt64($0) }
    let deleted = try RoaringBitmapArray.decode(RoaringBitmapArray.encode(DeletedRows(rows)))
    for start: UInt64 in [0, 1, 5, 63, 64, 65, 65535, 65536, 199_999, 200_001] {
      let mask = deleted.keepMask(start: start, count: 140_000)
      for index in stride(from: 0, to: 140_000, by: 1) where mask[index] == deleted.contains(start + UInt64(index)) {
        Issue.record("row \(start + UInt64(index)) wrong in the mask from \(start)")
        break
      }
    }
  }

  // MARK: Hostile input

  static var validSamples: [[UInt8]] {
    [
      arrayContainer, bitmapContainer, runContainer, runContainersWithOffsets, severalBuckets,
      RoaringBitmapArray.encode(DeletedRows(Array(0..<50_000).map { UInt64($0) } + [1 << 40])),
    ]
  }

  @Test func everyTruncationThrows() {
    for sample in Self.validSamples {
      for length in 0..<sample.count {
        #expect(throws: DeletionVectorError.self, "truncated to \(length) of \(sample.count)") {
          try RoaringBitmapArray.decode(Array(sample.prefix(length)))
        }
      }
    }
  }

  @Test func trailingBytesThrow() {
    for sample in Self.validSamples {
      #expect(throws: DeletionVectorError.self) { try RoaringBitmapArray.decode(sample + [0]) }
    }
  }

  /// Flipping bytes must never trap; whatever decodes must still be a consistent sorted set.
  @Test func byteFlipsThrowOrStayConsistent() {
    for sample in Self.validSamples {
      let positions =
        sample.count <= 400
        ? Array(sample.indices) : Array(sample.indices.prefix(200)) + Array(sample.indices.suffix(200))
      for position in positions {
        for flip: UInt8 in [0x01, 0x80, 0xFF] {
          var bytes = sample
          bytes[position] ^= flip
          guard let rows = try? RoaringBitmapArray.decode(bytes) else { continue }
          let list = Array(rows)
          #expect(list.count == rows.count)
          #expect(zip(list, list.dropFirst()).allSatisfy { $0 < $1 })
        }
      }
    }
  }

  @Test func headerFlipsThrow() {
    // Flips in the magic number, the counts, the cookie and the offset are always caught (a flip
    // in a key or a value can make another valid bitmap).
    let sample = Self.arrayContainer
    for position in Array(0..<12) + Array(16..<24) + Array(28..<32) {
      var bytes = sample
      bytes[position] ^= 0x40
      #expect(throws: DeletionVectorError.self, "flip at \(position)") { try RoaringBitmapArray.decode(bytes) }
    }
  }

  /// A portable bitmap: the magic number, then `fields`.
  static func portable(_ fields: [DeletionVectorTestBytes.Field]) -> [UInt8] {
    var b = DeletionVectorTestBytes()
    b.u32(1_681_511_377)
    for field in fields { b.append(field) }
    return b.bytes
  }

  @Test func forgedCountsThrowWithoutAllocating() {
    let runs: UInt32 = 12347
    let cases: [(String, [UInt8])] = [
      ("huge bucket count", Self.portable([.u64(.max)])),
      ("bucket count beyond the bytes", Self.portable([.u64(2), .u32(0), .u32(12346), .u32(0)])),
      ("key with the high bit", Self.portable([.u64(1), .u32(0x8000_0000), .u32(12346), .u32(0)])),
      (
        "keys not ascending",
        Self.portable([.u64(2), .u32(1), .u32(12346), .u32(0), .u32(1), .u32(12346), .u32(0)])
      ),
      ("bad cookie", Self.portable([.u64(1), .u32(0), .u32(12345), .u32(0)])),
      ("container count over 65536", Self.portable([.u64(1), .u32(0), .u32(12346), .u32(65537)])),
      ("container count beyond the bytes", Self.portable([.u64(1), .u32(0), .u32(12346), .u32(65536)])),
      ("run cookie with 65536 containers", Self.portable([.u64(1), .u32(0), .u32(runs | 0xFFFF << 16), .u8(0xFF)])),
      (
        "cardinality beyond the bytes",
        Self.portable([.u64(1), .u32(0), .u32(12346), .u32(1), .u16(0), .u16(4095), .u32(16), .u16(1)])
      ),
      (
        "bitmap container truncated",
        Self.portable([.u64(1), .u32(0), .u32(12346), .u32(1), .u16(0), .u16(65535), .u32(16), .u64(~0)])
      ),
      (
        "bitmap popcount differs",
        Self.portable(
          [.u64(1), .u32(0), .u32(12346), .u32(1), .u16(0), .u16(4096), .u32(16)]
            + Array(repeating: .u64(~0), count: 1024))
      ),
      (
        "run count beyond the bytes",
        Self.portable([.u64(1), .u32(0), .u32(runs), .u8(1), .u16(0), .u16(0), .u16(65535), .u16(0), .u16(0)])
      ),
      (
        "run passes 65535",
        Self.portable([.u64(1), .u32(0), .u32(runs), .u8(1), .u16(0), .u16(9), .u16(1), .u16(65530), .u16(9)])
      ),
      (
        "overlapping runs",
        Self.portable([
          .u64(1), .u32(0), .u32(runs), .u8(1), .u16(0), .u16(5), .u16(2), .u16(0), .u16(2), .u16(2), .u16(2),
        ])
      ),
      (
        "run cardinality differs",
        Self.portable([.u64(1), .u32(0), .u32(runs), .u8(1), .u16(0), .u16(5), .u16(1), .u16(0), .u16(2)])
      ),
      (
        "no runs for a run container", Self.portable([.u64(1), .u32(0), .u32(runs), .u8(1), .u16(0), .u16(0), .u16(0)])
      ),
      (
        "array values not ascending",
        Self.portable([.u64(1), .u32(0), .u32(12346), .u32(1), .u16(0), .u16(1), .u32(16), .u16(5), .u16(5)])
      ),
      (
        "container keys not ascending",
        Self.portable([
          .u64(1), .u32(0), .u32(12346), .u32(2), .u16(3), .u16(0), .u16(3), .u16(0), .u32(24), .u32(26), .u16(1),
          .u16(2),
        ])
      ),
      (
        "wrong offset",
        Self.portable([.u64(1), .u32(0), .u32(12346), .u32(1), .u16(0), .u16(0), .u32(17), .u16(5)])
      ),
      ("native count beyond the bytes", [0x64, 0x39, 0xD3, 0xD0, 0x7F, 0xFF, 0xFF, 0xFF]),
      ("native size disagrees", [0x64, 0x39, 0xD3, 0xD0, 0, 0, 0, 1, 0, 0, 0, 9, 0x3A, 0x30, 0, 0, 0, 0, 0, 0, 0]),
      ("empty", []),
      ("wrong magic", [0xD0, 0xD3, 0x39, 0x64, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]
    for (name, bytes) in cases {
      #expect(throws: DeletionVectorError.self, "\(name)") { try RoaringBitmapArray.decode(bytes) }
    }
  }

  @Test func errorsNameTheProblem() {
    var bytes = Self.arrayContainer
    bytes[0] = 0
    do {
      _ = try RoaringBitmapArray.decode(bytes)
      Issue.record("decoded a bad magic number")
    } catch {
      #expect(error.code == .corrupt)
      #expect(error.description.contains("magic number"))
    }
    do {
      _ = try RoaringBitmapArray.decode(Array(Self.arrayContainer.prefix(30)))
      Issue.record("decoded a truncated bitmap")
    } catch {
      #expect(error.code == .truncated)
      #expect(error.description.contains("byte 24"))
    }
  }
}

/// Builds little-endian test bitmaps field by field.
struct DeletionVectorTestBytes {
  enum Field {
    case u8(UInt8)
    case u16(UInt16)
    case u32(UInt32)
    case u64(UInt64)
  }

  var bytes: [UInt8] = []

  mutating func append(_ field: Field) {
    switch field {
    case .u8(let value): u8(value)
    case .u16(let value): u16(value)
    case .u32(let value): u32(value)
    case .u64(let value): u64(value)
    }
  }

  mutating func u8(_ value: UInt8) { bytes.append(value) }
  mutating func u16(_ value: UInt16) {
    for shift in [0, 8] { bytes.append(UInt8(truncatingIfNeeded: value >> UInt16(shift))) }
  }
  mutating func u32(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }
  mutating func u64(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }
}
