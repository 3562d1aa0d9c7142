import Columnar
import Foundation
import Testing

@testable import Delta

/// The pieces of OPTIMIZE … ZORDER BY that need no table: curve keys, rank buckets, bin-packing
/// and VACUUM's hidden-name rule.
@Suite struct SpaceFillingCurveTests {
  // MARK: Curves

  /// Every cell of a `dims`-dimensional grid of `bits` bits per axis, in row-major order.
  static func allCells(dims: Int, bits: Int) -> [[UInt32]] {
    let side = 1 << bits
    var cells: [[UInt32]] = []
    for n in 0..<(1 << (dims * bits)) {
      var rest = n
      var cell: [UInt32] = []
      for _ in 0..<dims {
        cell.append(UInt32(rest % side))
        rest /= side
      }
      cells.append(cell)
    }
    return cells
  }

  static func hilbert(_ cell: [UInt32], bits: Int) -> UInt64 {
    var scratch = cell
    return scratch.withUnsafeMutableBufferPointer { SpaceFillingCurve.hilbertValue($0, bits: bits) }
  }

  static func z(_ cell: [UInt32], bits: Int) -> UInt64 {
    cell.withUnsafeBufferPointer { SpaceFillingCurve.zValue($0, bits: bits) }
  }

  @Test(arguments: [(2, 4), (3, 3), (2, 1), (4, 2)])
  func hilbertIsABijectionWhoseStepsAreUnitSteps(dims: Int, bits: Int) throws {
    let cells = Self.allCells(dims: dims, bits: bits)
    let count = 1 << (dims * bits)
    var byKey = [[UInt32]?](repeating: nil, count: count)
    for cell in cells {
      let key = Self.hilbert(cell, bits: bits)
      try #require(key < UInt64(count), "key \(key) of \(cell) is out of range")
      #expect(byKey[Int(key)] == nil, "cells \(byKey[Int(key)] ?? []) and \(cell) share key \(key)")
      byKey[Int(key)] = cell
    }
    let ordered = try byKey.map { try #require($0) }
    #expect(ordered.first == [UInt32](repeating: 0, count: dims), "the curve starts at the origin")
    for k in 1..<count {
      let distance = zip(ordered[k - 1], ordered[k]).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
      #expect(distance == 1, "keys \(k - 1) → \(k): \(ordered[k - 1]) → \(ordered[k]) is not a unit step")
    }
  }

  @Test func hilbertOfTwoByTwoIsTheUShape() {
    // The first-order 2-D curve visits (0,0), then a neighbour, the opposite corner, the last neighbour.
    let order = [[UInt32(0), 0], [0, 1], [1, 1], [1, 0]].sorted { Self.hilbert($0, bits: 1) < Self.hilbert($1, bits: 1) }
    #expect(order[0] == [0, 0])
    #expect(order[2] == [1, 1])
    #expect(Set([order[1], order[3]]) == Set([[0, 1], [1, 0]]))
  }

  @Test func zValueInterleavesFirstCoordinateMostSignificant() {
    #expect(Self.z([1, 0], bits: 1) == 0b10)
    #expect(Self.z([0, 1], bits: 1) == 0b01)
    #expect(Self.z([1, 1], bits: 1) == 0b11)
    // x = 0b10, y = 0b01 → bits x1 y1 x0 y0 = 1 0 0 1.
    #expect(Self.z([0b10, 0b01], bits: 2) == 0b1001)
    // Three coordinates of 2 bits: x=3, y=0, z=1 → x1 y1 z1 x0 y0 z0 = 1 0 0 1 0 1.
    #expect(Self.z([3, 0, 1], bits: 2) == 0b100101)
    // Full width: two 32-bit coordinates fill the 64-bit key.
    #expect(Self.z([UInt32.max, 0], bits: 32) == 0xAAAA_AAAA_AAAA_AAAA)
    #expect(Self.z([0, UInt32.max], bits: 32) == 0x5555_5555_5555_5555)
  }

  @Test func twoColumnFastPathMatchesBitByBitInterleaving() {
    var random = DeletionVectorTestRandom(seed: 11)
    for bits in [1, 5, 16, 31, 32] {
      for _ in 0..<200 {
        let mask = bits == 32 ? UInt32.max : (UInt32(1) << UInt32(bits)) - 1
        let x = UInt32(truncatingIfNeeded: random.next()) & mask
        let y = UInt32(truncatingIfNeeded: random.next()) & mask
        var expected: UInt64 = 0
        for bit in stride(from: bits - 1, through: 0, by: -1) {
          expected = expected << 1 | UInt64(x >> UInt32(bit) & 1)
          expected = expected << 1 | UInt64(y >> UInt32(bit) & 1)
        }
        #expect(Self.z([x, y], bits: bits) == expected, "x \(x) y \(y) bits \(bits)")
      }
    }
  }

  @Test func zValueIsABijection() {
    let cells = Self.allCells(dims: 3, bits: 3)
    let keys = Set(cells.map { Self.z($0, bits: 3) })
    #expect(keys == Set((0..<UInt64(512)).map { $0 }))
  }

  @Test func keysFollowTheCurveForEveryRow() {
    let xs: [UInt32] = [0, 1, 1, 0, 3]
    let ys: [UInt32] = [0, 0, 1, 1, 2]
    let zKeys = SpaceFillingCurve.keys([xs, ys], rowCount: 5, bits: 2, curve: .zorder)
    let hKeys = SpaceFillingCurve.keys([xs, ys], rowCount: 5, bits: 2, curve: .hilbert)
    for row in 0..<5 {
      #expect(zKeys[row] == Self.z([xs[row], ys[row]], bits: 2))
      #expect(hKeys[row] == Self.hilbert([xs[row], ys[row]], bits: 2))
    }
    // One column: the key is the coordinate itself.
    #expect(SpaceFillingCurve.keys([[7, 2, 5]], rowCount: 3, bits: 32, curve: .hilbert) == [7, 2, 5])
    #expect(SpaceFillingCurve.keys([[7, 2, 5]], rowCount: 3, bits: 32, curve: .zorder) == [7, 2, 5])
  }

  @Test func bitsPerDimensionFitsSixtyFourBits() {
    #expect(SpaceFillingCurve.bitsPerDimension(1) == 32)
    #expect(SpaceFillingCurve.bitsPerDimension(2) == 32)
    #expect(SpaceFillingCurve.bitsPerDimension(3) == 21)
    #expect(SpaceFillingCurve.bitsPerDimension(32) == 2)
    for d in 1...32 { #expect(SpaceFillingCurve.bitsPerDimension(d) * d <= 64) }
  }

  @Test func hilbertAtFullWidthStaysInjectiveOnASample() {
    // 2 × 32 bits: the widest keys Clustering produces; distinct cells must keep distinct keys.
    var generator = DeletionVectorTestRandom(seed: 7)
    var seen: [UInt64: [UInt32]] = [:]
    for _ in 0..<5_000 {
      let cell = [UInt32.random(in: 0...UInt32.max, using: &generator), UInt32.random(in: 0...UInt32.max, using: &generator)]
      let key = Self.hilbert(cell, bits: 32)
      if let other = seen[key] { #expect(other == cell) }
      seen[key] = cell
    }
  }

  // MARK: Rank buckets

  /// Asserts the bucket rule on `values` (nil is null) with their bucket ids.
  static func checkOrder<T>(_ values: [T?], _ buckets: [UInt32], less: (T, T) -> Bool, equal: (T, T) -> Bool) {
    #expect(buckets.count == values.count)
    for i in values.indices {
      guard let a = values[i] else {
        #expect(buckets[i] == 0, "null at row \(i) has bucket \(buckets[i])")
        continue
      }
      for j in values.indices {
        guard let b = values[j] else { continue }
        if equal(a, b) { #expect(buckets[i] == buckets[j], "equal values \(a), \(b) in buckets \(buckets[i]), \(buckets[j])") }
        if less(a, b) { #expect(buckets[i] <= buckets[j], "\(a) < \(b) but buckets \(buckets[i]) > \(buckets[j])") }
      }
    }
  }

  @Test func intBucketsKeepOrderAndShareEqualValues() throws {
    let values: [Int64?] = [5, -3, nil, 5, Int64.min, 0, Int64.max, -3, nil, 100]
    let buckets = try RankBuckets.buckets([WriteFixtures.int64(values)], bits: 4, name: "x")
    Self.checkOrder(values, buckets, less: <, equal: ==)
    // Few distinct values: each gets its own bucket, strictly increasing.
    let distinct = [Int64.min, -3, 0, 5, 100, Int64.max].map { v in buckets[values.firstIndex(of: v)!] }
    #expect(distinct == distinct.sorted() && Set(distinct).count == distinct.count)
    // Non-nulls are above the nulls' bucket 0 when the distinct values fit.
    #expect(!distinct.contains(0))
  }

  @Test func negativeIntsOfEveryWidth() throws {
    let int32: [Int32?] = [-1, 1, Int32.min, nil, 0, Int32.max]
    let b32 = try RankBuckets.buckets([WriteFixtures.int32(int32)], bits: 8, name: "i")
    Self.checkOrder(int32, b32, less: <, equal: ==)
    #expect(b32[2] < b32[0] && b32[0] < b32[4] && b32[4] < b32[1] && b32[1] < b32[5])
    let int8: [Int8] = [-128, 127, -1, 0]
    let b8 = try RankBuckets.buckets(
      [ColumnVector(type: .int8, count: 4, storage: .int8(int8))], bits: 8, name: "b")
    #expect(b8[0] < b8[2] && b8[2] < b8[3] && b8[3] < b8[1])
  }

  @Test func floatBucketsOrderNegativesZerosAndNaN() throws {
    let values: [Double?] = [1.5, -0.0, 0.0, -1e300, .nan, nil, -.infinity, .infinity, -2.5, 1e-300, .nan]
    let buckets = try RankBuckets.buckets([WriteFixtures.float64(values)], bits: 8, name: "f")
    // -0.0 and 0.0 are one value; NaNs are one value above everything.
    #expect(buckets[1] == buckets[2])
    #expect(buckets[4] == buckets[10])
    Self.checkOrder(
      values, buckets,
      less: { a, b in a.isNaN ? false : (b.isNaN ? true : a < b) },
      equal: { a, b in (a.isNaN && b.isNaN) || a == b })
    let order = [6, 3, 8, 1, 9, 0, 7, 4].map { buckets[$0] }
    #expect(order == order.sorted() && Set(order).count == order.count, "\(order)")
    #expect(buckets[5] == 0)
    // Float32 too.
    let floats: [Float] = [-1, .nan, 2, -0.0, 0]
    let b = try RankBuckets.buckets([ColumnVector(type: .float32, count: 5, storage: .float32(floats))], bits: 8, name: "g")
    #expect(b[0] < b[3] && b[3] == b[4] && b[4] < b[2] && b[2] < b[1])
  }

  @Test func stringBucketsOrderByUTF8Bytes() throws {
    // UTF-8 byte order differs from Swift's String order for "é" (0xC3 0xA9) vs "z", and from
    // numeric order for dotted addresses.
    let values: [String?] = ["z", "é", "a", nil, "", "ab", "10.0.0.2", "9.9.9.9", "10.0.0.10", "a", "\u{FFFF}", "😀"]
    let buckets = try RankBuckets.buckets([WriteFixtures.string(values)], bits: 8, name: "s")
    Self.checkOrder(
      values, buckets, less: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, equal: { Array($0.utf8) == Array($1.utf8) })
    #expect(buckets[0] < buckets[1], "z (0x7A) sorts before é (0xC3)")
    #expect(buckets[8] < buckets[6] && buckets[6] < buckets[7], "10.0.0.10 < 10.0.0.2 < 9.9.9.9 bytewise")
    #expect(buckets[3] == 0)
    #expect(buckets[4] > 0, "the empty string is a value, not a null")
    #expect(buckets[10] < buckets[11], "U+FFFF (EF BF BF) < U+1F600 (F0 …)")
  }

  @Test func bucketsSpanSeveralBatches() throws {
    let first: [Int64?] = [10, nil, 30]
    let second: [Int64?] = [20, 10, 40, nil]
    let buckets = try RankBuckets.buckets([WriteFixtures.int64(first), WriteFixtures.int64(second)], bits: 4, name: "x")
    Self.checkOrder(first + second, buckets, less: <, equal: ==)
    #expect(buckets.count == 7)
    #expect(buckets[0] == buckets[4])
    #expect(buckets[0] < buckets[3] && buckets[3] < buckets[2] && buckets[2] < buckets[5])
  }

  @Test func dictionaryStringsAcrossBatchesMatchPlainStrings() throws {
    let dictionary = WriteFixtures.string(["m", "b", "x"])
    // Rows: b, x, null, m, b  (the null row's index is arbitrary).
    var validity = Bitmap()
    for flag in [true, true, false, true, true] { validity.append(flag) }
    let encoded = ColumnVector(
      type: .string, count: 5, validity: validity, storage: .dictionary(indices: [1, 2, 0, 0, 1], dictionary: dictionary))
    let plain = WriteFixtures.string(["a", "x", "c"])
    let buckets = try RankBuckets.buckets([plain, encoded, plain], bits: 6, name: "s")
    let values: [String?] = ["a", "x", "c", "b", "x", nil, "m", "b", "a", "x", "c"]
    Self.checkOrder(values, buckets, less: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, equal: ==)
    // Same buckets as the same values all plain.
    let reference = try RankBuckets.buckets([WriteFixtures.string(values)], bits: 6, name: "s")
    #expect(buckets == reference)
    // Distinct values a < b < c < m < x in increasing buckets.
    let order = [0, 3, 2, 6, 1].map { buckets[$0] }
    #expect(order == order.sorted() && Set(order).count == 5)
  }

  @Test func bucketsSpreadOverTheWholeRange() throws {
    // 1,000 distinct values on 4 bits: every bucket 1…15 used, roughly evenly, in order.
    let values = (0..<1000).map { Int64($0 * 7 - 3000) }
    let buckets = try RankBuckets.buckets([WriteFixtures.int64(values.reversed())], bits: 4, name: "x")
    #expect(buckets.max() == 15)
    var counts = [Int](repeating: 0, count: 16)
    for b in buckets { counts[Int(b)] += 1 }
    for b in 1..<16 { #expect(counts[b] > 40 && counts[b] < 90, "bucket \(b) holds \(counts[b])") }
    // Skewed data: ranks, not values, decide the bucket.
    let skewed: [Int64?] = (0..<100).map { Int64($0) } + [1_000_000_000_000]
    let sb = try RankBuckets.buckets([WriteFixtures.int64(skewed)], bits: 2, name: "x")
    #expect(Set(sb[0..<100]).count >= 3, "values 0…99 fall into several buckets despite the outlier")
  }

  @Test func allNullAndTimestampAndBooleanColumns() throws {
    let nulls = ColumnVector(type: .int64, count: 3, validity: Bitmap(repeating: false, count: 3), storage: .none)
    #expect(try RankBuckets.buckets([nulls], bits: 8, name: "n") == [0, 0, 0])
    let ts = WriteFixtures.timestamp([-5, 1_700_000_000_000_000, nil, 0])
    let tb = try RankBuckets.buckets([ts], bits: 8, name: "t")
    #expect(tb[2] == 0 && tb[0] < tb[3] && tb[3] < tb[1])
    let booleans = ColumnBuildForTests.booleans([true, false, nil, false])
    let bb = try RankBuckets.buckets([booleans], bits: 8, name: "b")
    #expect(bb[2] == 0 && bb[1] == bb[3] && bb[1] < bb[0])
  }

  @Test func decimalBuckets() throws {
    let values: [Int128] = [-100_000_000_000_000_000_000, 5, -5, 0, 5, Int128.max]
    let column = ColumnVector(type: .decimal(precision: 38, scale: 2), count: 6, storage: .int128(values))
    let buckets = try RankBuckets.buckets([column], bits: 8, name: "d")
    Self.checkOrder(values.map { Optional($0) }, buckets, less: <, equal: ==)
    #expect(buckets[0] < buckets[2] && buckets[2] < buckets[3] && buckets[3] < buckets[1] && buckets[1] < buckets[5])
  }

  @Test func nestedColumnsAreRefused() throws {
    let list = ColumnVector(
      type: .list(Field("element", .int64)), count: 1, storage: .list(offsets: [0, 1], values: WriteFixtures.int64([1])))
    #expect {
      _ = try RankBuckets.buckets([list], bits: 8, name: "nested")
    } throws: { error in
      "\(error)".contains("nested")
    }
  }

  // MARK: Bin-packing

  static func file(_ name: String, size: Int64, dv: Bool = false) -> AddFile {
    AddFile(
      path: name, size: size, modificationTime: 0,
      deletionVector: dv
        ? DeletionVectorDescriptor(storageType: "i", pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L", offset: nil, sizeInBytes: 40, cardinality: 6)
        : nil)
  }

  @Test func binPackGroupsSmallFilesUpToTheTarget() {
    let files = [
      Self.file("a", size: 30), Self.file("b", size: 30), Self.file("c", size: 30), Self.file("d", size: 30),
      Self.file("big", size: 100), Self.file("huge", size: 500),
    ]
    let bins = Maintenance.binPack(files, target: 100)
    // Files at or above the target are not candidates; 4 × 30 makes a bin of three (90) and one of one (dropped).
    #expect(bins.map { $0.map(\.path) } == [["a", "b", "c"]])
    for bin in bins { #expect(bin.reduce(0) { $0 + $1.size } <= 100) }
  }

  @Test func binPackDropsSingleFileBinsButKeepsDeletionVectors() {
    #expect(Maintenance.binPack([Self.file("a", size: 10)], target: 100).isEmpty)
    #expect(Maintenance.binPack([Self.file("a", size: 60), Self.file("b", size: 60)], target: 100).isEmpty)
    #expect(Maintenance.binPack([], target: 100).isEmpty)
    // A file with a deletion vector is rewritten even alone, even when big.
    let alone = Maintenance.binPack([Self.file("dv", size: 10, dv: true)], target: 100)
    #expect(alone.map { $0.map(\.path) } == [["dv"]])
    let big = Maintenance.binPack([Self.file("dvbig", size: 500, dv: true), Self.file("plain", size: 500)], target: 100)
    #expect(big.map { $0.map(\.path) } == [["dvbig"]])
  }

  @Test func binPackTakesSmallestFirst() {
    let files = [Self.file("e", size: 50), Self.file("a", size: 10), Self.file("c", size: 20), Self.file("b", size: 10)]
    let bins = Maintenance.binPack(files, target: 45)
    #expect(bins.map { $0.map(\.path) } == [["a", "b", "c"]])
  }

  // MARK: Hidden names

  @Test func hiddenNames() {
    #expect(Maintenance.isHidden("_delta_log", partitionColumns: []))
    #expect(Maintenance.isHidden("_change_data", partitionColumns: ["p"]))
    #expect(Maintenance.isHidden(".x", partitionColumns: []))
    #expect(Maintenance.isHidden(".part-0.parquet.crc", partitionColumns: []))
    #expect(Maintenance.isHidden("_tmp", partitionColumns: ["_p"]))
    #expect(!Maintenance.isHidden("_p=1", partitionColumns: ["_p"]))
    #expect(Maintenance.isHidden("_p=1", partitionColumns: ["p"]))
    #expect(Maintenance.isHidden("_pq=1", partitionColumns: ["_p"]))
    #expect(!Maintenance.isHidden("p=1", partitionColumns: []))
    #expect(!Maintenance.isHidden("part-00000.parquet", partitionColumns: []))
    #expect(!Maintenance.isHidden("deletion_vector_x.bin", partitionColumns: []))
  }

  // MARK: Settings

  @Test func targetFileSizeTakesSparkByteStrings() {
    #expect(Maintenance.byteSize("104857600") == 104_857_600)
    #expect(Maintenance.byteSize("100mb") == 100 << 20)
    #expect(Maintenance.byteSize("1 GB") == 1 << 30)
    #expect(Maintenance.byteSize("64k") == 64 << 10)
    #expect(Maintenance.byteSize("ten") == nil)
    #expect(Maintenance.byteSize("5 parsecs") == nil)
  }
}

