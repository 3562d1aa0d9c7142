import Codecs
import Testing

@Suite("Snappy")
struct SnappyTests {
  static func compress(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8]()
    data.withUnsafeBytes { Snappy.compress($0, into: &out) }
    return out
  }

  static func decompress(_ data: [UInt8], capacity: Int? = nil) throws -> [UInt8] {
    try data.withUnsafeBytes { (input) throws -> [UInt8] in
      let length = try Snappy.uncompressedLength(input)
      var out = [UInt8](repeating: 0, count: capacity ?? length)
      let written = try out.withUnsafeMutableBytes { (output) throws -> Int in
        try Snappy.decompress(input, into: output)
      }
      #expect(written == length)
      return Array(out.prefix(written))
    }
  }

  @Test("round trips at boundary sizes", arguments: LZTestData.sizes)
  func roundTrip(size: Int) throws {
    for (kind, data) in LZTestData.samples(size) {
      let compressed = Self.compress(data)
      #expect(compressed.count <= Snappy.maxCompressedLength(data.count), "\(kind)")
      #expect(try Self.decompress(compressed) == data, "\(kind) \(size)")
    }
  }

  @Test("stores literally at boundary sizes", arguments: [0, 1, 60, 61, 256, 65_535, 65_536, 65_537, 200_000])
  func storesLiterally(size: Int) throws {
    let data = LZTestData.random(size)
    var out: [UInt8] = [9]
    data.withUnsafeBytes { Snappy.storeLiterally($0, into: &out) }
    #expect(out.first == 9)
    let block = Array(out.dropFirst())
    #expect(block.count <= Snappy.maxCompressedLength(size))
    // A preamble of at most 5 bytes and a tag of at most 3 bytes per 64 KiB fragment.
    #expect(block.count <= size + 5 + 3 * ((size + 65_535) / 65_536))
    #expect(try Self.decompress(block) == data)
  }

  @Test func compressesRedundantData() {
    #expect(Self.compress(LZTestData.repetitive(100_000)).count < 6000)
    #expect(Self.compress(LZTestData.text(100_000)).count < 50_000)
  }

  @Test func largeInput() throws {
    let data = LZTestData.text(3_000_000) + LZTestData.random(1_000_000) + LZTestData.repetitive(1_000_000)
    #expect(try Self.decompress(Self.compress(data)) == data)
  }

  @Test func appendsToExistingOutput() throws {
    var out: [UInt8] = [1, 2, 3]
    let data = LZTestData.text(1000)
    data.withUnsafeBytes { Snappy.compress($0, into: &out) }
    #expect(out.prefix(3) == [1, 2, 3])
    #expect(try Self.decompress(Array(out.dropFirst(3))) == data)
  }

  @Test("decodes reference output", arguments: ["text", "repeats"])
  func referenceFixtures(name: String) throws {
    let original = try LZTestData.fixture("\(name).bin")
    let compressed = try LZTestData.fixture("\(name).snappy")
    #expect(try Self.decompress(compressed) == original)
    #expect(try Self.decompress(Self.compress(original)) == original)
  }

  @Test func handWrittenElements() throws {
    // Literal "abcd" with a 1-byte extended length (tag 60), a copy-1 (offset 4, length 4),
    // a copy-4 (offset 2, length 6) and a 2-byte-length literal (tag 61).
    var block: [UInt8] = [15, 60 << 2, 3] + Array("abcd".utf8)
    block += [0b000_000_01, 4]
    block += [(5 << 2) | 3, 2, 0, 0, 0]
    block += [61 << 2, 0, 0, UInt8(ascii: "z")]
    #expect(try Self.decompress(block) == Array("abcdabcdcdcdcdz".utf8))
  }

  @Test func leavesBytesAfterDeclaredLengthAlone() throws {
    let data = LZTestData.text(5000)
    let out = try Self.decompress(Self.compress(data), capacity: 6000)
    #expect(out == data)
    var big = [UInt8](repeating: 0xAA, count: 6000)
    let compressed = Self.compress(data)
    _ = try compressed.withUnsafeBytes { (input) throws -> Int in
      try big.withUnsafeMutableBytes { (output) throws -> Int in
        try Snappy.decompress(input, into: output)
      }
    }
    #expect(big.suffix(1000).allSatisfy { $0 == 0xAA })
  }

  // MARK: corrupt input

  static func expectError(_ block: [UInt8], _ code: CodecError.Code, capacity: Int = 100) {
    var out = [UInt8](repeating: 0, count: capacity)
    do {
      _ = try block.withUnsafeBytes { (input) throws -> Int in
        try out.withUnsafeMutableBytes { (output) throws -> Int in
          try Snappy.decompress(input, into: output)
        }
      }
      Issue.record("expected \(code) for \(block)")
    } catch let error as CodecError {
      #expect(error.code == code, "\(error)")
      #expect(error.codec == "SNAPPY")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func rejectsForgedBlocks() {
    // Copy before the start of the output.
    Self.expectError([10, 0, UInt8(ascii: "a"), 0b000_001_01, 5], .corruptInput)
    // Offset zero.
    Self.expectError([10, 0, UInt8(ascii: "a"), (3 << 2) | 2, 0, 0], .corruptInput)
    // Literal longer than the input.
    Self.expectError([10, 9 << 2, 1, 2, 3], .truncatedInput)
    // Literal whose extended length runs off the input.
    Self.expectError([10, 62 << 2, 1], .truncatedInput)
    // Copy with its offset cut off.
    Self.expectError([10, 0, 1, 2], .truncatedInput)
    Self.expectError([10, 0, 1, 3, 0, 0], .truncatedInput)
    // Elements that write past the declared length.
    Self.expectError([2, 3 << 2, 1, 2, 3, 4], .corruptInput)
    Self.expectError([3, 0, 1, 0b000_011_01, 1], .corruptInput)
    // Fewer bytes than declared.
    Self.expectError([5, 0, 1], .sizeMismatch)
    // Declared length larger than the output buffer.
    Self.expectError([101, 0, 1], .sizeMismatch)
    // Preamble: truncated, too long, over 32 bits.
    Self.expectError([0x80], .truncatedInput)
    Self.expectError([], .truncatedInput)
    Self.expectError([0x80, 0x80, 0x80, 0x80, 0x80, 0], .corruptInput)
    Self.expectError([0xFF, 0xFF, 0xFF, 0xFF, 0x7F], .corruptInput)
    // Data after an empty block.
    Self.expectError([0, 0, 1], .corruptInput)
  }

  @Test func rejectsImpossibleDeclaredLength() {
    // 4 GiB - 1 declared by a 7-byte block: refuse before anyone allocates for it.
    let forged: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0]
    #expect(throws: CodecError.self) {
      try forged.withUnsafeBytes { (input) throws -> Int in try Snappy.uncompressedLength(input) }
    }
  }

  @Test func rejectsEveryTruncation() throws {
    let compressed = try LZTestData.fixture("repeats.snappy")
    for cut in 0..<compressed.count {
      #expect(throws: CodecError.self) { try Self.decompress(Array(compressed.prefix(cut))) }
    }
  }

  @Test func survivesRandomMutations() throws {
    let originals = [try LZTestData.fixture("text.bin"), try LZTestData.fixture("repeats.bin")]
    var rng = LZTestData.RNG(seed: 42)
    for round in 0..<3000 {
      let original = originals[round % 2]
      let mutated = LZTestData.mutate(Self.compress(original), rng: &rng)
      mutated.withUnsafeBytes { input in
        // Either the declared length is plausible and decoding succeeds or throws, or it
        // is rejected up front; both must come back without a crash.
        guard let length = try? Snappy.uncompressedLength(input), length < 1 << 20 else { return }
        var out = [UInt8](repeating: 0, count: length)
        out.withUnsafeMutableBytes { output in
          if let written = try? Snappy.decompress(input, into: output) {
            #expect(written == length)
          }
        }
      }
      // Decoding into a buffer of the original size, regardless of the preamble.
      var out = [UInt8](repeating: 0, count: original.count)
      _ = mutated.withUnsafeBytes { input in
        out.withUnsafeMutableBytes { output in try? Snappy.decompress(input, into: output) }
      }
    }
  }
}

