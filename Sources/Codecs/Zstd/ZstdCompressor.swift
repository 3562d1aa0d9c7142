/// Writes one zstd frame: header with content size, blocks of up to 128 KiB, XXH64 checksum.
struct ZstdCompressor {
  let params: ZstdLevelParameters
  /// Matcher positions are 32-bit, so very large inputs are matched in independent segments.
  static let segmentSize = 1 << 30

  init(level: Int) {
    params = ZstdLevelParameters.forLevel(level)
  }

  func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
    let size = input.count
    let window = 1 << params.windowLog
    let singleSegment = size <= window
    writeFrameHeader(size: size, singleSegment: singleSegment, into: &output)
    guard size > 0, let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      // An empty frame still needs one (empty, last) block.
      output += [1, 0, 0]
      appendChecksum(input, into: &output)
      return
    }
    output.reserveCapacity(output.count + size / 2 + 64)
    let largestBlock = min(size, ZstdFormat.blockSizeMax)
    let store = ZstdSequenceStore(blockSize: largestBlock)
    let encoder = ZstdBlockEncoder(blockSize: largestBlock)
    var body: [UInt8] = []
    body.reserveCapacity(ZstdFormat.blockSizeMax + 1024)
    var reps = ZstdRepeatOffsets()
    var segmentStart = 0
    var matcher: ZstdMatcher?
    var position = 0
    while position < size {
      if matcher == nil || position - segmentStart >= Self.segmentSize {
        segmentStart = position
        matcher = ZstdMatcher(
          params: params, src: base + segmentStart, srcSize: size - segmentStart,
          maxDistance: singleSegment ? size : window)
      }
      let blockSize = min(ZstdFormat.blockSizeMax, size - position)
      let isLast = position + blockSize == size
      let block = base + position
      if Self.isRun(block, blockSize) {
        appendBlockHeader(last: isLast, type: 1, size: blockSize, into: &output)
        output.append(block[0])
      } else if let m = matcher {
        store.reset()
        m.reps = reps
        m.findSequences(position - segmentStart, position - segmentStart + blockSize, into: store)
        body.removeAll(keepingCapacity: true)
        encoder.encodeLiterals(store.literals, count: store.literalCount, into: &body)
        if encoder.encodeSequences(store, into: &body), body.count < blockSize {
          appendBlockHeader(last: isLast, type: 2, size: body.count, into: &output)
          output += body
          reps = m.reps
        } else {
          // Stored raw: the decoder never sees these sequences, so the repeat offsets stay as they were.
          appendBlockHeader(last: isLast, type: 0, size: blockSize, into: &output)
          output.append(contentsOf: UnsafeBufferPointer(start: block, count: blockSize))
        }
      }
      position += blockSize
    }
    appendChecksum(input, into: &output)
  }

  private static func isRun(_ block: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let first = block[0]
    for i in 1..<count where block[i] != first { return false }
    return count > 1
  }

  private func writeFrameHeader(size: Int, singleSegment: Bool, into out: inout [UInt8]) {
    out += [0x28, 0xB5, 0x2F, 0xFD]
    let fcsFlag: UInt8
    let fcsBytes: Int
    var fcsValue = UInt64(size)
    if singleSegment && size < 256 {
      (fcsFlag, fcsBytes) = (0, 1)
    } else if size >= 256 && size < 65536 + 256 {
      (fcsFlag, fcsBytes) = (1, 2)
      fcsValue -= 256
    } else if UInt64(size) <= UInt64(UInt32.max) {
      (fcsFlag, fcsBytes) = (2, 4)
    } else {
      (fcsFlag, fcsBytes) = (3, 8)
    }
    out.append(fcsFlag << 6 | (singleSegment ? 0x20 : 0) | 0x04)
    if !singleSegment { out.append(UInt8((params.windowLog - 10) << 3)) }
    for i in 0..<fcsBytes { out.append(UInt8(truncatingIfNeeded: fcsValue >> UInt64(8 * i))) }
  }

  private func appendBlockHeader(last: Bool, type: Int, size: Int, into out: inout [UInt8]) {
    let header = (last ? 1 : 0) | type << 1 | size << 3
    out += [UInt8(truncatingIfNeeded: header), UInt8(truncatingIfNeeded: header >> 8), UInt8(truncatingIfNeeded: header >> 16)]
  }

  private func appendChecksum(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
    let hash = XXHash64.hash(input)
    for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: hash >> UInt64(8 * i))) }
  }
}
