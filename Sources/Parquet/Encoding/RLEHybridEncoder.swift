/// Encoder of the RLE / bit-packed hybrid with parquet-mr's run choice: a value repeated at
/// least 8 times becomes an RLE run; everything else goes out in bit-packed groups of 8, up to
/// 63 groups per run so that the run header is a single byte patched in place.
struct RLEHybridEncoder: Sendable {
  let bitWidth: Int
  private let mask: UInt32
  private var out: [UInt8] = []
  /// Values waiting to form a group of 8.
  private var pending: [Int32] = Array(repeating: 0, count: 8)
  private var pendingCount = 0
  private var previous: Int32 = 0
  private var repeatCount = 0
  /// Index of the open bit-packed run's header byte, or -1.
  private var headerIndex = -1
  private var groupCount = 0
  /// Values appended since the last `finish`.
  private(set) var count = 0

  init(bitWidth: Int) {
    precondition(bitWidth >= 0 && bitWidth <= 32, "RLE bit width must be 0...32")
    self.bitWidth = bitWidth
    self.mask = bitWidth == 32 ? ~0 : (1 &<< UInt32(bitWidth)) &- 1
  }

  /// Appends a value; bits above `bitWidth` are dropped.
  mutating func append(_ value: Int32) {
    let value = Int32(bitPattern: UInt32(bitPattern: value) & mask)
    count &+= 1
    if value == previous {
      repeatCount &+= 1
      // Past 8 repeats the run is certain to be RLE: just count.
      if repeatCount >= 8 { return }
    } else {
      if repeatCount >= 8 { writeRepeatRun() }
      repeatCount = 1
      previous = value
    }
    pending[pendingCount] = value
    pendingCount &+= 1
    if pendingCount == 8 { writePackedGroup() }
  }

  mutating func append(contentsOf values: UnsafeBufferPointer<Int32>) {
    for v in values { append(v) }
  }

  mutating func append<S: Sequence<Int32>>(contentsOf values: S) {
    for v in values { append(v) }
  }

  /// Flushes the pending values and returns the encoded runs; the encoder starts over empty.
  mutating func finish() -> [UInt8] {
    flush()
    let result = out
    reset()
    return result
  }

  /// Flushes and appends the runs to `output`, preceded by their 4-byte little-endian length if
  /// `lengthPrefixed` (v1 levels, RLE booleans); the encoder starts over empty.
  mutating func finish(into output: inout [UInt8], lengthPrefixed: Bool = false) {
    flush()
    if lengthPrefixed {
      let length = UInt32(truncatingIfNeeded: out.count)
      withUnsafeBytes(of: length.littleEndian) { output.append(contentsOf: $0) }
    }
    output.append(contentsOf: out)
    reset()
  }

  /// Bytes encoded so far (pending values not included): a page size estimate.
  var encodedByteCount: Int { out.count }

  private mutating func reset() {
    out = []
    pendingCount = 0
    previous = 0
    repeatCount = 0
    headerIndex = -1
    groupCount = 0
    count = 0
  }

  private mutating func flush() {
    if repeatCount >= 8 {
      writeRepeatRun()
    } else if pendingCount > 0 {
      for i in pendingCount..<8 { pending[i] = 0 }
      pendingCount = 8
      writePackedGroup()
      closePackedRun()
    } else {
      closePackedRun()
    }
  }

  private mutating func writePackedGroup() {
    if groupCount == 63 { closePackedRun() }
    if headerIndex < 0 {
      headerIndex = out.count
      out.append(0)
    }
    pending.withUnsafeBufferPointer { values in
      if let base = values.baseAddress { BitPacking.pack(base, count: 8, bitWidth: bitWidth, into: &out) }
    }
    pendingCount = 0
    // Repeats so far went into this group; a run must start afresh.
    repeatCount = 0
    groupCount &+= 1
  }

  private mutating func closePackedRun() {
    guard headerIndex >= 0 else { return }
    out[headerIndex] = UInt8(truncatingIfNeeded: groupCount &<< 1 | 1)
    headerIndex = -1
    groupCount = 0
  }

  private mutating func writeRepeatRun() {
    closePackedRun()
    ULEB128.append(UInt64(repeatCount) &<< 1, to: &out)
    let value = UInt32(bitPattern: previous)
    for i in 0..<((bitWidth &+ 7) &>> 3) {
      out.append(UInt8(truncatingIfNeeded: value &>> UInt32(8 &* i)))
    }
    repeatCount = 0
    // The pending values were the first repeats of this run.
    pendingCount = 0
  }
}

extension RLEHybridEncoder {
  /// A data page's dictionary indices: the bit width byte, then the runs.
  static func encodeDictionaryIndices(
    _ indices: UnsafeBufferPointer<Int32>, bitWidth: Int, into output: inout [UInt8]
  ) {
    output.append(UInt8(bitWidth))
    var encoder = RLEHybridEncoder(bitWidth: bitWidth)
    encoder.append(contentsOf: indices)
    encoder.finish(into: &output)
  }

  /// The bit width for indices into a dictionary of `count` entries.
  static func bitWidth(forDictionaryCount count: Int) -> Int {
    BitPacking.bitWidth(of: UInt64(max(0, count &- 1)))
  }
}