// MARK: the decoder's fast path and its checked tail

/// Inputs like Parquet pages: plain BYTE_ARRAY strings with 4-byte length prefixes,
/// fixed-width integers, short repeating patterns. Their blocks are mostly short literals
/// and short copies with small offsets, which the decoder's fast path is built for.
enum SnappyPageData {
  static func byteArrays(_ values: [String]) -> [UInt8] {
    var out = [UInt8]()
    for value in values {
      let bytes = Array(value.utf8)
      withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out += $0 }
      out += bytes
    }
    return out
  }

  static func ipv4(_ count: Int, rng: inout LZTestData.RNG) -> [UInt8] {
    byteArrays((0..<count / 8 + 1).map { _ in
      "\(1 + rng.next() % 223).\(rng.next() % 256).\(rng.next() % 256).\(rng.next() % 256)"
    })
  }

  static func hex(_ count: Int, rng: inout LZTestData.RNG) -> [UInt8] {
    byteArrays((0..<count / 68 + 1).map { _ in
      (0..<4).map { _ in
        let digits = String(rng.next(), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
      }.joined()
    })
  }

  static func ports(_ count: Int, rng: inout LZTestData.RNG) -> [UInt8] {
    let common: [Int32] = [22, 53, 80, 443, 8080]
    var out = [UInt8]()
    for _ in 0..<(count / 4 + 1) {
      let port = rng.next() % 4 == 0 ? Int32(1024 + rng.next() % 60000) : common[Int(rng.next() % 5)]
      withUnsafeBytes(of: port.littleEndian) { out += $0 }
    }
    return out
  }

  static func timestamps(_ count: Int, rng: inout LZTestData.RNG) -> [UInt8] {
    var out = [UInt8]()
    var time: Int64 = 1_700_000_000_000_000
    for _ in 0..<(count / 8 + 1) {
      time += Int64(rng.next() % 5000)
      withUnsafeBytes(of: time.littleEndian) { out += $0 }
    }
    return out
  }

  /// Runs with periods 1...7 (overlapping copies), broken now and then.
  static func periodic(_ count: Int, rng: inout LZTestData.RNG) -> [UInt8] {
    var out = [UInt8]()
    while out.count < count {
      let pattern = (0..<(1 + rng.next() % 7)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      for index in 0..<Int(1 + rng.next() % 100) {
        out.append(pattern[index % pattern.count])
      }
    }
    return out
  }

  static func samples(_ count: Int, seed: UInt64) -> [(String, [UInt8])] {
    var rng = LZTestData.RNG(seed: seed)
    let kinds: [(String, (Int, inout LZTestData.RNG) -> [UInt8])] = [
      ("ipv4", ipv4), ("hex", hex), ("ports", ports), ("timestamps", timestamps),
      ("periodic", periodic),
    ]
    return kinds.map { name, make in (name, Array(make(count, &rng).prefix(count))) }
  }
}

/// Raw Snappy blocks written element by element, with every element kind and encoding
/// (our compressor never writes copy-4 elements, nor length bytes for short literals).
struct SnappyBlockWriter {
  var elements = [UInt8]()
  /// What the block decodes to.
  var expected = [UInt8]()

  /// A literal; `lengthBytes` 1...4 puts its length after the tag.
  mutating func literal(_ bytes: [UInt8], lengthBytes: Int = 0) {
    let n = bytes.count - 1
    if lengthBytes == 0 {
      elements.append(UInt8(n << 2))
    } else {
      elements.append(UInt8((59 + lengthBytes) << 2))
      for index in 0..<lengthBytes { elements.append(UInt8(truncatingIfNeeded: n >> (8 * index))) }
    }
    elements += bytes
    expected += bytes
  }

  /// A copy element with 1, 2 or 4 offset bytes (1: length 4...11, offset below 2048).
  mutating func copy(offset: Int, length: Int, offsetBytes: Int) {
    switch offsetBytes {
    case 1:
      elements.append(UInt8((offset >> 8) << 5 | (length - 4) << 2 | 1))
      elements.append(UInt8(truncatingIfNeeded: offset))
    case 2:
      elements.append(UInt8((length - 1) << 2 | 2))
      for index in 0..<2 { elements.append(UInt8(truncatingIfNeeded: offset >> (8 * index))) }
    default:
      elements.append(UInt8((length - 1) << 2 | 3))
      for index in 0..<4 { elements.append(UInt8(truncatingIfNeeded: offset >> (8 * index))) }
    }
    for _ in 0..<length { expected.append(expected[expected.count - offset]) }
  }

  var block: [UInt8] {
    var out = [UInt8]()
    var value = expected.count
    while value >= 0x80 {
      out.append(UInt8(value & 0x7f) | 0x80)
      value >>= 7
    }
    out.append(UInt8(value))
    return out + elements
  }

  /// A random block of at least `size` bytes: short and long literals with every length
  /// encoding, and copies of every kind, often with small (overlapping) offsets.
  static func random(size: Int, rng: inout LZTestData.RNG) -> SnappyBlockWriter {
    var writer = SnappyBlockWriter()
    while writer.expected.count < size {
      let written = writer.expected.count
      if written == 0 || rng.next() % 5 < 2 {
        let length = rng.next() % 8 == 0 ? Int(1 + rng.next() % 150) : Int(1 + rng.next() % 20)
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let minimum = length > 60 ? (length - 1 > 0xff ? 2 : 1) : 0
        let lengthBytes = rng.next() % 4 == 0 ? minimum + Int(rng.next() % UInt64(5 - minimum)) : minimum
        writer.literal(bytes, lengthBytes: max(minimum, min(lengthBytes, 4)))
        continue
      }
      let offset = rng.next() % 2 == 0
        ? Int(1 + rng.next() % UInt64(min(16, written))) : Int(1 + rng.next() % UInt64(written))
      var offsetBytes = [1, 2, 4][Int(rng.next() % 3)]
      var length = Int(1 + rng.next() % 64)
      if offsetBytes == 1 {
        if offset < 2048 { length = 4 + length % 8 } else { offsetBytes = 2 }
      }
      if offsetBytes == 2 && offset > 0xffff { offsetBytes = 4 }
      writer.copy(offset: offset, length: length, offsetBytes: offsetBytes)
    }
    return writer
  }
}

/// A plain, byte-at-a-time decoder with the same checks, in the same order, as the one
/// under test: its errors (code and input offset) are the expected ones.
enum SnappyModel {
  struct Failure: Error, Equatable {
    var code: CodecError.Code
    var offset: Int?
  }

  static func decompress(_ input: [UInt8], capacity: Int) -> Result<[UInt8], Failure> {
    Result { () throws(Failure) -> [UInt8] in try decode(input, capacity: capacity) }
  }

  private static func decode(_ input: [UInt8], capacity: Int) throws(Failure) -> [UInt8] {
    var length = 0
    var preamble = 0
    for index in 0..<min(input.count, 5) {
      length |= Int(input[index] & 0x7f) << (7 * index)
      if input[index] < 0x80 {
        preamble = index + 1
        break
      }
    }
    if preamble == 0 {
      throw Failure(code: input.count < 5 ? .truncatedInput : .corruptInput, offset: input.count < 5 ? input.count : 0)
    }
    guard length <= Int(UInt32.max) else { throw Failure(code: .corruptInput, offset: 0) }
    guard length <= capacity else { throw Failure(code: .sizeMismatch, offset: 0) }
    guard length > 0 else {
      guard preamble == input.count else { throw Failure(code: .corruptInput, offset: preamble) }
      return []
    }
    var out = [UInt8]()
    var ip = preamble
    while ip < input.count {
      let tagAt = ip
      let tag = input[ip]
      ip += 1
      let truncated = Failure(code: .truncatedInput, offset: tagAt)
      let overflow = Failure(code: .corruptInput, offset: tagAt)
      var count = Int(tag >> 2) + 1
      if tag & 3 == 0 {
        if count > 60 {
          let extra = count - 60
          guard input.count - ip >= extra else { throw truncated }
          count = 1 + (0..<extra).reduce(0) { $0 | Int(input[ip + $1]) << (8 * $1) }
          ip += extra
        }
        guard input.count - ip >= count else { throw truncated }
        guard length - out.count >= count else { throw overflow }
        out += input[ip..<(ip + count)]
        ip += count
        continue
      }
      let offsetBytes = [0, 1, 2, 4][Int(tag & 3)]
      guard input.count - ip >= offsetBytes else { throw truncated }
      var offset = (0..<offsetBytes).reduce(0) { $0 | Int(input[ip + $1]) << (8 * $1) }
      if tag & 3 == 1 {
        count = 4 + Int((tag >> 2) & 7)
        offset |= Int(tag >> 5) << 8
      }
      ip += offsetBytes
      guard offset > 0 && offset <= out.count else { throw Failure(code: .corruptInput, offset: tagAt) }
      guard length - out.count >= count else { throw overflow }
      for _ in 0..<count { out.append(out[out.count - offset]) }
    }
    guard out.count == length else { throw Failure(code: .sizeMismatch, offset: input.count) }
    return out
  }
}

@Suite("Snappy decoder paths")
struct SnappyDecoderPathTests {
  /// Decodes into a buffer `slack` bytes larger than declared, filled with a sentinel, and
  /// checks that no byte past the declared length changed.
  static func decode(_ block: [UInt8], capacity: Int, slack: Int = 80) -> Result<[UInt8], SnappyModel.Failure> {
    var out = [UInt8](repeating: 0xA5, count: capacity + slack)
    let result = block.withUnsafeBytes { input in
      out.withUnsafeMutableBytes { output in
        Result { () throws(CodecError) -> Int in
          try Snappy.decompress(input, into: UnsafeMutableRawBufferPointer(rebasing: output.prefix(capacity)))
        }
      }
    }
    switch result {
    case .success(let written):
      #expect(out[written...].allSatisfy { $0 == 0xA5 }, "wrote past the declared length")
      return .success(Array(out.prefix(written)))
    case .failure(let error):
      #expect(error.codec == "SNAPPY")
      return .failure(SnappyModel.Failure(code: error.code, offset: error.offset))
    }
  }

  /// Sizes around the fast path's thresholds (two elements' slop: 130 input and 128
  /// output bytes), and some longer ones.
  static let sizes = Array(0...300) + [511, 512, 1000, 4096, 65535, 65536, 65537, 100_000]

  @Test func roundTripsPageLikeData() throws {
    for size in Self.sizes {
      for (kind, data) in SnappyPageData.samples(size, seed: UInt64(size)) {
        var compressed = [UInt8]()
        data.withUnsafeBytes { Snappy.compress($0, into: &compressed) }
        #expect(try Self.decode(compressed, capacity: data.count).get() == data, "\(kind) \(size)")
      }
    }
  }

  @Test func decodesEveryElementKind() throws {
    var rng = LZTestData.RNG(seed: 11)
    for round in 0..<600 {
      let size = round < 400 ? round : Int(rng.next() % 5000)
      let writer = SnappyBlockWriter.random(size: size, rng: &rng)
      let block = writer.block
      #expect(try Self.decode(block, capacity: writer.expected.count).get() == writer.expected, "round \(round)")
      #expect(SnappyModel.decompress(block, capacity: writer.expected.count) == .success(writer.expected))
    }
  }

  @Test func decodesOverlappingCopiesOfEveryPeriodAndLength() throws {
    for period in 1...70 {
      for length in 1...64 {
        for kind in [2, 4] {
          // Room on both sides for the fast path, then the same near the end (checked tail).
          for padding in [200, 0] {
            var writer = SnappyBlockWriter()
            writer.literal((0..<period).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }, lengthBytes: period > 60 ? 1 : 0)
            writer.copy(offset: period, length: length, offsetBytes: kind)
            if padding > 0 { writer.literal([UInt8](repeating: 7, count: padding), lengthBytes: 1) }
            #expect(
              try Self.decode(writer.block, capacity: writer.expected.count).get() == writer.expected,
              "period \(period) length \(length)")
          }
        }
      }
    }
  }

  @Test func corruptBlocksFailLikeTheModel() {
    var rng = LZTestData.RNG(seed: 5)
    for round in 0..<200 {
      let writer = SnappyBlockWriter.random(size: Int(rng.next() % 2000), rng: &rng)
      let original = writer.block
      for _ in 0..<10 {
        let mutated = LZTestData.mutate(original, rng: &rng)
        // Both the declared capacity and a fixed one, which a changed preamble may exceed.
        for capacity in [writer.expected.count, 2000] {
          #expect(
            Self.decode(mutated, capacity: capacity) == SnappyModel.decompress(mutated, capacity: capacity),
            "round \(round)")
        }
      }
    }
  }

  @Test func truncationsNearTheEndFailLikeTheModel() {
    var rng = LZTestData.RNG(seed: 9)
    for round in 0..<20 {
      let writer = SnappyBlockWriter.random(size: 200 + Int(rng.next() % 2000), rng: &rng)
      let block = writer.block
      for cut in max(0, block.count - 300)..<block.count {
        let truncated = Array(block.prefix(cut))
        let capacity = writer.expected.count
        let result = Self.decode(truncated, capacity: capacity)
        #expect(result == SnappyModel.decompress(truncated, capacity: capacity), "round \(round) cut \(cut)")
        if case .success = result { Issue.record("a truncated block decoded: round \(round) cut \(cut)") }
      }
    }
  }

  @Test func badOffsetsInTheFastPathFailLikeTheModel() {
    // A copy reaching one byte before the output, amid enough data for the fast path.
    for kind in [1, 2, 4] {
      for position in [0, 1, 100, 500] {
        var writer = SnappyBlockWriter()
        writer.literal([UInt8](repeating: 1, count: position + 1), lengthBytes: 2)
        var block = writer.elements
        let offset = writer.expected.count + 1
        switch kind {
        case 1: block += [UInt8((offset >> 8) << 5 | 1), UInt8(truncatingIfNeeded: offset)]
        case 2: block += [UInt8(3 << 2 | 2), UInt8(truncatingIfNeeded: offset), UInt8(offset >> 8)]
        default: block += [UInt8(3 << 2 | 3), UInt8(truncatingIfNeeded: offset), UInt8(offset >> 8), 0, 0]
        }
        for filler: UInt8 in 2...4 { block += [59 << 2] + [UInt8](repeating: filler, count: 60) }
        let full = [0x80 | UInt8(1000 & 0x7f), UInt8(1000 >> 7)] + block
        let result = Self.decode(full, capacity: 1000)
        #expect(result == SnappyModel.decompress(full, capacity: 1000))
        #expect(result == .failure(SnappyModel.Failure(code: .corruptInput, offset: 2 + writer.elements.count)))
      }
    }
  }
}
